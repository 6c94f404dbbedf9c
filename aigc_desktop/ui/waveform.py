"""A waveform drawn from the samples: min/max per pixel column, so any length draws in one pass over the peaks."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen, QWheelEvent
from PySide6.QtWidgets import QSizePolicy, QWidget


def peaks(samples: np.ndarray, columns: int) -> tuple[np.ndarray, np.ndarray]:
    """(min, max) of the mono mix in `columns` equal slices of the signal."""
    mono = samples.mean(axis=1) if samples.ndim == 2 else samples
    columns = max(1, min(columns, len(mono)))
    usable = len(mono) - len(mono) % columns
    if usable == 0:
        return np.zeros(columns, np.float32), np.zeros(columns, np.float32)
    blocks = mono[:usable].reshape(columns, -1)
    return blocks.min(axis=1), blocks.max(axis=1)


class WaveformView(QWidget):
    """Shows one clip; Ctrl+wheel zooms in on the start, wheel scrolls when zoomed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("waveformView")
        self.setMinimumHeight(160)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._samples: np.ndarray | None = None
        self._rate = 1
        self.zoom = 1.0
        self.offset = 0.0  # fraction of the clip at the left edge

    def set_clip(self, samples: np.ndarray | None, sample_rate: int) -> None:
        self._samples, self._rate = samples, max(1, sample_rate)
        self.zoom, self.offset = 1.0, 0.0
        self.update()

    def wheelEvent(self, event: QWheelEvent) -> None:
        step = event.angleDelta().y() / 120
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom = float(np.clip(self.zoom * (1.25**step), 1.0, 512.0))
        else:
            self.offset -= step * 0.1 / self.zoom
        self.offset = float(np.clip(self.offset, 0.0, 1.0 - 1.0 / self.zoom))
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#1e2024"))
        w, h = self.width(), self.height()
        mid = h / 2
        p.setPen(QPen(QColor("#3a3d42")))
        p.drawLine(QPointF(0, mid), QPointF(w, mid))
        if self._samples is None or len(self._samples) == 0:
            p.setPen(QColor("#9aa0a6"))
            p.drawText(QRectF(0, 0, w, h), Qt.AlignmentFlag.AlignCenter, "Select or import a clip to see its waveform")
            p.end()
            return
        n = len(self._samples)
        first = int(self.offset * n)
        last = min(n, first + max(1, int(n / self.zoom)))
        lo, hi = peaks(self._samples[first:last], w)
        p.setPen(QPen(QColor("#5fb3f9")))
        scale = mid * 0.95
        cols = len(lo)
        for x in range(cols):
            px = x * w / cols
            p.drawLine(QPointF(px, mid - float(hi[x]) * scale), QPointF(px, mid - float(lo[x]) * scale))
        p.setPen(QColor("#c8ccd0"))
        p.drawText(6, 16, f"{first / self._rate:.2f} s")
        p.drawText(QRectF(0, 2, w - 6, 16), Qt.AlignmentFlag.AlignRight, f"{last / self._rate:.2f} s")
        p.end()
