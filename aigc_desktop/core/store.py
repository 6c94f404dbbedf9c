"""Project files: one SQLite database per project (`.aigc`).

Why SQLite: a transaction gives atomic saves for free (a killed save leaves the old project), and assets are rows keyed
by the hash of their content, so an unchanged image or clip is never re-encoded or rewritten (incremental saves).
Layout (schema 1): meta(key, value) with schema_version; manifest(id=1, json) with everything but media;
assets(hash, media, data) with PNG layers and .npy clips.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from aigc_desktop import __version__
from aigc_desktop.core.errors import UserError
from aigc_desktop.core.media import decode_image_bytes
from aigc_desktop.core.project import AiSpan, Canvas, Clip, Document, HistoryEntry, Layer, Project
from aigc_desktop.core.specs import JobSpec

SCHEMA_VERSION = 1

# Upgrades a manifest of schema N to N+1. Empty while schema 1 is the only one ever shipped.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}

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


# ---------------------------------------------------------------- assets


def _layer_key(layer: Layer) -> str:
    h = hashlib.sha256(f"rgba:{layer.image.width}x{layer.image.height}:".encode())
    h.update(layer.image.tobytes())
    return "img-" + h.hexdigest()


def _clip_key(clip: Clip) -> str:
    h = hashlib.sha256(f"f32:{clip.samples.shape}:".encode())
    h.update(clip.samples.tobytes())
    return "aud-" + h.hexdigest()


def _encode_layer(layer: Layer) -> bytes:
    buf = io.BytesIO()
    layer.image.save(buf, format="PNG", compress_level=1)  # lossless; level 1 keeps saves of big canvases quick
    return buf.getvalue()


def _encode_clip(clip: Clip) -> bytes:
    buf = io.BytesIO()
    np.save(buf, clip.samples, allow_pickle=False)
    return buf.getvalue()


def _decode_clip(data: bytes, what: str) -> np.ndarray:
    try:
        arr = np.load(io.BytesIO(data), allow_pickle=False)
    except (OSError, ValueError) as exc:
        raise UserError(f"{what} holds unreadable audio ({exc}).") from exc
    return np.asarray(arr, dtype=np.float32)


# ---------------------------------------------------------------- manifest


def _manifest(project: Project, layer_keys: list[str], clip_keys: list[str]) -> dict[str, Any]:
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
    }


def _project_from_manifest(m: dict[str, Any], read_asset: Callable[[str], bytes | None]) -> LoadReport:
    missing: list[str] = []
    layers: list[Layer] = []
    for item in m["canvas"]["layers"]:
        data = read_asset(item["asset"])
        if data is None:
            missing.append(f"layer '{item['name']}'")
            continue
        image = decode_image_bytes(data, f"Layer '{item['name']}'")
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
            missing.append(f"clip '{item['name']}'")
            continue
        samples = _decode_clip(data, f"Clip '{item['name']}'")
        clips.append(Clip(item["name"], samples, int(item["sample_rate"]), id=item["id"], spec_id=item.get("spec_id")))
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


def _schema_of(con: sqlite3.Connection) -> int | None:
    """The schema version of an open project database, or None when it is not one of ours."""
    try:
        row = con.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
    except sqlite3.DatabaseError:
        return None
    try:
        return int(row[0]) if row else None
    except ValueError:
        return None


def _write(con: sqlite3.Connection, project: Project) -> tuple[int, int]:
    written = reused = 0
    keys: dict[str, Callable[[], bytes]] = {}
    layer_keys = []
    for layer in project.canvas.layers:
        key = _layer_key(layer)
        layer_keys.append(key)
        keys[key] = lambda layer=layer: _encode_layer(layer)  # type: ignore[misc]
    clip_keys = []
    for clip in project.clips:
        key = _clip_key(clip)
        clip_keys.append(key)
        keys[key] = lambda clip=clip: _encode_clip(clip)  # type: ignore[misc]
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
        manifest = json.dumps(_manifest(project, layer_keys, clip_keys), ensure_ascii=False)
        con.execute("INSERT OR REPLACE INTO manifest(id, json) VALUES (1, ?)", (manifest,))
        meta = {"schema_version": str(SCHEMA_VERSION), "app_version": __version__, "saved_at": str(time.time())}
        con.executemany("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", meta.items())
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return written, reused


def _explain_save_error(path: Path, exc: BaseException) -> UserError:
    text = str(exc).lower()
    if "full" in text or getattr(exc, "errno", None) == 28:
        why = "the disk is full"
    elif "readonly" in text or "read-only" in text or isinstance(exc, PermissionError):
        why = "the folder or file is read-only"
    else:
        why = str(exc)
    return UserError(f"Could not save to {path}: {why}. Your work is still open; try Save As to another place.")


def save_project(project: Project, path: Path) -> SaveReport:
    """Save atomically. An existing project of this schema is updated in place in one transaction (only new assets
    are written); anything else is written to a temporary file in the same folder and renamed over the target."""
    path = Path(path)
    started = time.perf_counter()
    tmp: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        in_place = False
        if path.is_file() and path.stat().st_size > 0:
            with _connect(path, create=False) as con:
                in_place = _schema_of(con) == SCHEMA_VERSION
        target = path
        if not in_place:
            tmp = path.with_name(f".{path.name}.saving-{os.getpid()}")
            tmp.unlink(missing_ok=True)
            target = tmp
        with _connect(target, create=True) as con:
            con.executescript(_SCHEMA_SQL)
            written, reused = _write(con, project)
        if tmp is not None:
            _fsync(tmp)
            os.replace(tmp, path)
            _fsync_dir(path.parent)
            tmp = None
    except (OSError, sqlite3.Error) as exc:
        raise _explain_save_error(path, exc) from exc
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
    return SaveReport(path, written, reused, time.perf_counter() - started)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform can fsync a directory
        _fsync(path)


def load_project(path: Path) -> LoadReport:
    """Open a project; every way it can be unreadable becomes a ProjectFileError with one clear sentence."""
    path = Path(path)
    if not path.exists():
        raise ProjectFileError(f"{path} does not exist.")
    if not path.is_file():
        raise ProjectFileError(f"{path} is not a file.")
    if path.stat().st_size == 0:
        raise ProjectFileError(f"{path} is empty (0 bytes): it is not a project.")
    try:
        with _connect(path, create=False) as con:
            version = _schema_of(con)
            if version is None:
                raise ProjectFileError(f"{path.name} is not an AIGC Desktop project.")
            if version > SCHEMA_VERSION:
                raise ProjectFileError(
                    f"{path.name} was saved by a newer AIGC Desktop (schema {version}); please update the app."
                )
            row = con.execute("SELECT json FROM manifest WHERE id = 1").fetchone()
            if row is None:
                raise ProjectFileError(f"{path.name} is damaged: its manifest is missing.")
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
        raise ProjectFileError(f"{path.name} is damaged: {exc}") from exc
    except sqlite3.DatabaseError as exc:
        raise ProjectFileError(f"{path.name} is not a readable project ({exc}).") from exc
    except (KeyError, TypeError, ValueError) as exc:
        raise ProjectFileError(f"{path.name} is damaged: its manifest is incomplete ({exc}).") from exc
    except OSError as exc:
        raise ProjectFileError(f"Could not read {path}: {exc.strerror or exc}.") from exc
