"""Names in the reader's spelling: a rendering's nationalities as English spells them.

The LLM often carries a German nationality into English half-way ("belarussischer" ->
"belarussian"): a reader stumbles, and the name check rightly misses "Belarusian". This
deterministic edit runs on every candidate before the checks: each word that is a
near-spelling of a nationality the source names (one letter apart, the same first
letter, case aside, and not a word the form begins with: Russia stays) becomes the
dictionary's English form. It only respells; a rendering that dropped the nationality
still fails the checks. `state_forms` puts back the form of a state the source names
before it ("der Republik Belarus"), which the LLM drops ("the Belarusian armed forces"),
and the name check then rightly wants.
"""

from __future__ import annotations

import re
from itertools import takewhile

from index.text.names import edit_distance
from index.text.tokens import FUNCTION_WORDS, fold, words
from index.translate.checks import Senses, nationality_words

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def _respelled(token: str, forms: list[str]) -> str:
    """The English form `token` is a near-spelling of, with a plural kept; else `token`."""
    stem, plural = (token[:-1], "s") if token.endswith("s") and len(token) > 5 else (token, "")
    for candidate, ending in ((token, ""), (stem, plural)):
        for form in forms:
            folded, target = fold(candidate), fold(form)
            if (
                candidate == form
                or len(form) < 5
                or (folded != target and target.startswith(folded))
            ):
                continue  # already right, or another word (Russia is not Russian)
            if folded[:1] == target[:1] and edit_distance(folded, target) <= 1:
                return form + ending
    return token


def reader_spelling(source: str, rendering: str, senses: Senses) -> str:
    """`rendering` with the source's nationalities in their English spelling."""
    forms = [
        form
        for _word, english in nationality_words(source, senses)
        for form in english
        if len(words(form)) == 1
    ]
    if not forms:
        return rendering
    return _WORD.sub(lambda match: _respelled(match.group(0), forms), rendering)


# A state's form before its name, which the LLM drops ("der Republik Belarus" rendered
# "of Belarus" or "the Belarusian armed forces"): the German form and its English one.
_STATE_FORMS = {"republik": "Republic", "koenigreich": "Kingdom", "fuerstentum": "Principality"}
_STATE = re.compile(r"\b(Republik|Königreich|Fürstentum)\s+([A-ZÄÖÜ][\w-]+)")
# "the Belarusian armed forces": up to three lower-case words after the adjective.
_PHRASE = r"((?:[a-z]+ ){0,2}[a-z]+)"


def state_forms(source: str, rendering: str) -> str:
    """`rendering` with a state's form the source names before the state restored: "the
    armed forces of Belarus" -> "... of the Republic of Belarus", "the Belarusian armed
    forces" -> "the armed forces of the Republic of Belarus" (only when the source has no
    adjective of that state of its own, which the rendering's adjective could stand for).
    Nothing else changes; a rendering that lost the state altogether still fails the
    name check."""
    for german, name in _STATE.findall(source):
        form = _STATE_FORMS[fold(german)]
        if re.search(rf"\b{form}\b", rendering, re.IGNORECASE):
            continue
        full = f"the {form} of {name}"
        bare = re.compile(rf"(?:\bthe )?\b{re.escape(name)}\b(?!\w)")
        if bare.search(rendering):
            rendering = bare.sub(full, rendering, count=1)
            continue
        if _adjective_of(name, words(source)):
            continue  # "belarussische Soldaten der Republik Belarus": which one is meant?
        for adjective in _adjective_of(name, words(rendering)):
            phrase = re.compile(rf"\bthe {re.escape(adjective)} {_PHRASE}\b")
            match = phrase.search(rendering)
            if match is None:
                continue
            # the phrase ends before its first function word ("forces in the war")
            lead = list(takewhile(lambda word: word not in FUNCTION_WORDS, match[1].split()))
            if not lead:
                continue
            kept = " ".join(lead)
            start, end = match.start(), match.start() + len(f"the {adjective} {kept}")
            rendering = f"{rendering[:start]}the {kept} of {full}{rendering[end:]}"
            break
    return rendering


def _adjective_of(name: str, candidates: list[str]) -> list[str]:
    """Words that look like the adjective of a state's name (Belarus -> Belarusian,
    belarussische): the same first five letters, longer than the name."""
    if len(name) < 5:
        return []
    key = fold(name)[:5]
    return [
        word
        for word in dict.fromkeys(candidates)
        if len(word) > len(name) and fold(word)[:5] == key
    ]


# A place's name joined to a noun by a hyphen: "Russland-Expertin", "Ukraine-Konflikt".
_PLACE_COMPOUND = re.compile(r"(?<![\w-])([A-ZÄÖÜ]\w+)-([A-ZÄÖÜ]\w+)(?![\w-])")


def place_compounds(source: str, rendering: str, senses: Senses) -> str:
    """`rendering` with a place compound's place as a noun, as the source has it: the LLM
    turns "Russland-Expertin Lisa Gürth" into "Russian expert Lisa Gürth", which makes
    her Russian; "Russia expert" is what the source says ("Russland-Programm" -> "Russia
    program", "Ukraine-Konflikt" -> "Ukraine conflict"). Only an adjective of the place
    (the same first five letters, longer) directly before a rendering of the compound's
    last part changes, and only when the source has no such adjective of its own."""
    for place, head in _PLACE_COMPOUND.findall(source):
        names = [
            sense for sense in senses(place) if sense[:1].isupper() and words(sense) == [sense]
        ]
        # the last part's senses by their last word ("computer program"), and its cognate
        # ("Programms" -> "progr...")
        heads = {fold(words(sense)[-1]) for sense in senses(head) if words(sense)}
        heads = {word for word in heads if len(word) >= 3} | {fold(head)[:5]}
        # a source with the place's own adjective ("russische Experten") may have been
        # rendered "Russian experts" rightly: which is which, no rule can tell
        own = [word for word in words(source) if word[:1].islower()]
        if names and not _adjective_of(names[0], own):
            rendering = _place_before(rendering, names[0], tuple(sorted(heads)))
    return rendering


def _place_before(rendering: str, name: str, heads: tuple[str, ...]) -> str:
    """`rendering` with each adjective of `name` that stands before a word beginning
    with one of `heads` replaced by `name` ("Russian expert" -> "Russia expert")."""
    for adjective in _adjective_of(name, [word for word in words(rendering) if "'" not in word]):
        pattern = re.compile(rf"\b{re.escape(adjective)} (\w+)")
        rendering = pattern.sub(
            lambda match: f"{name} {match[1]}" if fold(match[1]).startswith(heads) else match[0],
            rendering,
        )
    return rendering
