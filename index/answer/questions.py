"""Checks on a reader's question before any retrieval: pure functions, one message each.

A question reaches the pipeline from a text box or an API call, so it may hold anything:
control or zero-width characters (pasted, or smuggled to hide words), letters of two
alphabets inside one word (a Cyrillic "В" in "Вelarus" defeats every word match), only a
link, only punctuation, one word repeated a thousand times, or a language the assistant
does not answer in. Each becomes either a cleaned question or a `QuestionError` whose
message tells the reader what to do; nothing here may be slow on long input (the length
limit is checked before any per-word work).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from index.errors import QuestionError
from index.text.language import (
    SUPPORTED,
    grammar_and_names,
    identify_language,
    language_confidences,
)
from index.text.tokens import FUNCTION_WORDS, words

LANGUAGE_NAMES = {
    "fr": "French",
    "es": "Spanish",
    "it": "Italian",
    "nl": "Dutch",
    "pl": "Polish",
    "pt": "Portuguese",
    "ru": "Russian",
    "uk": "Ukrainian",
    "tr": "Turkish",
}
_URL = re.compile(r"(?:https?://|ftp://|www\.)\S+", re.IGNORECASE)
# A question this many words long that is mostly one word is noise, not a question.
_REPEAT_MIN_WORDS = 8
_REPEAT_SHARE = 0.5
# Below this many letters the language detector guesses; short questions are let through.
_LANGUAGE_MIN_LETTERS = 12
# A third language that is this many times likelier than German and English together is
# taken even below identify_language's bar: names in a question pull every score down
# ("Qui est Lisa Gürth ...?" is French 0.41, English 0.16, German 0.10).
_THIRD_LANGUAGE_LEAD = 1.5


def clean_question(text: str) -> str:
    """The question with control, format (zero-width, bidi) characters and runs of space
    turned into single spaces; NFC-normalised so "ü" typed two ways is one letter."""
    kept = []
    for char in unicodedata.normalize("NFC", text):
        category = unicodedata.category(char)
        if category in ("Cc", "Cf", "Zl", "Zp"):
            # Tabs and newlines separate words; zero-width and bidi marks join them.
            kept.append(" " if char in "\t\n\r\x0b\x0c\x85\u2028\u2029" else "")
        else:
            kept.append(char)
    return " ".join("".join(kept).split())


def script_of(char: str) -> str:
    """The alphabet of a letter as far as mixing matters: LATIN, CYRILLIC, GREEK or OTHER."""
    name = unicodedata.name(char, "")
    for script in ("LATIN", "CYRILLIC", "GREEK"):
        if name.startswith(script):
            return script
    return "OTHER"


def mixed_script_words(text: str) -> list[str]:
    """Words that mix Latin, Cyrillic or Greek letters (look-alike letters, e.g. "Вelarus")."""
    return [
        word
        for word in words(text)
        if len({script_of(char) for char in word if char.isalpha()}) > 1
    ]


def repeated_word(text: str) -> str | None:
    """The word that makes up most of a long question, if one does."""
    found = [word.lower() for word in words(text)]
    if len(found) < _REPEAT_MIN_WORDS:
        return None
    word, count = Counter(found).most_common(1)[0]
    return word if count / len(found) > _REPEAT_SHARE else None


def foreign_language(text: str) -> str | None:
    """The language the question is in when it is neither German nor English, else None."""
    letters = [char for char in text if char.isalpha()]
    if len(letters) < _LANGUAGE_MIN_LETTERS:
        return None
    # Another alphabet (Cyrillic, Greek, Arabic, CJK ...) for most letters: not de or en,
    # whatever the detector (limited to European languages) says.
    latin = sum(script_of(char) == "LATIN" for char in letters)
    if latin < len(letters) / 2:
        return _name(identify_language(text)) or "not German or English (another alphabet)"
    # Two German or English function words ("Wer ist Serhij Najew?") outvote the foreign
    # names a news question is full of; one is not enough ("a" is French too).
    if sum(word.lower() in FUNCTION_WORDS for word in words(text)) >= 2:
        return None
    # A follow-up of names and a function word ("And Serhiy Nayev?", "Und Peskow?"): its
    # other words are names, which tell no language; the function word tells its own.
    if grammar_and_names(text):
        return None
    code = identify_language(text)
    if code is None or code in SUPPORTED:
        scores = language_confidences(text)
        best = max(scores, key=scores.__getitem__, default=None)
        ours = sum(scores.get(supported, 0.0) for supported in SUPPORTED)
        if (
            best is not None
            and best not in SUPPORTED
            and scores[best] > _THIRD_LANGUAGE_LEAD * ours
        ):
            code = best
    return _name(code)


def _name(code: str | None) -> str | None:
    """A language's name for a message; None for German, English or no language."""
    if code is None or code in SUPPORTED:
        return None
    return LANGUAGE_NAMES.get(code, code)


def check_question(question: object, max_chars: int) -> str:
    """The cleaned question; QuestionError with a reason the reader can act on."""
    if isinstance(question, str) and len(question) > 10 * max_chars:
        # Refused before any per-character work, so a huge paste costs nothing.
        raise QuestionError(
            f"The question has {len(question):,} characters; the limit is "
            f"{max_chars:,}. Please shorten it."
        )
    cleaned = clean_question(question) if isinstance(question, str) else ""
    if not cleaned:
        raise QuestionError("The question is empty. Ask something about the article.")
    if len(cleaned) > max_chars:
        raise QuestionError(
            f"The question has {len(cleaned):,} characters; the limit is {max_chars:,}. "
            "Please shorten it."
        )
    if not any(char.isalpha() for char in _URL.sub("", cleaned)):
        if _URL.search(cleaned):
            raise QuestionError(
                "The question is only a link. Links are not opened here; "
                "ask about the article in words."
            )
        raise QuestionError(
            "The question has no words, only signs or numbers. Ask "
            "something about the article in words."
        )
    mixed = mixed_script_words(cleaned)
    if mixed:
        raise QuestionError(
            f"The word “{mixed[0]}” mixes letters of different alphabets "
            "(e.g. Cyrillic and Latin look-alikes); please type it again."
        )
    word = repeated_word(cleaned)
    if word is not None:
        raise QuestionError(
            f"The question mostly repeats the word “{word}”. Ask one question about the article."
        )
    language = foreign_language(cleaned)
    if language is not None:
        raise QuestionError(
            f"This assistant answers questions in German or English; the "
            f"question looks {language}. Please ask in German or English."
        )
    return cleaned
