"""Reading the creator's texts for "Learn my style": folders, files and the project's document.

What is read: .txt, .md/.markdown and .docx (the paragraphs of word/document.xml, read with zipfile + ElementTree from
the standard library: a .docx is a zip of XML, and a reader package would add a dependency for twenty lines of code).
Encodings: UTF-8 (with or without BOM), UTF-16 / UTF-32 with a BOM, and GB18030 (what Chinese Windows editors save;
it includes GBK and GB2312). A file that is none of these, holds NUL bytes (binary, or UTF-16 without a BOM), is
empty or is larger than MAX_FILE_BYTES is listed as skipped with its reason, never read in part: a style learned from
half a file would be a surprise. The user's files are only ever opened for reading.

No torch and no Qt: the dialog scans a folder with this module (on a worker, it can take a second) to show what it
found before training starts; the trainer reads the same texts again on its lane.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP, Msg
from aigc_desktop.core.text.counting import count_words  # 字数 as the Document's status bar counts it

__all__ = ["Corpus", "CorpusFile", "CorpusSummary", "SkippedFile", "count_words", "decode_text", "scan_corpus"]

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".docx"})
# One file above this is skipped, not read in part: 32 MiB is ~5 million English words, far more than minutes of
# training can learn from, and reading a 2 GB file into memory would only stall the machine.
MAX_FILE_BYTES = 32 * 1024 * 1024
# All files together: the rest are skipped ("the corpus is already large enough").
MAX_CORPUS_BYTES = 128 * 1024 * 1024
MAX_FILES = 10_000  # files looked at in a folder (a home folder picked by mistake must not be walked for minutes)
# Fewer words than this cannot teach a style: the held-back slice would be a sentence and the rest a page.
MIN_WORDS = 1000
DOCUMENT_SOURCE = "document"  # CorpusFile.path of the project's document text
_DOCX_MAX_XML_BYTES = 64 * 1024 * 1024  # word/document.xml uncompressed: a guard against zip bombs
_W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass(frozen=True)
class CorpusFile:
    """One source that was read. `path` is the file, or DOCUMENT_SOURCE for the project's document."""

    path: str
    encoding: str  # "utf-8", "utf-8-sig", "utf-16", "gb18030", "docx", "document"
    words: int
    chars: int


@dataclass(frozen=True)
class SkippedFile:
    path: str
    reason: Msg  # why it was not read, for the user (marked for translation)


@dataclass(frozen=True)
class CorpusSummary:
    """What the dialog and the CLI show before (and while) training. `tokens` and `held_back_tokens` are None until
    the trainer has tokenised the texts with the base model's tokenizer (it reports them in StylePrepared)."""

    files: tuple[CorpusFile, ...]
    skipped: tuple[SkippedFile, ...]
    words: int
    chars: int
    tokens: int | None = None
    held_back_tokens: int | None = None

    @property
    def problems(self) -> tuple[Msg, ...]:
        """One line per skipped file ("name: reason"), for a list under the counts."""
        return tuple(
            QT_TRANSLATE_NOOP("Corpus", "{name}: {reason}").format(name=Path(s.path).name, reason=s.reason)
            for s in self.skipped
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "files": [f.path for f in self.files],
            "skipped": [{"path": s.path, "reason": str(s.reason)} for s in self.skipped],
            "words": self.words,
            "chars": self.chars,
            "tokens": self.tokens,
            "held_back_tokens": self.held_back_tokens,
        }


@dataclass(frozen=True)
class Corpus:
    texts: tuple[str, ...]  # one per source, in the order listed (the held-back slice is taken from the end)
    summary: CorpusSummary = field(repr=False)


