"""Image jobs on a ComfyUI server: the same JobSpec, ImagePreview partials and ImageOutput as the local diffusion
engine, the network I/O on the caller's (worker) thread.

`load` finds the server of a "server:NAME/CHECKPOINT" id in the user's servers file and reads its `/object_info`
(which modes it can run, its samplers, whether it has the checkpoint); nothing is loaded here. `run` makes one graph
per image of the batch with seeds seed, seed+1, ... (as the local engine does), so any one image can be regenerated
alone and the same spec gives the same pixels again (ComfyUI is deterministic for a seed, and answers a repeated
graph from its cache). Inputs (init image, mask) are uploaded once per job. Progress comes from the server's
`progress` events, previews from its binary frames when it sends them (ComfyUI started with --preview-method);
Stop takes the prompt off the server's queue or interrupts it. Inpainting puts the pixels outside the mask back
exactly, as the local engine does; outpainting fills the new border from the picture first (image/ops.py).
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path
from typing import Any

from PIL import Image

from aigc_desktop.core.engines.base import RunContext
from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.image import ops as image_ops
from aigc_desktop.core.image.job import ImageMode, ImageOutput, ImageParams, ImagePreview, batch_seed
from aigc_desktop.core.media import read_image_file
from aigc_desktop.core.models.entry import ModelEntry
from aigc_desktop.core.paths import app_paths
from aigc_desktop.core.servers.comfyui import ComfyClient
from aigc_desktop.core.servers.comfyui_graphs import (
    MODE_NAMES,
    SAMPLERS,
    choices,
    diffusion_graph,
    pick_upscaler,
    server_modes,
    upscale_graph,
)
from aigc_desktop.core.servers.config import ServerConfig, ServerStore
from aigc_desktop.core.servers.entries import parse_model_id
from aigc_desktop.core.specs import JobResult, JobSpec

BACKEND = "comfyui"


class ComfyUIImageEngine:
    def __init__(self) -> None:
        self._store: ServerStore | None = None
        self._server_name = ""
        self._checkpoint = ""
        self._client: ComfyClient | None = None
        self._server: ServerConfig | None = None
        self._info: dict[str, Any] = {}
        self._version = ""

    def load(self, model: ModelEntry, ctx: RunContext) -> None:
        ref = parse_model_id(model.id)
        if ref is None:
            raise UserError(QT_TRANSLATE_NOOP("ComfyUI", "{id} is not a server model.").format(id=model.id))
        self._store = ServerStore(ctx.paths or app_paths())
        self._server_name, self._checkpoint = ref
        self._connect(ctx)

    def _connect(self, ctx: RunContext) -> None:
        """The server as the user's files say now (an edit in Settings counts from the next job on), and what its
        nodes and models are: asked again when the address changed."""
        assert self._store is not None
        server = self._store.get(self._server_name)
        client = ComfyClient(server, self._store.api_key(server.name))
        if self._server is None or self._server.url != server.url or not self._info:
            ctx.progress(None, QT_TRANSLATE_NOOP("ComfyUI", "Connecting to {name}…").format(name=server.name))
            self._version = client.version(ctx.cancel)
            self._info = client.object_info(ctx.cancel)
        self._client, self._server = client, server

    def unload(self) -> None:
        self._client = self._server = self._store = None
        self._info = {}

    # ------------------------------------------------------------ run

    def run(self, spec: JobSpec, ctx: RunContext) -> JobResult:
        if self._store is None:
            raise RuntimeError("ComfyUIImageEngine.run before load")
        self._connect(ctx)
        assert self._client is not None and self._server is not None
        started = time.perf_counter()
        spec = spec.resolved()
        params = ImageParams.from_spec(spec)
        mode = params.image_mode
        offered = server_modes(self._info)
        if mode not in offered.modes or (mode is not ImageMode.UPSCALE and self._checkpoint not in offered.checkpoints):
            # What the server had when the model was chosen: it may have gained a model or node since (and the
            # Generate tab offers what the latest test found), so ask once more before refusing.
            self._info = self._client.object_info(ctx.cancel)
            offered = server_modes(self._info)
        if mode not in offered.modes:
            reason = next((n for n in offered.notes if str(MODE_NAMES.get(mode, "")) in str(n)), None)
            raise UserError(
                QT_TRANSLATE_NOOP("ComfyUI", "{name} cannot do {mode}. {reason}").format(
                    name=self._server.name, mode=MODE_NAMES.get(mode, mode.value), reason=reason or ""
                )
            )
        if mode is not ImageMode.UPSCALE and self._checkpoint not in offered.checkpoints:
            raise UserError(
                QT_TRANSLATE_NOOP("ComfyUI", "{name} has no checkpoint “{model}”. It has: {known}.").format(
                    name=self._server.name, model=self._checkpoint, known=", ".join(offered.checkpoints) or "-"
                )
            )
        self._check_sampler(params)
        seed = int(spec.seed or 0)
        inputs = self._inputs(spec, mode, ctx)
        images: list[Image.Image] = []
        seeds: list[int] = []
        prompt_ids: list[str] = []
        cached = reconnects = 0
        notes: list[str] = []
        upscaler = pick_upscaler(offered.upscale_models, params.upscale_factor) if mode is ImageMode.UPSCALE else ""
        steps = 0
        sampling_seconds = 0.0
        for index in range(params.batch):
            ctx.cancel.check()
            image_seed = batch_seed(seed, index)
            graph = self._graph(spec, params, mode, image_seed, inputs, upscaler)
            reporter = _Reporter(ctx, index, params.batch, params.previews, self._server.name)
            run_started = time.perf_counter()
            run = self._client.run(graph, ctx.cancel, reporter.progress, reporter.preview, reporter.queued)
            sampling_seconds += time.perf_counter() - run_started
            steps = max(steps, reporter.total)
            images.append(self._finish(run.images[0], inputs))
            seeds.append(image_seed)
            prompt_ids.append(run.prompt_id)
            cached += int(run.cached)
            reconnects += run.reconnects
        if upscaler:
            notes.append(QT_TRANSLATE_NOOP("ComfyUI", "upscaled with {model}").format(model=upscaler))
        if cached:
            notes.append(QT_TRANSLATE_NOOP("ComfyUI", "the server answered from its cache (same graph as before)"))
        seconds = time.perf_counter() - started
        total_steps = steps * len(images)
        per_step = sampling_seconds / total_steps if total_steps else 0.0
        method = QT_TRANSLATE_NOOP("ComfyUI", "ComfyUI {version} on {server}: {model}").format(
            version=self._version, server=self._server.name, model=upscaler or self._checkpoint
        )
        sampler, scheduler = SAMPLERS[params.scheduler]
        output = ImageOutput(
            images=images,
            seeds=seeds,
            mode=params.mode,
            steps=steps,
            seconds_per_step=per_step,
            method=method,
            notes=notes,
        )
        metrics: dict[str, Any] = {
            "seconds_per_step": round(per_step, 4),
            "steps": steps,
            "images": len(images),
            "server": self._server.name,
            "server_model": upscaler or self._checkpoint,  # what the server ran, by its own name
            "server_version": self._version,
            "sampler_name": sampler,
            "scheduler": f"{sampler} ({scheduler})",  # ComfyUI's names: what its own files say
            "prompt_ids": prompt_ids,
            "cached": cached,
            "reconnects": reconnects,
        }
        return JobResult(spec=spec, output=output, seconds=seconds, metrics=metrics)

    def _check_sampler(self, params: ImageParams) -> None:
        if params.image_mode is ImageMode.UPSCALE:
            return
        sampler, scheduler = SAMPLERS[params.scheduler]
        samplers = choices(self._info, "KSampler", "sampler_name")
        schedulers = choices(self._info, "KSampler", "scheduler")
        missing = [
            name for name, known in ((sampler, samplers), (scheduler, schedulers)) if known and name not in known
        ]
        if missing:
            assert self._server is not None
            raise UserError(
                QT_TRANSLATE_NOOP("ComfyUI", "{name} does not know the sampler {sampler}: pick another.").format(
                    name=self._server.name, sampler=" / ".join(missing)
                )
            )

    def _inputs(self, spec: JobSpec, mode: ImageMode, ctx: RunContext) -> _Inputs:
        """The job's images read, prepared as the mode needs them, and uploaded."""
        assert self._client is not None and self._server is not None
        found = _Inputs()
        if mode is ImageMode.TXT2IMG:
            return found
        init = _read(spec, "init_image")
        if mode is ImageMode.OUTPAINT:
            filled, mask, blend = image_ops.outpaint_inputs(init)
            found.original, found.mask, found.blend = filled, mask, blend
            init = filled
        elif mode is ImageMode.INPAINT:
            mask = image_ops.mask_from(_read(spec, "mask_image"))
            image_ops.check_mask_size(mask, init)
            found.original, found.mask, found.blend = init.convert("RGB"), mask, mask
        found.size = init.size
        ctx.progress(None, QT_TRANSLATE_NOOP("ComfyUI", "Uploading to {name}…").format(name=self._server.name))
        # An opaque RGB picture: LoadImage would read transparency as a mask of its own.
        name, rgb = _named_rgb(init)
        found.image = self._client.upload(rgb, name, ctx.cancel)
        if found.mask is not None:
            rgb_mask = found.mask.convert("RGB")  # LoadImageMask reads the red channel
            found.mask_name = self._client.upload(rgb_mask, _named_rgb(rgb_mask, "mask")[0], ctx.cancel)
        return found

    def _graph(
        self, spec: JobSpec, params: ImageParams, mode: ImageMode, seed: int, inputs: _Inputs, upscaler: str
    ) -> dict[str, Any]:
        if mode is ImageMode.UPSCALE:
            width, height = inputs.size
            factor = params.upscale_factor
            return upscale_graph(inputs.image, upscaler, width * factor, height * factor)
        return diffusion_graph(
            mode,
            self._checkpoint,
            str(spec.inputs.get("prompt") or ""),
            str(spec.inputs.get("negative_prompt") or ""),
            params,
            seed,
            image=inputs.image or None,
            mask=inputs.mask_name or None,
        )

    @staticmethod
    def _finish(image: Image.Image, inputs: _Inputs) -> Image.Image:
        if inputs.original is None or inputs.blend is None:
            return image
        generated = image if image.size == inputs.original.size else image.resize(inputs.original.size)
        return image_ops.keep_unmasked(inputs.original, generated, inputs.blend)


