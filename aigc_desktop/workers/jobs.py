"""What the queue tracks about one request: its spec, its state, how far it got, and who asked for it."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from enum import StrEnum

from aigc_desktop.core.engines.base import CancelToken, PauseToken
from aigc_desktop.core.specs import JobResult, JobSpec

_counter = itertools.count(1)


class JobState(StrEnum):
    WAITING = "waiting"
    RUNNING = "running"
    FINISHED = "finished"
    FAILED = "failed"
    CANCELLED = "cancelled"


class TaskAction(StrEnum):
    RUN = "run"  # run the spec
    LOAD = "load"  # only load spec.model_id (a pane's model was selected), so the first real job starts at once


class JobHandler:
    """What the one who submitted a job hears about it, on the GUI thread, for this job only. Subclass it and keep
    the job's own bookkeeping (where its text goes, its growing clip) on the handler: no dict of jobs to filter.

    Exactly one of finished / failed / cancelled ends every job.
    """

    def started(self, job: Job) -> None:
        pass

    def progress(self, job: Job) -> None:  # job.fraction (None = unknown) and job.message are current
        pass

    def partial(self, job: Job, payload: object) -> None:
        pass

    def finished(self, job: Job, result: JobResult | None) -> None:  # None for a LOAD task
        pass

    def failed(self, job: Job, message: str) -> None:
        pass

    def cancelled(self, job: Job) -> None:
        pass


@dataclass(eq=False)  # identity: two jobs are never the same job
class Job:
    spec: JobSpec
    lane: str
    title: str  # shown in the status bar and error dialogs: a marked Msg is shown translated
    action: TaskAction = TaskAction.RUN
    handler: JobHandler = field(default_factory=JobHandler)
    # Background work the user did not ask for (reading a document ahead): runs only when its lane is idle, gives way
    # to any job submitted, never loads a model, and is not shown in the queue display or the History.
    background: bool = False
    number: int = field(default_factory=lambda: next(_counter))
    state: JobState = JobState.WAITING
    cancel: CancelToken = field(default_factory=CancelToken)
    pause: PauseToken = field(default_factory=PauseToken)
    fraction: float | None = None
    message: str = ""  # the latest progress message (often a Msg: show it with tr_msg)
    result: JobResult | None = None
    error: str = ""
    refused: str = ""  # why the queue's gate did not let it run (it ended cancelled, nothing was sent)

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def done(self) -> bool:
        return self.state in (JobState.FINISHED, JobState.FAILED, JobState.CANCELLED)
