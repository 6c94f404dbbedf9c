"""The Canvas pane: a paint program on the session's CanvasModel — the view with its tools, the tool and option
bars, the status line, and a side panel of tabs (Layers, Generate). The pane wires widgets to the model and to the
ImageGeneration state; the layers, the current layer, the selection, the mask and the undo stack live in the model."""

from __future__ import annotations

import math
from pathlib import Path

from PySide6.QtCore import QPointF, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QSplitter, QTabWidget, QWidget

from aigc_desktop.core.errors import UserError
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
from aigc_desktop.ui.pane import Pane
from aigc_desktop.workers.jobs import Job

IMAGE_FILTER = "Images (*.png *.jpg *.jpeg *.webp *.bmp)"
STATUS_MS = 6000


class CanvasPane(Pane):
    pane_id = "canvas"
    title = "Canvas"
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
        self.layer_list = self.layer_panel.layer_list  # drag-out starts layer drags from it
        self.opacity = self.layer_panel.opacity
        self.side_tabs.addTab(self.layer_panel, "Layers")
        self.image_panel = ImagePanel(ctx, self.model_selector, model, generation, self)
        self.side_tabs.addTab(self.image_panel, "Generate")
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
        self._status_timer.timeout.connect(self.status_label.clear)

        self.body.addWidget(self.tool_bar)
        self.body.addWidget(self.tool_options)
        self.body.addWidget(split, 1)
        self.body.addLayout(status)
        model.notice.connect(self.status_message)
        model.geometry_changed.connect(self._on_geometry_changed)
        self.set_tool("brush")
        self._show_size()

    # ------------------------------------------------------------ building

    def _action(
        self, key: str, text: str, tip: str, shortcut: str | QKeySequence.StandardKey | None, slot: object
    ) -> QAction:
        action = QAction(text, self)
        action.setObjectName(f"canvas_{key}")
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            tip = f"{tip} ({action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})"
        action.setToolTip(tip)
        action.setStatusTip(tip)
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)  # only while the canvas pane has focus
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> dict[str, QAction]:
        a = self._action
        actions = {
            "select_all": a("select_all", "Select all", "Select the whole canvas", "Ctrl+A", self.model.select_all),
            "deselect": a("deselect", "Deselect", "Drop the selection", "Ctrl+D", self.model.deselect),
            "invert_selection": a(
                "invert_selection", "Invert", "Select what is not selected", "Ctrl+Shift+I", self.model.invert_selection
            ),
            "crop": a(
                "crop",
                "Crop to selection",
                "Cut the canvas to the selection's bounds",
                None,
                self.model.crop_to_selection,
            ),
            "clear_selection": a(
                "clear_selection",
                "Clear",
                "Erase the selected pixels of the current layer",
                "Del",
                self.model.clear_selection,
            ),
            "resize_image": a(
                "resize_image",
                "Resize image…",
                "Scale the whole picture to a new size",
                "Ctrl+Alt+I",
                self.choose_resize,
            ),
            "canvas_size": a(
                "canvas_size",
                "Canvas size…",
                "Add margins around the picture (for outpainting)",
                "Ctrl+Alt+C",
                self.choose_canvas_size,
            ),
            "clear_mask": a("clear_mask", "Clear mask", "Remove the whole inpaint mask", None, self.model.clear_mask),
            "invert_mask": a(
                "invert_mask",
                "Invert mask",
                "Mask what is not masked, and the other way round",
                None,
                self.model.invert_mask,
            ),
            "zoom_in": a(
                "zoom_in",
                "+",
                "Zoom in",
                QKeySequence.StandardKey.ZoomIn,
                lambda: self.view.set_zoom(self.view.zoom() * 1.25),
            ),
            "zoom_out": a(
                "zoom_out",
                "−",
                "Zoom out",
                QKeySequence.StandardKey.ZoomOut,
                lambda: self.view.set_zoom(self.view.zoom() / 1.25),
            ),
            "fit": a("fit", "Fit", "Zoom to fit the canvas", "Ctrl+0", self.fit_view),
            "actual_size": a(
                "actual_size", "1:1", "Show the picture at its real size", "Ctrl+1", lambda: self.view.set_zoom(1.0)
            ),
            "size_down": a("size_down", "Smaller brush", "Smaller brush", "[", lambda: self._step_size(1 / 1.25)),
            "size_up": a("size_up", "Bigger brush", "Bigger brush", "]", lambda: self._step_size(1.25)),
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
            show_error(self, "Cannot regenerate", str(exc))
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
        self.size_label.setText(f"{w} × {h} px")

    def status_message(self, text: str) -> None:
        """A short message under the canvas (why a click did nothing, what just happened)."""
        self.status_label.setText(text)
        self._status_timer.start(STATUS_MS)

    # ------------------------------------------------------------ tools

    def set_tool(self, name: str) -> None:
        if self.tool.name != name:
            self.tool.deactivate()
        self.tool = self.tools[name]
        self.view.tool = self.tool
        self.tool_bar.set_tool(name)
        self.tool_options.show_for(self.tool)
        self.hint_label.setText(self.tool.tip)
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
        self.position_label.setText(f"{math.floor(pos.x())}, {math.floor(pos.y())}")

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
        files, _ = QFileDialog.getOpenFileNames(self, "Import images as layers", "", IMAGE_FILTER)
        self.import_files([Path(f) for f in files])

    def import_files(self, paths: list[Path]) -> None:
        self.import_each(paths, lambda path: self.model.add_layer(Layer(path.stem, read_image_file(path))))
