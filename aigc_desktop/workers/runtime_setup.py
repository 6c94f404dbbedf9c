"""Building the runtime off the GUI thread, for the setup window (first start, Help ▸ Repair installation).

`InstallBackend` is what the window asks: what hardware there is, what a kind of runtime downloads and needs on disk
(from the index, or from an offline bundle), how much is free, and to start a build. `LocalBackend` is the real one
(core/runtime); a build runs on its own QThread (`InstallRun`) and reports through signals delivered on the GUI thread:
`progress(Progress)`, `log(str)`, then exactly one of `finished(Installed)`, `failed(Exception)` (NoNetwork,
NotEnoughSpace, PackageFailed, UserError) or `cancelled()`. Tests give the window a backend with the same interface
(tests/fake_install.py).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, QThread, Signal

from aigc_desktop.core.runtime import build, hardware, layout, locks

log = logging.getLogger(__name__)


class InstallRun(QObject):
    progress = Signal(object)  # build.Progress
    log = Signal(str)
    finished = Signal(object)  # layout.Installed
    failed = Signal(object)  # Exception
    cancelled = Signal()

    def cancel(self) -> None:
        raise NotImplementedError


class InstallBackend(Protocol):
    def detect(self) -> hardware.Hardware: ...

    def needs(self, kind: str, bundle: Path | None = None) -> build.DiskNeeds: ...

    def free_bytes(self, folder: Path) -> int: ...

    def start(self, kind: str, folder: Path, bundle: Path | None) -> InstallRun: ...


class _BuildThread(QThread):
    def __init__(self, run: ThreadRun, builder_args: tuple[build.Plan, build.CancelToken]) -> None:
        super().__init__()
        self._run, (self._plan, self._token) = run, builder_args

    def run(self) -> None:
        run = self._run
        try:
            builder = build.RuntimeBuilder(self._plan, run.progress.emit, run.log.emit, self._token)
            installed = builder.run()
        except build.Cancelled:
            run.cancelled.emit()
        except Exception as exc:  # every failure ends the run with a message; the window offers Retry
            log.warning("runtime build failed: %s", exc)
            run.failed.emit(exc)
        else:
            run.finished.emit(installed)


class ThreadRun(InstallRun):
    """A real build on its own thread; signals arrive queued on the GUI thread (this object lives there)."""

    def __init__(self, plan: build.Plan) -> None:
        super().__init__()
        self.token = build.CancelToken()
        self.worker = _BuildThread(self, (plan, self.token))

    def begin(self) -> ThreadRun:
        self.worker.start()
        return self

    def cancel(self) -> None:
        self.token.cancel()

    def wait(self, ms: int = 30000) -> bool:
        return bool(self.worker.wait(ms))


class LocalBackend:
    """The real thing: `nvidia-smi`, the shipped locks (installer/locks), pip."""

    def __init__(self, lock_folder: Path, app_version: str, override: str | None = None) -> None:
        self.lock_folder, self.app_version, self.override = lock_folder, app_version, override

    def detect(self) -> hardware.Hardware:
        return hardware.detect(self.override)

    def needs(self, kind: str, bundle: Path | None = None) -> build.DiskNeeds:
        return build.disk_needs(locks.load(kind, self.lock_folder), bundle)  # what the build itself checks

    def free_bytes(self, folder: Path) -> int:
        return layout.free_bytes(folder)

    def start(self, kind: str, folder: Path, bundle: Path | None) -> InstallRun:
        plan = build.default_plan(locks.load(kind, self.lock_folder), folder, self.app_version, bundle)
        return ThreadRun(plan).begin()
