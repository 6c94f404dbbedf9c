"""Model-manager work off the GUI thread: downloads, imports and discovery, each on its own QThread.

Downloads are network-bound and can take an hour, so they do not queue behind each other or behind generations (the
JobQueue lanes are for models). Each task gets a DownloadControl the window uses for Pause and Cancel; the worker turns
the outcome into exactly one of finished / failed / stopped, and survives any exception the task raises.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.models.download_control import DownloadCancelled, DownloadControl, DownloadStopped

log = logging.getLogger(__name__)

# fn(report, control) -> result. `report` may be called from the worker thread as often as the task likes.
TaskFn = Callable[[Callable[[object], None], DownloadControl], object]


class _TaskThread(QThread):
    """Runs one task function and ends: no event loop, so nothing can keep the thread alive after the task."""

    progress = Signal(object)
    finished_with = Signal(object)
    failed = Signal(object)  # the message: a marked Msg travels as it is (a str signal would copy it to plain text)
    stopped = Signal(bool)  # True: cancelled (nothing kept), False: paused (resumable)

    def __init__(self, fn: TaskFn, control: DownloadControl) -> None:
        super().__init__()
        self._fn = fn
        self._control = control

    def run(self) -> None:
        # Emitted from this thread; the receivers live on the GUI thread, so Qt queues each signal to it.
        try:
            result = self._fn(self.progress.emit, self._control)
        except DownloadStopped as stop:
            self.stopped.emit(isinstance(stop, DownloadCancelled))
        except UserError as exc:
            self.failed.emit(exc.message)
        except Exception as exc:  # a bug must not kill the thread silently nor take the app down
            log.exception("model task failed")
            self.failed.emit(
                QT_TRANSLATE_NOOP("ModelTasks", "Unexpected error: {error}: {reason} (details in the log file)").format(
                    error=type(exc).__name__, reason=exc
                )
            )
        else:
            self.finished_with.emit(result)


class ModelTask(QObject):
    """One running task. Signals arrive on the GUI thread."""

    progress = Signal(object)
    finished = Signal(object)
    failed = Signal(object)  # str or Msg: show it with tr_msg
    stopped = Signal(bool)
    done = Signal()  # after any of the three above

    def __init__(self, key: str, fn: TaskFn, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.control = DownloadControl()
        self._thread = _TaskThread(fn, self.control)
        self._thread.setObjectName(f"model-task:{key}")
        self._thread.progress.connect(self.progress)
        for signal, relay in (
            (self._thread.finished_with, self.finished),
            (self._thread.failed, self.failed),
            (self._thread.stopped, self.stopped),
        ):
            signal.connect(relay)
            signal.connect(self._end)

    def start(self) -> None:
        self._thread.start()

    def pause(self) -> None:
        self.control.pause()

    def cancel(self) -> None:
        self.control.cancel()

    @property
    def running(self) -> bool:
        return self._thread.isRunning()

    def wait(self, ms: int = 30000) -> bool:
        return self._thread.wait(ms)

    def _end(self, *_: Any) -> None:
        self.done.emit()


class ModelTasks(QObject):
    """The running tasks by key ("download:<id>", "import", "discover"); at most one per key."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tasks: dict[str, ModelTask] = {}

    def start(self, key: str, fn: TaskFn) -> ModelTask:
        if key in self._tasks:
            raise UserError(QT_TRANSLATE_NOOP("ModelTasks", "That is already running."))
        task = ModelTask(key, fn, self)
        self._tasks[key] = task
        task.done.connect(lambda k=key: self._forget(k))
        task.start()
        self.changed.emit()
        return task

    def get(self, key: str) -> ModelTask | None:
        return self._tasks.get(key)

    def keys(self) -> list[str]:
        return list(self._tasks)

    def shutdown(self, ms: int = 30000) -> None:
        """Pause everything (downloads keep what they fetched) and wait for the threads to end."""
        for task in list(self._tasks.values()):
            task.pause()
        for task in list(self._tasks.values()):
            task.wait(ms)

    def _forget(self, key: str) -> None:
        task = self._tasks.pop(key, None)
        if task is not None:
            task.wait(5000)
            task.deleteLater()
        self.changed.emit()
