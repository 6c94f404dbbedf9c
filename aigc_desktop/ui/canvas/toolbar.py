"""The Canvas pane's two bars: the tools (drawn icons, names, shortcut letters) with canvas and zoom actions, and
the options of the current tool (size, hardness, colour, tolerance, font, mask and selection actions). Both set their
texts in `retranslate()` (again on each language switch); the zoom is written through QLocale."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QAction, QColor, QFont, QIcon, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QColorDialog,
    QFontComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QSlider,
    QSpinBox,
    QToolButton,
    QWidget,
)

from aigc_desktop.core.image.canvas_ops import MAX_BRUSH, RGBA
from aigc_desktop.ui.canvas.tools import Tool, ToolSettings
from aigc_desktop.ui.i18n import Retranslating, tr_msg, translate

if TYPE_CHECKING:
    from aigc_desktop.ui.canvas.pane import CanvasPane
ICON_PX = 20
SWATCHES = (
    "#141414",
    "#ffffff",
    "#8a8f98",
    "#e03131",
    "#f08c00",
    "#fcc419",
    "#2f9e44",
    "#1c7ed6",
    "#7048e8",
    "#8b5a2b",
)


def _draw_icon(name: str, p: QPainter, ink: QColor) -> None:
    pen = QPen(ink, 1.6, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
    p.setPen(pen)
    p.setBrush(Qt.BrushStyle.NoBrush)
    if name == "brush":
        p.drawLine(QPointF(17, 3), QPointF(9, 11))
        p.setBrush(ink)
        path = QPainterPath(QPointF(9.5, 10.5))
        path.cubicTo(QPointF(5, 9), QPointF(3, 14), QPointF(2.5, 17.5))
        path.cubicTo(QPointF(6, 17), QPointF(11, 15), QPointF(9.5, 10.5))
        p.drawPath(path)
    elif name == "eraser":
        p.translate(10, 10)
        p.rotate(-40)
        p.drawRoundedRect(QRectF(-8, -4, 16, 8), 1.5, 1.5)
        p.setBrush(ink)
        p.drawRoundedRect(QRectF(-8, -4, 6, 8), 1.5, 1.5)
    elif name == "fill":
        p.translate(9, 11)
        p.rotate(-30)
        p.drawRect(QRectF(-5, -5, 10, 10))
        p.resetTransform()
        p.setBrush(ink)
        drop = QPainterPath(QPointF(16.5, 9))
        drop.cubicTo(QPointF(19, 13), QPointF(19, 16), QPointF(16.5, 16))
        drop.cubicTo(QPointF(14, 16), QPointF(14, 13), QPointF(16.5, 9))
        p.drawPath(drop)
    elif name == "text":
        font = QFont()
        font.setPixelSize(17)
        font.setBold(True)
        p.setFont(font)
        p.drawText(QRectF(0, 0, ICON_PX, ICON_PX), Qt.AlignmentFlag.AlignCenter, "T")
    elif name == "rect_select":
        pen.setDashPattern([2.0, 1.6])
        p.setPen(pen)
        p.drawRect(QRectF(3, 4, 14, 12))
    elif name == "lasso":
        pen.setDashPattern([2.0, 1.6])
        p.setPen(pen)
        p.drawEllipse(QRectF(2.5, 3, 15, 10))
        p.setPen(QPen(ink, 1.6, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        tail = QPainterPath(QPointF(6, 12.5))
        tail.cubicTo(QPointF(4, 16), QPointF(8, 17), QPointF(6, 19))
        p.drawPath(tail)
    elif name == "mask":
        p.setBrush(QColor(255, 32, 32, 120))
        p.setPen(QPen(QColor("#e03131"), 1.6))
        p.drawEllipse(QRectF(3, 3, 14, 14))
        p.setPen(QPen(ink, 1.6))
        p.drawLine(QPointF(10, 6), QPointF(10, 14))
        p.drawLine(QPointF(6, 10), QPointF(14, 10))
    elif name == "picker":
        p.drawLine(QPointF(4, 16), QPointF(12, 8))
        p.setBrush(ink)
        p.drawEllipse(QRectF(11, 3, 6, 6))
        p.drawLine(QPointF(10, 6), QPointF(14, 10))
    elif name == "hand":
        for a, b in (((10, 2), (10, 18)), ((2, 10), (18, 10))):
            p.drawLine(QPointF(*a), QPointF(*b))
        for tip, l1, l2 in (
            ((10, 2), (7.5, 4.5), (12.5, 4.5)),
            ((10, 18), (7.5, 15.5), (12.5, 15.5)),
            ((2, 10), (4.5, 7.5), (4.5, 12.5)),
            ((18, 10), (15.5, 7.5), (15.5, 12.5)),
        ):
            p.drawLine(QPointF(*tip), QPointF(*l1))
            p.drawLine(QPointF(*tip), QPointF(*l2))


def tool_icon(name: str) -> QIcon:
    """Simple line icons drawn in the palette's text colour (no icon theme is needed, so they look the same
    everywhere, light or dark)."""
    ink = QApplication.palette().windowText().color()
    pixmap = QPixmap(ICON_PX * 2, ICON_PX * 2)  # drawn at 2× so they stay sharp on HiDPI screens
    pixmap.fill(Qt.GlobalColor.transparent)
    p = QPainter(pixmap)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.scale(2, 2)
    _draw_icon(name, p, ink)
    p.end()
    pixmap.setDevicePixelRatio(2)
    return QIcon(pixmap)


def swatch_icon(colour: QColor, size: int = 18) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    p = QPainter(pixmap)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    if colour.alpha() < 255:  # show transparency on a checkerboard
        p.fillRect(0, 0, size, size, QColor("#ffffff"))
        half = size // 2
        p.fillRect(0, 0, half, half, QColor("#cccccc"))
        p.fillRect(half, half, size - half, size - half, QColor("#cccccc"))
    p.setPen(QPen(QColor("#555555"), 1))
    p.setBrush(colour)
    p.drawRoundedRect(QRectF(0.5, 0.5, size - 1, size - 1), 3, 3)
    p.end()
    return QIcon(pixmap)


def _separator() -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.VLine)
    line.setFrameShadow(QFrame.Shadow.Sunken)
    return line


def action_button(action: QAction, parent: QWidget) -> QToolButton:
    b = QToolButton(parent)
    b.setDefaultAction(action)
    b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    b.setAutoRaise(True)
    return b


def zoom_text(zoom: float) -> str:
    """ "173%", or "4.5%" under 10 %: the interface language's digits and percent sign."""
    locale = QLocale()
    locale.setNumberOptions(QLocale.NumberOption.OmitGroupSeparator)
    return locale.toString(zoom * 100, "f", 0 if zoom >= 0.1 else 1) + locale.percent()


