"""What the main window expects of a pane: bind to the project, flush edits into it, undo/redo, a model selector."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from aigc_desktop.core.engines.base import has_engine
from aigc_desktop.core.errors import UserError
from aigc_desktop.core.project.model import HistoryEntry, Project
from aigc_desktop.core.specs import JobKind, JobSpec, ModelKind
from aigc_desktop.ui.context import AppContext
from aigc_desktop.ui.dialogs import show_error
from aigc_desktop.ui.model_selector import ModelSelector


class Pane(QWidget):
    changed = Signal()  # the project's content changed: the window marks it unsaved
    undo_state_changed = Signal()

    pane_id = ""
    title = ""
    model_kinds: tuple[ModelKind, ...] = ()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.project = Project()
        self.setObjectName(f"{self.pane_id}Pane")
        self.model_selector = ModelSelector(self.model_kinds, self)
        self.model_selector.model_chosen.connect(self._on_model_chosen)
        self.toolbar = QHBoxLayout()
        self.toolbar.setContentsMargins(0, 0, 0, 0)
        self.toolbar.addWidget(QLabel("Model:"))
        self.toolbar.addWidget(self.model_selector)
        self.toolbar.addStretch(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        outer.addLayout(self.toolbar)
        self.body = QVBoxLayout()
        outer.addLayout(self.body, 1)
        self.undo_stack = QUndoStack(self)
        # Signal-to-signal connections: Qt drops them itself when the pane is destroyed (lambdas would outlive it).
        self.undo_stack.cleanChanged.connect(self.undo_state_changed)
        self.undo_stack.indexChanged.connect(self.undo_state_changed)
        self.undo_stack.indexChanged.connect(self.changed)
        self.refresh_models()

    # -- models

    def refresh_models(self) -> None:
        self.model_selector.populate(self.ctx.registry, self.ctx.settings.default_models.get(self.pane_id))

    def _on_model_chosen(self, model_id: str) -> None:
        self.ctx.settings.default_models[self.pane_id] = model_id
        self.ctx.save_settings()
        entry = self.ctx.registry.get(model_id)
        if has_engine(entry.kind, entry.backend):  # load in the background so the first generation starts at once
            kind = {ModelKind.TEXT: JobKind.TEXT, ModelKind.IMAGE: JobKind.IMAGE, ModelKind.MUSIC: JobKind.MUSIC}.get(
                entry.kind, JobKind.SPEECH
            )
            self.ctx.queue.preload(JobSpec(kind=kind, model_id=model_id), title=f"Load {entry.name}")

    # -- project

    def bind(self, project: Project) -> None:
        """Show `project` (a new, opened or restored one). Undo history starts afresh."""
        self.project = project
        self.undo_stack.clear()

    def flush(self) -> None:
        """Write any state the widgets hold into the project (before a save)."""

    def record_history(
        self,
        spec: JobSpec,
        status: str,
        started_at: float,
        seconds: float,
        output_refs: list[str],
        summary: str,
        metrics: dict[str, object],
    ) -> HistoryEntry:
        """Add a generation to the project's history (with its model's licence) and mark the project changed."""
        try:
            licence = self.ctx.registry.get(spec.model_id).licence
        except UserError:
            licence = ""
        entry = HistoryEntry(
            spec=spec,
            status=status,
            started_at=started_at,
            seconds=seconds,
            model_licence=licence,
            output_refs=output_refs,
            summary=summary,
            metrics=dict(metrics),
        )
        self.project.history.append(entry)
        self.changed.emit()
        return entry

    def import_each(self, paths: list[Path], add: Callable[[Path], None]) -> None:
        """Import files one by one; the ones that fail are listed in one message, the rest still come in."""
        problems = []
        for path in paths:
            try:
                add(path)
            except UserError as exc:
                problems.append(str(exc))
        if problems:
            show_error(self, "Some files were not imported", "\n".join(problems))

    # -- undo (the Edit menu routes to the visible pane)

    def undo(self) -> None:
        self.undo_stack.undo()

    def redo(self) -> None:
        self.undo_stack.redo()

    def can_undo(self) -> bool:
        return self.undo_stack.canUndo()

    def can_redo(self) -> bool:
        return self.undo_stack.canRedo()
