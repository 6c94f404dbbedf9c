"""One "Learn my style" run as the window sees it: the job on the queue's "train" lane, what its trainer has reported
so far (the plan, every step's loss, each saved epoch with its held-back perplexity and sample), and how it ended.

The dialog (ui/learn_style_dialog.py) renders this model and changes it only through start / pause / resume / stop,
so a dialog closed and opened again shows the same run, and a restart offer can start a run before any dialog exists.
The run is recorded in the project's History when it ends (the style is not a project output: its summary names it).
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, Signal

from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP, Msg
from aigc_desktop.core.models.styles import StyleRecord, is_training
from aigc_desktop.core.project.model import HistoryStatus
from aigc_desktop.core.specs import JobResult, JobSpec
from aigc_desktop.core.train.style_job import (
    STYLE_TRAINER_MODEL_ID,
    StyleEpoch,
    StyleOutput,
    StylePrepared,
    StyleProgress,
)
from aigc_desktop.state.context import AppContext
from aigc_desktop.state.session import ProjectSession
from aigc_desktop.workers.jobs import Job, JobHandler, JobState
from aigc_desktop.workers.queue import JobQueue

TRAINING = QT_TRANSLATE_NOOP("StyleRun", "Learning…")


def training_job(queue: JobQueue, name: str) -> Job | None:
    """The queue's "Learn my style" job for the style `name`, waiting or running; None when there is none."""
    for job in queue.jobs():
        if job.spec.model_id == STYLE_TRAINER_MODEL_ID and job.spec.inputs.get("name") == name:
            return job
    return None


def training_refusal(ctx: AppContext, name: str, removing: bool = False) -> Msg | None:
    """Why the style `name` cannot be renamed (or removed) now: a run of this window waits to train it or trains it,
    or another process (`aigc learn-style`) trains it. None when nothing does."""
    job = training_job(ctx.queue, name)
    if job is not None and job.state is JobState.WAITING:
        if removing:
            return QT_TRANSLATE_NOOP(
                "StyleRun", "The style “{name}” is waiting to be trained: remove it after its training stops."
            ).format(name=name)
        return QT_TRANSLATE_NOOP(
            "StyleRun", "The style “{name}” is waiting to be trained: rename it after its training stops."
        ).format(name=name)
    if job is not None or is_training(ctx.registry.models_dir, name):
        if removing:
            return QT_TRANSLATE_NOOP(
                "StyleRun", "The style “{name}” is being trained right now: remove it after its training stops."
            ).format(name=name)
        return QT_TRANSLATE_NOOP(
            "StyleRun", "The style “{name}” is being trained right now: rename it after its training stops."
        ).format(name=name)
    return None


def style_label(record: StyleRecord) -> str:
    """How the model list names a style: "<base> · <style>" (core/models/styles.py style_entries)."""
    return f"{record.base_name} · {record.name}"


