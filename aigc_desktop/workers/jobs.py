"""What the queue tracks about one request: its spec, its state and how far it got."""

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


@dataclass(eq=False)  # identity: two jobs are never the same job
class Job:
    spec: JobSpec
    lane: str
    title: str
    action: TaskAction = TaskAction.RUN
    number: int = field(default_factory=lambda: next(_counter))
    state: JobState = JobState.WAITING
    cancel: CancelToken = field(default_factory=CancelToken)
    pause: PauseToken = field(default_factory=PauseToken)
    fraction: float | None = None
    message: str = ""
    result: JobResult | None = None
    error: str = ""

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def done(self) -> bool:
        return self.state in (JobState.FINISHED, JobState.FAILED, JobState.CANCELLED)
