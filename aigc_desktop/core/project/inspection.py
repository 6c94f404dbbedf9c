"""Inspecting a project file without changing it or loading its media (`aigc project info` / `aigc project check`):
counts, assets the manifest names but the file lacks, an interrupted save, and with decode=True every asset probed.
Opens the file the way core.project.store does (read-only; a hot journal is rolled back on a copy).
"""

from __future__ import annotations

import contextlib
import io
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.media import MAX_IMAGE_PIXELS
from aigc_desktop.core.project.manifest import MIGRATIONS, SCHEMA_VERSION, project_from_manifest
from aigc_desktop.core.project.store import (
    ProjectFileError,
    could_not_read,
    journal_of,
    open_read_only,
    supported_schema,
    unreadable,
)


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
        project_from_manifest(m, lambda _key: None)
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
        with open_read_only(path) as (con, interrupted):
            version = supported_schema(con, path)
            info = ProjectInfo(path, version, "", 0, 0, 0, [], None, [])
            info.interrupted_save = interrupted
            if interrupted:
                info.problems.append(
                    f"An interrupted save left {journal_of(path).name} beside it: the last complete save was read. "
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
        raise unreadable(path, exc) from exc
    except OSError as exc:
        raise could_not_read(path, exc) from exc
