"""Bring a model the user already has into the app: check that its files are what they claim, then copy it into the
models folder or use it where it is (a link; nothing is copied or moved).

Layouts: a GGUF file (split GGUFs through their first part), a Piper voice (.onnx + .onnx.json), a diffusers folder
(model_index.json), a single-file Stable Diffusion checkpoint (.safetensors, or pickle .ckpt), a transformers folder
(config.json: text, VITS speech, MusicGen music), or a folder holding any of these. Only headers and small JSON files
are read; a folder whose files do not match what it claims (a config without weights, a damaged safetensors header, a
.gguf that is not GGUF) is refused with one sentence saying what is wrong.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import struct
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aigc_desktop.core import atomic
from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.models import installed
from aigc_desktop.core.models.detect import (
    AIGC_MODEL_FILE,
    DIFFUSERS_INDEX,
    GGUF_MAGIC,
    PICKLE_SUFFIXES,
    TRANSFORMERS_CONFIG,
    DetectedModel,
    detect_model,
    folder_size,
    read_head,
)
from aigc_desktop.core.models.download_control import DownloadCancelled, DownloadControl
from aigc_desktop.core.models.entry import ModelEntry, ModelSource
from aigc_desktop.core.models.fit import gb
from aigc_desktop.core.models.registry import ModelRegistry, _scan

log = logging.getLogger(__name__)

ImportProgress = Callable[[int, int, str], None]  # bytes copied, bytes in all, file name
STAGING_DIRNAME = ".imports"
_COPY_BLOCK = 8 * 1024 * 1024
_MAX_HEADER = 100 * 1024 * 1024
_WEIGHT_SUFFIXES = (".safetensors", *sorted(PICKLE_SUFFIXES))
# Diffusers components that carry weights (the others are tokenizers, schedulers, feature extractors).
_WEIGHTED_COMPONENTS = ("unet", "vae", "text_encoder", "text_encoder_2", "text_encoder_3", "transformer", "prior")
# Tensor name prefixes of single-file Stable Diffusion checkpoints (SD 1.x/2.x, SDXL) in the original layout.
_SD_PREFIXES = ("model.diffusion_model.", "first_stage_model.", "cond_stage_model.", "conditioner.")
_TOKENIZER_FILES = ("tokenizer.json", "tokenizer.model", "vocab.json", "spiece.model", "tokenizer_config.json")


@dataclass(frozen=True)
class ImportPlan:
    source: Path  # what the user picked
    models: tuple[DetectedModel, ...]  # the models found in it, each checked
    copy_root: Path  # the file or folder a copy brings along (a file model's companions go with it)
    companions: tuple[Path, ...]  # for a file model: the other files it needs (Piper config, GGUF parts, card)

    @property
    def size_bytes(self) -> int:
        if self.copy_root.is_dir():
            return folder_size(self.copy_root)
        return sum(p.stat().st_size for p in (self.copy_root, *self.companions) if p.is_file())

    @property
    def name(self) -> str:
        return self.models[0].name if len(self.models) == 1 else self.source.name

    def describe(self) -> str:
        if len(self.models) == 1:
            m = self.models[0]
            return f"{m.name}: {m.kind.value} model ({m.backend})"
        kinds = ", ".join(sorted({f"{m.kind.value} ({m.backend})" for m in self.models}))
        return f"{len(self.models)} models: {kinds}"


def inspect_import(path: Path) -> ImportPlan:
    """What importing `path` would bring in; a UserError naming the problem when it is not a usable model."""
    source = path.expanduser()
    if not source.exists():
        raise UserError(QT_TRANSLATE_NOOP("Importer", "{source} does not exist.").format(source=source))
    source = source.resolve()
    if source.is_file():
        return _inspect_file(source)
    if source.is_dir():
        return _inspect_folder(source)
    raise UserError(QT_TRANSLATE_NOOP("Importer", "{source} is neither a file nor a folder.").format(source=source))


def import_model(
    registry: ModelRegistry,
    path: Path,
    *,
    link: bool = False,
    name: str | None = None,
    found_in: str = "",
    on_progress: ImportProgress | None = None,
    control: DownloadControl | None = None,
) -> list[ModelEntry]:
    """Import `path` (copy into <models>/imported/, or link to it where it is); the registry entries it added."""
    plan = inspect_import(path)
    models_dir = registry.models_dir
    if _inside(plan.source, models_dir.resolve()):
        raise UserError(
            QT_TRANSLATE_NOOP(
                "Importer", "{source} is already inside the models folder; it is listed as it is."
            ).format(source=plan.source)
        )
    if link:
        return _link(registry, plan, name, found_in)
    return _copy(registry, plan, name, on_progress, control or DownloadControl())


# ---------------------------------------------------------------- files


def _inspect_file(file: Path) -> ImportPlan:
    suffix = file.suffix.lower()
    if suffix == ".gguf":
        check_gguf(file)
    elif suffix == ".onnx":
        check_piper(file)
    elif suffix == ".json" and file.name.endswith(".onnx.json"):
        return _inspect_file(file.with_name(file.name[: -len(".json")]))
    elif suffix == ".safetensors":
        check_sd_checkpoint(file)
    elif suffix in (".ckpt", ".pt", ".pth"):
        pass  # pickle: listed and flagged; loading it needs the user's explicit consent
    elif suffix == ".bin":
        raise UserError(
            QT_TRANSLATE_NOOP(
                "Importer",
                "{file} is a lone .bin file: import the folder it belongs to (with its config.json) instead.",
            ).format(file=file.name)
        )
    else:
        raise UserError(
            QT_TRANSLATE_NOOP(
                "Importer",
                "{file} is not a model file this app can use (GGUF, Piper .onnx, .safetensors or a .ckpt checkpoint).",
            ).format(file=file.name)
        )
    found = detect_model(file)
    if found is None:
        raise UserError(
            QT_TRANSLATE_NOOP("Importer", "{file} is not a model this app can load.").format(file=file.name)
        )
    return ImportPlan(file, (found,), file, _companions(file))


def _companions(file: Path) -> tuple[Path, ...]:
    if file.suffix.lower() == ".onnx":
        card = file.with_name("MODEL_CARD")
        return tuple(p for p in (file.with_name(file.name + ".json"), card) if p.is_file())
    parts = installed._files_of(file)  # GGUF split parts (and nothing else for other files)
    return tuple(p for p in parts[1:] if p.is_file())


def check_gguf(file: Path) -> None:
    head = read_head(file, 8)
    if head[:4] != GGUF_MAGIC:
        raise UserError(
            QT_TRANSLATE_NOOP(
                "Importer", "{file} is named .gguf but is not a GGUF file (it starts with {start})."
            ).format(file=file.name, start=repr(head[:4]))
        )
    version = struct.unpack("<I", head[4:8])[0] if len(head) == 8 else 0
    if version not in (1, 2, 3):
        raise UserError(
            QT_TRANSLATE_NOOP(
                "Importer", "{file} is a GGUF file of version {version}, which llama.cpp does not read."
            ).format(file=file.name, version=version)
        )
    parts = installed._files_of(file)
    missing = [p.name for p in parts[1:] if not p.is_file()]
    if missing:
        raise UserError(
            QT_TRANSLATE_NOOP("Importer", "{file} is split into parts and {parts} is missing beside it.").format(
                file=file.name, parts=", ".join(missing)
            )
        )


def check_piper(onnx: Path) -> None:
    config_path = onnx.with_name(onnx.name + ".json")
    if not config_path.is_file():
        raise UserError(
            QT_TRANSLATE_NOOP(
                "Importer", "A Piper voice needs its config {config} beside {file}; it is missing."
            ).format(config=config_path.name, file=onnx.name)
        )
    try:
        config = json.loads(config_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UserError(
            QT_TRANSLATE_NOOP("Importer", "{config} is not valid JSON ({reason}).").format(
                config=config_path.name, reason=exc
            )
        ) from exc
    if not isinstance(config, dict) or "phoneme_id_map" not in config:
        raise UserError(
            QT_TRANSLATE_NOOP("Importer", "{config} is not a Piper voice config (it has no phoneme_id_map).").format(
                config=config_path.name
            )
        )
    if onnx.stat().st_size == 0:
        raise UserError(QT_TRANSLATE_NOOP("Importer", "{file} is empty.").format(file=onnx.name))


def safetensors_header(file: Path) -> dict[str, Any]:
    """The JSON header of a safetensors file, checked against the file's real length."""
    size = file.stat().st_size
    with file.open("rb") as f:
        head = f.read(8)
        if len(head) < 8:
            raise UserError(
                QT_TRANSLATE_NOOP("Importer", "{file} is too short to be a safetensors file.").format(file=file.name)
            )
        (length,) = struct.unpack("<Q", head)
        if not 2 <= length <= min(_MAX_HEADER, size - 8):
            raise UserError(
                QT_TRANSLATE_NOOP(
                    "Importer", "{file} is not a valid safetensors file (its header length is damaged)."
                ).format(file=file.name)
            )
        try:
            header = json.loads(f.read(length))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise UserError(
                QT_TRANSLATE_NOOP(
                    "Importer", "{file} is not a valid safetensors file (its header is not JSON)."
                ).format(file=file.name)
            ) from exc
    if not isinstance(header, dict):
        raise UserError(QT_TRANSLATE_NOOP("Importer", "{file} is not a valid safetensors file.").format(file=file.name))
    data_end = max(
        (int(v["data_offsets"][1]) for k, v in header.items() if k != "__metadata__" and isinstance(v, dict)),
        default=0,
    )
    if 8 + length + data_end > size:
        raise UserError(
            QT_TRANSLATE_NOOP(
                "Importer",
                "{file} is cut short: its header describes {data_end} bytes of tensors, the file holds {held}. "
                "Download it again.",
            ).format(file=file.name, data_end=data_end, held=size - 8 - length)
        )
    return header


