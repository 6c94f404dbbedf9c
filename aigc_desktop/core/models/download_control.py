"""What a catalog download tells its caller and how the caller stops it: plain Python, shared by the downloader
(core.models.downloads), the importer, the workers and the Models window.

DownloadControl pauses or cancels from any thread; the download then raises DownloadPaused or DownloadCancelled (both
DownloadStopped: not an error). DownloadProgress is one progress report; PendingDownload is an unfinished download as
core.models.download_staging finds it in the models folder.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from aigc_desktop.core.units import human_bytes, human_duration

ProgressFn = Callable[["DownloadProgress"], None]


class DownloadStopped(Exception):
    """The user paused or cancelled; not an error."""

    def __init__(self, model_id: str) -> None:
        super().__init__(model_id)
        self.model_id = model_id


class DownloadPaused(DownloadStopped):
    """Stopped with what was fetched kept: the next download of this model continues from there."""


class DownloadCancelled(DownloadStopped):
    """Stopped and everything fetched deleted."""


class DownloadControl:
    """Pause or cancel from any thread; the download stops within one chunk (or one backoff wait)."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._cancel = False

    def pause(self) -> None:
        self._event.set()

    def cancel(self) -> None:
        self._cancel = True
        self._event.set()

    @property
    def stop_requested(self) -> bool:
        return self._event.is_set()

    def check(self, model_id: str) -> None:
        if self._event.is_set():
            raise DownloadCancelled(model_id) if self._cancel else DownloadPaused(model_id)

    def sleep(self, seconds: float, model_id: str) -> None:
        if self._event.wait(seconds):
            self.check(model_id)


@dataclass(frozen=True)
class DownloadProgress:
    model_id: str
    done: int
    total: int
    speed: float | None  # bytes per second over the last few seconds; None until measurable
    eta_s: float | None
    file: str
    file_index: int  # 1-based
    file_count: int
    message: str = ""  # what is happening besides transferring ("Checking…", "Retrying in 4 s…")

    @property
    def fraction(self) -> float:
        return min(self.done / self.total, 1.0) if self.total else 0.0

    def describe(self) -> str:
        parts = [f"{human_bytes(self.done)} of {human_bytes(self.total)} ({self.fraction * 100:.0f}%)"]
        if self.speed:
            parts.append(f"{human_bytes(int(self.speed))}/s")
        if self.eta_s is not None:
            parts.append(f"about {human_duration(self.eta_s)} left")
        if self.message:
            parts.append(self.message)
        return " · ".join(parts)


@dataclass(frozen=True)
class PendingDownload:
    model_id: str
    name: str
    done: int
    total: int
    active: bool  # being downloaded right now (by this or another process)

    @property
    def fraction(self) -> float:
        return min(self.done / self.total, 1.0) if self.total else 0.0
