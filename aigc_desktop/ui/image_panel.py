"""The Canvas pane's Generate tab: text-to-image, variations, inpaint, outpaint, upscale, style, GAN/VAE sampling.

It turns the canvas (selected layer, painted mask, extended border) into an image JobSpec, shows the engine's step
previews on the canvas while the job runs, and puts the results back as new layers that remember their spec, so the
History can replay them. The regions maths lives in core/image_regions.py (no Qt).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from PIL import Image
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
from aigc_desktop.core.image import regions as regions
from aigc_desktop.core.image.job import (
    MAX_BATCH,
    MAX_SIDE,
    MAX_STEPS,
    MEMORY_MODES,
    MIN_SIDE,
    SCHEDULERS,
    SIZE_MULTIPLE,
    ImageMode,
    ImageOutput,
    ImageParams,
    ImagePreview,
    image_spec,
    stash_image,
)
from aigc_desktop.core.image.ops import lanczos_upscale, outpaint_mask
from aigc_desktop.core.media import read_image_file
from aigc_desktop.core.models.entry import ModelEntry
from aigc_desktop.core.models.image_models import supported_modes
from aigc_desktop.core.project.model import HistoryEntry, HistoryStatus, Layer
from aigc_desktop.core.specs import JobResult, JobSpec, parse_seed
from aigc_desktop.ui.dialogs import show_error
from aigc_desktop.workers.jobs import Job

if TYPE_CHECKING:
    from aigc_desktop.ui.canvas_pane import CanvasPane
MODE_LABELS: dict[ImageMode, str] = {
    ImageMode.TXT2IMG: "Text to image",
    ImageMode.IMG2IMG: "Variations of the layer (img2img)",
    ImageMode.INPAINT: "Inpaint the painted mask",
    ImageMode.OUTPAINT: "Outpaint: extend the canvas",
    ImageMode.UPSCALE: "Upscale the layer",
    ImageMode.STYLE: "Restyle the layer like a reference",
    ImageMode.INTERPOLATE: "Interpolate between two layers",
}

# Which modes the small models trained in the app can run: sampling (GAN), also encoding (VAE). Diffusion models say
# for themselves (image_models.supported_modes: an x4 upscaler only upscales).
BACKEND_MODES: dict[str, frozenset[ImageMode]] = {
    "aigc-gan": frozenset({ImageMode.TXT2IMG}),
    "aigc-vae": frozenset({ImageMode.TXT2IMG, ImageMode.IMG2IMG, ImageMode.INTERPOLATE}),
}
NO_MODEL_MODES = frozenset({ImageMode.UPSCALE})  # Lanczos needs no model (and is not AI: it adds a plain layer)
PROMPTLESS_BACKENDS = frozenset({"aigc-gan", "aigc-vae"})


@dataclass
class _Placement:
    """Where a job's results go back on the canvas."""

    x: int
    y: int
    size: tuple[int, int] | None = None  # resize results to this (img2img of an odd-sized layer)
    mask: Image.Image | None = None  # results cover only this (inpaint/outpaint), at the placement's size
    source_name: str = ""


@dataclass
class _ImageJob:
    title: str
    placement: _Placement
    started: float = field(default_factory=time.time)
    previewed: bool = False


