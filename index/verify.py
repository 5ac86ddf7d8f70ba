"""Checks an LLM's answer against the sentences it was given, before anyone sees it.

No NLI model is available offline, so support is judged from cheap, explainable
signals, sentence by sentence:

- a valid citation: every `[n]` must refer to a given sentence (others are stripped)
  and every answer sentence must carry at least one;
- meaning: embedding similarity of the answer sentence and its cited sentence(s);
- numbers: every number in the answer sentence occurs in the cited text
  (9000, 9.000 and 9,000 are the same number; "drei" counts as 3);
- names: capitalised words of the answer occur in the cited text or the question,
  allowing for English and German spellings (Lukashenko/Lukaschenko, Belarus/Weißrussland);
- negation: the answer and the cited text agree in polarity, and a "Yes"/"No" opening
  agrees with what the cited text says ("bestritt ... einzutreten" means "No").

Unsupported sentences are dropped and the surviving citations renumbered 1..n. The
answer as a whole must be in the question's language. Everything here is pure except
the embedder call, which is passed in.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from index.lexical import ENGLISH_WORDS, GERMAN_WORDS, detect_language, fold, tokens, words
from index.types import Citation, Embedder

if TYPE_CHECKING:
    from index.answer import Evidence

# --- citation markers -------------------------------------------------------------------

_MARKER = re.compile(r"\s*\[(\d+(?:\s*[,;]\s*\d+)*)\]")


def markers_of(sentence: str) -> list[int]:
    """The citation numbers in a sentence, in order ("[1, 2]" and "[1][2]" both give 1, 2)."""
    numbers: list[int] = []
    for match in _MARKER.finditer(sentence):
        numbers.extend(int(part) for part in re.split(r"\s*[,;]\s*", match.group(1)))
    return numbers


def without_markers(sentence: str) -> str:
    """The sentence with its citation markers removed and spacing tidied."""
    text = _MARKER.sub("", sentence)
    return re.sub(r"\s+([.,;:!?])", r"\1", text).strip()


def _cite(text: str, n: int) -> str:
    """`text` (without markers) with the marker [n] before its closing punctuation."""
    match = re.search(r"[.!?…]+[\"'“”»«)]*$", text)
    if match is None:
        return f"{text} [{n}]"
    return f"{text[:match.start()]} [{n}]{text[match.start():]}"


def _renumber(sentence: str, mapping: dict[int, int]) -> str:
    """Markers rewritten through `mapping`; numbers missing from it are removed."""

    def replace(match: re.Match[str]) -> str:
        kept = [mapping[n] for n in (int(p) for p in re.split(r"\s*[,;]\s*", match.group(1)))
                if n in mapping]
        unique = list(dict.fromkeys(kept))
        return (" " + "".join(f"[{n}]" for n in unique)) if unique else ""

    text = _MARKER.sub(replace, sentence)
    return re.sub(r"\s+([.,;:!?])", r"\1", text).strip()


# --- sentences --------------------------------------------------------------------------

_END = re.compile(r"[.!?…]+[\"'“”»«)]*(?:\s*\[[\d,;\s]+\])*")
_STARTS_SENTENCE = re.compile(r"[\"'“„»«(]?[A-ZÄÖÜ0-9]")


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


_ABBREVIATIONS = _wordset(
    "dr prof mr mrs ms st nr ca bzw vgl z.b u.a etc usw inkl evtl ggf jr sr vs no")


def split_sentences(text: str) -> list[str]:
    """Answer text split into sentences; markers after the full stop stay with their sentence.

    Short uncited openings ("No." / "Nein.") are joined to the sentence that follows.
    """
    pieces: list[str] = []
    for line in text.splitlines():
        pieces.extend(_split_line(line))
    merged: list[str] = []
    carry = ""
    for piece in pieces:
        piece = f"{carry} {piece}".strip() if carry else piece
        carry = ""
        if not markers_of(piece) and len(words(piece)) <= 2 and piece is not pieces[-1]:
            carry = piece
            continue
        merged.append(piece)
    if carry:
        merged.append(carry)
    return merged


def _split_line(line: str) -> list[str]:
    sentences: list[str] = []
    start = 0
    for match in _END.finditer(line):
        end = match.end()
        rest = line[end:]
        if rest and not rest[:1].isspace():
            continue
        if rest.strip() and not _STARTS_SENTENCE.match(rest.lstrip()):
            continue
        before = line[start:match.start()].split()
        last = before[-1].lower().strip("(\"'„“") if before else ""
        if match.group().startswith(".") and (
                last in _ABBREVIATIONS or re.fullmatch(r"\d{1,2}|[a-zäöü]", last)):
            continue
        sentences.append(line[start:end].strip())
        start = end
    tail = line[start:].strip()
    if tail:
        sentences.append(tail)
    return [sentence for sentence in sentences if sentence]


# --- numbers ----------------------------------------------------------------------------

_NUMBER = re.compile(r"\d+(?:[.,\u00a0\u202f]\d{3})*(?:[.,]\d+)?")
_THOUSANDS = re.compile(r"\d{1,3}(?:[.,\u00a0\u202f]\d{3})+")
_NUMBER_WORDS = {
    "null": "0", "zero": "0", "ein": "1", "eine": "1", "einer": "1", "einem": "1",
    "einen": "1", "eins": "1", "one": "1", "zwei": "2", "two": "2", "drei": "3", "three": "3",
    "vier": "4", "four": "4", "fuenf": "5", "five": "5", "sechs": "6", "six": "6",
    "sieben": "7", "seven": "7", "acht": "8", "eight": "8", "neun": "9", "nine": "9",
    "zehn": "10", "ten": "10", "elf": "11", "eleven": "11", "zwoelf": "12", "twelve": "12",
    "hundert": "100", "hundred": "100", "tausend": "1000", "thousand": "1000",
}


def normalise_number(raw: str) -> str:
    """One spelling per number: thousands separators dropped, decimal comma as a point."""
    if _THOUSANDS.fullmatch(raw):
        return re.sub(r"\D", "", raw)
    value = raw.replace(",", ".")
    if "." in value:
        value = value.rstrip("0").rstrip(".")
    return value.lstrip("0") or "0"


# Spelled-out numbers an answer's claim is checked for: "one"/"ein" are left out, they
# are mostly articles ("one of the", "ein Besuch").
_CLAIMED_NUMBER_WORDS = frozenset(word for word, value in _NUMBER_WORDS.items() if value != "1")


def numbers_in(text: str, with_words: bool = False) -> set[str]:
    """The normalised numbers of a text; with_words adds spelled-out ones ("drei")."""
    found = {normalise_number(raw) for raw in _NUMBER.findall(text)}
    if with_words:
        found |= {_NUMBER_WORDS[w] for w in (fold(word) for word in words(text))
                  if w in _NUMBER_WORDS}
    return found


def claimed_numbers(text: str) -> set[str]:
    """The numbers an answer sentence states, digits or words ("three days" gives 3)."""
    found = {normalise_number(raw) for raw in _NUMBER.findall(text)}
    return found | {_NUMBER_WORDS[w] for w in (fold(word) for word in words(text))
                    if w in _CLAIMED_NUMBER_WORDS}


# --- names ------------------------------------------------------------------------------

# Same thing, different language: spelled differently enough that fuzzy matching misses.
_EXONYMS = (
    ("belarus", "weissrussland"), ("moscow", "moskau"), ("monday", "montag"),
    ("tuesday", "dienstag"), ("wednesday", "mittwoch"), ("thursday", "donnerstag"),
    ("friday", "freitag"), ("saturday", "samstag"), ("sunday", "sonntag"),
    ("march", "maerz"), ("may", "mai"), ("germany", "deutschland"),
    ("foundation", "stiftung"), ("house", "haus"), ("representatives", "repraesentantenhaus"),
    ("kremlin", "kreml"), ("europe", "europa"), ("america", "amerika"),
)
_GERMAN_NOUN_ENDINGS = ("ung", "heit", "keit", "schaft", "tion", "taet", "nis", "tum", "ismus",
                        "ment", "ei", "ie", "enz", "anz", "ur")
_STANCE_WORDS = frozenset({"yes", "no", "ja", "nein", "doch"})
_COMMON = frozenset(word.lower() for word in GERMAN_WORDS | ENGLISH_WORDS) | _STANCE_WORDS


def spelling_key(word: str) -> str:
    """A folded form in which common German/English/transliteration variants coincide."""
    key = fold(word)
    for old, new in (("tsch", "ch"), ("sch", "sh"), ("ck", "k"), ("ph", "f"), ("ue", "u"),
                     ("ae", "a"), ("oe", "o"), ("w", "v"), ("j", "y"), ("z", "s")):
        key = key.replace(old, new)
    return re.sub(r"c(?!h)", "k", key)


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance."""
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]


