"""The Canvas pane's Generate tab: the controls of an image generation (mode, prompt, size, steps, strength, the
outpaint border, the reference, seed) turned into an ImageRequest for the ImageGeneration state, which builds the
spec from the canvas, runs it and puts the results back as layers; the tab shows its progress and status from the
state's signals. Modes the selected model cannot run are disabled, saying why.
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
from aigc_desktop.core.specs import JobSpec, parse_seed
from aigc_desktop.state.canvas import CanvasModel
from aigc_desktop.state.context import AppContext
from aigc_desktop.state.image_generation import MODE_LABELS, ImageGeneration, ImageRequest
from aigc_desktop.ui.dialogs import show_error
from aigc_desktop.ui.model_selector import ModelSelector
from aigc_desktop.workers.jobs import Job

# Which modes the small models trained in the app can run: sampling (GAN), also encoding (VAE). Diffusion models say
# for themselves (image_models.supported_modes: an x4 upscaler only upscales).
BACKEND_MODES: dict[str, frozenset[ImageMode]] = {
    "aigc-gan": frozenset({ImageMode.TXT2IMG}),
    "aigc-vae": frozenset({ImageMode.TXT2IMG, ImageMode.IMG2IMG, ImageMode.INTERPOLATE}),
}
NO_MODEL_MODES = frozenset({ImageMode.UPSCALE})  # Lanczos needs no model (and is not AI: it adds a plain layer)
PROMPTLESS_BACKENDS = frozenset({"aigc-gan", "aigc-vae"})


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


class ImagePanel(QWidget):
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

        self.mode = QComboBox()
        self.mode.setObjectName("imageMode")
        for mode, label in MODE_LABELS.items():
            self.mode.addItem(label, mode.value)
        self.mode.currentIndexChanged.connect(self.sync_controls)
        self.mode.activated.connect(self._remember_mode)
        self._wanted_mode = ImageMode.TXT2IMG  # what the user last picked; restored when a model can do it again
        self.prompt = QPlainTextEdit()
        self.prompt.setObjectName("imagePrompt")
        self.prompt.setPlaceholderText("What the picture shows, e.g. “a lighthouse at dusk, oil painting”")
        self.prompt.setFixedHeight(70)
        self.negative = QPlainTextEdit()
        self.negative.setObjectName("imageNegative")
        self.negative.setPlaceholderText("What to avoid, e.g. “blurry, text, watermark”")
        self.negative.setFixedHeight(44)

        self.steps = _spin(1, MAX_STEPS, 20)
        self.guidance = _dspin(0.0, 30.0, 7.0, 0.5)
        self.width_ = _spin(MIN_SIDE, MAX_SIDE, 512, SIZE_MULTIPLE)
        self.height_ = _spin(MIN_SIDE, MAX_SIDE, 512, SIZE_MULTIPLE)
        self.canvas_size_button = QPushButton("Canvas")
        self.canvas_size_button.setToolTip("Use the canvas size (rounded to a multiple of 8)")
        self.canvas_size_button.clicked.connect(self.use_canvas_size)
        self.batch = _spin(1, MAX_BATCH, 1)
        self.scheduler = QComboBox()
        for key, label in SCHEDULERS.items():
            self.scheduler.addItem(label, key)
        self.strength = _dspin(0.05, 1.0, 0.6, 0.05)
        self.strength.setToolTip("How much of the source is repainted: low keeps it, 1 repaints everything")
        self.upscale_factor = QComboBox()
        self.upscale_factor.addItem("2×", 2)
        self.upscale_factor.addItem("4×", 4)
        self.extend_px = _spin(0, 1024, 128, SIZE_MULTIPLE)
        self.extend_px.setSuffix(" px")
        self.extend_sides = {name: QCheckBox(name) for name in ("Left", "Top", "Right", "Bottom")}
        self.extend_sides["Right"].setChecked(True)
        self.reference = QComboBox()
        self.reference.setToolTip("The style reference (style) or the end image (interpolate)")
        self.reference_file = QPushButton("File…")
        self.reference_file.setToolTip("Pick an image file as the style reference")
        self.reference_file.clicked.connect(self.choose_reference_file)
        self.seed = QLineEdit()
        self.seed.setObjectName("imageSeed")
        self.seed.setPlaceholderText("random")
        self.memory = QComboBox()
        self.memory.setObjectName("imageMemory")
        for key, label in MEMORY_MODES.items():
            self.memory.addItem(label, key)
        self.memory.setToolTip("Memory savers for small GPUs (CPUs ignore this)")
        self.previews = QCheckBox("Show a preview every step")
        self.previews.setChecked(True)

        for combo in (self.mode, self.scheduler, self.upscale_factor, self.reference, self.memory):
            # Sized by their longest item the combos would widen the panel past its tab; they elide instead.
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(8)
        form = self._form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Mode", self.mode)
        form.addRow("Prompt", self.prompt)
        form.addRow("Negative", self.negative)
        size_row = QHBoxLayout()
        size_row.addWidget(self.width_)
        size_row.addWidget(QLabel("×"))
        size_row.addWidget(self.height_)
        size_row.addWidget(self.canvas_size_button)
        self._rows: dict[str, QWidget] = {}
        self._add_row(form, "size", "Size (px)", size_row)
        self._add_row(form, "steps", "Steps", self.steps)
        self._add_row(form, "guidance", "Guidance", self.guidance)
        self._add_row(form, "scheduler", "Sampler", self.scheduler)
        self._add_row(form, "strength", "Strength", self.strength)
        self._add_row(form, "factor", "Factor", self.upscale_factor)
        sides = QGridLayout()  # the margin, then which sides in two columns: a row of four would not fit the tab
        sides.setContentsMargins(0, 0, 0, 0)
        sides.addWidget(self.extend_px, 0, 0, 2, 1)
        for i, name in enumerate(("Left", "Right", "Top", "Bottom")):
            sides.addWidget(self.extend_sides[name], i // 2, 1 + i % 2)
        extend = QWidget()
        extend.setLayout(sides)
        self._add_row(form, "extend", "Extend", extend)
        ref_row = QHBoxLayout()
        ref_row.addWidget(self.reference, 1)
        ref_row.addWidget(self.reference_file)
        self._add_row(form, "reference", "Reference", ref_row)
        self._add_row(form, "batch", "Images", self.batch)
        form.addRow("Seed", self.seed)
        self._add_row(form, "memory", "GPU", self.memory)
        form.addRow("", self.previews)

        self.generate_button = QPushButton("Generate")
        self.generate_button.setObjectName("imageGenerateButton")
        self.generate_button.setDefault(True)
        self.generate_button.clicked.connect(self.generate)
        self.stop_button = QPushButton("Stop")
        self.stop_button.setObjectName("imageStopButton")
        self.stop_button.setToolTip("Stop at the next step; the last preview stays on the canvas")
        self.stop_button.clicked.connect(generation.stop)
        self.keep_preview_button = QPushButton("Keep preview as layer")
        self.keep_preview_button.setToolTip("Make the preview of a stopped generation a layer")
        self.keep_preview_button.clicked.connect(generation.keep_preview)
        self.keep_preview_button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.progress.setTextVisible(True)
        self.status = QLabel("")
        self.status.setObjectName("imageStatus")
        self.status.setWordWrap(True)

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

        generation.status_changed.connect(self.status.setText)
        generation.progress_changed.connect(self.progress.setValue)
        generation.keep_preview_changed.connect(self.keep_preview_button.setEnabled)
        canvas.layers_changed.connect(self._fill_reference)
        model_selector.currentIndexChanged.connect(self.sync_controls)
        self.sync_controls()

    def _add_row(self, form: QFormLayout, key: str, label: str, field_: QWidget | QHBoxLayout) -> None:
        if isinstance(field_, QHBoxLayout):
            holder = QWidget()
            field_.setContentsMargins(0, 0, 0, 0)
            holder.setLayout(field_)
            field_ = holder
        form.addRow(label, field_)
        self._rows[key] = field_

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
            item.setToolTip("" if mode in available else f"{model} cannot do this")
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
        diffusion = backend is not None and backend.startswith("diffusers")
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
            "memory": diffusion,
        }
        for key, visible in shown.items():
            self._form.setRowVisible(self._rows[key], visible)
        self.reference_file.setVisible(mode is ImageMode.STYLE)
        prompt_used = backend not in PROMPTLESS_BACKENDS and mode is not ImageMode.UPSCALE
        self.prompt.setEnabled(prompt_used)
        self.negative.setEnabled(prompt_used)
        self.batch.setToolTip("Frames between the two layers" if mode is ImageMode.INTERPOLATE else "Images to make")
        self._fill_reference()
        if backend is None:
            self.status.setText(
                "No image model installed: upscaling uses Lanczos. Install a diffusion model with Models… or train "
                "one on your own pictures."
            )
        self.generate_button.setEnabled(mode in available)

    def _fill_reference(self) -> None:
        current = self.reference.currentData()
        self.reference.blockSignals(True)
        self.reference.clear()
        if self._style_file:
            self.reference.addItem(f"File: {self._style_file.rsplit('/', 1)[-1]}", f"file:{self._style_file}")
        for layer in reversed(self.canvas.layers):
            self.reference.addItem(f"Layer: {layer.name}", f"layer:{layer.id}")
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
        path, _ = QFileDialog.getOpenFileName(self, "Style reference", "", "Images (*.png *.jpg *.jpeg *.webp *.bmp)")
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
                raise UserError("No image model is installed. Open Models… to add one, or train one on your pictures.")
        elif mode not in self.available_modes():
            raise UserError(f"{self.model_selector.currentText()} cannot do “{MODE_LABELS[mode]}”.")
        elif self._backend() in PROMPTLESS_BACKENDS:  # one forward pass, no sampler: the spec (and PNG) say so
            params = replace(params, steps=1, guidance=0.0, scheduler="default")
        px = self.extend_px.value()
        sides = {name: px if box.isChecked() else 0 for name, box in self.extend_sides.items()}
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
            show_error(self, "Cannot generate", str(exc))
            return None
