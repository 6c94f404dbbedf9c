"""A folder of the user's pictures as a training set: every PNG/JPEG/WebP/BMP below it, center-cropped to a square and
resized to 64×64. Unreadable files are skipped and counted, never fatal; too few usable pictures is one clear error.

PIL and numpy only: the dialog counts a folder's pictures with `scan_folder` on the GUI thread.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.media import MAX_IMAGE_PIXELS, read_image_file
from aigc_desktop.core.train.job import IMAGE_SIZE

log = logging.getLogger(__name__)

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".webp", ".bmp"})
# Fewer than this and a GAN only memorises (or collapses); the message says more is better.
MIN_IMAGES = 8
# 20,000 pictures of 64×64 RGB are 245 MB in memory; past that the first ones (in name order) are used.
MAX_IMAGES = 20_000

ProgressFn = Callable[[int, int], None]  # (done, total)


@dataclass(frozen=True)
class FolderScan:
    """What a quick look at a folder found: files whose header PIL can read, and those it cannot."""

    folder: Path
    files: list[Path]
    unreadable: list[Path] = field(default_factory=list)

    @property
    def usable(self) -> int:
        return len(self.files)


@dataclass(frozen=True)
class ImageSet:
    images: np.ndarray  # uint8 (N, 64, 64, 3)
    files: list[Path]  # the file of each picture, in order
    skipped: list[tuple[Path, str]]  # files that could not be used, and why
    truncated: bool = False  # more than MAX_IMAGES pictures were found; the first MAX_IMAGES are used

    def __len__(self) -> int:
        return int(self.images.shape[0])


def image_files(folder: Path) -> list[Path]:
    """Picture files below `folder` (recursive, name order), skipping hidden files and folders."""
    found: list[Path] = []
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and Path(name).suffix.lower() in IMAGE_SUFFIXES:
                found.append(Path(root) / name)
    return found


def scan_folder(folder: Path) -> FolderScan:
    """Picture files below `folder` whose header PIL can read (no pixels are decoded: fast enough for the GUI)."""
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        raise UserError(QT_TRANSLATE_NOOP("Training", "There is no folder at {folder}.").format(folder=folder))
    usable: list[Path] = []
    unreadable: list[Path] = []
    for path in image_files(folder):
        try:
            with Image.open(path) as probe:
                w, h = probe.size
            (usable if 0 < w * h <= MAX_IMAGE_PIXELS else unreadable).append(path)
        except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
            unreadable.append(path)
    return FolderScan(folder, usable, unreadable)


def to_square(image: Image.Image, size: int = IMAGE_SIZE) -> Image.Image:
    """RGB, center-cropped to a square and resized to size×size; transparency is flattened onto white."""
    if image.mode != "RGBA":
        image = image.convert("RGBA")
    flat = Image.new("RGBA", image.size, (255, 255, 255, 255))
    flat.alpha_composite(image)
    rgb = flat.convert("RGB")
    w, h = rgb.size
    side = min(w, h)
    left, top = (w - side) // 2, (h - side) // 2
    square = rgb.crop((left, top, left + side, top + side))
    if side != size:
        # reduce() first makes shrinking a large photo cheap; LANCZOS then gives the exact size without aliasing.
        factor = side // (size * 2)
        if factor >= 2:
            square = square.reduce(factor)
        square = square.resize((size, size), Image.Resampling.LANCZOS)
    return square


def load_images(
    folder: Path,
    *,
    size: int = IMAGE_SIZE,
    min_images: int = MIN_IMAGES,
    max_images: int = MAX_IMAGES,
    on_progress: ProgressFn | None = None,
    check_cancel: Callable[[], None] | None = None,
) -> ImageSet:
    """Every usable picture below `folder` as a uint8 array; UserError when there are fewer than `min_images`."""
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        raise UserError(QT_TRANSLATE_NOOP("Training", "There is no folder at {folder}.").format(folder=folder))
    files = image_files(folder)
    if not files:
        raise UserError(
            QT_TRANSLATE_NOOP(
                "Training", "{folder} holds no pictures (PNG, JPEG, WebP or BMP), so there is nothing to train on."
            ).format(folder=folder)
        )
    pictures: list[np.ndarray] = []
    used: list[Path] = []
    skipped: list[tuple[Path, str]] = []
    truncated = False
    for i, path in enumerate(files):
        if check_cancel is not None:
            check_cancel()
        if len(pictures) >= max_images:
            truncated = True
            break
        try:
            picture = to_square(read_image_file(path), size)
        except UserError as exc:
            skipped.append((path, str(exc)))
            continue
        except (OSError, ValueError) as exc:  # a file that decodes its header but breaks further in
            skipped.append((path, f"{path.name} is not a readable image ({exc})."))
            continue
        pictures.append(np.asarray(picture, dtype=np.uint8))
        used.append(path)
        if on_progress is not None:
            on_progress(i + 1, len(files))
    if skipped:
        log.info("skipped %d of %d files in %s", len(skipped), len(files), folder)
    if len(pictures) < min_images:
        unreadable = (
            QT_TRANSLATE_NOOP("Training", " ({count} more could not be read)").format(count=len(skipped))
            if skipped
            else ""
        )
        found = (
            QT_TRANSLATE_NOOP("Training", "{folder} has 1 usable picture{unreadable}")
            if len(pictures) == 1
            else QT_TRANSLATE_NOOP("Training", "{folder} has {count} usable pictures{unreadable}")
        ).format(folder=folder, count=len(pictures), unreadable=unreadable)
        raise UserError(
            QT_TRANSLATE_NOOP(
                "Training", "{found}; training needs at least {min}, and a hundred or more give better results."
            ).format(found=found, min=min_images)
        )
    return ImageSet(np.stack(pictures), used, skipped, truncated)
