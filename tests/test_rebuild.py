"""`ingest --rebuild` builds beside the live index and swaps: a rebuild killed with SIGKILL
half-way leaves readers the old index, and the next run completes with exactly the same
chunks and sentences; no old collections or Chroma folders pile up."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"

# Run in child processes, so each sees the Chroma folder as a new process would.
CHILD = r'''
import json, sys, time
from pathlib import Path
from index.settings import load_settings
from index.wiring import build
from tests.fakes import HashEmbedding

command, work = sys.argv[1], Path(sys.argv[2])


class SlowEmbedding(HashEmbedding):
    """Announces the first batch, then takes long enough to be killed mid-rebuild."""

    def _get_text_embeddings(self, texts):
        (work / "embedding-started").touch()
        time.sleep(0.5)
        return super()._get_text_embeddings(texts)


settings = load_settings(corpus_dir=work / "corpus", chroma_path=work / "chroma",
                         collection="articles")
embedder = SlowEmbedding() if command == "rebuild-slow" else HashEmbedding()
components = build(settings, embedder=embedder, with_llm=False)
store = components.store
if command == "ingest":
    components.ingestor.ingest_folder(settings.corpus_dir)
elif command in ("rebuild", "rebuild-slow"):
    components.ingestor.rebuild(settings.corpus_dir)
sentences = store.sentences.get(include=[])["ids"]
print(json.dumps({
    "count": store.count(),
    "chunks": sorted(i for ids in store.ids_by_doc().values() for i in ids),
    "sentences": sorted(sentences),
    "documents": sorted(store.documents()),
    "collections": sorted(c.name for c in store.client.list_collections()),
    "generation": store.generation,
    "folders": sorted(p.name for p in (work / "chroma").iterdir()),
}))
'''


def _run(command: str, work: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, command, str(work)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.mark.slow  # four child processes, each importing chromadb and llama-index
def test_rebuild_killed_half_way_then_rerun(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "corpus", tmp_path / "corpus")
    first = _run("ingest", tmp_path)
    assert first["count"] > 0

    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, "rebuild-slow", str(tmp_path)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while not (tmp_path / "embedding-started").exists():
        assert child.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    child.send_signal(signal.SIGKILL)
    child.wait(30)

    # Readers see the old index, whole: the same chunks and sentences as before.
    after_kill = _run("report", tmp_path)
    for key in ("count", "chunks", "sentences", "documents", "generation"):
        assert after_kill[key] == first[key], key

    rebuilt = _run("rebuild", tmp_path)
    for key in ("count", "chunks", "sentences", "documents"):
        assert rebuilt[key] == first[key], key  # no duplicate, nothing missing
    assert rebuilt["generation"] != first["generation"]
    # Only the live generation's collections remain (the killed run's orphan is gone) ...
    article_sets = [name for name in rebuilt["collections"] if name.endswith("-chunks")]
    assert article_sets == [f"articles-{rebuilt['generation']}-chunks"]
    # ... and folders do not pile up over further rebuilds.
    again = _run("rebuild", tmp_path)
    assert again["folders"] == sorted(again["folders"]) and len(again["folders"]) == len(
        rebuilt["folders"]
    )
    assert again["chunks"] == first["chunks"]


def test_readers_see_the_whole_old_index_during_a_rebuild_and_the_new_one_after(
    fake_components: Any,
) -> None:
    from index.store import ChromaStore

    store = fake_components.store
    reader = ChromaStore(store.client, store.name, store.embed_model_id)  # another reader
    before = reader.ids_by_doc()
    seen_during: list[dict[str, set[str]]] = []

    def progress(fraction: float, message: str) -> None:
        seen_during.append(reader.ids_by_doc())

    fake_components.ingestor.rebuild(Path(fake_components.settings.corpus_dir), progress)
    assert seen_during and all(seen == before for seen in seen_during)
    assert reader.ids_by_doc() == before  # it followed the pointer to the new generation
    assert reader.generation == store.generation != ""
    names = [
        c.name
        for c in store.client.list_collections()
        if c.name.startswith(store.name) and c.name.endswith("-chunks")
    ]
    assert names == [f"{store.name}-{store.generation}-chunks"]


def test_after_an_embedding_model_change_only_a_rebuild_opens_the_old_index(
    fake_components: Any,
) -> None:
    from index.errors import StoreError
    from index.wiring import build
    from tests.fakes import HashEmbedding

    class OtherModel(HashEmbedding):
        def __init__(self) -> None:
            super().__init__()
            self.model_name = "another-embedding-model"

    settings, client = fake_components.settings, fake_components.store.client
    chunks = fake_components.store.count()
    with pytest.raises(StoreError, match="ingest --rebuild"):
        build(settings, embedder=OtherModel(), client=client, with_llm=False)
    rebuilding = build(
        settings, embedder=OtherModel(), client=client, with_llm=False, rebuilding=True
    )
    report = rebuilding.ingestor.rebuild(Path(settings.corpus_dir))
    assert report.added
    reopened = build(settings, embedder=OtherModel(), client=client, with_llm=False)
    assert reopened.store.count() == chunks > 0
    with pytest.raises(StoreError, match="ingest --rebuild"):  # the old model is now the odd one
        build(settings, embedder=HashEmbedding(), client=client, with_llm=False)