class ToolBar(Retranslating, QWidget):
    """Row one: the tools (one checked), the Canvas menu, and zoom."""

    tool_chosen = Signal(str)

    def __init__(self, pane: CanvasPane, tools: Sequence[Tool], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("canvasToolBar")
        self.tools = list(tools)
        self._zoom = 1.0
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: dict[str, QToolButton] = {}
        for tool in tools:
            b = QToolButton(self)
            b.setObjectName(f"tool_{tool.name}")
            b.setCheckable(True)
            b.setAutoRaise(True)
            b.setIcon(tool_icon(tool.name))
            b.setIconSize(QSize(ICON_PX, ICON_PX))
            b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            b.clicked.connect(lambda _checked=False, name=tool.name: self.tool_chosen.emit(name))
            self.group.addButton(b)
            self.buttons[tool.name] = b
            row.addWidget(b)
        row.addStretch(1)
        self.canvas_menu_button = QToolButton(self)
        self.canvas_menu_button.setObjectName("canvasMenuButton")
        self.canvas_menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.canvas_menu_button.setAutoRaise(True)
        self.canvas_menu_button.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0px; }")
        menu = QMenu(self.canvas_menu_button)
        for key in (
            "resize_image",
            "canvas_size",
            "crop",
            None,
            "select_all",
            "deselect",
            "invert_selection",
            "clear_selection",
            None,
            "clear_mask",
            "invert_mask",
        ):
            if key is None:
                menu.addSeparator()
            else:
                menu.addAction(pane.canvas_actions[key])
        self.canvas_menu_button.setMenu(menu)
        row.addWidget(self.canvas_menu_button)
        row.addWidget(_separator())
        for key in ("zoom_out", "zoom_in"):
            row.addWidget(action_button(pane.canvas_actions[key], self))
        self.zoom_label = QLabel(self)
        self.zoom_label.setObjectName("zoomLabel")
        self.zoom_label.setMinimumWidth(44)
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        row.insertWidget(row.count() - 1, self.zoom_label)
        for key in ("fit", "actual_size"):
            row.addWidget(action_button(pane.canvas_actions[key], self))
        self.retranslate()

    def retranslate(self) -> None:
        for tool in self.tools:
            b, label = self.buttons[tool.name], tr_msg(tool.label)
            b.setText(label)
            b.setToolTip(f"<b>{label}</b> ({tool.shortcut})<br>{tr_msg(tool.tip)}")
        self.canvas_menu_button.setText(translate("ToolBar", "Canvas ▾"))
        self.canvas_menu_button.setToolTip(
            translate("ToolBar", "Crop, resize or extend the canvas; selection and mask commands")
        )
        self.zoom_label.setText(zoom_text(self._zoom))

    def set_tool(self, name: str) -> None:
        self.buttons[name].setChecked(True)

    def set_zoom(self, zoom: float) -> None:
        self._zoom = zoom
        self.zoom_label.setText(zoom_text(zoom))


