"""The article shelf, an editor's service: list the corpus, add an article (pasted or
uploaded), remove one.

A new article is written into the corpus folder under a name no other article uses
(never overwriting a file), read back with the same reader the ingest uses (so its
offsets are the ones a later `app.py ingest` would make), and ingested at once. When
anything fails on the way, the new file is removed again and the index is left as it
was; bad input ends in a `CorpusError` whose message is meant for the reader.
"""

from __future__ import annotations

import os
import re
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from index.errors import CorpusError
from index.ingest.corpus import MAX_ARTICLE_BYTES, SUFFIXES, doc_id_for, read_corpus, text_hash
from index.ingest.corpus import read_article as read_article_file
from index.ingest.pipeline import Ingestor, IngestReport
from index.store import ChromaStore
from index.text.language import detect_language
from index.types import Article

Progress = Callable[[float, str], None]
TRASH = ".trash"  # inside the corpus folder: removed articles, kept so a removal can be undone
MAX_TITLE_CHARS = 200
_SLUG_CHARS = 60
_SPACE = re.compile(r"\s+")
_GERMAN = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)


@dataclass(frozen=True)
class ArticleRow:
    """One line of the article list."""

    doc_id: str
    title: str
    file: str
    chars: int
    passages: int


@dataclass(frozen=True)
class Added:
    """What adding an article did."""

    doc_id: str
    title: str
    file: str
    passages: int

    def message(self) -> str:
        """One line for the reader."""
        return (
            f"Added “{self.title}” as {self.file} ({self.passages} passages); "
            "it can be asked about now."
        )


def clean_title(title: str) -> str:
    """A one-line title; CorpusError when it is too long."""
    cleaned = _SPACE.sub(" ", title or "").strip()
    if len(cleaned) > MAX_TITLE_CHARS:
        raise CorpusError(
            f"The title has {len(cleaned)} characters; the limit is {MAX_TITLE_CHARS}."
        )
    return cleaned


def slug(name: str) -> str:
    """A file stem (and document id) from a title or file name: ASCII, German letters spelled."""
    spelled = name[:200].translate(_GERMAN).replace("/", "-").replace("\\", "-")
    ascii_name = unicodedata.normalize("NFKD", spelled).encode("ascii", "ignore").decode()
    try:
        made = doc_id_for(Path(ascii_name + ".txt"))
    except CorpusError:
        made = "article"
    return made[:_SLUG_CHARS].strip("-") or "article"


def article_file_text(title: str, text: str, language: str) -> str:
    """A corpus file: metadata header, then the article text as given."""
    body = text if text.endswith("\n") else text + "\n"
    return f"---\ntitle: {title}\nlanguage: {language}\nsource: added on the web page\n---\n{body}"


