"""The start-up offer after a crash: each recovery copy with what it holds, and Restore / Discard / Later.

The dialog only asks; what a choice does lives in MainWindow.restore_recovery / discard_recovery (testable without
clicking). It is window-modal and opened with open(), so nothing blocks the event loop.
"""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from aigc_desktop.core.project.recovery import RecoveryInfo

COLUMNS = ("Project", "Original file", "Autosaved", "Contents")


def describe_counts(counts: dict[str, int]) -> str:
    def n(key: str, one: str) -> str:
        k = counts.get(key, 0)
        return f"{k} {one}" if k == 1 else f"{k} {one}s"

    return ", ".join([n("words", "word"), n("layers", "layer"), n("clips", "clip"), n("history", "generation")])


def describe_time(stamp: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(stamp)) if stamp > 0 else "unknown"


class RecoveryDialog(QDialog):
    restore_requested = Signal(object)  # RecoveryInfo
    discard_requested = Signal(object)  # RecoveryInfo

    def __init__(self, infos: list[RecoveryInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recoveryDialog")
        self.setWindowTitle("Recover unsaved work")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.infos = list(infos)

        intro = QLabel(
            "AIGC Desktop did not close normally last time. These autosaved copies hold changes that were not "
            "saved. Restore one to keep working on it, discard the ones you do not need, or decide later "
            "(they are offered again at the next start)."
        )
        intro.setWordWrap(True)
        self.list = QTreeWidget(self)
        self.list.setObjectName("recoveryList")
        self.list.setHeaderLabels(list(COLUMNS))
        self.list.setRootIsDecorated(False)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.itemSelectionChanged.connect(self._update_buttons)
        self.list.itemDoubleClicked.connect(lambda *_: self._restore())

        buttons = QDialogButtonBox(self)
        self.restore_button = self._button(buttons, "&Restore", QDialogButtonBox.ButtonRole.AcceptRole, "restoreButton")
        self.discard_button = self._button(
            buttons, "&Discard", QDialogButtonBox.ButtonRole.DestructiveRole, "discardButton"
        )
        self.later_button = self._button(buttons, "&Later", QDialogButtonBox.ButtonRole.RejectRole, "laterButton")
        self.restore_button.clicked.connect(self._restore)
        self.discard_button.clicked.connect(self._discard)
        self.later_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self._fill()
        self.resize(900, 300)

    @staticmethod
    def _button(box: QDialogButtonBox, text: str, role: QDialogButtonBox.ButtonRole, name: str) -> QPushButton:
        button = box.addButton(text, role)
        button.setObjectName(name)
        return button

    def _fill(self) -> None:
        self.list.clear()
        for info in self.infos:
            where = str(info.original_path) if info.original_path else "never saved"
            contents = describe_counts(info.counts) if info.restorable else f"Damaged: {info.problem}"
            item = QTreeWidgetItem([info.name, where, describe_time(info.saved_at), contents])
            item.setToolTip(3, contents)
            item.setToolTip(1, where)
            if not info.restorable:
                item.setForeground(3, self.palette().placeholderText())
            self.list.addTopLevelItem(item)
        for column in range(len(COLUMNS)):
            self.list.resizeColumnToContents(column)
        first = self.list.topLevelItem(0)
        if first is not None:
            self.list.setCurrentItem(first)
        self._update_buttons()

    def selected(self) -> RecoveryInfo | None:
        item = self.list.currentItem()
        if item is None:
            return None
        row = self.list.indexOfTopLevelItem(item)
        return self.infos[row] if 0 <= row < len(self.infos) else None

    def _update_buttons(self) -> None:
        info = self.selected()
        self.restore_button.setEnabled(info is not None and info.restorable)
        self.discard_button.setEnabled(info is not None)

    def _restore(self) -> None:
        info = self.selected()
        if info is not None and info.restorable:
            self.accept()  # one window shows one project; the other copies wait for the next start
            self.restore_requested.emit(info)

    def _discard(self) -> None:
        info = self.selected()
        if info is None:
            return
        self.discard_requested.emit(info)
        self.infos.remove(info)
        if self.infos:
            self._fill()
        else:
            self.accept()
