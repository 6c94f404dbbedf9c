"""Project files: one SQLite database per project (`.aigc`).

Why SQLite: a transaction gives atomic saves for free (a killed save leaves the old project), and assets are rows keyed
by the hash of their content, so an unchanged image or clip is never re-encoded or rewritten (incremental saves).
Layout (schema 2): meta(key, value) with schema_version; manifest(id=1, json) with everything but media;
assets(hash, media, data) with PNG layers and story pictures, and .npy clips. The storyboard is the manifest's
"story" entry (core.story.board). Schema 2 is schema 1 plus that entry, which the app that wrote schema 1 did not
know: it would open a file with a storyboard, drop it and save over it. Schema 1 files (with or without the entry:
the storyboard first shipped without a bump) open through MIGRATIONS. A file of a newer schema than this app knows
is refused on opening and never saved over (save_project), so what the newer app added is never lost.

Opening (load_project, inspect_project) never writes to the file: the database is opened read-only, and when an
interrupted save left a hot journal beside it, the file and its journal are copied to a temporary folder and the
copy is rolled back there. The next save in place rolls the real file back, as SQLite does for any writer.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from aigc_desktop import __version__
from aigc_desktop.core import atomic
from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.media import MAX_IMAGE_PIXELS, decode_image_bytes
from aigc_desktop.core.project.model import AiSpan, Canvas, Clip, Document, HistoryEntry, Layer, Project
from aigc_desktop.core.specs import JobSpec
from aigc_desktop.core.story import board as story_board

SCHEMA_VERSION = 2


def _migrate_1_to_2(m: dict[str, Any]) -> dict[str, Any]:
    """Schema 1 → 2: the storyboard entry becomes part of every manifest (absent: an empty storyboard)."""
    return {**m, "story": m.get("story") or story_board.to_manifest(story_board.Storyboard(), {})}


# Upgrades a manifest of schema N to N+1, applied in turn when a file (or an archive) of an older schema opens.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _migrate_1_to_2}

_SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS manifest (id INTEGER PRIMARY KEY CHECK (id = 1), json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS assets (hash TEXT PRIMARY KEY, media TEXT NOT NULL, data BLOB NOT NULL);
"""


class ProjectFileError(UserError):
    """The file cannot be opened as a project; the message says why in one sentence."""


@dataclass
class SaveReport:
    path: Path
    assets_written: int
    assets_reused: int
    seconds: float


@dataclass
class LoadReport:
    project: Project
    schema_version: int
    missing_assets: list[str] = field(default_factory=list)  # names of layers/clips whose data is gone


@dataclass
class ProjectInfo:
    """What `inspect_project` found, without loading any media into memory."""

    path: Path
    schema_version: int
    name: str
    layers: int
    clips: int
    history: int
    missing_assets: list[str]  # "layer 'Sketch'", "clip 'Tone'": referenced by the manifest, absent from the file
    recovery_copy: Path | None  # an autosave copy of this project (core.recovery), filled in by the caller
    problems: list[str]  # one sentence each; empty means healthy (missing assets are listed here too)
    interrupted_save: bool = False  # a hot journal lies beside the file: what was read is the last complete save
    project_id: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "schema_version": self.schema_version,
            "name": self.name,
            "layers": self.layers,
            "clips": self.clips,
            "history": self.history,
            "missing_assets": list(self.missing_assets),
            "recovery_copy": None if self.recovery_copy is None else str(self.recovery_copy),
            "problems": list(self.problems),
            "interrupted_save": self.interrupted_save,
            "project_id": self.project_id,
        }


# ---------------------------------------------------------------- assets


def _image_key(image: Image.Image) -> str:
    h = hashlib.sha256(f"rgba:{image.width}x{image.height}:".encode())
    h.update(image.tobytes())
    return "img-" + h.hexdigest()


def _layer_key(layer: Layer) -> str:
    return _image_key(layer.image)


def _clip_key(clip: Clip) -> str:
    h = hashlib.sha256(f"f32:{clip.samples.shape}:".encode())
    h.update(clip.samples.tobytes())
    return "aud-" + h.hexdigest()


