"""Names across spellings: the one matcher for people, places and nationalities.

English and German spell the same name differently (Lukashenko / Lukaschenko,
Zelensky / Selenskyj, Peskov / Peskow, Sochi / Sotschi, Moscow / Moskau). A spelling key
folds the usual transliteration differences together; a small exonym table covers
names that differ beyond that. Matching is whole-word: "Scholz" does not match "schon".
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from index.text.tokens import FUNCTION_WORDS, fold, words

# Same thing, different language: spelled differently enough that the key misses.
EXONYMS: tuple[tuple[str, str], ...] = (
    ("belarus", "weissrussland"),
    ("moscow", "moskau"),
    ("monday", "montag"),
    ("tuesday", "dienstag"),
    ("wednesday", "mittwoch"),
    ("thursday", "donnerstag"),
    ("friday", "freitag"),
    ("saturday", "samstag"),
    ("sunday", "sonntag"),
    ("march", "maerz"),
    ("may", "mai"),
    ("germany", "deutschland"),
    ("german", "deutsch"),
    ("foundation", "stiftung"),
    ("house", "haus"),
    ("representatives", "repraesentantenhaus"),
    ("kremlin", "kreml"),
    ("europe", "europa"),
    ("america", "amerika"),
    ("russia", "russland"),
    ("soviet", "sowjet"),
    ("poland", "polen"),
    ("lithuania", "litauen"),
    ("west", "westen"),
    ("china", "china"),
    ("united states", "usa"),
    ("us", "usa"),
)
STANCE_WORDS = frozenset({"yes", "no", "ja", "nein", "doch"})
# Pronouns the function-word lists lack: capitalised only where a sentence or a quotation
# opens ('... forces: "Our opinion is ..."'), which is no name.
_PRONOUNS = frozenset("me my mine us our ours you your yours him them".split())
_COMMON = FUNCTION_WORDS | STANCE_WORDS | _PRONOUNS
_GERMAN_NOUN_ENDINGS = (
    "ung",
    "heit",
    "keit",
    "schaft",
    "tion",
    "taet",
    "nis",
    "tum",
    "ismus",
    "ment",
    "ei",
    "ie",
    "enz",
    "anz",
    "ur",
)
_POSSESSIVE = re.compile(r"['’]s$")
# Ordered: longer German clusters first, so "tsch" is not read as "t" + "sch".
_KEY_STEPS = (
    ("tsch", "ch"),
    ("sch", "sh"),
    ("ck", "k"),
    ("ph", "f"),
    ("ue", "u"),
    ("ae", "a"),
    ("oe", "o"),
    ("w", "v"),
    ("j", "y"),
    ("z", "s"),
)


def has_noun_ending(word: str) -> bool:
    """True for a word with a typical German noun ending (-ung, -heit, -schaft, ...)."""
    return fold(word).endswith(_GERMAN_NOUN_ENDINGS)


def without_possessive(word: str) -> str:
    """The name without an English possessive: "Moscow's" -> "Moscow"."""
    return _POSSESSIVE.sub("", word)


def spelling_key(word: str) -> str:
    """A folded form in which common German/English/transliteration variants coincide."""
    key = fold(without_possessive(word))
    for old, new in _KEY_STEPS:
        key = key.replace(old, new)
    return re.sub(r"c(?!h)", "k", key)


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance."""
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            )
        previous = current
    return previous[-1]


def same_name(a: str, b: str) -> bool:
    """True when two spellings plausibly name the same thing (Lukashenko ~ Lukaschenko).

    Equal keys match; so do keys that share a long prefix (inflection: Putin / Putins,
    Belarus / belarussische) or differ by a small edit distance (Selenskyj / Zelensky).
    """
    key_a, key_b = spelling_key(a), spelling_key(b)
    if key_a == key_b:
        return True
    shorter = min(len(key_a), len(key_b))
    if shorter < 3:
        return False
    common = next(
        (i for i, (x, y) in enumerate(zip(key_a, key_b, strict=False)) if x != y), shorter
    )
    if common >= 4 and common >= 0.5 * shorter:
        return True
    if shorter < 4 or abs(len(key_a) - len(key_b)) > 2:
        return False
    return edit_distance(key_a, key_b) <= max(1, shorter // 4)


def vocabulary(text: str) -> set[str]:
    """The words of a text, and the parts of hyphenated ones, as match candidates."""
    found: set[str] = set()
    for word in words(text):
        found.add(word)
        found.update(part for part in re.split(r"[-']", word) if len(part) >= 3)
    return found


def name_forms(name: str) -> list[str]:
    """A name and its other-language forms from the exonym table."""
    forms = [name]
    for english, german in EXONYMS:
        for this, other in ((english, german), (german, english)):
            if same_name(name, this) and other not in forms:
                forms.append(other)
    return forms


def name_supported(name: str, known: Iterable[str]) -> bool:
    """True when `name` (or its other-language form) matches one of the `known` words."""
    known = list(known)
    return any(same_name(form, word) for form in name_forms(name) for word in known)


def mentions(text: str, name: str) -> bool:
    """True when `text` names `name` in any of its spellings."""
    return name_supported(name, vocabulary(text))


def name_candidates(sentence: str, language: str, context: set[str] | None = None) -> list[str]:
    """Capitalised words that look like names, places or nationalities.

    The first word counts only when it matches a word of `context` (a name known from the
    evidence), since a capital there says nothing. In German, nouns are capitalised too:
    words with typical noun endings are left out.
    """
    found = []
    for position, word in enumerate(words(sentence)):
        word = without_possessive(word)
        if not word[:1].isupper() or len(word) < 2 or word.lower() in _COMMON:
            continue
        if position == 0 and not (context and name_supported(word, context)):
            continue
        if language == "de" and has_noun_ending(word):
            continue
        found.append(word)
    return found
