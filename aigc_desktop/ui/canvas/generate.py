"""The Canvas pane's Generate tab: the controls of an image generation (mode, prompt, size, steps, strength, the
outpaint border, the reference, seed) turned into an ImageRequest for the ImageGeneration state, which builds the
spec from the canvas, runs it and puts the results back as layers; the tab shows its progress and status from the
state's signals. Modes the selected model cannot run are disabled, saying why.

Texts are set in `retranslate()`, again on each language switch; the status line keeps the latest message (a marked
Msg from the state) and shows it again in the new language. Sampler names are the library's and stay as they are.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.image import regions
from aigc_desktop.core.image.job import (
    MAX_BATCH,
    MAX_SIDE,
    MAX_STEPS,
    MEMORY_MODES,
    MIN_SIDE,
    SCHEDULERS,
    SIZE_MULTIPLE,
    ImageMode,
    ImageParams,
)
from aigc_desktop.core.models.entry import ModelEntry
from aigc_desktop.core.models.image_models import supported_modes
from aigc_desktop.core.servers.comfyui_graphs import modes_of_model
from aigc_desktop.core.specs import JobSpec, parse_seed
from aigc_desktop.state.canvas import CanvasModel
from aigc_desktop.state.context import AppContext
from aigc_desktop.state.image_generation import MODE_LABELS, NO_MODEL, ImageGeneration, ImageRequest
from aigc_desktop.ui.dialogs import show_error
from aigc_desktop.ui.i18n import Retranslating, error_text, tr_msg, translate
from aigc_desktop.ui.model_selector import ModelSelector
from aigc_desktop.ui.status_label import ElidedStatusLabel
from aigc_desktop.workers.jobs import Job

# Which modes the small models trained in the app can run: sampling (GAN), also encoding (VAE). Diffusion models say
# for themselves (image_models.supported_modes: an x4 upscaler only upscales).
BACKEND_MODES: dict[str, frozenset[ImageMode]] = {
    "aigc-gan": frozenset({ImageMode.TXT2IMG}),
    "aigc-vae": frozenset({ImageMode.TXT2IMG, ImageMode.IMG2IMG, ImageMode.INTERPOLATE}),
}
NO_MODEL_MODES = frozenset({ImageMode.UPSCALE})  # Lanczos needs no model (and is not AI: it adds a plain layer)
PROMPTLESS_BACKENDS = frozenset({"aigc-gan", "aigc-vae"})
SERVER_BACKEND = "comfyui"  # a ComfyUI server's checkpoint: its modes come from the server's test
NO_MODEL_STATUS = QT_TRANSLATE_NOOP(
    "ImagePanel",
    "No image model installed: upscaling uses Lanczos. Install a diffusion model with Models… or train one on your own "
    "pictures.",
)
SIDES = ("Left", "Top", "Right", "Bottom")  # the outpaint sides, in ImageRequest.extend's order (keys, not shown)


def _spin(lo: int, hi: int, value: int, step: int = 1) -> QSpinBox:
    box = QSpinBox()
    box.setRange(lo, hi)
    box.setSingleStep(step)
    box.setValue(value)
    return box


def _dspin(lo: float, hi: float, value: float, step: float) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(lo, hi)
    box.setSingleStep(step)
    box.setDecimals(2)
    box.setValue(value)
    return box


class ImagePanel(Retranslating, QWidget):
    def __init__(
        self,
        ctx: AppContext,
        model_selector: ModelSelector,
        canvas: CanvasModel,
        generation: ImageGeneration,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model_selector = model_selector
        self.canvas = canvas
        self.generation = generation
        self.setObjectName("imagePanel")
        self._style_file: str | None = None
        self._status: str = ""  # the latest status line: a Msg is shown again in another language

        self.mode = QComboBox()
        self.mode.setObjectName("imageMode")
        for mode in MODE_LABELS:
            self.mode.addItem("", mode.value)
        self.mode.currentIndexChanged.connect(self.sync_controls)
        self.mode.activated.connect(self._remember_mode)
        self._wanted_mode = ImageMode.TXT2IMG  # what the user last picked; restored when a model can do it again
        self.prompt = QPlainTextEdit()
        self.prompt.setObjectName("imagePrompt")
        self.prompt.setFixedHeight(70)
        self.negative = QPlainTextEdit()
        self.negative.setObjectName("imageNegative")
        self.negative.setFixedHeight(44)

        self.steps = _spin(1, MAX_STEPS, 20)
        self.guidance = _dspin(0.0, 30.0, 7.0, 0.5)
        self.width_ = _spin(MIN_SIDE, MAX_SIDE, 512, SIZE_MULTIPLE)
        self.height_ = _spin(MIN_SIDE, MAX_SIDE, 512, SIZE_MULTIPLE)
        self.canvas_size_button = QPushButton()
        self.canvas_size_button.clicked.connect(self.use_canvas_size)
        self.batch = _spin(1, MAX_BATCH, 1)
        self.scheduler = QComboBox()
        for key in SCHEDULERS:
            self.scheduler.addItem("", key)
        self.strength = _dspin(0.05, 1.0, 0.6, 0.05)
        self.upscale_factor = QComboBox()
        self.upscale_factor.addItem("2×", 2)
        self.upscale_factor.addItem("4×", 4)
        self.extend_px = _spin(0, 1024, 128, SIZE_MULTIPLE)
        self.extend_px.setSuffix(" px")
        self.extend_sides = {name: QCheckBox() for name in SIDES}
        self.extend_sides["Right"].setChecked(True)
        self.reference = QComboBox()
        self.reference_file = QPushButton()
        self.reference_file.clicked.connect(self.choose_reference_file)
        self.seed = QLineEdit()
        self.seed.setObjectName("imageSeed")
        self.memory = QComboBox()
        self.memory.setObjectName("imageMemory")
        for key in MEMORY_MODES:
            self.memory.addItem("", key)
        self.previews = QCheckBox()
        self.previews.setChecked(True)

        for combo in (self.mode, self.scheduler, self.upscale_factor, self.reference, self.memory):
            # Sized by their longest item the combos would widen the panel past its tab; they elide instead.
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(8)
        form = self._form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._rows: dict[str, QWidget] = {}
        self._row_labels: dict[str, QLabel] = {}
        self._add_row(form, "mode", self.mode)
        self._add_row(form, "prompt", self.prompt)
        self._add_row(form, "negative", self.negative)
        size_row = QHBoxLayout()
        size_row.addWidget(self.width_)
        size_row.addWidget(QLabel("×"))
        size_row.addWidget(self.height_)
        size_row.addWidget(self.canvas_size_button)
        self._add_row(form, "size", size_row)
        self._add_row(form, "steps", self.steps)
        self._add_row(form, "guidance", self.guidance)
        self._add_row(form, "scheduler", self.scheduler)
        self._add_row(form, "strength", self.strength)
        self._add_row(form, "factor", self.upscale_factor)
        sides = QGridLayout()  # the margin, then which sides in two columns: a row of four would not fit the tab
        sides.setContentsMargins(0, 0, 0, 0)
        sides.addWidget(self.extend_px, 0, 0, 2, 1)
        for i, name in enumerate(("Left", "Right", "Top", "Bottom")):
            sides.addWidget(self.extend_sides[name], i // 2, 1 + i % 2)
        extend = QWidget()
        extend.setLayout(sides)
        self._add_row(form, "extend", extend)
        ref_row = QHBoxLayout()
        ref_row.addWidget(self.reference, 1)
        ref_row.addWidget(self.reference_file)
        self._add_row(form, "reference", ref_row)
        self._add_row(form, "batch", self.batch)
        self._add_row(form, "seed", self.seed)
        self._add_row(form, "memory", self.memory)
        form.addRow("", self.previews)

        self.generate_button = QPushButton()
        self.generate_button.setObjectName("imageGenerateButton")
        self.generate_button.setDefault(True)
        self.generate_button.clicked.connect(self.generate)
        self.stop_button = QPushButton()
        self.stop_button.setObjectName("imageStopButton")
        self.stop_button.clicked.connect(generation.stop)
        self.keep_preview_button = QPushButton()
        self.keep_preview_button.clicked.connect(generation.keep_preview)
        self.keep_preview_button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.progress.setTextVisible(True)
        self.status = ElidedStatusLabel(lines=2)  # a long (or Chinese) line is cut, whole in its tooltip
        self.status.setObjectName("imageStatus")

        buttons = QHBoxLayout()
        buttons.addWidget(self.generate_button, 1)
        buttons.addWidget(self.stop_button)
        inner = QWidget()
        box = QVBoxLayout(inner)
        box.setContentsMargins(0, 0, 4, 0)
        box.addLayout(form)
        box.addLayout(buttons)
        box.addWidget(self.progress)
        box.addWidget(self.keep_preview_button)
        box.addWidget(self.status)
        box.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        generation.status_changed.connect(self.show_status)
        generation.progress_changed.connect(self.progress.setValue)
        generation.keep_preview_changed.connect(self.keep_preview_button.setEnabled)
        canvas.layers_changed.connect(self._fill_reference)
        model_selector.currentIndexChanged.connect(self.sync_controls)
        self.retranslate()

    def retranslate(self) -> None:
        row_labels = {
            "mode": translate("ImagePanel", "Mode"),
            "prompt": translate("ImagePanel", "Prompt"),
            "negative": translate("ImagePanel", "Negative"),
            "size": translate("ImagePanel", "Size (px)"),
            "steps": translate("ImagePanel", "Steps"),
            "guidance": translate("ImagePanel", "Guidance"),
            "scheduler": translate("ImagePanel", "Sampler"),
            "strength": translate("ImagePanel", "Strength"),
            "factor": translate("ImagePanel", "Factor"),
            "extend": translate("ImagePanel", "Extend"),
            "reference": translate("ImagePanel", "Reference"),
            "batch": translate("ImagePanel", "Images"),
            "seed": translate("ImagePanel", "Seed"),
            "memory": translate("ImagePanel", "GPU"),
        }
        for key, text in row_labels.items():
            self._row_labels[key].setText(text)
        for i in range(self.mode.count()):
            self.mode.setItemText(i, tr_msg(MODE_LABELS[ImageMode(str(self.mode.itemData(i)))]))
        for i in range(self.scheduler.count()):
            self.scheduler.setItemText(i, tr_msg(SCHEDULERS[str(self.scheduler.itemData(i))]))
        for i in range(self.memory.count()):
            self.memory.setItemText(i, tr_msg(MEMORY_MODES[str(self.memory.itemData(i))]))
        self.prompt.setPlaceholderText(
            translate("ImagePanel", "What the picture shows, e.g. “a lighthouse at dusk, oil painting”")
        )
        self.negative.setPlaceholderText(translate("ImagePanel", "What to avoid, e.g. “blurry, text, watermark”"))
        self.canvas_size_button.setText(translate("ImagePanel", "Canvas"))
        self.canvas_size_button.setToolTip(translate("ImagePanel", "Use the canvas size (rounded to a multiple of 8)"))
        self.strength.setToolTip(
            translate("ImagePanel", "How much of the source is repainted: low keeps it, 1 repaints everything")
        )
        sides = {
            "Left": translate("ImagePanel", "Left"),
            "Top": translate("ImagePanel", "Top"),
            "Right": translate("ImagePanel", "Right"),
            "Bottom": translate("ImagePanel", "Bottom"),
        }
        for key, box in self.extend_sides.items():
            box.setText(sides[key])
        self.reference.setToolTip(translate("ImagePanel", "The style reference (style) or the end image (interpolate)"))
        self.reference_file.setText(translate("ImagePanel", "File…"))
        self.reference_file.setToolTip(translate("ImagePanel", "Pick an image file as the style reference"))
        self.seed.setPlaceholderText(translate("ImagePanel", "random"))
        self.memory.setToolTip(translate("ImagePanel", "Memory savers for small GPUs (CPUs ignore this)"))
        self.previews.setText(translate("ImagePanel", "Show a preview every step"))
        self.generate_button.setText(translate("ImagePanel", "Generate"))
        self.stop_button.setText(translate("ImagePanel", "Stop"))
        self.stop_button.setToolTip(
            translate("ImagePanel", "Stop at the next step; the last preview stays on the canvas")
        )
        self.keep_preview_button.setText(translate("ImagePanel", "Keep preview as layer"))
        self.keep_preview_button.setToolTip(translate("ImagePanel", "Make the preview of a stopped generation a layer"))
        self.status.setText(tr_msg(self._status))
        self.sync_controls()  # the modes' tooltips, the batch tooltip and the reference rows

    def show_status(self, text: str) -> None:
        """The latest line about a generation (a marked Msg is shown in the interface language, now and later)."""
        self._status = text
        self.status.setText(tr_msg(text))

    def _add_row(self, form: QFormLayout, key: str, field_: QWidget | QHBoxLayout) -> None:
        """A form row whose label retranslate() names, found again by `key`."""
        if isinstance(field_, QHBoxLayout):
            holder = QWidget()
            field_.setContentsMargins(0, 0, 0, 0)
            holder.setLayout(field_)
            field_ = holder
        label = QLabel()
        label.setBuddy(field_)
        form.addRow(label, field_)
        self._rows[key], self._row_labels[key] = field_, label

    # -- state of the controls

    def current_mode(self) -> ImageMode:
        return ImageMode(str(self.mode.currentData()))

    def set_mode(self, mode: ImageMode) -> None:
        self._wanted_mode = mode
        self.mode.setCurrentIndex(self.mode.findData(mode.value))

    def _remember_mode(self, _index: int) -> None:
        self._wanted_mode = self.current_mode()

    def _entry(self) -> ModelEntry | None:
        model_id = self.model_selector.current_model_id()
        if model_id is None:
            return None
        try:
            return self.ctx.registry.get(model_id)
        except UserError:
            return None

    def _backend(self) -> str | None:
        entry = self._entry()
        return None if entry is None else entry.backend

    def available_modes(self) -> frozenset[ImageMode]:
        entry = self._entry()
        if entry is None:
            return NO_MODEL_MODES
        if entry.backend.startswith("diffusers"):
            return supported_modes(entry)
        if entry.backend == SERVER_BACKEND:  # what the server's nodes and models allow (its last test)
            return modes_of_model(self.ctx.paths, entry.id)
        return BACKEND_MODES.get(entry.backend, frozenset())

    def sync_controls(self, *_: object) -> None:
        """Show only the controls the mode uses; disable modes the selected model cannot run (and say why)."""
        backend = self._backend()
        available = self.available_modes()
        model = self.model_selector.currentText()
        for i in range(self.mode.count()):
            mode = ImageMode(str(self.mode.itemData(i)))
            item = self.mode.model().item(i)  # type: ignore[attr-defined]
            item.setEnabled(mode in available)
            item.setToolTip(
                "" if mode in available else translate("ImagePanel", "{model} cannot do this").format(model=model)
            )
        mode = self.current_mode()
        if self._wanted_mode in available:
            target: ImageMode | None = self._wanted_mode
        elif mode in available:
            target = mode
        else:
            target = min(available, key=list(ImageMode).index) if available else None
        if target is not None and target is not mode:
            self.mode.setCurrentIndex(self.mode.findData(target.value))
            return  # setCurrentIndex called us again
        local = backend is not None and backend.startswith("diffusers")
        diffusion = local or backend == SERVER_BACKEND
        shown = {
            "size": mode is ImageMode.TXT2IMG and backend not in PROMPTLESS_BACKENDS,
            "steps": diffusion and mode is not ImageMode.UPSCALE,
            "guidance": diffusion and mode is not ImageMode.UPSCALE,
            "scheduler": diffusion and mode is not ImageMode.UPSCALE,
            "strength": mode in (ImageMode.IMG2IMG, ImageMode.INPAINT, ImageMode.STYLE),
            "factor": mode is ImageMode.UPSCALE,
            "extend": mode is ImageMode.OUTPAINT,
            "reference": mode in (ImageMode.STYLE, ImageMode.INTERPOLATE),
            "batch": mode is not ImageMode.UPSCALE,
            "memory": local,  # a server's GPU is the server's affair
        }
        for key, visible in shown.items():
            self._form.setRowVisible(self._rows[key], visible)
        self.reference_file.setVisible(mode is ImageMode.STYLE)
        prompt_used = backend not in PROMPTLESS_BACKENDS and mode is not ImageMode.UPSCALE
        self.prompt.setEnabled(prompt_used)
        self.negative.setEnabled(prompt_used)
        if mode is ImageMode.INTERPOLATE:
            self.batch.setToolTip(translate("ImagePanel", "Frames between the two layers"))
        else:
            self.batch.setToolTip(translate("ImagePanel", "Images to make"))
        self._fill_reference()
        if backend is None:
            self.show_status(NO_MODEL_STATUS)
        self.generate_button.setEnabled(mode in available)

    def _fill_reference(self) -> None:
        current = self.reference.currentData()
        self.reference.blockSignals(True)
        self.reference.clear()
        if self._style_file:
            name = self._style_file.rsplit("/", 1)[-1]
            self.reference.addItem(
                translate("ImagePanel", "File: {name}").format(name=name), f"file:{self._style_file}"
            )
        for layer in reversed(self.canvas.layers):
            self.reference.addItem(
                translate("ImagePanel", "Layer: {name}").format(name=layer.name), f"layer:{layer.id}"
            )
        index = self.reference.findData(current)
        self.reference.setCurrentIndex(max(index, 0))
        self.reference.blockSignals(False)

    def showEvent(self, event: QShowEvent) -> None:  # layers may have changed while another tab was shown
        self.sync_controls()
        super().showEvent(event)

    def use_canvas_size(self) -> None:
        w, h = regions.generation_size(*self.canvas.canvas_size())
        self.width_.setValue(w)
        self.height_.setValue(h)

    def choose_reference_file(self) -> None:
        title = translate("ImagePanel", "Style reference")
        images = translate("ImagePanel", "Images ({patterns})").format(patterns="*.png *.jpg *.jpeg *.webp *.bmp")
        path, _ = QFileDialog.getOpenFileName(self, title, "", images)
        if path:
            self._style_file = path
            self._fill_reference()
            self.reference.setCurrentIndex(0)

    def params(self) -> ImageParams:
        return ImageParams(
            mode=self.current_mode().value,
            steps=self.steps.value(),
            guidance=self.guidance.value(),
            width=self.width_.value(),
            height=self.height_.value(),
            batch=self.batch.value(),
            scheduler=str(self.scheduler.currentData()),
            strength=self.strength.value(),
            upscale_factor=int(self.upscale_factor.currentData()),
            previews=self.previews.isChecked(),
            memory=str(self.memory.currentData()),
        )

    def load_spec(self, spec: JobSpec) -> None:
        """ "Use its settings": put a recorded image job's prompt and parameters back into the controls."""
        p = ImageParams.from_spec(spec)
        self.set_mode(p.image_mode)
        self.prompt.setPlainText(str(spec.inputs.get("prompt") or ""))
        self.negative.setPlainText(str(spec.inputs.get("negative_prompt") or ""))
        self.steps.setValue(p.steps)
        self.guidance.setValue(p.guidance)
        self.width_.setValue(p.width)
        self.height_.setValue(p.height)
        self.batch.setValue(p.batch)
        self.scheduler.setCurrentIndex(max(self.scheduler.findData(p.scheduler), 0))
        self.strength.setValue(p.strength)
        self.upscale_factor.setCurrentIndex(max(self.upscale_factor.findData(p.upscale_factor), 0))
        self.previews.setChecked(p.previews)
        self.memory.setCurrentIndex(max(self.memory.findData(p.memory), 0))
        self.seed.setText("" if spec.seed is None else str(spec.seed))

    # -- running

    def request(self) -> ImageRequest:
        """What the controls ask for. Raises UserError for what no canvas can fix (a bad seed, no model, a mode the
        model cannot run)."""
        mode = self.current_mode()
        params = self.params()
        model_id = self.model_selector.current_model_id()
        seed = parse_seed(self.seed.text())
        if model_id is None:
            if mode is not ImageMode.UPSCALE:
                raise UserError(NO_MODEL)
        elif mode not in self.available_modes():
            raise UserError(
                QT_TRANSLATE_NOOP("ImagePanel", "{model} cannot do “{mode}”.").format(
                    model=self.model_selector.currentText(), mode=MODE_LABELS[mode]
                )
            )
        elif self._backend() in PROMPTLESS_BACKENDS:  # one forward pass, no sampler: the spec (and PNG) say so
            params = replace(params, steps=1, guidance=0.0, scheduler="default")
        px = self.extend_px.value()
        sides = {name: px if box.isChecked() else 0 for name, box in self.extend_sides.items()}  # keys: SIDES
        return ImageRequest(
            mode=mode,
            model_id=model_id,
            params=params,
            prompt=self.prompt.toPlainText().strip() if self.prompt.isEnabled() else "",
            negative_prompt=self.negative.toPlainText().strip() if self.negative.isEnabled() else "",
            seed=seed,
            reference=str(self.reference.currentData() or ""),
            extend=(sides["Left"], sides["Top"], sides["Right"], sides["Bottom"]),
        )

    def generate(self) -> Job | None:
        """Generate from the controls and the canvas; problems are shown, not raised."""
        try:
            return self.generation.generate(self.request(), MODE_LABELS[self.current_mode()])
        except UserError as exc:
            show_error(self, translate("ImagePanel", "Cannot generate"), error_text(exc))
            return None
