"""Reading a document ahead while the writer pauses: about a second after the last keystroke, the text lane evaluates
the text before the cursor into the loaded model's cache, so the next Continue starts writing at once (a llama.cpp model
keeps the logits of the text's last token too; the transformers engine re-reads less than a chunk).

It is a background job (workers/queue.py): it runs only when the text lane is idle, gives way to any job submitted
(the engine stops at its next chunk), never loads a model, and appears neither in the queue display nor in the History.
A keystroke cancels it too. It sends exactly the spec Continue would send, and the engine checks its cache against
those tokens, so an edit made while it reads can never make a Continue use stale text.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, QTimer

from aigc_desktop.core.specs import JobResult, JobSpec
from aigc_desktop.core.text.job import READ_AHEAD
from aigc_desktop.workers.jobs import Job, JobHandler
from aigc_desktop.workers.queue import JobQueue

log = logging.getLogger(__name__)

PAUSE_MS = 1000  # how long typing must pause before the document is read ahead


@dataclass(eq=False)
class _Reading(JobHandler):
    owner: ReadAhead
    events: list[str] = field(default_factory=list)

    def started(self, job: Job) -> None:
        self.owner.events.append("started")

    def finished(self, job: Job, result: JobResult | None) -> None:
        self.owner._ended(job, "finished", result)

    def failed(self, job: Job, message: str) -> None:
        self.owner._ended(job, "failed", None)

    def cancelled(self, job: Job) -> None:
        self.owner._ended(job, "cancelled", None)


class ReadAhead(QObject):
    """`spec_source` returns the spec Continue would submit now (None: nothing to read, or no model)."""

    def __init__(
        self, queue: JobQueue, spec_source: Callable[[], JobSpec | None], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.queue = queue
        self.spec_source = spec_source
        self.enabled = True
        self.job: Job | None = None
        self.events: list[str] = []  # what happened to the jobs, in order (tests and the benchmark read it)
        self.last_result: JobResult | None = None
        self._read_prompt: tuple[str, str, object] | None = None  # what the last finished reading covered
        self._pending_key: tuple[str, str, object] | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(PAUSE_MS)
        self.timer.timeout.connect(self.start)

    def typed(self) -> None:
        """The text changed: what is being read is out of date, and the pause starts again."""
        self.cancel()
        self.timer.start()

    def moved(self) -> None:
        """The cursor moved: read up to the new place once things settle."""
        self.timer.start()

    def forget(self) -> None:
        """Another job ran on the model: what it read last may no longer be in its cache."""
        self._read_prompt = None

    def cancel(self) -> None:
        if self.job is not None and not self.job.done:
            self.queue.cancel(self.job.id)

    def start(self) -> Job | None:
        """Queue a reading of the text before the cursor now (the timer calls this after the pause)."""
        self.timer.stop()
        if not self.enabled:
            return None
        spec = self.spec_source()
        if spec is None:
            return None
        key = (spec.model_id, str(spec.inputs.get("prompt", "")), tuple(sorted(spec.params.items(), key=str)))
        if key == self._read_prompt:
            return None  # read already; the engine would find every chunk cached anyway
        spec = JobSpec(
            kind=spec.kind,
            model_id=spec.model_id,
            inputs={"prompt": spec.inputs.get("prompt", ""), "mode": READ_AHEAD},
            params=dict(spec.params),
            seed=0,
        )
        self.cancel()
        self.job = self.queue.submit_background(spec, _Reading(self))
        if self.job is None:
            return None  # the text lane never ran: no model is loaded to read with
        self._pending_key = key
        self.events.append("submitted")
        return self.job

    def _ended(self, job: Job, how: str, result: JobResult | None) -> None:
        self.events.append(how)
        if how == "finished" and result is not None:
            self.last_result = result
            self._read_prompt = self._pending_key if job is self.job else self._read_prompt
        if job is self.job:
            self.job = None
