"""The embedding model: a llama-index BaseEmbedding backed by sentence-transformers.

EmbeddingGemma wants different prompts for questions and for passages; this class
passes sentence-transformers' `prompt_name` for each, normalises vectors, and counts
tokens with the model's own tokenizer (for chunk sizing).

Batches of passages (ingest) run on `batch_threads` torch threads, single questions on
the process's setting: on 2 shared cores one thread answers a query fastest under load,
while a batch gains from two.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from index.errors import ModelError
from index.models.provision import EMBEDDINGGEMMA, is_verified, model_path


class SentenceTransformerEmbedding(BaseEmbedding):
    """A sentence-transformers model with separate query and document prompts."""

    query_prompt: str = "query"
    document_prompt: str = "document"
    batch_threads: int = 0
    _model: Any = PrivateAttr()

    def __init__(
        self,
        model: Any,
        model_name: str,
        query_prompt: str = "query",
        document_prompt: str = "document",
        embed_batch_size: int = 16,
        batch_threads: int = 0,
    ) -> None:
        super().__init__(model_name=model_name, embed_batch_size=embed_batch_size)
        self.query_prompt = query_prompt
        self.document_prompt = document_prompt
        self.batch_threads = batch_threads
        self._model = model
        prompts = getattr(model, "prompts", {}) or {}
        for name in (query_prompt, document_prompt):
            if name and name not in prompts:
                raise ModelError(
                    f"embedding model {model_name} has no prompt named {name!r}; "
                    f"it has {sorted(prompts)}. Set NEWSRAG_EMBED_QUERY_PROMPT / "
                    "NEWSRAG_EMBED_DOCUMENT_PROMPT (empty for none)."
                )

    @classmethod
    def class_name(cls) -> str:
        return "SentenceTransformerEmbedding"

    def _encode(self, texts: list[str], prompt: str) -> list[list[float]]:
        vectors = self._model.encode(
            texts,
            prompt_name=prompt or None,
            normalize_embeddings=True,
            batch_size=self.embed_batch_size,
            show_progress_bar=False,
            convert_to_numpy=True,
        )
        return [vector.tolist() for vector in vectors]

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._encode([query], self.query_prompt)[0]

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._encode([text], self.document_prompt)[0]

    def get_prompted_query_embedding(self, query: str, prompt: str) -> list[float]:
        """The question's vector with `prompt` (a prompt's text) in place of the query
        prompt (a PromptedEmbedder)."""
        vectors = self._model.encode(
            [query],
            prompt=prompt,
            normalize_embeddings=True,
            show_progress_bar=False,
            convert_to_numpy=True,
        )
        return [float(value) for value in vectors[0]]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        if self.batch_threads <= 0 or len(texts) < 2:
            return self._encode(texts, self.document_prompt)
        import torch

        before = torch.get_num_threads()
        torch.set_num_threads(self.batch_threads)
        try:
            return self._encode(texts, self.document_prompt)
        finally:
            torch.set_num_threads(before)

    def count_tokens(self, text: str) -> int:
        """Word pieces of `text` as the model's tokenizer counts them."""
        return len(self._model.tokenizer(text, add_special_tokens=False)["input_ids"])

    @property
    def max_tokens(self) -> int:
        """The model's input window in tokens."""
        return int(getattr(self._model, "max_seq_length", 512) or 512)


def resolve_embed_model(name: str, cache_dir: Path) -> str:
    """The folder or hub id to load: the provisioned EmbeddingGemma when `name` is empty."""
    if name:
        candidate = Path(name).expanduser()
        if candidate.exists():
            markers = ("modules.json", "config.json")
            if not any((candidate / marker).is_file() for marker in markers):
                raise ModelError(
                    f"{candidate} is not a sentence-transformers model folder "
                    "(no modules.json or config.json)"
                )
            return str(candidate)
        if "/" in name and not name.startswith((".", "/", "~")):
            return name  # a hub id, for users with a network
        raise ModelError(f"embedding model folder {name} does not exist (NEWSRAG_EMBED_MODEL)")
    if not is_verified(EMBEDDINGGEMMA, cache_dir):
        raise ModelError(
            f"the embedding model is not provisioned in {cache_dir}. Run: python app.py provision "
            "(or point NEWSRAG_EMBED_MODEL at a local sentence-transformers folder)"
        )
    return str(model_path(EMBEDDINGGEMMA, cache_dir))


def quantize_int8(model: Any) -> Any:
    """The model with its linear layers quantised to int8 (dynamic, weights only, CPU)."""
    import torch
    from torch.ao.quantization import quantize_dynamic

    return quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)


def load_embedder(
    name: str,
    cache_dir: Path,
    query_prompt: str,
    document_prompt: str,
    batch_size: int,
    threads: int = 0,
    batch_threads: int = 0,
    int8: bool = False,
    onnx: bool = False,
    query_int8: bool = False,
) -> SentenceTransformerEmbedding:
    """Load the embedding model offline; raise ModelError with the fix when it cannot.

    `int8`: quantise the linear layers (the "torch-int8" backend); the model name gets
    an "+int8" suffix, so a store built with the other vectors is not mixed with these.
    `onnx`: run the model's ONNX export with onnxruntime on `threads` threads (exported
    beside the model on first use, and refused unless it reproduces the torch vectors to
    cosine 0.999): the same vectors, so the model name stays and one index serves both.
    `query_int8` (onnx only): questions through an int8 copy of the export, passages fp32.
    """
    target = resolve_embed_model(name, cache_dir)
    local = Path(target).exists()
    if local:
        # Set before the import: huggingface_hub reads it once.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    model_name = Path(target).name if local else target
    if onnx:
        from index.models.onnx_embedder import load_onnx_model

        return SentenceTransformerEmbedding(
            load_onnx_model(
                target,
                local,
                cache_dir,
                threads,
                # only questions may take the int8 path: passages (the index) stay fp32
                query_int8=query_int8 and bool(query_prompt) and query_prompt != document_prompt,
                query_prompt=query_prompt,
            ),
            model_name=model_name,
            query_prompt=query_prompt,
            document_prompt=document_prompt,
            embed_batch_size=batch_size,
        )
    try:
        import torch
        from sentence_transformers import SentenceTransformer
    except ImportError as error:
        raise ModelError(
            f"sentence-transformers is not installed ({error}); run: pip install -e ."
        ) from None
    if threads > 0:
        torch.set_num_threads(threads)
    try:
        model = SentenceTransformer(target, device="cpu", local_files_only=local)
    except Exception as error:
        raise ModelError(
            f"cannot load the embedding model from {target}: {error}. If the "
            "files are damaged, delete the folder and run: python app.py provision"
        ) from None
    if int8:
        model = quantize_int8(model)
        model_name += "+int8"
    return SentenceTransformerEmbedding(
        model,
        model_name=model_name,
        query_prompt=query_prompt,
        document_prompt=document_prompt,
        embed_batch_size=batch_size,
        batch_threads=batch_threads,
    )
