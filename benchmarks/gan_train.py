"""GAN / VAE training speed on CPU: the app's trainer (through the same EngineHost a worker lane uses: reading the
folder, DiffAugment, flips, sample grids, a safetensors checkpoint per epoch) against a bare minimal DCGAN loop written
here (the PyTorch DCGAN example: same networks, Adam, BCE, plain fp32, nothing else), on 200 generated 64×64
pictures, in one run. Prints images/s and ratios; asserts nothing.

The bare loop also runs in the app's other precision/memory-format choices (bf16 autocast, channels_last), which is
what core/train/trainer.py's `choose_precision` is decided from.

    .venv/bin/python benchmarks/gan_train.py [--epochs 3] [--repeats 2] [--batch-size 16]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))  # train_images: the generated pictures the tests train on
os.environ.setdefault("AIGC_DESKTOP_HOME", tempfile.mkdtemp(prefix="aigc-bench-"))

IMAGES = 200


def bare_dcgan(data: object, epochs: int, batch_size: int, bf16: bool, channels_last: bool) -> float:
    """The DCGAN example's loop, alone: returns images/s."""
    import torch
    from torch import nn

    from aigc_desktop.core.train.dcgan import DCGANConfig, Discriminator, Generator

    assert isinstance(data, torch.Tensor)
    torch.manual_seed(0)
    config = DCGANConfig()
    g, d = Generator(config), Discriminator(config)
    fmt = torch.channels_last if channels_last else torch.contiguous_format
    g.to(memory_format=fmt)  # type: ignore[call-overload]
    d.to(memory_format=fmt)  # type: ignore[call-overload]
    opt_g = torch.optim.Adam(g.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(d.parameters(), lr=2e-4, betas=(0.5, 0.999))
    loss = nn.BCEWithLogitsLoss()
    n = data.shape[0]
    started = time.perf_counter()
    seen = 0
    for _ in range(epochs):
        order = torch.randperm(n)
        for i in range(0, n, batch_size):
            real = data[order[i : i + batch_size]].float().div(127.5).sub(1).contiguous(memory_format=fmt)
            b = real.shape[0]
            ones, zeros = torch.ones(b), torch.zeros(b)
            with torch.autocast("cpu", torch.bfloat16, enabled=bf16):
                fake = g(torch.randn(b, config.latent_dim))
                d_real, d_fake = d(real), d(fake.detach())
            loss_d = loss(d_real.float(), ones) + loss(d_fake.float(), zeros)
            opt_d.zero_grad()
            loss_d.backward()
            opt_d.step()
            with torch.autocast("cpu", torch.bfloat16, enabled=bf16):
                d_fooled = d(fake)
            loss_g = loss(d_fooled.float(), ones)
            opt_g.zero_grad()
            loss_g.backward()
            opt_g.step()
            seen += b
    return seen / (time.perf_counter() - started)


def app_train(folder: Path, kind: str, epochs: int, batch_size: int, name: str) -> tuple[float, float, str]:
    """The app's trainer through an EngineHost: (images/s of the training loop, wall seconds of the whole job
    including reading the pictures and saving checkpoints, precision)."""
    from aigc_desktop.core.engines.base import RunContext
    from aigc_desktop.core.engines.host import EngineHost
    from aigc_desktop.core.models.registry import ModelRegistry
    from aigc_desktop.core.paths import app_paths
    from aigc_desktop.core.train.job import TrainOutput, TrainParams, train_spec

    registry = ModelRegistry(app_paths().ensure())
    host = EngineHost(registry)
    spec = train_spec(folder, name, TrainParams(kind=kind, epochs=epochs, batch_size=batch_size), seed=0)
    host.ensure_loaded(spec.model_id, RunContext())  # torch is imported once, outside the timing
    started = time.perf_counter()
    result = host.run(spec, RunContext())
    wall = time.perf_counter() - started
    host.unload_all()
    output = result.output
    assert isinstance(output, TrainOutput)
    return output.images_per_second, wall, str(result.metrics.get("precision"))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=16)  # the app's default
    args = parser.parse_args()

    import numpy as np
    import torch
    import train_images

    from aigc_desktop.core.engines.text_transformers import physical_cores
    from aigc_desktop.core.train.dataset import load_images

    threads = physical_cores()
    torch.set_num_threads(threads)
    folder = train_images.write_shapes(Path(tempfile.mkdtemp(prefix="aigc-bench-shapes-")) / "shapes", IMAGES, seed=1)
    data = torch.from_numpy(np.ascontiguousarray(load_images(folder).images)).permute(0, 3, 1, 2).contiguous()
    native_bf16 = torch.cpu._is_avx512_bf16_supported() or torch.cpu._is_amx_tile_supported()
    print(
        f"torch {torch.__version__}, {threads} threads (physical cores), native bf16: {native_bf16}; "
        f"{IMAGES} pictures of 64×64, {args.epochs} epochs, batch {args.batch_size}, best of {args.repeats}"
    )

    variants = {
        "bare fp32": (False, False),
        "bare fp32 channels_last": (False, True),
        "bare bf16 autocast": (True, False),
        "bare bf16 channels_last": (True, True),
    }
    results: dict[str, list[float]] = {name: [] for name in [*variants, "app gan", "app vae"]}
    walls: dict[str, list[float]] = {"app gan": [], "app vae": []}
    precision = "?"
    for r in range(args.repeats):  # interleaved, so a busy moment on the shared machine hits every variant alike
        for name, (bf16, cl) in variants.items():
            results[name].append(bare_dcgan(data, args.epochs, args.batch_size, bf16, cl))
        speed, wall, precision = app_train(folder, "gan", args.epochs, args.batch_size, f"bench-gan-{r}")
        results["app gan"].append(speed)
        walls["app gan"].append(wall)
        speed, wall, _ = app_train(folder, "vae", args.epochs, args.batch_size, f"bench-vae-{r}")
        results["app vae"].append(speed)
        walls["app vae"].append(wall)

    best = {name: max(values) for name, values in results.items()}
    for name, values in results.items():
        extra = ""
        if name in walls:
            wall = min(walls[name])
            extra = f"   (whole job {wall:.1f} s = {IMAGES * args.epochs / wall:.1f} images/s with reading + saving)"
        print(f"{name:<26} {best[name]:7.1f} images/s  (median {statistics.median(values):.1f}){extra}")
    same = "bare bf16 autocast" if precision == "bf16" else "bare fp32 channels_last"
    print(f"app gan precision: {precision}")
    print(f"app gan / bare fp32 (the DCGAN example as written): {best['app gan'] / best['bare fp32']:.2f}×")
    print(f"app gan / {same} (same arithmetic, app overhead): {best['app gan'] / best[same]:.2f}×")
    seconds_200 = IMAGES / best["app gan"]
    print(f"one epoch of {IMAGES} pictures: {seconds_200:.1f} s (GAN), {IMAGES / best['app vae']:.1f} s (VAE)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
