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

This module is the file: opening it safely, saving it atomically, loading it. What a project looks like as a manifest
and assets (and MIGRATIONS) is core.project.manifest, shared with the archive (core.project.archive);
`aigc project info/check` reads files through core.project.inspection.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aigc_desktop import __version__
from aigc_desktop.core import atomic
from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.project.manifest import (
    MIGRATIONS,
    SCHEMA_VERSION,
    LoadReport,
    build_manifest,
    project_assets,
    project_from_manifest,
)
from aigc_desktop.core.project.model import Project

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


def journal_of(path: Path) -> Path:
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
        before = (_stat_key(path), _stat_key(journal_of(path)))
        shutil.copyfile(path, copy)
        journal_of(copy).unlink(missing_ok=True)
        with contextlib.suppress(FileNotFoundError):  # rolled back meanwhile: the database alone is consistent
            shutil.copyfile(journal_of(path), journal_of(copy))
        if (_stat_key(path), _stat_key(journal_of(path))) == before:
            return copy
    raise ProjectFileError(
        QT_TRANSLATE_NOOP("ProjectStore", "{name} is being written by another program; try again in a moment.").format(
            name=path.name
        )
    )


@contextlib.contextmanager
def open_read_only(path: Path) -> Iterator[tuple[sqlite3.Connection, bool]]:
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


def supported_schema(con: sqlite3.Connection, path: Path) -> int:
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
        with open_read_only(path) as (con, _recovered):
            version = supported_schema(con, path)
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

            report = project_from_manifest(manifest, read_asset)
            report.schema_version = version
            return report
    except ProjectFileError:
        raise
    except UserError as exc:
        raise ProjectFileError(
            QT_TRANSLATE_NOOP("ProjectStore", "{name} is damaged: {reason}").format(name=path.name, reason=exc.message)
        ) from exc
    except sqlite3.DatabaseError as exc:
        raise unreadable(path, exc) from exc
    except (KeyError, TypeError, ValueError) as exc:
        raise ProjectFileError(
            QT_TRANSLATE_NOOP("ProjectStore", "{name} is damaged: its manifest is incomplete ({reason}).").format(
                name=path.name, reason=str(exc)
            )
        ) from exc
    except OSError as exc:
        raise could_not_read(path, exc) from exc


def unreadable(path: Path, exc: BaseException) -> ProjectFileError:
    return ProjectFileError(
        QT_TRANSLATE_NOOP("ProjectStore", "{name} is not a readable project ({reason}).").format(
            name=path.name, reason=str(exc)
        )
    )


def could_not_read(path: Path, exc: OSError) -> ProjectFileError:
    return ProjectFileError(
        QT_TRANSLATE_NOOP("ProjectStore", "Could not read {path}: {reason}.").format(
            path=str(path), reason=exc.strerror or str(exc)
        )
    )
