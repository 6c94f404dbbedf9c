"""What a diffusion run reports after every denoising step: progress, a cheap latent preview, and Stop.

The reporter is the pipelines' `callback_on_step_end`; it never touches the latents, so a run with it makes exactly
the pixels a bare pipeline call makes. The preview costs one 4×3 matrix product per latent pixel (a 64×64 image for a
512² picture), far under the 10 % of a step the previews may cost (benchmarks/image.py measures it). The progress
line is a marked Msg (core/i18n.py): the window shows it translated.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PIL import Image

from aigc_desktop.core.engines.base import RunContext
from aigc_desktop.core.errors import JobCancelled
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.image import ops as image_ops
from aigc_desktop.core.image.job import ImagePreview
from aigc_desktop.core.models.image_models import is_xl


def preview_family(pipe: Any) -> str:
    return "sdxl" if is_xl(type(pipe).__name__) else "sd"


class StepReporter:
    """`callback_on_step_end` for one image: progress, a latent preview (when asked) and Stop, after every step.

    It never changes the latents (it returns no tensors), so the pipeline's result is exactly what it would be
    without it. Public so that the benchmark times the same callback against a bare run.
    """

    def __init__(self, ctx: RunContext, *, index: int, batch: int, previews: bool, family: str) -> None:
        self._ctx = ctx
        self._index = index
        self._batch = batch
        self._previews = previews
        self._family = family
        self.steps = 0
        self.preview_seconds = 0.0  # making and sending previews
        self.seconds = 0.0  # everything this reporter did (previews, progress, the Stop check)

    def __call__(self, pipe: Any, step: int, timestep: Any, tensors: dict[str, Any]) -> dict[str, Any]:
        total = int(getattr(pipe, "_num_timesteps", 0) or len(pipe.scheduler.timesteps))
        self.report(pipe.scheduler, tensors.get("latents"), total)
        return {}

    def legacy(self, pipe: Any) -> Callable[[int, int, Any], None]:
        """The older `callback(step, timestep, latents)` form, for the pipelines that only have that (upscaler).
        No preview there: the upscaler's latents belong to its own VAE, for which no RGB factors are known."""

        def callback(step: int, timestep: int, latents: Any) -> None:
            self._previews = False
            self.report(pipe.scheduler, latents, len(pipe.scheduler.timesteps))

        return callback

    def report(self, scheduler: Any, latents: Any, total: int) -> None:
        entered = time.perf_counter()
        try:
            self._report(scheduler, latents, total)
        finally:
            self.seconds += time.perf_counter() - entered

    def _report(self, scheduler: Any, latents: Any, total: int) -> None:
        self.steps += 1
        step = min(self.steps, max(total, 1))
        if self._previews and latents is not None and latents.shape[1] == 4:
            started = time.perf_counter()
            self._ctx.partial(ImagePreview(self._index, step, total, self.preview(scheduler, latents)))
            self.preview_seconds += time.perf_counter() - started
        if self._batch > 1:
            message = QT_TRANSLATE_NOOP("ImageSteps", "Image {index}/{batch}: step {step}/{total}").format(
                index=self._index + 1, batch=self._batch, step=step, total=total
            )
        else:
            message = QT_TRANSLATE_NOOP("ImageSteps", "Step {step}/{total}").format(step=step, total=total)
        self._ctx.progress((self._index + step / max(total, 1)) / self._batch, message)
        if self._ctx.cancel.cancelled:
            raise JobCancelled()

    def preview(self, scheduler: Any, latents: Any) -> Image.Image:
        """The first latent of the batch through the linear latent→RGB map. Schedulers that keep the noise at full
        scale (Euler, LMS: init_noise_sigma > 1) have latents of x + σ·noise; dividing by √(σ²+1) brings them to the
        picture's range, as the variance-preserving schedulers (DDIM, DPM++) already are."""
        sample = latents[0].detach().float()
        sigmas = getattr(scheduler, "sigmas", None)
        index = getattr(scheduler, "step_index", None)
        if float(getattr(scheduler, "init_noise_sigma", 1.0)) > 1.0 and sigmas is not None and index is not None:
            sigma = float(sigmas[min(int(index), len(sigmas) - 1)])
            sample = sample / (sigma * sigma + 1.0) ** 0.5
        return image_ops.latent_preview(sample.cpu().numpy(), self._family)
