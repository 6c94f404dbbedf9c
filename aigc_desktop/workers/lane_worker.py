"""The worker that lives on a lane's QThread. It owns an EngineHost (the loaded models) and turns engine callbacks
into signals. It survives anything a job raises."""

from __future__ import annotations

import functools
import logging
import threading
import traceback
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal, Slot

from aigc_desktop.core.engines.base import RunContext
from aigc_desktop.core.engines.host import EngineHost
from aigc_desktop.core.errors import JobCancelled, UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.workers.jobs import Job, TaskAction
from aigc_desktop.workers.partials import PartialBatcher

log = logging.getLogger(__name__)


class LaneWorker(QObject):
    # job, fraction (None = unknown), message. Messages travel as objects: a marked Msg (core/i18n.py) must reach the
    # GUI thread as itself, so the window can show it in the user's language (a `str` signal would copy the text only).
    progress = Signal(object, object, object)
    partial = Signal(object, object)
    started = Signal(object)
    finished = Signal(object, object)  # job, JobResult (None for a LOAD task)
    failed = Signal(object, object)  # job, one-line message for the user (a str, often a Msg)
    cancelled = Signal(object)

    def __init__(self, host: EngineHost, name: str) -> None:
        super().__init__()
        self.host = host
        self.name = name

    @Slot()
    def name_thread(self) -> None:
        """Runs first on the lane's thread: give it a name the log and tests can read."""
        threading.current_thread().name = self.name

    @Slot(object)
    def run_job(self, job: Job) -> None:
        partials = PartialBatcher(lambda payload: self.partial.emit(job, payload))
        ctx = RunContext(
            cancel=job.cancel,
            pause=job.pause,
            on_progress=lambda fraction, message: self.progress.emit(job, fraction, message),
            on_partial=partials,
        )
        self.started.emit(job)
        end: Callable[[], None]
        try:
            job.cancel.check()
            if job.action is TaskAction.LOAD:
                self.host.ensure_loaded(job.spec.model_id, ctx)
                result = None
            elif job.background and not self.host.is_loaded(job.spec.model_id):
                result = None  # background work never loads a model: it only helps one already loaded
            else:
                result = self.host.run(job.spec, ctx)
        except JobCancelled:
            end = functools.partial(self.cancelled.emit, job)
        except UserError as exc:
            end = functools.partial(self.failed.emit, job, exc.message)
        except MemoryError:
            log.exception("job %s ran out of memory", job.id)
            self.host.unload_all()  # give the memory back so the next job has a chance
            why = QT_TRANSLATE_NOOP("LaneWorker", "Out of memory: try a smaller model, size or batch.")
            end = functools.partial(self.failed.emit, job, why)
        except Exception as exc:  # a job may raise anything; the worker must stay alive for the next one
            log.error("job %s failed:\n%s", job.id, traceback.format_exc())
            end = functools.partial(self.failed.emit, job, f"{type(exc).__name__}: {exc}")
        else:
            end = functools.partial(self.finished.emit, job, result)
        # However it ended, what the engine had streamed reaches the window first: text written before Stop, the
        # sentences a narration spoke before its voice broke, the text a server sent before the connection dropped.
        partials.flush()
        end()

    @Slot()
    def shutdown(self) -> None:
        self.host.unload_all()
