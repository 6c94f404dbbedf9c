"""The Installed tab: every model the app can use, which pane uses it by default, whether its weights are safe to
load; set a pane's default, allow pickle weights, open the folder, remove."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QColor, QDesktopServices
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.models import installed, safety, styles
from aigc_desktop.core.models.entry import ModelEntry, ModelSource
from aigc_desktop.core.models.registry import UNKNOWN_LICENCE
from aigc_desktop.core.specs import ModelKind
from aigc_desktop.core.train.job import LICENCE as TRAINED_LICENCE
from aigc_desktop.state.context import AppContext
from aigc_desktop.state.learn_style import training_refusal
from aigc_desktop.ui.dialogs import ask_yes_no
from aigc_desktop.ui.i18n import Retranslating, tr_msg, translate
from aigc_desktop.ui.models_window.common import (
    ERROR_COLOUR,
    WARNING_COLOUR,
    StatusLine,
    item,
    kind_label,
    selected_row,
    set_headers,
    show_status,
    table,
)
from aigc_desktop.ui.units import format_bytes

# Which pane a kind of model is the default for (Settings.default_models keys; the Audio pane keeps music apart).
PANE_FOR_KIND: dict[ModelKind, tuple[str, str]] = {
    ModelKind.TEXT: ("document", QT_TRANSLATE_NOOP("InstalledTab", "Document")),
    ModelKind.IMAGE: ("canvas", QT_TRANSLATE_NOOP("InstalledTab", "Canvas")),
    ModelKind.SPEECH: ("audio", QT_TRANSLATE_NOOP("InstalledTab", "Audio (speech)")),
    ModelKind.MUSIC: ("music", QT_TRANSLATE_NOOP("InstalledTab", "Audio (music)")),
}
SOURCE_LABEL = {
    ModelSource.EMBEDDED: QT_TRANSLATE_NOOP("InstalledTab", "built in"),
    ModelSource.DOWNLOADED: QT_TRANSLATE_NOOP("InstalledTab", "downloaded"),
    ModelSource.IMPORTED: QT_TRANSLATE_NOOP("InstalledTab", "imported"),
    ModelSource.LINKED: QT_TRANSLATE_NOOP("InstalledTab", "linked (in place)"),
    ModelSource.STYLE: QT_TRANSLATE_NOOP("InstalledTab", "your style"),
}
COLUMNS = (
    QT_TRANSLATE_NOOP("InstalledTab", "Name"),
    QT_TRANSLATE_NOOP("InstalledTab", "Kind"),
    QT_TRANSLATE_NOOP("InstalledTab", "Backend"),
    QT_TRANSLATE_NOOP("InstalledTab", "Size"),
    QT_TRANSLATE_NOOP("InstalledTab", "Licence"),
    QT_TRANSLATE_NOOP("InstalledTab", "Source"),
    QT_TRANSLATE_NOOP("InstalledTab", "Default for"),
    QT_TRANSLATE_NOOP("InstalledTab", "Safety"),
    QT_TRANSLATE_NOOP("InstalledTab", "Location"),
)
SAFETY_COLUMN = 7
# Licences the app itself writes (in English, into model folders): shown in the interface language.
APP_LICENCES = {str(text): text for text in (UNKNOWN_LICENCE, TRAINED_LICENCE)}


class InstalledTab(Retranslating, QWidget):
    refreshed = Signal()  # the list was read again (the window's banner names the built-in models)
    defaults_changed = Signal()  # a pane default or a pickle consent changed: model pickers refresh
    models_changed = Signal(str)  # a model was removed (the argument: a model id to show, "" for none)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.entries: list[ModelEntry] = []
        lay = QVBoxLayout(self)
        self.table = table(COLUMNS, stretch=8, fixed={4: 170}, paths=True)
        self.table.setObjectName("installedTable")
        self.table.itemSelectionChanged.connect(self._update_buttons)
        lay.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.default_button = QPushButton(self)
        self.default_button.clicked.connect(self.set_default_selected)
        self.open_button = QPushButton(self)
        self.open_button.clicked.connect(self.open_selected_folder)
        self.pickle_button = QPushButton(self)
        self.pickle_button.clicked.connect(self.toggle_pickle_selected)
        self.remove_button = QPushButton(self)
        self.remove_button.clicked.connect(self.remove_selected)
        self.refresh_button = refresh = QPushButton(self)
        refresh.clicked.connect(self.refresh)
        for b in (self.default_button, self.open_button, self.pickle_button, self.remove_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(refresh)
        lay.addLayout(buttons)
        self.status = StatusLine("installedStatus", self)
        lay.addWidget(self.status)
        self.retranslate()

    def retranslate(self) -> None:
        set_headers(self.table, COLUMNS)
        self.default_button.setText(translate("InstalledTab", "Set as default for its pane"))
        self.open_button.setText(translate("InstalledTab", "Open folder"))
        self.pickle_button.setToolTip(tr_msg(safety.PICKLE_EXPLANATION))
        self.remove_button.setText(translate("InstalledTab", "Remove…"))
        self.refresh_button.setText(translate("InstalledTab", "Refresh"))
        self._fill()

    def refresh(self) -> None:
        """Read the models again and show them."""
        selected = self.selected_entry()
        self.entries = self.ctx.registry.entries()
        self._fill()
        if selected is not None:
            self.select(selected.id)
        self.refreshed.emit()

    def _fill(self) -> None:
        """Show `entries` in the interface language (again after a language change: the selection stays)."""
        defaults = self.ctx.settings.values.default_models
        self.table.setRowCount(len(self.entries))
        for row, e in enumerate(self.entries):
            pane_key, pane_label = PANE_FOR_KIND.get(e.kind, ("", ""))
            is_default = bool(pane_key) and defaults.get(pane_key) == e.id
            allowed = e.pickle_only and safety.pickle_consented(e, self.ctx.paths)
            if e.pickle_only:
                safe = (
                    translate("InstalledTab", "pickle: allowed")
                    if allowed
                    else translate("InstalledTab", "pickle: blocked")
                )
                safe_tip = tr_msg(safety.PICKLE_EXPLANATION)
            else:
                safe = translate("InstalledTab", "safe format")
                safe_tip = translate("InstalledTab", "safetensors, GGUF or ONNX: loading cannot run code")
            values = [
                (e.name, f"{e.id}\n{e.path}"),
                (kind_label(e.kind), ""),
                (e.backend, ""),
                (format_bytes(e.size_bytes), ""),
                (tr_msg(APP_LICENCES.get(e.licence, e.licence)), ""),
                (tr_msg(SOURCE_LABEL.get(e.source, e.source.value)), ""),
                (tr_msg(pane_label) if is_default else "", ""),
                (safe, safe_tip),
                (str(e.path), str(e.path)),
            ]
            items = [item(text, tip) for text, tip in values]
            items[0].setData(Qt.ItemDataRole.UserRole, e.id)
            if e.pickle_only:
                items[SAFETY_COLUMN].setForeground(QColor(WARNING_COLOUR if allowed else ERROR_COLOUR))
            for col, cell in enumerate(items):
                self.table.setItem(row, col, cell)
        self._update_buttons()

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
            translate("InstalledTab", "Built-in models are part of the app and cannot be removed.")
            if built_in
            else translate("InstalledTab", "Delete the model (a linked one is only forgotten; its files stay)")
        )
        self.pickle_button.setEnabled(e is not None and safety.can_consent(e))
        allowed = e is not None and e.pickle_only and safety.pickle_consented(e, self.ctx.paths)
        self.pickle_button.setText(
            translate("InstalledTab", "Refuse pickle weights")
            if allowed
            else translate("InstalledTab", "Allow pickle weights…")
        )

    def set_default_selected(self) -> None:
        e = self.selected_entry()
        if e is None or e.kind not in PANE_FOR_KIND:
            return
        pane_key, pane_label = PANE_FOR_KIND[e.kind]
        if e.pickle_only and not (safety.can_consent(e) and safety.pickle_consented(e, self.ctx.paths)):
            show_status(
                self.status,
                QT_TRANSLATE_NOOP(
                    "InstalledTab", "{name} has only pickle weights, which are blocked; allow them first."
                ).format(name=e.name),
            )
            return
        self.ctx.settings.set_default_model(pane_key, e.id)
        self.refresh()
        show_status(
            self.status,
            QT_TRANSLATE_NOOP("InstalledTab", "{name} is now the default model of the {pane} pane.").format(
                name=e.name, pane=pane_label
            ),
            ok=True,
        )
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
            translate("InstalledTab", "Allow pickle weights?"),
            translate("InstalledTab", "{name}\n\n{explanation}\n\nAllow loading this model's pickle weights?").format(
                name=e.name, explanation=tr_msg(safety.PICKLE_EXPLANATION)
            ),
        ):
            return
        # Saved straight away: the engines read the consent from the settings file when they load.
        self.ctx.settings.set_pickle_consent(e, not allowed)
        self.refresh()
        done = (
            QT_TRANSLATE_NOOP("InstalledTab", "Pickle weights of {name} are no longer allowed.")
            if allowed
            else QT_TRANSLATE_NOOP(
                "InstalledTab", "Pickle weights of {name} are allowed (loaded with weights_only=True)."
            )
        )
        show_status(self.status, done.format(name=e.name), ok=True)
        self.defaults_changed.emit()

    def remove_selected(self) -> bool:
        e = self.selected_entry()
        if e is None:
            return False
        if e.source is ModelSource.EMBEDDED:
            show_status(
                self.status,
                QT_TRANSLATE_NOOP("InstalledTab", "{name} is built into the app and cannot be removed.").format(
                    name=e.name
                ),
            )
            return False
        if e.source is ModelSource.STYLE:  # its path is the base model's: only the style's own folder may go
            return self._remove_style(e)
        question = (
            translate("InstalledTab", "Stop using {name}? Its files in {path} stay where they are.").format(
                name=e.name, path=e.path
            )
            if e.source is ModelSource.LINKED
            else translate("InstalledTab", "Delete {name} ({size}) from {folder}? This cannot be undone.").format(
                name=e.name, size=format_bytes(e.size_bytes), folder=folder_of(e)
            )
        )
        if not self.confirm(translate("InstalledTab", "Remove model"), question):
            return False
        try:
            message = installed.remove_model(self.ctx.registry.models_dir, e)
        except UserError as exc:
            show_status(self.status, exc.message)
            return False
        except OSError as exc:
            show_status(self.status, str(exc))
            return False
        for pane_key, model_id in self.ctx.settings.values.default_models.items():
            if model_id == e.id:
                self.ctx.settings.set_default_model(pane_key, None)
        show_status(self.status, message, ok=True)
        self.models_changed.emit("")
        return True

    def _remove_style(self, e: ModelEntry) -> bool:
        refusal = training_refusal(self.ctx, e.id.removeprefix(styles.STYLE_ID_PREFIX), removing=True)
        if refusal is not None:
            show_status(self.status, refusal)
            return False
        question = translate(
            "InstalledTab", "Delete the style {name} from {folder}? Its base model stays. This cannot be undone."
        ).format(name=e.name, folder=folder_of(e))
        if not self.confirm(translate("InstalledTab", "Remove model"), question):
            return False
        try:
            styles.remove_style(self.ctx.registry.models_dir, e.id.removeprefix(styles.STYLE_ID_PREFIX))
        except UserError as exc:
            show_status(self.status, exc.message)
            return False
        for pane_key, model_id in self.ctx.settings.values.default_models.items():
            if model_id == e.id:
                self.ctx.settings.set_default_model(pane_key, None)
        show_status(self.status, QT_TRANSLATE_NOOP("InstalledTab", "Removed {name}.").format(name=e.name), ok=True)
        self.models_changed.emit("")
        return True

    def confirm(self, title: str, text: str) -> bool:
        return ask_yes_no(self, title, text)


def folder_of(e: ModelEntry) -> Path:
    if e.adapter is not None:  # a style: its own folder (styles/<name>/epoch-N/adapter…), not its base model's
        return (e.adapter.parent if e.adapter.is_file() else e.adapter).parent
    return e.path if e.path.is_dir() else e.path.parent
