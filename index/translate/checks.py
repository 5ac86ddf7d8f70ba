"""Checks of a rendering (a machine translation) against its German source sentence.

No NLI or translation-quality model exists offline, so a rendering must pass cheap,
explainable checks before anyone sees it:

- form: one English sentence of sensible length;
- numbers: every number of the source is in the rendering, and no other number;
- negation: the source and the rendering agree in polarity;
- names: every name of the rendering is in the source (any spelling, exonyms, or a
  dictionary sense of a source word), and every proper name of the source is in the
  rendering;
- meaning: the rendering's embedding is close to the source's (cross-lingual), and a
  translation back into German is close to the source (the round trip).

The similarity checks need an embedder and are in `index.translate.renderer`; the rest
is pure.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from index.text.language import detect_language
from index.text.names import name_candidates, name_supported, vocabulary
from index.text.numbers import claimed_numbers, digits_in, numbers_in
from index.text.polarity import is_negated
from index.text.tokens import FUNCTION_WORDS, words

# A German word -> its English dictionary senses (empty when unknown).
Senses = Callable[[str], tuple[str, ...]]
_NOUN_ENDINGS = ("ung", "heit", "keit", "schaft", "tion", "tät", "nis", "tum", "ismus", "ment")


def _no_senses(word: str) -> tuple[str, ...]:
    return ()


def form_problems(source: str, rendering: str) -> list[str]:
    """An empty, runaway or non-English rendering."""
    text = rendering.strip()
    if not words(text):
        return ["empty"]
    if "\n" in text:
        return ["more than one line"]
    if len(text) > 2.5 * len(source) + 40:
        return [f"too long ({len(text)} characters for {len(source)})"]
    if len(text) < 0.3 * len(source):
        return [f"too short ({len(text)} characters for {len(source)})"]
    if detect_language(text) != "en":
        return ["not English"]
    return []


def number_problems(source: str, rendering: str) -> list[str]:
    """Numbers changed, dropped or invented (9000 = 9,000 = nine thousand)."""
    problems = []
    stated = numbers_in(rendering, with_words=True)
    problems += [
        f"number {n} of the source is missing" for n in sorted(digits_in(source)) if n not in stated
    ]
    allowed = numbers_in(source, with_words=True)
    problems += [
        f"number {n} is not in the source"
        for n in sorted(claimed_numbers(rendering))
        if n not in allowed
    ]
    return problems


def negation_problems(source: str, rendering: str) -> list[str]:
    """The rendering says yes where the source says no, or the other way round."""
    if is_negated(source) != is_negated(rendering):
        side = "source" if is_negated(source) else "rendering"
        return [f"negation differs (only the {side} is negated)"]
    return []


def source_names(source: str, senses: Senses = _no_senses) -> list[str]:
    """Proper names of a German sentence: capitalised words that are not common nouns.

    A capitalised word is a name when the dictionary renders it capitalised (Moskau ->
    Moscow) or does not know it and it does not end like a German noun (Lukaschenko).
    """
    found = []
    for position, word in enumerate(words(source)):
        if position == 0 or not word[:1].isupper() or word.lower() in FUNCTION_WORDS:
            continue
        if "-" in word:  # Kreml-Chef, Russland-Expertin: check the parts
            found += [
                part for part in word.split("-") if part[:1].isupper() and _is_name(part, senses)
            ]
        elif _is_name(word, senses):
            found.append(word)
    return found


def _is_name(word: str, senses: Senses) -> bool:
    known = senses(word)
    if known:
        return any(sense[:1].isupper() for sense in known)
    if word.lower().endswith(_NOUN_ENDINGS) or len(word) <= 2:
        return False
    # a compound the dictionary lacks whose last part it knows is a noun (Kampftruppe)
    for start in range(3, len(word) - 3):
        tail = senses(word[start:].capitalize())
        if tail and not any(sense[:1].isupper() for sense in tail):
            return False
    return True


def name_problems(source: str, rendering: str, senses: Senses | None = None) -> list[str]:
    """Names the rendering invents, and (with a dictionary to tell names from nouns) names
    of the source it drops."""
    problems = []
    known = vocabulary(source)
    for word in words(source):
        for sense in (senses or _no_senses)(word):
            known.update(words(sense))
    problems += [
        f"name {name!r} is not in the source"
        for name in name_candidates(rendering, "en", context=known)
        if not name_supported(name, known)
    ]
    if senses is None:
        return problems
    rendered = vocabulary(rendering)
    for name in source_names(source, senses):
        forms = [name, *senses(name)]
        if not any(name_supported(form, rendered) for form in forms if words(form)):
            problems.append(f"name {name!r} of the source is missing")
    return problems


def rendering_problems(source: str, rendering: str, senses: Senses | None = None) -> list[str]:
    """Every problem the pure checks find; [] when the rendering passes them all."""
    problems = form_problems(source, rendering)
    if problems:
        return problems
    return (
        number_problems(source, rendering)
        + negation_problems(source, rendering)
        + name_problems(source, rendering, senses)
    )


_LEADING_LABEL = re.compile(
    r"^\s*(english|translation|englisch|deutsch|german)\s*:\s*", re.IGNORECASE
)


def clean_output(reply: str) -> str:
    """The first non-empty line of an LLM reply, without a label or wrapping quotes."""
    line = next((line for line in reply.splitlines() if line.strip()), "")
    line = _LEADING_LABEL.sub("", line).strip()
    if len(line) > 1 and line[0] in "\"“„'«" and line[-1] in "\"”“'»":
        line = line[1:-1].strip()
    return line
