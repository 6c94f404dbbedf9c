"""The Canvas pane: a paint program on the session's CanvasModel — the view with its tools, the tool and option
bars, the status line, and a side panel of tabs (Layers, Generate). The pane wires widgets to the model and to the
ImageGeneration state; the layers, the current layer, the selection, the mask and the undo stack live in the model.

Texts are set in `retranslate()`, again on each language switch: the actions (their words are marked in ACTIONS), the
side tabs, the status line (the latest message is kept as its Msg and shown again) and the model's undo-step names;
sizes and the cursor position are written through QLocale.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QLocale, QPointF, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QSplitter, QTabWidget, QWidget

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.image import canvas_ops as ops
from aigc_desktop.core.media import read_image_file
from aigc_desktop.core.project.model import HistoryEntry, Layer
from aigc_desktop.core.specs import JobKind, JobSpec, ModelKind
from aigc_desktop.state.canvas import CanvasModel
from aigc_desktop.state.context import AppContext
from aigc_desktop.state.image_generation import ImageGeneration
from aigc_desktop.state.session import ProjectSession
from aigc_desktop.ui.canvas.dialogs import CanvasSizeDialog, ResizeImageDialog
from aigc_desktop.ui.canvas.generate import ImagePanel
from aigc_desktop.ui.canvas.layers import LayerPanel
from aigc_desktop.ui.canvas.toolbar import ToolBar, ToolOptions
from aigc_desktop.ui.canvas.tools import TOOL_CLASSES, TextTool, Tool, ToolSettings
from aigc_desktop.ui.canvas.view import CanvasScene, CanvasView
from aigc_desktop.ui.dialogs import show_error
from aigc_desktop.ui.i18n import Retranslating, error_text, tr_msg, translate
from aigc_desktop.ui.pane import Pane
from aigc_desktop.workers.jobs import Job

IMAGE_PATTERNS = "*.png *.jpg *.jpeg *.webp *.bmp"
STATUS_MS = 6000


def integer(value: int) -> str:
    """A whole number the interface language's way, without group separators (pixels, not amounts)."""
    locale = QLocale()
    locale.setNumberOptions(QLocale.NumberOption.OmitGroupSeparator)
    return locale.toString(value)


