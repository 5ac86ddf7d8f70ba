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
- adjectives: a noun the cited text qualifies with one nation's adjective is not given
  another's ("Russian parliament" for "Belarusian parliament": index.text.attributes);
- untranslated words: an English answer keeps no German word of its source outside
  quotation marks ("the Sanktionen feindlicher Staaten"; with the dictionary);
- negation: the answer and the cited text agree in polarity, and a "Yes"/"No" opening
  agrees with what the cited text says ("bestritt ... einzutreten" means "No"); a "Yes"
  to a question without a negation is not shown at all (as in extractive answers).

Unsupported sentences are dropped and the surviving citations renumbered 1..n. The
answer as a whole must be in the question's language. Everything here is pure except
the embedder call, which is passed in.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from index.retrieve.analyzers import analyze
from index.text.attributes import swapped_adjectives
from index.text.language import detect_language
from index.text.markers import cite, find_markers, markers_of, renumber, without_markers
from index.text.names import name_candidates, name_supported, vocabulary
from index.text.numbers import claimed_numbers, named_counts, numbers_in
from index.text.polarity import (
    asks_about_opposing,
    body_of,
    is_negated,
    is_question,
    is_yes_no_question,
    stance_of,
    without_stance,
)
from index.text.sentences import split_sentences
from index.text.tokens import tokens, words
from index.text.vectors import cosine_matrix
from index.types import Citation, Embedder, Evidence


def repeats_question(question: str, sentence: str) -> bool:
    """True when a sentence adds no word to the question ("Why X?" -> "X [1]").

    Not for yes/no questions, where the verdict is the news, nor when the sentence
    negates what the question does not.
    """
    if is_yes_no_question(question) or is_negated(body_of(sentence)) != is_negated(question):
        return False
    return not set(tokens(body_of(sentence))) - set(tokens(question))


# Content words an answer sentence must share with a given sentence it does not cite,
# beyond the question's and its cited sentences' words, to show it drew on it.
USED_WORDS = 2


def _content(text: str, language: str) -> set[str]:
    """A text's content words as BM25 reads them in `language` (stemmed, no function
    words), but for the shortest ones."""
    return {token for token in analyze(text, language) if len(token) > 2}


def used_uncited(
    question: str, language: str, body: str, cited: Sequence[str], uncited: Sequence[str]
) -> list[int]:
    """The positions in `uncited` of given sentences an answer sentence drew on without
    citing them: it shares USED_WORDS content words or more with one that neither the
    question nor its cited sentences hold ("... and then deciding to share the position
    [1]" citing the joke, where "Then they decided to share the position." was given)."""
    own = _content(body, language) - _content(question, language)
    own -= set().union(*(_content(text, language) for text in cited))
    return [
        position
        for position, text in enumerate(uncited)
        if len(own & _content(text, language)) >= USED_WORDS
    ]


def _verdict_problems(question: str, first_sentence: str, anchors: Sequence[Evidence]) -> list[str]:
    """A yes/no answer's verdict ("Yes ..." or an unnegated first sentence) against the anchors.

    A "yes" is the dangerous direction: the model cited a related sentence while the
    article's most relevant one denies it ("bestritt ..., in den Krieg einzutreten").
    """
    stance = stance_of(first_sentence)
    verdict = stance or ("no" if is_negated(first_sentence) else "yes")
    if verdict != "yes":
        return []
    question_negated = is_negated(question)
    if stance == "yes" and not question_negated:
        # The extractive answer never derives a "yes" either: a "Yes" to an unnegated
        # question rests on a sentence that shares the question's topic, and the 1.5B model
        # said it to sentences that do not back it ("Ja, Lisa Gürth ist die Leiterin ..."
        # against "stellvertretende Leiterin"; "Yes, the law has already been used").
        # "Did Minsk deny ...?" -> "Yes, ..." rests on the source's negation: checked.
        return ["says yes to a question that no sentence negates: a yes is not shown"]
    denying = [
        item
        for item in anchors
        if not is_question(item.text) and is_negated(item.text) != question_negated
    ]
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
    moved_from: tuple[int, ...] = ()  # the citation was moved here from these (a restated
    # sentence, or a "No" verdict to the denial)

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


_QUOTED = re.compile(r"[\"“„»«][^\"“”„»«]*[\"”“«»]")