def check_sd_checkpoint(file: Path) -> None:
    header = safetensors_header(file)
    names = [k for k in header if k != "__metadata__"]
    if not any(n.startswith(_SD_PREFIXES) for n in names):
        example = names[0] if names else "none"
        raise UserError(
            QT_TRANSLATE_NOOP(
                "Importer",
                "{file} is a safetensors file but not a Stable Diffusion checkpoint (its tensors are named like "
                "'{example}'); import the folder it belongs to instead.",
            ).format(file=file.name, example=example)
        )


# ---------------------------------------------------------------- folders


def _inspect_folder(folder: Path) -> ImportPlan:
    if (folder / AIGC_MODEL_FILE).is_file() or (folder / DIFFUSERS_INDEX).is_file():
        if (folder / DIFFUSERS_INDEX).is_file() and not (folder / AIGC_MODEL_FILE).is_file():
            check_diffusers(folder)
        found = detect_model(folder)
        if found is None:
            raise UserError(
                QT_TRANSLATE_NOOP("Importer", "{folder} is not a model this app can load.").format(folder=folder.name)
            )
        return ImportPlan(folder, (found,), folder, ())
    if (folder / TRANSFORMERS_CONFIG).is_file():
        check_transformers(folder)
        found = detect_model(folder)
        assert found is not None  # check_transformers refuses every folder detect_model would not take
        return ImportPlan(folder, (found,), folder, ())
    models = tuple(_scan(folder, folder / STAGING_DIRNAME))
    if not models:
        raise UserError(
            QT_TRANSLATE_NOOP(
                "Importer",
                "No model found in {folder}: expected a GGUF file, a Piper voice (.onnx + .onnx.json), a "
                "diffusers folder (model_index.json), a .safetensors checkpoint or a transformers folder "
                "(config.json).",
            ).format(folder=folder)
        )
    for model in models:  # every model in it must pass the same checks as when picked alone
        if model.path.is_dir():
            _inspect_folder(model.path)
        else:
            _inspect_file(model.path)
    return ImportPlan(folder, models, folder, ())