class ColourButton(Retranslating, QToolButton):
    """The brush colour; click for a colour dialog (with alpha)."""

    picked = Signal(tuple)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("colourButton")
        self.setIconSize(QSize(28, 18))
        self.clicked.connect(self.choose)
        self._colour = QColor("#141414")
        self.retranslate()

    def retranslate(self) -> None:
        self.setToolTip(translate("ColourButton", "Brush, fill and text colour (click to choose)"))

    def set_colour(self, rgba: RGBA) -> None:
        self._colour = QColor(*rgba)
        pixmap_icon = swatch_icon(self._colour, 18)
        self.setIcon(pixmap_icon)

    def choose(self) -> None:
        title = translate("ColourButton", "Colour")
        colour = QColorDialog.getColor(self._colour, self, title, QColorDialog.ColorDialogOption.ShowAlphaChannel)
        if colour.isValid():
            self.picked.emit((colour.red(), colour.green(), colour.blue(), colour.alpha()))


class _Group(QWidget):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 8, 0)
        self.row.setSpacing(4)


def _slider_spin(parent: QWidget, lo: int, hi: int, suffix: str, width: int) -> tuple[QSlider, QSpinBox]:
    slider = QSlider(Qt.Orientation.Horizontal, parent)
    slider.setRange(lo, hi)
    slider.setFixedWidth(width)
    spin = QSpinBox(parent)
    spin.setRange(lo, hi)
    spin.setSuffix(suffix)
    spin.setKeyboardTracking(False)
    slider.valueChanged.connect(spin.setValue)
    spin.valueChanged.connect(slider.setValue)
    return slider, spin


