"""What the app records about the models it installed: an install note beside each downloaded or imported model,
a list of models used where they already were (linked, never copied), and removing either safely.

Both files start with a dot, so the registry's scan of the models folder never mistakes them for models.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from aigc_desktop.core import atomic
from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP, Msg
from aigc_desktop.core.models import embedded
from aigc_desktop.core.models.detect import DetectedModel, detect_model
from aigc_desktop.core.models.entry import ModelEntry, ModelSource

log = logging.getLogger(__name__)

INSTALL_INFO = ".aigc-install.json"
LINKS_FILE = ".aigc-links.json"
LINK_PREFIX = "linked/"
IMPORTED_DIRNAME = "imported"
_SLUG = re.compile(r"[^a-z0-9._-]+")


@dataclass(frozen=True)
class InstallInfo:
    id: str
    name: str
    source: ModelSource  # DOWNLOADED or IMPORTED
    model_path: str  # relative to the folder holding this note ("" = the folder itself)
    licence: str = ""
    languages: tuple[str, ...] = ()
    repo: str = ""
    revision: str = ""
    commit: str = ""
    original: str = ""  # where an import came from
    installed_at: float = field(default_factory=time.time)
    files: tuple[dict[str, Any], ...] = ()  # what was verified: path, size, sha256

    def target(self, folder: Path) -> Path:
        return folder / self.model_path if self.model_path else folder


@dataclass(frozen=True)
class LinkedModel:
    id: str
    path: Path
    name: str
    found_in: str = ""  # "LM Studio", "Hugging Face cache", ... or "" when the user picked it


def slug(text: str) -> str:
    """A folder/id-safe version of a model name."""
    cleaned = _SLUG.sub("-", text.strip().lower()).strip("-.")
    return cleaned[:80] or "model"


def write_install_info(folder: Path, info: InstallInfo) -> None:
    data = asdict(info)
    data["source"] = info.source.value
    atomic.write_json(folder / INSTALL_INFO, data)


def read_install_info(folder: Path) -> InstallInfo | None:
    path = folder / INSTALL_INFO
    if not path.is_file():
        return None
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        raw["languages"] = tuple(raw.get("languages") or ())
        raw["files"] = tuple(raw.get("files") or ())
        raw["source"] = ModelSource(raw.get("source"))  # ValueError for a missing or unknown one
        return InstallInfo(**raw)
    except (OSError, ValueError, TypeError) as exc:
        log.warning("ignoring unreadable %s: %s", path, exc)
        return None


def install_info_for(models_dir: Path, model_path: Path) -> tuple[Path, InstallInfo] | None:
    """The install note that describes the model at `model_path`, looking in it and its folders up to `models_dir`."""
    root = models_dir.resolve()
    folder = model_path if model_path.is_dir() else model_path.parent
    while True:
        info = read_install_info(folder)
        if info is not None:
            return (folder, info) if info.target(folder).resolve() == model_path.resolve() else None
        if folder.resolve() == root or folder.parent == folder:
            return None
        folder = folder.parent


# ---------------------------------------------------------------- linked models (used where they are)


def linked_models(models_dir: Path) -> list[LinkedModel]:
    path = models_dir / LINKS_FILE
    if not path.is_file():
        return []
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return [
            LinkedModel(str(item["id"]), Path(item["path"]), str(item.get("name", "")), str(item.get("found_in", "")))
            for item in raw.get("links", [])
        ]
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
        log.warning("ignoring unreadable %s: %s", path, exc)
        return []


def add_link(models_dir: Path, target: Path, name: str, found_in: str = "") -> LinkedModel:
    """Use the model at `target` where it is. A UserError when it is already in use."""
    resolved = target.expanduser().resolve()
    links = linked_models(models_dir)
    for link in links:
        if link.path.resolve() == resolved:
            raise UserError(
                QT_TRANSLATE_NOOP("InstalledModels", "{path} is already in your models (as {id}).").format(
                    path=resolved, id=link.id
                )
            )
    taken = {link.id for link in links}
    base = LINK_PREFIX + slug(name)
    model_id, n = base, 2
    while model_id in taken:
        model_id, n = f"{base}-{n}", n + 1
    link = LinkedModel(model_id, resolved, name, found_in)
    _save_links(models_dir, [*links, link])
    return link


def remove_link(models_dir: Path, model_id: str) -> bool:
    links = linked_models(models_dir)
    kept = [link for link in links if link.id != model_id]
    if len(kept) == len(links):
        return False
    _save_links(models_dir, kept)
    return True


def _save_links(models_dir: Path, links: list[LinkedModel]) -> None:
    data = {
        "links": [
            {"id": link.id, "path": str(link.path), "name": link.name, "found_in": link.found_in} for link in links
        ]
    }
    models_dir.mkdir(parents=True, exist_ok=True)
    atomic.write_json(models_dir / LINKS_FILE, data)


def linked_entry(link: LinkedModel, to_entry: Any) -> ModelEntry | None:
    """The registry entry of a linked model, or None when its files are gone or no longer a model."""
    found: DetectedModel | None = detect_model(link.path)
    if found is None:
        log.warning("linked model %s at %s is missing or unreadable; not listed", link.id, link.path)
        return None
    entry: ModelEntry = to_entry(found, link.id, ModelSource.LINKED)
    return replace(entry, name=link.name or entry.name)


# ---------------------------------------------------------------- removing


def remove_model(models_dir: Path, entry: ModelEntry) -> Msg:
    """Delete a model the app installed (or stop using a linked one); returns what was done, in one sentence.

    Built-in models and paths outside the models folder are refused with a UserError; nothing is deleted outside
    the models folder, ever.
    """
    if entry.source is ModelSource.EMBEDDED:
        raise UserError(
            QT_TRANSLATE_NOOP("InstalledModels", "{name} is built into the app and cannot be removed.").format(
                name=entry.name
            )
        )
    if entry.source is ModelSource.LINKED:
        if not remove_link(models_dir, entry.id):
            raise UserError(
                QT_TRANSLATE_NOOP("InstalledModels", "{id} is not among the linked models.").format(id=entry.id)
            )
        return QT_TRANSLATE_NOOP(
            "InstalledModels", "Stopped using {name}; its files in {path} were left as they are."
        ).format(name=entry.name, path=entry.path)
    root = models_dir.resolve()
    target = entry.path.resolve() if entry.path.exists() or entry.path.is_symlink() else entry.path
    if not _inside(target, root) or target == root:
        raise UserError(
            QT_TRANSLATE_NOOP(
                "InstalledModels", "{name} is not in the models folder ({root}); nothing was removed."
            ).format(name=entry.name, root=root)
        )
    if _inside(target, embedded.embedded_dir(models_dir).resolve()):
        raise UserError(
            QT_TRANSLATE_NOOP("InstalledModels", "{name} is built into the app and cannot be removed.").format(
                name=entry.name
            )
        )
    installed = install_info_for(models_dir, entry.path)
    if installed is not None and installed[0].resolve() != root:
        folder = installed[0]
        shutil.rmtree(folder)
        _prune_empty_parents(folder.parent, root)
        return QT_TRANSLATE_NOOP("InstalledModels", "Removed {name} ({path}).").format(name=entry.name, path=folder)
    doomed = _files_of(target)
    for path in doomed:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)
    _prune_empty_parents(target.parent, root)
    return QT_TRANSLATE_NOOP("InstalledModels", "Removed {name} ({path}).").format(name=entry.name, path=target)


def _files_of(target: Path) -> list[Path]:
    """The model file and the companions that belong to it (Piper config, model card, GGUF split parts)."""
    if target.is_dir():
        return [target]
    files = [target]
    if target.suffix.lower() == ".onnx":
        files.append(target.with_name(target.name + ".json"))
    split = re.match(r"^(?P<stem>.+)-00001-of-(?P<total>\d{5})\.gguf$", target.name, re.IGNORECASE)
    if split:
        total = int(split["total"])
        files += [target.with_name(f"{split['stem']}-{i:05d}-of-{split['total']}.gguf") for i in range(2, total + 1)]
    return files


def _prune_empty_parents(folder: Path, root: Path) -> None:
    # Leaves "text/" and friends tidy after their last model goes; never touches the models folder itself.
    while folder.resolve() != root and _inside(folder.resolve(), root):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def _inside(path: Path, root: Path) -> bool:
    return path == root or path.is_relative_to(root)