@dataclass
class _Preview:
    image: Image.Image  # small (latent-sized); shown scaled over `size`
    placement: _Placement
    size: tuple[int, int]  # the canvas pixels the result will cover


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
    def __init__(self, pane: CanvasPane) -> None:
        super().__init__(pane)
        self.pane = pane
        self.ctx = pane.ctx
        self.setObjectName("imagePanel")
        self._jobs: dict[str, _ImageJob] = {}
        self._last_preview: _Preview | None = None
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
        self.stop_button.clicked.connect(self.stop)
        self.keep_preview_button = QPushButton("Keep preview as layer")
        self.keep_preview_button.setToolTip("Make the preview of a stopped generation a layer")
        self.keep_preview_button.clicked.connect(self.keep_preview)
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

        q = self.ctx.queue
        q.job_partial.connect(self._on_partial)
        q.job_progress.connect(self._on_progress)
        q.job_finished.connect(self._on_finished)
        q.job_failed.connect(self._on_failed)
        q.job_cancelled.connect(self._on_cancelled)
        pane.model_selector.currentIndexChanged.connect(self.sync_controls)
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
        model_id = self.pane.model_selector.current_model_id()
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
        model = self.pane.model_selector.currentText()
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
        for layer in reversed(self.pane.project.canvas.layers):
            self.reference.addItem(f"Layer: {layer.name}", f"layer:{layer.id}")
        index = self.reference.findData(current)
        self.reference.setCurrentIndex(max(index, 0))
        self.reference.blockSignals(False)

    def showEvent(self, event: QShowEvent) -> None:  # layers may have changed while another tab was shown
        self.sync_controls()
        super().showEvent(event)

    def use_canvas_size(self) -> None:
        w, h = regions.generation_size(self.pane.project.canvas.width, self.pane.project.canvas.height)
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

    # -- building a job from the canvas

    def _stash(self, image: Image.Image) -> str:
        return str(stash_image(image, self.ctx.paths.data_dir / "inputs"))

    def _require_layer(self) -> Layer:
        layer = self.pane.current_layer()
        if layer is None:
            raise UserError("Select a layer to start from (or import a picture) first.")
        return layer

    def _reference_image(self) -> Image.Image:
        data = str(self.reference.currentData() or "")
        if data.startswith("file:"):
            return read_image_file(Path(data[5:]))
        if data.startswith("layer:"):
            layer = self.pane.project.find_layer(data[6:])
            if layer is not None:
                return layer.image
        raise UserError("Pick the second image: a layer or a file.")

    def build(self) -> tuple[JobSpec, _Placement] | None:
        """The spec for the current controls and canvas, and where its results go; None for a model-less upscale
        (done at once, it is not a generation)."""
        mode = self.current_mode()
        params = self.params()
        model_id = self.pane.model_selector.current_model_id()
        seed = parse_seed(self.seed.text())
        prompt = self.prompt.toPlainText().strip() if self.prompt.isEnabled() else ""
        negative = self.negative.toPlainText().strip() if self.negative.isEnabled() else ""
        if model_id is None:
            if mode is ImageMode.UPSCALE:
                self._upscale_without_model(params.upscale_factor)
                return None
            raise UserError("No image model is installed. Open Models… to add one, or train one on your pictures.")
        if mode not in self.available_modes():
            raise UserError(f"{self.pane.model_selector.currentText()} cannot do “{MODE_LABELS[mode]}”.")
        if self._backend() in PROMPTLESS_BACKENDS:  # one forward pass, no sampler: the spec (and PNG) say so
            params = replace(params, steps=1, guidance=0.0, scheduler="default")
        images: dict[str, str] = {}
        placement = _Placement(0, 0)
        if mode in (ImageMode.IMG2IMG, ImageMode.STYLE, ImageMode.UPSCALE, ImageMode.INTERPOLATE):
            layer = self._require_layer()
            size = layer.image.size
            gen = regions.generation_size(*size) if mode is not ImageMode.UPSCALE else size
            init = layer.image if gen == size else layer.image.resize(gen, Image.Resampling.LANCZOS)
            images["init_image"] = self._stash(init)
            placement = _Placement(layer.x, layer.y, size if mode is not ImageMode.UPSCALE else None)
            placement.source_name = layer.name
            params = replace(params, width=gen[0], height=gen[1])
            if mode is ImageMode.STYLE:
                images["style_image"] = self._stash(self._reference_image())
            if mode is ImageMode.INTERPOLATE:
                images["end_image"] = self._stash(self._reference_image().resize(gen, Image.Resampling.LANCZOS))
        elif mode in (ImageMode.INPAINT, ImageMode.OUTPAINT):
            if mode is ImageMode.OUTPAINT:
                self._extend_for_outpaint()
            flat = self.pane.flattened()
            mask = self.pane.mask_image() if mode is ImageMode.INPAINT else outpaint_mask(flat)
            if mask is None:
                raise UserError("Paint a mask over the part to repaint (Mask tool), or select it, first.")
            canvas = self.pane.project.canvas
            box = regions.mask_region(mask, (canvas.width, canvas.height))
            mask_crop = regions.crop(mask, box)
            images["init_image"] = self._stash(regions.crop(flat, box))
            images["mask_image"] = self._stash(mask_crop)
            placement = _Placement(box[0], box[1], None, mask_crop)
            params = replace(params, width=box[2], height=box[3])
        spec = image_spec(model_id, prompt, params, seed, negative_prompt=negative, **images)
        return spec, placement

    def _extend_for_outpaint(self) -> None:
        px = self.extend_px.value()
        sides = {name: px if box.isChecked() else 0 for name, box in self.extend_sides.items()}
        if any(sides.values()):
            self.pane.extend_canvas(sides["Left"], sides["Top"], sides["Right"], sides["Bottom"])

    def _upscale_without_model(self, factor: int) -> None:
        layer = self._require_layer()
        big = lanczos_upscale(layer.image, factor)
        self._grow_canvas_to(layer.x, layer.y, big.size)
        self.pane.add_layer(Layer(f"{layer.name} ×{factor} (Lanczos)", big, x=layer.x, y=layer.y))
        self.status.setText(f"Upscaled ×{factor} with Lanczos (no upscaler model installed: not AI, just resampling).")

    def _grow_canvas_to(self, x: int, y: int, size: tuple[int, int]) -> None:
        canvas = self.pane.project.canvas
        right, bottom = max(0, x + size[0] - canvas.width), max(0, y + size[1] - canvas.height)
        if right or bottom:
            self.pane.extend_canvas(0, 0, right, bottom)

    # -- running

    def generate(self) -> Job | None:
        try:
            built = self.build()
        except UserError as exc:
            show_error(self, "Cannot generate", str(exc))
            return None
        if built is None:
            return None
        spec, placement = built
        return self._submit(spec, placement, MODE_LABELS[self.current_mode()])

    def _submit(self, spec: JobSpec, placement: _Placement, title: str) -> Job:
        job = self.ctx.queue.submit(spec, title=title)
        self._jobs[job.id] = _ImageJob(title, placement)
        self._set_preview(None)
        self.keep_preview_button.setEnabled(False)
        self.status.setText(f"{title}: waiting for the model…")
        return job

    def regenerate(self, entry: HistoryEntry) -> Job | None:
        """Replay a recorded image generation exactly (same inputs, seed, settings); it comes back as new layers at the
        place the original output had."""
        spec = entry.spec.replay()
        missing = [str(v) for k, v in spec.inputs.items() if k.endswith("_image") and not Path(str(v)).is_file()]
        if missing:
            show_error(self, "Cannot regenerate", f"The input image of this generation is gone: {missing[0]}")
            return None
        first = next((self.pane.project.find_layer(ref) for ref in entry.output_refs), None)
        placement = _Placement(first.x, first.y, first.image.size) if first is not None else _Placement(0, 0)
        mask = spec.inputs.get("mask_image")
        if mask:
            placement.size = None
            placement.mask = read_image_file(Path(str(mask))).convert("L")
        return self._submit(spec, placement, "Regenerate")

    def stop(self) -> None:
        for job_id in list(self._jobs):
            self.ctx.queue.cancel(job_id)

    def _set_preview(self, preview: _Preview | None) -> None:
        self._last_preview = preview
        if preview is None:
            self.pane.show_preview(None)
        else:
            place = preview.placement
            self.pane.show_preview(preview.image, (place.x, place.y, *preview.size))

    def _on_partial(self, job: Job, payload: object) -> None:
        ij = self._jobs.get(job.id)
        if ij is None or not isinstance(payload, ImagePreview):
            return
        ij.previewed = True
        place, params = ij.placement, ImageParams.from_spec(job.spec)
        size = place.size or (place.mask.size if place.mask is not None else (params.width, params.height))
        self._set_preview(_Preview(payload.image, place, size))
        self.progress.setValue(round(payload.fraction * 100))
        which = f" (image {payload.index + 1}/{params.batch})" if params.batch > 1 else ""
        self.status.setText(f"{ij.title}: step {payload.step}/{payload.total_steps}{which}")

    def _on_progress(self, job: Job) -> None:
        ij = self._jobs.get(job.id)
        if ij is not None and job.message:
            self.status.setText(f"{ij.title}: {job.message}")
            if job.fraction is not None:
                self.progress.setValue(round(job.fraction * 100))

    def _on_finished(self, job: Job, result: JobResult | None) -> None:
        ij = self._jobs.pop(job.id, None)
        if ij is None or result is None or not isinstance(result.output, ImageOutput):
            return
        out = result.output
        self._set_preview(None)
        self.progress.setValue(100)
        place = ij.placement
        spec = result.spec
        label = str(spec.inputs.get("prompt") or "").strip()[:32] or place.source_name or ij.title
        layers: list[Layer] = []
        for image, seed in zip(out.images, out.seeds, strict=False):
            pixels = image
            if place.mask is not None:
                pixels = regions.result_layer(image, place.mask)
            elif place.size is not None and image.size != place.size:
                pixels = image.resize(place.size, Image.Resampling.LANCZOS)
            layers.append(Layer(f"{label} · {seed}", pixels, x=place.x, y=place.y, spec_id=spec.id))
        if place.mask is None:
            self._tile(layers)
        self.pane.undo_stack.beginMacro(f"{ij.title}: {len(layers)} layer(s)")
        if out.mode == ImageMode.UPSCALE.value and layers:
            self._grow_canvas_to(place.x, place.y, layers[0].image.size)
        for layer in layers:
            self.pane.add_layer(layer)
        self.pane.undo_stack.endMacro()
        size = f"{out.images[0].width}×{out.images[0].height}" if out.images else ""
        summary = f"{len(out.images)} image(s) {size}, {MODE_LABELS[ImageMode(out.mode)].lower()}"
        metrics = {**dict(result.metrics), "method": out.method}
        self.pane.session.record(
            spec,
            HistoryStatus.FINISHED,
            started_at=ij.started,
            seconds=result.seconds,
            output_refs=[la.id for la in layers],
            summary=summary,
            metrics=metrics,
        )
        notes = f" — {'; '.join(out.notes)}" if out.notes else ""
        self.status.setText(
            f"{ij.title}: {len(out.images)} image(s) in {result.seconds:.1f} s "
            f"({out.seconds_per_step:.2f} s/step) with {out.method}{notes}"
        )

    def _tile(self, layers: list[Layer]) -> None:
        """Lay a batch side by side (wrapping into rows) when all of it fits on the canvas, so each image shows;
        otherwise they stay stacked at one place, like alternatives to pick from by hiding the others."""
        if len(layers) < 2:
            return
        canvas = self.pane.project.canvas
        x0, y0 = layers[0].x, layers[0].y
        w, h = layers[0].image.size
        gap = 8
        per_row = max(1, (canvas.width - x0 + gap) // (w + gap))
        rows = -(-len(layers) // per_row)
        if per_row < 2 or y0 + rows * (h + gap) - gap > canvas.height:
            return
        for i, layer in enumerate(layers):
            layer.x = x0 + (i % per_row) * (w + gap)
            layer.y = y0 + (i // per_row) * (h + gap)

    def _on_failed(self, job: Job, message: str) -> None:
        ij = self._jobs.pop(job.id, None)
        if ij is not None:
            self._set_preview(None)
            self.progress.setValue(0)
            self.status.setText(f"{ij.title} failed: {message}")

    def _on_cancelled(self, job: Job) -> None:
        ij = self._jobs.pop(job.id, None)
        if ij is None:
            return
        if ij.previewed and self._last_preview is not None:
            self.keep_preview_button.setEnabled(True)
            self.status.setText(
                f"{ij.title}: stopped. The last preview stays on the canvas; keep it as a layer or not."
            )
        else:
            self.status.setText(f"{ij.title}: stopped before the first step.")
            self._set_preview(None)

    def keep_preview(self) -> None:
        if self._last_preview is None:
            return
        preview = self._last_preview
        place = preview.placement
        pixels = preview.image.convert("RGBA").resize(preview.size, Image.Resampling.LANCZOS)
        if place.mask is not None:
            pixels = regions.result_layer(pixels, place.mask)
        self.pane.add_layer(Layer("Stopped preview", pixels, x=place.x, y=place.y))
        self._set_preview(None)
        self.keep_preview_button.setEnabled(False)
