"""Sentence-level evidence: every sentence of the retrieved passages scored against the question,
and the choice of the sentences to cite.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np

from index.answer.organisations import asks_for_organisation, names_an_organisation
from index.answer.sources import may_speak_for, speaks_for
from index.answer.where import asks_for_place, names_a_new_place
from index.answer.who import Senses, asks_for_person, names_someone_new
from index.text.numbers import digits_in
from index.text.polarity import (
    is_negated,
    is_question,
    is_yes_no_question,
    without_framed_quotes,
)
from index.text.vectors import cosine_rows
from index.translate.terms import Term
from index.types import SECONDARY_KINDS, Evidence, Passage, Retrieval, StoredSentence


def window_vectors(vectors: np.ndarray, sentence_rows: Sequence[StoredSentence]) -> np.ndarray:
    """Each sentence's vector (row i of `vectors` is sentence i) plus half of each
    neighbour's in the same passage, as one matrix built with array shifts.

    A sentence like "Sie seien ... vereint" says little alone; with the sentence before
    it, which names its subject, it can match the question.
    """
    chunks = np.asarray([row.chunk_id for row in sentence_rows], dtype=object)
    same = chunks[1:] == chunks[:-1]  # same[i]: sentences i and i + 1 share a passage
    mixed = vectors.copy()
    mixed[1:] += 0.5 * vectors[:-1] * same[:, None]
    mixed[:-1] += 0.5 * vectors[1:] * same[:, None]
    return mixed


def score_evidence(
    retrieval: Retrieval,
    sentence_rows: Sequence[StoredSentence],
    passage_weight: float,
    window_weight: float = 0.0,
    secondary_penalty: float = 0.0,
    reader_similarities: Sequence[float] | None = None,
    clause_similarities: Sequence[float] | None = None,
    vector: Sequence[float] | None = None,
) -> list[Evidence]:
    """Every sentence of the retrieved passages, best first.

    score = (1 - passage_weight) * ((1 - window_weight) * cosine(question, sentence)
                                    + window_weight * cosine(question, sentence window))
            + passage_weight * fused score of the sentence's passage
            - secondary_penalty for a teaser's or a caption's sentence (SECONDARY_KINDS):
    the body's sentence that says the same in full goes first.
    `similarity` stays the sentence's own cosine, not its window's: refusal looks at the
    sentence alone. `reader_similarities` (row i for sentence i, NaN for none) are the
    question's cosines with the sentences' checked renderings in its language; a
    sentence's own cosine is then the higher of the two, in the score and in
    `similarity` (what a reader of the question's language is shown is as close).
    `clause_similarities` (NaN for none) are the question's cosines with each long
    sentence's closest clause (index.answer.clauses), taken the same way.
    `sentence_rows` come in article order within each passage (Store.sentences_of).
    `vector` is the question's vector to score with (None: the retrieval's query vector).
    """
    by_chunk: dict[str, Passage] = {p.chunk_id: p for p in retrieval.passages}
    query = retrieval.query_vector if vector is None else vector
    if not sentence_rows:
        return []
    vectors = np.asarray([row.vector for row in sentence_rows], dtype=np.float64)
    similarities = cosine_rows(query, vectors)
    if reader_similarities is not None:
        similarities = np.fmax(similarities, np.asarray(reader_similarities, dtype=np.float64))
    if clause_similarities is not None:
        similarities = np.fmax(similarities, np.asarray(clause_similarities, dtype=np.float64))
    closeness = similarities
    if window_weight:
        windowed = cosine_rows(query, window_vectors(vectors, sentence_rows))
        closeness = (1 - window_weight) * similarities + window_weight * windowed
    result = []
    for index, row in enumerate(sentence_rows):
        passage = by_chunk.get(row.chunk_id)
        if passage is None:
            continue
        sentence = row.sentence
        similarity = float(similarities[index])
        score = (1 - passage_weight) * float(closeness[index]) + passage_weight * passage.score
        if passage.kind in SECONDARY_KINDS:
            score -= secondary_penalty
        result.append(
            Evidence(
                doc_id=passage.doc_id,
                section=passage.section,
                start=sentence.start,
                end=sentence.end,
                text=sentence.text,
                similarity=similarity,
                score=score,
                passage_rank=passage.rank,
            )
        )
    return sorted(result, key=lambda item: (-item.score, item.doc_id, item.start))


def scored_as(ranked: Sequence[Evidence], as_answers: Sequence[Evidence]) -> list[Evidence]:
    """The sentences of `ranked`, each with its score in `as_answers` (the same sentences
    scored with another vector of the question), best first; each keeps its own
    `similarity`."""
    scores = {(item.doc_id, item.start): item.score for item in as_answers}
    rescored = [replace(item, score=scores[(item.doc_id, item.start)]) for item in ranked]
    return sorted(rescored, key=lambda item: (-item.score, item.doc_id, item.start))


def reranked(ranked: Sequence[Evidence], scores: Sequence[float], weight: float) -> list[Evidence]:
    """`ranked` with a reranker's `scores` of its first len(scores) sentences blended in
    (score = (1 - weight) * score + weight * reranker score; 0 for the rest), best
    first; each keeps its own `similarity`."""
    blended = [
        replace(
            item,
            score=(1 - weight) * item.score
            + weight * (scores[index] if index < len(scores) else 0.0),
        )
        for index, item in enumerate(ranked)
    ]
    return sorted(blended, key=lambda item: (-item.score, item.doc_id, item.start))


def in_order_of(items: Sequence[Evidence], order: Sequence[Evidence]) -> list[Evidence]:
    """`items` in the order their sentences have in `order` (the same sentences)."""
    position = {(item.doc_id, item.start): index for index, item in enumerate(order)}
    return sorted(items, key=lambda item: position[(item.doc_id, item.start)])


def choose_evidence(
    ranked: Sequence[Evidence],
    threshold: float,
    limit: int,
    margin: float,
) -> list[Evidence]:
    """The sentences to cite: the best one if it clears the threshold, plus close runners-up.

    Returns [] (abstain) when the best sentence's cosine similarity is under `threshold`.
    """
    if not ranked or ranked[0].similarity < threshold:
        return []
    best = ranked[0]
    chosen = [best]
    for item in ranked[1:]:
        if len(chosen) >= limit:
            break
        if item.score >= best.score - margin and item.similarity >= threshold:
            chosen.append(item)
    return chosen  # best first: [1] is the sentence that answers most directly


# A sentence under the cosine threshold is still cited when it alone holds a number the
# question names ("Was zeigte die Bevölkerung 2020?": "Sie habe bei den Protesten 2020
# klar gezeigt, ...", cosine 0.25 for a short question whose subject is a pronoun
# there), it is at least this close, and it leads the next sentence by `NUMBER_LEAD`.
NUMBER_FLOOR = 0.2
NUMBER_LEAD = 0.05


def anchored_by_number(question: str, ranked: Sequence[Evidence]) -> list[Evidence]:
    """[the best sentence] when a number of the question singles it out (see NUMBER_FLOOR);
    else []."""
    if not ranked or ranked[0].similarity < NUMBER_FLOOR:
        return []
    best, rest = ranked[0], ranked[1:]
    shared = digits_in(question) & digits_in(best.text)
    if not shared or any(shared & digits_in(item.text) for item in rest):
        return []
    if rest and best.score - rest[0].score < NUMBER_LEAD:
        return []
    return [best]


# A "how many" / "when" / "how long" question's best sentence under the cosine threshold
# is still cited when it is the best of all the scored sentences and holds the kind of
# value asked for ("How big could the combined force be?": "Die Kampftruppe könnten bis
# zu 9000 russische Soldaten angehören.", cosine 0.335), at least this close.
KIND_FLOOR = 0.3


def anchored_by_kind(
    kind: str, offering: Sequence[Evidence], ranked: Sequence[Evidence]
) -> list[Evidence]:
    """[the best sentence] when the question asks for a kind of value (`kind`), the best
    of every scored sentence (`ranked`) is also the best that offers one (`offering`),
    and it is at least KIND_FLOOR close; else []."""
    if not kind or not offering or not ranked or offering[0].similarity < KIND_FLOOR:
        return []
    best = offering[0]
    if (best.doc_id, best.start) != (ranked[0].doc_id, ranked[0].start):
        return []
    return [best]


def _denies(text: str) -> bool:
    """A negation of the sentence's own, not of a statement it quotes as evidence."""
    return is_negated(without_framed_quotes(text))


