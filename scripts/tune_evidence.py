"""Tune sentence choice and refusal on the dev set, offline: how they were chosen.

Retrieval and sentence vectors are computed once per item (real EmbeddingGemma); every
policy is then scored in milliseconds. Prints citation precision/recall, refusals and
hit@1/MRR per policy. Usage (after set-up):

    .venv/bin/python scripts/tune_evidence.py [--questions eval/questions/dev.jsonl]

Never run it on the test set: that one is for the end.
"""

from __future__ import annotations

import argparse
import itertools
import math
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


@dataclass
class Row:
    """One evidence sentence of one item, with what the policies need."""

    start: int
    end: int
    chunk_id: str
    similarity: float
    window: float  # cosine with the sentence plus half of each neighbour in its chunk
    lexical: float  # BM25-style overlap of the (translated) question with the sentence
    coverage: float  # share of the question's terms (in German) the sentence holds
    window_coverage: float  # the same over the sentence and its neighbours
    passage: float
    rank: int
    gold: bool
    text: str


def main() -> int:
    from eval.metrics import gold_spans
    from eval.questions import load_questions
    from index.answer.followup import HeuristicRewriter
    from index.answer.refusal import expected_answer_kind, offers_answer_kind, unknown_names
    from index.settings import load_settings
    from index.text.language import detect_language
    from index.text.tokens import tokens
    from index.text.vectors import cosine
    from index.translate.terms import TermExtractor, coverage
    from index.types import Turn
    from index.wiring import build, dictionary_of

    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", default=str(ROOT / "eval/questions/dev.jsonl"))
    parser.add_argument("--dump", help="also write the per-item rows (pickle) here")
    args = parser.parse_args()
    items = load_questions(args.questions)
    with tempfile.TemporaryDirectory() as folder:
        settings = load_settings(chroma_path=Path(folder) / "chroma", corpus_dir=ROOT / "corpus")
        components = build(settings, with_llm=False)
        components.ingestor.ingest_folder(settings.corpus_dir)
        documents = components.store.documents()
        extractor = TermExtractor(dictionary_of(settings))
        rewriter = HeuristicRewriter()
        retriever = components.answerer.retriever
        data = []
        for item in items:
            history = [Turn("user", turn) for turn in item.history]
            question = rewriter.rewrite(item.question, history) if history else item.question
            retrieval = retriever.search(question, settings.top_k)
            rows = components.store.sentences_of([p.chunk_id for p in retrieval.passages])
            passages = {p.chunk_id: p for p in retrieval.passages}
            spans = gold_spans(item.evidence, documents) if item.answerable else []
            q_tokens = set(tokens(question))
            terms = extractor.terms(question, detect_language(question))
            by_chunk: dict[str, list] = {}
            for row in rows:
                by_chunk.setdefault(row.chunk_id, []).append(row)
            built = []
            kind = expected_answer_kind(item.question)
            for chunk_id, members in by_chunk.items():
                for index, row in enumerate(members):
                    neighbours = [
                        members[j].vector for j in (index - 1, index + 1) if 0 <= j < len(members)
                    ]
                    mixed = list(row.vector)
                    for vector in neighbours:
                        mixed = [a + 0.5 * b for a, b in zip(mixed, vector, strict=True)]
                    s = row.sentence
                    if not offers_answer_kind(kind, question, s.text):
                        continue
                    overlap = len(q_tokens & set(tokens(s.text)))
                    around = " ".join(
                        members[j].sentence.text
                        for j in (index - 1, index, index + 1)
                        if 0 <= j < len(members)
                    )
                    built.append(
                        Row(
                            s.start,
                            s.end,
                            chunk_id,
                            cosine(retrieval.query_vector, row.vector),
                            cosine(retrieval.query_vector, mixed),
                            overlap / math.sqrt(len(q_tokens) or 1),
                            coverage(terms, s.text),
                            coverage(terms, around),
                            passages[chunk_id].score,
                            passages[chunk_id].rank,
                            any(sp.start < s.end and s.start < sp.end for sp in spans),
                            s.text,
                        )
                    )
            names = bool(
                unknown_names(
                    item.question,
                    detect_language(item.question),
                    " ".join(p.text for p in retrieval.passages),
                )
            )
            data.append((item, built, names))

    if args.dump:
        import pickle

        Path(args.dump).write_bytes(pickle.dumps(data))

    def evaluate(
        weight: float,
        window: float,
        cover: float,
        wcover: float,
        threshold: float,
        low: float,
        enough: float,
        limit: int,
        margin: float,
        lift: float = 0.0,
    ) -> dict[str, float]:
        """Refuse under `low`; between `low` and `threshold` only when the sentence and its
        neighbours hold under `enough` of the question's terms; and when the best sentence
        stands less than `lift` above the mean cosine of the candidates. (The candidates
        are the sentences that offer the asked-for kind of value, so a lone candidate has
        no lift: tried and dropped, see the 2026-11-27 note; 0 turns it off.)"""
        cited = inside = covered = refused_good = refused_bad = 0
        answerable = sum(item.answerable for item, _, _ in data)
        unanswerable = len(data) - answerable

        def score(r: Row) -> float:
            return (
                (1 - weight) * ((1 - window) * r.similarity + window * r.window)
                + weight * r.passage
                + cover * r.coverage
                + wcover * r.window_coverage
            )

        for item, rows, names in data:
            scored = sorted(rows, key=lambda r: -score(r))
            best = scored[0] if scored else None
            mean = sum(r.similarity for r in rows) / len(rows) if rows else 0.0
            if (
                best is None
                or names
                or best.similarity < low
                or best.similarity - mean < lift
                or (best.similarity < threshold and best.window_coverage < enough)
            ):
                if item.answerable:
                    refused_good += 1
                else:
                    refused_bad += 1
                continue
            chosen = [best] + [
                r
                for r in scored[1:limit]
                if score(r) >= score(best) - margin and r.similarity >= low
            ]
            if item.answerable:
                cited += len(chosen)
                inside += sum(r.gold for r in chosen)
                covered += any(r.gold for r in chosen)
        return {
            "P": inside / max(cited, 1),
            "R": covered / max(answerable, 1),
            "refused_unanswerable": refused_bad / max(unanswerable, 1),
            "refused_answerable": refused_good / max(answerable, 1),
        }

    grid = itertools.product(
        (0.15, 0.3),
        (0.0, 0.3),
        (0.0, 0.05, 0.1, 0.2),
        (0.0, 0.05, 0.1),
        (0.41, 0.45, 0.5),
        (0.3, 0.35, 0.38),
        (0.0, 0.34, 0.5, 0.67),
        (1, 2),
        (0.0, 0.03),
    )
    results = []
    for params in grid:
        if params[-2] == 1 and params[-1]:
            continue
        scores = evaluate(*params)
        results.append(
            (
                scores["P"]
                + scores["R"]
                + scores["refused_unanswerable"]
                - 2 * scores["refused_answerable"],
                params,
                scores,
            )
        )
    results.sort(key=lambda r: -r[0])
    print(
        "weight window cover wcover threshold low enough limit margin -> P R "
        "refused(unans) refused(ans)"
    )
    for _, params, s in results[:30]:
        print(params, {k: round(v, 3) for k, v in s.items()})
    for lift in (0.0, 0.05, 0.08, 0.1):
        scores = evaluate(0.15, 0.3, 0.0, 0.0, 0.34, 0.34, 0.0, 1, 0.0, lift)
        print(
            f"threshold 0.34, window 0.3, one citation, lift {lift}:",
            {k: round(v, 3) for k, v in scores.items()},
        )
    before = evaluate(0.3, 0.0, 0.0, 0.0, 0.41, 0.41, 0.0, 2, 0.05)
    print(
        "settings before (passage 0.3, threshold 0.41, two citations):",
        {k: round(v, 3) for k, v in before.items()},
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
