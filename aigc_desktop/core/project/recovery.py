"""Recovery copies: what autosave writes while a project has unsaved changes, and what the next start offers back.

Layout: `<data_dir>/recovery/<project id>.aigc` (a normal project file, written with save_project, so it is atomic and
unchanged assets are never rewritten) next to `<project id>.json`, a small sidecar that describes the copy without
opening it (name, original path, when, which process, counts) so the start-up dialog stays instant for big projects.
A copy is offered back only when the process that wrote it is gone: two running instances never take each other's.
The writer holds `<data_dir>/locks/recovery-<project id>.lock` (core.locks) from before its first write until the
copy is discarded; the kernel frees it when the process ends, however it ends, so "is the owner gone?" is "is the
lock free?": no pid that a new process may have reused, no grace period.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from aigc_desktop.core import atomic, locks
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.paths import PROJECT_SUFFIX, AppPaths
from aigc_desktop.core.project.model import UNTITLED, Project
from aigc_desktop.core.project.store import load_project, save_project
from aigc_desktop.core.text.job import count_words

log = logging.getLogger(__name__)

SQLITE_MAGIC = b"SQLite format 3\x00"

# The copies this process owns, by lock file: held from the first write of a copy until it is discarded.
_owned: dict[Path, locks.Lock] = {}
_owned_guard = threading.Lock()

DESCRIPTION_LOST = QT_TRANSLATE_NOOP("Recovery", "Untitled (description lost)")


@dataclass
class RecoveryInfo:
    """One recovery copy as the start-up dialog shows it. `problem` is set (and restore refused) when it is damaged."""

    project_id: str
    name: str
    original_path: Path | None  # None: the project was never saved
    saved_at: float
    pid: int
    counts: dict[str, int] = field(default_factory=dict)  # layers, clips, history, words
    copy_path: Path = Path()
    sidecar_path: Path = Path()
    problem: str | None = None

    @property
    def restorable(self) -> bool:
        return self.problem is None


def recovery_dir(paths: AppPaths) -> Path:
    return paths.data_dir / "recovery"


def copy_path(paths: AppPaths, project_id: str) -> Path:
    return recovery_dir(paths) / f"{project_id}{PROJECT_SUFFIX}"


def sidecar_path(paths: AppPaths, project_id: str) -> Path:
    return recovery_dir(paths) / f"{project_id}.json"


def lock_path(paths: AppPaths, project_id: str) -> Path:
    """Held by the process whose copy of `project_id` this is (outside the recovery folder, which holds copies and
    their sidecars only)."""
    return paths.data_dir / "locks" / f"recovery-{project_id}.lock"


def owner_running(paths: AppPaths, project_id: str) -> bool:
    """Whether a running process (this one included) owns the copy of `project_id`."""
    return locks.is_held(lock_path(paths, project_id))


def _own(paths: AppPaths, project_id: str) -> None:
    path = lock_path(paths, project_id)
    with _owned_guard:
        if path in _owned:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = locks.take(path)
        if lock is None:
            # Another running instance has the same project open and autosaves it too: both write the one copy (as
            # they always did), and it stays that instance's until it lets go; the next write tries again.
            log.info("the recovery copy of %s belongs to another running instance", project_id)
            return
        _owned[path] = lock


def _disown(paths: AppPaths, project_id: str) -> None:
    """Let go of the copy's lock and delete the lock file: ours, or a crashed instance's that nobody holds now."""
    path = lock_path(paths, project_id)
    with _owned_guard:
        lock = _owned.pop(path, None)
    if lock is None and path.exists():
        lock = locks.take(path)
    if lock is not None:
        lock.release(remove=True)


def project_counts(project: Project) -> dict[str, int]:
    return {
        "layers": len(project.canvas.layers),
        "clips": len(project.clips),
        "history": len(project.history),
        "words": count_words(project.document.text),
    }


def write_recovery(paths: AppPaths, project: Project, original_path: Path | None) -> Path:
    """Write (or update) the recovery copy of `project`; returns the copy's path. Raises UserError/OSError."""
    target = copy_path(paths, project.id)
    _own(paths, project.id)  # before the copy exists: a copy on disk has a running owner or none
    save_project(project, target)  # the copy first: a sidecar must never describe a copy that is not there yet
    sidecar = {
        "project_id": project.id,
        "name": project.name,
        "original_path": str(original_path) if original_path is not None else None,
        "saved_at": time.time(),
        "pid": os.getpid(),
        "counts": project_counts(project),
    }
    atomic.write_json(sidecar_path(paths, project.id), sidecar, indent=1)
    return target