def check_diffusers(folder: Path) -> None:
    index = _json(folder / DIFFUSERS_INDEX)
    components = {
        key: value
        for key, value in index.items()
        if not key.startswith("_") and isinstance(value, list) and len(value) == 2 and all(value)
    }
    if not components:
        raise UserError(
            QT_TRANSLATE_NOOP(
                "Importer", "{folder} has a model_index.json that names no components; it is not a diffusers model."
            ).format(folder=folder.name)
        )
    for name in components:
        sub = folder / name
        if not sub.is_dir():
            if name in ("safety_checker", "feature_extractor"):
                continue  # optional: the app runs pipelines without the safety checker
            raise UserError(
                QT_TRANSLATE_NOOP(
                    "Importer", "{folder} claims a diffusers '{name}' (model_index.json) but has no {name}/ folder."
                ).format(folder=folder.name, name=name)
            )
        if name in _WEIGHTED_COMPONENTS:
            weights = [p for p in sub.iterdir() if p.is_file() and p.name.endswith(_WEIGHT_SUFFIXES)]
            if not weights:
                raise UserError(
                    QT_TRANSLATE_NOOP(
                        "Importer", "{folder} claims a diffusers '{name}' but {name}/ holds no weights."
                    ).format(folder=folder.name, name=name)
                )
            for w in weights:
                if w.suffix == ".safetensors":
                    safetensors_header(w)


