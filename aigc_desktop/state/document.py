"""The project's document as the QTextDocument the editor shows (with its AI marks), and the text generations that
write into it: Continue streams at a cursor, Variants and Actions fill the Results list. Each generation is one
JobHandler that records itself in the History when it ends.

Job titles and status lines are marked `Msg`s (core/i18n.py), carried unchanged to the pane, which shows them in the
interface language and again after a switch; their numbers are `LocalNumber`s, written the language's way when shown.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from PySide6.QtCore import QLocale, QObject, Signal
from PySide6.QtGui import QFont, QTextCursor, QTextDocument

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP, Msg
from aigc_desktop.core.project.model import HistoryEntry, HistoryStatus
from aigc_desktop.core.specs import JobKind, JobResult, JobSpec
from aigc_desktop.core.text.actions import ACTIONS_BY_ID
from aigc_desktop.core.text.context import window_text
from aigc_desktop.core.text.job import TextChunk, TextOutput
from aigc_desktop.state.ai_marks import ai_format, apply_spans, collect_spans, set_ai_highlight
from aigc_desktop.state.context import AppContext
from aigc_desktop.state.live_text import LiveText
from aigc_desktop.state.read_ahead import ReadAhead
from aigc_desktop.state.session import ProjectSession
from aigc_desktop.workers.jobs import Job, JobHandler

BODY_POINTS = 12.0
# What each kind of text generation is called (the job's title, the History's rows); actions go by their own label.
MODE_NAMES: dict[str, Msg] = {
    "continue": QT_TRANSLATE_NOOP("DocumentModel", "Continue"),
    "variants": QT_TRANSLATE_NOOP("DocumentModel", "Variants"),
    "text": QT_TRANSLATE_NOOP("DocumentModel", "Text"),
}


def generation_name(spec: JobSpec) -> Msg:
    """What a recorded text generation was, in words: its action's label, or Continue / Variants."""
    action = ACTIONS_BY_ID.get(str(spec.inputs.get("action") or ""))
    if action is not None:
        return action.label
    return MODE_NAMES.get(str(spec.inputs.get("mode") or "text"), MODE_NAMES["text"])


def style_provenance(ctx: AppContext, spec: JobSpec) -> dict[str, object]:
    """For text written with a style (Learn my style): its name and how many words of the user's texts it learned
    from, kept in the History entry so the provenance stays true after the style is renamed or removed."""
    from aigc_desktop.core.models import styles

    if not styles.is_style_id(spec.model_id):
        return {}
    try:
        record = styles.get_style(ctx.registry.models_dir, spec.model_id.removeprefix(styles.STYLE_ID_PREFIX)).record
    except UserError:
        return {}
    return {"style": record.name, "style_words": record.words, "style_base": record.base_model_id}


class LocalNumber:
    """A number among a Msg's values: written the interface language's way (QLocale's default follows it) each time
    the Msg is shown."""

    __slots__ = ("decimals", "value")

    def __init__(self, value: float, decimals: int = 0) -> None:
        self.value = value
        self.decimals = decimals

    def __format__(self, spec: str) -> str:
        if self.decimals:
            return QLocale().toString(float(self.value), "f", self.decimals)
        return QLocale().toString(round(self.value))

    def __str__(self) -> str:
        return format(self)


@dataclass
class Result:
    """One candidate in the Results list: its text as the model wrote it, and the spec that wrote it."""

    text: str
    spec_id: str


@dataclass
class _Insertion:
    """Where a streamed continuation goes; its cursor moves along as the author edits above it."""

    cursor: QTextCursor
    spec_id: str
    undo_steps: int = -1  # the document's undo count after our last chunk; differs when the author edited meanwhile


