"""Where catalog downloads live on disk, and who may run one: plain Python, no network.

An unfinished download is `<models>/.downloads/<id>/`: `state.json` (what the files are, written by
core.models.downloads), `files/*.part` (the bytes so far) and `lock` (held by the process downloading it, so a
second window or `aigc` command is refused). A finished one is `<models>/<kind>/<id>/` with its install note. This
module answers what is installed, what is pending and how far it got, discards a pending one, and claims a model for
one download at a time; the transfer itself is core.models.downloads.
"""

from __future__ import annotations

import contextlib
import json
import logging
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from aigc_desktop.core import locks
from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.models.catalog import CatalogModel
from aigc_desktop.core.models.download_control import PendingDownload
from aigc_desktop.core.models.installed import read_install_info

log = logging.getLogger(__name__)

STAGING_DIRNAME = ".downloads"
STATE_FILE = "state.json"
LOCK_FILE = "lock"
FILES_DIRNAME = "files"
PART_SUFFIX = ".part"

# Model ids being downloaded by this process (the lock file keeps other processes out, see claim).
_active: set[str] = set()
_active_guard = threading.Lock()


def staging_dir(models_dir: Path, model_id: str) -> Path:
    return models_dir / STAGING_DIRNAME / model_id


def install_dir(models_dir: Path, model: CatalogModel) -> Path:
    return models_dir / model.kind.value / model.id


def is_installed(models_dir: Path, model: CatalogModel) -> bool:
    info = read_install_info(install_dir(models_dir, model))
    return info is not None and info.id == model.id


def pending_downloads(models_dir: Path) -> list[PendingDownload]:
    """Unfinished downloads (paused, interrupted, or running now), with how far each got."""
    root = models_dir / STAGING_DIRNAME
    if not root.is_dir():
        return []
    pending = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        state = read_state(folder)
        if state is None:
            continue
        pending.append(
            PendingDownload(
                model_id=str(state.get("model_id", folder.name)),
                name=str(state.get("name", folder.name)),
                done=done_bytes(folder, state),
                total=int(state.get("total") or 0),
                active=_downloading(folder) or folder.name in _active,
            )
        )
    return pending


def done_bytes(folder: Path, state: dict[str, Any]) -> int:
    """Bytes an unfinished download already has on disk (finished files and the parts of the others)."""
    done = 0
    for save_as, record in state.get("files", {}).items():
        if record.get("done"):
            done += int(record.get("size") or 0)
        else:
            with contextlib.suppress(OSError):
                done += (folder / FILES_DIRNAME / (save_as + PART_SUFFIX)).stat().st_size
    return done


def discard_download(models_dir: Path, model_id: str) -> bool:
    """Delete an unfinished download that nobody is running; True when there was one."""
    folder = staging_dir(models_dir, model_id)
    if not folder.is_dir():
        return False
    if model_id in _active or _downloading(folder):
        raise UserError(
            QT_TRANSLATE_NOOP("Downloads", "{id} is being downloaded right now; cancel it there first.").format(
                id=model_id
            )
        )
    shutil.rmtree(folder)
    return True


# ---------------------------------------------------------------- one download per model at a time


@contextlib.contextmanager
def claim(staging: Path, model_id: str) -> Iterator[None]:
    """This process downloads `model_id`, nobody else: a thread of ours or another app instance gets a UserError.
    The staging folder's lock file is held for the whole download (core.locks: freed when the process ends)."""
    with _active_guard:
        if model_id in _active:
            raise UserError(QT_TRANSLATE_NOOP("Downloads", "{id} is already downloading.").format(id=model_id))
        staging.mkdir(parents=True, exist_ok=True)
        lock = locks.take(staging / LOCK_FILE)
        if lock is None:
            raise UserError(
                QT_TRANSLATE_NOOP(
                    "Downloads", "{id} is being downloaded by another AIGC Desktop window or `aigc` command."
                ).format(id=model_id)
            )
        _active.add(model_id)
    try:
        yield
    finally:
        with _active_guard:
            _active.discard(model_id)
            lock.release(remove=True)


def _downloading(staging: Path) -> bool:
    """Whether a running process (this one included) holds the staging folder's lock: it is downloading there."""
    return locks.is_held(staging / LOCK_FILE)


def read_state(folder: Path) -> dict[str, Any] | None:
    path = folder / STATE_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        log.warning("ignoring unreadable %s: %s", path, exc)
        return None
    return data if isinstance(data, dict) and isinstance(data.get("files"), dict) else None
