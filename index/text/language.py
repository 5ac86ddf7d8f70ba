"""Which language a text is in, by lingua (a maintained detector that works on short text).

The product reads and answers German and English: `detect_language` always returns one
of those two, falling back to DEFAULT_LANGUAGE when the text gives no signal either way
(a bare name, a number). `identify_language` looks wider, so a question in French or
Russian can be told apart from one in German or English.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from index.text.tokens import ENGLISH_WORDS, GERMAN_WORDS, words

SUPPORTED = ("de", "en")
DEFAULT_LANGUAGE = "en"
# Languages a reader might plausibly ask in; anything else is "unknown" (None).
_WIDER = ("de", "en", "fr", "es", "it", "nl", "pl", "pt", "ru", "uk", "tr")
# Below this confidence the wider detector does not claim a third language.
_THIRD_LANGUAGE_CONFIDENCE = 0.6
# lingua's German and English confidences closer than this are a guess: on a short
# question of names and words both languages share ("War Putin oft in Belarus?": 0.53
# English), a single function word of one language ("oft", "ist") decides instead.
_CLOSE_CALL = 0.3


@lru_cache(maxsize=4)
def _detector(codes: tuple[str, ...]) -> Any:
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = [
        Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in codes
    ]
    return LanguageDetectorBuilder.from_languages(*languages).build()


def _code(language: Any) -> str:
    return str(language.iso_code_639_1.name).lower()


def _grammar_vote(text: str) -> int:
    """English minus German function words: the grammar of a question, whatever its nouns."""
    found = [word.lower() for word in words(text)]
    return sum(w in ENGLISH_WORDS for w in found) - sum(w in GERMAN_WORDS for w in found)


def grammar_and_names(text: str) -> bool:
    """True when every word is a function word of either language or a name (capitalised,
    not the first word): "And Serhiy Nayev?", "Und Peskow?". The names tell no language
    (lingua reads "Serhiy Nayev" as Turkish, then German); the function words do."""
    found = words(text)
    return bool(found) and all(
        word.lower() in ENGLISH_WORDS
        or word.lower() in GERMAN_WORDS
        or (position > 0 and word[:1].isupper())
        for position, word in enumerate(found)
    )


def detect_language(text: str) -> str:
    """'de' or 'en': the more likely of the two; DEFAULT_LANGUAGE when undecided.

    Readers ask in English about German things ("Is there an Absage of the Stadtfest?"),
    so a clear majority of function words (two or more) decides first, and so does a
    majority of one among names only ("And Serhiy Nayev?"); lingua decides everything
    else, except that a majority of one decides when lingua is close to a tie.
    """
    if not text or not any(char.isalpha() for char in text):
        return DEFAULT_LANGUAGE
    vote = _grammar_vote(text)
    if abs(vote) >= 2 or (vote != 0 and grammar_and_names(text)):
        return "en" if vote > 0 else "de"
    if vote == 0:
        # Keywords without grammar ("Lukashenko joke"): the capitalised words may all be
        # names, which tell no language; the lower-case ones do. (German capitalises its
        # nouns, so "Lukaschenko Scherz" leaves none and is read whole.)
        found = words(text)
        lower = [word for word in found if not word[:1].isupper()]
        if lower and len(lower) < len(found):
            text = " ".join(lower)
    values = _detector(SUPPORTED).compute_language_confidence_values(text)
    scores = {_code(value.language): value.value for value in values}
    german, english = scores.get("de", 0.0), scores.get("en", 0.0)
    if vote != 0 and abs(german - english) < _CLOSE_CALL:
        return "en" if vote > 0 else "de"
    if abs(german - english) < 1e-9:
        return DEFAULT_LANGUAGE
    return "de" if german > english else "en"


def language_confidences(text: str) -> dict[str, float]:
    """Confidence (0-1) of each common European language for the text; empty without letters."""
    if not text or not any(char.isalpha() for char in text):
        return {}
    values = _detector(_WIDER).compute_language_confidence_values(text)
    return {_code(value.language): float(value.value) for value in values}


def identify_language(text: str) -> str | None:
    """The ISO 639-1 code of the text's language among common European ones, else None."""
    if not text or not any(char.isalpha() for char in text):
        return None
    values = _detector(_WIDER).compute_language_confidence_values(text)
    if not values:
        return None
    best = values[0]
    code = _code(best.language)
    if code in SUPPORTED:
        return code
    return code if best.value >= _THIRD_LANGUAGE_CONFIDENCE else None


def load_detectors() -> None:
    """Load lingua's language models now (about 2.5 s on 2 cores) rather than in the
    first question a process answers (servers call this while starting)."""
    detect_language("Lädt die Modelle")
    identify_language("Loading the language models")
