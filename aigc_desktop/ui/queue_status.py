"""The status-bar part that shows the job queue: what runs, how far it is, how many wait, and a Stop button."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from aigc_desktop.ui.i18n import Retranslating, tr_msg, translate
from aigc_desktop.workers.jobs import Job
from aigc_desktop.workers.queue import JobQueue


class QueueStatus(Retranslating, QWidget):
    def __init__(self, queue: JobQueue, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.queue = queue
        self.label = QLabel(self)
        self.label.setObjectName("queueLabel")
        self.bar = QProgressBar(self)
        self.bar.setObjectName("queueProgress")
        self.bar.setFixedWidth(180)
        self.bar.setTextVisible(True)
        self.stop = QPushButton(self)
        self.stop.setObjectName("queueStopButton")
        self.stop.clicked.connect(queue.cancel_all)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label)
        row.addWidget(self.bar)
        row.addWidget(self.stop)
        queue.changed.connect(self.update_view)
        queue.job_progress.connect(self.update_view)
        self.retranslate()

    def retranslate(self) -> None:
        self.stop.setText(translate("QueueStatus", "Stop"))
        self.stop.setToolTip(
            translate(
                "QueueStatus", "Stop the running jobs and drop the waiting ones (Esc in a pane stops its own job)"
            )
        )
        self.update_view()

    def update_view(self, *_: object) -> None:
        running: list[Job] = self.queue.running()
        waiting = len(self.queue.waiting())
        busy = bool(running or waiting)
        self.bar.setVisible(busy)
        self.stop.setEnabled(busy)
        if not busy:
            self.label.setText(translate("QueueStatus", "Idle"))
            return
        # Titles and progress messages are often marked Msgs (core): shown in the interface language.
        parts = [
            translate("QueueStatus", "{title}: {message}").format(title=tr_msg(j.title), message=tr_msg(j.message))
            if j.message
            else tr_msg(j.title)
            for j in running
        ]
        text = " · ".join(parts) if parts else translate("QueueStatus", "Starting…")
        if waiting:
            # QueueStatus.tr(text, None, n): lupdate marks it numerus with a variable count (see recovery_dialog.py).
            text += "  " + QueueStatus.tr("(+%n waiting)", None, waiting)  # type: ignore[arg-type]
        self.label.setText(text)
        fractions = [j.fraction for j in running if j.fraction is not None]
        if running and len(fractions) == len(running):
            self.bar.setRange(0, 1000)
            self.bar.setValue(int(1000 * sum(fractions) / len(fractions)))
        else:
            self.bar.setRange(0, 0)  # busy indicator: the engine cannot say how far it is (e.g. while loading)