def scan_corpus(
    paths: Sequence[str | Path],
    *,
    document_text: str | None = None,
    check_cancel: Callable[[], None] | None = None,
    min_words: int = MIN_WORDS,
) -> Corpus:
    """Reads every text under `paths` (files or folders, folders recursively) and the project's document text when
    given. Raises a UserError when nothing can be learned from: no path exists, no text was found (the skipped files
    and their reasons are named), or fewer than `min_words` words were found (the threshold is in the message)."""
    files: list[CorpusFile] = []
    texts: list[str] = []
    skipped: list[SkippedFile] = []
    total_bytes = 0
    for raw in paths:
        path = Path(raw).expanduser()
        if not path.exists():
            raise UserError(QT_TRANSLATE_NOOP("Corpus", "There is no file or folder at {path}.").format(path=path))
    for file in _candidates(paths, skipped):
        if check_cancel is not None:
            check_cancel()
        try:
            size = file.stat().st_size
        except OSError as exc:
            skipped.append(SkippedFile(str(file), _os_reason(exc)))
            continue
        if size > MAX_FILE_BYTES:
            skipped.append(
                SkippedFile(
                    str(file),
                    QT_TRANSLATE_NOOP(
                        "Corpus", "too large ({size} MB; at most {limit} MB per file — split it into smaller files)"
                    ).format(size=_mb(size), limit=_mb(MAX_FILE_BYTES)),
                )
            )
            continue
        if total_bytes + size > MAX_CORPUS_BYTES:
            skipped.append(
                SkippedFile(
                    str(file),
                    QT_TRANSLATE_NOOP(
                        "Corpus", "not read: the texts already read reach the limit of {limit} MB"
                    ).format(limit=_mb(MAX_CORPUS_BYTES)),
                )
            )
            continue
        read = read_text_file(file)
        if isinstance(read, Msg):
            skipped.append(SkippedFile(str(file), read))
            continue
        text, encoding = read
        text = _normalise(text)
        words = count_words(text)
        if words == 0:
            skipped.append(SkippedFile(str(file), QT_TRANSLATE_NOOP("Corpus", "no words in it")))
            continue
        total_bytes += size
        texts.append(text)
        files.append(CorpusFile(str(file), encoding, words, len(text)))
    if document_text is not None and document_text.strip():
        text = _normalise(document_text)
        texts.append(text)
        files.append(CorpusFile(DOCUMENT_SOURCE, "document", count_words(text), len(text)))
    summary = CorpusSummary(
        files=tuple(files),
        skipped=tuple(skipped),
        words=sum(f.words for f in files),
        chars=sum(f.chars for f in files),
    )
    if not files:
        if skipped:
            first = summary.problems[0]
            raise UserError(
                QT_TRANSLATE_NOOP(
                    "Corpus", "No text could be read: {count} file(s) skipped, for example {first}."
                ).format(count=len(skipped), first=first)
            )
        raise UserError(
            QT_TRANSLATE_NOOP("Corpus", "No text found: give .txt, .md or .docx files, or a folder that holds them.")
        )
    if summary.words < min_words:
        raise UserError(
            QT_TRANSLATE_NOOP(
                "Corpus",
                "Too little text to learn a style from: {words} words found, at least {minimum} are needed "
                "(about four pages).",
            ).format(words=summary.words, minimum=min_words)
        )
    return Corpus(tuple(texts), summary)


