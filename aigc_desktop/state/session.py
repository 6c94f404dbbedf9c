"""The open project: which project the window shows, where it is saved, whether it has unsaved changes, and its
history of generations. The window, the panes, autosave and the History dock observe it; panes record generations
through it (with the model's licence) instead of appending to the project themselves."""

from __future__ import annotations

import time
from collections.abc import Mapping
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.models.registry import ModelRegistry
from aigc_desktop.core.project.model import HistoryEntry, HistoryStatus, Project
from aigc_desktop.core.specs import JobSpec


class ProjectSession(QObject):
    project_replaced = Signal()  # a different project is shown (new, opened, restored): everything rebinds
    edited = Signal()  # the project's content changed (marks it unsaved; autosave listens)
    dirty_changed = Signal(bool)
    path_changed = Signal()
    history_changed = Signal()  # an entry was added

    def __init__(self, registry: ModelRegistry, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.registry = registry
        self.project = Project()
        self.path: Path | None = None
        self.dirty = False
        self._replacing = False

    def replace(self, project: Project, path: Path | None) -> None:
        """Show `project` (saved at `path`, if anywhere), unmodified."""
        self.project, self.path = project, path
        self._replacing = True  # what the models do to show the new project (clearing undo stacks) is no edit
        try:
            self.project_replaced.emit()
        finally:
            self._replacing = False
        self._set_dirty(False)
        self.path_changed.emit()
        self.history_changed.emit()

    def mark_edited(self) -> None:
        if self._replacing:
            return
        self._set_dirty(True)
        self.edited.emit()

    def mark_saved(self, path: Path) -> None:
        changed = path != self.path
        self.path = path
        self._set_dirty(False)
        if changed:
            self.path_changed.emit()

    def _set_dirty(self, dirty: bool) -> None:
        if dirty != self.dirty:
            self.dirty = dirty
            self.dirty_changed.emit(dirty)

    def record(
        self,
        spec: JobSpec,
        status: HistoryStatus,
        *,
        started_at: float,
        seconds: float | None = None,
        output_refs: list[str] | None = None,
        summary: str = "",
        metrics: Mapping[str, object] | None = None,
    ) -> HistoryEntry:
        """Add a generation to the history (with its model's licence) and mark the project changed. `seconds`
        defaults to the time since `started_at` (a stopped or failed job has no result to time it)."""
        try:
            licence = self.registry.get(spec.model_id).licence
        except UserError:
            licence = ""
        entry = HistoryEntry(
            spec=spec,
            status=status,
            started_at=started_at,
            seconds=time.time() - started_at if seconds is None else seconds,
            model_licence=licence,
            output_refs=list(output_refs or []),
            summary=summary,
            metrics=dict(metrics or {}),
        )
        self.project.history.append(entry)
        self.history_changed.emit()
        self.mark_edited()
        return entry