def _encode_image(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format="PNG", compress_level=1)  # lossless; level 1 keeps saves of big canvases quick
    return buf.getvalue()


def _encode_layer(layer: Layer) -> bytes:
    return _encode_image(layer.image)


def _encode_clip(clip: Clip) -> bytes:
    buf = io.BytesIO()
    np.save(buf, clip.samples, allow_pickle=False)
    return buf.getvalue()


def _decode_clip(data: bytes, what: str) -> np.ndarray:
    try:
        arr = np.load(io.BytesIO(data), allow_pickle=False)
    except (OSError, ValueError) as exc:
        raise UserError(
            QT_TRANSLATE_NOOP("ProjectStore", "{what} holds unreadable audio ({reason}).").format(
                what=what, reason=str(exc)
            )
        ) from exc
    return np.asarray(arr, dtype=np.float32)


# ---------------------------------------------------------------- manifest


def _manifest(
    project: Project, layer_keys: list[str], clip_keys: list[str], picture_keys: dict[str, str]
) -> dict[str, Any]:
    return {
        "id": project.id,
        "name": project.name,
        "created_at": project.created_at,
        "document": {
            "html": project.document.html,
            "text": project.document.text,
            "ai_spans": [vars(s) for s in project.document.ai_spans],
        },
        "canvas": {
            "width": project.canvas.width,
            "height": project.canvas.height,
            "layers": [
                {
                    "id": layer.id,
                    "name": layer.name,
                    "visible": layer.visible,
                    "opacity": layer.opacity,
                    "x": layer.x,
                    "y": layer.y,
                    "spec_id": layer.spec_id,
                    "asset": key,
                }
                for layer, key in zip(project.canvas.layers, layer_keys, strict=True)
            ],
        },
        "clips": [
            {"id": c.id, "name": c.name, "sample_rate": c.sample_rate, "spec_id": c.spec_id, "asset": key}
            for c, key in zip(project.clips, clip_keys, strict=True)
        ],
        "history": [
            {
                "spec": h.spec.to_dict(),
                "status": h.status,
                "started_at": h.started_at,
                "seconds": h.seconds,
                "model_licence": h.model_licence,
                "output_refs": h.output_refs,
                "summary": h.summary,
                "metrics": h.metrics,
            }
            for h in project.history
        ],
        "story": story_board.to_manifest(project.story, picture_keys),
    }


def _project_from_manifest(m: dict[str, Any], read_asset: Callable[[str], bytes | None]) -> LoadReport:
    missing: list[str] = []
    layers: list[Layer] = []
    for item in m["canvas"]["layers"]:
        data = read_asset(item["asset"])
        if data is None:
            missing.append(QT_TRANSLATE_NOOP("ProjectStore", "layer '{name}'").format(name=item["name"]))
            continue
        image = decode_image_bytes(data, QT_TRANSLATE_NOOP("ProjectStore", "Layer '{name}'").format(name=item["name"]))
        layers.append(
            Layer(
                name=item["name"],
                image=image,
                id=item["id"],
                visible=bool(item["visible"]),
                opacity=float(item["opacity"]),
                x=int(item["x"]),
                y=int(item["y"]),
                spec_id=item.get("spec_id"),
            )
        )
    clips: list[Clip] = []
    for item in m["clips"]:
        data = read_asset(item["asset"])
        if data is None:
            missing.append(QT_TRANSLATE_NOOP("ProjectStore", "clip '{name}'").format(name=item["name"]))
            continue
        samples = _decode_clip(data, QT_TRANSLATE_NOOP("ProjectStore", "Clip '{name}'").format(name=item["name"]))
        clips.append(Clip(item["name"], samples, int(item["sample_rate"]), id=item["id"], spec_id=item.get("spec_id")))

    def read_picture(key: str, name: str) -> Image.Image | None:
        data = read_asset(key)
        what = QT_TRANSLATE_NOOP("ProjectStore", "Story picture '{name}'").format(name=name)
        return None if data is None else decode_image_bytes(data, what)

    story = story_board.from_manifest(m.get("story"), read_picture, missing)
    doc = m["document"]
    project = Project(
        name=m["name"],
        document=Document(doc["html"], doc["text"], [AiSpan(**s) for s in doc["ai_spans"]]),
        canvas=Canvas(int(m["canvas"]["width"]), int(m["canvas"]["height"]), layers),
        clips=clips,
        history=[
            HistoryEntry(
                spec=JobSpec.from_dict(h["spec"]),
                status=h["status"],
                started_at=float(h["started_at"]),
                seconds=float(h["seconds"]),
                model_licence=h.get("model_licence", ""),
                output_refs=list(h.get("output_refs", [])),
                summary=h.get("summary", ""),
                metrics=dict(h.get("metrics", {})),
            )
            for h in m["history"]
        ],
        id=m["id"],
        created_at=float(m["created_at"]),
        story=story,
    )
    return LoadReport(project, SCHEMA_VERSION, missing)