class _Inputs:
    """What a job uploads, and what its results are finished with."""

    def __init__(self) -> None:
        self.image = ""  # the init image's name on the server
        self.mask_name = ""
        self.size: tuple[int, int] = (0, 0)
        self.original: Image.Image | None = None  # inpaint/outpaint: the pixels put back outside the mask
        self.mask: Image.Image | None = None
        self.blend: Image.Image | None = None


class _Reporter:
    """Turns one image's server events into the job's progress and previews."""

    def __init__(self, ctx: RunContext, index: int, batch: int, previews: bool, server: str) -> None:
        self._ctx, self._index, self._batch, self._previews, self._server = ctx, index, batch, previews, server
        self.step = 0
        self.total = 0

    def queued(self) -> None:
        self._ctx.progress(
            self._index / self._batch,
            QT_TRANSLATE_NOOP("ComfyUI", "Queued on {name}…").format(name=self._server),
        )

    def progress(self, value: int, maximum: int) -> None:
        self.step, self.total = value, maximum
        if self._batch > 1:
            message = QT_TRANSLATE_NOOP("ImageSteps", "Image {index}/{batch}: step {step}/{total}").format(
                index=self._index + 1, batch=self._batch, step=value, total=maximum
            )
        else:
            message = QT_TRANSLATE_NOOP("ImageSteps", "Step {step}/{total}").format(step=value, total=maximum)
        self._ctx.progress((self._index + value / maximum) / self._batch, message)

    def preview(self, image: Image.Image) -> None:
        if self._previews and self.total:
            self._ctx.partial(ImagePreview(self._index, max(self.step, 1), self.total, image))


def _read(spec: JobSpec, key: str) -> Image.Image:
    value = spec.inputs.get(key)
    if not value:
        raise UserError(QT_TRANSLATE_NOOP("ComfyUI", "This mode needs {what}.").format(what=key))
    return read_image_file(Path(str(value)))


def _named_rgb(image: Image.Image, kind: str = "input") -> tuple[str, Image.Image]:
    """The picture as opaque RGB, under a name made of its content: the same input is the same file on the server
    (so a repeated job hits ComfyUI's cache), and two jobs never overwrite each other's inputs."""
    rgb = image.convert("RGB")
    digest = hashlib.sha256(rgb.tobytes() + repr(rgb.size).encode()).hexdigest()[:24]
    return f"aigc-{kind}-{digest}.png", rgb
