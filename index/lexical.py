"""German-aware lexical matching: token folding, stemming, BM25, and language detection.

Pure functions and one small index class; no model, no network.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

_WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*", re.UNICODE)
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})

# Function words seen often in questions; used for language detection and as BM25 stop
# words. Small on purpose: content words must never be dropped.
GERMAN_WORDS = frozenset(
    [
        "der",
        "die",
        "das",
        "den",
        "dem",
        "des",
        "ein",
        "eine",
        "einer",
        "eines",
        "einem",
        "einen",
        "und",
        "oder",
        "aber",
        "nicht",
        "kein",
        "keine",
        "ist",
        "sind",
        "war",
        "waren",
        "wird",
        "werden",
        "wurde",
        "wurden",
        "hat",
        "haben",
        "hatte",
        "hatten",
        "sei",
        "seien",
        "ich",
        "du",
        "er",
        "sie",
        "es",
        "wir",
        "ihr",
        "mit",
        "von",
        "zu",
        "zum",
        "zur",
        "im",
        "in",
        "auf",
        "für",
        "über",
        "unter",
        "bei",
        "nach",
        "vor",
        "aus",
        "wie",
        "was",
        "wer",
        "wen",
        "wem",
        "wessen",
        "warum",
        "wieso",
        "weshalb",
        "wann",
        "wo",
        "woher",
        "wohin",
        "welche",
        "welcher",
        "welches",
        "welchen",
        "denn",
        "auch",
        "noch",
        "schon",
        "nur",
        "sehr",
        "dass",
        "ob",
        "sich",
        "man",
        "dieser",
        "diese",
        "dieses",
        "als",
        "am",
        "beim",
        "ins",
        "vom",
        "bis",
        "tritt",
        "gibt",
        "laut",
        "sagt",
        "meint",
    ]
)
ENGLISH_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "or",
        "but",
        "not",
        "no",
        "is",
        "are",
        "was",
        "were",
        "will",
        "would",
        "be",
        "been",
        "being",
        "has",
        "have",
        "had",
        "do",
        "does",
        "did",
        "i",
        "you",
        "he",
        "she",
        "it",
        "we",
        "they",
        "with",
        "of",
        "to",
        "in",
        "on",
        "for",
        "about",
        "under",
        "at",
        "after",
        "before",
        "from",
        "how",
        "what",
        "who",
        "whom",
        "whose",
        "why",
        "when",
        "where",
        "which",
        "this",
        "that",
        "these",
        "those",
        "than",
        "also",
        "only",
        "very",
        "there",
        "their",
        "his",
        "her",
        "its",
        "say",
        "says",
        "said",
        "think",
        "thinks",
        "according",
        "can",
        "could",
        "should",
        "into",
    ]
)


def fold(text: str) -> str:
    """Lower case, umlauts spelled out (ä -> ae), other accents removed."""
    lowered = text.lower().translate(_UMLAUTS)
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@lru_cache(maxsize=1)
def _german_stemmer():  # type: ignore[no-untyped-def]
    from nltk.stem.snowball import GermanStemmer

    return GermanStemmer()


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The German Snowball stem of a folded word."""
    return str(_german_stemmer().stem(word))


def words(text: str) -> list[str]:
    """The words of a text, in order, as written."""
    return _WORD.findall(text)


def tokens(text: str) -> list[str]:
    """BM25 tokens: folded, stemmed words without the commonest function words.

    Compounds joined by hyphens also yield their parts ("Russland-Expertin" gives
    "russland-expertin", "russland", "expertin").
    """
    result = []
    for word in words(text):
        folded = fold(word)
        parts = [folded] + (folded.split("-") if "-" in folded else [])
        for part in parts:
            if part and part not in GERMAN_WORDS and part not in ENGLISH_WORDS:
                result.append(stem(part))
    return result


def detect_language(text: str, default: str = "en") -> str:
    """'de' or 'en' from function words and German letters; `default` when undecided."""
    found = [word.lower() for word in words(text)]
    german = sum(word in GERMAN_WORDS for word in found)
    english = sum(word in ENGLISH_WORDS for word in found)
    german += 2 * sum(char in "äöüßÄÖÜ" for char in text)
    if german > english:
        return "de"
    if english > german:
        return "en"
    return default


