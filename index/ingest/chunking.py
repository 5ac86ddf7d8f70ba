"""Sentences and chunks with exact character offsets.

German is split with the German Punkt model that llama-index ships in its bundled
NLTK cache (the untrained default cuts after "Dr." and dates such as "den 1.").
Chunks follow the article's structure: one paragraph (or the teaser bullets) per
chunk, split at sentence boundaries where it exceeds the token budget measured with
the embedding model's own tokenizer. Every value keeps `source[start:end] == text`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from index.ingest.corpus import blocks
from index.types import Article, Block, Chunk, Sentence

CHUNKER_VERSION = "1"
TokenCounter = Callable[[str], int]


class SentenceSplitter(Protocol):
    """Returns (start, end) spans of the sentences of a text."""

    def spans(self, text: str) -> list[tuple[int, int]]: ...


def _nltk_static_dir() -> Path:
    import llama_index.core

    return Path(llama_index.core.__file__).parent / "_static" / "nltk_cache"


class PunktSplitter:
    """NLTK Punkt with a trained language model, loaded from llama-index's bundled cache."""

    def __init__(self, language: str = "german") -> None:
        from nltk.tokenize.punkt import PunktTokenizer

        static = _nltk_static_dir()
        model_dir = static / "tokenizers" / "punkt_tab" / language
        if not model_dir.is_dir():
            raise FileNotFoundError(f"Punkt model for {language!r} not found at {model_dir}")
        import nltk

        if str(static) not in nltk.data.path:
            nltk.data.path.append(str(static))
        self._tokenizer = PunktTokenizer(language)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Sentence spans of `text`, with Punkt's false breaks after dates mended."""
        return merge_false_breaks(text, list(self._tokenizer.span_tokenize(text)))


# Punkt (even the German model) still breaks after day numbers and ordinals:
# "Am Montag (19.) traf ...", "für den 1. Bauabschnitt".
_ORDINAL_END = re.compile(
    r"(?:\(|\b(?:den|dem|am|der|die|das|des|zum|zur|vom|im|ab|bis|seit|vor|nach)\s+)"
    r"\d{1,4}\.\)?$",
    re.IGNORECASE,
)


def merge_false_breaks(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join a span to the previous one when the break cannot be a sentence end.

    A German sentence never starts in lower case, and a day number or ordinal after an
    article or preposition ("am 19.", "den 1.") does not end one.
    """
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged:
            previous = text[merged[-1][0] : merged[-1][1]]
            following = text[start:end].lstrip()
            if following[:1].islower() or _ORDINAL_END.search(previous):
                merged[-1] = (merged[-1][0], end)
                continue
        merged.append((start, end))
    return merged


_PUNKT_NAMES = {"de": "german", "en": "english"}


@lru_cache(maxsize=4)
def punkt_splitter(language: str = "german") -> PunktSplitter:
    """A cached Punkt splitter for a language ("de"/"german", "en"/"english"; else German)."""
    return PunktSplitter(
        _PUNKT_NAMES.get(language, language if language in _PUNKT_NAMES.values() else "german")
    )


def word_count_tokens(text: str) -> int:
    """A rough token count (1.6 pieces a word for German) when no tokenizer is at hand."""
    return int(len(text.split()) * 1.6) + 1


def sentences_of(article: Article, block: Block, splitter: SentenceSplitter) -> list[Sentence]:
    """The sentences of one block, offsets into the article."""
    text = article.text[block.start : block.end]
    result = []
    for start, end in splitter.spans(text):
        piece = text[start:end]
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece) - len(piece.rstrip())
        s, e = block.start + start + lead, block.start + end - trail
        if e > s:
            result.append(Sentence(article.doc_id, s, e, article.text[s:e]))
    return result


def chunk_id(doc_id: str, start: int, end: int, text: str) -> str:
    """A deterministic id: the same chunk of the same text always gets the same id."""
    digest = hashlib.sha256(f"{CHUNKER_VERSION}|{doc_id}|{start}|{end}|{text}".encode())
    return f"{doc_id}:{start}-{end}:{digest.hexdigest()[:12]}"


def _pack(sentences: list[Sentence], budget: int, count: TokenCounter) -> Iterable[list[Sentence]]:
    group: list[Sentence] = []
    used = 0
    for sentence in sentences:
        tokens = count(sentence.text)
        if group and used + tokens > budget:
            yield group
            group, used = [], 0
        group.append(sentence)
        used += tokens
    if group:
        yield group


def chunk_article(
    article: Article, splitter: SentenceSplitter, count_tokens: TokenCounter, chunk_tokens: int
) -> list[Chunk]:
    """Chunks of one article: teaser bullets together, then paragraph by paragraph."""
    groups: list[tuple[Block, list[Sentence]]] = []
    for block in blocks(article):
        if block.kind == "heading":
            continue
        sentences = sentences_of(article, block, splitter)
        if not sentences:
            continue
        previous = groups[-1] if groups else None
        if block.kind == "teaser" and previous and previous[0].kind == "teaser":
            previous[1].extend(sentences)
        else:
            groups.append((block, sentences))
    chunks = []
    for block, sentences in groups:
        for part in _pack(sentences, chunk_tokens, count_tokens):
            start, end = part[0].start, part[-1].end
            text = article.text[start:end]
            chunks.append(
                Chunk(
                    chunk_id=chunk_id(article.doc_id, start, end, text),
                    doc_id=article.doc_id,
                    section=block.section,
                    kind=block.kind,
                    start=start,
                    end=end,
                    text=text,
                    sentences=tuple(part),
                    language=article.language,
                )
            )
    return chunks
