"""Where one catalog model's download stands, and the only ways it may move on: plain Python, no Qt.

The Models window keeps one DownloadRow per catalog model and renders it; the worker's signals and the user's buttons
call the transitions below. Each is allowed from some states only; any other raises IllegalTransition (a bug in the
caller) instead of leaving the row in a state nobody drew:

    start    AVAILABLE, FAILED             -> DOWNLOADING   (after a failure, whatever was kept is continued)
    resume   PAUSED                        -> DOWNLOADING   (continues from what is kept on disk)
    download PAUSED: resume; AVAILABLE, FAILED: start   (what the Download / Resume button does)
    advance  DOWNLOADING                   -> DOWNLOADING   (the latest progress)
    pause    DOWNLOADING                   -> PAUSED        (the worker stopped and kept what it fetched)
    fail     DOWNLOADING                   -> FAILED
    finish   DOWNLOADING                   -> INSTALLED
    cancel   DOWNLOADING, PAUSED, FAILED   -> AVAILABLE     (the unfinished part is deleted)
    sync     all but DOWNLOADING           -> what the models folder says: INSTALLED, PAUSED (an unfinished download
                                              kept from before) or AVAILABLE; FAILED stays FAILED unless installed
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from aigc_desktop.core.models.download_control import DownloadProgress, PendingDownload


class DownloadState(StrEnum):
    AVAILABLE = "available"  # nothing of it on disk
    DOWNLOADING = "downloading"  # a worker is fetching it now
    PAUSED = "paused"  # stopped part-way; what was fetched is kept, even across a restart
    FAILED = "failed"  # the last try ended in an error (what was fetched may be kept: see `pending`)
    INSTALLED = "installed"


class IllegalTransition(RuntimeError):
    """A transition asked of a download in a state it cannot leave that way: a bug in the caller."""


@dataclass
class DownloadRow:
    """One catalog model's download: its state, the latest progress while it runs, the unfinished part on disk."""

    state: DownloadState = DownloadState.AVAILABLE
    progress: DownloadProgress | None = None  # only while DOWNLOADING
    pending: PendingDownload | None = None  # what the models folder keeps of an unfinished download
    error: str = ""  # only while FAILED

    @property
    def fraction(self) -> float:
        """How much is downloaded: live while it runs, else what the folder keeps."""
        if self.progress is not None:
            return self.progress.fraction
        return self.pending.fraction if self.pending is not None else 0.0

    @property
    def resumable(self) -> bool:
        """Whether some of it is kept on disk, so downloading continues rather than starts."""
        return self.pending is not None

    @property
    def can_download(self) -> bool:
        """Whether `download` (start or resume) applies: the model is neither installed nor downloading."""
        return self.state in (DownloadState.AVAILABLE, DownloadState.PAUSED, DownloadState.FAILED)

    # ------------------------------------------------------------ the user

    def start(self) -> None:
        self._move("start", (DownloadState.AVAILABLE, DownloadState.FAILED), DownloadState.DOWNLOADING)

    def resume(self) -> None:
        self._move("resume", (DownloadState.PAUSED,), DownloadState.DOWNLOADING)

    def download(self) -> None:
        """What the Download / Resume button does: resume a paused download, else start one."""
        if self.state is DownloadState.PAUSED:
            self.resume()
        else:
            self.start()

    def cancel(self) -> None:
        """The download was cancelled while it ran, or its kept part was deleted: nothing of it is left."""
        self._move(
            "cancel",
            (DownloadState.DOWNLOADING, DownloadState.PAUSED, DownloadState.FAILED),
            DownloadState.AVAILABLE,
        )
        self.pending = None

    # ------------------------------------------------------------ the worker

    def advance(self, progress: DownloadProgress) -> None:
        self._check("report progress of", (DownloadState.DOWNLOADING,))
        self.progress = progress

    def pause(self) -> None:
        """The worker stopped and kept what it fetched."""
        self._move("pause", (DownloadState.DOWNLOADING,), DownloadState.PAUSED)

    def fail(self, message: str) -> None:
        self._move("fail", (DownloadState.DOWNLOADING,), DownloadState.FAILED)
        self.error = message

    def finish(self) -> None:
        """The model is installed."""
        self._move("finish", (DownloadState.DOWNLOADING,), DownloadState.INSTALLED)
        self.pending = None

    # ------------------------------------------------------------ the models folder

    def sync(self, *, installed: bool, pending: PendingDownload | None) -> None:
        """Take what the models folder says. A failure stays shown (with its message) until the user tries again."""
        self._check(
            "sync",
            (DownloadState.AVAILABLE, DownloadState.PAUSED, DownloadState.FAILED, DownloadState.INSTALLED),
        )
        if installed:
            # Nothing is left to resume of an installed model (a stray unfinished copy is not offered).
            self.pending = None
            self._enter(DownloadState.INSTALLED)
            return
        self.pending = pending
        if self.state is not DownloadState.FAILED:
            self._enter(DownloadState.PAUSED if pending is not None else DownloadState.AVAILABLE)

    # ------------------------------------------------------------ helpers

    def _check(self, what: str, allowed: tuple[DownloadState, ...]) -> None:
        if self.state not in allowed:
            raise IllegalTransition(f"cannot {what} a download that is {self.state.value}")

    def _move(self, what: str, allowed: tuple[DownloadState, ...], to: DownloadState) -> None:
        self._check(what, allowed)
        self._enter(to)

    def _enter(self, state: DownloadState) -> None:
        # What belongs to one state never leaks into the next: progress is live only while downloading, the error
        # only while failed.
        self.state = state
        self.progress = None
        if state is not DownloadState.FAILED:
            self.error = ""
