"""The start-up offer after a crash: each recovery copy with what it holds, and Restore / Discard / Later.

The dialog only asks; what a choice does lives in MainWindow.restore_recovery / discard_recovery (testable without
clicking). It is window-modal and opened with open(), so nothing blocks the event loop.
"""

from __future__ import annotations

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

from aigc_desktop.core.project.recovery import DESCRIPTION_LOST, RecoveryInfo
from aigc_desktop.ui import units
from aigc_desktop.ui.dialogs import project_name
from aigc_desktop.ui.i18n import Retranslating, tr_msg, translate


def describe_counts(counts: dict[str, int]) -> str:
    words, layers, clips = counts.get("words", 0), counts.get("layers", 0), counts.get("clips", 0)
    generations = counts.get("history", 0)
    # `RecoveryDialog.tr(text, None, n)`: the one plural call that lupdate marks as numerus with a variable count
    # (QCoreApplication.translate(..., n) is marked only for a literal number); the context is the class named.
    parts = [
        RecoveryDialog.tr("%n word(s)", None, words),  # type: ignore[arg-type]
        RecoveryDialog.tr("%n layer(s)", None, layers),  # type: ignore[arg-type]
        RecoveryDialog.tr("%n clip(s)", None, clips),  # type: ignore[arg-type]
        RecoveryDialog.tr("%n generation(s)", None, generations),  # type: ignore[arg-type]
    ]
    return translate("RecoveryDialog", ", ").join(parts)


def describe_time(stamp: float) -> str:
    return units.format_date_time(stamp) if stamp > 0 else translate("RecoveryDialog", "unknown")


class RecoveryDialog(Retranslating, QDialog):
    restore_requested = Signal(object)  # RecoveryInfo
    discard_requested = Signal(object)  # RecoveryInfo

    def __init__(self, infos: list[RecoveryInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recoveryDialog")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.infos = list(infos)

        self.intro = QLabel(self)
        self.intro.setObjectName("recoveryIntro")
        self.intro.setWordWrap(True)
        self.list = QTreeWidget(self)
        self.list.setObjectName("recoveryList")
        self.list.setRootIsDecorated(False)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.itemSelectionChanged.connect(self._update_buttons)
        self.list.itemDoubleClicked.connect(lambda *_: self._restore())

        buttons = QDialogButtonBox(self)
        self.restore_button = self._button(buttons, QDialogButtonBox.ButtonRole.AcceptRole, "restoreButton")
        self.discard_button = self._button(buttons, QDialogButtonBox.ButtonRole.DestructiveRole, "discardButton")
        self.later_button = self._button(buttons, QDialogButtonBox.ButtonRole.RejectRole, "laterButton")
        self.restore_button.clicked.connect(self._restore)
        self.discard_button.clicked.connect(self._discard)
        self.later_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.retranslate()
        self.resize(900, 300)

    def retranslate(self) -> None:
        self.setWindowTitle(translate("RecoveryDialog", "Recover unsaved work"))
        self.intro.setText(
            translate(
                "RecoveryDialog",
                "AIGC Desktop did not close normally last time. These autosaved copies hold changes that were not "
                "saved. Restore one to keep working on it, discard the ones you do not need, or decide later "
                "(they are offered again at the next start).",
            )
        )
        self.list.setHeaderLabels(
            [
                translate("RecoveryDialog", "Project"),
                translate("RecoveryDialog", "Original file"),
                translate("RecoveryDialog", "Autosaved"),
                translate("RecoveryDialog", "Contents"),
            ]
        )
        self.restore_button.setText(translate("RecoveryDialog", "&Restore"))
        self.discard_button.setText(translate("RecoveryDialog", "&Discard"))
        self.later_button.setText(translate("RecoveryDialog", "&Later"))
        current = self.list.currentItem()
        self._fill(0 if current is None else max(self.list.indexOfTopLevelItem(current), 0))

    @staticmethod
    def _button(box: QDialogButtonBox, role: QDialogButtonBox.ButtonRole, name: str) -> QPushButton:
        button = box.addButton("", role)
        button.setObjectName(name)
        return button

    def _fill(self, row: int = 0) -> None:
        """The rows in the interface language, row `row` selected."""
        self.list.clear()
        for info in self.infos:
            where = str(info.original_path) if info.original_path else translate("RecoveryDialog", "never saved")
            contents = (
                describe_counts(info.counts)
                if info.restorable
                else translate("RecoveryDialog", "Damaged: {reason}").format(reason=tr_msg(info.problem or ""))
            )
            name = tr_msg(DESCRIPTION_LOST) if info.name == DESCRIPTION_LOST else project_name(info.name)
            item = QTreeWidgetItem([name, where, describe_time(info.saved_at), contents])
            item.setToolTip(3, contents)
            item.setToolTip(1, where)
            if not info.restorable:
                item.setForeground(3, self.palette().placeholderText())
            self.list.addTopLevelItem(item)
        for column in range(self.list.columnCount()):
            self.list.resizeColumnToContents(column)
        current = self.list.topLevelItem(min(row, self.list.topLevelItemCount() - 1))
        if current is not None:
            self.list.setCurrentItem(current)
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
