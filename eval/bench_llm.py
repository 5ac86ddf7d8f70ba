"""How fast the installed llama.cpp build runs the LLM: prompt reading, generation, an answer.

    python -m eval.bench_llm [--rounds 3] [--json FILE]

Prints the instruction sets the build uses (llama.cpp's system info), then, as medians
over rounds: prompt reading (tokens/s, a 300-token slice of the article read cold),
generation (tokens/s, 64 tokens greedy after it) and one answer as the generative mode
asks for it (the English answer prompt, its constant system prompt already read, three
article sentences and a question): first token and total seconds.

To compare two builds, run it once per build, e.g. with a second wheel installed into
a folder that is put first on PYTHONPATH (BENCHMARKS.md, session 17).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
QUESTION = "Does Belarus enter the war?"


def _article() -> tuple[str, list[str]]:
    """The first article's text and its first sentences of body text."""
    from index.ingest.corpus import read_corpus
    from index.text.sentences import split_sentences

    articles, _ = read_corpus(ROOT / "corpus")
    text = articles[0].text
    sentences = [s for s in split_sentences(text) if len(s.split()) >= 8]
    return text, sentences


def _answer_prompt(sentences: list[str]) -> tuple[str, str, str]:
    """System message, user message, and the user message the product primes with."""
    from index.prompts import Prompts

    prompts = Prompts()
    lines = "\n".join(
        prompts.render("evidence_line", "en", n=n, text=" ".join(text.split()))
        for n, text in enumerate(sentences[:3], start=1)
    )
    system = prompts.render("answer_system", "en").strip()
    user = prompts.render("answer_user", "en", evidence=lines, question=QUESTION).strip()
    primer = prompts.render("answer_user", "en", evidence="", question="?").strip()
    return system, user, primer


def _one_round(
    llama: Any, article: str, system: str, user: str, primer: str
) -> tuple[dict[str, float], str]:
    tokens = llama.tokenize(article.encode("utf-8"))[:300]
    llama.reset()
    start = time.perf_counter()
    llama.eval(tokens)
    read = time.perf_counter() - start
    start = time.perf_counter()
    made = 0
    for _ in llama.generate(tokens, temp=0.0, reset=False):
        made += 1
        if made == 64:
            break
    generated = time.perf_counter() - start
    # the system prompt read before, as the product primes it (and saves the state)
    primed = [{"role": "system", "content": system}, {"role": "user", "content": primer}]
    for _ in llama.create_chat_completion(messages=primed, stream=True, max_tokens=1):
        pass
    messages = [{"role": "system", "content": system}, {"role": "user", "content": user}]
    start = time.perf_counter()
    first, text = 0.0, ""
    for chunk in llama.create_chat_completion(
        messages=messages, stream=True, temperature=0.0, max_tokens=60
    ):
        delta = chunk["choices"][0]["delta"].get("content") or ""
        if delta and not first:
            first = time.perf_counter() - start
        text += delta
    answer = time.perf_counter() - start
    return {
        "prompt_tokens_per_s": len(tokens) / read,
        "generate_tokens_per_s": made / generated,
        "answer_first_token_s": first,
        "answer_total_s": answer,
    }, text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.bench_llm", description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error("--rounds must be 1 or more")

    import llama_cpp

    from index.errors import ModelError
    from index.llm.llamacpp import load_llama
    from index.settings import load_settings
    from index.wiring import default_llm_path

    settings = load_settings()
    path = default_llm_path(settings)
    system_info = llama_cpp.llama_print_system_info().decode().strip()
    print(f"llama-cpp-python {llama_cpp.__version__}: {system_info}")
    # the product's own loader: the same context, threads, batch and prompt-state cache
    # (no saved states read: each round primes its own system prompt)
    try:
        llama = load_llama(
            path, settings.llm_context, settings.llm_threads, settings.llm_cached_prompts
        )
    except ModelError as error:  # missing or damaged weights: one line, not a trace
        parser.error(str(error))
    article, sentences = _article()
    system, user, primer = _answer_prompt(sentences)
    rounds = []
    for number in range(args.rounds):
        figures, answer = _one_round(llama, article, system, user, primer)
        rounds.append(figures)
        print(f"round {number + 1}: " + ", ".join(f"{k} {v:.2f}" for k, v in figures.items()))
        print(f"  {QUESTION} -> {answer.strip()!r}")
    medians = {key: round(statistics.median(r[key] for r in rounds), 2) for key in rounds[0]}
    print(
        f"median of {args.rounds}: prompt {medians['prompt_tokens_per_s']} tokens/s, "
        f"generation {medians['generate_tokens_per_s']} tokens/s, answer first token "
        f"{medians['answer_first_token_s']} s, answer {medians['answer_total_s']} s "
        f"({settings.llm_threads} threads)"
    )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(
                {
                    "system_info": system_info,
                    "threads": settings.llm_threads,
                    "rounds": rounds,
                    "median": medians,
                },
                indent=2,
            )
            + "\n",
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
