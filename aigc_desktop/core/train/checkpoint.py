"""A trained model on disk: `<models_dir>/image/<name>/` with aigc_model.json, model.safetensors and samples.png.

Every file is written to a hidden temporary name, flushed to disk and renamed over the old one, and aigc_model.json
(what makes the registry list the folder) comes last: at any moment the folder holds either no model or a whole one,
so Stop, a crash or a full disk mid-save leave the last finished epoch usable.
"""

from __future__ import annotations

import io
import json
import math
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import torch
from PIL import Image
from safetensors.torch import load_file, save_file

from aigc_desktop.core import atomic
from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.models.detect import AIGC_MODEL_FILE
from aigc_desktop.core.train.job import check_name_free, model_folder

WEIGHTS_FILE = "model.safetensors"
SAMPLES_FILE = "samples.png"
FORMAT_VERSION = 1


def reserve_folder(models_dir: Path, name: str) -> Path:
    """Creates the (empty) folder of a new model, refusing a name already taken; two runs cannot share one."""
    check_name_free(models_dir, name)
    folder = model_folder(models_dir, name)
    folder.parent.mkdir(parents=True, exist_ok=True)
    try:
        folder.mkdir()
    except FileExistsError as exc:  # made between the check and now
        raise UserError(
            QT_TRANSLATE_NOOP(
                "Training", "A model named '{name}' already exists ({folder}); choose another name."
            ).format(name=name, folder=folder)
        ) from exc
    except OSError as exc:
        raise UserError(
            QT_TRANSLATE_NOOP("Training", "Could not create {folder}: {reason}.").format(
                folder=folder, reason=exc.strerror or exc
            )
        ) from exc
    return folder


def release_folder(folder: Path) -> None:
    """Removes a reserved folder that never got a finished epoch (only what this module writes can be in it)."""
    if not (folder / AIGC_MODEL_FILE).exists():
        shutil.rmtree(folder, ignore_errors=True)


def write_checkpoint(
    folder: Path, meta: Mapping[str, Any], tensors: Mapping[str, torch.Tensor], samples: Image.Image
) -> None:
    """Weights, then the sample grid, then aigc_model.json: each replaced whole and durably (see the module
    docstring)."""
    cpu = {k: v.detach().to("cpu").contiguous() for k, v in tensors.items()}
    png = io.BytesIO()
    samples.save(png, format="PNG")
    text = json.dumps({**meta, "format_version": FORMAT_VERSION}, indent=2, ensure_ascii=False)
    try:
        with atomic.replacing(folder / WEIGHTS_FILE, durable=True) as temp:
            save_file(cpu, str(temp), metadata={"format": "pt", "epochs_trained": str(meta.get("epochs_trained", 0))})
        atomic.write_bytes(folder / SAMPLES_FILE, png.getvalue(), durable=True)
        atomic.write_text(folder / AIGC_MODEL_FILE, text, durable=True)
    except OSError as exc:
        raise UserError(
            QT_TRANSLATE_NOOP("Training", "Could not save the model to {folder}: {reason}.").format(
                folder=folder, reason=exc.strerror or exc
            )
        ) from exc


def read_checkpoint(folder: Path) -> tuple[dict[str, Any], dict[str, torch.Tensor]]:
    """aigc_model.json and the weights of a trained model folder; UserError when either is missing or damaged."""
    meta_path = folder / AIGC_MODEL_FILE
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UserError(
            QT_TRANSLATE_NOOP("Training", "{path} cannot be read: {reason}.").format(path=meta_path, reason=exc)
        ) from exc
    if not isinstance(meta, dict):
        raise UserError(QT_TRANSLATE_NOOP("Training", "{path} is not a model description.").format(path=meta_path))
    weights = folder / WEIGHTS_FILE
    if not weights.is_file():
        raise UserError(
            QT_TRANSLATE_NOOP("Training", "{folder} has no {file}: it was not trained to the end of an epoch.").format(
                folder=folder.name, file=WEIGHTS_FILE
            )
        )
    try:
        tensors = load_file(str(weights), device="cpu")
    except Exception as exc:  # safetensors raises its own error types for damaged headers
        raise UserError(
            QT_TRANSLATE_NOOP("Training", "{path} is damaged ({reason}).").format(path=weights, reason=exc)
        ) from exc
    return meta, tensors


def sub_state(tensors: Mapping[str, torch.Tensor], prefix: str) -> dict[str, torch.Tensor]:
    """The tensors under `prefix.` with the prefix taken off (one module's state dict)."""
    head = prefix + "."
    return {k[len(head) :]: v for k, v in tensors.items() if k.startswith(head)}


def to_uint8(batch: torch.Tensor, low: float) -> np.ndarray:
    """(N, 3, H, W) pictures in [low, 1] → uint8 (N, H, W, 3)."""
    scaled = (batch.detach().float().cpu() - low) / (1.0 - low)
    return (scaled.clamp(0, 1) * 255.0 + 0.5).to(torch.uint8).permute(0, 2, 3, 1).numpy()


def make_grid(pictures: np.ndarray, columns: int | None = None, padding: int = 2) -> Image.Image:
    """uint8 (N, H, W, 3) pictures as one image, row by row, on a dark background."""
    n, h, w, _ = pictures.shape
    cols = columns or max(1, math.ceil(math.sqrt(n)))
    rows = math.ceil(n / cols)
    grid = np.full((rows * (h + padding) + padding, cols * (w + padding) + padding, 3), 32, dtype=np.uint8)
    for i in range(n):
        r, c = divmod(i, cols)
        top, left = padding + r * (h + padding), padding + c * (w + padding)
        grid[top : top + h, left : left + w] = pictures[i]
    return Image.fromarray(grid, "RGB")
