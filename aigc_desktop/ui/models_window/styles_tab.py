"""The Styles tab: the styles learned from the user's texts (Tools ▸ Learn my style…) — what each was trained on, its
base model, how far the held-back perplexity fell — and rename, export to a small file, import one, remove.

The files are core/models/styles.py's: this tab asks the questions (names, file paths, "remove it?") and says what
happened on its status line (a style that a run waits to train or trains is neither renamed nor removed: the line says
so); the window refreshes the other tabs and the panes' model lists (`models_changed`).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QInputDialog, QPushButton, QVBoxLayout, QWidget

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.models import styles
from aigc_desktop.core.models.entry import ModelSource
from aigc_desktop.core.specs import ModelKind
from aigc_desktop.state.context import AppContext
from aigc_desktop.state.learn_style import training_refusal
from aigc_desktop.ui.dialogs import ask_yes_no
from aigc_desktop.ui.i18n import Retranslating, tr_msg, translate
from aigc_desktop.ui.models_window.common import (
    ERROR_COLOUR,
    StatusLine,
    item,
    selected_row,
    set_headers,
    show_status,
    table,
)
from aigc_desktop.ui.units import format_date_time, format_number

COLUMNS = (
    QT_TRANSLATE_NOOP("StylesTab", "Style"),
    QT_TRANSLATE_NOOP("StylesTab", "Base model"),
    QT_TRANSLATE_NOOP("StylesTab", "Trained on"),
    QT_TRANSLATE_NOOP("StylesTab", "Epochs"),
    QT_TRANSLATE_NOOP("StylesTab", "Held-back perplexity"),
    QT_TRANSLATE_NOOP("StylesTab", "Created"),
    QT_TRANSLATE_NOOP("StylesTab", "Location"),
)
STATUS_TEXT = {
    styles.StyleStatus.TRAINING: QT_TRANSLATE_NOOP("StylesTab", "cut off: can go on"),
    styles.StyleStatus.STOPPED: QT_TRANSLATE_NOOP("StylesTab", "stopped: can go on"),
}


class StylesTab(Retranslating, QWidget):
    models_changed = Signal(str)  # a style was renamed, imported or removed (a model id to show, "" for none)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.styles: list[styles.Style] = []
        lay = QVBoxLayout(self)
        self.table = table(COLUMNS, stretch=6, paths=True)
        self.table.setObjectName("stylesTable")
        self.table.itemSelectionChanged.connect(self._update_buttons)
        lay.addWidget(self.table, 1)
        self.rename_button = QPushButton(self)
        self.rename_button.setObjectName("styleRename")
        self.rename_button.clicked.connect(lambda: self.rename_selected())
        self.export_button = QPushButton(self)
        self.export_button.setObjectName("styleExport")
        self.export_button.clicked.connect(lambda: self.export_selected())
        self.import_button = QPushButton(self)
        self.import_button.setObjectName("styleImport")
        self.import_button.clicked.connect(lambda: self.import_file())
        self.remove_button = QPushButton(self)
        self.remove_button.setObjectName("styleRemove")
        self.remove_button.clicked.connect(self.remove_selected)
        buttons = QHBoxLayout()
        for b in (self.rename_button, self.export_button, self.remove_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        lay.addLayout(buttons)
        self.status = StatusLine("stylesStatus", self)
        lay.addWidget(self.status)
        self.refresh()
        self.retranslate()

    def retranslate(self) -> None:
        set_headers(self.table, COLUMNS)
        self.rename_button.setText(translate("StylesTab", "Rename…"))
        self.export_button.setText(translate("StylesTab", "Export…"))
        self.export_button.setToolTip(
            translate("StylesTab", "Save the style as one small file, to keep or to use on another computer")
        )
        self.import_button.setText(translate("StylesTab", "Import…"))
        self.import_button.setToolTip(translate("StylesTab", "Add a style from a file exported by AIGC Desktop"))
        self.remove_button.setText(translate("StylesTab", "Remove…"))
        self.remove_button.setToolTip(translate("StylesTab", "Delete the style (your texts are not touched)"))
        self._fill()

    def refresh(self) -> None:
        selected = self.selected()
        bases = [e for e in self.ctx.registry.entries(ModelKind.TEXT) if e.source is not ModelSource.STYLE]
        self.styles = styles.list_styles(self.ctx.registry.models_dir, bases)
        self._fill()
        if selected is not None:
            self.select(selected.record.name)

    def _fill(self) -> None:
        self.table.setRowCount(len(self.styles))
        for row, style in enumerate(self.styles):
            r = style.record
            name = r.name
            if r.status in STATUS_TEXT:
                name = translate("StylesTab", "{name} ({status})").format(
                    name=r.name, status=tr_msg(STATUS_TEXT[r.status])
                )
            base = (
                r.base_name
                if style.usable
                else translate("StylesTab", "{base} (not installed)").format(base=r.base_name or r.base_model_id)
            )
            words = StylesTab.tr("%n word(s)", None, r.words)  # type: ignore[arg-type]
            perplexity = translate("StylesTab", "{before} → {after}").format(
                before=format_number(r.perplexity_before, 1), after=format_number(r.perplexity_after, 1)
            )
            sources = ", ".join(r.sources[:8]) + ("…" if len(r.sources) > 8 else "")
            values = [
                (name, tr_msg(styles.provenance_note(r))),
                (base, r.base_model_id),
                (words, sources),
                (format_number(r.epochs_done), ""),
                (perplexity, translate("StylesTab", "On text held back from learning; lower is better")),
                (format_date_time(r.created), ""),
                (str(style.path), str(style.path)),
            ]
            cells = [item(text, tip) for text, tip in values]
            cells[0].setData(Qt.ItemDataRole.UserRole, r.name)
            if not style.usable:
                cells[1].setForeground(QColor(ERROR_COLOUR))
            for col, cell in enumerate(cells):
                self.table.setItem(row, col, cell)
        self._update_buttons()

    def select(self, name: str) -> bool:
        for row, style in enumerate(self.styles):
            if style.record.name == name:
                self.table.selectRow(row)
                return True
        return False

    def selected(self) -> styles.Style | None:
        row = selected_row(self.table)
        return self.styles[row] if row is not None and row < len(self.styles) else None

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        for b in (self.rename_button, self.export_button, self.remove_button):
            b.setEnabled(chosen)

    # ------------------------------------------------------------ actions (None: ask the user)

    def rename_selected(self, new_name: str | None = None) -> bool:
        style = self.selected()
        if style is None:
            return False
        old = style.record.name
        refusal = training_refusal(self.ctx, old)
        if refusal is not None:  # its trainer writes into its folder: asked before a new name is
            show_status(self.status, refusal)
            return False
        if new_name is None:
            new_name, ok = QInputDialog.getText(
                self,
                translate("StylesTab", "Rename style"),
                translate("StylesTab", "New name for “{name}”:").format(name=old),
                text=old,
            )
            if not ok:
                return False
        try:
            renamed = styles.rename_style(self.ctx.registry.models_dir, old, new_name)
        except UserError as exc:
            show_status(self.status, exc.message)
            return False
        # A pane that had the style as its default keeps it under the new name.
        for pane_key, model_id in self.ctx.settings.values.default_models.items():
            if model_id == styles.style_id(old):
                self.ctx.settings.set_default_model(pane_key, renamed.record.model_id)
        show_status(
            self.status,
            QT_TRANSLATE_NOOP("StylesTab", "Renamed “{old}” to “{new}”.").format(old=old, new=renamed.record.name),
            ok=True,
        )
        self.refresh()
        self.select(renamed.record.name)
        self.models_changed.emit(renamed.record.model_id)
        return True

    def export_selected(self, target: Path | None = None) -> Path | None:
        style = self.selected()
        if style is None:
            return None
        if target is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self,
                translate("StylesTab", "Export style"),
                str(Path.home() / f"{style.record.name}{styles.EXPORT_SUFFIX}"),
                translate("StylesTab", "AIGC Desktop styles (*{suffix})").format(suffix=styles.EXPORT_SUFFIX),
            )
            if not chosen:
                return None
            target = Path(chosen)
        try:
            written = styles.export_style(self.ctx.registry.models_dir, style.record.name, target)
        except UserError as exc:
            show_status(self.status, exc.message)
            return None
        show_status(
            self.status,
            QT_TRANSLATE_NOOP("StylesTab", "Exported “{name}” to {path}.").format(name=style.record.name, path=written),
            ok=True,
        )
        return written

    def import_file(self, source: Path | None = None) -> bool:
        if source is None:
            chosen, _ = QFileDialog.getOpenFileName(
                self,
                translate("StylesTab", "Import style"),
                str(Path.home()),
                translate("StylesTab", "AIGC Desktop styles (*{suffix})").format(suffix=styles.EXPORT_SUFFIX),
            )
            if not chosen:
                return False
            source = Path(chosen)
        try:
            added = styles.import_style(self.ctx.registry.models_dir, source)
        except UserError as exc:
            show_status(self.status, exc.message)
            return False
        self.refresh()
        self.select(added.record.name)
        usable = any(s.record.name == added.record.name and s.usable for s in self.styles)
        if usable:
            done = QT_TRANSLATE_NOOP("StylesTab", "Imported the style “{name}”.").format(name=added.record.name)
        else:
            done = QT_TRANSLATE_NOOP(
                "StylesTab", "Imported the style “{name}”. Install its base model {base} to write with it."
            ).format(name=added.record.name, base=added.record.base_name or added.record.base_model_id)
        show_status(self.status, done, ok=True)
        self.models_changed.emit(added.record.model_id)
        return True

    def remove_selected(self) -> bool:
        style = self.selected()
        if style is None:
            return False
        name = style.record.name
        refusal = training_refusal(self.ctx, name, removing=True)
        if refusal is not None:
            show_status(self.status, refusal)
            return False
        question = translate(
            "StylesTab", "Delete the style “{name}” from {folder}? Your texts are not touched. This cannot be undone."
        ).format(name=name, folder=style.path)
        if not self.confirm(translate("StylesTab", "Remove style"), question):
            return False
        try:
            styles.remove_style(self.ctx.registry.models_dir, name)
        except UserError as exc:
            show_status(self.status, exc.message)
            return False
        for pane_key, model_id in self.ctx.settings.values.default_models.items():
            if model_id == styles.style_id(name):
                self.ctx.settings.set_default_model(pane_key, None)
        show_status(
            self.status, QT_TRANSLATE_NOOP("StylesTab", "Removed the style “{name}”.").format(name=name), ok=True
        )
        self.refresh()
        self.models_changed.emit("")
        return True

    def confirm(self, title: str, text: str) -> bool:
        return ask_yes_no(self, title, text)
