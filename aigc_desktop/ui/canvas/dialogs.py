"""Dialogs of the Canvas menu: scale the picture to a new size, and add (or trim) margins around the canvas."""

from __future__ import annotations

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


class ResizeImageDialog(QDialog):
    """New width and height for the whole picture (every layer is scaled); proportions kept unless unticked."""

    def __init__(self, width: int, height: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Resize image")
        self.setObjectName("resizeImageDialog")
        self._ratio = width / height
        self.width_spin = _spin(self, width)
        self.height_spin = _spin(self, height)
        self.keep = QCheckBox("Keep proportions", self)
        self.keep.setChecked(True)
        self.width_spin.valueChanged.connect(self._width_changed)
        self.height_spin.valueChanged.connect(self._height_changed)
        form = QFormLayout()
        form.addRow("Width", self.width_spin)
        form.addRow("Height", self.height_spin)
        form.addRow("", self.keep)
        note = QLabel(f"Now {width} × {height} px. Every layer is scaled (Lanczos).", self)
        note.setWordWrap(True)
        outer = QVBoxLayout(self)
        outer.addLayout(form)
        outer.addWidget(note)
        outer.addWidget(_buttons(self))

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


class CanvasSizeDialog(QDialog):
    """Margins to add on each side (outpainting fills them); layers keep their pixels and move with the picture."""

    def __init__(self, width: int, height: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Canvas size")
        self.setObjectName("canvasSizeDialog")
        self._w, self._h = width, height
        self.left, self.top, self.right, self.bottom = (_spin(self, 0, lo=0) for _ in range(4))
        grid = QGridLayout()
        grid.addWidget(QLabel("Top"), 0, 1)
        grid.addWidget(self.top, 1, 1)
        grid.addWidget(QLabel("Left"), 2, 0)
        grid.addWidget(self.left, 3, 0)
        self.result_label = QLabel(self)
        grid.addWidget(self.result_label, 3, 1)
        grid.addWidget(QLabel("Right"), 2, 2)
        grid.addWidget(self.right, 3, 2)
        grid.addWidget(QLabel("Bottom"), 4, 1)
        grid.addWidget(self.bottom, 5, 1)
        for spin in (self.left, self.top, self.right, self.bottom):
            spin.valueChanged.connect(self._update)
        outer = QVBoxLayout(self)
        outer.addWidget(QLabel("Add empty margins around the picture (transparent: outpainting can fill them).", self))
        outer.addLayout(grid)
        outer.addWidget(_buttons(self))
        self._update()

    def _update(self) -> None:
        w = self._w + self.left.value() + self.right.value()
        h = self._h + self.top.value() + self.bottom.value()
        self.result_label.setText(f"{self._w} × {self._h}\n→ {w} × {h} px")

    def margins(self) -> tuple[int, int, int, int]:
        return self.left.value(), self.top.value(), self.right.value(), self.bottom.value()
