"""Tell what kind of model a file or folder holds from its layout alone.

Only small JSON files and a few header bytes are read: listing the models folder must stay fast and must not
import torch, transformers, diffusers, llama_cpp or piper (seconds each, gigabytes of memory).
"""

from __future__ import annotations

import json
import logging
import os
import re
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.models.headers import safetensors_shapes
from aigc_desktop.core.specs import ModelKind

log = logging.getLogger(__name__)

GGUF_MAGIC = b"GGUF"
PICKLE_SUFFIXES = frozenset({".bin", ".ckpt", ".pt", ".pth"})
# A lone .bin could be anything (tokenizers, training args); only these stand alone as image checkpoints.
SINGLE_FILE_PICKLE_SUFFIXES = frozenset({".ckpt", ".pt", ".pth"})
AIGC_MODEL_FILE = "aigc_model.json"
DIFFUSERS_INDEX = "model_index.json"
TRANSFORMERS_CONFIG = "config.json"
FOLDER_MARKERS = (AIGC_MODEL_FILE, DIFFUSERS_INDEX, TRANSFORMERS_CONFIG)
# Causal LMs and the multimodal "ForConditionalGeneration" wrappers (gemma3) that generate text.
TEXT_ARCH_SUFFIXES = ("ForCausalLM", "ForConditionalGeneration", "LMHeadModel")
MUSIC_MODEL_TYPES = frozenset({"musicgen", "musicgen_melody"})
SPEECH_MODEL_TYPES = frozenset({"vits"})
_GGUF_SPLIT = re.compile(r"^(?P<stem>.+)-(?P<part>\d{5})-of-(?P<total>\d{5})\.gguf$", re.IGNORECASE)
_MAX_JSON_BYTES = 4 * 1024 * 1024  # configs are a few KB; refuse to parse anything that is clearly not one
_MAX_SAFETENSORS_HEADER = 100 * 1024 * 1024  # the format's own limit


@dataclass(frozen=True)
class DetectedModel:
    path: Path  # the file or folder a loader opens (the .onnx for a Piper voice)
    kind: ModelKind
    backend: str
    name: str
    size_bytes: int
    languages: tuple[str, ...] = ()
    instruct: bool | None = None
    pickle_only: bool = False
    licence: str = ""  # "" when the model does not say
    licence_file: Path | None = None


def detect_model(path: Path) -> DetectedModel | None:
    """The model at `path`, or None when it is not one this app can load."""
    try:
        if path.is_dir():
            return _detect_folder(path)
        if path.is_file():
            return _detect_file(path)
    except OSError as exc:  # unreadable file, vanished while we looked: not a model, not a crash
        log.warning("could not inspect %s: %s", path, exc)
    return None


def is_model_folder(path: Path) -> bool:
    """Whether the folder's layout makes it one model (scanners must not look inside it for more)."""
    return any((path / marker).is_file() for marker in FOLDER_MARKERS)


# ---------------------------------------------------------------- folders


def _detect_folder(folder: Path) -> DetectedModel | None:
    # Our own file wins: a trained GAN/VAE folder may also carry a config.json of its own.
    if (folder / AIGC_MODEL_FILE).is_file():
        return _detect_aigc_folder(folder)
    if (folder / DIFFUSERS_INDEX).is_file():
        return _folder_model(folder, ModelKind.IMAGE, "diffusers", recursive_weights=True)
    if (folder / TRANSFORMERS_CONFIG).is_file():
        return _detect_transformers_folder(folder)
    return None


def _detect_aigc_folder(folder: Path) -> DetectedModel | None:
    meta = read_json(folder / AIGC_MODEL_FILE)
    if meta is None:
        return None
    try:
        kind = ModelKind(str(meta.get("kind", "")))
    except ValueError:
        log.warning("%s: unknown kind %r", folder / AIGC_MODEL_FILE, meta.get("kind"))
        return None
    backend = meta.get("backend")
    if not isinstance(backend, str) or not backend:
        log.warning("%s: no backend named", folder / AIGC_MODEL_FILE)
        return None
    name = meta.get("name")
    licence = meta.get("licence", meta.get("license", ""))
    return _folder_model(
        folder,
        kind,
        backend,
        recursive_weights=True,
        name=name if isinstance(name, str) and name else None,
        licence=licence if isinstance(licence, str) else "",
    )