def same_name(a: str, b: str) -> bool:
    """True when two spellings plausibly name the same thing (Lukashenko ~ Lukaschenko)."""
    key_a, key_b = spelling_key(a), spelling_key(b)
    if key_a == key_b:
        return True
    shorter = min(len(key_a), len(key_b))
    common = next((i for i, (x, y) in enumerate(zip(key_a, key_b, strict=False))
                   if x != y), shorter)
    if common >= 4 and common >= 0.5 * shorter:
        return True
    if shorter < 4 or abs(len(key_a) - len(key_b)) > 2:
        return False
    return edit_distance(key_a, key_b) <= max(1, shorter // 4)


def _vocabulary(text: str) -> set[str]:
    found: set[str] = set()
    for word in words(text):
        found.add(word)
        found.update(part for part in re.split(r"[-']", word) if len(part) >= 3)
    return found


def name_supported(name: str, vocabulary: set[str]) -> bool:
    """True when `name` (or its other-language form) matches a word of the vocabulary."""
    key = fold(name)
    alternatives = [name] + [other for pair in _EXONYMS for this, other in (pair, pair[::-1])
                             if same_name(key, this)]
    return any(same_name(alt, word) for alt in alternatives for word in vocabulary)


def name_candidates(sentence: str, language: str, context: set[str] | None = None) -> list[str]:
    """Capitalised words that look like names, places or nationalities.

    The first word counts only when it matches a word of `context` (a name known from the
    evidence), since a capital there says nothing. In German, nouns are capitalised too:
    words with typical noun endings are left out.
    """
    found = []
    for position, word in enumerate(words(sentence)):
        word = re.sub(r"['’]s$", "", word)
        if not word[:1].isupper() or len(word) < 2 or word.lower() in _COMMON:
            continue
        if position == 0 and not (context and name_supported(word, context)):
            continue
        if language == "de" and fold(word).endswith(_GERMAN_NOUN_ENDINGS):
            continue
        found.append(word)
    return found


# --- negation ---------------------------------------------------------------------------

_NEGATIONS = _wordset(
    "no not never none nothing nobody neither nor without cannot deny denies denied denying "
    "refuse refuses refused reject rejects rejected dismiss dismisses dismissed little few "
    "hardly barely unlikely "
    "nein nicht kein keine keinen keinem keiner keines nie niemals nichts niemand weder ohne "
    "kaum wenig wenige bestritt bestritten bestreitet bestreiten dementiert dementierte "
    "lehnte lehnten lehnt abgelehnt ablehnen abtat abgetan")
_ENGLISH_AUXILIARIES = _wordset(
    "do does did is are was were will would can could has have had should shall may might must")
_ENGLISH_WH = _wordset("what who whom whose which when where why how")
# German yes/no questions start with the verb; every other question has a W-word early.
_GERMAN_WH = _wordset(
    "wer was wann wo wie warum wieso weshalb weswegen welche welcher welches welchen welchem "
    "wem wen wessen woher wohin womit wofuer worueber wozu worauf wovon woran wodurch wogegen "
    "inwiefern inwieweit")
_GERMAN_PREPOSITIONS = _wordset(
    "fuer in im mit nach von vom seit bei ueber unter auf an aus gegen um laut zu zum zur")


def is_negated(text: str) -> bool:
    """True when the text contains a negation (not, kein, bestritt, little, ...)."""
    for word in words(text):
        folded = fold(word)
        if folded in _NEGATIONS or folded.endswith(("n't", "n’t")):
            return True
    return False


def is_yes_no_question(question: str) -> bool:
    """True for questions that start with a verb ("Does ...?", "Tritt ...?").

    An English lead-in before a comma is skipped ("According to X, should ...?").
    """
    found = [fold(word) for word in words(question)]
    if not found:
        return False
    if detect_language(question, default="en") == "de":
        return found[0] not in _GERMAN_PREPOSITIONS and not any(
            word in _GERMAN_WH for word in found[:3])
    if found[0] in _ENGLISH_AUXILIARIES:
        return True
    head, _, rest = question.partition(",")
    after = [fold(word) for word in words(rest)]
    return bool(after) and after[0] in _ENGLISH_AUXILIARIES and not any(
        fold(word) in _ENGLISH_WH for word in words(head))


def stance_of(sentence: str) -> str | None:
    """'yes' or 'no' when the sentence opens with Yes/Ja or No/Nein; else None."""
    found = words(sentence)
    if not found:
        return None
    first = fold(found[0])
    if first in ("yes", "ja", "doch"):
        return "yes"
    if first in ("no", "nein"):
        return "no"
    return None


def _body(sentence: str) -> str:
    """The sentence without a Yes/No opening."""
    return re.sub(r"^\W*(yes|no|ja|nein|doch)\b\W*", "", sentence, flags=re.IGNORECASE)


def _without_stance(sentence: str) -> str:
    """A "No, ..." opening removed (it makes no sense for a wh-question), capital restored."""
    if stance_of(sentence) is None:
        return sentence
    body = _body(sentence)
    return body[:1].upper() + body[1:] if words(body) else sentence


def is_question(text: str) -> bool:
    """True when a sentence of the article is itself a question (it asserts nothing)."""
    return text.rstrip(" \"'“”»«)").endswith("?")


def repeats_question(question: str, sentence: str) -> bool:
    """True when a sentence adds no word to the question ("Why X?" -> "X [1]").

    Not for yes/no questions, where the verdict is the news, nor when the sentence
    negates what the question does not.
    """
    if is_yes_no_question(question) or is_negated(_body(sentence)) != is_negated(question):
        return False
    return not set(tokens(_body(sentence))) - set(tokens(question))


def _verdict_problems(question: str, first_sentence: str, anchors: Sequence[Evidence]
                      ) -> list[str]:
    """A yes/no answer's verdict ("Yes ..." or an unnegated first sentence) against the anchors.

    A "yes" is the dangerous direction: the model cited a related sentence while the
    article's most relevant one denies it ("bestritt ..., in den Krieg einzutreten").
    """
    stance = stance_of(first_sentence)
    verdict = stance or ("no" if is_negated(first_sentence) else "yes")
    if verdict != "yes":
        return []
    question_negated = is_negated(question)
    denying = [item for item in anchors
               if not is_question(item.text) and is_negated(item.text) != question_negated]
    if denying:
        return [f"says yes but the most relevant sentence says no: {denying[0].text[:60]!r}"]
    return []


# --- the verifier -----------------------------------------------------------------------


@dataclass(frozen=True)
class SentenceCheck:
    """The verdict on one answer sentence."""

    text: str  # as written, markers that refer to no given sentence removed
    cited: tuple[int, ...]  # numbers of the given sentences it cites (1-based)
    similarity: float
    problems: tuple[str, ...]
    moved_from: tuple[int, ...] = ()  # a "No" verdict moved here from these citations

    @property
    def supported(self) -> bool:
        """True when no check failed."""
        return not self.problems


@dataclass(frozen=True)
class Verification:
    """The checked answer: surviving sentences, renumbered citations, and the verdicts."""

    text: str
    citations: tuple[Citation, ...]
    checks: tuple[SentenceCheck, ...]
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when at least one supported, cited sentence survived."""
        return bool(self.citations)


def _cosine(a: Sequence[float], b: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0


_QUOTED = re.compile(r"[\"“„»«][^\"“”„»«]*[\"”“«»]")


class Verifier:
    """Keeps the answer sentences that their cited sentences support."""

    def __init__(self, embedder: Embedder, min_similarity: float = 0.5,
                 check_language: bool = True) -> None:
        if not -1.0 <= min_similarity <= 1.0:
            raise ValueError(f"min_similarity must be in [-1, 1]; got {min_similarity}")
        self.embedder = embedder
        self.min_similarity = min_similarity
        self.check_language = check_language

    def verify(self, question: str, language: str, answer: str,
               evidence: Sequence[Evidence], anchors: Sequence[Evidence] = ()
               ) -> Verification:
        """Check `answer` against `evidence` (the sentences numbered 1..n in the prompt).

        `anchors` are the sentences retrieval found most relevant (the extractive
        answer's): a "Yes" to a yes/no question is refused when any of them says no,
        whichever sentence the model chose to cite.
        """
        if self.check_language and answer.strip():
            found = detect_language(_QUOTED.sub(" ", without_markers(answer)), default=language)
            if found != language:
                return Verification("", (), (), (f"answer is in {found!r}, question in "
                                                  f"{language!r}",))
        sentences = split_sentences(answer)
        if not sentences:
            return Verification("", (), (), ("empty answer",))
        # A question in the article (a teaser, a heading) is not a claim and backs nothing.
        valid = {n for n in range(1, len(evidence) + 1) if not is_question(evidence[n - 1].text)}
        yes_no = is_yes_no_question(question)
        cleaned = [_renumber(s if yes_no else _without_stance(s), {n: n for n in valid})
                   for s in sentences]
        bodies = [without_markers(s) for s in cleaned]
        similarities = self._similarities(bodies, [item.text for item in evidence])
        context = set().union(*(_vocabulary(item.text) for item in evidence)) if evidence else set()
        checks = []
        for index, sentence in enumerate(cleaned):
            cited = tuple(dict.fromkeys(n for n in markers_of(sentence) if n in valid))
            similarity = max((similarities[index][n - 1] for n in cited), default=0.0)
            problems = self._problems(question, language, bodies[index], cited, similarity,
                                      evidence, context)
            check = SentenceCheck(sentence, cited, similarity, tuple(problems))
            if yes_no and index == 0:
                check = self._verdict_check(check, question, language, bodies[index],
                                            similarities[index], evidence, valid, context,
                                            anchors)
            checks.append(check)
        return self._assemble(checks, evidence)

    def _verdict_check(self, check: SentenceCheck, question: str, language: str, body: str,
                       similarities: list[float], evidence: Sequence[Evidence],
                       valid: set[int], context: set[str], anchors: Sequence[Evidence]
                       ) -> SentenceCheck:
        """The first sentence of a yes/no answer, checked against the anchors too.

        A "No" that cites a neighbour of the denial the retrieval ranked first is moved
        to that denial when it passes every check there (the 1.5B model answered
        "Nein, Belarus ... nicht in den Krieg eingetreten [1]" citing "Die Sorge: ...").
        A "Yes" is never moved: a "Yes" citing the wrong sentence is the known failure.
        """
        problems = list(check.problems) + _verdict_problems(question, body, anchors)
        if not problems or stance_of(body) != "no" or not check.cited:
            return replace(check, problems=tuple(problems))
        keys = {(item.doc_id, item.start): n for n, item in enumerate(evidence, start=1)}
        for anchor in anchors:
            n = keys.get((anchor.doc_id, anchor.start))
            if n is None or n not in valid or not is_negated(anchor.text):
                continue
            if not self._problems(question, language, body, (n,), similarities[n - 1],
                                  evidence, context):
                return SentenceCheck(_cite(body, n), (n,), similarities[n - 1], (),
                                     moved_from=check.cited)
        return replace(check, problems=tuple(problems))

    def _similarities(self, bodies: list[str], evidence: list[str]) -> list[list[float]]:
        if not bodies or not evidence:
            return [[0.0] * len(evidence) for _ in bodies]
        vectors = self.embedder.get_text_embedding_batch(bodies + evidence)
        answers, sources = vectors[:len(bodies)], vectors[len(bodies):]
        return [[_cosine(a, s) for s in sources] for a in answers]

    def _problems(self, question: str, language: str, body: str, cited: tuple[int, ...],
                  similarity: float, evidence: Sequence[Evidence], context: set[str]
                  ) -> list[str]:
        if not cited:
            return ["no citation"]
        if not words(body):
            return ["no text"]
        source = " ".join(evidence[n - 1].text for n in cited)
        where = ",".join(f"[{n}]" for n in cited)
        problems = []
        if similarity < self.min_similarity:
            problems.append(f"similarity {similarity:.2f} to {where} is under "
                            f"{self.min_similarity:.2f}")
        allowed = numbers_in(source, with_words=True)
        problems += [f"number {n} is not in {where}" for n in sorted(claimed_numbers(body))
                     if n not in allowed]
        vocabulary = _vocabulary(source) | _vocabulary(question)
        problems += [f"name {name!r} is not in {where} or the question"
                     for name in name_candidates(body, language, context)
                     if not name_supported(name, vocabulary)]
        problems += self._polarity_problems(question, body, source, where)
        if repeats_question(question, body):
            problems.append("only repeats the question")
        return problems

    @staticmethod
    def _polarity_problems(question: str, sentence: str, source: str, where: str) -> list[str]:
        problems = []
        source_negated = is_negated(source)
        stance = stance_of(sentence)
        if stance is not None and is_yes_no_question(question):
            expected = "no" if source_negated != is_negated(question) else "yes"
            if stance != expected:
                problems.append(f"says {stance!r} but {where} implies {expected!r}")
        if is_negated(_body(sentence)) != source_negated:
            problems.append(f"negation differs from {where}")
        return problems

    @staticmethod
    def _assemble(checks: list[SentenceCheck], evidence: Sequence[Evidence]) -> Verification:
        mapping: dict[int, int] = {}
        for check in checks:
            if check.supported:
                for n in check.cited:
                    mapping.setdefault(n, len(mapping) + 1)
        text = " ".join(_renumber(check.text, mapping) for check in checks if check.supported)
        citations = tuple(evidence[old - 1].citation(new) for old, new in mapping.items())
        return Verification(text, citations, tuple(checks))
