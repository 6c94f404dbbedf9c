"""The training loop for the DCGAN and the conv VAE: epochs of shuffled mini-batches, Adam, a loss report every step,
a sample grid from fixed noise every `sample_every` steps and at each epoch's end, and a checkpoint per epoch.

It runs on whatever thread calls `run` (a worker lane, the CLI's main thread, a test) and talks only through the
RunContext: partials (TrainProgress), progress, the cancel token (Stop: raises JobCancelled, the last finished epoch
stays saved) and the pause token (waits between steps; paused time counts neither towards speed nor towards the ETA).
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import torch
from PIL import Image
from torch import nn

from aigc_desktop.core.engines.base import RunContext
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.train import checkpoint
from aigc_desktop.core.train.augment import diff_augment
from aigc_desktop.core.train.dcgan import DCGANConfig, Discriminator, Generator, init_weights
from aigc_desktop.core.train.job import (
    BACKEND_FOR_KIND,
    IMAGE_SIZE,
    LICENCE,
    TrainKind,
    TrainOutput,
    TrainParams,
    TrainProgress,
)
from aigc_desktop.core.train.vae import ConvVAE, VAEConfig, vae_loss

SAMPLE_COUNT = 16  # a 4×4 grid: cheap enough to make every few steps, big enough to see variety and collapse
# Step reports without a new sample grid are sent at most this often (each carries the losses of every step since
# the previous one, so curves stay complete): tiny models make hundreds of steps a second, and each report wakes
# the GUI thread.
REPORT_EVERY_S = 0.1


def choose_precision(device: str, wanted: str) -> str:
    """Autocast to "bf16" or plain "fp32". `auto` picks bf16 on CPUs that multiply bf16 natively (AVX512-BF16 or AMX):
    1.4× (batch 16) to 2.1× (batch 32) faster for the classic DCGAN on this project's 2-core EPYC
    (benchmarks/gan_train.py); elsewhere bf16 would be emulated, and on CUDA it is unmeasured, so fp32 stays."""
    if wanted != "auto":
        return wanted
    if device != "cpu":
        return "fp32"
    native = torch.cpu._is_avx512_bf16_supported() or torch.cpu._is_amx_tile_supported()
    return "bf16" if native else "fp32"


class _Model(Protocol):
    """What the loop needs of one kind of model."""

    loss_names: tuple[str, ...]
    low: float  # pixel value of black in the model's range (-1 for tanh outputs, 0 for sigmoid)

    def step(self, batch: torch.Tensor) -> dict[str, float]: ...

    def samples(self) -> torch.Tensor: ...

    def tensors(self) -> dict[str, torch.Tensor]: ...

    def architecture(self) -> dict[str, Any]: ...


class _Gan:
    loss_names: tuple[str, ...] = ("discriminator", "generator")
    low = -1.0

    def __init__(self, params: TrainParams, gen: torch.Generator, device: str, precision: str) -> None:
        assert params.latent_dim is not None and params.width is not None and params.lr is not None
        assert params.beta1 is not None
        self.config = DCGANConfig(latent_dim=params.latent_dim, width=params.width)
        self.g = Generator(self.config)
        self.d = Discriminator(self.config)
        init_weights(self.g, gen)
        init_weights(self.d, gen)
        self.device, self.bf16 = device, precision == "bf16"
        # channels_last helps fp32 convolutions on CPU (1.1-1.3× measured) but not the bf16 ones: only with fp32.
        fmt = torch.channels_last if (device == "cpu" and not self.bf16) else torch.contiguous_format
        self.g.to(device=device, memory_format=fmt)  # type: ignore[call-overload]
        self.d.to(device=device, memory_format=fmt)  # type: ignore[call-overload]
        self.memory_format = fmt
        betas = (params.beta1, 0.999)
        self.opt_g = torch.optim.Adam(self.g.parameters(), lr=params.lr, betas=betas)
        self.opt_d = torch.optim.Adam(self.d.parameters(), lr=params.lr, betas=betas)
        self.loss = nn.BCEWithLogitsLoss()
        self.gen = gen
        self.augments = params.augment
        self.fixed_noise = torch.randn(SAMPLE_COUNT, params.latent_dim, generator=gen).to(device)

    def step(self, batch: torch.Tensor) -> dict[str, float]:
        n = batch.shape[0]
        real = batch.to(memory_format=self.memory_format)
        ones = torch.ones(n, device=self.device)
        zeros = torch.zeros(n, device=self.device)
        z = torch.randn(n, self.config.latent_dim, generator=self.gen).to(self.device)
        self.g.train()
        self.d.train()
        # Discriminator: real pictures → 1, generated → 0.
        with torch.autocast("cpu" if self.device == "cpu" else "cuda", torch.bfloat16, enabled=self.bf16):
            fake = self.g(z)
            d_real = self.d(self.augment(real))
            d_fake = self.d(self.augment(fake.detach()))
        loss_d = self.loss(d_real.float(), ones) + self.loss(d_fake.float(), zeros)
        self.opt_d.zero_grad(set_to_none=True)
        loss_d.backward()
        self.opt_d.step()
        # Generator: make the (just updated) discriminator say 1 (the non-saturating loss of the paper).
        with torch.autocast("cpu" if self.device == "cpu" else "cuda", torch.bfloat16, enabled=self.bf16):
            d_fooled = self.d(self.augment(fake))
        loss_g = self.loss(d_fooled.float(), ones)
        self.opt_g.zero_grad(set_to_none=True)
        loss_g.backward()
        self.opt_g.step()
        return {"discriminator": float(loss_d.item()), "generator": float(loss_g.item())}

    def augment(self, x: torch.Tensor) -> torch.Tensor:
        return diff_augment(x, self.gen) if self.augments else x

    @torch.no_grad()
    def samples(self) -> torch.Tensor:
        # Eval mode (running batch-norm statistics), as the sampling engine runs it: the grid shows what users get.
        self.g.eval()
        out: torch.Tensor = self.g(self.fixed_noise)
        self.g.train()
        return out

    def tensors(self) -> dict[str, torch.Tensor]:
        return {f"generator.{k}": v for k, v in self.g.state_dict().items()}

    def architecture(self) -> dict[str, Any]:
        return {"architecture": "dcgan", "config": self.config.to_dict()}


class _Vae:
    loss_names: tuple[str, ...] = ("total", "reconstruction", "kl")
    low = 0.0

    def __init__(self, params: TrainParams, gen: torch.Generator, device: str, precision: str) -> None:
        assert params.latent_dim is not None and params.width is not None and params.lr is not None
        assert params.beta1 is not None
        self.config = VAEConfig(latent_dim=params.latent_dim, width=params.width)
        self.vae = ConvVAE(self.config)
        init_weights_vae(self.vae, gen)
        self.device, self.bf16 = device, precision == "bf16"
        self.vae.to(device)
        self.opt = torch.optim.Adam(self.vae.parameters(), lr=params.lr, betas=(params.beta1, 0.999))
        self.kl_weight = params.kl_weight
        self.gen = gen
        self.fixed_noise = torch.randn(SAMPLE_COUNT, params.latent_dim, generator=gen).to(device)

    def step(self, batch: torch.Tensor) -> dict[str, float]:
        self.vae.train()
        noise = torch.randn(batch.shape[0], self.config.latent_dim, generator=self.gen).to(self.device)
        with torch.autocast("cpu" if self.device == "cpu" else "cuda", torch.bfloat16, enabled=self.bf16):
            recon, mu, logvar = self.vae(batch, noise)
        total, reconstruction, kl = vae_loss(recon, batch, mu, logvar, self.kl_weight)
        self.opt.zero_grad(set_to_none=True)
        total.backward()  # type: ignore[no-untyped-call]
        self.opt.step()
        return {"total": float(total.item()), "reconstruction": float(reconstruction.item()), "kl": float(kl.item())}

    @torch.no_grad()
    def samples(self) -> torch.Tensor:
        self.vae.eval()
        out = self.vae.decode(self.fixed_noise)
        self.vae.train()
        return out

    def tensors(self) -> dict[str, torch.Tensor]:
        return {f"vae.{k}": v for k, v in self.vae.state_dict().items()}

    def architecture(self) -> dict[str, Any]:
        return {"architecture": "conv-vae", "config": self.config.to_dict()}


def init_weights_vae(vae: ConvVAE, gen: torch.Generator) -> None:
    """Seeded initialisation for the VAE: He-style normal for convolutions, small normal for the linear heads."""
    for m in vae.modules():
        if isinstance(m, nn.Conv2d | nn.ConvTranspose2d):
            fan_in = m.weight[0].numel() if isinstance(m, nn.Conv2d) else m.weight.shape[1] * m.weight[0, 0].numel()
            nn.init.normal_(m.weight, 0.0, (2.0 / fan_in) ** 0.5, generator=gen)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, 0.0, (1.0 / m.in_features) ** 0.5, generator=gen)
            nn.init.zeros_(m.bias)
        elif isinstance(m, nn.BatchNorm2d):
            nn.init.ones_(m.weight)
            nn.init.zeros_(m.bias)


@dataclass
class _Tally:
    """Time spent training (pauses excluded) and pictures seen, for speed and the ETA."""

    active_s: float = 0.0
    seen: int = 0

    def images_per_second(self) -> float:
        return self.seen / self.active_s if self.active_s > 0 else 0.0


class Trainer:
    """One training run. `folder` receives a checkpoint per finished epoch (None: nothing is saved, for tests of
    the loop alone); `meta` adds to what aigc_model.json records (name, dataset size...)."""

    def __init__(
        self,
        params: TrainParams,
        images: np.ndarray,
        seed: int,
        *,
        device: str = "cpu",
        folder: Path | None = None,
        meta: Mapping[str, Any] | None = None,
        model_id: str = "",
        skipped: int = 0,
    ) -> None:
        self.params = params.resolved()
        if images.ndim != 4 or images.shape[1:] != (IMAGE_SIZE, IMAGE_SIZE, 3) or images.dtype != np.uint8:
            raise ValueError(f"images must be uint8 (N, {IMAGE_SIZE}, {IMAGE_SIZE}, 3), not {images.shape}")
        self.n = int(images.shape[0])
        self.seed = seed
        self.device = device
        self.folder = folder
        self.meta = dict(meta or {})
        self.model_id = model_id
        self.skipped = skipped
        self.precision = choose_precision(device, self.params.precision)
        self.gen = torch.Generator().manual_seed(seed)
        # Kept as uint8 (a quarter of float32's memory); each batch is converted when it is taken.
        self.data = torch.from_numpy(np.ascontiguousarray(images)).permute(0, 3, 1, 2).contiguous().to(device)
        self.model: _Model = (
            _Gan(self.params, self.gen, device, self.precision)
            if self.params.train_kind is TrainKind.GAN
            else _Vae(self.params, self.gen, device, self.precision)
        )
        self.batch_size = min(self.params.batch_size, self.n)
        self.checkpoint_epoch = 0
        self.last_grid: Image.Image | None = None

    # ------------------------------------------------------------ pieces

    def steps_per_epoch(self) -> int:
        return len(self._batches(torch.arange(self.n)))

    def _batches(self, order: torch.Tensor) -> list[torch.Tensor]:
        chunks = list(torch.split(order, self.batch_size))
        if len(chunks) > 1 and len(chunks[-1]) == 1:
            # Batch norm cannot normalise a batch of one: the odd picture joins the previous batch.
            chunks[-2] = torch.cat([chunks[-2], chunks[-1]])
            chunks.pop()
        return chunks

    def _batch(self, idx: torch.Tensor) -> torch.Tensor:
        x = self.data[idx.to(self.data.device)].float()
        x = x / 127.5 - 1.0 if self.model.low < 0 else x / 255.0
        if self.params.flip:
            flip = (torch.rand(x.shape[0], generator=self.gen) < 0.5).to(x.device)
            x = torch.where(flip[:, None, None, None], x.flip(3), x)
        return x

    def sample_grid(self) -> Image.Image:
        pictures = checkpoint.to_uint8(self.model.samples(), self.model.low)
        self.last_grid = checkpoint.make_grid(pictures, columns=4)
        return self.last_grid

    def _save(self, epoch: int, epoch_losses: dict[str, float], grid: Image.Image) -> None:
        if self.folder is None:
            return
        meta = {
            "kind": "image",
            "backend": BACKEND_FOR_KIND[self.params.train_kind],
            "name": self.meta.get("name", self.folder.name),
            "licence": LICENCE,
            **self.model.architecture(),
            "image_size": IMAGE_SIZE,
            "epochs_trained": epoch,
            "epochs_planned": self.params.epochs,
            "dataset_size": self.n,
            "seed": self.seed,
            "params": self.params.to_params(),
            "precision": self.precision,
            "losses": epoch_losses,
            "saved_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            **self.meta,
        }
        checkpoint.write_checkpoint(self.folder, meta, self.model.tensors(), grid)
        self.checkpoint_epoch = epoch

    # ------------------------------------------------------------ the loop

    def run(self, ctx: RunContext) -> TrainOutput:
        epochs = self.params.epochs
        per_epoch = self.steps_per_epoch()
        total = epochs * per_epoch
        tally = _Tally()
        step = 0
        step_losses: dict[str, list[float]] = {name: [] for name in self.model.loss_names}
        epoch_means: list[dict[str, float]] = []
        unreported: list[dict[str, float]] = []
        last_report: float | None = None  # None: nothing reported yet (perf_counter starts near 0 at boot)
        model_path = ""
        for epoch in range(1, epochs + 1):
            order = torch.randperm(self.n, generator=self.gen)
            batches = self._batches(order)
            sums = dict.fromkeys(self.model.loss_names, 0.0)
            for i, idx in enumerate(batches):
                ctx.cancel.check()
                if ctx.pause.paused:
                    ctx.progress(
                        step / total,
                        QT_TRANSLATE_NOOP("Training", "Paused at epoch {epoch}/{epochs}").format(
                            epoch=epoch, epochs=epochs
                        ),
                    )
                    ctx.wait_if_paused()  # raises JobCancelled when stopped while paused
                started = time.perf_counter()
                losses = self.model.step(self._batch(idx))
                step += 1
                tally.seen += len(idx)
                for name, value in losses.items():
                    sums[name] += value
                    step_losses[name].append(value)
                unreported.append(losses)
                grid = None
                epoch_done = i == len(batches) - 1
                if epoch_done or (self.params.sample_every and step % self.params.sample_every == 0):
                    grid = self.sample_grid()
                if epoch_done:
                    means = {name: sums[name] / len(batches) for name in sums}
                    epoch_means.append(means)
                    assert grid is not None
                    self._save(epoch, means, grid)
                    if self.folder is not None:
                        model_path = str(self.folder)
                tally.active_s += time.perf_counter() - started
                now = time.perf_counter()
                if grid is None and last_report is not None and now - last_report < REPORT_EVERY_S:
                    continue
                last_report = now
                speed = tally.images_per_second()
                remaining = (total - step) * (tally.active_s / step)
                ctx.partial(
                    TrainProgress(
                        epoch=epoch,
                        epochs=epochs,
                        step=step,
                        total_steps=total,
                        losses=losses,
                        step_losses=tuple(unreported),
                        images_per_second=speed,
                        eta_seconds=remaining,
                        images=self.n,
                        samples=grid,
                        checkpoint_epoch=self.checkpoint_epoch,
                        model_path=model_path,
                    )
                )
                unreported = []
                ctx.progress(
                    step / total,
                    QT_TRANSLATE_NOOP("Training", "Epoch {epoch}/{epochs} · {speed} images/s").format(
                        epoch=epoch, epochs=epochs, speed=f"{speed:.0f}"
                    ),
                )
        return TrainOutput(
            model_id=self.model_id,
            path=self.folder or Path(),
            kind=self.params.kind,
            epochs=self.checkpoint_epoch if self.folder is not None else epochs,
            images=self.n,
            skipped=self.skipped,
            seconds=tally.active_s,
            images_per_second=tally.images_per_second(),
            final_losses=dict(epoch_means[-1]) if epoch_means else {},
            epoch_losses=epoch_means,
            step_losses=step_losses,
            samples=self.last_grid,
        )
