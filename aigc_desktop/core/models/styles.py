"""Styles: LoRA adapters learned from the creator's texts ("Learn my style"), kept in the models folder.

A style is the folder `<models_dir>/styles/<name>/`:

    aigc_model.json          kind "text", backend "aigc-style", and "style": the StyleRecord (base model id, training
                             data summary, epochs, perplexities, which epoch folder holds the adapter)
    epoch-0003/              the adapter of the last finished epoch:
        adapter.gguf         a GGUF LoRA llama.cpp loads over a GGUF base (no second copy of the base)
        adapter_model.safetensors + adapter_config.json   the same adapter in peft's format (transformers bases,
                             equivalence checks, resuming)
    training/                while a run can be resumed: its tokenised texts (the epoch folder then also holds
                             optimizer.safetensors and trainer_state.json: the run's position)

While a run trains a style, its trainer holds an operating-system lock on `styles/.<name>.training.lock`
(core/locks.py: released by the kernel however the process ends): renaming or removing that style, or taking its name,
is refused meanwhile, from the window and from `aigc styles` alike.

Each epoch is written to a hidden `.epoch-N.partial` folder, renamed to `epoch-N`, and only then does aigc_model.json
(replaced atomically) point at it; the previous epoch folder is removed after that. So the folder always holds a whole
style or none (a run stopped before its first epoch leaves no aigc_model.json, and the registry lists nothing).

The registry lists each style whose base model is installed as "<base name> · <style name>", id "styles/<name>",
with the base's backend and file and `adapter` set (the engines load the base with the adapter).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import shutil
import time
import uuid
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from aigc_desktop.core import atomic, locks
from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP, Msg
from aigc_desktop.core.models.detect import AIGC_MODEL_FILE, read_json
from aigc_desktop.core.models.entry import ModelEntry, ModelSource
from aigc_desktop.core.names import NameMessages, check_folder_name
from aigc_desktop.core.specs import ModelKind

log = logging.getLogger(__name__)

STYLES_SUBDIR = "styles"
STYLE_BACKEND = "aigc-style"  # the backend aigc_model.json names; the registry replaces it with the base's
STYLE_ID_PREFIX = STYLES_SUBDIR + "/"
GGUF_ADAPTER_FILE = "adapter.gguf"
PEFT_WEIGHTS_FILE = "adapter_model.safetensors"
PEFT_CONFIG_FILE = "adapter_config.json"
TRAINING_DIR = "training"
TRAINER_STATE_FILE = "trainer_state.json"  # in an epoch folder while the run can go on (with optimizer.safetensors)
OPTIMIZER_FILE = "optimizer.safetensors"
EXPORT_SUFFIX = ".aigcstyle"
FORMAT_VERSION = 1
LICENCE = "your own texts"
_MAX_IMPORT_BYTES = 2 * 1024 * 1024 * 1024  # an exported style is megabytes; this bounds a hostile archive
_EPOCH_DIR = re.compile(r"^epoch-(\d{4,})$")


class StyleStatus:
    TRAINING = "training"  # an epoch is saved and more were planned (a killed app leaves this: resumable)
    STOPPED = "stopped"  # the user stopped it (resumable while training/ is there)
    FINISHED = "finished"


@dataclass(frozen=True)
class StyleRecord:
    """What the registry records of a style (aigc_model.json's "style")."""

    name: str
    base_model_id: str
    base_name: str
    created: float  # seconds since the epoch (time.time()) of the first saved epoch
    updated: float
    words: int  # words of the training texts (corpus.count_words)
    tokens: int  # tokens of the training texts under the base's tokenizer
    files: int  # sources read (files, plus the document)
    held_back_tokens: int
    epochs_done: int
    epochs_planned: int
    steps_done: int
    total_steps: int
    status: str
    perplexity_before: float
    perplexity_after: float
    adapter_dir: str  # the epoch folder holding the adapter ("epoch-0003")
    rank: int
    alpha: int
    seed: int
    sources: tuple[str, ...] = ()  # file names (not paths) of the texts, for the user to recognise them
    params: Mapping[str, Any] = field(default_factory=dict)  # the StyleParams the run used

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["sources"] = list(self.sources)
        data["params"] = dict(self.params)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> StyleRecord:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["sources"] = tuple(values.get("sources") or ())
        values["params"] = dict(values.get("params") or {})
        return cls(**values)

    @property
    def model_id(self) -> str:
        return style_id(self.name)


@dataclass(frozen=True)
class Style:
    """A style on disk: its folder, record, and whether its base model is installed (usable)."""

    path: Path
    record: StyleRecord
    base: ModelEntry | None

    @property
    def usable(self) -> bool:
        return self.base is not None

    @property
    def gguf_adapter(self) -> Path:
        return self.path / self.record.adapter_dir / GGUF_ADAPTER_FILE

    @property
    def peft_dir(self) -> Path:
        return self.path / self.record.adapter_dir


@dataclass(frozen=True)
class ResumableRun:
    """A run that stopped (or was killed) after saving `epochs_done` of `epochs_planned` epochs."""

    name: str
    path: Path
    base_model_id: str
    epochs_done: int
    epochs_planned: int
    steps_done: int
    total_steps: int
    status: str


def style_id(name: str) -> str:
    return STYLE_ID_PREFIX + name


def is_style_id(model_id: str) -> bool:
    return model_id.startswith(STYLE_ID_PREFIX)


def styles_dir(models_dir: Path) -> Path:
    return models_dir / STYLES_SUBDIR


def style_folder(models_dir: Path, name: str) -> Path:
    return styles_dir(models_dir) / name


_NAME_MESSAGES = NameMessages(
    empty=QT_TRANSLATE_NOOP("Styles", "Give the style a name."),
    bad_chars=QT_TRANSLATE_NOOP("Styles", "The name '{name}' cannot hold path separators or any of : * ? \" < > |."),
    dot=QT_TRANSLATE_NOOP("Styles", "The name cannot start with a dot."),
    too_long=QT_TRANSLATE_NOOP("Styles", "The name is too long (at most {max} characters)."),
)


def check_style_name(name: str) -> str:
    """The name stripped, or a UserError: it becomes a folder name and part of the style's id."""
    return check_folder_name(name, _NAME_MESSAGES)


def check_style_name_free(models_dir: Path, name: str) -> None:
    """UserError when a style (or a resumable run) already has this name. A folder left by a run killed before its
    first epoch holds no style and no resumable state: it does not count (the next run reuses it)."""
    folder = style_folder(models_dir, name)
    if (folder / AIGC_MODEL_FILE).exists():
        raise UserError(
            QT_TRANSLATE_NOOP("Styles", "A style named '{name}' already exists; choose another name.").format(name=name)
        )


def training_lock_path(models_dir: Path, name: str) -> Path:
    """The lock file a run holds while it trains the style `name` (hidden: list_styles skips it)."""
    return styles_dir(models_dir) / f".{name}.training.lock"


def hold_training_lock(models_dir: Path, name: str) -> locks.Lock:
    """The trainer's lock on the style `name` for its whole run; UserError when another run (in this process or
    another: `aigc learn-style` beside the window) is training that name."""
    path = training_lock_path(models_dir, name)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = locks.take(path)
    except OSError as exc:
        raise UserError(
            QT_TRANSLATE_NOOP("Styles", "Could not create {folder}: {reason}.").format(
                folder=path.parent, reason=exc.strerror or exc
            )
        ) from exc
    if lock is None:
        raise UserError(
            QT_TRANSLATE_NOOP(
                "Styles", "The style '{name}' is already being trained; wait for that run to end or stop it."
            ).format(name=name)
        )
    return lock


def is_training(models_dir: Path, name: str) -> bool:
    """Whether a run (of any process) is training the style `name` now."""
    return locks.is_held(training_lock_path(models_dir, name))


# ---------------------------------------------------------------- reading


def read_record(folder: Path) -> StyleRecord | None:
    """The StyleRecord of a style folder, or None when it holds no (readable) style."""
    meta = read_json(folder / AIGC_MODEL_FILE)
    if meta is None or meta.get("backend") != STYLE_BACKEND or not isinstance(meta.get("style"), dict):
        return None
    try:
        return StyleRecord.from_dict(meta["style"])
    except (TypeError, ValueError) as exc:
        log.warning("%s: not a style record (%s)", folder / AIGC_MODEL_FILE, exc)
        return None


def list_styles(models_dir: Path, bases: Sequence[ModelEntry] = ()) -> list[Style]:
    """Every style in the models folder, sorted by name; `base` is set where `bases` holds its base model."""
    root = styles_dir(models_dir)
    if not root.is_dir():
        return []
    by_id = {b.id: b for b in bases}
    found = []
    for folder in sorted(root.iterdir(), key=lambda p: p.name.lower()):
        if folder.name.startswith(".") or not folder.is_dir():
            continue
        record = read_record(folder)
        if record is None or not (folder / record.adapter_dir).is_dir():
            continue
        found.append(Style(folder, record, by_id.get(record.base_model_id)))
    return found


def get_style(models_dir: Path, name: str, bases: Sequence[ModelEntry] = ()) -> Style:
    for style in list_styles(models_dir, bases):
        if style.record.name == name or style.path.name == name:
            return style
    raise UserError(QT_TRANSLATE_NOOP("Styles", "There is no style named '{name}'.").format(name=name))


def style_entries(models_dir: Path, bases: Sequence[ModelEntry]) -> list[ModelEntry]:
    """The model-list entries of the usable styles: the base's backend, file and readiness, plus the adapter."""
    entries = []
    for style in list_styles(models_dir, bases):
        base = style.base
        if base is None or base.kind is not ModelKind.TEXT:
            continue
        adapter = style.gguf_adapter if base.backend == "llama.cpp" else style.peft_dir
        if not adapter.exists():
            continue
        entries.append(
            replace(
                base,
                id=style.record.model_id,
                name=f"{base.name} · {style.record.name}",
                size_bytes=_size(style.peft_dir),
                source=ModelSource.STYLE,
                adapter=adapter,
                base_id=base.id,
                licence_file=base.licence_file,
            )
        )
    return entries


def run_bytes(entry: ModelEntry, base: ModelEntry) -> int:
    """What a style's entry takes in memory when it runs: its base model, plus the adapter its engine loads over it
    (the GGUF LoRA for llama.cpp, peft's weights otherwise). Not the entry's size_bytes, which is the style folder's
    own files (both adapter formats, any resume state) without the base."""
    adapter = entry.adapter
    if adapter is None:
        return entry.size_bytes
    weights = adapter if adapter.is_file() else adapter / PEFT_WEIGHTS_FILE
    try:
        adapter_size = weights.stat().st_size
    except OSError:
        adapter_size = 0
    return base.size_bytes + adapter_size


def provenance_note(record: StyleRecord) -> Msg:
    """The line provenance shows for text written with a style."""
    return QT_TRANSLATE_NOOP("Styles", "written with style {name}, trained on {words} words of your texts").format(
        name=record.name, words=record.words
    )


def provenance_for(models_dir: Path, model_id: str) -> Msg | None:
    """provenance_note of the style a job ran on (by its model id), or None for a job that used no style (or a style
    since removed: the history still names its id)."""
    if not is_style_id(model_id):
        return None
    record = read_record(style_folder(models_dir, model_id[len(STYLE_ID_PREFIX) :]))
    return provenance_note(record) if record is not None else None


def find_resumable(models_dir: Path) -> list[ResumableRun]:
    """Runs that can continue: stopped by the user or killed with the app, with their training state still there."""
    root = styles_dir(models_dir)
    if not root.is_dir():
        return []
    runs = []
    for folder in sorted(root.iterdir(), key=lambda p: p.name.lower()):
        record = read_record(folder) if folder.is_dir() else None
        if record is None or record.status == StyleStatus.FINISHED:
            continue
        if not (folder / record.adapter_dir / TRAINER_STATE_FILE).is_file() or not (folder / TRAINING_DIR).is_dir():
            continue
        runs.append(
            ResumableRun(
                name=record.name,
                path=folder,
                base_model_id=record.base_model_id,
                epochs_done=record.epochs_done,
                epochs_planned=record.epochs_planned,
                steps_done=record.steps_done,
                total_steps=record.total_steps,
                status=record.status,
            )
        )
    return runs


# ---------------------------------------------------------------- writing (the trainer's side)


def reserve_style_folder(models_dir: Path, name: str) -> Path:
    """The folder of a new style, refusing a taken name; a folder left by a run killed before its first epoch is
    emptied and reused."""
    check_style_name_free(models_dir, name)
    folder = style_folder(models_dir, name)
    try:
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
    except OSError as exc:
        raise UserError(
            QT_TRANSLATE_NOOP("Styles", "Could not create {folder}: {reason}.").format(
                folder=folder, reason=exc.strerror or exc
            )
        ) from exc
    return folder


def epoch_dir_name(epoch: int) -> str:
    return f"epoch-{epoch:04d}"


def begin_epoch_dir(folder: Path, epoch: int) -> Path:
    """A fresh hidden folder to write epoch `epoch`'s adapter files into (commit_epoch makes it visible)."""
    temp = folder / f".{epoch_dir_name(epoch)}.{uuid.uuid4().hex[:8]}.partial"
    temp.mkdir(parents=True)
    return temp


def commit_epoch(folder: Path, temp: Path, record: StyleRecord) -> None:
    """Makes the epoch written in `temp` the style: fsync its files, rename it to its epoch name, point
    aigc_model.json at it (atomically), then remove older epoch folders and stray partial ones."""
    try:
        for file in temp.iterdir():
            atomic.fsync_file(file)
        final = folder / record.adapter_dir
        if final.exists():
            shutil.rmtree(final)
        os.replace(temp, final)
        atomic.fsync_dir(folder)
        write_record(folder, record)
    except OSError as exc:
        shutil.rmtree(temp, ignore_errors=True)
        raise UserError(
            QT_TRANSLATE_NOOP("Styles", "Could not save the style to {folder}: {reason}.").format(
                folder=folder, reason=exc.strerror or exc
            )
        ) from exc
    for child in folder.iterdir():
        old_epoch = _EPOCH_DIR.match(child.name) and child.name != record.adapter_dir
        if old_epoch or (child.name.startswith(".epoch-") and child.name.endswith(".partial")):
            shutil.rmtree(child, ignore_errors=True)


def finish_training(folder: Path) -> None:
    """Removes what only a resume needs (the tokenised texts, optimizer state and position) from a finished style."""
    shutil.rmtree(folder / TRAINING_DIR, ignore_errors=True)
    for epoch in folder.glob("epoch-*"):
        for name in (TRAINER_STATE_FILE, OPTIMIZER_FILE):
            with contextlib.suppress(OSError):
                (epoch / name).unlink(missing_ok=True)


def mark_stopped(folder: Path) -> None:
    """Records that the user stopped the run (it stays resumable); nothing when no epoch was saved."""
    record = read_record(folder)
    if record is not None and record.status == StyleStatus.TRAINING:
        write_record(folder, replace(record, status=StyleStatus.STOPPED, updated=time.time()))


def _record_meta(record: StyleRecord) -> dict[str, Any]:
    return {
        "kind": ModelKind.TEXT.value,
        "backend": STYLE_BACKEND,
        "name": record.name,
        "licence": LICENCE,
        "format_version": FORMAT_VERSION,
        "style": record.to_dict(),
    }


def write_record(folder: Path, record: StyleRecord) -> None:
    atomic.write_json(folder / AIGC_MODEL_FILE, _record_meta(record), durable=True)


# ---------------------------------------------------------------- managing


def rename_style(models_dir: Path, old: str, new: str) -> Style:
    """Renames a style (its folder, id and record). UserError when `new` is taken or bad."""
    style = get_style(models_dir, old)
    new = check_style_name(new)
    if is_training(models_dir, style.record.name):
        raise UserError(
            QT_TRANSLATE_NOOP(
                "Styles", "The style '{name}' is being trained right now: rename it after its training stops."
            ).format(name=style.record.name)
        )
    if new == style.record.name:
        return style
    _refuse_a_name_in_training(models_dir, new)
    if style_folder(models_dir, new).exists():
        check_style_name_free(models_dir, new)
        shutil.rmtree(style_folder(models_dir, new), ignore_errors=True)  # an empty leftover of a killed run
    target = style_folder(models_dir, new)
    try:
        os.rename(style.path, target)
    except OSError as exc:
        raise UserError(
            QT_TRANSLATE_NOOP("Styles", "Could not rename the style: {reason}.").format(reason=exc.strerror or exc)
        ) from exc
    record = replace(style.record, name=new, updated=time.time())
    write_record(target, record)
    return Style(target, record, style.base)


def remove_style(models_dir: Path, name: str) -> None:
    """Deletes a style's folder (its adapter and training state; the user's texts are never in it)."""
    style = get_style(models_dir, name)
    if is_training(models_dir, style.record.name):
        raise UserError(
            QT_TRANSLATE_NOOP(
                "Styles", "The style '{name}' is being trained right now: remove it after its training stops."
            ).format(name=style.record.name)
        )
    # Hide it from the registry first (one rename), then delete: a failure half-way leaves no half style listed.
    trash = style.path.with_name(f".{style.path.name}.{uuid.uuid4().hex[:8]}.removing")
    try:
        os.rename(style.path, trash)
    except OSError as exc:
        raise UserError(
            QT_TRANSLATE_NOOP("Styles", "Could not remove the style: {reason}.").format(reason=exc.strerror or exc)
        ) from exc
    shutil.rmtree(trash, ignore_errors=True)


_EXPORT_ATTEMPTS = 3


def _write_export(style: Style, target: Path) -> None:
    with atomic.replacing(target) as temp, zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(AIGC_MODEL_FILE, json.dumps(_record_meta(style.record), ensure_ascii=False, indent=2))
        for file in sorted(style.peft_dir.iterdir()):
            if file.name in (GGUF_ADAPTER_FILE, PEFT_WEIGHTS_FILE, PEFT_CONFIG_FILE):
                archive.write(file, f"{style.record.adapter_dir}/{file.name}")


def export_style(models_dir: Path, name: str, target: Path) -> Path:
    """Writes the style (record + last epoch's adapter, no training state) to one small `.aigcstyle` file (a zip);
    returns its path. Written to a temporary name and renamed: no half file at `target`."""
    if target.suffix.lower() != EXPORT_SUFFIX:
        target = target.with_name(target.name + EXPORT_SUFFIX)
    try:
        # A style may be training while it is exported: the record and the adapter go from one read of the record
        # (never the file again, which a new epoch may have changed), and when that epoch's folder is replaced
        # half-way the export starts over from the new epoch.
        for attempt in range(_EXPORT_ATTEMPTS):
            style = get_style(models_dir, name)
            try:
                _write_export(style, target)
                break
            except FileNotFoundError:
                if attempt == _EXPORT_ATTEMPTS - 1 or not is_training(models_dir, name):
                    raise
    except OSError as exc:
        raise UserError(
            QT_TRANSLATE_NOOP("Styles", "Could not export the style to {path}: {reason}.").format(
                path=target, reason=exc.strerror or exc
            )
        ) from exc
    return target


def import_style(models_dir: Path, source: Path, name: str | None = None) -> Style:
    """Adds the style in a `.aigcstyle` file to the models folder (as `name` when given, else its own name).
    UserError for a file that is not a style, a taken name, or a damaged archive. Unpacked into a hidden folder and
    renamed into place: nothing half-written is ever listed."""
    try:
        archive = zipfile.ZipFile(source)
    except (OSError, zipfile.BadZipFile) as exc:
        raise UserError(
            QT_TRANSLATE_NOOP("Styles", "{path} is not a style file ({reason}).").format(path=source, reason=exc)
        ) from exc
    with archive:
        try:
            meta = json.loads(archive.read(AIGC_MODEL_FILE).decode("utf-8"))
            record = StyleRecord.from_dict(meta["style"])
        except (KeyError, ValueError, TypeError, UnicodeDecodeError) as exc:
            raise UserError(
                QT_TRANSLATE_NOOP("Styles", "{path} is not a style file ({reason}).").format(path=source, reason=exc)
            ) from exc
        new_name = check_style_name(name or record.name)
        check_style_name_free(models_dir, new_name)
        _refuse_a_name_in_training(models_dir, new_name)
        allowed = {AIGC_MODEL_FILE} | {
            f"{record.adapter_dir}/{f}" for f in (GGUF_ADAPTER_FILE, PEFT_WEIGHTS_FILE, PEFT_CONFIG_FILE)
        }
        members = [i for i in archive.infolist() if not i.is_dir()]
        if not _EPOCH_DIR.match(record.adapter_dir) or any(i.filename not in allowed for i in members):
            raise UserError(
                QT_TRANSLATE_NOOP("Styles", "{path} is not a style file (unexpected contents).").format(path=source)
            )
        if sum(i.file_size for i in members) > _MAX_IMPORT_BYTES:
            raise UserError(QT_TRANSLATE_NOOP("Styles", "{path} is too large to be a style.").format(path=source))
        root = styles_dir(models_dir)
        root.mkdir(parents=True, exist_ok=True)
        temp = root / f".{new_name}.{uuid.uuid4().hex[:8]}.importing"
        try:
            (temp / record.adapter_dir).mkdir(parents=True)
            for info in members:
                if info.filename != AIGC_MODEL_FILE:
                    (temp / info.filename).write_bytes(archive.read(info))
            record = replace(record, name=new_name, status=StyleStatus.FINISHED, updated=time.time())
            write_record(temp, record)
            target = style_folder(models_dir, new_name)
            if target.exists():
                shutil.rmtree(target)  # an empty leftover (check_style_name_free passed)
            os.rename(temp, target)
        except (OSError, zipfile.BadZipFile) as exc:
            shutil.rmtree(temp, ignore_errors=True)
            raise UserError(
                QT_TRANSLATE_NOOP("Styles", "Could not import {path}: {reason}.").format(path=source, reason=exc)
            ) from exc
    return Style(target, record, None)


def _refuse_a_name_in_training(models_dir: Path, name: str) -> None:
    """UserError when a run trains `name` (before its first epoch its folder holds no style yet, but is its)."""
    if is_training(models_dir, name):
        raise UserError(
            QT_TRANSLATE_NOOP(
                "Styles", "A style named '{name}' is being trained right now; choose another name."
            ).format(name=name)
        )


def _size(folder: Path) -> int:
    total = 0
    with contextlib.suppress(OSError):
        for file in folder.iterdir():
            total += file.stat().st_size
    return total