class Library:
    """Lists, adds and removes the articles of one corpus folder and its index."""

    def __init__(self, folder: Path, store: ChromaStore, ingestor: Ingestor) -> None:
        self.folder = Path(folder)
        self.store = store
        self.ingestor = ingestor
        self._catalog: dict[str, Article] = {}
        self._catalog_stamp: int | None = None

    # ---- reading -------------------------------------------------------------------
    def _corpus(self) -> dict[str, Article]:
        """Articles of the corpus folder by id, re-read only when the folder changed."""
        try:
            stamp = self.folder.stat().st_mtime_ns
        except OSError:
            return {}
        if stamp != self._catalog_stamp:
            articles, _problems = read_corpus(self.folder)
            self._catalog = {article.doc_id: article for article in articles}
            self._catalog_stamp = stamp
        return self._catalog

    def titles(self) -> dict[str, str]:
        """Title of every article in the corpus folder, by document id."""
        return {doc_id: article.title for doc_id, article in self._corpus().items()}

    def documents(self, doc_ids: Sequence[str] | None = None) -> dict[str, str]:
        """The text of every indexed article, by document id; only of `doc_ids` when given
        (the source panel reads the few articles an answer cites, not all of them)."""
        return dict(self.store.documents(doc_ids))

    def rows(self) -> list[ArticleRow]:
        """Every indexed article, for the article list (sorted by title)."""
        corpus = self._corpus()
        counts = {doc_id: len(ids) for doc_id, ids in self.store.ids_by_doc().items()}
        rows = []
        for doc_id, text in self.documents().items():
            article = corpus.get(doc_id)
            rows.append(
                ArticleRow(
                    doc_id=doc_id,
                    title=article.title if article else doc_id,
                    file=Path(article.path).name if article else "",
                    chars=len(text),
                    passages=counts.get(doc_id, 0),
                )
            )
        return sorted(rows, key=lambda row: (row.title.lower(), row.doc_id))

    def _taken_ids(self) -> set[str]:
        taken = set(self.documents()) | set(self._corpus())
        if self.folder.is_dir():
            for path in self.folder.iterdir():
                try:
                    taken.add(doc_id_for(path))
                except CorpusError:
                    continue
        return taken

    # ---- adding --------------------------------------------------------------------
    def _claim(self, stem: str, suffix: str, content: bytes) -> Path:
        """Write `content` to a new file `<stem>[-n]<suffix>` whose id nobody uses."""
        self.folder.mkdir(parents=True, exist_ok=True)
        taken = self._taken_ids()
        for number in range(1, 10_000):
            candidate = stem if number == 1 else f"{stem}-{number}"
            if candidate in taken:
                continue
            path = self.folder / f"{candidate}{suffix}"
            try:
                with path.open("xb") as handle:  # "x": never overwrite, even in a race
                    handle.write(content)
            except FileExistsError:
                continue
            return path
        raise CorpusError(f"no free file name for {stem!r} in {self.folder}")

    def _ingest_new(self, path: Path, progress: Progress | None) -> Added:
        """Read and ingest a freshly written file; on any failure remove it again."""
        article: Article | None = None
        ingesting = False
        try:
            article = read_article_file(path)
            if article.doc_id != doc_id_for(path) and article.doc_id in self._taken_ids():
                raise CorpusError(f"{path.name}: document id {article.doc_id!r} is already used")
            twin = self._same_text(article)
            if twin:
                raise CorpusError(
                    f"{path.name}: the same text as the article {twin!r} "
                    "already here; not added again"
                )
            ingesting = True
            report: IngestReport = self.ingestor.sync(
                [article], remove_missing=False, progress=progress
            )
            if report.chunks_written == 0:
                raise CorpusError(
                    f"{path.name}: no passages could be made from this text; is it an article?"
                )
        except BaseException:
            path.unlink(missing_ok=True)
            if ingesting and article is not None:  # the id was new: nothing else is lost
                self.ingestor.delete(article.doc_id)
            raise
        self._catalog_stamp = None
        return Added(
            doc_id=article.doc_id,
            title=article.title,
            file=path.name,
            passages=report.chunks_written,
        )

    def _same_text(self, article: Article) -> str | None:
        """The id of an indexed article with exactly this text, if there is one."""
        digest = text_hash(article)
        for doc_id, text in self.documents().items():
            if (
                doc_id != article.doc_id
                and text_hash(Article(doc_id=doc_id, text=text, path="")) == digest
            ):
                return doc_id
        return None

    def add_text(self, title: str, text: str, progress: Progress | None = None) -> Added:
        """Save pasted text as a new article (title from the first line when none is given)."""
        text = (text or "").replace("\r\n", "\n")
        if not text.strip():
            raise CorpusError("The article text is empty. Paste the article first.")
        title = clean_title(title) or clean_title(text.strip().splitlines()[0][:120])
        content = article_file_text(title, text, detect_language(text))
        encoded = content.encode("utf-8")
        if len(encoded) > MAX_ARTICLE_BYTES:
            raise CorpusError(
                f"The article has {len(encoded):,} bytes; the limit is {MAX_ARTICLE_BYTES:,}."
            )
        path = self._claim(slug(title), ".md", encoded)
        return self._ingest_new(path, progress)

    def add_file(
        self, upload: str | Path, name: str | None = None, progress: Progress | None = None
    ) -> Added:
        """Save an uploaded .txt/.md/.html file as a new article."""
        source = Path(upload)
        name = Path(name or source.name).name
        suffix = Path(name).suffix.lower()
        if suffix not in SUFFIXES:
            raise CorpusError(f"{name}: unsupported file type; use one of {', '.join(SUFFIXES)}")
        try:
            size = source.stat().st_size
        except OSError:
            raise CorpusError(f"{name}: the upload cannot be read; please try again") from None
        if size > MAX_ARTICLE_BYTES:
            raise CorpusError(f"{name}: {size:,} bytes is over the {MAX_ARTICLE_BYTES:,} limit")
        if size == 0:
            raise CorpusError(f"{name}: the file is empty")
        path = self._claim(slug(Path(name).stem), suffix, source.read_bytes())
        return self._ingest_new(path, progress)

    # ---- removing ------------------------------------------------------------------
    def trash_folder(self) -> Path:
        """Where removed article files go (a hidden folder the ingest never reads)."""
        return self.folder / TRASH

    def _to_trash(self, path: Path) -> Path:
        """Move a file into the trash under a name that never overwrites an earlier one."""
        trash = self.trash_folder()
        trash.mkdir(exist_ok=True)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        for number in range(1, 10_000):
            target = trash / f"{stamp}-{number}-{path.name}"
            if not target.exists():
                os.replace(path, target)
                return target
        raise CorpusError(f"no free name in {trash} for {path.name}")

    def remove(self, doc_id: str) -> str:
        """Move an article's file into the trash folder and delete its passages from the
        index; moving the file back and running `ingest` undoes it."""
        doc_id = (doc_id or "").strip()
        if not doc_id:
            raise CorpusError("Choose the article to remove first.")
        article = self._corpus().get(doc_id)
        indexed = doc_id in self.documents()
        if article is None and not indexed:
            raise CorpusError(f"There is no article with id {doc_id!r}.")
        removed_file = ""
        if article is not None:
            path = Path(article.path)
            if not path.is_symlink() and path.resolve().parent == self.folder.resolve():
                removed_file = f"{TRASH}/{self._to_trash(path).name}"
        self.ingestor.delete(doc_id)
        self._catalog_stamp = None
        title = article.title if article else doc_id
        where = (
            f"its file was moved to {removed_file} (move it back and run ingest to undo) and "
            if removed_file
            else ""
        )
        return f"Removed “{title}”: {where}its passages are gone from the index."
