"""The job queue: lives on the GUI thread, keeps a FIFO per lane and hands one job at a time to each lane's worker.

Every pane's generation is submitted here, so the one check that must come before anything leaves the machine lives
here too: `gate` (state/servers.py sets it) may refuse a job, which then ends cancelled with the refusal as its
message, before any lane sees it.

Each lane may also hold one background job (`submit_background`: the Document pane reading ahead) at the lowest
priority: it starts only when its lane has nothing else to do, a newer one replaces it, and any job submitted to its
lane cancels it (the engine stops at its next chunk). Background jobs are not among `jobs()`, and the queue's own
signals stay silent about them: only their handler hears.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, QTimer, Signal

from aigc_desktop.core.engines.host import LANES, EngineHost
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.specs import JobResult, JobSpec
from aigc_desktop.workers.jobs import Job, JobHandler, JobState, TaskAction
from aigc_desktop.workers.lane_worker import LaneWorker

log = logging.getLogger(__name__)
_STRAGGLERS: list[QThread] = []  # lane threads that were still finishing a job when their queue shut down

# Asked on the GUI thread before a job is queued: None lets it go, a message refuses it (shown as the job's end).
Gate = Callable[[JobSpec], str | None]


class _Lane(QObject):
    """A QThread, its worker, and the signal that carries jobs across to it (queued: the worker runs them there)."""

    dispatch = Signal(object)
    stop = Signal()

    def __init__(self, name: str, host: EngineHost, parent: QObject) -> None:
        super().__init__(parent)
        self.name = name
        self.pending: deque[Job] = deque()
        self.running: Job | None = None
        self.background: Job | None = None  # waiting for the lane to be idle
        self.qthread = QThread()
        self.qthread.setObjectName(f"lane-{name}")
        self.worker = LaneWorker(host, f"lane-{name}")
        self.worker.moveToThread(self.qthread)
        self.qthread.started.connect(self.worker.name_thread)
        self.dispatch.connect(self.worker.run_job)
        self.stop.connect(self.worker.shutdown)
        self.qthread.start()


class JobQueue(QObject):
    """Each job's events go to the JobHandler it was submitted with; the signals here are for whoever watches every
    job (the status bar's queue display, the window's error dialog, benchmarks)."""

    changed = Signal()  # anything about any job changed: status bars redraw from `jobs()`
    job_started = Signal(object)
    job_progress = Signal(object)
    job_partial = Signal(object, object)
    job_finished = Signal(object, object)  # job, JobResult | None
    job_failed = Signal(object, object)  # job, message (a str; a marked Msg keeps its translation)
    job_cancelled = Signal(object)

    def __init__(self, host_factory: Callable[[str], EngineHost], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._host_factory = host_factory
        self._lanes: dict[str, _Lane] = {}
        self._jobs: dict[str, Job] = {}
        self.gate: Gate | None = None

    # ------------------------------------------------------------ requests

    def submit(self, spec: JobSpec, title: str = "", handler: JobHandler | None = None) -> Job:
        # The seed is fixed when the job is queued, so what the history records is exactly what ran.
        spec = spec.resolved()
        job = Job(
            spec=spec,
            lane=LANES[spec.kind],
            title=title or f"{spec.kind.value} · {spec.model_id}",
            handler=handler or JobHandler(),
        )
        refusal = self.gate(spec) if self.gate is not None else None
        if refusal:
            # Ended after the caller has the job in hand (it may track it as running until its handler hears).
            job.refused = job.message = refusal
            job.cancel.cancel()
            self._jobs[job.id] = job
            QTimer.singleShot(0, self, lambda: self._on_cancelled(job))
            return job
        return self._enqueue(job)

    def submit_background(self, spec: JobSpec, handler: JobHandler | None = None) -> Job | None:
        """Queue lowest-priority work on spec's lane, replacing the background job that has not started yet. None
        when the lane has never run anything: then no model is loaded there for background work to help."""
        lane = self._lanes.get(LANES[spec.kind])
        if lane is None:
            return None
        spec = spec.resolved()
        job = Job(spec=spec, lane=lane.name, title="", handler=handler or JobHandler(), background=True)
        self._jobs[job.id] = job
        if lane.background is not None:
            self.cancel(lane.background.id)
        lane.background = job
        self._pump(lane)
        return job

    def preload(self, spec: JobSpec, title: str = "") -> Job:
        """Load spec.model_id on its lane without running anything (selecting a model in a pane does this)."""
        title = title or QT_TRANSLATE_NOOP("JobQueue", "Load {name}").format(name=spec.model_id)
        job = Job(spec=spec, lane=LANES[spec.kind], title=title, action=TaskAction.LOAD)
        return self._enqueue(job)

    def cancel(self, job_id: str) -> None:
        job = self._jobs.get(job_id)
        if job is None or job.done:
            return
        job.cancel.cancel()
        lane = self._lanes.get(job.lane)  # None after shutdown: its lane is gone, the job can only stop
        if lane is not None and job in lane.pending:  # never started: drop it now
            lane.pending.remove(job)
            self._on_cancelled(job)
        elif lane is not None and lane.background is job:
            lane.background = None
            self._on_cancelled(job)

    def pause(self, job_id: str) -> None:
        """Ask a job to wait at its next boundary (engines that support it: training). Stop still works."""
        job = self._jobs.get(job_id)
        if job is not None and not job.done:
            job.pause.pause()
            self.changed.emit()

    def resume(self, job_id: str) -> None:
        job = self._jobs.get(job_id)
        if job is not None and not job.done:
            job.pause.resume()
            self.changed.emit()

    def cancel_all(self) -> None:
        for job in list(self._jobs.values()):
            self.cancel(job.id)

    # ------------------------------------------------------------ state

    def jobs(self) -> list[Job]:
        return [j for j in self._jobs.values() if not j.done and not j.background]

    def running(self) -> list[Job]:
        jobs = [lane.running for lane in self._lanes.values() if lane.running is not None]
        return [job for job in jobs if not job.background]

    def background(self, lane: str) -> Job | None:
        """The lane's background job, waiting or running."""
        found = self._lanes.get(lane)
        if found is None:
            return None
        if found.running is not None and found.running.background:
            return found.running
        return found.background

    def waiting(self) -> list[Job]:
        return [j for lane in self._lanes.values() for j in lane.pending]

    def get(self, job_id: str) -> Job | None:
        return self._jobs.get(job_id)

    def idle(self) -> bool:
        return not self.running() and not self.waiting()

    def shutdown(self, wait_ms: int = 5000) -> None:
        """Cancel everything, let each worker unload its models on its own thread, stop the threads."""
        self.cancel_all()
        for lane in self._lanes.values():
            lane.stop.emit()
            lane.qthread.quit()
        for lane in self._lanes.values():
            if not lane.qthread.wait(wait_ms):
                log.warning("lane %s did not stop within %d ms", lane.name, wait_ms)
                # Destroying a running QThread aborts the process: keep it (it stops after its job, a chunk of a
                # long prompt on a slow machine) instead of letting the garbage collector destroy it.
                _STRAGGLERS.append(lane.qthread)
        self._lanes.clear()

    # ------------------------------------------------------------ internals

    def _enqueue(self, job: Job) -> Job:
        self._jobs[job.id] = job
        lane = self._lane(job.lane)
        lane.pending.append(job)
        if lane.running is not None and lane.running.background:
            lane.running.cancel.cancel()  # gives way: the engine stops at its next chunk, then this job starts
        self.changed.emit()
        self._pump(lane)
        return job

    def _lane(self, name: str) -> _Lane:
        lane = self._lanes.get(name)
        if lane is None:
            lane = _Lane(name, self._host_factory(name), self)
            w = lane.worker
            w.started.connect(self._on_started)
            w.progress.connect(self._on_progress)
            w.partial.connect(self._on_partial)
            w.finished.connect(self._on_finished)
            w.failed.connect(self._on_failed)
            w.cancelled.connect(self._on_cancelled)
            self._lanes[name] = lane
        return lane

    def _pump(self, lane: _Lane) -> None:
        if lane.running is not None:
            return
        if lane.pending:
            job = lane.pending.popleft()
        elif lane.background is not None:
            job, lane.background = lane.background, None
        else:
            return
        lane.running = job
        lane.dispatch.emit(job)

    def _finish(self, job: Job, state: JobState) -> None:
        job.state = state
        lane = self._lanes.get(job.lane)
        if lane is not None and lane.running is job:
            lane.running = None
            self._pump(lane)
        # Finished jobs are forgotten by the queue; the project history keeps what matters.
        self._jobs.pop(job.id, None)
        if not job.background:
            self.changed.emit()

    # The handler hears first: the window's listeners (an error dialog) then see a job its owner has dealt with.

    def _on_started(self, job: Job) -> None:
        job.state = JobState.RUNNING
        job.handler.started(job)
        if not job.background:
            self.job_started.emit(job)
            self.changed.emit()

    def _on_progress(self, job: Job, fraction: Any, message: str) -> None:
        job.fraction = fraction
        job.message = message
        job.handler.progress(job)
        if not job.background:
            self.job_progress.emit(job)

    def _on_partial(self, job: Job, payload: object) -> None:
        job.handler.partial(job, payload)
        if not job.background:
            self.job_partial.emit(job, payload)

    def _on_finished(self, job: Job, result: JobResult | None) -> None:
        job.result = result
        self._finish(job, JobState.FINISHED)
        job.handler.finished(job, result)
        if not job.background:
            self.job_finished.emit(job, result)

    def _on_failed(self, job: Job, message: str) -> None:
        job.error = message
        self._finish(job, JobState.FAILED)
        job.handler.failed(job, message)
        if job.background:
            log.info("background job %s failed: %s", job.id, message)
        else:
            self.job_failed.emit(job, message)

    def _on_cancelled(self, job: Job) -> None:
        self._finish(job, JobState.CANCELLED)
        job.handler.cancelled(job)
        if not job.background:
            self.job_cancelled.emit(job)
