"""The Canvas pane's Layers tab: the layer list (top layer first, with thumbnails and visibility ticks), the current
layer's opacity and the layer buttons. It renders the CanvasModel from its signals and edits it through its
methods; the current layer is the model's, the list only shows it.

Layer names are the user's (not translated); the "✦ AI" mark after them, the row tooltips, the buttons and labels are
the app's and follow the interface language (`retranslate`). A layer painted by Illustrate says which paragraph of the
Document it illustrates (its tooltip) and leads back to it (its context menu: `paragraph_requested`).
"""

from __future__ import annotations

from collections.abc import Callable

from PIL import Image
from PySide6.QtCore import QPoint, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.project.model import Layer
from aigc_desktop.core.text.prompt_draft import excerpt
from aigc_desktop.state.canvas import CanvasModel
from aigc_desktop.state.settings import AppSettings
from aigc_desktop.ui.canvas.view import checkerboard
from aigc_desktop.ui.i18n import Retranslating, tr_msg, translate
from aigc_desktop.ui.qt_images import pil_to_qimage

THUMB_PX = 36
EXCERPT_CHARS = 40  # of an illustrated paragraph, in the context menu and the tooltip


def thumbnail(layer: Layer) -> QIcon:
    """The layer's picture on a checkerboard, as a list icon."""
    w, h = layer.image.size
    scale = THUMB_PX / max(w, h)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    small = layer.image.resize(size, Image.Resampling.BILINEAR, reducing_gap=2.0)  # reduce() first: no full copy
    pixmap = QPixmap(THUMB_PX, THUMB_PX)
    pixmap.fill(QColor("#ffffff"))
    p = QPainter(pixmap)
    p.fillRect(0, 0, THUMB_PX, THUMB_PX, checkerboard())
    p.drawImage((THUMB_PX - small.width) // 2, (THUMB_PX - small.height) // 2, pil_to_qimage(small))
    p.setPen(QColor("#888888"))
    p.drawRect(0, 0, THUMB_PX - 1, THUMB_PX - 1)
    p.end()
    return QIcon(pixmap)


# The layer buttons: object name, text, tooltip.
BUTTONS = (
    (
        "layerNewButton",
        QT_TRANSLATE_NOOP("LayerPanel", "New"),
        QT_TRANSLATE_NOOP("LayerPanel", "A new transparent layer"),
    ),
    (
        "layerImportButton",
        QT_TRANSLATE_NOOP("LayerPanel", "Import…"),
        QT_TRANSLATE_NOOP("LayerPanel", "Add image files as layers (or drop them on the canvas)"),
    ),
    (
        "layerDuplicateButton",
        QT_TRANSLATE_NOOP("LayerPanel", "Duplicate"),
        QT_TRANSLATE_NOOP("LayerPanel", "Copy the selected layer"),
    ),
    (
        "layerDeleteButton",
        QT_TRANSLATE_NOOP("LayerPanel", "Delete"),
        QT_TRANSLATE_NOOP("LayerPanel", "Delete the selected layer"),
    ),
    (
        "layerUpButton",
        QT_TRANSLATE_NOOP("LayerPanel", "Up"),
        QT_TRANSLATE_NOOP("LayerPanel", "Move the selected layer up"),
    ),
    (
        "layerDownButton",
        QT_TRANSLATE_NOOP("LayerPanel", "Down"),
        QT_TRANSLATE_NOOP("LayerPanel", "Move the selected layer down"),
    ),
)


class LayerPanel(Retranslating, QWidget):
    import_requested = Signal()  # Import…: the pane asks for the files
    paragraph_requested = Signal(str)  # "Show its paragraph" on a layer Illustrate painted: that paragraph's text

    def __init__(self, model: CanvasModel, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("layersTab")
        self.model = model
        self.settings = settings
        self.layer_list = QListWidget(self)
        self.layer_list.setObjectName("layerList")
        self.layer_list.setProperty("user_content", True)  # the rows are the user's layer names
        self.layer_list.setIconSize(QSize(THUMB_PX, THUMB_PX))
        self.layer_list.itemChanged.connect(self._on_item_changed)
        self.layer_list.currentRowChanged.connect(self._on_current_row)
        self.layer_list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.layer_list.customContextMenuRequested.connect(self._context_menu)
        # The Document text a layer illustrates (the pane sets it: ImageGeneration.paragraph_of); None: not one.
        self.paragraph_of: Callable[[Layer], str | None] = lambda _layer: None
        self.opacity = QSlider(Qt.Orientation.Horizontal, self)
        self.opacity.setRange(0, 100)
        self.opacity.valueChanged.connect(self._on_opacity)

        side = QVBoxLayout(self)
        self.opacity_label = QLabel(self)
        side.addWidget(self.layer_list, 1)
        side.addWidget(self.opacity_label)
        side.addWidget(self.opacity)
        slots = (
            model.new_layer,
            self.import_requested.emit,
            model.duplicate_layer,
            model.delete_layer,
            lambda: model.move_layer(+1),
            lambda: model.move_layer(-1),
        )
        grid = QHBoxLayout()
        col: QVBoxLayout | None = None
        self.buttons: list[QPushButton] = []
        for i, ((name, _text, _tip), slot) in enumerate(zip(BUTTONS, slots, strict=True)):
            if i % 3 == 0:
                col = QVBoxLayout()
                grid.addLayout(col)
            b = QPushButton(self)
            b.setObjectName(name)
            b.clicked.connect(slot)
            assert col is not None
            col.addWidget(b)
            self.buttons.append(b)
        side.addLayout(grid)

        model.layers_changed.connect(self.refresh)
        model.session.history_changed.connect(self._refresh_tooltips)  # an entry comes after its layers: the link
        model.layer_changed.connect(self._show_layer)
        model.current_changed.connect(self._show_current)
        settings.changed.connect(self._on_setting_changed)
        self.retranslate()

    def retranslate(self) -> None:
        self.opacity_label.setText(translate("LayerPanel", "Opacity"))
        for b, (_name, text, tip) in zip(self.buttons, BUTTONS, strict=True):
            b.setText(tr_msg(text))
            b.setToolTip(tr_msg(tip))
        self.refresh()  # the rows' AI mark and tooltips

    # ------------------------------------------------------------ rendering the model

    def _label(self, layer: Layer) -> str:
        """The row: the layer's name, and the mark of an AI-generated layer when View ▸ Show AI-generated is on."""
        if not (layer.spec_id and self.settings.values.show_ai):
            return layer.name
        return layer.name + "  " + translate("LayerPanel", "✦ AI")

    def refresh(self) -> None:
        """The list again from the model's layers (top layer first, as in every paint program)."""
        self.layer_list.blockSignals(True)
        self.layer_list.clear()
        for layer in reversed(self.model.layers):
            it = QListWidgetItem(self._label(layer))
            it.setData(Qt.ItemDataRole.UserRole, layer.id)
            it.setFlags(it.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            it.setCheckState(Qt.CheckState.Checked if layer.visible else Qt.CheckState.Unchecked)
            it.setToolTip(self._tooltip(layer))
            it.setIcon(thumbnail(layer))
            self.layer_list.addItem(it)
            if layer.id == self.model.current_id:
                self.layer_list.setCurrentItem(it)
        self.layer_list.blockSignals(False)
        self._sync_opacity()

    def _tooltip(self, layer: Layer) -> str:
        tip = translate("LayerPanel", "Tick to show, untick to hide")
        paragraph = self.paragraph_of(layer)
        if paragraph:
            linked = translate("LayerPanel", "Illustrates the paragraph “{excerpt}” (right-click to show it)")
            tip += "\n" + linked.format(excerpt=excerpt(paragraph, EXCERPT_CHARS))
        return tip

    def context_menu_for(self, layer: Layer) -> QMenu | None:
        """The row's context menu: "Show its paragraph" for a layer Illustrate painted; None for any other layer."""
        paragraph = self.paragraph_of(layer)
        if not paragraph:
            return None
        menu = QMenu(self)
        action = menu.addAction(
            translate("LayerPanel", "From paragraph “{excerpt}”: show it in the Document").format(
                excerpt=excerpt(paragraph, EXCERPT_CHARS)
            )
        )
        action.setObjectName("layerParagraphAction")
        action.triggered.connect(lambda: self.paragraph_requested.emit(paragraph))
        return menu

    def _context_menu(self, pos: QPoint) -> None:
        it = self.layer_list.itemAt(pos)
        layer = None if it is None else self.model.find_layer(str(it.data(Qt.ItemDataRole.UserRole)))
        menu = None if layer is None else self.context_menu_for(layer)
        if menu is not None:
            menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            menu.popup(self.layer_list.viewport().mapToGlobal(pos))

    def _refresh_tooltips(self) -> None:
        self.layer_list.blockSignals(True)  # a tooltip is an item change: not a visibility edit
        for row in range(self.layer_list.count()):
            it = self.layer_list.item(row)
            layer = self.model.find_layer(str(it.data(Qt.ItemDataRole.UserRole)))
            if layer is not None:
                it.setToolTip(self._tooltip(layer))
        self.layer_list.blockSignals(False)

    def _item(self, layer_id: str) -> QListWidgetItem | None:
        for row in range(self.layer_list.count()):
            it = self.layer_list.item(row)
            if it.data(Qt.ItemDataRole.UserRole) == layer_id:
                return it
        return None

    def _show_layer(self, layer_id: str) -> None:
        layer, it = self.model.find_layer(layer_id), self._item(layer_id)
        if layer is None or it is None:
            return
        self.layer_list.blockSignals(True)
        it.setText(self._label(layer))
        it.setToolTip(self._tooltip(layer))
        it.setCheckState(Qt.CheckState.Checked if layer.visible else Qt.CheckState.Unchecked)
        it.setIcon(thumbnail(layer))
        self.layer_list.blockSignals(False)
        if layer_id == self.model.current_id:
            self._sync_opacity()

    def _show_current(self) -> None:
        it = None if self.model.current_id is None else self._item(self.model.current_id)
        self.layer_list.blockSignals(True)
        if it is None:
            self.layer_list.setCurrentRow(-1)
        else:
            self.layer_list.setCurrentItem(it)
        self.layer_list.blockSignals(False)
        self._sync_opacity()

    def _sync_opacity(self) -> None:
        layer = self.model.current_layer()
        self.opacity.blockSignals(True)
        self.opacity.setEnabled(layer is not None)
        self.opacity.setValue(round((layer.opacity if layer else 1.0) * 100))
        self.opacity.blockSignals(False)

    def _on_setting_changed(self, name: str) -> None:
        if name == "show_ai":  # the "✦ AI" suffix follows View > Show AI-generated
            self.refresh()

    # ------------------------------------------------------------ edits from the list and the slider

    def _on_item_changed(self, item: QListWidgetItem) -> None:
        layer = self.model.find_layer(str(item.data(Qt.ItemDataRole.UserRole)))
        if layer is not None:
            self.model.set_visible(layer, item.checkState() == Qt.CheckState.Checked)

    def _on_current_row(self, row: int) -> None:
        it = self.layer_list.item(row)
        if it is not None:
            self.model.set_current(str(it.data(Qt.ItemDataRole.UserRole)))

    def _on_opacity(self, value: int) -> None:
        layer = self.model.current_layer()
        if layer is not None:
            self.model.set_opacity(layer, value / 100)
