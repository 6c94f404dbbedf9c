"""A scripted install backend for the setup window's tests, built on the real one's types (workers/runtime_setup.py's
InstallRun signals, core/runtime's Progress, Hardware, exceptions and disk estimate): the test decides what the build
reports. The real backend is tested for real in tests/test_runtime_build.py and test_setup_window.py's slow test."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer

from aigc_desktop.core.runtime import build, hardware, layout, locks
from aigc_desktop.workers.runtime_setup import InstallRun

GB = 1024**3


class FakeRun(InstallRun):
    def __init__(self, kind: str, folder: Path, bundle: Path | None) -> None:
        super().__init__()
        self.kind, self.folder, self.bundle = kind, folder, bundle
        self.cancel_requested = False

    def cancel(self) -> None:
        self.cancel_requested = True
        QTimer.singleShot(0, self.cancelled.emit)  # as the real one: the signal comes after pip has stopped

    def finish(self) -> layout.Installed:
        installed = layout.Installed(self.folder / f"{self.kind}-0123456789ab-1", self.kind, "0123456789ab", "0.1.0")
        self.finished.emit(installed)
        return installed


class FakeBackend:
    """`download`: the CUDA lock's bytes (the CPU one's a third); `estimated`: the kinds whose lock holds estimated
    sizes; or `lock_folder`: the real locks (installer/locks). The disk need is the real backend's: build.disk_needs."""

    def __init__(
        self,
        found: hardware.Hardware,
        download: int = 3 * GB,
        free: int = 200 * GB,
        estimated: tuple[str, ...] = (),
        lock_folder: Path | None = None,
    ) -> None:
        self.found, self.free, self.lock_folder = found, free, lock_folder
        self.download = {"cuda": download, "cpu": download // 3}
        self.estimated = estimated
        self.free_at: dict[Path, int] = {}
        self.runs: list[FakeRun] = []
        self.start_error: Exception | None = None

    def detect(self) -> hardware.Hardware:
        return self.found

    def lock(self, kind: str) -> locks.Lock:
        if self.lock_folder is not None:
            return locks.load(kind, self.lock_folder)
        return locks.Lock(kind, (locks.Pin("wheels", "1.0", self.download[kind], estimate=kind in self.estimated),))

    def needs(self, kind: str, bundle: Path | None = None) -> build.DiskNeeds:
        return build.disk_needs(self.lock(kind), bundle)

    def free_bytes(self, folder: Path) -> int:
        return self.free_at.get(folder, self.free)

    def start(self, kind: str, folder: Path, bundle: Path | None) -> InstallRun:
        if self.start_error is not None:
            raise self.start_error
        run = FakeRun(kind, folder, bundle)
        self.runs.append(run)
        return run