class ToolOptions(Retranslating, QWidget):
    """Row two: the current tool's options; every change goes straight into the pane's ToolSettings."""

    changed = Signal()

    def __init__(self, pane: CanvasPane, settings: ToolSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("toolOptions")
        self.settings = settings
        self._tool: Tool | None = None
        row = QHBoxLayout(self)
        row.setContentsMargins(4, 0, 4, 0)
        row.setSpacing(6)
        self.tool_name = QLabel(self)
        self.tool_name.setObjectName("toolName")
        bold = self.tool_name.font()
        bold.setBold(True)
        self.tool_name.setFont(bold)
        self.tool_name.setMinimumWidth(70)
        row.addWidget(self.tool_name)
        self.groups: dict[str, _Group] = {}

        self.labels: dict[str, QLabel] = {}  # the option groups' names
        g = self._group("size", row)
        self.size_slider, self.size_spin = _slider_spin(g, 1, MAX_BRUSH, " px", 140)
        self.size_slider.setRange(1, 300)  # the slider covers everyday sizes; the box goes up to MAX_BRUSH
        self.size_spin.setObjectName("brushSize")
        self.size_spin.valueChanged.connect(self._on_size)
        g.row.addWidget(self.size_slider)
        g.row.addWidget(self.size_spin)

        g = self._group("hardness", row)
        self.hardness_slider, self.hardness_spin = _slider_spin(g, 0, 100, " %", 90)
        self.hardness_spin.setObjectName("brushHardness")
        self.hardness_spin.valueChanged.connect(self._on_hardness)
        g.row.addWidget(self.hardness_slider)
        g.row.addWidget(self.hardness_spin)

        g = self._group("tolerance", row)
        self.tolerance_slider, self.tolerance_spin = _slider_spin(g, 0, 255, "", 110)
        self.tolerance_spin.setObjectName("fillTolerance")
        self.tolerance_spin.valueChanged.connect(self._on_tolerance)
        g.row.addWidget(self.tolerance_slider)
        g.row.addWidget(self.tolerance_spin)

        g = self._group("font", row)
        self.font_box = QFontComboBox(g)
        self.font_box.setObjectName("fontFamily")
        self.font_box.setProperty("translated_items", False)  # font names: not the app's words
        self.font_box.setMaximumWidth(190)
        self.font_box.currentFontChanged.connect(self._on_font)
        g.row.addWidget(self.font_box)
        self.font_size = QSpinBox(g)
        self.font_size.setObjectName("fontSize")
        self.font_size.setRange(4, 1000)
        self.font_size.setSuffix(" px")
        self.font_size.valueChanged.connect(self._on_font_size)
        g.row.addWidget(self.font_size)

        g = self._group("colour", row)
        self.colour_button = ColourButton(g)
        g.row.addWidget(self.colour_button)
        for hex_colour in SWATCHES:
            b = QToolButton(g)
            b.setAutoRaise(True)
            b.setIcon(swatch_icon(QColor(hex_colour), 14))
            b.setIconSize(QSize(14, 14))
            b.setToolTip(hex_colour)
            c = QColor(hex_colour)
            b.clicked.connect(lambda _c=False, c=c: pane.set_colour((c.red(), c.green(), c.blue(), 255)))
            g.row.addWidget(b)
        self.colour_button.picked.connect(pane.set_colour)

        g = self._group("mask", row)
        self.mask_paint = QToolButton(g)
        self.mask_erase = QToolButton(g)
        self.mask_erase.setObjectName("maskErase")
        mask_modes = QButtonGroup(g)
        for b in (self.mask_paint, self.mask_erase):
            b.setCheckable(True)
            mask_modes.addButton(b)
            g.row.addWidget(b)
        self.mask_paint.setChecked(True)
        self.mask_erase.toggled.connect(self._on_mask_mode)
        g.row.addWidget(_separator())
        for key in ("clear_mask", "invert_mask"):
            g.row.addWidget(action_button(pane.canvas_actions[key], g))

        g = self._group("selection", row)
        for key in ("select_all", "deselect", "invert_selection", "crop", "clear_selection"):
            g.row.addWidget(action_button(pane.canvas_actions[key], g))

        row.addStretch(1)
        self.retranslate()
        # As tall as the tallest group, so switching tools never moves the canvas up or down.
        self.setFixedHeight(max(g.sizeHint().height() for g in self.groups.values()) + 2)

    def _group(self, key: str, row: QHBoxLayout) -> _Group:
        g = _Group(self)
        g.setObjectName(f"options_{key}")
        self.groups[key] = g
        if key not in ("mask", "selection"):  # those two are buttons only
            self.labels[key] = QLabel(g)
            g.row.addWidget(self.labels[key])
        row.addWidget(g)
        return g

    def retranslate(self) -> None:
        names = {
            "size": translate("ToolOptions", "Size"),
            "hardness": translate("ToolOptions", "Hardness"),
            "tolerance": translate("ToolOptions", "Tolerance"),
            "font": translate("ToolOptions", "Font"),
            "colour": translate("ToolOptions", "Colour"),
        }
        for key, label in self.labels.items():
            label.setText(names[key])
        self.mask_paint.setText(translate("ToolOptions", "Add"))
        self.mask_paint.setToolTip(translate("ToolOptions", "The brush adds to the mask"))
        self.mask_erase.setText(translate("ToolOptions", "Remove"))
        self.mask_erase.setToolTip(translate("ToolOptions", "The brush removes mask"))
        if self._tool is not None:
            self.tool_name.setText(tr_msg(self._tool.label))

    def show_for(self, tool: Tool) -> None:
        """Show the option groups of `tool`, holding its values."""
        self._tool = tool
        self.tool_name.setText(tr_msg(tool.label))
        for key, group in self.groups.items():
            group.setVisible(key in tool.options)
        s = self.settings
        self._set_pair(self.size_slider, self.size_spin, s.sizes.get(tool.name, 1))
        self._set_pair(self.hardness_slider, self.hardness_spin, round(s.hardness * 100))
        self._set_pair(self.tolerance_slider, self.tolerance_spin, s.tolerance)
        self.font_size.blockSignals(True)
        self.font_size.setValue(s.font_size)
        self.font_size.blockSignals(False)
        if s.font_family:
            self.font_box.blockSignals(True)
            self.font_box.setCurrentFont(QFont(s.font_family))
            self.font_box.blockSignals(False)
        self.colour_button.set_colour(s.colour)
        self.mask_erase.blockSignals(True)
        (self.mask_erase if s.mask_erase else self.mask_paint).setChecked(True)
        self.mask_erase.blockSignals(False)

    @staticmethod
    def _set_pair(slider: QSlider, spin: QSpinBox, value: int) -> None:
        """Show a stored value without it echoing back as a change."""
        for w in (slider, spin):
            w.blockSignals(True)
            w.setValue(value)
            w.blockSignals(False)

    def _on_size(self, value: int) -> None:
        if self._tool is not None and self._tool.name in self.settings.sizes:
            self.settings.sizes[self._tool.name] = value
            self.changed.emit()

    def _on_hardness(self, value: int) -> None:
        self.settings.hardness = value / 100
        self.changed.emit()

    def _on_tolerance(self, value: int) -> None:
        self.settings.tolerance = value
        self.changed.emit()

    def _on_font(self, font: QFont) -> None:
        self.settings.font_family = font.family()
        self.changed.emit()

    def _on_font_size(self, value: int) -> None:
        self.settings.font_size = value
        self.changed.emit()

    def _on_mask_mode(self, erase: bool) -> None:
        self.settings.mask_erase = erase
        self.changed.emit()
