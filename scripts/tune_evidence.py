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
    from index.types import Turn
    from index.wiring import build

    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", default=str(ROOT / "eval/questions/dev.jsonl"))
    args = parser.parse_args()
    items = load_questions(args.questions)
    with tempfile.TemporaryDirectory() as folder:
        settings = load_settings(chroma_path=Path(folder) / "chroma", corpus_dir=ROOT / "corpus")
        components = build(settings, with_llm=False)
        components.ingestor.ingest_folder(settings.corpus_dir)
        documents = components.store.documents()
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
            by_chunk: dict[str, list] = {}
            for row in rows:
                by_chunk.setdefault(row.chunk_id, []).append(row)
            built = []
            kind = expected_answer_kind(item.question)
            for chunk_id, members in by_chunk.items():
                for index, row in enumerate(members):
                    neighbours = [members[j].vector for j in (index - 1, index + 1)
                                  if 0 <= j < len(members)]
                    mixed = list(row.vector)
                    for vector in neighbours:
                        mixed = [a + 0.5 * b for a, b in zip(mixed, vector, strict=True)]
                    s = row.sentence
                    if not offers_answer_kind(kind, question, s.text):
                        continue
                    overlap = len(q_tokens & set(tokens(s.text)))
                    built.append(Row(
                        s.start, s.end, chunk_id, cosine(retrieval.query_vector, row.vector),
                        cosine(retrieval.query_vector, mixed),
                        overlap / math.sqrt(len(q_tokens) or 1),
                        passages[chunk_id].score, passages[chunk_id].rank,
                        any(sp.start < s.end and s.start < sp.end for sp in spans), s.text))
            names = bool(unknown_names(item.question, detect_language(item.question),
                                       " ".join(p.text for p in retrieval.passages)))
            data.append((item, built, names))

    def evaluate(weight: float, window: float, lexical: float, threshold: float,
                 limit: int, margin: float) -> dict[str, float]:
        cited = inside = covered = refused_good = refused_bad = 0
        answerable = sum(item.answerable for item, _, _ in data)
        unanswerable = len(data) - answerable
        for item, rows, names in data:
            scored = sorted(rows, key=lambda r: -(
                (1 - weight) * ((1 - window) * r.similarity + window * r.window)
                + weight * r.passage + lexical * r.lexical))
            if not scored or scored[0].similarity < threshold or names:
                if item.answerable:
                    refused_good += 1
                else:
                    refused_bad += 1
                continue
            best = scored[0]

            def score(r: Row) -> float:
                return ((1 - weight) * ((1 - window) * r.similarity + window * r.window)
                        + weight * r.passage + lexical * r.lexical)

            chosen = [best] + [r for r in scored[1:limit]
                               if score(r) >= score(best) - margin and r.similarity >= threshold]
            if item.answerable:
                cited += len(chosen)
                inside += sum(r.gold for r in chosen)
                covered += any(r.gold for r in chosen)
        return {"P": inside / max(cited, 1), "R": covered / max(answerable, 1),
                "refused_unanswerable": refused_bad / max(unanswerable, 1),
                "refused_answerable": refused_good / max(answerable, 1)}

    grid = itertools.product((0.0, 0.15, 0.3), (0.0, 0.3, 0.5), (0.0, 0.02, 0.05),
                             (0.38, 0.41), (1, 2), (0.0, 0.03, 0.05))
    results = []
    for weight, window, lexical, threshold, limit, margin in grid:
        if limit == 1 and margin:
            continue
        scores = evaluate(weight, window, lexical, threshold, limit, margin)
        results.append((scores["P"] + scores["R"] - scores["refused_answerable"],
                        (weight, window, lexical, threshold, limit, margin), scores))
    results.sort(key=lambda r: -r[0])
    print("weight window lexical threshold limit margin -> P R refused(unans) refused(ans)")
    for _, params, s in results[:25]:
        print(params, {k: round(v, 3) for k, v in s.items()})
    current = evaluate(0.3, 0.0, 0.0, 0.41, 2, 0.05)
    print("current settings:", {k: round(v, 3) for k, v in current.items()})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
