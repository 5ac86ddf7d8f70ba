"""Tune retrieval fusion, sentence scoring and the refusal threshold on the DEV set only.

Loads the real embedding model once, ingests corpus/ into a throw-away Chroma, then
prints retrieval figures for each fusion set-up and the abstention trade-off for a
range of thresholds. Usage:

    .venv/bin/python scripts/tune.py [--questions eval/questions/dev.jsonl]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    from eval.metrics import first_hit_rank, gold_spans, hit_at_k, mean_reciprocal_rank
    from eval.questions import load_questions
    from index.answer.evidence import score_evidence
    from index.answer.followup import HeuristicRewriter
    from index.retrieve.hybrid import FusionWeights, HybridRetriever
    from index.settings import load_settings
    from index.types import Turn
    from index.wiring import build

    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", default=str(ROOT / "eval/questions/dev.jsonl"))
    parser.add_argument("--part", choices=["fusion", "evidence", "all"], default="all")
    args = parser.parse_args()
    items = load_questions(args.questions)
    with tempfile.TemporaryDirectory() as folder:
        settings = load_settings(chroma_path=Path(folder) / "chroma", corpus_dir=ROOT / "corpus")
        components = build(settings)
        components.ingestor.ingest_folder(settings.corpus_dir)
        documents = components.store.documents()
        rewriter = HeuristicRewriter()

        def standalone(item) -> str:  # type: ignore[no-untyped-def]
            history = [Turn("user", turn) for turn in item.history]
            return rewriter.rewrite(item.question, history) if history else item.question

        print("fusion (same-language BM25 weight / cross-language weight):")
        grid = [(0.0, 0.0), (0.2, 0.0), (0.3, 0.0), (0.5, 0.0), (0.3, 0.1), (0.3, 0.2)]
        fusions = [] if args.part == "evidence" else grid
        for same, cross in fusions:
            retriever = HybridRetriever(
                components.store,
                components.embedder,
                candidates=settings.candidates,
                weights=FusionWeights(same, cross),
            )
            ranks = []
            for item in items:
                if not item.answerable:
                    continue
                passages = [p.to_json() for p in retriever.search(standalone(item), 5).passages]
                ranks.append(first_hit_rank(passages, gold_spans(item.evidence, documents)))
            print(
                f"  bm25 {same:.1f}/{cross:.1f}: hit@1 {hit_at_k(ranks, 1):.3f} "
                f"hit@5 {hit_at_k(ranks, 5):.3f} MRR {mean_reciprocal_rank(ranks):.3f}"
            )

        retriever = components.answerer.retriever
        best: list[tuple[float, bool, bool]] = []  # (best cosine, answerable, top is gold)
        for weight in () if args.part == "fusion" else (0.0, 0.3, 0.5):
            gold_top = 0
            for item in items:
                retrieval = retriever.search(standalone(item), settings.top_k)
                rows = components.store.sentences_of([p.chunk_id for p in retrieval.passages])
                ranked = score_evidence(retrieval, rows, weight)
                spans = gold_spans(item.evidence, documents) if item.answerable else []
                top = ranked[0]
                is_gold = any(
                    s.doc_id == top.doc_id and top.start < s.end and s.start < top.end
                    for s in spans
                )
                gold_top += is_gold
                if weight == settings.passage_weight:
                    best.append((max(e.similarity for e in ranked), item.answerable, is_gold))
            answerable = sum(item.answerable for item in items)
            print(
                f"passage_weight {weight}: top sentence is gold for {gold_top}/{answerable}",
                flush=True,
            )

        print("\nrefusal threshold on the best sentence cosine:")
        for threshold in [x / 100 for x in range(20, 62, 2)]:
            refused_bad = sum(1 for s, ok, _ in best if not ok and s < threshold)
            refused_good = sum(1 for s, ok, _ in best if ok and s < threshold)
            print(
                f"  {threshold:.2f}: refuses {refused_bad}/{sum(not ok for _, ok, _ in best)} "
                f"unanswerable, {refused_good}/{sum(ok for _, ok, _ in best)} answerable"
            )
        for score, ok, _ in sorted(best):
            print(f"    {score:.3f} {'answerable' if ok else 'UNANSWERABLE'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
