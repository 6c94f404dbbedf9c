"""What the Models window's tabs share: their table style, labels for model kinds, and the status line."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QWidget

from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.specs import ModelKind
from aigc_desktop.ui.i18n import Retranslating, tr_msg
from aigc_desktop.ui.units import tr_local

KIND_LABEL = {
    ModelKind.TEXT: QT_TRANSLATE_NOOP("ModelsWindow", "text"),
    ModelKind.IMAGE: QT_TRANSLATE_NOOP("ModelsWindow", "image"),
    ModelKind.SPEECH: QT_TRANSLATE_NOOP("ModelsWindow", "voice"),
    ModelKind.MUSIC: QT_TRANSLATE_NOOP("ModelsWindow", "music"),
}
ERROR_STYLE = "color: #b42318;"
ERROR_COLOUR = "#b42318"
WARNING_COLOUR = "#9a6700"
PROGRESS_SCALE = 1000  # progress bars run 0..PROGRESS_SCALE: finer than percent


def kind_label(kind: ModelKind) -> str:
    """The kind in the interface language."""
    return tr_msg(KIND_LABEL.get(kind, kind.value))


def item(text: str, tooltip: str = "") -> QTableWidgetItem:
    """A read-only table cell."""
    cell = QTableWidgetItem(text)
    cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if tooltip:
        cell.setToolTip(tooltip)
    return cell


def table(
    columns: Sequence[str], stretch: int, fixed: dict[int, int] | None = None, *, paths: bool = False
) -> QTableWidget:
    """Columns sized to their contents, except `stretch` (takes the room left, long text elided) and `fixed` widths.
    The header texts are `columns` (marked Msgs) in the interface language: call `set_headers` again in retranslate."""
    view = QTableWidget(0, len(columns))
    set_headers(view, columns)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.verticalHeader().setVisible(False)
    view.setWordWrap(False)
    # Paths keep both ends (the folder and the file name); names and licences keep their start.
    view.setTextElideMode(Qt.TextElideMode.ElideMiddle if paths else Qt.TextElideMode.ElideRight)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    for col, width in (fixed or {}).items():
        header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(col, width)
    return view


def set_headers(view: QTableWidget, columns: Sequence[str]) -> None:
    view.setHorizontalHeaderLabels([tr_msg(c) for c in columns])


def selected_row(view: QTableWidget) -> int | None:
    model = view.selectionModel()
    rows = model.selectedRows() if model is not None else []
    return rows[0].row() if rows else None


class StatusLine(Retranslating, QLabel):
    """A tab's status line: the latest message, red unless it is good news. It keeps the message (a marked Msg from
    core or from the tab) and shows it again in the new language when the language changes."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setWordWrap(True)
        self.message = ""
        self.retranslate()

    def say(self, text: str, *, ok: bool = False) -> None:
        self.message = text
        self.setStyleSheet("" if ok else ERROR_STYLE)
        self.retranslate()

    def retranslate(self) -> None:
        self.setText(tr_local(self.message))


def show_status(label: StatusLine, text: str, *, ok: bool = False) -> None:
    """A tab's status line: red unless `ok`."""
    label.say(text, ok=ok)