class DocumentModel(QObject):
    # One line about the latest generation ("Continue: writing… 120 characters"), a marked Msg.
    status_changed = Signal(object)
    results_changed = Signal()
    running_changed = Signal(bool)  # whether a generation of this document is queued or running (Stop)

    def __init__(self, ctx: AppContext, session: ProjectSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.session = session
        self.document = QTextDocument(self)
        font = QFont(self.document.defaultFont())
        font.setPointSizeF(BODY_POINTS)
        self.document.setDefaultFont(font)
        self.document.setDocumentMargin(24)
        set_ai_highlight(self.document, ctx.settings.values.show_ai)
        # The plain text and its word count, followed edit by edit: reading them costs nothing while typing.
        self.live = LiveText(self.document, self)
        self.results: list[Result] = []
        self.selection = (0, 0)  # the editor's selection (start, end), kept here so other panes can read it
        self._running: list[Job] = []
        self.document.contentsChanged.connect(session.mark_edited)
        # The pane tells it what Continue would send (its spec_source); every edit restarts the pause.
        self.read_ahead = ReadAhead(ctx.queue, lambda: None, self)
        self.document.contentsChanged.connect(self.read_ahead.typed)
        session.project_replaced.connect(self._load)
        ctx.settings.changed.connect(self._on_setting_changed)
        self._load()

    # ------------------------------------------------------------ the project's text

    def _load(self) -> None:
        doc, saved = self.document, self.session.project.document
        doc.blockSignals(True)
        if saved.html:
            doc.setHtml(saved.html)
        else:
            doc.setPlainText(saved.text)
        apply_spans(doc, saved.ai_spans)
        doc.blockSignals(False)
        self.live.reread()
        doc.clearUndoRedoStacks()
        doc.setModified(False)
        self.selection = (0, 0)
        self.results = []
        self.results_changed.emit()
        doc.contentsChanged.emit()  # the signals were blocked: views (the word count) must hear of the new text

    def flush(self) -> None:
        """The text, its formatting and its AI marks into the project (before a save, an export or an autosave)."""
        saved = self.session.project.document
        saved.html = self.document.toHtml()
        saved.text = self.document.toPlainText()
        saved.ai_spans = collect_spans(self.document)

    def text(self) -> str:
        return self.live.text

    def text_before(self, position: int, budget_tokens: int) -> str:
        """What Continue and Variants send: the text before `position`, all of it when it may fit the model's context
        of `budget_tokens`, else its end from a start that moves in large steps (core/text/context.py)."""
        return window_text(self.text()[:position], budget_tokens)

    def selected_text(self) -> str:
        start, end = self.selection
        cursor = QTextCursor(self.document)
        cursor.setPosition(min(start, self.document.characterCount() - 1))
        cursor.setPosition(min(end, self.document.characterCount() - 1), QTextCursor.MoveMode.KeepAnchor)
        return cursor.selectedText().replace("\u2029", "\n")

    def _on_setting_changed(self, name: str) -> None:
        if name == "show_ai":
            set_ai_highlight(self.document, self.ctx.settings.values.show_ai)

    # ------------------------------------------------------------ generations

    @property
    def running(self) -> bool:
        return bool(self._running)

    def submit(self, spec: JobSpec, title: Msg, insert_at: QTextCursor | None) -> Job:
        """Queue a text job: streamed into the document at `insert_at`, or into the Results list when None. `title`
        names it in the queue and the status line."""
        insertion = None if insert_at is None else _Insertion(QTextCursor(insert_at), "")
        handler = _TextGeneration(self, title, insertion)
        self.read_ahead.forget()
        job = self.ctx.queue.submit(spec, title=title, handler=handler)
        if insertion is not None:
            insertion.spec_id = job.spec.id  # the resolved spec's id marks the text it writes
        else:
            self.results = []
            self.results_changed.emit()
        self._running.append(job)
        self.running_changed.emit(True)
        self.status_changed.emit(
            QT_TRANSLATE_NOOP("DocumentModel", "{title}: waiting for the model…").format(title=title)
        )
        return job

    def stop(self) -> None:
        for job in list(self._running):
            self.ctx.queue.cancel(job.id)

    def regenerate(self, entry: HistoryEntry) -> Job:
        """Replay a recorded generation exactly; its texts come up in Results to insert or compare."""
        title = QT_TRANSLATE_NOOP("DocumentModel", "Regenerate: {what}").format(what=generation_name(entry.spec))
        return self.submit(entry.spec.replay(), title, None)

    def text_history(self) -> list[HistoryEntry]:
        return [h for h in self.session.project.history if h.spec.kind is JobKind.TEXT]

    def _show_result(self, index: int, text: str, spec_id: str) -> None:
        while len(self.results) <= index:
            self.results.append(Result("", spec_id))
        self.results[index] = Result(text, spec_id)
        self.results_changed.emit()

    def _stream_into_document(self, ins: _Insertion, text: str) -> None:
        doc = self.document
        c = ins.cursor
        # All chunks of one continuation join one undo step, unless the author edited in between.
        if ins.undo_steps == doc.availableUndoSteps():
            c.joinPreviousEditBlock()
        else:
            c.beginEditBlock()
        c.insertText(text, ai_format(ins.spec_id))
        c.endEditBlock()
        ins.undo_steps = doc.availableUndoSteps()

    def _ended(self, job: Job) -> None:
        if job in self._running:
            self._running.remove(job)
        self.running_changed.emit(bool(self._running))


@dataclass(eq=False)
class _TextGeneration(JobHandler):
    model: DocumentModel
    title: Msg
    insertion: _Insertion | None  # None: results go to the Results list
    texts: list[str] = field(default_factory=list)
    started_at: float = field(default_factory=time.time)

    def partial(self, job: Job, payload: object) -> None:
        if not isinstance(payload, TextChunk):
            return
        while len(self.texts) <= payload.index:
            self.texts.append("")
        self.texts[payload.index] += payload.text
        if self.insertion is not None:
            self.model._stream_into_document(self.insertion, payload.text)
        else:
            self.model._show_result(payload.index, self.texts[payload.index], job.spec.id)
        characters = sum(len(t) for t in self.texts)
        status = QT_TRANSLATE_NOOP("DocumentModel", "{title}: writing… {characters} characters")
        self.model.status_changed.emit(status.format(title=self.title, characters=LocalNumber(characters)))

    def finished(self, job: Job, result: JobResult | None) -> None:
        if job.action.value == "run":
            self._end(job, HistoryStatus.FINISHED, result)

    def cancelled(self, job: Job) -> None:
        if job.refused:  # never sent (plain http not confirmed): nothing to record, the reason is the status
            self.model._ended(job)
            self.model.status_changed.emit(job.refused)
            return
        self._end(job, HistoryStatus.CANCELLED, None)

    def failed(self, job: Job, message: str) -> None:
        self._end(job, HistoryStatus.FAILED, None)

    def _end(self, job: Job, status: HistoryStatus, result: JobResult | None) -> None:
        model = self.model
        model._ended(job)
        output = result.output if result is not None else None
        texts = output.texts if isinstance(output, TextOutput) else self.texts
        if isinstance(output, TextOutput) and self.insertion is None:
            for i, text in enumerate(texts):  # beam search and trimmed stop strings arrive only in the final texts
                model._show_result(i, text, job.spec.id)
        if status is HistoryStatus.FAILED or (status is HistoryStatus.CANCELLED and not any(texts)):
            if status is HistoryStatus.FAILED:
                model.status_changed.emit(
                    QT_TRANSLATE_NOOP("DocumentModel", "{title}: failed").format(title=self.title)
                )
            else:
                model.status_changed.emit(
                    QT_TRANSLATE_NOOP("DocumentModel", "{title}: cancelled").format(title=self.title)
                )
            return
        model.session.record(
            job.spec,
            status,
            started_at=self.started_at,
            seconds=result.seconds if result is not None else None,
            output_refs=["document"] if self.insertion is not None else [],
            summary=(texts[0] if texts else "").strip().replace("\n", " ")[:80],
            metrics={
                **(dict(result.metrics) if result else {}),
                **style_provenance(model.ctx, job.spec),
                "texts": texts,
            },
        )
        if isinstance(output, TextOutput):
            values = {
                "title": self.title,
                "tokens": LocalNumber(output.new_tokens),
                "speed": LocalNumber(output.tokens_per_second, 1),
            }
            if output.first_token_ms:
                done = QT_TRANSLATE_NOOP(
                    "DocumentModel", "{title}: {tokens} tokens at {speed} tokens/s, first words after {ms} ms"
                )
                model.status_changed.emit(done.format(**values, ms=LocalNumber(output.first_token_ms)))
            else:
                done = QT_TRANSLATE_NOOP("DocumentModel", "{title}: {tokens} tokens at {speed} tokens/s")
                model.status_changed.emit(done.format(**values))
        else:
            model.status_changed.emit(QT_TRANSLATE_NOOP("DocumentModel", "{title}: stopped").format(title=self.title))
