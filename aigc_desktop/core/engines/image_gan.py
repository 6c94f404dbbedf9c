"""Sampling the models trained on the user's pictures (backends "aigc-gan" and "aigc-vae"), through the image
contract of core/image.py, so the Canvas pane and `aigc image` use them like any image model.

- txt2img (both): `batch` new 64×64 pictures; picture i comes from noise seeded with batch_seed(seed, i), so the same
  seed gives the same pixels and any picture of a batch can be made again alone. The prompt is ignored.
- img2img (VAE): variations of init_image — its latent code mixed with seeded noise, `strength` of the way towards a
  free sample (0 would give the picture back as the VAE sees it, 1 a new picture).
- interpolate (VAE): `batch` frames walking in a straight line through latent space from init_image to end_image.

Pictures stay 64×64 (what the models make); whoever shows them scales them. torch is imported in `load()`. Messages
and the method are marked for translation (core/i18n.py); str() is the English.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from aigc_desktop.core.engines.base import RunContext
from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.image.job import ImageMode, ImageOutput, ImageParams, ImagePreview, batch_seed
from aigc_desktop.core.media import read_image_file
from aigc_desktop.core.models.entry import ModelEntry
from aigc_desktop.core.specs import JobResult, JobSpec
from aigc_desktop.core.train.job import GAN_BACKEND, VAE_BACKEND


class TrainedImageEngine:
    def __init__(self) -> None:
        self._torch: Any = None
        self._net: Any = None  # the DCGAN generator or the whole VAE
        self._meta: dict[str, Any] = {}
        self._backend = ""
        self._latent_dim = 0
        self._entry: ModelEntry | None = None

    # ------------------------------------------------------------ load / unload

    def load(self, model: ModelEntry, ctx: RunContext) -> None:
        ctx.progress(None, QT_TRANSLATE_NOOP("TrainedImageEngine", "Loading {name}…").format(name=model.name))
        import torch  # heavy: imported on the worker thread, never on the GUI thread

        from aigc_desktop.core.train import checkpoint

        self._torch = torch
        meta, tensors = checkpoint.read_checkpoint(Path(model.path))
        backend = str(meta.get("backend", model.backend))
        config = meta.get("config")
        if not isinstance(config, dict):
            raise UserError(
                QT_TRANSLATE_NOOP(
                    "TrainedImageEngine",
                    "{name} does not say how its network is built (no 'config' in aigc_model.json).",
                ).format(name=model.name)
            )
        try:
            if backend == GAN_BACKEND:
                from aigc_desktop.core.train.dcgan import DCGANConfig, Generator

                gan_config = DCGANConfig.from_dict(config)
                net: Any = Generator(gan_config)
                net.load_state_dict(checkpoint.sub_state(tensors, "generator"), strict=True)
                self._latent_dim = gan_config.latent_dim
            elif backend == VAE_BACKEND:
                from aigc_desktop.core.train.vae import ConvVAE, VAEConfig

                vae_config = VAEConfig.from_dict(config)
                net = ConvVAE(vae_config)
                net.load_state_dict(checkpoint.sub_state(tensors, "vae"), strict=True)
                self._latent_dim = vae_config.latent_dim
            else:
                raise UserError(
                    QT_TRANSLATE_NOOP(
                        "TrainedImageEngine", "{name} is a '{backend}' model, which this engine does not run."
                    ).format(name=model.name, backend=backend)
                )
        except (RuntimeError, TypeError, ValueError) as exc:  # shapes or names that do not match the config
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise UserError(
                QT_TRANSLATE_NOOP(
                    "TrainedImageEngine",
                    "{name} could not be loaded: its weights do not fit its description ({reason}).",
                ).format(name=model.name, reason=first)
            ) from exc
        net.eval()  # batch norm uses its running statistics: each picture depends on its own seed only
        self._net, self._meta, self._backend, self._entry = net, meta, backend, model

    def unload(self) -> None:
        self._net = None
        self._entry = None

    # ------------------------------------------------------------ run

    @property
    def _is_vae(self) -> bool:
        return self._backend == VAE_BACKEND

    def run(self, spec: JobSpec, ctx: RunContext) -> JobResult:
        if self._net is None or self._entry is None:
            raise UserError(QT_TRANSLATE_NOOP("TrainedImageEngine", "No trained image model is loaded."))
        params = ImageParams.from_spec(spec)
        mode = params.image_mode
        seed = spec.seed if spec.seed is not None else 0
        seeds = [batch_seed(seed, i) for i in range(params.batch)]
        name = self._entry.name
        if mode not in (ImageMode.TXT2IMG, ImageMode.IMG2IMG, ImageMode.INTERPOLATE):
            raise UserError(
                QT_TRANSLATE_NOOP(
                    "TrainedImageEngine", "{name} is a small trained model: it can make new pictures, not {mode}."
                ).format(name=name, mode=mode.value)
            )
        if mode is not ImageMode.TXT2IMG and not self._is_vae:
            raise UserError(
                QT_TRANSLATE_NOOP(
                    "TrainedImageEngine",
                    "{name} is a GAN, which cannot start from a picture: train a VAE for variations and interpolation.",
                ).format(name=name)
            )
        started = time.perf_counter()
        torch = self._torch
        with torch.inference_mode():
            if mode is ImageMode.TXT2IMG:
                pictures = [self._sample(s) for s in seeds]
            elif mode is ImageMode.IMG2IMG:
                mu = self._encode(self._input_image(spec, "init_image"))
                pictures = [self._vary(mu, params.strength, s) for s in seeds]
            else:
                start = self._encode(self._input_image(spec, "init_image"))
                end = self._encode(self._input_image(spec, "end_image"))
                steps = max(1, params.batch - 1)
                pictures = [self._decode(start + (end - start) * (i / steps)) for i in range(params.batch)]
        images: list[Image.Image] = []
        for i, picture in enumerate(pictures):
            ctx.cancel.check()
            image = Image.fromarray(picture, "RGB")
            images.append(image)
            if params.previews:
                ctx.partial(ImagePreview(index=i, step=1, total_steps=1, image=image))
            progress = QT_TRANSLATE_NOOP("TrainedImageEngine", "Picture {index}/{count}")
            ctx.progress((i + 1) / len(pictures), progress.format(index=i + 1, count=len(pictures)))
        seconds = time.perf_counter() - started
        notes: list[str] = []
        if str(spec.inputs.get("prompt") or "").strip():
            notes.append(
                QT_TRANSLATE_NOOP(
                    "TrainedImageEngine", "prompt ignored: this model was trained on pictures alone and takes no text"
                )
            )
        output = ImageOutput(
            images=images,
            seeds=seeds,
            mode=mode.value,
            steps=1,  # one pass through the network per picture
            seconds_per_step=seconds / len(images),
            method=self._method(mode, params.strength),
            notes=notes,
        )
        metrics = {"images": len(images), "seconds_per_image": round(seconds / len(images), 5)}
        return JobResult(spec=spec, output=output, seconds=seconds, metrics=metrics)

    def _method(self, mode: ImageMode, strength: float) -> str:
        n = self._meta.get("dataset_size", "?")
        epochs = self._meta.get("epochs_trained", "?")
        what = "VAE" if self._is_vae else "DCGAN"
        trained = QT_TRANSLATE_NOOP(
            "TrainedImageEngine", "{network} trained on {count} images ({epochs} epochs)"
        ).format(network=what, count=n, epochs=epochs)
        if mode is ImageMode.IMG2IMG:
            return QT_TRANSLATE_NOOP(
                "TrainedImageEngine", "{trained}: variations, latent code plus noise at strength {strength}"
            ).format(trained=trained, strength=f"{strength:g}")
        if mode is ImageMode.INTERPOLATE:
            return QT_TRANSLATE_NOOP(
                "TrainedImageEngine", "{trained}: straight-line interpolation in latent space"
            ).format(trained=trained)
        return trained

    # ------------------------------------------------------------ network passes (numbers in, uint8 RGB out)

    def _noise(self, seed: int) -> Any:
        gen = self._torch.Generator().manual_seed(seed)
        return self._torch.randn(1, self._latent_dim, generator=gen)

    def _sample(self, seed: int) -> np.ndarray:
        z = self._noise(seed)
        if self._is_vae:
            return self._decode(z)
        return self._to_uint8(self._net(z), low=-1.0)

    def _decode(self, z: Any) -> np.ndarray:
        return self._to_uint8(self._net.decode(z), low=0.0)

    def _vary(self, mu: Any, strength: float, seed: int) -> np.ndarray:
        # Variance-preserving mix (as diffusion's forward process): strength 1 is a free sample from the prior.
        z = mu * (1.0 - strength) ** 0.5 + self._noise(seed) * strength**0.5
        return self._decode(z)

    def _encode(self, picture: Image.Image) -> Any:
        torch = self._torch
        x = torch.from_numpy(np.asarray(picture, dtype=np.float32) / 255.0).permute(2, 0, 1)[None]
        mu, _logvar = self._net.encode(x)
        return mu

    def _input_image(self, spec: JobSpec, key: str) -> Image.Image:
        from aigc_desktop.core.train.dataset import to_square

        value = spec.inputs.get(key)
        if not value:
            if key == "end_image":
                what = QT_TRANSLATE_NOOP("TrainedImageEngine", "an end image")
            else:
                what = QT_TRANSLATE_NOOP("TrainedImageEngine", "an init image")
            raise UserError(QT_TRANSLATE_NOOP("TrainedImageEngine", "This mode needs {what}.").format(what=what))
        path = Path(str(value)).expanduser()
        if not path.is_file():
            raise UserError(QT_TRANSLATE_NOOP("TrainedImageEngine", "There is no image at {path}.").format(path=path))
        return to_square(read_image_file(path))

    def _to_uint8(self, batch: Any, low: float) -> np.ndarray:
        from aigc_desktop.core.train.checkpoint import to_uint8

        first: np.ndarray = to_uint8(batch, low)[0]
        return first