def discard_recovery(paths: AppPaths, project_id: str) -> None:
    """Delete the copy of `project_id` (after a real save, a New/Open that replaced it, a clean quit, or Discard).

    The copy goes before its sidecar, so an interrupted discard leaves only a sidecar, which is cleaned up later.
    The lock goes last, and only once the copy is gone: a copy that could not be deleted stays this process's."""
    copy = copy_path(paths, project_id)
    for path in (copy, sidecar_path(paths, project_id)):
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:  # a locked or read-only file is left for the next discard; it never blocks the user
            log.warning("could not delete recovery file %s: %s", path, exc)
    if not copy.exists():
        _disown(paths, project_id)


def _looks_like_project(path: Path) -> str | None:
    """A cheap check (16 bytes) that the copy is a database at all; None when fine, else why not."""
    try:
        with path.open("rb") as f:
            head = f.read(len(SQLITE_MAGIC))
    except OSError as exc:
        return QT_TRANSLATE_NOOP("Recovery", "it cannot be read ({reason})").format(reason=exc.strerror or str(exc))
    if head != SQLITE_MAGIC:
        return QT_TRANSLATE_NOOP("Recovery", "it is not a project file")
    return None


def _info_from_sidecar(paths: AppPaths, sidecar: Path) -> RecoveryInfo:
    project_id = sidecar.stem
    try:
        raw = json.loads(sidecar.read_text(encoding="utf-8"))
        if not isinstance(raw, dict):
            raise ValueError("not a JSON object")
        original = raw.get("original_path")
        counts = raw.get("counts") or {}
        return RecoveryInfo(
            project_id=project_id,  # the file name, not the JSON: it is what discard deletes
            name=str(raw.get("name") or "") or UNTITLED,  # the window shows "Untitled" translated
            original_path=Path(original) if original else None,
            saved_at=float(raw.get("saved_at") or 0.0),
            pid=int(raw.get("pid") or 0),
            counts={str(k): int(v) for k, v in counts.items()},
            copy_path=copy_path(paths, project_id),
            sidecar_path=sidecar,
        )
    except (OSError, ValueError, TypeError, AttributeError) as exc:
        # The description is lost but the copy may be fine: still offer it, with what the file itself can tell.
        log.warning("recovery sidecar %s is unreadable: %s", sidecar, exc)
        copy = copy_path(paths, project_id)
        return RecoveryInfo(
            project_id=project_id,
            name=DESCRIPTION_LOST,
            original_path=None,
            saved_at=_mtime(copy),
            pid=0,
            copy_path=copy,
            sidecar_path=sidecar,
        )


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def pending_recoveries(paths: AppPaths) -> list[RecoveryInfo]:
    """Copies left by processes that are no longer running, restorable and newest first. Damaged ones are included
    with `problem` set (so the user hears about them and can discard them), never raised."""
    folder = recovery_dir(paths)
    if not folder.is_dir():
        return []
    found: list[RecoveryInfo] = []
    seen: set[str] = set()
    for sidecar in sorted(folder.glob("*.json")):
        if sidecar.name.startswith("."):
            continue
        seen.add(sidecar.stem)
        info = _info_from_sidecar(paths, sidecar)
        if owner_running(paths, info.project_id):
            continue  # a running instance's work in progress
        if not info.copy_path.exists():
            # Only a sidecar: an interrupted discard. Nothing to offer; tidy it away.
            with contextlib.suppress(OSError):
                sidecar.unlink()
            continue
        if info.problem is None:
            info.problem = _looks_like_project(info.copy_path)
        found.append(info)
    for copy in sorted(folder.glob(f"*{PROJECT_SUFFIX}")):
        if copy.name.startswith(".") or copy.stem in seen or owner_running(paths, copy.stem):
            continue  # hidden (a save's temporary file), described above, or a running instance's first write
        # A copy whose sidecar was never written (crash between the two writes): still worth offering.
        found.append(
            RecoveryInfo(
                project_id=copy.stem,
                name=DESCRIPTION_LOST,
                original_path=None,
                saved_at=_mtime(copy),
                pid=0,
                copy_path=copy,
                sidecar_path=sidecar_path(paths, copy.stem),
                problem=_looks_like_project(copy),
            )
        )
    for info in found:
        if info.problem:
            log.warning("recovery copy %s is damaged: %s", info.copy_path, info.problem)
    found.sort(key=lambda i: (not i.restorable, -i.saved_at))  # what can be restored first, newest first
    return found


def restore(info: RecoveryInfo) -> Project:
    """The project in the copy. Raises ProjectFileError (a UserError) when it cannot be read."""
    return load_project(info.copy_path).project