def check_transformers(folder: Path) -> None:
    config = _json(folder / TRANSFORMERS_CONFIG)
    found = detect_model(folder)
    if found is None:
        model_type = config.get("model_type", "unknown")
        architectures = ", ".join(str(a) for a in config.get("architectures") or []) or "none"
        raise UserError(
            QT_TRANSLATE_NOOP(
                "Importer",
                "{folder}: config.json says model_type '{model_type}' (architectures: {architectures}), which "
                "is not a text, speech or music model this app runs.",
            ).format(folder=folder.name, model_type=model_type, architectures=architectures)
        )
    shards = _weight_files(folder)
    if not shards:
        raise UserError(
            QT_TRANSLATE_NOOP(
                "Importer",
                "{folder} has a config.json but no weights (model.safetensors or pytorch_model.bin, or their shards).",
            ).format(folder=folder.name)
        )
    for shard in shards:
        if shard.suffix == ".safetensors":
            safetensors_header(shard)
    if not any((folder / name).is_file() for name in _TOKENIZER_FILES):
        raise UserError(
            QT_TRANSLATE_NOOP(
                "Importer", "{folder} has weights but no tokenizer files (tokenizer.json, vocab.json, …)."
            ).format(folder=folder.name)
        )


def _weight_files(folder: Path) -> list[Path]:
    for index_name in ("model.safetensors.index.json", "pytorch_model.bin.index.json"):
        index_path = folder / index_name
        if index_path.is_file():
            index = _json(index_path)
            names = sorted(set((index.get("weight_map") or {}).values()))
            missing = [n for n in names if not (folder / n).is_file()]
            if missing:
                raise UserError(
                    QT_TRANSLATE_NOOP("Importer", "{folder} lists weight shards that are missing: {files}.").format(
                        folder=folder.name, files=", ".join(missing[:3])
                    )
                )
            return [folder / n for n in names]
    return [p for p in (folder / "model.safetensors", folder / "pytorch_model.bin") if p.is_file()]


def _json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UserError(
            QT_TRANSLATE_NOOP("Importer", "{parent}/{path} is not valid JSON ({reason}).").format(
                parent=path.parent.name, path=path.name, reason=exc
            )
        ) from exc
    if not isinstance(data, dict):
        raise UserError(
            QT_TRANSLATE_NOOP("Importer", "{parent}/{path} is not a JSON object.").format(
                parent=path.parent.name, path=path.name
            )
        )
    return data


# ---------------------------------------------------------------- bringing it in


