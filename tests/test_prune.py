"""Pruning the caches kept by text: renderings, their vectors and clause vectors that no
stored sentence uses any more (index.wiring.prune, ChromaStore.prune_caches)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from index.prompts import Prompts
from index.text.clauses import clauses
from index.translate.renderer import SentenceRenderer
from index.types import Rendering
from index.wiring import prune
from tests.fakes import HashEmbedding, ScriptedGenerator, hash_embed

LONG = (
    "Öffentlich wurde die Invasion gar nicht direkt angesprochen und es ging explizit "
    "auch um andere Themen, darunter Pläne für Kosmonauten"
)


def _renderer(components: Any) -> SentenceRenderer:
    return SentenceRenderer(
        ScriptedGenerator(), Prompts(), HashEmbedding(), components.store, "fake"
    )


def test_prune_deletes_what_no_stored_sentence_uses(fake_components: Any) -> None:
    folder = Path(fake_components.settings.corpus_dir)
    (folder / "themen.txt").write_text(f"Die Themen\n\n{LONG} zu schicken.\n", encoding="utf-8")
    fake_components.ingestor.ingest_folder(folder)  # its clauses' vectors are kept
    store = fake_components.store
    renderer = _renderer(fake_components)
    components = replace(fake_components, renderer=renderer)
    stored = store.sentence_texts()[0]
    live = renderer.key(stored, "de", "en")
    stale = renderer.key("Ein Satz, den es nicht mehr gibt.", "de", "en")
    store.save_renderings({key: Rendering("en", "A sentence.", True) for key in (live, stale)})
    store.save_rendering_vectors({live: hash_embed("a"), stale: hash_embed("b")})
    old_clause = "Ein Nebensatz, den kein Satz mehr hat"
    store.save_clause_vectors({old_clause: hash_embed(old_clause)})
    kept_clauses = {c for text in store.sentence_texts() for c in clauses(text)}
    assert kept_clauses, "the fixture corpus has long sentences"
    assert prune(components) == {"clause_vectors": 1, "renderings": 1, "rendering_vectors": 1}
    assert set(store.renderings([live, stale])) == {live}
    assert set(store.rendering_vectors([live, stale])) == {live}
    assert store.clause_vectors([old_clause]) == {}
    assert set(store.clause_vectors(sorted(kept_clauses))) == kept_clauses
    # nothing is left to delete
    assert prune(components) == {"clause_vectors": 0, "renderings": 0, "rendering_vectors": 0}


def test_prune_without_an_llm_leaves_renderings_alone(fake_components: Any) -> None:
    store = fake_components.store
    assert fake_components.renderer is None  # built without an LLM
    store.save_renderings({"some-key": Rendering("en", "A sentence.", True)})
    store.save_rendering_vectors({"some-key": hash_embed("a")})
    assert prune(fake_components) == {"clause_vectors": 0}
    assert set(store.renderings(["some-key"])) == {"some-key"}
    assert set(store.rendering_vectors(["some-key"])) == {"some-key"}
