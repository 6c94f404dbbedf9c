"""The canvas's image generations: text-to-image, variations, inpaint, outpaint, upscale, style, GAN/VAE sampling.

A request (what the Generate tab's controls say) plus the canvas (the current layer, the painted mask, the extended
border) becomes an image JobSpec and a placement; each job is one JobHandler that shows the engine's step previews on
the canvas, puts the results back as new layers that remember their spec (one undo step) and records itself in the
History. The regions maths lives in core/image/regions.py (no Qt). Illustrate (from the Document, ui/crossings.py)
paints a prompt as a new layer whose spec keeps the paragraph it illustrates (PARAGRAPH_INPUT): the layer is named
after it, and the Layers list leads back to it.

The status line and the refusals are marked `Msg`s (core/i18n.py) carried as they are (status_changed is an object
signal), so the Generate tab shows them in the interface language and shows the last one again after a switch.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QCoreApplication, QObject, Signal

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP, Msg
from aigc_desktop.core.image import regions
from aigc_desktop.core.image.job import ImageMode, ImageOutput, ImageParams, ImagePreview, image_spec, stash_image
from aigc_desktop.core.image.ops import lanczos_upscale, outpaint_mask
from aigc_desktop.core.media import read_image_file
from aigc_desktop.core.project.model import HistoryEntry, HistoryStatus, Layer
from aigc_desktop.core.specs import JobResult, JobSpec
from aigc_desktop.core.text.prompt_draft import excerpt
from aigc_desktop.state.canvas import CanvasModel
from aigc_desktop.state.context import AppContext
from aigc_desktop.state.localized import Number, translated
from aigc_desktop.workers.jobs import Job, JobHandler

MODE_LABELS: dict[ImageMode, Msg] = {
    ImageMode.TXT2IMG: QT_TRANSLATE_NOOP("ImageGeneration", "Text to image"),
    ImageMode.IMG2IMG: QT_TRANSLATE_NOOP("ImageGeneration", "Variations of the layer (img2img)"),
    ImageMode.INPAINT: QT_TRANSLATE_NOOP("ImageGeneration", "Inpaint the painted mask"),
    ImageMode.OUTPAINT: QT_TRANSLATE_NOOP("ImageGeneration", "Outpaint: extend the canvas"),
    ImageMode.UPSCALE: QT_TRANSLATE_NOOP("ImageGeneration", "Upscale the layer"),
    ImageMode.STYLE: QT_TRANSLATE_NOOP("ImageGeneration", "Restyle the layer like a reference"),
    ImageMode.INTERPOLATE: QT_TRANSLATE_NOOP("ImageGeneration", "Interpolate between two layers"),
}
NO_MODEL = QT_TRANSLATE_NOOP(
    "ImageGeneration", "No image model is installed. Open Models… to add one, or train one on your pictures."
)
ILLUSTRATE = QT_TRANSLATE_NOOP("ImageGeneration", "Illustrate")
PARAGRAPH_INPUT = "from_paragraph"  # the spec input that keeps the Document text a layer illustrates
PARAGRAPH_CHARS = 2000  # what the spec keeps of it: enough to find it again, not a whole chapter per layer
FROM_LAYER_MODES = frozenset({ImageMode.IMG2IMG, ImageMode.STYLE, ImageMode.UPSCALE, ImageMode.INTERPOLATE})


@dataclass(frozen=True)
class ImageRequest:
    """What the Generate tab's controls ask for; the canvas supplies the pictures."""

    mode: ImageMode
    model_id: str | None  # None: no image model installed (only a Lanczos upscale can run)
    params: ImageParams
    prompt: str = ""
    negative_prompt: str = ""
    seed: int | None = None
    reference: str = ""  # the style reference or end image: "layer:<id>" or "file:<path>"
    extend: tuple[int, int, int, int] = (0, 0, 0, 0)  # outpaint margins: left, top, right, bottom


