"""Dialogs of the Canvas menu: scale the picture to a new size, and add (or trim) margins around the canvas. Their
texts are set in `retranslate()`; sizes are written through QLocale."""

from __future__ import annotations

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from aigc_desktop.core.image.canvas_ops import MAX_CANVAS_SIDE
from aigc_desktop.ui.i18n import Retranslating, translate


def _n(value: int) -> str:
    """A size in pixels the interface language's way (no group separators)."""
    locale = QLocale()
    locale.setNumberOptions(QLocale.NumberOption.OmitGroupSeparator)
    return locale.toString(value)


def _spin(parent: QWidget, value: int, lo: int = 1, suffix: str = " px") -> QSpinBox:
    spin = QSpinBox(parent)
    spin.setRange(lo, MAX_CANVAS_SIDE)
    spin.setValue(value)
    spin.setSuffix(suffix)
    return spin


def _buttons(dialog: QDialog) -> QDialogButtonBox:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog)
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


class ResizeImageDialog(Retranslating, QDialog):
    """New width and height for the whole picture (every layer is scaled); proportions kept unless unticked."""

    def __init__(self, width: int, height: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resizeImageDialog")
        self._size = width, height
        self._ratio = width / height
        self.width_spin = _spin(self, width)
        self.height_spin = _spin(self, height)
        self.keep = QCheckBox(self)
        self.keep.setChecked(True)
        self.width_spin.valueChanged.connect(self._width_changed)
        self.height_spin.valueChanged.connect(self._height_changed)
        self.width_label, self.height_label = QLabel(self), QLabel(self)
        form = QFormLayout()
        form.addRow(self.width_label, self.width_spin)
        form.addRow(self.height_label, self.height_spin)
        form.addRow("", self.keep)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        outer = QVBoxLayout(self)
        outer.addLayout(form)
        outer.addWidget(self.note)
        outer.addWidget(_buttons(self))
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(translate("ResizeImageDialog", "Resize image"))
        self.keep.setText(translate("ResizeImageDialog", "Keep proportions"))
        self.width_label.setText(translate("ResizeImageDialog", "Width"))
        self.height_label.setText(translate("ResizeImageDialog", "Height"))
        w, h = self._size
        self.note.setText(
            translate("ResizeImageDialog", "Now {width} × {height} px. Every layer is scaled (Lanczos).").format(
                width=_n(w), height=_n(h)
            )
        )

    def _width_changed(self, w: int) -> None:
        if self.keep.isChecked():
            self.height_spin.blockSignals(True)
            self.height_spin.setValue(max(1, round(w / self._ratio)))
            self.height_spin.blockSignals(False)

    def _height_changed(self, h: int) -> None:
        if self.keep.isChecked():
            self.width_spin.blockSignals(True)
            self.width_spin.setValue(max(1, round(h * self._ratio)))
            self.width_spin.blockSignals(False)

    def size(self) -> tuple[int, int]:  # type: ignore[override]
        return self.width_spin.value(), self.height_spin.value()


class CanvasSizeDialog(Retranslating, QDialog):
    """Margins to add on each side (outpainting fills them); layers keep their pixels and move with the picture."""

    def __init__(self, width: int, height: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("canvasSizeDialog")
        self._w, self._h = width, height
        self.left, self.top, self.right, self.bottom = (_spin(self, 0, lo=0) for _ in range(4))
        self.side_labels = {side: QLabel(self) for side in ("top", "left", "right", "bottom")}
        grid = QGridLayout()
        grid.addWidget(self.side_labels["top"], 0, 1)
        grid.addWidget(self.top, 1, 1)
        grid.addWidget(self.side_labels["left"], 2, 0)
        grid.addWidget(self.left, 3, 0)
        self.result_label = QLabel(self)
        grid.addWidget(self.result_label, 3, 1)
        grid.addWidget(self.side_labels["right"], 2, 2)
        grid.addWidget(self.right, 3, 2)
        grid.addWidget(self.side_labels["bottom"], 4, 1)
        grid.addWidget(self.bottom, 5, 1)
        for spin in (self.left, self.top, self.right, self.bottom):
            spin.valueChanged.connect(self._update)
        self.intro = QLabel(self)
        outer = QVBoxLayout(self)
        outer.addWidget(self.intro)
        outer.addLayout(grid)
        outer.addWidget(_buttons(self))
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(translate("CanvasSizeDialog", "Canvas size"))
        names = {
            "top": translate("CanvasSizeDialog", "Top"),
            "left": translate("CanvasSizeDialog", "Left"),
            "right": translate("CanvasSizeDialog", "Right"),
            "bottom": translate("CanvasSizeDialog", "Bottom"),
        }
        for side, label in self.side_labels.items():
            label.setText(names[side])
        self.intro.setText(
            translate(
                "CanvasSizeDialog", "Add empty margins around the picture (transparent: outpainting can fill them)."
            )
        )
        self._update()

    def _update(self) -> None:
        w = self._w + self.left.value() + self.right.value()
        h = self._h + self.top.value() + self.bottom.value()
        result = translate("CanvasSizeDialog", "{width} × {height}\n→ {new_width} × {new_height} px")
        self.result_label.setText(
            result.format(width=_n(self._w), height=_n(self._h), new_width=_n(w), new_height=_n(h))
        )

    def margins(self) -> tuple[int, int, int, int]:
        return self.left.value(), self.top.value(), self.right.value(), self.bottom.value()
