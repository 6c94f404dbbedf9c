"""Folders of small generated pictures (coloured shapes drawn with PIL) to train the GAN/VAE on in tests, the
benchmark and the screenshot tool. Deterministic for a given seed."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

PALETTE = [(220, 40, 40), (40, 160, 60), (40, 80, 210), (240, 200, 30), (150, 60, 190), (30, 190, 200)]


def shape_picture(rng: random.Random, size: tuple[int, int] = (72, 64)) -> Image.Image:
    """One shape (disc, square or triangle) of a palette colour on a pale background."""
    w, h = size
    background = tuple(rng.randint(215, 250) for _ in range(3))
    image = Image.new("RGB", size, background)
    draw = ImageDraw.Draw(image)
    colour = rng.choice(PALETTE)
    r = rng.randint(12, 22)
    cx, cy = rng.randint(w // 2 - 8, w // 2 + 8), rng.randint(h // 2 - 8, h // 2 + 8)
    kind = rng.randrange(3)
    if kind == 0:
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=colour)
    elif kind == 1:
        draw.rectangle((cx - r, cy - r, cx + r, cy + r), fill=colour)
    else:
        draw.polygon([(cx, cy - r), (cx - r, cy + r), (cx + r, cy + r)], fill=colour)
    return image


def write_shapes(folder: Path, count: int, seed: int = 0, size: tuple[int, int] = (72, 64)) -> Path:
    """`count` pictures in `folder`, in a mix of PNG, JPEG, WebP and BMP and one sub-folder (the loader recurses)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    formats = [("png", "PNG"), ("jpg", "JPEG"), ("webp", "WEBP"), ("bmp", "BMP")]
    for i in range(count):
        suffix, fmt = formats[i % len(formats)]
        where = folder / "more" if i % 5 == 4 else folder
        where.mkdir(exist_ok=True)
        picture = shape_picture(rng, size)
        options = {"quality": 95} if fmt in ("JPEG", "WEBP") else {}
        picture.save(where / f"shape-{i:03d}.{suffix}", format=fmt, **options)
    return folder


@pytest.fixture(scope="session")
def shapes_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """48 pictures of coloured shapes, made once per test session (tests must not write into it)."""
    return write_shapes(tmp_path_factory.mktemp("shapes"), 48, seed=7)


@pytest.fixture
def one_torch_thread(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Training in tests uses one thread (see torch_training.TORCH_THREADS); the process's setting is put back after."""
    import torch

    from aigc_desktop.core.engines import torch_training

    before = torch.get_num_threads()
    monkeypatch.setattr(torch_training, "TORCH_THREADS", 1)
    yield
    torch.set_num_threads(before)