def _detect_transformers_folder(folder: Path) -> DetectedModel | None:
    config = read_json(folder / TRANSFORMERS_CONFIG)
    if config is None:
        return None
    model_type = str(config.get("model_type", "")).lower()
    if model_type in MUSIC_MODEL_TYPES:
        return _folder_model(folder, ModelKind.MUSIC, "transformers")
    if model_type in SPEECH_MODEL_TYPES:
        return _folder_model(folder, ModelKind.SPEECH, "transformers")
    architectures = config.get("architectures") or []
    if isinstance(architectures, list) and any(
        isinstance(arch, str) and arch.endswith(TEXT_ARCH_SUFFIXES) for arch in architectures
    ):
        return _folder_model(folder, ModelKind.TEXT, "transformers", instruct=has_chat_template(folder))
    # A diffusers component (unet/, vae/: "_class_name", no model_type) or an encoder-only model: none we run.
    return None


def has_chat_template(folder: Path) -> bool:
    """Whether the tokenizer ships a chat template (the sign of an instruction-tuned model)."""
    if (folder / "chat_template.jinja").is_file():
        return True
    standalone = read_json(folder / "chat_template.json")
    if standalone is not None and standalone.get("chat_template"):
        return True
    tokenizer_config = read_json(folder / "tokenizer_config.json")
    return bool(tokenizer_config and tokenizer_config.get("chat_template"))


def _folder_model(
    folder: Path,
    kind: ModelKind,
    backend: str,
    *,
    recursive_weights: bool = False,
    instruct: bool | None = None,
    name: str | None = None,
    licence: str = "",
) -> DetectedModel:
    card = read_front_matter(folder / "README.md")
    return DetectedModel(
        path=folder,
        kind=kind,
        backend=backend,
        name=name or folder.name,
        size_bytes=folder_size(folder),
        languages=_card_languages(card),
        instruct=instruct,
        pickle_only=_pickle_only(folder, recursive_weights),
        licence=licence or _card_str(card, "license"),
    )


def _pickle_only(folder: Path, recursive: bool) -> bool:
    files = folder.rglob("*") if recursive else folder.iterdir()
    suffixes = {p.suffix.lower() for p in files if p.is_file()}
    return ".safetensors" not in suffixes and bool(suffixes & PICKLE_SUFFIXES)


# ---------------------------------------------------------------- single files


def _detect_file(file: Path) -> DetectedModel | None:
    suffix = file.suffix.lower()
    if suffix == ".gguf":
        return _detect_gguf(file)
    if suffix == ".onnx":
        return _detect_piper(file)
    if _inside_model_folder(file):
        return None  # a shard of a folder model: the folder is the model
    if suffix == ".safetensors":
        if not _is_safetensors(file) or _is_adapter(file):
            return None
        return _detect_single_file(file, pickle_only=False)
    if suffix in SINGLE_FILE_PICKLE_SUFFIXES and not file.with_suffix(".safetensors").exists():
        return _detect_single_file(file, pickle_only=True)
    return None


def _detect_gguf(file: Path) -> DetectedModel | None:
    if read_head(file, 4) != GGUF_MAGIC:
        return None
    size = file.stat().st_size
    name = file.stem
    split = _GGUF_SPLIT.match(file.name)
    if split:
        # llama.cpp opens a split model through its first part and finds the rest itself.
        if int(split["part"]) != 1:
            return None
        parts = [
            file.with_name(f"{split['stem']}-{i:05d}-of-{split['total']}.gguf")
            for i in range(1, int(split["total"]) + 1)
        ]
        size = sum(p.stat().st_size for p in parts if p.is_file())
        name = split["stem"]
    return DetectedModel(path=file, kind=ModelKind.TEXT, backend="llama.cpp", name=name, size_bytes=size)


def _detect_piper(onnx: Path) -> DetectedModel | None:
    config_path = onnx.with_name(onnx.name + ".json")
    config = read_json(config_path)
    if config is None:
        return None
    card = onnx.with_name("MODEL_CARD")
    return DetectedModel(
        path=onnx,
        kind=ModelKind.SPEECH,
        backend="piper",
        name=onnx.stem,
        size_bytes=onnx.stat().st_size + config_path.stat().st_size,
        languages=piper_languages(config),
        licence=model_card_licence(card),
        licence_file=card if card.is_file() else None,
    )


def _detect_single_file(file: Path, *, pickle_only: bool) -> DetectedModel:
    return DetectedModel(
        path=file,
        kind=ModelKind.IMAGE,
        backend="diffusers-single-file",
        name=file.stem,
        size_bytes=file.stat().st_size,
        pickle_only=pickle_only,
    )


def _inside_model_folder(file: Path) -> bool:
    # Weights beside a config (transformers, our own) or one level under a diffusers pipeline (unet/, vae/).
    parent = file.parent
    return is_model_folder(parent) or (parent.parent / DIFFUSERS_INDEX).is_file()


