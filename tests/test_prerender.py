"""Pre-rendering: every sentence once, then one small record per article at each start."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from index.wiring import prerender


class CountingRenderer:
    """Records what pre-rendering asks for; its article mark carries a version."""

    def __init__(self, version: str = "v1") -> None:
        self.version = version
        self.asked: list[str] = []

    def article_mark(self, content_hash: str, target: str) -> str:
        return f"{self.version}|{target}|{content_hash}"

    def render_all(
        self, texts: Sequence[str], source: str, target: str, progress: Any = None
    ) -> dict[str, int]:
        self.asked.extend(texts)
        return {"cached": 0, "checked": len(texts), "unchecked": 0}


def _with(components: Any, renderer: CountingRenderer) -> Any:
    return dataclasses.replace(components, renderer=renderer)


def test_rendered_articles_are_marked_and_not_read_again(fake_components: Any) -> None:
    renderer = CountingRenderer()
    first = prerender(_with(fake_components, renderer))
    german = [text for text in fake_components.store.sentence_texts() if "Stadtfest" in text]
    assert german and set(german) <= set(renderer.asked)  # the German article's sentences
    assert first["checked"] == len(renderer.asked) and first["articles_done"] == 0
    again = CountingRenderer()
    second = prerender(_with(fake_components, again))
    assert again.asked == []  # every article carries its mark: no sentence was read
    assert second["articles_done"] == len(fake_components.store.document_hashes())


def test_a_changed_article_or_a_new_rendering_version_is_rendered_again(
    fake_components: Any, fixture_corpus: Any
) -> None:
    first = CountingRenderer()
    prerender(_with(fake_components, first))
    assert any("Bibliothek" in text for text in first.asked)
    article = fixture_corpus / "stadtfest.txt"
    article.write_text(
        article.read_text(encoding="utf-8") + "\nDer Regen hörte am Abend auf.\n",
        encoding="utf-8",
    )
    fake_components.ingestor.ingest_folder(fixture_corpus)
    changed = CountingRenderer()
    counts = prerender(_with(fake_components, changed))
    assert "Der Regen hörte am Abend auf." in changed.asked
    assert not any("Bibliothek" in text for text in changed.asked)  # the other article
    assert counts["articles_done"] == len(fake_components.store.document_hashes()) - 1
    newer = CountingRenderer(version="v2")  # another model or prompt version
    prerender(_with(fake_components, newer))
    assert set(changed.asked) <= set(newer.asked) and len(newer.asked) > len(changed.asked)


def test_only_the_given_articles_sentences_are_read(fake_components: Any) -> None:
    store = fake_components.store
    doc_ids = sorted(store.document_hashes())
    every = store.sentence_texts()
    parts = [store.sentence_texts([doc_id]) for doc_id in doc_ids]
    assert all(parts) and sorted(text for part in parts for text in part) == sorted(every)
    assert store.sentence_texts([]) == []


def test_workers_sharing_a_chroma_server_leave_rendering_to_ingest(fake_components: Any) -> None:
    from index.wiring import warm_up

    shared = fake_components.settings.model_copy(update={"chroma_host": "127.0.0.1"})
    assert shared.uses_chroma_server
    renderer = CountingRenderer()
    warm_up(dataclasses.replace(fake_components, settings=shared, renderer=renderer))
    assert renderer.asked == []
    warm_up(_with(fake_components, renderer))  # the embedded store: the page renders
    assert renderer.asked


class _BrokenPassages:
    """An embedder whose passage model fails to load with an unexpected error."""

    def get_text_embedding_batch(self, texts: list[str], **kwargs: Any) -> list[list[float]]:
        raise RuntimeError("the model file is truncated")


def test_a_passage_model_that_fails_to_load_is_logged_and_the_warm_up_goes_on(
    fake_components: Any, caplog: Any
) -> None:
    from index.wiring import warm_up

    renderer = CountingRenderer()
    broken = dataclasses.replace(fake_components, embedder=_BrokenPassages(), renderer=renderer)
    warm_up(broken)
    assert renderer.asked  # pre-rendering still ran after the failed load
    assert "the passage embedding model did not load" in caplog.text
    assert "the model file is truncated" in caplog.text
