"""Where the runtime lives and how a finished one is recognised.

The location is a folder (default: `runtime/` in the app's data folder; the user may pick another, remembered in
`runtime.json` in the config folder). Each build goes into a fresh sub-folder `<kind>-<lock digest>-<n>`; only when it
is complete does `current.json` (written atomically, last) name it. A folder that `current.json` does not name is a
cancelled or crashed build, or the one a repair replaced: `sweep()` removes it, so nothing half-installed is ever run.
Venvs are not relocatable, which is why a build is never renamed into place.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from aigc_desktop.core.atomic import write_text
from aigc_desktop.core.paths import app_paths

CURRENT = "current.json"
CONFIG = "runtime.json"
# Installed size over the lock's download size, measured by tests/test_packages.py (`du -sb` of the finished runtime):
# the CUDA lock's 4.70 GB → 8.35 GB (1.78×); the CPU lock less its torch trio, 0.63 GB → 1.35 GB (2.15×). 2.3 covers
# both. A +cpu torch wheel unpacks ~3.7× (torch 2.13.0+cpu: 190 MB → 699 MB), more than 2.3: the CPU lock counts it at
# its PyPI (CUDA) wheel's size instead (installer/make_locks.py), and 900 MB × 2.3 covers that with room.
INSTALL_FACTOR = 2.3
_BUILD_FOLDER = re.compile(r"^[a-z]+-[0-9a-f]+-\d+$")
SLACK_BYTES = 300 * 1024 * 1024  # the venv itself, pip's temporary unpacking, logs


@dataclass(frozen=True)
class Installed:
    folder: Path
    kind: str
    lock: str  # the lock's digest the runtime was built from
    version: str  # the app version that built it

    @property
    def python(self) -> Path:
        return venv_python(self.folder)


def venv_python(folder: Path) -> Path:
    return folder / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")


def config_file() -> Path:
    return app_paths().config_dir / CONFIG


def default_location() -> Path:
    return app_paths().data_dir / "runtime"


def location() -> Path:
    """The chosen location, else the default."""
    try:
        chosen = json.loads(config_file().read_text(encoding="utf-8")).get("location", "")
    except (OSError, ValueError, AttributeError):
        chosen = ""
    return Path(chosen) if chosen else default_location()


def remember_location(folder: Path) -> None:
    config_file().parent.mkdir(parents=True, exist_ok=True)
    write_text(config_file(), json.dumps({"location": str(folder)}, indent=1))


def installed(folder: Path | None = None) -> Installed | None:
    """The finished runtime at `folder` (default: the chosen location), or None when there is none to run."""
    root = folder or location()
    try:
        data = json.loads((root / CURRENT).read_text(encoding="utf-8"))
        found = Installed(root / data["folder"], data["kind"], data["lock"], data.get("version", ""))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return found if found.python.exists() else None


def mark_current(root: Path, folder: Path, kind: str, lock: str, version: str) -> Installed:
    """The last step of a build: from now on `folder` is the runtime (one atomic rename)."""
    found = Installed(folder, kind, lock, version)
    data = {**asdict(found), "folder": folder.name}
    write_text(root / CURRENT, json.dumps(data, indent=1), durable=True)
    return found


def new_build_folder(root: Path, kind: str, lock: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    n = 1
    while (root / f"{kind}-{lock}-{n}").exists():
        n += 1
    return root / f"{kind}-{lock}-{n}"


def sweep(root: Path, keep: Path | None = None) -> list[Path]:
    """Remove every build folder that is not the current runtime (nor `keep`, a build under way); the removed."""
    current = installed(root)
    removed: list[Path] = []
    if not root.is_dir():
        return removed
    for child in root.iterdir():
        if not child.is_dir() or not _BUILD_FOLDER.match(child.name):
            continue
        if (current and child == current.folder) or child == keep:
            continue
        shutil.rmtree(child, ignore_errors=True)
        removed.append(child)
    return removed


def free_bytes(folder: Path) -> int:
    """Free space where `folder` is (or would be: its nearest existing parent)."""
    probe = folder
    while not probe.exists() and probe.parent != probe:
        probe = probe.parent
    try:
        return shutil.disk_usage(probe).free
    except OSError:
        return 0


def needed_bytes(download_bytes: int, wheels_here: bool = True) -> int:
    """Disk space a build needs: the downloaded wheels (kept until the end; not when they are installed from a bundle
    folder elsewhere) plus what they unpack to."""
    return int(download_bytes * (INSTALL_FACTOR + (1 if wheels_here else 0))) + SLACK_BYTES


def writable(folder: Path) -> bool:
    probe = folder
    while not probe.exists() and probe.parent != probe:
        probe = probe.parent
    return os.access(probe, os.W_OK)