def _is_safetensors(file: Path) -> bool:
    # 8-byte little-endian header length, then a JSON object: tells it from a renamed or truncated file.
    head = read_head(file, 9)
    if len(head) < 9:
        return False
    (header_len,) = struct.unpack("<Q", head[:8])
    return 0 < header_len <= _MAX_SAFETENSORS_HEADER and head[8:9] == b"{"


# LoRA and IP-Adapter files are add-ons to a checkpoint, not models to generate with: their tensor names say so.
_ADAPTER_MARKERS = (
    "lora_unet_",
    "lora_te",
    ".lora_down.",
    ".lora_up.",
    ".lora_A.",
    ".lora_B.",
    "image_proj.",
    "ip_adapter.",
)


def _is_adapter(file: Path) -> bool:
    try:
        names = safetensors_shapes(file)
    except UserError:
        return False  # unreadable: the loader gives the clear message
    return any(marker in name or name.startswith(marker) for name in names for marker in _ADAPTER_MARKERS)


# ---------------------------------------------------------------- small readers


def piper_languages(config: dict[str, Any]) -> tuple[str, ...]:
    """Primary language subtags ("en_US" -> "en") from a Piper voice config."""
    language = config.get("language")
    code = language.get("code") if isinstance(language, dict) else None
    if not isinstance(code, str) or not code:
        espeak = config.get("espeak")
        code = espeak.get("voice") if isinstance(espeak, dict) else None
    if not isinstance(code, str) or not code:
        return ()
    return (primary_language(code),)


def primary_language(code: str) -> str:
    return re.split(r"[-_]", code.strip(), maxsplit=1)[0].lower()


def model_card_licence(card: Path) -> str:
    """The "License:" line of a Piper MODEL_CARD ("" when there is none)."""
    try:
        text = card.read_text(encoding="utf-8", errors="replace")[:16384]
    except OSError:
        return ""
    match = re.search(r"^\W*licen[sc]e\s*:\s*(.+?)\s*$", text, re.IGNORECASE | re.MULTILINE)
    return match.group(1) if match else ""


def read_json(path: Path) -> dict[str, Any] | None:
    """A small JSON object from disk, or None when the file is missing, huge or not a JSON object."""
    try:
        if not path.is_file() or path.stat().st_size > _MAX_JSON_BYTES:
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        log.warning("could not read %s: %s", path, exc)
        return None
    return data if isinstance(data, dict) else None


def read_head(path: Path, n: int) -> bytes:
    with path.open("rb") as f:
        return f.read(n)


def read_front_matter(readme: Path) -> dict[str, str | list[str]]:
    """The flat `key: value` / `key:` + `- item` pairs of a Hugging Face model card's YAML header."""
    try:
        with readme.open(encoding="utf-8", errors="replace") as f:
            head = f.read(16384)
    except OSError:
        return {}
    lines = head.splitlines()
    if not lines or lines[0].strip() != "---":
        return {}
    result: dict[str, str | list[str]] = {}
    key: str | None = None
    for line in lines[1:]:
        if line.strip() == "---":
            break
        item = re.match(r"^\s*-\s*(.+?)\s*$", line)
        if item and key is not None:
            current = result.get(key)
            result[key] = [*(current if isinstance(current, list) else []), item.group(1).strip("'\"")]
            continue
        pair = re.match(r"^([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$", line)
        if pair:
            key, value = pair.group(1).lower(), pair.group(2)
            if value.startswith("[") and value.endswith("]"):  # flow style: language: [en, zh]
                result[key] = [v.strip().strip("'\"") for v in value[1:-1].split(",") if v.strip()]
            else:
                result[key] = value.strip("'\"") if value else []
    return result


def _card_str(card: dict[str, str | list[str]], key: str) -> str:
    value = card.get(key)
    return value if isinstance(value, str) else ""


def _card_languages(card: dict[str, str | list[str]]) -> tuple[str, ...]:
    value = card.get("language", [])
    codes = [value] if isinstance(value, str) else value
    seen: dict[str, None] = {}
    for code in codes:
        if code:
            seen[primary_language(code)] = None
    return tuple(seen)


def folder_size(folder: Path) -> int:
    """Bytes of all files below `folder`; symlinked files (the Hugging Face cache layout) count the target."""
    total = 0
    for root, _dirs, files in os.walk(folder):
        for name in files:
            try:
                total += (Path(root) / name).stat().st_size
            except OSError:
                continue  # a dangling symlink
    return total