def read_text_file(path: Path) -> tuple[str, str] | Msg:
    """(text, encoding) of one .txt/.md/.docx file, or the reason it cannot be read as text."""
    if path.suffix.lower() == ".docx":
        return _read_docx(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return _os_reason(exc)
    return decode_text(data)


def decode_text(data: bytes) -> tuple[str, str] | Msg:
    """Bytes → (text, encoding name): a BOM decides first; then strict UTF-8; then strict GB18030 when the result is
    mostly CJK and ASCII (GB18030 maps many byte pairs, so a binary file must not pass as Chinese)."""
    if not data:
        return QT_TRANSLATE_NOOP("Corpus", "the file is empty")
    for bom, name in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError:
                return QT_TRANSLATE_NOOP("Corpus", "it starts like {encoding} text but is damaged").format(
                    encoding=name.upper()
                )
    if b"\x00" in data[:65536]:
        return QT_TRANSLATE_NOOP(
            "Corpus", "not a text file (it holds binary data; UTF-16 text needs a byte-order mark)"
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return QT_TRANSLATE_NOOP("Corpus", "not UTF-8 or GB18030 text (save it as UTF-8 and try again)")
    if _looks_like_text(text):
        return text, "gb18030"
    return QT_TRANSLATE_NOOP("Corpus", "not UTF-8 or GB18030 text (save it as UTF-8 and try again)")


def _looks_like_text(text: str) -> bool:
    sample = text[:20000]
    if not sample:
        return False
    good = sum(
        1
        for ch in sample
        if ch.isspace()
        or (ch.isascii() and ch.isprintable())
        or "\u3000" <= ch <= "\u9fff"
        or "\uff00" <= ch <= "\uffef"
        or unicodedata.category(ch)[0] in "LP"
    )
    return good / len(sample) >= 0.97


def _read_docx(path: Path) -> tuple[str, str] | Msg:
    try:
        with zipfile.ZipFile(path) as archive:
            try:
                info = archive.getinfo("word/document.xml")
            except KeyError:
                return QT_TRANSLATE_NOOP("Corpus", "not a Word document (no word/document.xml inside)")
            if info.file_size > _DOCX_MAX_XML_BYTES:
                return QT_TRANSLATE_NOOP("Corpus", "the document's text part is too large (over {limit} MB)").format(
                    limit=_mb(_DOCX_MAX_XML_BYTES)
                )
            xml = archive.read(info)
    except (zipfile.BadZipFile, OSError, RuntimeError) as exc:
        return QT_TRANSLATE_NOOP("Corpus", "not a readable .docx file ({reason})").format(reason=exc)
    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError as exc:
        return QT_TRANSLATE_NOOP("Corpus", "not a readable .docx file ({reason})").format(reason=exc)
    paragraphs = []
    for paragraph in root.iter(f"{_W_NS}p"):
        parts = []
        for node in paragraph.iter():
            if node.tag == f"{_W_NS}t" and node.text:
                parts.append(node.text)
            elif node.tag == f"{_W_NS}tab":
                parts.append("\t")
            elif node.tag in (f"{_W_NS}br", f"{_W_NS}cr"):
                parts.append("\n")
        paragraphs.append("".join(parts))
    return "\n\n".join(p for p in paragraphs if p.strip()), "docx"


def _candidates(paths: Iterable[str | Path], skipped: list[SkippedFile]) -> Iterable[Path]:
    """The files to read, in a stable order: each given file, then each folder's text files sorted by path."""
    seen: set[Path] = set()
    count = 0
    for raw in paths:
        path = Path(raw).expanduser()
        if path.is_file():
            found: Iterable[Path] = [path]
        else:
            found = sorted(
                p
                for p in path.rglob("*")
                if p.suffix.lower() in TEXT_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
                and p.is_file()
            )
        for file in found:
            real = file.resolve()
            if real in seen:
                continue
            seen.add(real)
            if path.is_file() and file.suffix.lower() not in TEXT_SUFFIXES:
                skipped.append(
                    SkippedFile(
                        str(file),
                        QT_TRANSLATE_NOOP("Corpus", "not a .txt, .md or .docx file"),
                    )
                )
                continue
            count += 1
            if count > MAX_FILES:
                skipped.append(
                    SkippedFile(
                        str(file),
                        QT_TRANSLATE_NOOP("Corpus", "not read: at most {limit} files are read").format(limit=MAX_FILES),
                    )
                )
                continue
            yield file


def _normalise(text: str) -> str:
    """Unix newlines, no trailing spaces on lines, at most one blank line between paragraphs."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _os_reason(exc: OSError) -> Msg:
    return QT_TRANSLATE_NOOP("Corpus", "cannot be read ({reason})").format(reason=exc.strerror or exc)


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f}" if n >= 1024 * 1024 else f"{n / (1024 * 1024):.2f}"
