"""A status line that never grows past a fixed number of lines: a long message (a server's name, a checkpoint and the
timings, or a Chinese sentence that wraps sooner) is cut with "…" and shown whole in the tooltip, so the widgets below
it do not jump and nothing is pushed out of a narrow side panel."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QWidget

_WRAP = Qt.TextFlag.TextWordWrap  # as QLabel wraps


class ElidedStatusLabel(QLabel):
    """A word-wrapped QLabel of at most `lines` lines. `text()` is the whole message (what was set); the label shows
    as much as fits, ending in "…", with the whole message as its tooltip when it was cut."""

    def __init__(self, lines: int = 2, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lines = lines
        self._full = ""
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setMinimumHeight(self.fontMetrics().lineSpacing() * lines)

    def text(self) -> str:
        return self._full

    def setText(self, text: str) -> None:
        self._full = text
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fits(self, text: str, width: int) -> bool:
        height = self.fontMetrics().boundingRect(QRect(0, 0, width, 1 << 20), int(_WRAP.value), text).height()
        return height < self.fontMetrics().lineSpacing() * (self._lines + 0.5)  # n lines, not n + 1

    def _fit(self) -> None:
        width = self.contentsRect().width()
        text = self._full
        if width <= 0 or self._fits(text, width):
            QLabel.setText(self, text)
            self.setToolTip("")
            return
        # Elided to the width of all its lines together, then shortened until word wrap fits it in them.
        shown = self.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, width * self._lines)
        while len(shown) > 1 and not self._fits(shown, width):
            shown = shown[:-2].rstrip() + "…"
        QLabel.setText(self, shown)
        self.setToolTip(text)
