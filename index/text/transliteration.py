"""Slavic names the English way: German news spells Russian, Belarusian and Ukrainian
names in the German transcription (Lukaschenko, Peskow, Najew, Selenskyj, Lawrow);
English news spells them Lukashenko, Peskov, Nayev, Selensky, Lavrov.

The weak LLM copies such a name into its English rendering as the German article spells
it. `english_spelling` respells it with the transcription rules both languages share
(German "tsch", "sch", "w", "j" are English "ch", "sh", "v", "y"). Only a word that looks
like a transcribed Slavic name is touched: capitalised, no umlaut, and a typical ending
(-ow, -ew, -enko, -skij, -itsch, ...). "Gürth", "Scholz" or "Merkel" stay as they are.

Written by hand because no offline library covers it: transliteration libraries start
from Cyrillic, and the German spelling is already a transcription. Every respelling
keeps the name's spelling key (`index.text.names.same_name` holds), so a checked
rendering stays checked.
"""

from __future__ import annotations

import re

from index.text.tokens import fold

# Folded endings of German-transcribed Slavic surnames and given names.
_SLAVIC_ENDINGS = (
    "ow",
    "owa",
    "ew",
    "ewa",
    "jew",
    "jewa",
    "enko",
    "skij",
    "skyj",
    "ski",
    "skaja",
    "itsch",
    "ytsch",
    "tschuk",
    "ij",
    "yj",
    "ej",
    "nyj",
)
_NAME = re.compile(r"^[A-Z][a-z]+$")  # capitalised, one plain word: no umlaut, no ß
# German transcription -> English, longest cluster first ("tsch" before "sch").
_STEPS = (("schtsch", "shch"), ("tsch", "ch"), ("sch", "sh"), ("w", "v"), ("j", "y"))


def looks_slavic(word: str) -> bool:
    """True for a capitalised word that looks like a German-transcribed Slavic name."""
    return bool(_NAME.match(word)) and len(word) >= 4 and fold(word).endswith(_SLAVIC_ENDINGS)


def respelled(word: str) -> str:
    """`word` in the English transcription ("Lukaschenko" -> "Lukashenko"); a word that
    does not look like a Slavic name comes back unchanged."""
    if not looks_slavic(word):
        return word
    lowered = word.lower()
    if lowered.endswith(("skyj", "yj")):
        lowered = lowered[:-1]  # Selenskyj -> Selensky
    for german, english in _STEPS:
        lowered = lowered.replace(german, english)
    return lowered[:1].upper() + lowered[1:]


_WORD = re.compile(r"(?<![\w-])([A-Z][a-z]+)(?=(?:['’]s)?(?![\w-]))")


def english_spelling(source: str, rendering: str) -> str:
    """`rendering` with every Slavic name it copied from the German `source` respelled.

    A name counts as copied when the source holds it too, as written or with the
    German genitive s ("Peskows" for "Peskow's").
    """
    in_source = set(re.findall(r"[A-Za-z]+", source))

    def swap(match: re.Match[str]) -> str:
        word = match.group(1)
        if word not in in_source and f"{word}s" not in in_source:
            return word
        return respelled(word)

    return _WORD.sub(swap, rendering)
