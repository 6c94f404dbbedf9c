"""A waveform drawn from the samples (min/max per pixel column), with a selection to edit and a playhead.

Drag to select a range, click to move the playhead, Ctrl+wheel to zoom, wheel to scroll when zoomed. The selection
and the zoom are this view's own; the playhead is drawn where its owner says (`set_playhead`), and a click only asks
for it to move (`seeked`). The overlay texts are drawn in the interface language (a language switch repaints).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QLocale, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen, QWheelEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from aigc_desktop.ui.i18n import Retranslating, translate


def peaks(samples: np.ndarray, columns: int) -> tuple[np.ndarray, np.ndarray]:
    """(min, max) of the mono mix in `columns` equal slices of the signal."""
    mono = samples.mean(axis=1) if samples.ndim == 2 else samples
    columns = max(1, min(columns, len(mono)))
    usable = len(mono) - len(mono) % columns
    if usable == 0:
        return np.zeros(columns, np.float32), np.zeros(columns, np.float32)
    blocks = mono[:usable].reshape(columns, -1)
    return blocks.min(axis=1), blocks.max(axis=1)


def seconds_text(seconds: float, decimals: int = 2) -> str:
    """A time for display: "2.00 s" (Chinese: "2.00 秒"), the number as the interface language writes it."""
    return translate("WaveformView", "{seconds} s").format(seconds=QLocale().toString(seconds, "f", decimals))


class WaveformView(Retranslating, QWidget):
    selection_changed = Signal()
    seeked = Signal(float)  # seconds

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("waveformView")
        self.setMinimumHeight(160)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._samples: np.ndarray | None = None
        self._rate = 1
        self.zoom = 1.0
        self.offset = 0.0  # fraction of the clip at the left edge
        self.selection: tuple[float, float] | None = None  # seconds
        self.playhead_s: float | None = None
        self._press_s: float | None = None

    def retranslate(self) -> None:
        self.update()  # the overlay texts are drawn, not set: paint them again in the new language

    # -- data

    def set_clip(self, samples: np.ndarray | None, sample_rate: int, keep_view: bool = False) -> None:
        if samples is not self._samples and self.selection is not None:
            self.selection = None  # an edit changed the samples: the old range no longer means anything
            self.selection_changed.emit()
        self._samples, self._rate = samples, max(1, sample_rate)
        if not keep_view:
            self.zoom, self.offset = 1.0, 0.0
            self.selection = None
            self.playhead_s = None
        self.update()

    @property
    def duration_s(self) -> float:
        return 0.0 if self._samples is None else len(self._samples) / self._rate

    def set_selection(self, start_s: float, end_s: float) -> None:
        lo, hi = sorted((max(0.0, start_s), min(self.duration_s, end_s)))
        self.selection = (lo, hi) if hi - lo > 1e-3 else None
        self.selection_changed.emit()
        self.update()

    def set_playhead(self, seconds: float | None) -> None:
        self.playhead_s = seconds
        self.update()

    # -- coordinates

    def _visible(self) -> tuple[float, float]:
        span = self.duration_s / self.zoom
        start = self.offset * self.duration_s
        return start, start + span

    def _x_to_s(self, x: float) -> float:
        start, end = self._visible()
        return start + (end - start) * min(max(x / max(1, self.width()), 0.0), 1.0)

    def _s_to_x(self, s: float) -> float:
        start, end = self._visible()
        return (s - start) / max(end - start, 1e-9) * self.width()

    # -- mouse

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self._samples is not None and event.button() == Qt.MouseButton.LeftButton:
            self._press_s = self._x_to_s(event.position().x())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press_s is not None:
            self.set_selection(self._press_s, self._x_to_s(event.position().x()))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._press_s is None:
            return
        now = self._x_to_s(event.position().x())
        if abs(now - self._press_s) * self.width() / max(self.duration_s / self.zoom, 1e-9) < 3:  # a click, not a drag
            self.selection = None
            self.selection_changed.emit()
            self.update()
            self.seeked.emit(now)  # the owner moves its playhead there, and the view draws it from set_playhead
        self._press_s = None

    def wheelEvent(self, event: QWheelEvent) -> None:
        step = event.angleDelta().y() / 120
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom = float(np.clip(self.zoom * (1.25**step), 1.0, 512.0))
        else:
            self.offset -= step * 0.1 / self.zoom
        self.offset = float(np.clip(self.offset, 0.0, 1.0 - 1.0 / self.zoom))
        self.update()

    # -- drawing

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#1e2024"))
        w, h = self.width(), self.height()
        mid = h / 2.0
        p.setPen(QPen(QColor("#3a3d42")))
        p.drawLine(QPointF(0, mid), QPointF(w, mid))
        if self._samples is None or len(self._samples) == 0:
            p.setPen(QColor("#9aa0a6"))
            empty = translate("WaveformView", "Select, generate or import a clip")
            p.drawText(QRectF(0, 0, w, h), Qt.AlignmentFlag.AlignCenter, empty)
            p.end()
            return
        if self.selection is not None:
            x0, x1 = self._s_to_x(self.selection[0]), self._s_to_x(self.selection[1])
            p.fillRect(QRectF(x0, 0, x1 - x0, h), QColor(95, 179, 249, 60))
        n = len(self._samples)
        start_s, end_s = self._visible()
        first, last = int(start_s * self._rate), min(n, max(int(end_s * self._rate), int(start_s * self._rate) + 1))
        lo, hi = peaks(self._samples[first:last], w)
        p.setPen(QPen(QColor("#5fb3f9")))
        scale = mid * 0.95
        cols = len(lo)
        for x in range(cols):
            px = x * w / cols
            p.drawLine(QPointF(px, mid - float(hi[x]) * scale), QPointF(px, mid - float(lo[x]) * scale))
        if self.playhead_s is not None:
            head = self._s_to_x(self.playhead_s)
            p.setPen(QPen(QColor("#ffcc66"), 2))
            p.drawLine(QPointF(head, 0), QPointF(head, h))
        p.setPen(QColor("#c8ccd0"))
        p.drawText(6, 16, seconds_text(start_s))
        p.drawText(QRectF(0, 2, w - 6, 16), Qt.AlignmentFlag.AlignRight, seconds_text(end_s))
        p.end()
