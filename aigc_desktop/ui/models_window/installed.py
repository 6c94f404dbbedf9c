"""The Installed tab: every model the app can use, which pane uses it by default, whether its weights are safe to
load; set a pane's default, allow pickle weights, open the folder, remove."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QColor, QDesktopServices
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.models import installed, safety
from aigc_desktop.core.models.entry import ModelEntry, ModelSource
from aigc_desktop.core.specs import ModelKind
from aigc_desktop.core.units import human_bytes
from aigc_desktop.state.context import AppContext
from aigc_desktop.ui.models_window.common import (
    ERROR_COLOUR,
    WARNING_COLOUR,
    item,
    kind_label,
    selected_row,
    show_status,
    table,
)

# Which pane a kind of model is the default for (Settings.default_models keys; the Audio pane keeps music apart).
PANE_FOR_KIND: dict[ModelKind, tuple[str, str]] = {
    ModelKind.TEXT: ("document", "Document"),
    ModelKind.IMAGE: ("canvas", "Canvas"),
    ModelKind.SPEECH: ("audio", "Audio (speech)"),
    ModelKind.MUSIC: ("music", "Audio (music)"),
}
SOURCE_LABEL = {
    ModelSource.EMBEDDED: "built in",
    ModelSource.DOWNLOADED: "downloaded",
    ModelSource.IMPORTED: "imported",
    ModelSource.LINKED: "linked (in place)",
}
SAFETY_COLUMN = 7


class InstalledTab(QWidget):
    refreshed = Signal()  # the list was read again (the window's banner names the built-in models)
    defaults_changed = Signal()  # a pane default or a pickle consent changed: model pickers refresh
    models_changed = Signal(str)  # a model was removed (the argument: a model id to show, "" for none)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.entries: list[ModelEntry] = []
        lay = QVBoxLayout(self)
        self.table = table(
            ["Name", "Kind", "Backend", "Size", "Licence", "Source", "Default for", "Safety", "Location"],
            stretch=8,
            fixed={4: 170},
            paths=True,
        )
        self.table.setObjectName("installedTable")
        self.table.itemSelectionChanged.connect(self._update_buttons)
        lay.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.default_button = QPushButton("Set as default for its pane", self)
        self.default_button.clicked.connect(self.set_default_selected)
        self.open_button = QPushButton("Open folder", self)
        self.open_button.clicked.connect(self.open_selected_folder)
        self.pickle_button = QPushButton("Allow pickle weights…", self)
        self.pickle_button.setToolTip(safety.PICKLE_EXPLANATION)
        self.pickle_button.clicked.connect(self.toggle_pickle_selected)
        self.remove_button = QPushButton("Remove…", self)
        self.remove_button.clicked.connect(self.remove_selected)
        refresh = QPushButton("Refresh", self)
        refresh.clicked.connect(self.refresh)
        for b in (self.default_button, self.open_button, self.pickle_button, self.remove_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(refresh)
        lay.addLayout(buttons)
        self.status = QLabel(self)
        self.status.setObjectName("installedStatus")
        self.status.setWordWrap(True)
        lay.addWidget(self.status)

    def refresh(self) -> None:
        selected = self.selected_entry()
        self.entries = self.ctx.registry.entries()
        defaults = self.ctx.settings.values.default_models
        self.table.setRowCount(len(self.entries))
        for row, e in enumerate(self.entries):
            pane_key, pane_label = PANE_FOR_KIND.get(e.kind, ("", ""))
            is_default = bool(pane_key) and defaults.get(pane_key) == e.id
            allowed = e.pickle_only and safety.pickle_consented(e, self.ctx.paths)
            if e.pickle_only:
                safe = "pickle: allowed" if allowed else "pickle: blocked"
                safe_tip = safety.PICKLE_EXPLANATION
            else:
                safe, safe_tip = "safe format", "safetensors, GGUF or ONNX: loading cannot run code"
            values = [
                (e.name, f"{e.id}\n{e.path}"),
                (kind_label(e.kind), ""),
                (e.backend, ""),
                (human_bytes(e.size_bytes), ""),
                (e.licence, ""),
                (SOURCE_LABEL.get(e.source, e.source.value), ""),
                (pane_label if is_default else "", ""),
                (safe, safe_tip),
                (str(e.path), str(e.path)),
            ]
            items = [item(text, tip) for text, tip in values]
            items[0].setData(Qt.ItemDataRole.UserRole, e.id)
            if e.pickle_only:
                items[SAFETY_COLUMN].setForeground(QColor(WARNING_COLOUR if allowed else ERROR_COLOUR))
            for col, cell in enumerate(items):
                self.table.setItem(row, col, cell)
        if selected is not None:
            self.select(selected.id)
        self._update_buttons()
        self.refreshed.emit()

    def select(self, model_id: str) -> bool:
        for row, e in enumerate(self.entries):
            if e.id == model_id:
                self.table.selectRow(row)
                return True
        return False

    def selected_entry(self) -> ModelEntry | None:
        row = selected_row(self.table)
        return self.entries[row] if row is not None and row < len(self.entries) else None

    def _update_buttons(self) -> None:
        e = self.selected_entry()
        built_in = e is not None and e.source is ModelSource.EMBEDDED
        self.default_button.setEnabled(e is not None and e.kind in PANE_FOR_KIND)
        self.open_button.setEnabled(e is not None)
        self.remove_button.setEnabled(e is not None and not built_in)
        self.remove_button.setToolTip(
            "Built-in models are part of the app and cannot be removed."
            if built_in
            else "Delete the model (a linked one is only forgotten; its files stay)"
        )
        self.pickle_button.setEnabled(e is not None and safety.can_consent(e))
        allowed = e is not None and e.pickle_only and safety.pickle_consented(e, self.ctx.paths)
        self.pickle_button.setText("Refuse pickle weights" if allowed else "Allow pickle weights…")

    def set_default_selected(self) -> None:
        e = self.selected_entry()
        if e is None or e.kind not in PANE_FOR_KIND:
            return
        pane_key, pane_label = PANE_FOR_KIND[e.kind]
        if e.pickle_only and not (safety.can_consent(e) and safety.pickle_consented(e, self.ctx.paths)):
            show_status(self.status, f"{e.name} has only pickle weights, which are blocked; allow them first.")
            return
        self.ctx.settings.set_default_model(pane_key, e.id)
        self.refresh()
        show_status(self.status, f"{e.name} is now the default model of the {pane_label} pane.", ok=True)
        self.defaults_changed.emit()

    def open_selected_folder(self) -> None:
        e = self.selected_entry()
        if e is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder_of(e))))

    def toggle_pickle_selected(self) -> None:
        e = self.selected_entry()
        if e is None or not safety.can_consent(e):
            return
        allowed = safety.pickle_consented(e, self.ctx.paths)
        if not allowed and not self.confirm(
            "Allow pickle weights?",
            f"{e.name}\n\n{safety.PICKLE_EXPLANATION}\n\nAllow loading this model's pickle weights?",
        ):
            return
        # Saved straight away: the engines read the consent from the settings file when they load.
        self.ctx.settings.set_pickle_consent(e, not allowed)
        self.refresh()
        verb = "no longer allowed" if allowed else "allowed (loaded with weights_only=True)"
        show_status(self.status, f"Pickle weights of {e.name} are {verb}.", ok=True)
        self.defaults_changed.emit()

    def remove_selected(self) -> bool:
        e = self.selected_entry()
        if e is None:
            return False
        if e.source is ModelSource.EMBEDDED:
            show_status(self.status, f"{e.name} is built into the app and cannot be removed.")
            return False
        question = (
            f"Stop using {e.name}? Its files in {e.path} stay where they are."
            if e.source is ModelSource.LINKED
            else f"Delete {e.name} ({human_bytes(e.size_bytes)}) from {folder_of(e)}? This cannot be undone."
        )
        if not self.confirm("Remove model", question):
            return False
        try:
            message = installed.remove_model(self.ctx.registry.models_dir, e)
        except (UserError, OSError) as exc:
            show_status(self.status, str(exc))
            return False
        for pane_key, model_id in self.ctx.settings.values.default_models.items():
            if model_id == e.id:
                self.ctx.settings.set_default_model(pane_key, None)
        show_status(self.status, message, ok=True)
        self.models_changed.emit("")
        return True

    def confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(
            self,
            title,
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes


def folder_of(e: ModelEntry) -> Path:
    return e.path if e.path.is_dir() else e.path.parent
