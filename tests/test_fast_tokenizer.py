"""The onnx backend's tokenizer: tokenizer.json read without transformers, called alike."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from index.models.fast_tokenizer import FastTokenizer, PieceTokenizer, load_fast_tokenizer


def _model_folder(tmp_path: Path, config: dict[str, object]) -> Path:
    from tokenizers import Tokenizer, models, pre_tokenizers, processors

    vocab = {"<pad>": 0, "<bos>": 1, "<unk>": 2, "a": 3, "b": 4, "c": 5}
    tokenizer = Tokenizer(models.WordLevel(vocab, unk_token="<unk>"))
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    tokenizer.post_processor = processors.TemplateProcessing(
        single="<bos> $A", special_tokens=[("<bos>", 1)]
    )
    tokenizer.save(str(tmp_path / "tokenizer.json"))
    (tmp_path / "tokenizer_config.json").write_text(json.dumps(config), encoding="utf-8")
    return tmp_path


def test_a_batch_is_padded_on_the_configured_side(tmp_path: Path) -> None:
    folder = _model_folder(tmp_path, {"pad_token": "<pad>", "padding_side": "left"})
    tokenizer = load_fast_tokenizer(folder)
    assert tokenizer is not None
    batch = tokenizer(["a b c", "b"], padding=True, return_tensors="np")
    assert batch["input_ids"].tolist() == [[1, 3, 4, 5], [0, 0, 1, 4]]
    assert batch["attention_mask"].tolist() == [[1, 1, 1, 1], [0, 0, 1, 1]]
    assert isinstance(batch["input_ids"], np.ndarray)


def test_truncation_keeps_the_special_tokens_and_settings_do_not_leak(tmp_path: Path) -> None:
    tokenizer = load_fast_tokenizer(_model_folder(tmp_path, {"pad_token": "<pad>"}))
    assert tokenizer is not None
    cut = tokenizer(["a b c a b"], padding=True, truncation=True, max_length=3)
    assert cut["input_ids"] == [[1, 3, 4]]
    # the next call neither truncates nor pads, as transformers' tokenizer would not
    assert tokenizer("a b c a b", add_special_tokens=False)["input_ids"] == [3, 4, 5, 3, 4]
    assert tokenizer(["a", "a b"])["input_ids"] == [[1, 3], [1, 3, 4]]


@pytest.mark.parametrize(
    "config", [{}, {"pad_token": "<nothing>"}, {"pad_token": None}], ids=["none", "unknown", "null"]
)
def test_no_usable_pad_token_means_transformers_loads_it(
    tmp_path: Path, config: dict[str, object]
) -> None:
    assert load_fast_tokenizer(_model_folder(tmp_path, config)) is None


def test_a_folder_without_tokenizer_json_is_left_to_transformers(tmp_path: Path) -> None:
    assert load_fast_tokenizer(tmp_path) is None


@pytest.mark.slow
def test_the_real_tokenizer_gives_transformers_ids(tmp_path: Path) -> None:
    from transformers import AutoTokenizer

    from index.models.embedder import resolve_embed_model
    from index.settings import load_settings

    settings = load_settings()
    folder = Path(resolve_embed_model(settings.embed_model, settings.cache_dir))
    fast = load_fast_tokenizer(folder)
    # with a stamp folder: the model's SentencePiece file, checked against tokenizer.json
    pieces = load_fast_tokenizer(folder, tmp_path)
    assert isinstance(fast, FastTokenizer)
    assert isinstance(pieces, PieceTokenizer)
    auto = AutoTokenizer.from_pretrained(str(folder), local_files_only=True)
    texts = [
        "task: search result | query: Tritt Belarus in den Krieg ein?",
        "title: none | text: Die Kampftruppe könnten bis zu 9000 russische Soldaten bilden.",
        "x",
        "Ünïcödé — „Anführungszeichen“\nzwei  Leerzeichen",
        "Am Montag (19.) traf sich Kreml-Chef Wladimir Putin mit Alexander Lukaschenko. " * 3,
    ]
    for tokenizer in (fast, pieces):
        for arguments in (
            {"padding": True},
            {"padding": True, "truncation": True, "max_length": 8},
        ):
            mine = tokenizer(texts, return_tensors="np", **arguments)
            theirs = auto(texts, return_tensors="np", **arguments)
            assert (mine["input_ids"] == theirs["input_ids"]).all()
            assert (mine["attention_mask"] == theirs["attention_mask"]).all()
        for text in texts:
            expected = auto(text, add_special_tokens=False)["input_ids"]
            assert tokenizer(text, add_special_tokens=False)["input_ids"] == expected


class _Pieces:
    """A stand-in SentencePiece processor: one id per word or run of punctuation (as the
    test tokenizer.json's whitespace pre-tokenizer splits), from the test vocabulary."""

    def __init__(self, vocab: dict[str, int], unknown: int = 2) -> None:
        self.vocab = vocab
        self.unknown = unknown
        self.calls = 0

    def encode(self, texts: list[str], out_type: type = int) -> list[list[int]]:
        self.calls += 1
        return [
            [self.vocab.get(word, self.unknown) for word in re.findall(r"\w+|[^\w\s]+", text)]
            for text in texts
        ]


_VOCAB = {"<pad>": 0, "<bos>": 1, "<unk>": 2, "a": 3, "b": 4, "c": 5}


def test_the_piece_tokenizer_adds_the_template_truncates_inside_it_and_pads() -> None:
    from index.models.fast_tokenizer import PieceTokenizer

    right = PieceTokenizer(_Pieces(_VOCAB), [1], [6], pad_id=0, padding_side="right")
    batch = right(["a b c", "b"], padding=True, return_tensors="np")
    assert batch["input_ids"].tolist() == [[1, 3, 4, 5, 6], [1, 4, 6, 0, 0]]
    assert batch["attention_mask"].tolist() == [[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]]
    # truncation cuts the text's own pieces, never the template's
    assert right(["a b c a b"], truncation=True, max_length=4)["input_ids"] == [[1, 3, 4, 6]]
    # a limit below the template's own length cuts nothing, as tokenizer.json does
    assert right(["a b"], truncation=True, max_length=1)["input_ids"] == [[1, 3, 4, 6]]
    assert right("a b c", add_special_tokens=False)["input_ids"] == [3, 4, 5]
    left = PieceTokenizer(_Pieces(_VOCAB), [1], [], pad_id=0, padding_side="left")
    assert left(["a b", "c"], padding=True)["input_ids"] == [[1, 3, 4], [0, 1, 5]]
    assert left(["a b", "c"], padding=True)["attention_mask"] == [[1, 1, 1], [0, 1, 1]]


def _with_pieces(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pieces: _Pieces) -> Path:
    from index.models import fast_tokenizer

    folder = _model_folder(tmp_path / "model", {"pad_token": "<pad>"})
    (folder / "tokenizer.model").write_bytes(b"stand-in")
    monkeypatch.setattr(fast_tokenizer, "_pieces", lambda _folder: pieces)
    return folder


def test_the_piece_file_is_used_once_it_gives_the_same_ids_and_the_verdict_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tokenizers import Tokenizer

    from index.models.fast_tokenizer import FastTokenizer, PieceTokenizer

    (tmp_path / "model").mkdir()
    folder = _with_pieces(tmp_path, monkeypatch, _Pieces(_VOCAB))
    stamps = tmp_path / "stamps"
    first = load_fast_tokenizer(folder, stamps)
    assert isinstance(first, PieceTokenizer)
    stamp = json.loads((stamps / "tokenizer-pieces.json").read_text(encoding="utf-8"))
    assert stamp["same_ids"] is True and stamp["prefix"] == [1] and stamp["suffix"] == []

    def no_parse(path: str) -> None:
        raise AssertionError("tokenizer.json was parsed again")

    monkeypatch.setattr(Tokenizer, "from_file", staticmethod(no_parse))
    again = load_fast_tokenizer(folder, stamps)
    assert isinstance(again, PieceTokenizer)
    assert again(["a b"])["input_ids"] == [[1, 3, 4]]
    # without a stamp folder the SentencePiece file is never tried
    monkeypatch.undo()
    folder = _with_pieces(tmp_path, monkeypatch, _Pieces(_VOCAB))
    assert isinstance(load_fast_tokenizer(folder), FastTokenizer)


def test_a_piece_file_that_disagrees_is_not_used_and_a_changed_file_is_checked_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from index.models.fast_tokenizer import FastTokenizer, PieceTokenizer

    (tmp_path / "model").mkdir()
    wrong = _Pieces(_VOCAB, unknown=4)  # another id for an unknown word
    folder = _with_pieces(tmp_path, monkeypatch, wrong)
    stamps = tmp_path / "stamps"
    assert isinstance(load_fast_tokenizer(folder, stamps), FastTokenizer)
    stamp = json.loads((stamps / "tokenizer-pieces.json").read_text(encoding="utf-8"))
    assert stamp["same_ids"] is False
    checks = wrong.calls
    assert isinstance(load_fast_tokenizer(folder, stamps), FastTokenizer)
    assert wrong.calls == checks  # the verdict was read, not checked again
    # a new tokenizer.model (another size) is checked again, and now it agrees
    monkeypatch.setattr("index.models.fast_tokenizer._pieces", lambda _folder: _Pieces(_VOCAB))
    (folder / "tokenizer.model").write_bytes(b"a new stand-in")
    assert isinstance(load_fast_tokenizer(folder, stamps), PieceTokenizer)


def test_a_damaged_stamp_or_piece_file_falls_back_to_tokenizer_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from index.models import fast_tokenizer
    from index.models.fast_tokenizer import FastTokenizer, PieceTokenizer

    (tmp_path / "model").mkdir()
    folder = _with_pieces(tmp_path, monkeypatch, _Pieces(_VOCAB))
    stamps = tmp_path / "stamps"
    stamps.mkdir()
    stamp = stamps / "tokenizer-pieces.json"
    stamp.write_text(json.dumps({"files": {}, "same_ids": True}), encoding="utf-8")  # no ids
    assert isinstance(load_fast_tokenizer(folder, stamps), PieceTokenizer)  # checked again
    assert isinstance(json.loads(stamp.read_text(encoding="utf-8"))["prefix"], list)
    stamp.write_text("{not json", encoding="utf-8")
    assert isinstance(load_fast_tokenizer(folder, stamps), PieceTokenizer)
    # the real reader on a damaged tokenizer.model (the stand-in bytes): tokenizer.json
    monkeypatch.undo()
    assert fast_tokenizer._pieces(folder) is None
    assert isinstance(load_fast_tokenizer(folder, tmp_path / "other-stamps"), FastTokenizer)
