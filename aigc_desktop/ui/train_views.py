"""The two live views of "Train on my images": the latest grid of samples, and the loss curves (which "Learn my
style" shows too).

Both are drawn from what the trainer reports (core/train/job.py TrainProgress); the curves paint their own texts, in
the interface language, and paint again when it changes.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

from PySide6.QtCore import QLocale, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPaintEvent, QPen, QPixmap, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.ui.i18n import Retranslating, tr_msg, translate
from aigc_desktop.ui.units import format_number

CURVE_COLOURS = ["#d9480f", "#1971c2", "#2f9e44", "#7048e8"]
LOSS_LABELS = {
    "discriminator": QT_TRANSLATE_NOOP("LossCurves", "discriminator"),
    "generator": QT_TRANSLATE_NOOP("LossCurves", "generator"),
    "total": QT_TRANSLATE_NOOP("LossCurves", "total"),
    "reconstruction": QT_TRANSLATE_NOOP("LossCurves", "reconstruction"),
    "kl": QT_TRANSLATE_NOOP("LossCurves", "KL"),
    "training": QT_TRANSLATE_NOOP("LossCurves", "training"),  # Learn my style: the text model's loss per step
}


class LossCurves(Retranslating, QWidget):
    """Loss per step, one colour per loss: each step faintly, a moving average boldly (GAN losses are noisy)."""

    SMOOTHING = 0.9  # exponential moving average weight of the past

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lossCurves")
        self.series: dict[str, list[float]] = {}
        self.smoothed: dict[str, list[float]] = {}
        self.setMinimumSize(320, 150)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def retranslate(self) -> None:
        self.update()  # the texts are painted

    def clear(self) -> None:
        self.series.clear()
        self.smoothed.clear()
        self.update()

    def add(self, steps: Iterable[Mapping[str, float]]) -> None:
        for losses in steps:
            for name, value in losses.items():
                if not math.isfinite(value):
                    continue
                raw = self.series.setdefault(name, [])
                ema = self.smoothed.setdefault(name, [])
                raw.append(value)
                ema.append(value if not ema else self.SMOOTHING * ema[-1] + (1 - self.SMOOTHING) * value)
        self.update()

    @property
    def steps(self) -> int:
        return max((len(v) for v in self.series.values()), default=0)

    def sizeHint(self) -> QSize:
        return QSize(520, 180)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("#ffffff"))
        font = QFont(self.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
        p.setFont(font)
        metrics = p.fontMetrics()
        left = metrics.horizontalAdvance("00000.0") + 10
        # Room for the step labels under the plot: a Chinese label's glyphs come from a fallback face that is taller
        # than the font the metrics describe.
        label_height = math.ceil(metrics.height() * 1.4)
        plot = QRectF(left, 8, self.width() - left - 10, self.height() - 8 - label_height - 4)
        p.setPen(QPen(QColor("#c8c8c8"), 1))
        p.drawRect(plot)
        if not self.series or self.steps < 1:
            p.setPen(QColor("#888888"))
            p.drawText(
                plot,
                Qt.AlignmentFlag.AlignCenter,
                translate("LossCurves", "Loss curves appear here while training runs"),
            )
            p.end()
            return
        low, high = self._value_range()
        n = self.steps

        def point(i: int, value: float) -> QPointF:
            x = plot.left() + (plot.width() * i / max(1, n - 1))
            frac = (min(max(value, low), high) - low) / (high - low)
            return QPointF(x, plot.bottom() - frac * plot.height())

        # Grid lines and their values.
        p.setPen(QColor("#666666"))
        for k in range(5):
            value = low + (high - low) * k / 4
            y = plot.bottom() - plot.height() * k / 4
            p.setPen(QPen(QColor("#eeeeee"), 1))
            p.drawLine(QPointF(plot.left() + 1, y), QPointF(plot.right() - 1, y))
            p.setPen(QColor("#666666"))
            p.drawText(
                QRectF(0, y - metrics.height() / 2, left - 6, metrics.height()),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                QLocale().toString(value, "g", 3),
            )
        p.drawText(
            QRectF(plot.left(), plot.bottom() + 4, plot.width(), label_height),
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop),
            translate("LossCurves", "step {step}").format(step=format_number(n)),
        )
        p.drawText(
            QRectF(plot.left(), plot.bottom() + 4, plot.width(), label_height),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop),
            "1",
        )
        # Curves: at most about one point per pixel column (long runs have tens of thousands of steps).
        stride = max(1, math.ceil(n / max(1.0, plot.width())))
        legend: list[tuple[QColor, str]] = []
        for index, name in enumerate(self.series):
            colour = QColor(CURVE_COLOURS[index % len(CURVE_COLOURS)])
            for values, alpha, width in ((self.series[name], 70, 1.0), (self.smoothed[name], 255, 2.0)):
                path = QPainterPath()
                for j, i in enumerate(range(0, len(values), stride)):
                    (path.lineTo if j else path.moveTo)(point(i, values[i]))
                if len(values) - 1 != (len(values) - 1) // stride * stride:
                    path.lineTo(point(len(values) - 1, values[-1]))
                faded = QColor(colour)
                faded.setAlpha(alpha)
                p.setPen(QPen(faded, width))
                p.drawPath(path)
            label = tr_msg(LOSS_LABELS.get(name, name))
            legend.append((colour, f"{label} {QLocale().toString(self.smoothed[name][-1], 'g', 3)}"))
        # Legend, top right, on a white box so curves never hide it.
        widths = [metrics.horizontalAdvance(text) + 22 for _, text in legend]
        box = QRectF(
            plot.right() - max(widths) - 8, plot.top() + 4, max(widths) + 4, len(legend) * metrics.height() + 6
        )
        p.setPen(QPen(QColor("#dddddd"), 1))
        p.setBrush(QColor(255, 255, 255, 230))
        p.drawRect(box)
        for row, (colour, text) in enumerate(legend):
            y = box.top() + 3 + row * metrics.height()
            p.fillRect(QRectF(box.left() + 5, y + metrics.height() / 2 - 2, 12, 4), colour)
            p.setPen(QColor("#333333"))
            p.drawText(
                QRectF(box.left() + 22, y, box.width() - 22, metrics.height()),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                text,
            )
        p.end()

    def _value_range(self) -> tuple[float, float]:
        """Covers all but the wildest 2 % of steps at each end: a rare spike is clipped rather than flattening the
        rest. Losses are never negative, so 0 is included when it is near."""
        raw = sorted(v for values in self.series.values() for v in values)
        cut = len(raw) // 50
        low, high = raw[cut], raw[-1 - cut]
        if 0 <= low < 0.25 * high:
            low = 0.0
        if high - low < 1e-9:
            high = low + 1.0
        pad = (high - low) * 0.05
        return (low - pad if low else 0.0), high + pad


class SampleView(Retranslating, QLabel):
    """The latest grid of samples, scaled to fill the space (pixel-sharp from 2× up)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trainSamples")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumSize(266, 266)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setStyleSheet("QLabel#trainSamples { background: #202020; color: #bbbbbb; }")
        self.grid: QPixmap | None = None
        self.setWordWrap(True)
        self.retranslate()

    def retranslate(self) -> None:
        if self.grid is None:
            self.setText(translate("SampleView", "Samples from the model appear here\nafter its first steps"))

    def set_grid(self, pixmap: QPixmap) -> None:
        self.grid = pixmap
        self._rescale()

    def clear_grid(self) -> None:
        self.grid = None
        self.setPixmap(QPixmap())
        self.retranslate()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._rescale()

    def _rescale(self) -> None:
        if self.grid is None or self.grid.isNull():
            return
        room = min(self.width() / self.grid.width(), self.height() / self.grid.height())
        # Whole multiples keep every pixel square and sharp; between 1× and 2× a smooth scale fills the space better.
        factor = math.floor(room) if room >= 2 else room
        mode = (
            Qt.TransformationMode.FastTransformation
            if factor == int(factor)
            else Qt.TransformationMode.SmoothTransformation
        )
        size = QSize(max(1, int(self.grid.width() * factor)), max(1, int(self.grid.height() * factor)))
        self.setPixmap(self.grid.scaled(size, Qt.AspectRatioMode.KeepAspectRatio, mode))