class StyleRun(QObject):
    changed = Signal()  # anything the dialog shows changed (status, plan, progress, buttons)
    steps = Signal(object)  # a tuple of new step losses, for the curve
    epoch_saved = Signal(object)  # a StyleEpoch: saved on disk and listed by the registry from now on
    style_saved = Signal(str)  # a style's model id, when a run ends with a saved epoch (model pickers refresh)

    def __init__(self, ctx: AppContext, session: ProjectSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.session = session
        self.job: Job | None = None
        self.name = ""
        self.paused = False
        self.prepared: StylePrepared | None = None
        self.progress: StyleProgress | None = None
        self.epochs: list[StyleEpoch] = []
        self.output: StyleOutput | None = None
        self.losses: list[float] = []  # every step's training loss of this run, in order
        self.status: str = ""  # a Msg (or plain text): the dialog shows it translated
        self.status_error = False

    @property
    def running(self) -> bool:
        return self.job is not None

    @property
    def saved_epoch(self) -> StyleEpoch | None:
        return self.epochs[-1] if self.epochs else None

    def start(self, spec: JobSpec, name: str) -> Job | None:
        """Submit `spec` (a learn_style_spec); None when a run is already going."""
        if self.running:
            return None
        self.name = name
        self.paused = False
        self.prepared, self.progress, self.output = None, None, None
        self.epochs, self.losses = [], []
        title = QT_TRANSLATE_NOOP("StyleRun", "Learn the style {name}").format(name=name)
        self.job = self.ctx.queue.submit(spec, title=title, handler=_StyleTraining(self))
        self.say(QT_TRANSLATE_NOOP("StyleRun", "Reading your texts and timing the first steps…"))
        return self.job

    def pause(self) -> None:
        if self.job is not None and not self.paused:
            self.ctx.queue.pause(self.job.id)
            self.paused = True
            self.say(
                QT_TRANSLATE_NOOP(
                    "StyleRun",
                    "Paused after the current step. Resume goes on; Stop keeps the last saved epoch.",
                )
            )

    def resume(self) -> None:
        if self.job is not None and self.paused:
            self.ctx.queue.resume(self.job.id)
            self.paused = False
            self.say(TRAINING)

    def stop(self) -> None:
        if self.job is not None:
            self.ctx.queue.cancel(self.job.id)
            self.say(QT_TRANSLATE_NOOP("StyleRun", "Stopping after the current step…"))

    def say(self, text: str, error: bool = False) -> None:
        self.status, self.status_error = text, error
        self.changed.emit()

    # ------------------------------------------------------------ the job's reports (from _StyleTraining)

    def _on_progress(self, job: Job) -> None:
        if self.progress is None and job.message and not self.paused:
            self.say(job.message)  # "Loading the base model…", "Timing the first steps…" before the first step

    def _on_partial(self, payload: object) -> None:
        if isinstance(payload, StylePrepared):
            self.prepared = payload
            self.changed.emit()
        elif isinstance(payload, StyleProgress):
            first = self.progress is None
            self.progress = payload
            new = payload.step_losses or (payload.loss,)
            self.losses.extend(new)
            self.steps.emit(tuple(new))
            if first and not self.paused:
                self.say(TRAINING)
            else:
                self.changed.emit()
        elif isinstance(payload, StyleEpoch):
            self.epochs.append(payload)
            self.epoch_saved.emit(payload)
            if not self.paused:
                self.say(
                    QT_TRANSLATE_NOOP("StyleRun", "Learning… epoch {epoch} saved in {path}").format(
                        epoch=payload.epoch, path=payload.saved_path
                    )
                )

    def _on_finished(self, output: object) -> None:
        self.job, self.paused = None, False
        if isinstance(output, StyleOutput):
            self.output = output
            self.say(
                QT_TRANSLATE_NOOP(
                    "StyleRun",
                    "Saved the style “{name}” in {path}. Choose “{label}” in the Document's model list to write "
                    "with it.",
                ).format(name=output.record.name, path=output.path, label=style_label(output.record))
            )
            self.style_saved.emit(output.model_id)
        else:
            self.changed.emit()

    def _on_cancelled(self, job: Job) -> None:
        self.job, self.paused = None, False
        last = self.saved_epoch
        if job.refused:
            self.say(job.refused, error=True)
        elif last is not None:
            self.say(
                QT_TRANSLATE_NOOP(
                    "StyleRun",
                    "Stopped. The style as of epoch {epoch} is saved in {path} and listed in the Document's model "
                    "list.",
                ).format(epoch=last.epoch, path=last.saved_path)
            )
            self.style_saved.emit(last.model_id)
        else:
            self.say(QT_TRANSLATE_NOOP("StyleRun", "Stopped before the first epoch finished: nothing was saved."))

    def _on_failed(self, message: str) -> None:
        self.job, self.paused = None, False
        last = self.saved_epoch
        if last is not None:
            self.style_saved.emit(last.model_id)  # the epochs saved before the failure are usable
        self.say(QT_TRANSLATE_NOOP("StyleRun", "Learning failed: {message}").format(message=message), error=True)


class _StyleTraining(JobHandler):
    """One run's reports, passed to the StyleRun, and recorded in the project's History when it ends."""

    def __init__(self, run: StyleRun) -> None:
        self.run = run
        self.started_at = time.time()

    def progress(self, job: Job) -> None:
        self.run._on_progress(job)

    def partial(self, job: Job, payload: object) -> None:
        self.run._on_partial(payload)

    def finished(self, job: Job, result: JobResult | None) -> None:
        output = result.output if result is not None else None
        if isinstance(output, StyleOutput) and result is not None:
            self._record(job, HistoryStatus.FINISHED, output, result.seconds)
        self.run._on_finished(output)

    def cancelled(self, job: Job) -> None:
        if not job.refused:
            self._record(job, HistoryStatus.CANCELLED, None, None)
        self.run._on_cancelled(job)

    def failed(self, job: Job, message: str) -> None:
        self._record(job, HistoryStatus.FAILED, None, None)
        self.run._on_failed(message)

    def _record(self, job: Job, status: HistoryStatus, out: StyleOutput | None, seconds: float | None) -> None:
        name = str(job.spec.inputs.get("name") or "")
        summary: Msg
        metrics: dict[str, object] = {}
        if out is None:
            last = self.run.saved_epoch
            summary = QT_TRANSLATE_NOOP("StyleRun", "Style “{name}” stopped after {epochs} saved epoch(s)").format(
                name=name, epochs=last.epoch if last else 0
            )
            if last is not None:
                metrics = {"style": last.model_id, "perplexity_now": round(last.perplexity_now, 2)}
        else:
            summary = QT_TRANSLATE_NOOP(
                "StyleRun", "Style “{name}”: {epochs} epochs on {words} words, held-back perplexity {before} → {after}"
            ).format(
                name=out.record.name,
                epochs=out.epochs,
                words=out.record.words,
                before=round(out.perplexity_before, 1),
                after=round(out.perplexity_after, 1),
            )
            metrics = {
                "style": out.model_id,
                "path": str(out.path),
                "perplexity_before": round(out.perplexity_before, 2),
                "perplexity_after": round(out.perplexity_after, 2),
                "seconds_per_step": round(out.seconds_per_step, 3),
                "words_per_minute": round(out.words_per_minute),
            }
        started = self.started_at if seconds is None else time.time() - seconds
        self.run.session.record(job.spec, status, started_at=started, seconds=seconds, summary=summary, metrics=metrics)