# ---------------------------------------------------------------- database


@contextlib.contextmanager
def _connect(path: Path, *, create: bool) -> Iterator[sqlite3.Connection]:
    mode = "rwc" if create else "rw"
    con = sqlite3.connect(f"{path.resolve().as_uri()}?mode={mode}", uri=True, isolation_level=None, timeout=5)
    try:
        con.execute("PRAGMA synchronous=FULL")  # a commit is on disk before save() returns
        yield con
    finally:
        con.close()


_SQLITE_MAGIC = b"SQLite format 3\x00"


def _check_file(path: Path) -> None:
    """The checks every opener shares, before SQLite sees the file: each failure is one sentence."""
    if not path.exists():
        raise ProjectFileError(QT_TRANSLATE_NOOP("ProjectStore", "{path} does not exist.").format(path=str(path)))
    if not path.is_file():
        raise ProjectFileError(QT_TRANSLATE_NOOP("ProjectStore", "{path} is not a file.").format(path=str(path)))
    if path.stat().st_size == 0:
        raise ProjectFileError(
            QT_TRANSLATE_NOOP("ProjectStore", "{path} is empty (0 bytes): it is not a project.").format(path=str(path))
        )
    with path.open("rb") as f:
        header = f.read(100)
    if not header.startswith(_SQLITE_MAGIC):
        raise ProjectFileError(
            QT_TRANSLATE_NOOP(
                "ProjectStore", "{name} is not a readable project (it is not an SQLite database)."
            ).format(name=path.name)
        )
    # Bytes 18-19 are 2 in WAL mode. We never write WAL, and a read-only open of a WAL database can create -wal and
    # -shm files beside it: refuse it before opening, so opening another program's database leaves no trace.
    if len(header) >= 20 and 2 in (header[18], header[19]):
        raise ProjectFileError(
            QT_TRANSLATE_NOOP(
                "ProjectStore", "{name} is not an AIGC Desktop project (another program's database)."
            ).format(name=path.name)
        )


def _ro_connect(path: Path) -> sqlite3.Connection:
    # mode=ro opens the file O_RDONLY: SQLite can neither write it nor roll back a hot journal into it.
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None, timeout=5)


def _needs_rollback(con: sqlite3.Connection) -> bool:
    """Read the schema once: a hot journal shows up here, as SQLITE_READONLY_ROLLBACK, on the first read."""
    try:
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError as exc:
        if getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_READONLY_ROLLBACK:
            return True
        raise
    return False


def _journal_of(path: Path) -> Path:
    return path.with_name(path.name + "-journal")


