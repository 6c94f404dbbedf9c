"""Stable Diffusion 1.x / 2.x / XL (and SD-Turbo-class models, which share those architectures) and the x4 upscaler,
through diffusers, from a diffusers folder or a single-file checkpoint, with no network.

One pipeline is loaded; the other tasks are built from its components with `from_pipe` (same modules, no second copy
in memory): text-to-image, img2img and inpainting of the same family. Every mode runs the library's own pipeline call
and adds only a `callback_on_step_end` that reports progress, sends a cheap latent preview and stops within one step
of Stop, so the images equal a bare diffusers call with the same seed (tests/test_image_engine.py checks pixels).

Modes (ImageParams.mode):
- txt2img, img2img (strength): the family's StableDiffusion(XL)Pipeline / Img2ImgPipeline.
- inpaint (mask white = repaint): StableDiffusion(XL)InpaintPipeline. With an inpainting UNet (9 input channels) it
  sees the masked picture and the mask; with an ordinary UNet (4 channels) diffusers' same pipeline re-imposes the
  noised original outside the mask at every step. Pixels outside the mask are then put back exactly
  (`image_ops.keep_unmasked`), so the untouched part of the picture is the user's, not its VAE round trip.
- outpaint: the init image's transparent border is the mask; the border is first filled by push-pull from the
  picture's own colours (`image_ops.outpaint_inputs`), then inpainted with `strength`.
- upscale: with an upscaler folder (StableDiffusionUpscalePipeline, x4) loaded, diffusion upscaling; with any other
  model, Lanczos, and ImageOutput.method says "Lanczos (no upscaler model)".
- style: IP-Adapter when one is installed for the model's family (`find_ip_adapter`); otherwise the recipe:
  1. transfer the style image's colour statistics onto the init image (per-channel mean and standard deviation in
     YCbCr, `image_ops.transfer_colour`), 2. img2img that picture with the prompt at `strength`.
  ImageOutput.notes says which was used.
An inpainting model (9 channels) runs txt2img as inpainting of a blank grey canvas and img2img as inpainting under a
full mask, since its UNet needs a mask.

torch and diffusers are imported in `load()` on the worker thread: importing them costs seconds and gigabytes, and
the GUI thread (and listing models) must never pay that. Progress lines, refusals, the method and the notes are marked
for translation (core/i18n.py); their str() is the English the CLI prints.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image

from aigc_desktop.core.engines.base import RunContext
from aigc_desktop.core.engines.hf_loading import free_memory, reason, refuse_pickle_only
from aigc_desktop.core.engines.image_steps import StepReporter, preview_family
from aigc_desktop.core.errors import JobCancelled, UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.image import ops as image_ops
from aigc_desktop.core.image.job import MAX_SIDE, ImageMode, ImageOutput, ImageParams, batch_seed
from aigc_desktop.core.media import read_image_file
from aigc_desktop.core.models.entry import ModelEntry
from aigc_desktop.core.models.headers import safetensors_shapes
from aigc_desktop.core.models.image_models import (
    SUPPORTED_CLASSES,
    UPSCALER_CLASSES,
    checkpoint_shape,
    config_candidates,
    find_config_folder,
    find_ip_adapter,
    is_xl,
    missing_config_message,
    pipeline_class_name,
    weights_variant,
    without_safety_checker,
)
from aigc_desktop.core.models.safety import can_consent, pickle_allowed
from aigc_desktop.core.specs import JobResult, JobSpec, ModelKind

log = logging.getLogger(__name__)

# image key → (diffusers scheduler class, settings on top of the model's own scheduler config)
SCHEDULER_CLASSES: dict[str, tuple[str, dict[str, Any]]] = {
    "euler": ("EulerDiscreteScheduler", {}),
    "euler_a": ("EulerAncestralDiscreteScheduler", {}),
    "dpmpp_2m": ("DPMSolverMultistepScheduler", {"algorithm_type": "dpmsolver++", "solver_order": 2}),
    "dpmpp_2m_karras": (
        "DPMSolverMultistepScheduler",
        {"algorithm_type": "dpmsolver++", "solver_order": 2, "use_karras_sigmas": True},
    ),
    "ddim": ("DDIMScheduler", {}),
    "pndm": ("PNDMScheduler", {"skip_prk_steps": True}),
    "unipc": ("UniPCMultistepScheduler", {}),
}
# Settings one scheduler leaves in the shared config that would change another's behaviour when carried over.
_RESET_SCHEDULER_SETTINGS = {"use_karras_sigmas": False}
# The tasks of each family, by pipeline class; the loaded class is one of them and the others come from from_pipe.
FAMILY_TASKS: dict[bool, dict[str, str]] = {
    False: {
        "txt2img": "StableDiffusionPipeline",
        "img2img": "StableDiffusionImg2ImgPipeline",
        "inpaint": "StableDiffusionInpaintPipeline",
    },
    True: {
        "txt2img": "StableDiffusionXLPipeline",
        "img2img": "StableDiffusionXLImg2ImgPipeline",
        "inpaint": "StableDiffusionXLInpaintPipeline",
    },
}
# "auto" memory on CUDA (not measured here: no GPU on the development machine). Whole model on the GPU when it holds
# twice the weights plus this much for activations (SD 1.5 fp16 at 512² needs ~3.5 GB in all); attention slicing when
# weights plus a smaller margin fit; model CPU offload (one component on the GPU at a time) below that.
GPU_ACTIVATION_MARGIN = 3 * 1024**3
GPU_SLICING_MARGIN = 1536 * 1024**2
# The noisy-image grey an inpainting model starts from when asked for text-to-image (the masked area is ignored).
BLANK_GREY = (127, 127, 127)
# A Lanczos upscale may go further than diffusion (no model memory involved), up to this many pixels per side.
MAX_LANCZOS_SIDE = 8192
IP_ADAPTER_SCALE = 0.6  # how strongly the style image steers (diffusers' examples use 0.5-0.7 for style)


def memory_plan(requested: str, gpu_bytes: int, model_bytes: int) -> str:
    """The memory setting to apply on a CUDA GPU with `gpu_bytes` for a model of `model_bytes` (its weights)."""
    if requested != "auto":
        return requested
    if gpu_bytes >= 2 * model_bytes + GPU_ACTIVATION_MARGIN:
        return "none"
    if gpu_bytes >= model_bytes + GPU_SLICING_MARGIN:
        return "attention_slicing"
    return "cpu_offload"


def _seconds_per_step(seconds: float, steps: int) -> float:
    return seconds / steps if steps else 0.0


@dataclass
class _Plan:
    """One mode turned into a pipeline call: which task runs, its arguments (all but seed and callback), and what
    happens to each image afterwards."""

    task: str  # "txt2img" | "img2img" | "inpaint" | "upscale" | "lanczos"
    kwargs: dict[str, Any] = field(default_factory=dict)
    finish: Callable[[Image.Image], Image.Image] = lambda image: image
    notes: list[str] = field(default_factory=list)
    how: str = ""  # said after the pipeline's name in the method: "x4", "outpaint: border filled…"
    ip_adapter: Path | None = None


class DiffusersImageEngine:
    """A diffusers pipeline (folder or single file); runs every image mode on it."""

    def __init__(self) -> None:
        self._torch: Any = None
        self._diffusers: Any = None
        self._pipe: Any = None
        self._tasks: dict[str, Any] = {}
        self._entry: ModelEntry | None = None
        self._device = "cpu"
        self._dtype: Any = None
        self._model_bytes = 0
        self._memory = "none"  # what is applied now (CUDA only)
        self._offloaded: Any = None  # the pipeline CPU offload hooks currently serve
        self._ip_adapter: Path | None = None

    # ------------------------------------------------------------ load / unload

    def load(self, model: ModelEntry, ctx: RunContext) -> None:
        # The user's consent for this model (Models window / `aigc models allow-pickle`), or the global opt-in.
        allow_pickle = pickle_allowed(model, ctx.paths)
        refuse_pickle_only(model, allow_pickle, can_allow=can_consent(model))
        ctx.progress(None, QT_TRANSLATE_NOOP("DiffusersEngine", "Loading torch and diffusers…"))
        import torch  # heavy: imported on the worker thread, never on the GUI thread

        diffusers: Any = importlib.import_module("diffusers")
        for library in ("diffusers", "transformers"):  # no tqdm bars in a desktop app
            importlib.import_module(f"{library}.utils.logging").disable_progress_bar()
        self._torch, self._diffusers = torch, diffusers
        if torch.cuda.is_available():
            self._device, self._dtype = "cuda", torch.float16  # half the memory; SD's own GPU examples use fp16
        else:
            self._device, self._dtype = "cpu", torch.float32  # CPUs run fp16 convolutions slowly or not at all
        ctx.progress(None, QT_TRANSLATE_NOOP("DiffusersEngine", "Loading {name}…").format(name=model.name))
        path = Path(model.path)
        try:
            if model.backend == "diffusers-single-file":
                pipe = self._load_single_file(model, path, ctx, use_safetensors=not model.pickle_only)
            else:
                pipe = self._load_folder(model, path, use_safetensors=not (model.pickle_only and allow_pickle))
        except (UserError, JobCancelled, MemoryError):
            self._release()
            raise
        except Exception as exc:  # bad config, missing or mismatched weights, unknown components
            log.warning("loading %s failed", path, exc_info=True)
            self._release()
            raise UserError(
                QT_TRANSLATE_NOOP(
                    "DiffusersEngine", "{name} could not be loaded as a diffusers pipeline: {reason}"
                ).format(name=model.name, reason=reason(exc))
            ) from exc
        pipe.set_progress_bar_config(disable=True)
        self._model_bytes = sum(
            p.numel() * p.element_size()
            for module in pipe.components.values()
            if isinstance(module, torch.nn.Module)
            for p in module.parameters()
        )
        self._pipe = pipe
        self._tasks = {}
        self._memory = "none"
        self._offloaded = None
        if self._device == "cuda":
            pipe.to("cuda")
        self._entry = model
        self._ip_adapter = find_ip_adapter(path, ctx.models_dir, is_xl(type(pipe).__name__), self._cross_attention_dim)
        log.info("loaded %s (%s) on %s as %s", path, type(pipe).__name__, self._device, self._dtype)

    def _load_folder(self, model: ModelEntry, path: Path, *, use_safetensors: bool) -> Any:
        class_name = pipeline_class_name(path)
        if class_name not in SUPPORTED_CLASSES:
            raise UserError(
                QT_TRANSLATE_NOOP(
                    "DiffusersEngine",
                    "{name} is a {pipeline} pipeline; this app runs Stable Diffusion 1.x, 2.x and XL pipelines and "
                    "the Stable Diffusion x4 upscaler.",
                ).format(name=model.name, pipeline=class_name or "diffusers")
            )
        cls = getattr(self._diffusers, class_name)
        kwargs: dict[str, Any] = {
            "local_files_only": True,
            "dtype": self._dtype,
            "use_safetensors": use_safetensors,
            **without_safety_checker(path),
        }
        variant = weights_variant(path)
        if variant:
            kwargs["variant"] = variant
        return cls.from_pretrained(path, **kwargs)

    def _load_single_file(self, model: ModelEntry, path: Path, ctx: RunContext, *, use_safetensors: bool) -> Any:
        shapes = safetensors_shapes(path) if use_safetensors else self._pickle_shapes(path)
        shape = checkpoint_shape(model.name, shapes)
        installed = [] if ctx.registry is None else ctx.registry.entries(ModelKind.IMAGE)
        config = find_config_folder(shape, config_candidates(path.parent, installed))
        if config is None:
            raise UserError(missing_config_message(model.name, shape, ctx.models_dir))
        log.info("single file %s takes its configuration from %s", path, config)
        cls = getattr(self._diffusers, pipeline_class_name(config))
        safety = without_safety_checker(config)
        return cls.from_single_file(str(path), config=str(config), local_files_only=True, dtype=self._dtype, **safety)

    def _pickle_shapes(self, path: Path) -> dict[str, list[int]]:
        """Tensor shapes of a .ckpt the user allowed: memory-mapped, restricted unpickler (weights_only)."""
        try:
            loaded = self._torch.load(path, map_location="cpu", mmap=True, weights_only=True)
        except Exception as exc:  # not a zip checkpoint, or objects the restricted unpickler refuses
            raise UserError(
                QT_TRANSLATE_NOOP("DiffusersEngine", "{file} could not be read as a checkpoint: {reason}").format(
                    file=path.name, reason=reason(exc)
                )
            ) from exc
        while isinstance(loaded, dict) and isinstance(loaded.get("state_dict"), dict):
            loaded = loaded["state_dict"]
        if not isinstance(loaded, dict):
            raise UserError(
                QT_TRANSLATE_NOOP(
                    "DiffusersEngine", "{file} holds no tensors by name, so it is not a Stable Diffusion checkpoint."
                ).format(file=path.name)
            )
        return {str(k): list(v.shape) for k, v in loaded.items() if hasattr(v, "shape")}

    def unload(self) -> None:
        self._release()
        self._entry = None

    def _release(self) -> None:
        self._pipe = None
        self._tasks = {}
        self._offloaded = None
        free_memory(self._torch, self._device)

    # ------------------------------------------------------------ what is loaded

    @property
    def pipeline(self) -> Any:
        """The loaded pipeline (tests and the benchmark compare against it)."""
        return self._pipe

    @property
    def _cross_attention_dim(self) -> int | None:
        unet = getattr(self._pipe, "unet", None) if self._pipe is not None else None
        dim = getattr(getattr(unet, "config", None), "cross_attention_dim", None)
        return dim if isinstance(dim, int) else None

    @property
    def is_upscaler(self) -> bool:
        return type(self._pipe).__name__ in UPSCALER_CLASSES

    @property
    def is_inpainting_model(self) -> bool:
        unet = getattr(self._pipe, "unet", None)
        return bool(unet is not None and int(unet.config.in_channels) == 9)

    def task_pipeline(self, task: str) -> Any:
        """The pipeline for "txt2img" / "img2img" / "inpaint", sharing the loaded components (built on first use)."""
        if task in self._tasks:
            return self._tasks[task]
        wanted = FAMILY_TASKS[is_xl(type(self._pipe).__name__)][task]
        if type(self._pipe).__name__ == wanted:
            pipe = self._pipe
        else:
            # dtype: from_pipe converts the shared modules to its dtype (float32 unless told), in place.
            pipe = getattr(self._diffusers, wanted).from_pipe(self._pipe, dtype=self._dtype)
            pipe.set_progress_bar_config(disable=True)
        self._tasks[task] = pipe
        return pipe

    # ------------------------------------------------------------ run

    def run(self, spec: JobSpec, ctx: RunContext) -> JobResult:
        if self._pipe is None or self._entry is None:
            raise UserError(QT_TRANSLATE_NOOP("DiffusersEngine", "No image model is loaded."))
        started = time.perf_counter()
        spec = spec.resolved()
        params = ImageParams.from_spec(spec)
        seed = int(spec.seed or 0)
        plan = self._plan(spec, params)  # reads and checks the input images
        if plan.task == "lanczos":
            return self._lanczos(spec, plan, params, seed, started)
        pipe = self._pipe if plan.task == "upscale" else self.task_pipeline(plan.task)
        self._set_scheduler(pipe, params.scheduler)
        memory = self._apply_memory(pipe, params.memory)
        images: list[Image.Image] = []
        seeds: list[int] = []
        pipeline_seconds = preview_seconds = callback_seconds = 0.0
        steps = 0
        try:
            if plan.ip_adapter is not None:
                self._load_ip_adapter(pipe, plan.ip_adapter)
            for index in range(params.batch):
                ctx.cancel.check()
                image_seed = batch_seed(seed, index)
                reporter = StepReporter(
                    ctx, index=index, batch=params.batch, previews=params.previews,
                    family=preview_family(pipe),
                )  # fmt: skip
                generator = self._torch.Generator("cpu").manual_seed(image_seed)
                call_started = time.perf_counter()
                out = self._call(pipe, plan, generator, reporter)
                pipeline_seconds += time.perf_counter() - call_started
                preview_seconds += reporter.preview_seconds
                callback_seconds += reporter.seconds
                steps = reporter.steps
                images.append(plan.finish(out.images[0]))
                seeds.append(image_seed)
        finally:
            if plan.ip_adapter is not None:
                self._unload_ip_adapter(pipe)
        seconds = time.perf_counter() - started
        total_steps = steps * len(images)
        per_step = _seconds_per_step(pipeline_seconds, total_steps)
        output = ImageOutput(
            images=images,
            seeds=seeds,
            mode=params.mode,
            steps=steps,
            seconds_per_step=per_step,
            method=_method(type(pipe).__name__, plan.how),
            notes=plan.notes,
        )
        metrics = {
            "seconds_per_step": round(per_step, 4),
            "steps": steps,
            "images": len(images),
            # Where the time went: the library's calls (step callbacks included), and within them our callbacks
            # (previews, progress, the Stop check). The rest of `seconds` is reading inputs and finishing images.
            "pipeline_seconds": round(pipeline_seconds, 4),
            "callback_seconds": round(callback_seconds, 4),
            "preview_seconds": round(preview_seconds, 4),
            "scheduler": type(pipe.scheduler).__name__,
            "device": self._device,
            "dtype": str(self._dtype).removeprefix("torch."),
            "memory": memory,
            "threads": self._torch.get_num_threads(),
        }
        return JobResult(spec=spec, output=output, seconds=seconds, metrics=metrics)

    def _call(self, pipe: Any, plan: _Plan, generator: Any, reporter: StepReporter) -> Any:
        torch = self._torch
        if plan.task == "upscale":
            hooks: dict[str, Any] = {"callback": reporter.legacy(pipe), "callback_steps": 1}
        else:
            hooks = {"callback_on_step_end": reporter, "callback_on_step_end_tensor_inputs": ["latents"]}
        try:
            return pipe(**plan.kwargs, generator=generator, **hooks)
        except (JobCancelled, UserError, KeyboardInterrupt):
            raise
        except torch.cuda.OutOfMemoryError as exc:
            free_memory(torch, self._device)
            raise UserError(
                QT_TRANSLATE_NOOP(
                    "DiffusersEngine",
                    "The GPU ran out of memory: choose a smaller size, or the memory setting 'Model CPU offload'.",
                )
            ) from exc
        except (RuntimeError, ValueError, TypeError, IndexError) as exc:  # shapes the model cannot take, etc.
            log.warning("image generation failed", exc_info=True)
            raise UserError(
                QT_TRANSLATE_NOOP("DiffusersEngine", "Image generation failed: {reason}").format(reason=reason(exc))
            ) from exc

    def _lanczos(self, spec: JobSpec, plan: _Plan, params: ImageParams, seed: int, started: float) -> JobResult:
        image = plan.kwargs["image"]
        upscaled = image_ops.lanczos_upscale(image, params.upscale_factor)
        seconds = time.perf_counter() - started
        output = ImageOutput(
            # Deterministic: every batch item is the same picture (copies, so that editing one leaves the others).
            images=[upscaled] + [upscaled.copy() for _ in range(params.batch - 1)],
            seeds=[batch_seed(seed, i) for i in range(params.batch)],
            mode=params.mode,
            steps=0,
            seconds_per_step=0.0,
            method=QT_TRANSLATE_NOOP("DiffusersEngine", "Lanczos (no upscaler model)"),
            notes=plan.notes,
        )
        return JobResult(spec=spec, output=output, seconds=seconds, metrics={"seconds_per_step": 0.0, "steps": 0})

    # ------------------------------------------------------------ modes

    def _plan(self, spec: JobSpec, params: ImageParams) -> _Plan:
        mode = params.image_mode
        name = self._entry.name if self._entry else QT_TRANSLATE_NOOP("DiffusersEngine", "This model")
        size = (params.width, params.height)
        prompt = str(spec.inputs.get("prompt") or "")
        negative = str(spec.inputs.get("negative_prompt") or "")
        text: dict[str, Any] = {
            "prompt": prompt,
            "negative_prompt": negative or None,
            "num_inference_steps": params.steps,
            "guidance_scale": params.guidance,
        }
        if mode == ImageMode.INTERPOLATE:
            raise UserError(
                QT_TRANSLATE_NOOP(
                    "DiffusersEngine", "{name} is a diffusion model; interpolation needs a VAE trained in this app."
                ).format(name=name)
            )
        if self.is_upscaler and mode != ImageMode.UPSCALE:
            raise UserError(
                QT_TRANSLATE_NOOP(
                    "DiffusersEngine", "{name} is an upscaler: it can only upscale an image (choose the upscale mode)."
                ).format(name=name)
            )
        if mode == ImageMode.UPSCALE:
            return self._plan_upscale(spec, params, text)
        if mode == ImageMode.TXT2IMG:
            if self.is_inpainting_model:
                blank = Image.new("RGB", size, BLANK_GREY)
                note = QT_TRANSLATE_NOOP(
                    "DiffusersEngine", "inpainting model: text-to-image runs as inpainting of a blank canvas"
                )
                return self._inpaint_plan(
                    text, params, blank, Image.new("L", size, 255), strength=1.0, notes=[note]
                )  # fmt: skip
            return _Plan("txt2img", {**text, "width": params.width, "height": params.height})
        init_rgba = _read_input(spec, "init_image", QT_TRANSLATE_NOOP("DiffusersEngine", "the image to start from"))
        if mode == ImageMode.OUTPAINT:
            filled, mask, blend = image_ops.outpaint_inputs(image_ops.fit(init_rgba, size))
            plan = self._inpaint_plan(text, params, filled, mask, strength=params.strength)
            plan.finish = lambda image: image_ops.keep_unmasked(filled, image, blend)
            plan.how = QT_TRANSLATE_NOOP("DiffusersEngine", "outpaint: border filled from the picture, then inpainted")
            return plan
        init = image_ops.fit(image_ops.flatten(init_rgba), size)
        if mode == ImageMode.INPAINT:
            mask = image_ops.mask_from(
                _read_input(spec, "mask_image", QT_TRANSLATE_NOOP("DiffusersEngine", "the mask"))
            )
            image_ops.check_mask_size(mask, init_rgba)
            mask = image_ops.fit(mask, size)
            if mask.getextrema()[1] == 0:
                raise UserError(
                    QT_TRANSLATE_NOOP(
                        "DiffusersEngine", "The mask is empty: paint (white) where the picture should change."
                    )
                )
            plan = self._inpaint_plan(text, params, init, mask, strength=params.strength)
            plan.finish = lambda image: image_ops.keep_unmasked(init, image, mask)
            return plan
        notes: list[str] = []
        ip_adapter = None
        if mode == ImageMode.STYLE:
            reference = _read_input(spec, "style_image", QT_TRANSLATE_NOOP("DiffusersEngine", "the style reference"))
            style = image_ops.flatten(reference)
            if self._ip_adapter is not None:
                ip_adapter = self._ip_adapter
                text["ip_adapter_image"] = style
                notes.append(
                    QT_TRANSLATE_NOOP("DiffusersEngine", "style: IP-Adapter {file} (scale {scale})").format(
                        file=ip_adapter.name, scale=IP_ADAPTER_SCALE
                    )
                )
            else:
                init = image_ops.transfer_colour(init, style)
                notes.append(
                    QT_TRANSLATE_NOOP(
                        "DiffusersEngine",
                        "style: img2img recipe (colour transfer from the reference, then img2img; no IP-Adapter)",
                    )
                )
        _check_strength_steps(params)
        if self.is_inpainting_model:
            note = QT_TRANSLATE_NOOP(
                "DiffusersEngine", "inpainting model: img2img runs as inpainting under a full mask"
            )
            plan = self._inpaint_plan(
                text, params, init, Image.new("L", size, 255), strength=params.strength, notes=[*notes, note]
            )  # fmt: skip
        else:
            plan = _Plan("img2img", {**text, "image": init, "strength": params.strength}, notes=notes)
        plan.ip_adapter = ip_adapter
        return plan

    def _inpaint_plan(
        self,
        text: dict[str, Any],
        params: ImageParams,
        image: Image.Image,
        mask: Image.Image,
        *,
        strength: float,
        notes: list[str] | None = None,
    ) -> _Plan:
        _check_strength_steps(params, strength)
        kwargs = {
            **text,
            "image": image,
            "mask_image": mask,
            "strength": strength,
            "width": params.width,  # the inpaint pipeline would otherwise use the UNet's default size
            "height": params.height,
        }
        return _Plan("inpaint", kwargs, notes=list(notes or []))

    def _plan_upscale(self, spec: JobSpec, params: ImageParams, text: dict[str, Any]) -> _Plan:
        source = _read_input(spec, "init_image", QT_TRANSLATE_NOOP("DiffusersEngine", "the image to upscale"))
        factor = params.upscale_factor
        target = (source.width * factor, source.height * factor)
        if not self.is_upscaler:
            if max(target) > MAX_LANCZOS_SIDE:
                raise UserError(
                    QT_TRANSLATE_NOOP(
                        "DiffusersEngine", "Upscaling {width}×{height} ×{factor} exceeds {limit} px."
                    ).format(width=source.width, height=source.height, factor=factor, limit=MAX_LANCZOS_SIDE)
                )
            return _Plan("lanczos", {"image": source})  # the method says it: "Lanczos (no upscaler model)"
        native = int(getattr(self._pipe, "vae_scale_factor", 4))
        if max(source.width, source.height) * native > MAX_SIDE:
            raise UserError(
                QT_TRANSLATE_NOOP(
                    "DiffusersEngine",
                    "The upscaler makes images {native}× larger; {width}×{height} would exceed {limit} px per side. "
                    "Upscale a smaller image or a part of it.",
                ).format(native=native, width=source.width, height=source.height, limit=MAX_SIDE)
            )
        notes: list[str] = []
        how = f"x{native}"
        if native != factor:
            notes.append(
                QT_TRANSLATE_NOOP(
                    "DiffusersEngine", "the model upscales x{native}; resized to x{factor} with Lanczos"
                ).format(native=native, factor=factor)
            )
            how = QT_TRANSLATE_NOOP("DiffusersEngine", "x{native}, then Lanczos to x{factor}").format(
                native=native, factor=factor
            )

        def finish(image: Image.Image) -> Image.Image:
            return image if image.size == target else image.resize(target, Image.Resampling.LANCZOS)

        return _Plan("upscale", {**text, "image": image_ops.flatten(source)}, finish=finish, notes=notes, how=how)

    # ------------------------------------------------------------ schedulers, memory, IP-Adapter

    def _set_scheduler(self, pipe: Any, key: str) -> None:
        """A fresh scheduler for every run, made from the model's own scheduler config (its betas, prediction type
        and timestep spacing), so one run's state never leaks into the next."""
        base = self._pipe.scheduler
        if key == "default":
            pipe.scheduler = type(base).from_config(base.config)
            return
        class_name, settings = SCHEDULER_CLASSES[key]
        cls = getattr(self._diffusers, class_name)
        pipe.scheduler = cls.from_config(base.config, **{**_RESET_SCHEDULER_SETTINGS, **settings})

    def _apply_memory(self, pipe: Any, requested: str) -> str:
        """Applies the memory setting on CUDA (attention slicing / model CPU offload); nothing on a CPU."""
        if self._device != "cuda":
            return "n/a (cpu)"
        torch = self._torch
        plan = memory_plan(requested, int(torch.cuda.get_device_properties(0).total_memory), self._model_bytes)
        if plan != self._memory:
            if self._memory == "cpu_offload":
                for task_pipe in {id(p): p for p in (self._pipe, *self._tasks.values())}.values():
                    task_pipe.remove_all_hooks()
                self._pipe.to("cuda")
                self._offloaded = None
            if plan == "none":
                pipe.disable_attention_slicing()
            else:
                pipe.enable_attention_slicing()
            self._memory = plan
        if plan == "cpu_offload" and self._offloaded is not pipe:
            pipe.enable_model_cpu_offload()  # hooks move each component to the GPU only while it runs
            self._offloaded = pipe
        return plan

    def _load_ip_adapter(self, pipe: Any, weights: Path) -> None:
        try:
            pipe.load_ip_adapter(str(weights.parent), subfolder="", weight_name=weights.name, local_files_only=True)
            pipe.set_ip_adapter_scale(IP_ADAPTER_SCALE)
        except (UserError, JobCancelled):
            raise
        except Exception as exc:
            log.warning("loading IP-Adapter %s failed", weights, exc_info=True)
            raise UserError(
                QT_TRANSLATE_NOOP("DiffusersEngine", "The IP-Adapter {file} could not be loaded: {reason}").format(
                    file=weights.name, reason=reason(exc)
                )
            ) from exc

    def _unload_ip_adapter(self, pipe: Any) -> None:
        # The adapter's attention processors would otherwise expect a style image in every later job.
        if getattr(pipe, "image_encoder", None) is not None or hasattr(pipe.unet, "encoder_hid_proj"):
            try:
                pipe.unload_ip_adapter()
            except Exception:  # a half-loaded adapter: the next load starts clean anyway
                log.warning("unloading the IP-Adapter failed", exc_info=True)


# ---------------------------------------------------------------- helpers (no state)


def _method(pipeline: str, how: str) -> str:
    """What made the images: the pipeline's class, and how it was used when that is worth saying."""
    if not how:
        return f"diffusers {pipeline}"
    return QT_TRANSLATE_NOOP("DiffusersEngine", "diffusers {pipeline} ({how})").format(pipeline=pipeline, how=how)


def _read_input(spec: JobSpec, key: str, what: str) -> Image.Image:
    value = spec.inputs.get(key)
    if not value:
        raise UserError(QT_TRANSLATE_NOOP("DiffusersEngine", "This mode needs {what}.").format(what=what))
    return read_image_file(Path(str(value)))


def _check_strength_steps(params: ImageParams, strength: float | None = None) -> None:
    used = params.strength if strength is None else strength
    if int(params.steps * used) < 1:
        raise UserError(
            QT_TRANSLATE_NOOP(
                "DiffusersEngine",
                "With strength {strength}, {steps} steps make no denoising step at all: "
                "raise the steps or the strength.",
            ).format(strength=f"{used:g}", steps=params.steps)
        )
