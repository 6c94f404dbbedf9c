"""What the main window expects of a pane: a model selector, flushing edits into the project, undo/redo (on the
pane's model's undo stack when it has one, as the canvas has).

A pane shows the session's project: it rebinds on `session.project_replaced` and reports edits with
`session.mark_edited()`; generations are recorded with `session.record()`.

The base sets its own text (the "Model:" label) again on each LanguageChange in `changeEvent`, so a pane can be
`class XPane(Retranslating, Pane)` with a `retranslate()` for its own widgets only. `title` may be a marked Msg
(QT_TRANSLATE_NOOP): messages shown under it use it translated.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from aigc_desktop.core.engines.base import has_engine
from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.project.model import HistoryEntry, Project
from aigc_desktop.core.specs import JobKind, JobSpec, ModelKind
from aigc_desktop.state.context import AppContext
from aigc_desktop.state.session import ProjectSession
from aigc_desktop.ui.dialogs import show_error
from aigc_desktop.ui.i18n import error_text, tr_msg, translate
from aigc_desktop.ui.model_selector import ModelSelector
from aigc_desktop.workers.jobs import Job

JOB_KIND_OF_MODEL = {ModelKind.TEXT: JobKind.TEXT, ModelKind.IMAGE: JobKind.IMAGE, ModelKind.MUSIC: JobKind.MUSIC}


class Pane(QWidget):
    undo_state_changed = Signal()

    pane_id = ""
    title = ""
    model_kinds: tuple[ModelKind, ...] = ()
    job_kinds: tuple[JobKind, ...] = ()  # the generations this pane makes, replays and shows (History routes them)

    def __init__(
        self,
        ctx: AppContext,
        session: ProjectSession,
        parent: QWidget | None = None,
        undo_stack: QUndoStack | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.session = session
        self.setObjectName(f"{self.pane_id}Pane")
        self.model_selector = ModelSelector(self.model_kinds, self)
        self.model_selector.model_chosen.connect(self._on_model_chosen)
        self.model_selector.populate(ctx.registry, ctx.settings.default_model(self.pane_id))
        ctx.servers.changed.connect(self.refresh_models)  # a server added, tested or removed in Settings ▸ Servers
        self._model_label_text = translate("Pane", "Model:")
        self.model_label = QLabel(self._model_label_text)
        self.toolbar = QHBoxLayout()
        self.toolbar.setContentsMargins(0, 0, 0, 0)
        self.toolbar.addWidget(self.model_label)
        self.toolbar.addWidget(self.model_selector)
        self.toolbar.addStretch(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        outer.addLayout(self.toolbar)
        self.body = QVBoxLayout()
        outer.addLayout(self.body, 1)
        if undo_stack is None:  # a pane whose model keeps no undo stack (and so reports no edits) has its own
            undo_stack = QUndoStack(self)
            undo_stack.indexChanged.connect(session.mark_edited)
        self.undo_stack = undo_stack
        # Signal-to-signal connections: Qt drops them itself when the pane is destroyed (lambdas would outlive it).
        self.undo_stack.cleanChanged.connect(self.undo_state_changed)
        self.undo_stack.indexChanged.connect(self.undo_state_changed)
        session.project_replaced.connect(self.bind)

    def changeEvent(self, event: QEvent) -> None:
        # Not the Retranslating mixin: a subclass lists that itself (before Pane) for its own texts.
        if event.type() == QEvent.Type.LanguageChange and self.model_label.text() == self._model_label_text:
            # Only the base's own word: a pane that names it otherwise ("Voice:") sets that in its retranslate().
            self._model_label_text = translate("Pane", "Model:")
            self.model_label.setText(self._model_label_text)
        super().changeEvent(event)

    @property
    def project(self) -> Project:
        return self.session.project

    # -- models

    def refresh_models(self) -> None:
        """The installed models or the servers changed (Models window, a trained model, Settings ▸ Servers): list
        them again."""
        self.model_selector.populate(self.ctx.registry, self.ctx.settings.default_model(self.pane_id))

    def _on_model_chosen(self, model_id: str) -> None:
        self.ctx.settings.set_default_model(self.pane_id, model_id)
        entry = self.ctx.registry.get(model_id)
        if has_engine(entry.kind, entry.backend):  # load in the background so the first generation starts at once
            kind = JOB_KIND_OF_MODEL.get(entry.kind, JobKind.SPEECH)
            title = QT_TRANSLATE_NOOP("Pane", "Load {name}").format(name=entry.name)
            self.ctx.queue.preload(JobSpec(kind=kind, model_id=model_id), title=title)

    # -- project

    def bind(self) -> None:
        """Show the session's (new, opened or restored) project. Undo history starts afresh (a model that owns the
        stack has cleared it already)."""
        self.undo_stack.clear()

    def flush(self) -> None:
        """Write any state the widgets hold into the project (before a save)."""

    # -- the History dock's requests for this pane's generations

    def regenerate(self, entry: HistoryEntry) -> Job | None:
        """Replay a recorded generation exactly (same inputs, settings and seed); its result comes back as new."""
        return None

    def load_spec(self, spec: JobSpec) -> None:
        """Put a recorded generation's settings into this pane's controls."""

    def show_output(self, ref: str, spec_id: str) -> None:
        """Select an output of generation `spec_id`: a layer or clip id, or "document" for its text."""

    def guarded(self, action: Callable[[], object]) -> None:
        """Do what the user asked; a refusal (UserError: "select a clip first") is shown under the pane's title."""
        try:
            action()
        except UserError as exc:
            show_error(self, tr_msg(self.title), error_text(exc))

    def import_each(self, paths: list[Path], add: Callable[[Path], None]) -> None:
        """Import files one by one; the ones that fail are listed in one message, the rest still come in."""
        problems = []
        for path in paths:
            try:
                add(path)
            except UserError as exc:
                problems.append(error_text(exc))
        if problems:
            show_error(self, translate("Pane", "Some files were not imported"), "\n".join(problems))

    # -- undo (the Edit menu routes to the visible pane)

    def undo(self) -> None:
        self.undo_stack.undo()

    def redo(self) -> None:
        self.undo_stack.redo()

    def can_undo(self) -> bool:
        return self.undo_stack.canUndo()

    def can_redo(self) -> bool:
        return self.undo_stack.canRedo()
