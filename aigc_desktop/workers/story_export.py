"""A story export on its own QThread: core.story.render.export_story driven with a CancelToken, its progress, result
and failure turned into signals the GUI thread receives. The window stays responsive however long the video is; Stop
sets the token and the export ends at its next frame, leaving no file."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal, Slot

from aigc_desktop.core.engines.base import CancelToken
from aigc_desktop.core.errors import JobCancelled, UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.project.model import Project
from aigc_desktop.core.story.render import ExportOptions, export_story

log = logging.getLogger(__name__)


class _Exporter(QObject):
    progress = Signal(float, object)  # fraction, message (a Msg)
    finished = Signal(object)  # ExportResult
    failed = Signal(object)  # one line for the user (a Msg or str)
    cancelled = Signal()

    def __init__(self, project: Project, out: Path, options: ExportOptions, cancel: CancelToken) -> None:
        super().__init__()
        self.project, self.out, self.options, self.cancel = project, out, options, cancel

    @Slot()
    def run(self) -> None:
        threading.current_thread().name = "story-export"
        try:
            result = export_story(self.project, self.out, self.options, progress=self.progress.emit, cancel=self.cancel)
        except JobCancelled:
            self.cancelled.emit()
        except UserError as exc:
            self.failed.emit(exc.message)
        except Exception as exc:  # a bug must end the export with a message, never kill the thread silently
            log.exception("story export failed")
            self.failed.emit(QT_TRANSLATE_NOOP("StoryExportWorker", "The export failed: {reason}").format(reason=exc))
        else:
            self.finished.emit(result)
        finally:
            # From the thread itself: its event loop ends as soon as run() returns, so the GUI thread's wait() is
            # short. (A queued quit would sit behind the GUI thread's own handling of the signal above.)
            thread = QThread.currentThread()
            if thread is not None:
                thread.quit()


class StoryExportRun(QObject):
    """One export: `start()`, then exactly one of finished / failed / cancelled; `stop()` asks it to end."""

    progress = Signal(float, object)
    finished = Signal(object)
    failed = Signal(object)
    cancelled = Signal()

    def __init__(self, project: Project, out: Path, options: ExportOptions, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cancel = CancelToken()
        self._thread = QThread()
        self._worker = _Exporter(project, out, options, self.cancel)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.progress.connect(self.progress)
        for signal, mine in (
            (self._worker.finished, self.finished),
            (self._worker.failed, self.failed),
            (self._worker.cancelled, self.cancelled),
        ):
            signal.connect(mine)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.cancel.cancel()

    @property
    def running(self) -> bool:
        return self._thread.isRunning()

    def wait(self, ms: int = 30_000) -> bool:
        return self._thread.wait(ms)
