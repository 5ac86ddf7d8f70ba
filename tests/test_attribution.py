"""A quotation and its attribution: the quotation rendered alone, the attribution by rule."""

from __future__ import annotations

from typing import Any

import pytest

from index.translate.attribution import english_attribution, quoted_statement
from tests.fakes import ScriptedGenerator
from tests.test_translate import make_renderer

# A stand-in for the Ding dictionary's first senses.
SENSES = {"expertin": ("expert",), "montag": ("Monday",)}


def senses(word: str) -> tuple[str, ...]:
    return SENSES.get(word.lower(), ())


@pytest.mark.parametrize(
    ("attribution", "english"),
    [
        ("sagt Gürth", "Gürth says"),
        ("analysiert Gürth", "Gürth analyses"),
        ("sagt Lisa Gürth", "Lisa Gürth says"),
        ("meint die Expertin", "the expert says"),
        ("hieß es", "it was said"),
        ("hieß es am Montag", "it was said on Monday"),
        # any other form is left to the translator
        ("hieß es am Abend des 19. Oktober", None),
        ("meint Russland-Expertin Lisa Gürth", None),
        ("kündigten die Langzeit-Staatschefs an", None),
        ("so der Sprecher", None),
    ],
)
def test_attributions_of_a_closed_form_are_given_by_rule(
    attribution: str, english: str | None
) -> None:
    assert english_attribution(attribution, senses) == english


def test_a_quoted_statement_is_split_from_its_attribution() -> None:
    source = '"Gemeinsam halten wir den Sanktionen feindlicher Staaten stand", hieß es am Montag.'
    statement = quoted_statement(source, senses)
    assert statement is not None
    assert statement.quote == "Gemeinsam halten wir den Sanktionen feindlicher Staaten stand."
    assert (
        statement.joined("We stand together against the sanctions of enemy states.")
        == '"We stand together against the sanctions of enemy states," it was said on Monday.'
    )
    # a quotation inside a sentence, or a sentence without one, is no quoted statement
    assert quoted_statement('Putin habe "kein Interesse" daran, sagt Gürth.', senses) is None
    assert quoted_statement("Die Staatschefs sprachen von Gesprächen.", senses) is None


def test_a_quoted_statement_is_rendered_alone_when_the_whole_sentence_fails(
    fake_components: Any,
) -> None:
    source = '"Wir halten den Sanktionen stand", sagt Gürth.'
    llm = ScriptedGenerator(
        "We withstand the sanctions, Peskov says.",  # invents a name: rejected
        "We withstand them, said Peskov.",  # the close candidate, rejected alike
        "We withstand the sanctions.",  # the quotation alone
        '"Wir halten den Sanktionen stand", sagt Gürth.',  # its round trip
    )
    rendering = make_renderer(fake_components, llm).render(source, "de", "en")
    assert rendering.checked
    assert rendering.text == '"We withstand the sanctions," Gürth says.'
    assert "German: Wir halten den Sanktionen stand.\n" in llm.prompts[2][1]  # asked alone
    # the round trip checks the quotation's rendering alone: the attribution's words
    # would lift a wrong rendering over the threshold
    assert "We withstand the sanctions." in llm.prompts[3][1]
    assert "Gürth" not in llm.prompts[3][1]


def test_a_quoted_statement_still_failing_is_not_shown(fake_components: Any) -> None:
    source = '"Wir halten den Sanktionen stand", sagt Gürth.'
    llm = ScriptedGenerator(
        "We withstand the sanctions, Peskov says.",
        "We withstand them, said Peskov.",
        "We and Peskov withstand the sanctions.",  # the quotation alone, inventing a name
        "We and Peskov withstand them.",
    )
    rendering = make_renderer(fake_components, llm).render(source, "de", "en")
    assert not rendering.checked
    assert rendering.text == "We withstand the sanctions, Peskov says."