class Verifier:
    """Keeps the answer sentences that their cited sentences support."""

    def __init__(
        self,
        embedder: Embedder,
        min_similarity: float = 0.5,
        check_language: bool = True,
        move_margin: float = 0.15,
        german_word: Callable[[str], bool] | None = None,
    ) -> None:
        if not -1.0 <= min_similarity <= 1.0:
            raise ValueError(f"min_similarity must be in [-1, 1]; got {min_similarity}")
        if not 0.0 <= move_margin <= 2.0:
            raise ValueError(f"move_margin must be in [0, 2]; got {move_margin}")
        self.embedder = embedder
        self.min_similarity = min_similarity
        self.check_language = check_language
        # True for a German word that is no English word (the dictionary's "Sanktionen",
        # "feindlicher"): copied from a German source into an English answer, it is left
        # untranslated. None: no such check.
        self.german_word = german_word
        # how much closer another given sentence must be for a citation to move there
        self.move_margin = move_margin

    def verify(
        self,
        question: str,
        language: str,
        answer: str,
        evidence: Sequence[Evidence],
        anchors: Sequence[Evidence] = (),
    ) -> Verification:
        """Check `answer` against `evidence` (the sentences numbered 1..n in the prompt).

        `anchors` are the sentences retrieval found most relevant (the extractive
        answer's): a "Yes" to a yes/no question is refused when any of them says no,
        whichever sentence the model chose to cite.
        """
        if self.check_language and answer.strip():
            found = detect_language(_QUOTED.sub(" ", without_markers(answer)))
            if found != language:
                return Verification(
                    "", (), (), (f"answer is in {found!r}, question in {language!r}",)
                )
        sentences = split_sentences(answer)
        if not sentences:
            return Verification("", (), (), ("empty answer",))
        # A question in the article (a teaser, a heading) is not a claim and backs nothing.
        valid = {n for n in range(1, len(evidence) + 1) if not is_question(evidence[n - 1].text)}
        yes_no = is_yes_no_question(question)
        cleaned = [
            renumber(s if yes_no else without_stance(s), {n: n for n in valid}) for s in sentences
        ]
        bodies = [without_markers(s) for s in cleaned]
        similarities = self._similarities(bodies, [item.text for item in evidence])
        context = set().union(*(vocabulary(item.text) for item in evidence)) if evidence else set()
        checks = []
        for index, sentence in enumerate(cleaned):
            cited = tuple(dict.fromkeys(n for n in markers_of(sentence) if n in valid))
            similarity = max((similarities[index][n - 1] for n in cited), default=0.0)
            problems = self._problems(
                question, language, bodies[index], cited, similarity, evidence, context
            )
            check = SentenceCheck(sentence, cited, similarity, tuple(problems))
            check = self._closer_source(
                check,
                question,
                language,
                bodies[index],
                similarities[index],
                evidence,
                valid,
                context,
            )
            if yes_no and index == 0:
                check = self._verdict_check(
                    check,
                    question,
                    language,
                    bodies[index],
                    similarities[index],
                    evidence,
                    valid,
                    context,
                    anchors,
                )
            if check.supported:
                check = self._cite_used(check, question, language, bodies[index], evidence, valid)
            checks.append(check)
        return self._assemble(checks, evidence)

    @staticmethod
    def _cite_used(
        check: SentenceCheck,
        question: str,
        language: str,
        body: str,
        evidence: Sequence[Evidence],
        valid: set[int],
    ) -> SentenceCheck:
        """A supported sentence that also drew on given sentences it does not cite
        (`used_uncited`) cites them too: what a reader is shown is proved where it
        came from."""
        others = sorted(valid - set(check.cited))
        found = used_uncited(
            question,
            language,
            body,
            [evidence[n - 1].text for n in check.cited],
            [evidence[n - 1].text for n in others],
        )
        if not found:
            return check
        added = [others[position] for position in found]
        last = list(find_markers(check.text))[-1]  # a supported sentence cites
        marks = "".join(f"[{n}]" for n in added)
        text = f"{check.text[: last.end]}{marks}{check.text[last.end :]}"
        return replace(check, text=text, cited=(*check.cited, *added))

    def _closer_source(
        self,
        check: SentenceCheck,
        question: str,
        language: str,
        body: str,
        similarities: list[float],
        evidence: Sequence[Evidence],
        valid: set[int],
        context: set[str],
    ) -> SentenceCheck:
        """A sentence that cites one given sentence but restates another (closer to it by
        `move_margin`) is cited to that one when it passes every check there, and is
        dropped otherwise: the 1.5B model copies sentence [2] and writes "[1]", and a
        wrong citation that shares the topic words can pass the checks where it points.
        """
        if len(check.cited) != 1:
            return check
        best = max(valid, key=lambda n: similarities[n - 1], default=None)
        if best is None or best in check.cited:
            return check
        if similarities[best - 1] - check.similarity < self.move_margin:
            return check
        problems = self._problems(
            question, language, body, (best,), similarities[best - 1], evidence, context
        )
        if problems:
            return replace(
                check,
                problems=(*check.problems, f"restates [{best}] rather than [{check.cited[0]}]"),
            )
        return SentenceCheck(
            cite(body, best), (best,), similarities[best - 1], (), moved_from=check.cited
        )

    def _verdict_check(
        self,
        check: SentenceCheck,
        question: str,
        language: str,
        body: str,
        similarities: list[float],
        evidence: Sequence[Evidence],
        valid: set[int],
        context: set[str],
        anchors: Sequence[Evidence],
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
            if not self._problems(
                question, language, body, (n,), similarities[n - 1], evidence, context
            ):
                return SentenceCheck(
                    cite(body, n), (n,), similarities[n - 1], (), moved_from=check.cited
                )
        return replace(check, problems=tuple(problems))

    def _similarities(self, bodies: list[str], evidence: list[str]) -> list[list[float]]:
        if not bodies or not evidence:
            return [[0.0] * len(evidence) for _ in bodies]
        vectors = self.embedder.get_text_embedding_batch(bodies + evidence)
        answers, sources = vectors[: len(bodies)], vectors[len(bodies) :]
        return cosine_matrix(answers, sources)

    def _problems(
        self,
        question: str,
        language: str,
        body: str,
        cited: tuple[int, ...],
        similarity: float,
        evidence: Sequence[Evidence],
        context: set[str],
    ) -> list[str]:
        if not cited:
            return ["no citation"]
        if not words(body):
            return ["no text"]
        source = " ".join(evidence[n - 1].text for n in cited)
        where = ",".join(f"[{n}]" for n in cited)
        problems = []
        if similarity < self.min_similarity:
            problems.append(
                f"similarity {similarity:.2f} to {where} is under {self.min_similarity:.2f}"
            )
        allowed = numbers_in(source, with_words=True)
        if not is_yes_no_question(question):
            # "Where did the two leaders meet?" -> "The two leaders met in ..." restates
            # what the question takes as given; a yes/no question's count is the claim
            allowed |= {number for number, noun in named_counts(body) & named_counts(question)}
        problems += [
            f"number {n} is not in {where}"
            for n in sorted(claimed_numbers(body))
            if n not in allowed
        ]
        known = vocabulary(source) | vocabulary(question)
        problems += [
            f"name {name!r} is not in {where} or the question"
            for name in name_candidates(body, language, context)
            if not name_supported(name, known)
        ]
        problems += [
            f"{adjective!r} {noun!r}-phrase where {where} says {other!r}"
            for adjective, noun, other in swapped_adjectives(body, source, language)
        ]
        problems += [
            f"German word {word!r} of {where} left in an English answer"
            for word in self._untranslated(language, body, source)
        ]
        problems += self._polarity_problems(question, body, source, where)
        if repeats_question(question, body):
            problems.append("only repeats the question")
        return problems

    def _untranslated(self, language: str, body: str, source: str) -> list[str]:
        """Words of an English answer sentence, outside quotation marks, copied from the
        source that are German and not English ("... imposed on the Sanktionen feindlicher
        Staaten"): the model left them untranslated. Names are no dictionary words."""
        if language != "en" or self.german_word is None:
            return []
        in_source = set(words(source))
        return [
            word
            for word in dict.fromkeys(words(_QUOTED.sub(" ", body)))
            if len(word) >= 4 and word in in_source and self.german_word(word)
        ]

    @staticmethod
    def _polarity_problems(question: str, sentence: str, source: str, where: str) -> list[str]:
        problems = []
        source_negated = is_negated(source)
        stance = stance_of(sentence)
        if stance is not None and is_yes_no_question(question):
            expected = "no" if source_negated != is_negated(question) else "yes"
            if asks_about_opposing(question):
                # "Is the population against his course?" -> "No, ... not against ..." from
                # "nicht unterstützt": a denial means "yes" here; polarity cannot tell
                problems.append(f"says {stance!r} to a question about opposing")
            elif stance != expected:
                problems.append(f"says {stance!r} but {where} implies {expected!r}")
        if is_negated(body_of(sentence)) != source_negated:
            problems.append(f"negation differs from {where}")
        return problems

    @staticmethod
    def _assemble(checks: list[SentenceCheck], evidence: Sequence[Evidence]) -> Verification:
        mapping: dict[int, int] = {}
        for check in checks:
            if check.supported:
                for n in check.cited:
                    mapping.setdefault(n, len(mapping) + 1)
        text = " ".join(renumber(check.text, mapping) for check in checks if check.supported)
        citations = tuple(evidence[old - 1].citation(new) for old, new in mapping.items())
        return Verification(text, citations, tuple(checks))