def _link(registry: ModelRegistry, plan: ImportPlan, name: str | None, found_in: str) -> list[ModelEntry]:
    models_dir = registry.models_dir
    ids = []
    for model in plan.models:
        label = name if name and len(plan.models) == 1 else model.name
        ids.append(installed.add_link(models_dir, model.path, label, found_in).id)
    return [registry.get(model_id) for model_id in ids]


def _copy(
    registry: ModelRegistry,
    plan: ImportPlan,
    name: str | None,
    on_progress: ImportProgress | None,
    control: DownloadControl,
) -> list[ModelEntry]:
    models_dir = registry.models_dir
    label = name or plan.name
    target_root = models_dir / installed.IMPORTED_DIRNAME
    target = _free_name(target_root / installed.slug(label))
    needed = plan.size_bytes
    models_dir.mkdir(parents=True, exist_ok=True)
    free = shutil.disk_usage(models_dir).free
    if free < needed:
        raise UserError(
            QT_TRANSLATE_NOOP(
                "Importer", "Not enough disk space to copy {label}: it needs {need}, {free} are free."
            ).format(label=label, need=gb(needed), free=gb(free))
        )
    staging = models_dir / STAGING_DIRNAME / uuid.uuid4().hex
    staging.mkdir(parents=True)
    try:
        copied = _Copier(needed, on_progress, control)
        if plan.copy_root.is_dir():
            copied.tree(plan.copy_root, staging)
        else:
            for file in (plan.copy_root, *plan.companions):
                copied.file(file, staging / file.name)
        if len(plan.models) == 1:
            model = plan.models[0]
            rel = model.path.relative_to(plan.copy_root) if plan.copy_root.is_dir() else Path(model.path.name)
            installed.write_install_info(
                staging,
                installed.InstallInfo(
                    id=f"{installed.IMPORTED_DIRNAME}/{target.name}",
                    name=label,
                    source=ModelSource.IMPORTED,
                    model_path=rel.as_posix() if str(rel) != "." else "",
                    licence=model.licence,
                    languages=model.languages,
                    original=str(plan.source),
                ),
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging, target)  # one rename: the copy appears complete or not at all
        atomic.fsync_dir(target.parent)  # and that rename survives a power cut
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        _prune(models_dir / STAGING_DIRNAME)
    paths = {
        (target / m.path.relative_to(plan.copy_root)).resolve()
        if plan.copy_root.is_dir()
        else (target / m.path.name).resolve()
        for m in plan.models
    }
    added = [e for e in registry.entries() if e.path.resolve() in paths]
    if not added:
        raise UserError(
            QT_TRANSLATE_NOOP(
                "Importer", "{label} was copied to {target} but is not listed as a model; see the log."
            ).format(label=label, target=target)
        )
    return added


class _Copier:
    def __init__(self, total: int, on_progress: ImportProgress | None, control: DownloadControl) -> None:
        self.total = total
        self.done = 0
        self.on_progress = on_progress
        self.control = control

    def tree(self, source: Path, target: Path) -> None:
        for root, dirs, files in os.walk(source):  # follows symlinked files (the Hugging Face cache layout)
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            rel = Path(root).relative_to(source)
            (target / rel).mkdir(parents=True, exist_ok=True)
            for name in files:
                if not name.startswith("."):
                    self.file(Path(root) / name, target / rel / name)

    def file(self, source: Path, target: Path) -> None:
        with source.open("rb") as src, target.open("wb") as dst:
            while block := src.read(_COPY_BLOCK):
                dst.write(block)
                self.done += len(block)
                if self.on_progress is not None:
                    self.on_progress(self.done, self.total, source.name)
                if self.control.stop_requested:
                    raise DownloadCancelled(source.name)
            dst.flush()
            os.fsync(dst.fileno())


def _free_name(path: Path) -> Path:
    candidate, n = path, 2
    while candidate.exists():
        candidate, n = path.with_name(f"{path.name}-{n}"), n + 1
    return candidate


def _prune(folder: Path) -> None:
    with contextlib.suppress(OSError):
        folder.rmdir()


def _inside(path: Path, root: Path) -> bool:
    return path == root or path.is_relative_to(root)