class BM25:
    """Okapi BM25 over a fixed list of token lists."""

    def __init__(self, documents: Sequence[Sequence[str]], k1: float = 1.2, b: float = 0.75):
        if k1 < 0 or not 0 <= b <= 1:
            raise ValueError(f"BM25 needs k1 >= 0 and 0 <= b <= 1; got k1={k1}, b={b}")
        self.k1, self.b = k1, b
        self.counts = [Counter(document) for document in documents]
        self.lengths = [len(document) for document in documents]
        self.average = (sum(self.lengths) / len(self.lengths)) if self.lengths else 0.0
        frequency: Counter[str] = Counter()
        for counts in self.counts:
            frequency.update(counts.keys())
        total = len(self.counts)
        self.idf = {
            term: math.log(1 + (total - seen + 0.5) / (seen + 0.5))
            for term, seen in frequency.items()
        }

    def scores(self, query: Sequence[str]) -> list[float]:
        """One score per document; 0.0 where no query term occurs."""
        result = []
        for counts, length in zip(self.counts, self.lengths, strict=True):
            score = 0.0
            norm = self.k1 * (1 - self.b + self.b * length / self.average) if self.average else 0
            for term in set(query):
                freq = counts.get(term, 0)
                if freq:
                    score += self.idf[term] * freq * (self.k1 + 1) / (freq + norm)
            result.append(score)
        return result


# Questions whose answer must be a quantity or a point in time. When the evidence
# holds no such thing (beyond what the question itself says), the article does not
# answer the question, however similar the sentence is.
_QUANTITY_QUESTION = re.compile(
    r"\b(how (many|much|old|long|high|large|big|far)|what percentage|"
    r"wie ?(viele?|alt|lange|hoch|gro(ß|ss)|weit)|wieviele?)\b", re.IGNORECASE)
_TIME_QUESTION = re.compile(
    r"\b(when|what (year|date|day)|in which (year|month)|since when|"
    r"wann|seit wann|in welchem (jahr|monat)|an welchem tag)\b", re.IGNORECASE)
_NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve twenty hundred thousand "
    "million billion half dozen zwei drei vier fünf sechs sieben acht neun zehn "
    "elf zwölf zwanzig hundert tausend million millionen milliarde milliarden halb hälfte "
    "dutzend".split())
_TIME_WORDS = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow year "
    "years month months week weeks day days januar februar märz mai juni juli oktober "
    "dezember montag dienstag mittwoch donnerstag freitag samstag sonntag heute gestern "
    "morgen jahr jahre jahren jahres monat monate monaten woche wochen tag tage tagen "
    "zuletzt damals bislang seit langem anfang ende".split())


def expected_answer_kind(question: str) -> str:
    """'quantity', 'time' or '' for the kind of answer a question asks for."""
    if _QUANTITY_QUESTION.search(question):
        return "quantity"
    if _TIME_QUESTION.search(question):
        return "time"
    return ""


def _numbers(text: str) -> set[str]:
    found = {word.lower() for word in words(text)}
    digits = {re.sub(r"[.,]", "", n) for n in re.findall(r"\d[\d.,]*", text)}
    return digits | (found & _NUMBER_WORDS)


def offers_answer_kind(kind: str, question: str, evidence: str) -> bool:
    """Whether `evidence` holds a quantity / time the question does not already contain."""
    if not kind:
        return True
    new_numbers = _numbers(evidence) - _numbers(question)
    if kind == "quantity":
        return bool(new_numbers)
    found = {word.lower() for word in words(evidence)} - {w.lower() for w in words(question)}
    return bool(new_numbers or found & _TIME_WORDS)


# English spellings of Slavic and other names turned towards their German spelling,
# so "Lukashenko", "Peskov" and "Nayev" find "Lukaschenko", "Peskow" and "Najew".
_TRANSLITERATION = (("shch", "schtsch"), ("sh", "sch"), ("zh", "sch"), ("ch", "tsch"),
                    ("kh", "ch"), ("y", "j"), ("v", "w"), ("c", "k"))
_NOT_NAMES = frozenset(
    "i monday tuesday wednesday thursday friday saturday sunday january february march "
    "april may june july august september october november december german english "
    "mr mrs ms dr".split())
_CAPITALISED = re.compile(r"\b[A-Z][A-Za-z'’-]+")
_ACRONYM = re.compile(r"\b[A-ZÄÖÜ]{2,}\b")


def _name_forms(name: str) -> set[str]:
    folded = fold(re.sub(r"['’]s$", "", name))
    german = folded
    for english, target in _TRANSLITERATION:
        german = german.replace(english, target)
    return {folded, german}


def _known(name: str, vocabulary: set[str]) -> bool:
    for form in _name_forms(name):
        prefix = form[:4]
        if any(word.startswith(prefix) for word in vocabulary):
            return True
    return False


def unknown_names(question: str, language: str, evidence: str) -> list[str]:
    """Names and acronyms in the question that the evidence never mentions.

    English: capitalised words after the first word ("Zelensky", "NATO"); German, whose
    nouns are all capitalised: acronyms only. Spelling differences between English and
    German forms of a name are tolerated (transliteration, common prefix).
    """
    found = set(_ACRONYM.findall(question))
    if language == "en":
        first = words(question)[:1]
        found |= {word for word in _CAPITALISED.findall(question)
                  if word not in first and fold(word) not in _NOT_NAMES
                  and fold(word) not in ENGLISH_WORDS}
    vocabulary = {fold(word) for word in words(evidence)}
    return sorted(name for name in found if not _known(name, vocabulary))
