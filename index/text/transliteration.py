"""Slavic names the English way: German news spells Russian, Belarusian and Ukrainian
names in the German transcription (Lukaschenko, Peskow, Najew, Selenskyj, Lawrow);
English news spells them Lukashenko, Peskov, Nayev, Selensky, Lavrov.

The weak LLM copies such a name into its English rendering as the German article spells
it. `english_spelling` respells it with the transcription rules both languages share
(German "tsch", "sch", "w", "j" are English "ch", "sh", "v", "y"). Only a word that looks
like a transcribed Slavic name is touched: capitalised, five letters or more, no umlaut,
a typical ending (-ow, -ew, -enko, -itsch, ...), and not a word the dictionary knows in
either language (Interview, Glasgow, Kitsch). A few English names end the same way
(Andrew, Matthew, Iowa): "-rew" and "-hew" are not Slavic endings, and "-ski" counts
only with another German-transcription mark (Dostojewski, not Lewandowski, which keeps
its Polish w in English).

Written by hand because no offline library covers it: transliteration libraries start
from Cyrillic, and the German spelling is already a transcription. Every respelling
keeps the name's spelling key (`index.text.names.same_name` holds), so a checked
rendering stays checked.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from index.text.tokens import fold

Known = Callable[[str], bool]  # True for a word the dictionary knows (German or English)

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
_ENGLISH_ENDINGS = ("rew", "hew")  # Andrew, Matthew
_MARK = re.compile(r"sch|j")  # German transcription beyond a final w
_NAME = re.compile(r"^[A-Z][a-z]{4,}$")  # capitalised, one plain word: no umlaut, no ß
# German transcription -> English, longest cluster first ("tsch" before "sch").
_STEPS = (("schtsch", "shch"), ("tsch", "ch"), ("sch", "sh"), ("w", "v"), ("j", "y"))


def looks_slavic(word: str, known: Known | None = None) -> bool:
    """True for a capitalised word that looks like a German-transcribed Slavic name."""
    folded = fold(word)
    if not _NAME.match(word) or not folded.endswith(_SLAVIC_ENDINGS):
        return False
    if folded.endswith(_ENGLISH_ENDINGS):
        return False
    if folded.endswith("ski") and not _MARK.search(folded):
        return False
    return known is None or not known(word)


def respelled(word: str, known: Known | None = None) -> str:
    """`word` in the English transcription ("Lukaschenko" -> "Lukashenko"); a word that
    does not look like a Slavic name comes back unchanged."""
    if not looks_slavic(word, known):
        return word
    lowered = word.lower()
    if lowered.endswith(("skyj", "yj")):
        lowered = lowered[:-1]  # Selenskyj -> Selensky
    for german, english in _STEPS:
        lowered = lowered.replace(german, english)
    return lowered[:1].upper() + lowered[1:]


_WORD = re.compile(r"(?<![\w-])([A-Z][a-z]+)(?=(?:['’]s)?(?![\w-]))")
# A German genitive copied as it is ("Lukaschenkos' course", "Lukaschenkos course").
_GENITIVE = re.compile(r"(?<![\w-])([A-Z][a-z]+)s['’]?(?![\w'’-])")


def english_spelling(source: str, rendering: str, known: Known | None = None) -> str:
    """`rendering` with every Slavic name it copied from the German `source` respelled.

    A name counts as copied when the source holds it too, as written or with the
    German genitive s ("Peskows" for "Peskow's"). A German genitive the rendering
    copied ("Lukaschenkos' course" for "den Kurs Lukaschenkos") becomes the English
    possessive ("Lukashenko's course").
    """
    in_source = set(re.findall(r"[A-Za-z]+", source))

    def possessive(match: re.Match[str]) -> str:
        stem = match.group(1)
        if f"{stem}s" not in in_source or not looks_slavic(stem, known):
            return match.group(0)
        return f"{respelled(stem, known)}'s"

    def swap(match: re.Match[str]) -> str:
        word = match.group(1)
        if word not in in_source and f"{word}s" not in in_source:
            return word
        return respelled(word, known)

    return _WORD.sub(swap, _GENITIVE.sub(possessive, rendering))