def prefer_denial(question: str, ranked: Sequence[Evidence], margin: float) -> list[Evidence]:
    """For a yes/no question: a sentence whose polarity differs from the question's,
    scored within `margin` of the best, goes first.

    A sentence that denies what is asked ("... bestritt ..., in den Krieg einzutreten")
    answers a yes/no question; one that shares its words without taking a side ("Die
    Sorge: Putin könne Belarus dazu drängen, in den Krieg einzutreten.") only echoes it.
    """
    if not ranked or not is_yes_no_question(question):
        return list(ranked)
    asked = is_negated(question)
    if _denies(ranked[0].text) != asked:
        return list(ranked)
    for index, item in enumerate(ranked[1:], start=1):
        if item.score < ranked[0].score - margin:
            break
        if _denies(item.text) != asked and not is_question(item.text):
            return [item, *ranked[:index], *ranked[index + 1 :]]
    return list(ranked)


def prefer_person(
    question: str, ranked: Sequence[Evidence], margin: float, senses: Senses | None
) -> list[Evidence]:
    """For a question that asks for a person ("Who received Putin?"): when the best
    sentence names nobody the question does not, a sentence scored within `margin` of
    it that does goes first.

    "Es war eine Reise ...: Am Montag (19.) traf sich Kreml-Chef Wladimir Putin ..."
    shares the question's words; "Er wurde von dem belarussischen Machthaber Alexander
    Lukaschenko ... empfangen", the sentence after it, names who received him. Names are
    told with the dictionary (`senses`); without it the order stays.
    """
    if not ranked or senses is None or not asks_for_person(question):
        return list(ranked)
    return _first_that(ranked, margin, lambda item: names_someone_new(question, item.text, senses))