@dataclass
class Placement:
    """Where a job's results go back on the canvas."""

    x: int
    y: int
    size: tuple[int, int] | None = None  # resize results to this (img2img of an odd-sized layer)
    mask: Image.Image | None = None  # results cover only this (inpaint/outpaint), at the placement's size
    source_name: str = ""


@dataclass
class StepPreview:
    """The latest step preview of a job: kept after Stop, so it can become a layer."""

    image: Image.Image  # small (latent-sized); shown scaled over `size`
    placement: Placement
    size: tuple[int, int]  # the canvas pixels the result will cover


class ImageGeneration(QObject):
    status_changed = Signal(object)  # one line (a marked Msg) about the latest generation ("Text to image: step 3/20")
    progress_changed = Signal(int)  # percent of the latest generation
    running_changed = Signal(bool)  # whether a generation is queued or running
    keep_preview_changed = Signal(bool)  # whether a stopped generation's preview can be kept as a layer

    def __init__(self, ctx: AppContext, canvas: CanvasModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.canvas = canvas
        self.last_preview: StepPreview | None = None
        self._running: list[Job] = []

    @property
    def running(self) -> bool:
        return bool(self._running)

    # ------------------------------------------------------------ building a job from the canvas

    def generate(self, request: ImageRequest, title: str) -> Job | None:
        """Queue `request` on the canvas as it is now; None for a model-less upscale (done at once: it is not a
        generation). Raises UserError when the canvas lacks what the mode needs."""
        if request.model_id is None:
            if request.mode is not ImageMode.UPSCALE:
                raise UserError(NO_MODEL)
            self.upscale_without_model(request.params.upscale_factor)
            return None
        spec, placement = self.build(request)
        return self.submit(spec, placement, title)

    def build(self, request: ImageRequest) -> tuple[JobSpec, Placement]:
        """The spec for `request` and the canvas, and where its results go. Outpainting extends the canvas first
        (its own undo step)."""
        assert request.model_id is not None
        mode, params = request.mode, request.params
        images: dict[str, str] = {}
        placement = Placement(0, 0)
        if mode in FROM_LAYER_MODES:
            layer = self._require_layer()
            size = layer.image.size
            gen = regions.generation_size(*size) if mode is not ImageMode.UPSCALE else size
            init = layer.image if gen == size else layer.image.resize(gen, Image.Resampling.LANCZOS)
            images["init_image"] = self._stash(init)
            placement = Placement(layer.x, layer.y, size if mode is not ImageMode.UPSCALE else None)
            placement.source_name = layer.name
            params = replace(params, width=gen[0], height=gen[1])
            if mode is ImageMode.STYLE:
                images["style_image"] = self._stash(self._reference_image(request.reference))
            if mode is ImageMode.INTERPOLATE:
                end = self._reference_image(request.reference).resize(gen, Image.Resampling.LANCZOS)
                images["end_image"] = self._stash(end)
        elif mode in (ImageMode.INPAINT, ImageMode.OUTPAINT):
            if mode is ImageMode.OUTPAINT:
                self.canvas.extend_canvas(*request.extend)
            flat = self.canvas.flattened()
            mask = self.canvas.mask_image() if mode is ImageMode.INPAINT else outpaint_mask(flat)
            if mask is None:
                raise UserError(
                    QT_TRANSLATE_NOOP(
                        "ImageGeneration", "Paint a mask over the part to repaint (Mask tool), or select it, first."
                    )
                )
            box = regions.mask_region(mask, self.canvas.canvas_size())
            mask_crop = regions.crop(mask, box)
            images["init_image"] = self._stash(regions.crop(flat, box))
            images["mask_image"] = self._stash(mask_crop)
            placement = Placement(box[0], box[1], None, mask_crop)
            params = replace(params, width=box[2], height=box[3])
        spec = image_spec(
            request.model_id, request.prompt, params, request.seed, negative_prompt=request.negative_prompt, **images
        )
        return spec, placement

    def illustrate(self, model_id: str, prompt: str, paragraph: str, params: ImageParams) -> Job:
        """Paint `prompt` (text to image, one picture, at the Generate tab's size and settings) as a new layer linked
        to `paragraph`, the Document text it illustrates."""
        if not prompt.strip():
            raise UserError(QT_TRANSLATE_NOOP("ImageGeneration", "Write a prompt for the picture first."))
        params = replace(params, mode=ImageMode.TXT2IMG.value, batch=1)
        spec, placement = self.build(ImageRequest(ImageMode.TXT2IMG, model_id, params, prompt=prompt.strip()))
        inputs = {**spec.inputs, PARAGRAPH_INPUT: paragraph.strip()[:PARAGRAPH_CHARS]}
        spec = JobSpec(spec.kind, spec.model_id, inputs, spec.params, spec.seed)
        return self.submit(spec, placement, ILLUSTRATE)

    def paragraph_of(self, layer: Layer) -> str | None:
        """The Document text `layer` was painted to illustrate (by Illustrate, or a Regenerate of it); None if none."""
        entry = self.canvas.session.project.find_history(layer.spec_id) if layer.spec_id else None
        paragraph = entry.spec.inputs.get(PARAGRAPH_INPUT) if entry is not None else None
        return str(paragraph) if paragraph else None

    def _stash(self, image: Image.Image) -> str:
        return str(stash_image(image, self.ctx.paths.data_dir / "inputs"))

    def _require_layer(self) -> Layer:
        layer = self.canvas.current_layer()
        if layer is None:
            raise UserError(
                QT_TRANSLATE_NOOP("ImageGeneration", "Select a layer to start from (or import a picture) first.")
            )
        return layer

    def _reference_image(self, reference: str) -> Image.Image:
        if reference.startswith("file:"):
            return read_image_file(Path(reference[5:]))
        if reference.startswith("layer:"):
            layer = self.canvas.find_layer(reference[6:])
            if layer is not None:
                return layer.image
        raise UserError(QT_TRANSLATE_NOOP("ImageGeneration", "Pick the second image: a layer or a file."))

    def upscale_without_model(self, factor: int) -> None:
        layer = self._require_layer()
        big = lanczos_upscale(layer.image, factor)
        self.canvas.grow_to(layer.x, layer.y, big.size)
        name = QCoreApplication.translate("ImageGeneration", "{name} ×{factor} (Lanczos)")
        self.canvas.add_layer(Layer(name.format(name=layer.name, factor=factor), big, x=layer.x, y=layer.y))
        self.status_changed.emit(
            QT_TRANSLATE_NOOP(
                "ImageGeneration",
                "Upscaled ×{factor} with Lanczos (no upscaler model installed: not AI, just resampling).",
            ).format(factor=factor)
        )

    # ------------------------------------------------------------ running

    def submit(self, spec: JobSpec, placement: Placement, title: str) -> Job:
        """Queue `spec`; `title` (a marked Msg) names it in the queue, the status line and its undo step."""
        job = self.ctx.queue.submit(spec, title=title, handler=_ImageJob(self, title, placement))
        self._running.append(job)
        self.running_changed.emit(True)
        self._set_preview(None)
        self.keep_preview_changed.emit(False)
        self.status_changed.emit(
            QT_TRANSLATE_NOOP("ImageGeneration", "{title}: waiting for the model…").format(title=title)
        )
        return job

    def regenerate(self, entry: HistoryEntry) -> Job:
        """Replay a recorded image generation exactly (same inputs, seed, settings); it comes back as new layers at the
        place the original output had. Raises UserError when an input image is gone."""
        spec = entry.spec.replay()
        missing = [str(v) for k, v in spec.inputs.items() if k.endswith("_image") and not Path(str(v)).is_file()]
        if missing:
            raise UserError(
                QT_TRANSLATE_NOOP("ImageGeneration", "The input image of this generation is gone: {path}").format(
                    path=missing[0]
                )
            )
        first = next((self.canvas.find_layer(ref) for ref in entry.output_refs), None)
        placement = Placement(first.x, first.y, first.image.size) if first is not None else Placement(0, 0)
        mask = spec.inputs.get("mask_image")
        if mask:
            placement.size = None
            placement.mask = read_image_file(Path(str(mask))).convert("L")
        return self.submit(spec, placement, QT_TRANSLATE_NOOP("ImageGeneration", "Regenerate"))

    def stop(self) -> None:
        for job in list(self._running):
            self.ctx.queue.cancel(job.id)

    def keep_preview(self) -> None:
        """Make the preview a stopped generation left on the canvas a layer."""
        preview = self.last_preview
        if preview is None:
            return
        place = preview.placement
        pixels = preview.image.convert("RGBA").resize(preview.size, Image.Resampling.LANCZOS)
        if place.mask is not None:
            pixels = regions.result_layer(pixels, place.mask)
        name = QCoreApplication.translate("ImageGeneration", "Stopped preview")
        self.canvas.add_layer(Layer(name, pixels, x=place.x, y=place.y))
        self._set_preview(None)
        self.keep_preview_changed.emit(False)

    def _set_preview(self, preview: StepPreview | None) -> None:
        self.last_preview = preview
        if preview is None:
            self.canvas.set_preview(None)
        else:
            place = preview.placement
            self.canvas.set_preview(preview.image, (place.x, place.y, *preview.size))

    def _ended(self, job: Job) -> None:
        if job in self._running:
            self._running.remove(job)
        self.running_changed.emit(bool(self._running))

    def _add_results(self, title: str, place: Placement, result: JobResult, out: ImageOutput) -> list[Layer]:
        """The result images as layers at their place (a batch tiled when it fits), added as one undo step."""
        spec = result.spec
        paragraph = str(spec.inputs.get(PARAGRAPH_INPUT) or "")
        label = str(spec.inputs.get("prompt") or "").strip()[:32] or place.source_name or translated(title)
        if paragraph:  # an illustration is named after its paragraph (the prompt is in its History entry)
            label = "¶ " + excerpt(paragraph, 32)
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
        group = QT_TRANSLATE_NOOP("ImageGeneration", "{title}: {count} layer(s)")
        with self.canvas.group(group.format(title=title, count=Number(len(layers)))):
            if out.mode == ImageMode.UPSCALE.value and layers:
                self.canvas.grow_to(place.x, place.y, layers[0].image.size)
            for layer in layers:
                self.canvas.add_layer(layer)
        return layers

    def _tile(self, layers: list[Layer]) -> None:
        """Lay a batch side by side (wrapping into rows) when all of it fits on the canvas, so each image shows;
        otherwise they stay stacked at one place, like alternatives to pick from by hiding the others."""
        if len(layers) < 2:
            return
        width, height = self.canvas.canvas_size()
        x0, y0 = layers[0].x, layers[0].y
        w, h = layers[0].image.size
        gap = 8
        per_row = max(1, (width - x0 + gap) // (w + gap))
        rows = -(-len(layers) // per_row)
        if per_row < 2 or y0 + rows * (h + gap) - gap > height:
            return
        for i, layer in enumerate(layers):
            layer.x = x0 + (i % per_row) * (w + gap)
            layer.y = y0 + (i // per_row) * (h + gap)


@dataclass(eq=False)
class _ImageJob(JobHandler):
    generation: ImageGeneration
    title: str
    placement: Placement
    started_at: float = field(default_factory=time.time)
    previewed: bool = False

    def partial(self, job: Job, payload: object) -> None:
        if not isinstance(payload, ImagePreview):
            return
        self.previewed = True
        place, params = self.placement, ImageParams.from_spec(job.spec)
        size = place.size or (place.mask.size if place.mask is not None else (params.width, params.height))
        gen = self.generation
        gen._set_preview(StepPreview(payload.image, place, size))
        gen.progress_changed.emit(round(payload.fraction * 100))
        step, total = Number(payload.step), Number(payload.total_steps)
        if params.batch > 1:
            status = QT_TRANSLATE_NOOP(
                "ImageGeneration", "{title}: step {step}/{total} (image {index}/{batch})"
            ).format(
                title=self.title, step=step, total=total, index=Number(payload.index + 1), batch=Number(params.batch)
            )
        else:
            status = QT_TRANSLATE_NOOP("ImageGeneration", "{title}: step {step}/{total}").format(
                title=self.title, step=step, total=total
            )
        gen.status_changed.emit(status)

    def progress(self, job: Job) -> None:
        if job.message:
            status = QT_TRANSLATE_NOOP("ImageGeneration", "{title}: {message}")
            self.generation.status_changed.emit(status.format(title=self.title, message=job.message))
            if job.fraction is not None:
                self.generation.progress_changed.emit(round(job.fraction * 100))

    def finished(self, job: Job, result: JobResult | None) -> None:
        gen = self.generation
        gen._ended(job)
        if result is None or not isinstance(result.output, ImageOutput):
            return
        out = result.output
        gen._set_preview(None)
        gen.progress_changed.emit(100)
        layers = gen._add_results(self.title, self.placement, result, out)
        size = f"{out.images[0].width}×{out.images[0].height}" if out.images else ""
        summary = QT_TRANSLATE_NOOP("ImageGeneration", "{count} image(s) {size}, {mode}")
        gen.canvas.session.record(
            result.spec,
            HistoryStatus.FINISHED,
            started_at=self.started_at,
            seconds=result.seconds,
            output_refs=[la.id for la in layers],
            summary=summary.format(count=Number(len(out.images)), size=size, mode=MODE_LABELS[ImageMode(out.mode)]),
            metrics={**dict(result.metrics), "method": str(out.method)},  # the project keeps the English
        )
        status = QT_TRANSLATE_NOOP(
            "ImageGeneration", "{title}: {count} image(s) in {seconds} s ({per_step} s/step) with {method}"
        )
        status = status.format(
            title=self.title,
            count=Number(len(out.images)),
            seconds=Number(result.seconds, 1),
            per_step=Number(out.seconds_per_step, 2),
            method=out.method,
        )
        if out.notes:
            notes = out.notes[-1]
            for note in reversed(out.notes[:-1]):
                notes = QT_TRANSLATE_NOOP("ImageGeneration", "{first}; {rest}").format(first=note, rest=notes)
            status = QT_TRANSLATE_NOOP("ImageGeneration", "{status} — {notes}").format(status=status, notes=notes)
        gen.status_changed.emit(status)

    def failed(self, job: Job, message: str) -> None:
        gen = self.generation
        gen._ended(job)
        gen._set_preview(None)
        gen.progress_changed.emit(0)
        gen.status_changed.emit(
            QT_TRANSLATE_NOOP("ImageGeneration", "{title} failed: {message}").format(title=self.title, message=message)
        )

    def cancelled(self, job: Job) -> None:
        gen = self.generation
        gen._ended(job)
        if job.refused:  # never sent (plain http not confirmed): nothing was stopped, the reason is the status
            gen._set_preview(None)
            gen.progress_changed.emit(0)
            gen.status_changed.emit(job.refused)
            return
        if self.previewed and gen.last_preview is not None:
            gen.keep_preview_changed.emit(True)
            gen.status_changed.emit(
                QT_TRANSLATE_NOOP(
                    "ImageGeneration",
                    "{title}: stopped. The last preview stays on the canvas; keep it as a layer or not.",
                ).format(title=self.title)
            )
        else:
            gen.status_changed.emit(
                QT_TRANSLATE_NOOP("ImageGeneration", "{title}: stopped before the first step.").format(title=self.title)
            )
            gen._set_preview(None)