class CanvasPane(Retranslating, Pane):
    pane_id = "canvas"
    title = QT_TRANSLATE_NOOP("CanvasPane", "Canvas")
    model_kinds = (ModelKind.IMAGE,)
    job_kinds = (JobKind.IMAGE,)

    def __init__(
        self,
        ctx: AppContext,
        session: ProjectSession,
        model: CanvasModel,
        generation: ImageGeneration,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, session, parent, undo_stack=model.undo_stack)
        self.model = model
        self.generation = generation
        self.settings = ToolSettings()
        self._status: str = ""  # the latest status message (a Msg is shown again in another language)
        self._action_texts: dict[str, tuple[str, str]] = {}  # key → (text, tip), marked Msgs where they are words

        self.scene = CanvasScene(model, self)
        self.view = CanvasView(self.scene, self)
        self.view.files_dropped.connect(self.import_files)

        self.canvas_actions = self._build_actions()
        self.tools: dict[str, Tool] = {cls.name: cls(self) for cls in TOOL_CLASSES}
        self.tool: Tool = self.tools["brush"]
        self.tool_bar = ToolBar(self, list(self.tools.values()), self)
        self.tool_bar.tool_chosen.connect(self.set_tool)
        self.tool_options = ToolOptions(self, self.settings, self)
        self.tool_options.changed.connect(self._options_changed)
        self.view.zoom_changed.connect(self.tool_bar.set_zoom)
        self.view.cursor_moved.connect(self._show_cursor)

        self.side_tabs = QTabWidget(self)
        self.side_tabs.setObjectName("canvasSideTabs")
        self.layer_panel = LayerPanel(model, ctx.settings, self)
        self.layer_panel.import_requested.connect(self.choose_import)
        self.layer_panel.paragraph_of = generation.paragraph_of
        self.layer_list = self.layer_panel.layer_list  # drag-out starts layer drags from it
        self.opacity = self.layer_panel.opacity
        self.side_tabs.addTab(self.layer_panel, "")
        self.image_panel = ImagePanel(ctx, self.model_selector, model, generation, self)
        self.side_tabs.addTab(self.image_panel, "")
        self.side_tabs.setMinimumWidth(250)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.setObjectName("canvasSplitter")
        split.addWidget(self.view)
        split.addWidget(self.side_tabs)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 0)
        split.setCollapsible(0, False)
        split.setSizes([880, 330])

        self.status_label = QLabel(self)
        self.status_label.setObjectName("canvasStatus")
        self.hint_label = QLabel(self)
        self.hint_label.setObjectName("canvasHint")
        self.hint_label.setStyleSheet("color: palette(mid);")
        self.position_label = QLabel(self)
        self.position_label.setObjectName("canvasPosition")
        # Fixed width, and updated at most every 50 ms: repainting a label costs 1.5-3 ms here, more than a brush
        # dab, so doing it on every mouse move would halve the painting rate.
        self.position_label.setFixedWidth(self.position_label.fontMetrics().horizontalAdvance("00000, 00000"))
        self.position_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.size_label = QLabel(self)
        self.size_label.setObjectName("canvasSize")
        status = QHBoxLayout()
        status.setContentsMargins(2, 0, 2, 0)
        status.addWidget(self.status_label)
        status.addStretch(1)
        status.addWidget(self.hint_label)
        status.addSpacing(16)
        status.addWidget(self.position_label)
        status.addSpacing(16)
        status.addWidget(self.size_label)
        self._cursor_pos = QPointF()
        self._position_timer = QTimer(self)
        self._position_timer.setSingleShot(True)
        self._position_timer.setInterval(50)
        self._position_timer.timeout.connect(self._show_position)
        self._status_timer = QTimer(self)
        self._status_timer.setSingleShot(True)
        self._status_timer.timeout.connect(lambda: self.status_message(""))

        self.body.addWidget(self.tool_bar)
        self.body.addWidget(self.tool_options)
        self.body.addWidget(split, 1)
        self.body.addLayout(status)
        model.notice.connect(self.status_message)
        model.geometry_changed.connect(self._on_geometry_changed)
        self.set_tool("brush")
        self.retranslate()

    def retranslate(self) -> None:
        for key, action in self.canvas_actions.items():
            text, tip = (tr_msg(t) for t in self._action_texts[key])
            if not action.shortcut().isEmpty():
                tip = f"{tip} ({action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})"
            action.setText(text)
            action.setToolTip(tip)
            action.setStatusTip(tip)
        self.side_tabs.setTabText(self.side_tabs.indexOf(self.layer_panel), translate("CanvasPane", "Layers"))
        self.side_tabs.setTabText(self.side_tabs.indexOf(self.image_panel), translate("CanvasPane", "Generate"))
        self.hint_label.setText(tr_msg(self.tool.tip))
        self.status_label.setText(tr_msg(self._status))
        self._show_size()
        self._show_position()
        self.model.retranslate()  # the undo steps' names (Edit ▸ Undo)

    # ------------------------------------------------------------ building

    def _action(
        self,
        key: str,
        text: str,
        tip: str,
        shortcut: str | QKeySequence.StandardKey | None,
        slot: Callable[..., object],
    ) -> QAction:
        """An action of the pane; `text` and `tip` are marked Msgs (or symbols), set in retranslate()."""
        action = QAction(self)
        action.setObjectName(f"canvas_{key}")
        self._action_texts[key] = (text, tip)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)  # only while the canvas pane has focus
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> dict[str, QAction]:
        a = self._action
        actions = {
            "select_all": a(
                "select_all",
                QT_TRANSLATE_NOOP("CanvasPane", "Select all"),
                QT_TRANSLATE_NOOP("CanvasPane", "Select the whole canvas"),
                "Ctrl+A",
                self.model.select_all,
            ),
            "deselect": a(
                "deselect",
                QT_TRANSLATE_NOOP("CanvasPane", "Deselect"),
                QT_TRANSLATE_NOOP("CanvasPane", "Drop the selection"),
                "Ctrl+D",
                self.model.deselect,
            ),
            "invert_selection": a(
                "invert_selection",
                QT_TRANSLATE_NOOP("CanvasPane", "Invert"),
                QT_TRANSLATE_NOOP("CanvasPane", "Select what is not selected"),
                "Ctrl+Shift+I",
                self.model.invert_selection,
            ),
            "crop": a(
                "crop",
                QT_TRANSLATE_NOOP("CanvasPane", "Crop to selection"),
                QT_TRANSLATE_NOOP("CanvasPane", "Cut the canvas to the selection's bounds"),
                None,
                self.model.crop_to_selection,
            ),
            "clear_selection": a(
                "clear_selection",
                QT_TRANSLATE_NOOP("CanvasPane", "Clear"),
                QT_TRANSLATE_NOOP("CanvasPane", "Erase the selected pixels of the current layer"),
                "Del",
                self.model.clear_selection,
            ),
            "resize_image": a(
                "resize_image",
                QT_TRANSLATE_NOOP("CanvasPane", "Resize image…"),
                QT_TRANSLATE_NOOP("CanvasPane", "Scale the whole picture to a new size"),
                "Ctrl+Alt+I",
                self.choose_resize,
            ),
            "canvas_size": a(
                "canvas_size",
                QT_TRANSLATE_NOOP("CanvasPane", "Canvas size…"),
                QT_TRANSLATE_NOOP("CanvasPane", "Add margins around the picture (for outpainting)"),
                "Ctrl+Alt+C",
                self.choose_canvas_size,
            ),
            "clear_mask": a(
                "clear_mask",
                QT_TRANSLATE_NOOP("CanvasPane", "Clear mask"),
                QT_TRANSLATE_NOOP("CanvasPane", "Remove the whole inpaint mask"),
                None,
                self.model.clear_mask,
            ),
            "invert_mask": a(
                "invert_mask",
                QT_TRANSLATE_NOOP("CanvasPane", "Invert mask"),
                QT_TRANSLATE_NOOP("CanvasPane", "Mask what is not masked, and the other way round"),
                None,
                self.model.invert_mask,
            ),
            "zoom_in": a(
                "zoom_in",
                "+",
                QT_TRANSLATE_NOOP("CanvasPane", "Zoom in"),
                QKeySequence.StandardKey.ZoomIn,
                lambda: self.view.set_zoom(self.view.zoom() * 1.25),
            ),
            "zoom_out": a(
                "zoom_out",
                "−",
                QT_TRANSLATE_NOOP("CanvasPane", "Zoom out"),
                QKeySequence.StandardKey.ZoomOut,
                lambda: self.view.set_zoom(self.view.zoom() / 1.25),
            ),
            "fit": a(
                "fit",
                QT_TRANSLATE_NOOP("CanvasPane", "Fit"),
                QT_TRANSLATE_NOOP("CanvasPane", "Zoom to fit the canvas"),
                "Ctrl+0",
                self.fit_view,
            ),
            "actual_size": a(
                "actual_size",
                "1:1",
                QT_TRANSLATE_NOOP("CanvasPane", "Show the picture at its real size"),
                "Ctrl+1",
                lambda: self.view.set_zoom(1.0),
            ),
            "size_down": a(
                "size_down",
                QT_TRANSLATE_NOOP("CanvasPane", "Smaller brush"),
                QT_TRANSLATE_NOOP("CanvasPane", "Smaller brush"),
                "[",
                lambda: self._step_size(1 / 1.25),
            ),
            "size_up": a(
                "size_up",
                QT_TRANSLATE_NOOP("CanvasPane", "Bigger brush"),
                QT_TRANSLATE_NOOP("CanvasPane", "Bigger brush"),
                "]",
                lambda: self._step_size(1.25),
            ),
        }
        for cls in TOOL_CLASSES:
            actions[f"tool_{cls.name}"] = a(
                f"tool_{cls.name}", cls.label, cls.tip, cls.shortcut, lambda _c=False, n=cls.name: self.set_tool(n)
            )
        return actions

    # ------------------------------------------------------------ project

    def refresh_models(self) -> None:
        super().refresh_models()
        self.image_panel.sync_controls()

    def bind(self) -> None:
        """The model has shown the new project already (it rebinds first): drop half-typed text, fit the view."""
        if isinstance(self.tool, TextTool):
            self.tool.cancel()  # what was being typed belongs to the project being replaced
        super().bind()
        self.fit_view()

    def show_output(self, ref: str, spec_id: str) -> None:
        self.model.set_current(ref)

    def load_spec(self, spec: JobSpec) -> None:
        self.image_panel.load_spec(spec)
        self.side_tabs.setCurrentWidget(self.image_panel)

    def regenerate(self, entry: HistoryEntry) -> Job | None:
        try:
            return self.generation.regenerate(entry)
        except UserError as exc:
            show_error(self, translate("CanvasPane", "Cannot regenerate"), error_text(exc))
            return None

    def flush(self) -> None:
        if isinstance(self.tool, TextTool):
            self.tool.commit()  # text still being typed goes into the layer before a save

    def fit_view(self) -> None:
        self.view.fit(self.scene.board)

    def _on_geometry_changed(self) -> None:
        if isinstance(self.tool, TextTool):
            self.tool.cancel()  # the text's place belonged to the old geometry
        self._show_size()
        if self.view.fit_target is not None:
            self.fit_view()

    def _show_size(self) -> None:
        w, h = self.model.canvas_size()
        self.size_label.setText(f"{integer(w)} × {integer(h)} px")

    def status_message(self, text: str) -> None:
        """A short message under the canvas (why a click did nothing, what just happened): a marked Msg is shown in
        the interface language, now and after a switch; "" clears it."""
        self._status = text
        self.status_label.setText(tr_msg(text))
        if text:
            self._status_timer.start(STATUS_MS)

    # ------------------------------------------------------------ tools

    def set_tool(self, name: str) -> None:
        if self.tool.name != name:
            self.tool.deactivate()
        self.tool = self.tools[name]
        self.view.tool = self.tool
        self.tool_bar.set_tool(name)
        self.tool_options.show_for(self.tool)
        self.hint_label.setText(tr_msg(self.tool.tip))
        self.view.update_cursor()
        self.tool.activate()

    def set_colour(self, rgba: tuple[int, int, int, int]) -> None:
        self.settings.colour = rgba
        self.tool_options.colour_button.set_colour(rgba)
        if isinstance(self.tool, TextTool):
            self.tool.restyle()

    def _options_changed(self) -> None:
        if isinstance(self.tool, TextTool):
            self.tool.restyle()

    def _step_size(self, factor: float) -> None:
        if self.tool.name in self.settings.sizes:
            size = self.settings.sizes[self.tool.name]
            new = max(1, min(ops.MAX_BRUSH, round(size * factor) if factor > 1 else int(size * factor)))
            self.settings.sizes[self.tool.name] = new if new != size else max(1, size + (1 if factor > 1 else -1))
            self.tool_options.show_for(self.tool)

    def _show_cursor(self, pos: QPointF) -> None:
        self._cursor_pos = pos
        if not self._position_timer.isActive():
            self._position_timer.start()

    def _show_position(self) -> None:
        pos = self._cursor_pos
        self.position_label.setText(f"{integer(math.floor(pos.x()))}, {integer(math.floor(pos.y()))}")

    # ------------------------------------------------------------ dialogs and files

    def choose_resize(self) -> None:
        dialog = ResizeImageDialog(*self.model.canvas_size(), parent=self)
        if dialog.exec():
            self.guarded(lambda: self.model.resize_canvas(*dialog.size()))

    def choose_canvas_size(self) -> None:
        dialog = CanvasSizeDialog(*self.model.canvas_size(), parent=self)
        if dialog.exec():
            self.guarded(lambda: self.model.extend_canvas(*dialog.margins()))

    def choose_import(self) -> None:
        title = translate("CanvasPane", "Import images as layers")
        images = translate("CanvasPane", "Images ({patterns})").format(patterns=IMAGE_PATTERNS)
        files, _ = QFileDialog.getOpenFileNames(self, title, "", images)
        self.import_files([Path(f) for f in files])

    def import_files(self, paths: list[Path]) -> None:
        self.import_each(paths, lambda path: self.model.add_layer(Layer(path.stem, read_image_file(path))))
