"""Find models already on this computer, where other apps keep them, so the user can use them in place.

Looked at: the Hugging Face cache (HF_HUB_CACHE, HF_HOME/hub or ~/.cache/huggingface/hub), LM Studio
(~/.lmstudio/models, ~/.cache/lm-studio/models), ComfyUI (models/checkpoints, models/diffusers), the Stable Diffusion
web UI (A1111/Forge: models/Stable-diffusion), Stability Matrix's shared models, and any folder the user added.
Only layouts are read (see detect.py): a scan of a big tree stays a matter of seconds and loads nothing.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.models.detect import DetectedModel, detect_model, is_model_folder
from aigc_desktop.core.models.entry import ModelSource
from aigc_desktop.core.models.registry import ModelRegistry, _scan
from aigc_desktop.core.specs import ModelKind

log = logging.getLogger(__name__)

# Where a model was found (shown in the window; app names are names and stay as they are).
HF_CACHE = QT_TRANSLATE_NOOP("Discover", "Hugging Face cache")
LM_STUDIO = "LM Studio"
COMFYUI = "ComfyUI"
A1111 = "Stable Diffusion web UI"
STABILITY_MATRIX = "Stability Matrix"
USER_FOLDER = QT_TRANSLATE_NOOP("Discover", "folder you added")
# Where ComfyUI and the web UI are usually unpacked (relative to the home folder).
COMFY_ROOTS = ("ComfyUI", "comfyui", "Documents/ComfyUI", "ComfyUI_windows_portable/ComfyUI", "AI/ComfyUI")
A1111_ROOTS = (
    "stable-diffusion-webui",
    "stable-diffusion-webui-forge",
    "Documents/stable-diffusion-webui",
    "AI/stable-diffusion-webui",
)
# GGUF side files that are not language models (vision projectors, LoRA adapters).
_NOT_MODELS = ("mmproj", "lora")


@dataclass(frozen=True)
class FoundModel:
    path: Path
    name: str
    kind: ModelKind
    backend: str
    size_bytes: int
    found_in: str
    pickle_only: bool = False
    in_use_as: str = ""  # the registry id when the app already uses it (linked or copied before)


def standard_places(home: Path | None = None, extra: Iterable[Path] = ()) -> list[tuple[str, Path]]:
    """(app, folder) pairs worth scanning on this machine, existing ones only."""
    home = home or Path.home()
    places: list[tuple[str, Path]] = [(HF_CACHE, hf_cache_dir(home))]
    places += [(LM_STUDIO, home / ".lmstudio" / "models"), (LM_STUDIO, home / ".cache" / "lm-studio" / "models")]
    for rel in COMFY_ROOTS:
        root = home / rel / "models"
        places += [(COMFYUI, root / "checkpoints"), (COMFYUI, root / "diffusers")]
    places += [(A1111, home / rel / "models" / "Stable-diffusion") for rel in A1111_ROOTS]
    places.append((STABILITY_MATRIX, home / "StabilityMatrix" / "Data" / "Models" / "StableDiffusion"))
    places += [(USER_FOLDER, Path(p).expanduser()) for p in extra]
    seen: set[Path] = set()
    existing = []
    for app, folder in places:
        if folder.is_dir() and folder.resolve() not in seen:
            seen.add(folder.resolve())
            existing.append((app, folder))
    return existing


def hf_cache_dir(home: Path) -> Path:
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"]).expanduser()
    if os.environ.get("HF_HOME"):
        return Path(os.environ["HF_HOME"]).expanduser() / "hub"
    return home / ".cache" / "huggingface" / "hub"


def discover(
    registry: ModelRegistry | None = None, home: Path | None = None, extra: Iterable[Path] = ()
) -> list[FoundModel]:
    """Models found in the standard places (and `extra` folders), marked when the app already uses them."""
    in_use = _in_use(registry) if registry is not None else {}
    models_dir = registry.models_dir.resolve() if registry is not None else None
    found: dict[Path, FoundModel] = {}
    for app, folder in standard_places(home, extra):
        models = _hf_cache_models(folder) if app == HF_CACHE else _plain_models(folder)
        for model, name in models:
            real = model.path.resolve()
            if real in found or (models_dir is not None and real.is_relative_to(models_dir)):
                continue
            if model.path.suffix.lower() == ".gguf" and model.path.name.lower().startswith(_NOT_MODELS):
                continue
            found[real] = FoundModel(
                path=model.path,
                name=name,
                kind=model.kind,
                backend=model.backend,
                size_bytes=model.size_bytes,
                found_in=app,
                pickle_only=model.pickle_only,
                in_use_as=in_use.get(real, ""),
            )
    return sorted(found.values(), key=lambda m: (m.found_in, m.name.lower()))


def _in_use(registry: ModelRegistry) -> dict[Path, str]:
    used: dict[Path, str] = {}
    for entry in registry.entries():
        if entry.source is ModelSource.EMBEDDED:
            continue
        used[entry.path.resolve()] = entry.id
        from aigc_desktop.core.models.installed import install_info_for

        note = install_info_for(registry.models_dir, entry.path)
        if note is not None and note[1].original:  # a copy: the original counts as in use too
            original = Path(note[1].original)
            used[original.resolve()] = entry.id
            if note[1].model_path and original.is_dir():
                used[(original / note[1].model_path).resolve()] = entry.id
    return used


def _plain_models(folder: Path) -> list[tuple[DetectedModel, str]]:
    if is_model_folder(folder):  # a folder the user added may be one model itself
        found = detect_model(folder)
        return [(found, found.name)] if found is not None else []
    return [(m, m.name) for m in _scan(folder, folder / ".none")]


def _hf_cache_models(cache: Path) -> list[tuple[DetectedModel, str]]:
    """One entry per cached repository: its current snapshot (refs/main, else the newest)."""
    results: list[tuple[DetectedModel, str]] = []
    for repo in sorted(cache.glob("models--*")):
        snapshot = _snapshot(repo)
        if snapshot is None:
            continue
        name = "/".join(repo.name.split("--")[1:])
        if is_model_folder(snapshot):
            found = detect_model(snapshot)
            if found is not None:
                results.append((found, name))
            continue
        for model in _scan(snapshot, snapshot / ".none"):  # GGUF repos: one or more files in the snapshot
            results.append((model, f"{name} · {model.path.name}" if model.path.is_file() else name))
    return results


def _snapshot(repo: Path) -> Path | None:
    snapshots = repo / "snapshots"
    if not snapshots.is_dir():
        return None
    ref = repo / "refs" / "main"
    try:
        commit = ref.read_text(encoding="utf-8").strip() if ref.is_file() else ""
    except OSError:
        commit = ""
    if commit and (snapshots / commit).is_dir():
        return snapshots / commit
    candidates = [p for p in snapshots.iterdir() if p.is_dir()]
    return max(candidates, key=lambda p: p.stat().st_mtime) if candidates else None