def _stat_key(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return st.st_size, st.st_mtime_ns


def _copy_with_journal(path: Path, folder: Path) -> Path:
    """Copy the database and its journal into `folder` (same names SQLite expects), checking that neither changed
    while being copied: a writer that appears meanwhile would roll the original back under us."""
    copy = folder / "project.aigc"
    for _attempt in range(3):
        before = (_stat_key(path), _stat_key(_journal_of(path)))
        shutil.copyfile(path, copy)
        _journal_of(copy).unlink(missing_ok=True)
        with contextlib.suppress(FileNotFoundError):  # rolled back meanwhile: the database alone is consistent
            shutil.copyfile(_journal_of(path), _journal_of(copy))
        if (_stat_key(path), _stat_key(_journal_of(path))) == before:
            return copy
    raise ProjectFileError(
        QT_TRANSLATE_NOOP("ProjectStore", "{name} is being written by another program; try again in a moment.").format(
            name=path.name
        )
    )


@contextlib.contextmanager
def _open_read_only(path: Path) -> Iterator[tuple[sqlite3.Connection, bool]]:
    """A connection that cannot change `path`, and whether a hot journal had to be rolled back (on a copy)."""
    _check_file(path)
    con = _ro_connect(path)
    try:
        hot = _needs_rollback(con)
        if not hot:
            yield con, False
    finally:
        con.close()
    if hot:
        with tempfile.TemporaryDirectory(prefix="aigc-open-") as tmp:
            copy = _copy_with_journal(path, Path(tmp))
            con = sqlite3.connect(f"{copy.as_uri()}?mode=rw", uri=True, isolation_level=None, timeout=5)
            try:
                con.execute("SELECT count(*) FROM sqlite_master").fetchone()  # rolls the copy back
                yield con, True
            finally:
                con.close()


def _read_schema(con: sqlite3.Connection) -> int | None:
    """The schema version of an open project database, or None when it is not one of ours. I/O and lock errors
    propagate: a busy or unreadable file must not read as "not a project"."""
    tables = {row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not {"meta", "manifest", "assets"} <= tables:
        return None
    row = con.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
    try:
        return int(row[0]) if row else None
    except (TypeError, ValueError):
        return None


@dataclass
class ProjectAssets:
    """A project's media by content key, each image hashed once: the keys the manifest names and the lazy encoders
    (an asset already stored under its key is never encoded again)."""

    layer_keys: list[str]
    clip_keys: list[str]
    picture_keys: dict[str, str]  # story picture id → key
    encoders: dict[str, Callable[[], bytes]]


def project_assets(project: Project) -> ProjectAssets:
    """The project's media keys and encoders. Shared with core.archive, which stores the same assets in a zip."""
    encoders: dict[str, Callable[[], bytes]] = {}
    layer_keys = []
    for layer in project.canvas.layers:
        key = _layer_key(layer)
        layer_keys.append(key)
        encoders[key] = lambda layer=layer: _encode_layer(layer)  # type: ignore[misc]
    clip_keys = []
    for clip in project.clips:
        key = _clip_key(clip)
        clip_keys.append(key)
        encoders[key] = lambda clip=clip: _encode_clip(clip)  # type: ignore[misc]
    picture_keys: dict[str, str] = {}
    for picture in project.story.pictures:  # named in the manifest's "story" entry by the same content key
        key = picture_keys[picture.id] = _image_key(picture.image)
        encoders[key] = lambda picture=picture: _encode_image(picture.image)  # type: ignore[misc]
    return ProjectAssets(layer_keys, clip_keys, picture_keys, encoders)


def build_manifest(project: Project, assets: ProjectAssets) -> dict[str, Any]:
    """The manifest a project file stores (everything but media); the archive format stores the same dict."""
    return _manifest(project, assets.layer_keys, assets.clip_keys, assets.picture_keys)


def project_from_manifest(m: dict[str, Any], read_asset: Callable[[str], bytes | None]) -> LoadReport:
    """Rebuild a Project from a manifest of the current schema; images go through the decompression-bomb guard."""
    return _project_from_manifest(m, read_asset)


def _write(con: sqlite3.Connection, project: Project) -> tuple[int, int]:
    written = reused = 0
    assets = project_assets(project)
    keys = assets.encoders
    con.execute("BEGIN IMMEDIATE")
    try:
        present = {row[0] for row in con.execute("SELECT hash FROM assets")}
        for key, encode in keys.items():
            if key in present:
                reused += 1
                continue
            con.execute("INSERT INTO assets(hash, media, data) VALUES (?, ?, ?)", (key, key[:3], encode()))
            written += 1
        stale = present - keys.keys()
        con.executemany("DELETE FROM assets WHERE hash = ?", [(k,) for k in stale])
        manifest = json.dumps(build_manifest(project, assets), ensure_ascii=False)
        con.execute("INSERT OR REPLACE INTO manifest(id, json) VALUES (1, ?)", (manifest,))
        meta = {"schema_version": str(SCHEMA_VERSION), "app_version": __version__, "saved_at": str(time.time())}
        con.executemany("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", meta.items())
        con.execute("COMMIT")
    except BaseException:
        # On a full disk (SQLITE_FULL) and I/O errors SQLite has already rolled back: a second ROLLBACK would raise
        # "no transaction is active" and hide the real reason from the message.
        if con.in_transaction:
            con.execute("ROLLBACK")
        raise
    return written, reused


def _explain_save_error(path: Path, exc: BaseException) -> UserError:
    text = str(exc).lower()
    why: str
    if "full" in text or getattr(exc, "errno", None) == 28:
        why = QT_TRANSLATE_NOOP("ProjectStore", "the disk is full")
    elif "readonly" in text or "read-only" in text or isinstance(exc, PermissionError):
        why = QT_TRANSLATE_NOOP("ProjectStore", "the folder or file is read-only")
    else:
        why = str(exc)
    return UserError(
        QT_TRANSLATE_NOOP(
            "ProjectStore", "Could not save to {path}: {reason}. Your work is still open; try Save As to another place."
        ).format(path=str(path), reason=why)
    )


def save_project(project: Project, path: Path) -> SaveReport:
    """Save atomically. An existing project of this schema is updated in place in one transaction (only new assets
    are written); anything else is written to a temporary file in the same folder and renamed over the target,
    durably (core.atomic: the file reaches the disk before the rename, the rename after it). A project of a newer
    schema is refused and left as it is: this app cannot read what the newer one added, so it must not replace it."""
    path = Path(path)
    started = time.perf_counter()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        existing = _existing_schema(path)
        if existing is not None and existing > SCHEMA_VERSION:
            raise ProjectFileError(
                QT_TRANSLATE_NOOP(
                    "ProjectStore",
                    "{name} was saved by a newer AIGC Desktop (schema {version}); saving over it would lose what that "
                    "version added. Save to another file, or update the app.",
                ).format(name=path.name, version=existing)
            )
        if existing == SCHEMA_VERSION:
            written, reused = _write_file(path, project)
        else:
            with atomic.replacing(path, durable=True) as tmp:
                tmp.touch(exist_ok=False)  # Python's error names the cause (read-only, denied, full); SQLite's cannot
                written, reused = _write_file(tmp, project)
    except (OSError, sqlite3.Error) as exc:
        raise _explain_save_error(path, exc) from exc
    return SaveReport(path, written, reused, time.perf_counter() - started)


def _write_file(target: Path, project: Project) -> tuple[int, int]:
    with _connect(target, create=True) as con:
        con.executescript(_SCHEMA_SQL)
        return _write(con, project)


def _existing_schema(path: Path) -> int | None:
    """The schema of the project at `path`: this one's is updated in place, a newer one is refused; None (absent,
    empty, a text file, another program's database) and older ones are replaced whole by a temp file + rename."""
    try:
        _check_file(path)
    except ProjectFileError:
        return None
    try:
        # Read-write on purpose: about to write anyway, and a hot journal left by a killed save is rolled back here.
        with _connect(path, create=False) as con:
            return _read_schema(con)
    except sqlite3.OperationalError:
        raise  # locked, unreadable, read-only: the caller explains it
    except sqlite3.DatabaseError:  # "file is not a database" and kin
        return None


def _supported_schema(con: sqlite3.Connection, path: Path) -> int:
    """The file's schema version, or one clear refusal: not ours, or made by a newer app."""
    version = _read_schema(con)
    if version is None:
        raise ProjectFileError(
            QT_TRANSLATE_NOOP("ProjectStore", "{name} is not an AIGC Desktop project.").format(name=path.name)
        )
    if version > SCHEMA_VERSION:
        raise ProjectFileError(
            QT_TRANSLATE_NOOP(
                "ProjectStore", "{name} was saved by a newer AIGC Desktop (schema {version}); please update the app."
            ).format(name=path.name, version=version)
        )
    return version


def load_project(path: Path) -> LoadReport:
    """Open a project; every way it can be unreadable becomes a ProjectFileError with one clear sentence. The file
    is only read, never written (see the module docstring for an interrupted save's journal)."""
    path = Path(path)
    try:
        with _open_read_only(path) as (con, _recovered):
            version = _supported_schema(con, path)
            row = con.execute("SELECT json FROM manifest WHERE id = 1").fetchone()
            if row is None:
                raise ProjectFileError(
                    QT_TRANSLATE_NOOP("ProjectStore", "{name} is damaged: its manifest is missing.").format(
                        name=path.name
                    )
                )
            manifest: dict[str, Any] = json.loads(row[0])
            for v in range(version, SCHEMA_VERSION):
                manifest = MIGRATIONS[v](manifest)

            def read_asset(key: str) -> bytes | None:
                r = con.execute("SELECT data FROM assets WHERE hash = ?", (key,)).fetchone()
                return None if r is None else bytes(r[0])

            report = _project_from_manifest(manifest, read_asset)
            report.schema_version = version
            return report
    except ProjectFileError:
        raise
    except UserError as exc:
        raise ProjectFileError(
            QT_TRANSLATE_NOOP("ProjectStore", "{name} is damaged: {reason}").format(name=path.name, reason=exc.message)
        ) from exc
    except sqlite3.DatabaseError as exc:
        raise _unreadable(path, exc) from exc
    except (KeyError, TypeError, ValueError) as exc:
        raise ProjectFileError(
            QT_TRANSLATE_NOOP("ProjectStore", "{name} is damaged: its manifest is incomplete ({reason}).").format(
                name=path.name, reason=str(exc)
            )
        ) from exc
    except OSError as exc:
        raise _could_not_read(path, exc) from exc


def _unreadable(path: Path, exc: BaseException) -> ProjectFileError:
    return ProjectFileError(
        QT_TRANSLATE_NOOP("ProjectStore", "{name} is not a readable project ({reason}).").format(
            name=path.name, reason=str(exc)
        )
    )


def _could_not_read(path: Path, exc: OSError) -> ProjectFileError:
    return ProjectFileError(
        QT_TRANSLATE_NOOP("ProjectStore", "Could not read {path}: {reason}.").format(
            path=str(path), reason=exc.strerror or str(exc)
        )
    )


# ---------------------------------------------------------------- inspection (aigc project info / check)


def _probe_image(data: bytes) -> str | None:
    """Why this layer's PNG would not open, or None. The size comes from the header first, so a decompression bomb
    is refused without decoding; within the limit the pixels are decoded once and dropped."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            w, h = probe.size
            if w * h > MAX_IMAGE_PIXELS:
                return f"is {w}×{h} pixels, larger than this app opens (possible decompression bomb)"
            probe.verify()  # chunk CRCs: catches flipped bits that still inflate
        with Image.open(io.BytesIO(data)) as image:
            image.load()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        return f"is not a readable image ({exc})"
    return None


def _probe_npy(data: bytes) -> str | None:
    """Why this clip's .npy would not load, or None: header fields and the byte count they imply, no decoding."""
    f = io.BytesIO(data)
    try:
        major, _minor = np.lib.format.read_magic(f)
        if major == 1:
            shape, _fortran, dtype = np.lib.format.read_array_header_1_0(f)
        else:
            shape, _fortran, dtype = np.lib.format.read_array_header_2_0(f)
    except (OSError, ValueError, SyntaxError) as exc:
        return f"is not readable audio ({exc})"
    if dtype.hasobject or dtype.kind not in "fiu" or len(shape) not in (1, 2):
        return f"is not audio samples (dtype {dtype}, shape {shape})"
    expected = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    actual = len(data) - f.tell()
    if actual != expected:
        return f"is truncated ({actual} of {expected} bytes)"
    return None


def _manifest_problems(m: dict[str, Any]) -> list[str]:
    """Structural problems load_project would stumble on, found without reading any asset."""
    problems: list[str] = []
    for kind, items, keys in (
        ("layer", m["canvas"]["layers"], ("id", "name", "asset", "visible", "opacity", "x", "y")),
        ("clip", m["clips"], ("id", "name", "asset", "sample_rate")),
    ):
        for n, item in enumerate(items):
            lacking = [k for k in keys if k not in item] if isinstance(item, dict) else list(keys)
            if lacking:
                problems.append(f"{kind} {n + 1} lacks {', '.join(lacking)} in the manifest.")
    for item in m["clips"]:
        with contextlib.suppress(KeyError, TypeError, ValueError):
            if int(item["sample_rate"]) <= 0:
                problems.append(f"clip '{item.get('name')}' has sample rate {item['sample_rate']}.")
    if problems:
        return problems
    try:  # every asset reads as missing here, so this checks the document and history without touching media
        _project_from_manifest(m, lambda _key: None)
    except (KeyError, TypeError, ValueError, UserError) as exc:
        problems.append(f"The manifest is incomplete ({exc}).")
    return problems


def inspect_project(path: Path, *, decode: bool = False) -> ProjectInfo:
    """Describe a project without changing it and without loading its media: counts, assets the manifest names but
    the file lacks, the recovery copy, and problems. With decode=True every asset is also probed (PNG header and
    CRCs, pixels only within the size limit, .npy header and length), one at a time, plus SQLite's quick_check.
    Raises ProjectFileError when the file cannot be read as a project at all (absent, empty, not ours, newer)."""
    path = Path(path)
    try:
        with _open_read_only(path) as (con, interrupted):
            version = _supported_schema(con, path)
            info = ProjectInfo(path, version, "", 0, 0, 0, [], None, [])
            info.interrupted_save = interrupted
            if interrupted:
                info.problems.append(
                    f"An interrupted save left {_journal_of(path).name} beside it: the last complete save was read. "
                    "Keep the two files together; the next save finishes the recovery."
                )
            if decode:
                bad = [r[0] for r in con.execute("PRAGMA quick_check(5)") if r[0] != "ok"]
                info.problems.extend(f"The database is damaged: {b}" for b in bad)
            row = con.execute("SELECT json FROM manifest WHERE id = 1").fetchone()
            if row is None:
                info.problems.append("The manifest is missing.")
                return info
            try:
                m: dict[str, Any] = json.loads(row[0])
                for v in range(version, SCHEMA_VERSION):
                    m = MIGRATIONS[v](m)
                info.name = str(m["name"])
                info.project_id = str(m["id"])
                info.layers, info.clips = len(m["canvas"]["layers"]), len(m["clips"])
                info.history = len(m["history"])
                structural = _manifest_problems(m)
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                info.problems.append(f"The manifest is incomplete ({exc}).")
                return info
            info.problems.extend(structural)
            present = {r[0] for r in con.execute("SELECT hash FROM assets")}  # keys only: no blob is read here
            referenced = [("layer", item) for item in m["canvas"]["layers"]] + [("clip", item) for item in m["clips"]]
            referenced += [("story picture", item) for item in (m.get("story") or {}).get("pictures", [])]
            for kind, item in (r for r in referenced if isinstance(r[1], dict)):
                label = f"{kind} '{item.get('name')}'"
                key = item.get("asset")
                if key not in present:
                    info.missing_assets.append(label)
                    info.problems.append(f"The {label} has no data in the file (missing asset).")
                elif decode:
                    r = con.execute("SELECT data FROM assets WHERE hash = ?", (key,)).fetchone()
                    why = _probe_npy(bytes(r[0])) if kind == "clip" else _probe_image(bytes(r[0]))
                    if why:
                        info.problems.append(f"The {label} {why}.")
            return info
    except ProjectFileError:
        raise
    except sqlite3.DatabaseError as exc:
        raise _unreadable(path, exc) from exc
    except OSError as exc:
        raise _could_not_read(path, exc) from exc