def prefer_place(
    question: str, ranked: Sequence[Evidence], margin: float, senses: Senses | None
) -> list[Evidence]:
    """For a question that asks for a place ("Where did they meet before?"): when the best
    sentence names no place the question does not, a sentence scored within `margin` of
    it that does goes first (index.answer.where; without the dictionary the order stays).
    """
    if not ranked or senses is None or not asks_for_place(question):
        return list(ranked)
    return _first_that(ranked, margin, lambda item: names_a_new_place(question, item.text, senses))


def prefer_organisation(question: str, ranked: Sequence[Evidence], margin: float) -> list[Evidence]:
    """For a question that asks for an organisation ("Für welche Organisation arbeitet
    die Expertin?"): when the best sentence names none the question does not, a
    sentence scored within `margin` of it that does goes first (index.answer.organisations).
    """
    if not ranked or not asks_for_organisation(question):
        return list(ranked)
    return _first_that(ranked, margin, lambda item: names_an_organisation(question, item.text))


def prefer_source(
    source: Sequence[Term],
    ranked: Sequence[Evidence],
    margin: float,
    passages: Sequence[Passage] = (),
) -> list[Evidence]:
    """For a question that names whose statement it asks for ("..., according to the
    expert?"; `source`, its words in the article's language): when the best sentence
    cannot be that source's (it neither names it nor reports speech), a sentence scored
    within `margin` of it that is the source's goes first (index.answer.sources;
    `passages`, the retrieved ones, tell who a report is by)."""
    if not ranked or not source or may_speak_for(source, ranked[0].text):
        return list(ranked)
    texts = {passage.rank: passage.text for passage in passages}

    def speaks(item: Evidence) -> bool:
        context = f"{item.section}\n{texts.get(item.passage_rank, '')}"
        return speaks_for(source, item.text, context)

    return _first_that(ranked, margin, speaks)


def _first_that(
    ranked: Sequence[Evidence], margin: float, answers: Callable[[Evidence], bool]
) -> list[Evidence]:
    """`ranked` with the first sentence that `answers`, scored within `margin` of the
    best, moved first; unchanged when the best answers or none close to it does."""
    if answers(ranked[0]):
        return list(ranked)
    for index, item in enumerate(ranked[1:], start=1):
        if item.score < ranked[0].score - margin:
            break
        if answers(item):
            return [item, *ranked[:index], *ranked[index + 1 :]]
    return list(ranked)
