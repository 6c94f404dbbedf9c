"""The Document pane's History tab: the project's text generations, newest first, each one line of what it was
(time, kind, seed, how it ended) and the start of its text; Regenerate replays the selected one exactly, "Use its
settings" copies its settings into the Settings tab (the pane does both: it owns the model and the controls)."""

from __future__ import annotations

from PySide6.QtCore import QDateTime, QLocale, Qt, Signal, SignalInstance
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.project.model import HistoryEntry, HistoryStatus
from aigc_desktop.state.document import DocumentModel, generation_name
from aigc_desktop.ui.history_notes import style_note
from aigc_desktop.ui.i18n import Retranslating, tr_msg, translate

STATUS_NAMES = {
    HistoryStatus.FINISHED: QT_TRANSLATE_NOOP("HistoryTab", "finished"),
    HistoryStatus.FAILED: QT_TRANSLATE_NOOP("HistoryTab", "failed"),
    HistoryStatus.CANCELLED: QT_TRANSLATE_NOOP("HistoryTab", "stopped"),
}


class HistoryTab(Retranslating, QWidget):
    regenerate_requested = Signal(object)  # the selected HistoryEntry
    use_settings_requested = Signal(object)  # the selected HistoryEntry

    def __init__(self, model: DocumentModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        lay = QVBoxLayout(self)
        self.history = QListWidget(self)
        self.history.setObjectName("textHistory")
        self.history.setWordWrap(True)
        row = QHBoxLayout()
        self.regenerate_button = QPushButton(self)
        self.regenerate_button.setObjectName("regenerateButton")
        self.regenerate_button.clicked.connect(lambda: self._request(self.regenerate_requested))
        self.use_settings_button = QPushButton(self)
        self.use_settings_button.setObjectName("useSettingsButton")
        self.use_settings_button.clicked.connect(lambda: self._request(self.use_settings_requested))
        row.addWidget(self.regenerate_button)
        row.addWidget(self.use_settings_button)
        lay.addWidget(self.history, 1)
        lay.addLayout(row)
        model.session.history_changed.connect(self.refresh)
        self.retranslate()

    def retranslate(self) -> None:
        self.regenerate_button.setText(translate("HistoryTab", "Regenerate"))
        self.regenerate_button.setToolTip(
            translate("HistoryTab", "Run the selected generation again, exactly (same prompt, settings and seed)")
        )
        self.use_settings_button.setText(translate("HistoryTab", "Use its settings"))
        self.use_settings_button.setToolTip(
            translate("HistoryTab", "Copy the selected generation's settings into the Settings tab")
        )
        self.refresh()

    def refresh(self) -> None:
        selected = self.selected()
        self.history.clear()
        row = translate("HistoryTab", "{time} · {what} · seed {seed} · {status}\n{summary}")
        # A generation that ran on a server names it and the model the server said it ran (its provenance).
        served = translate("HistoryTab", "{time} · {what} on {server} ({model}) · seed {seed} · {status}\n{summary}")
        for h in reversed(self.model.text_history()):
            when = QLocale().toString(QDateTime.fromSecsSinceEpoch(int(h.started_at)), "HH:mm")
            status = tr_msg(STATUS_NAMES.get(h.status, h.status))
            what = tr_msg(generation_name(h.spec))
            values = {"time": when, "what": what, "seed": h.spec.seed, "status": status, "summary": h.summary}
            server = h.metrics.get("server")
            if server:
                text = served.format(**values, server=server, model=h.metrics.get("server_model") or "?")
            else:
                text = row.format(**values)
            note = style_note(h)
            if note:  # written with a style learned from the user's texts: say so (its provenance)
                text = text.replace("\n", f" · {note}\n", 1)
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, h.spec.id)
            self.history.addItem(item)
            if selected is not None and h is selected:
                self.history.setCurrentItem(item)

    def selected(self) -> HistoryEntry | None:
        item = self.history.currentItem()
        if item is None:
            return None
        return self.model.session.project.find_history(str(item.data(Qt.ItemDataRole.UserRole)))

    def _request(self, signal: SignalInstance) -> None:
        entry = self.selected()
        if entry is not None:
            signal.emit(entry)
