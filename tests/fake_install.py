"""A scripted install backend for the setup window's tests, built on the real one's types (workers/runtime_setup.py's
InstallRun signals, core/runtime's Progress, Hardware and exceptions): the test decides what the build reports.
The real backend is tested for real in tests/test_runtime_build.py and test_setup_window.py's slow test."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer

from aigc_desktop.core.runtime import hardware, layout
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
    def __init__(self, found: hardware.Hardware, needed: int = 12 * GB, free: int = 200 * GB) -> None:
        self.found, self.needed, self.free = found, needed, free
        self.free_at: dict[Path, int] = {}
        self.runs: list[FakeRun] = []
        self.start_error: Exception | None = None

    def detect(self) -> hardware.Hardware:
        return self.found

    def needed_bytes(self, kind: str) -> int:
        return self.needed if kind == "cuda" else self.needed // 3

    def free_bytes(self, folder: Path) -> int:
        return self.free_at.get(folder, self.free)

    def start(self, kind: str, folder: Path, bundle: Path | None) -> InstallRun:
        if self.start_error is not None:
            raise self.start_error
        run = FakeRun(kind, folder, bundle)
        self.runs.append(run)
        return run
