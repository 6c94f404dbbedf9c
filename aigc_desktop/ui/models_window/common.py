"""What the Models window's tabs share: their table style, labels for model kinds, and the status line."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableWidget, QTableWidgetItem

from aigc_desktop.core.specs import ModelKind

KIND_LABEL = {ModelKind.TEXT: "text", ModelKind.IMAGE: "image", ModelKind.SPEECH: "voice", ModelKind.MUSIC: "music"}
ERROR_STYLE = "color: #b42318;"
ERROR_COLOUR = "#b42318"
WARNING_COLOUR = "#9a6700"
PROGRESS_SCALE = 1000  # progress bars run 0..PROGRESS_SCALE: finer than percent


def kind_label(kind: ModelKind) -> str:
    return KIND_LABEL.get(kind, kind.value)


def item(text: str, tooltip: str = "") -> QTableWidgetItem:
    """A read-only table cell."""
    cell = QTableWidgetItem(text)
    cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if tooltip:
        cell.setToolTip(tooltip)
    return cell


def table(
    columns: list[str], stretch: int, fixed: dict[int, int] | None = None, *, paths: bool = False
) -> QTableWidget:
    """Columns sized to their contents, except `stretch` (takes the room left, long text elided) and `fixed` widths."""
    view = QTableWidget(0, len(columns))
    view.setHorizontalHeaderLabels(columns)
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


def selected_row(view: QTableWidget) -> int | None:
    model = view.selectionModel()
    rows = model.selectedRows() if model is not None else []
    return rows[0].row() if rows else None


def show_status(label: QLabel, text: str, *, ok: bool = False) -> None:
    """A tab's status line: red unless `ok`."""
    label.setStyleSheet("" if ok else ERROR_STYLE)
    label.setText(text)
