"""The curated list of models the app offers to download (resources/catalog.json), read and checked.

Every path in the file is checked here, before anything is fetched: a catalog entry can only ever name files inside
the model's own install folder (no "..", no absolute paths, no backslashes). `AIGC_CATALOG` points at another catalog
file (tests and the screenshot tool serve theirs from a local fake Hub).

An entry's `description` and `notes` are English; `description_zh` / `notes_zh` are what the Chinese interface shows.
`needs_online` names what a model fetches from the internet on its first use beyond its own files (so it does not work
offline until then): `{"what": "g2pW", "source": "huggingface.co", "approx_bytes": 640000000}`; the window and
`aigc models catalog` say so before the download.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path, PurePosixPath
from typing import Any

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP, Msg
from aigc_desktop.core.specs import ModelKind
from aigc_desktop.core.units import human_bytes

CATALOG_ENV = "AIGC_CATALOG"
DEFAULT_CATALOG = Path(__file__).resolve().parents[3] / "resources" / "catalog.json"
SCHEMA_VERSION = 1
# Ids name install folders: lower-case letters, digits, dots, dashes and underscores only.
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_REPO = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:")


class GpuUse(StrEnum):
    """What a GPU does for a catalog model (the catalog's "gpu" field)."""

    NONE = "none"  # runs on the CPU only
    OPTIONAL = "optional"  # runs well on the CPU; a GPU makes it faster
    RECOMMENDED = "recommended"  # image models: minutes per picture on a CPU


@dataclass(frozen=True)
class CatalogFile:
    path: str  # the file's path in the Hub repository
    save_as: str  # where it goes inside the install folder
    size: int | None  # bytes; None when not known in advance: the Hub's own size is checked then
    sha256: str | None  # None when not known in advance: the Hub's LFS sha256 is checked where it has one


@dataclass(frozen=True)
class OnlineNeed:
    """Something a model fetches from the internet when it is first used (not part of its download)."""

    what: str  # a name, shown as it is ("g2pW", "espeak-ng data")
    source: str  # where from: a host name
    approx_bytes: int | None = None

    def describe(self) -> Msg:
        size = (
            QT_TRANSLATE_NOOP("Catalog", " (about {size})").format(size=human_bytes(self.approx_bytes))
            if self.approx_bytes
            else ""
        )
        return QT_TRANSLATE_NOOP(
            "Catalog",
            "Needs an internet connection on first use: it then fetches {what}{size} from {source}, which is not "
            "part of this download. Until then it does not work offline.",
        ).format(what=self.what, size=size, source=self.source)

    def to_dict(self) -> dict[str, Any]:
        return {"what": self.what, "source": self.source, "approx_bytes": self.approx_bytes}


@dataclass(frozen=True)
class CatalogModel:
    id: str
    name: str
    kind: ModelKind
    backend: str
    repo: str
    revision: str
    files: tuple[CatalogFile, ...]
    model_path: str  # what a loader opens, relative to the install folder ("" = the folder itself)
    licence: str
    licence_url: str
    languages: tuple[str, ...]
    ram_gb: float  # memory to run it on the CPU
    vram_gb: float | None  # GPU memory to run it on a GPU; None when it does not use one
    gpu: GpuUse
    approx_bytes: int  # the whole download; exact when every file's size is known
    description: str
    notes: str = ""
    description_zh: str = ""
    notes_zh: str = ""
    needs_online: OnlineNeed | None = None

    @property
    def sizes_known(self) -> bool:
        return all(f.size is not None for f in self.files)

    @property
    def download_bytes(self) -> int:
        return sum(f.size or 0 for f in self.files) if self.sizes_known else self.approx_bytes

    def description_in(self, language: str) -> str:
        """The description in `language` ("zh_CN", "en"): the Chinese one where there is one, else English."""
        return self.description_zh if language.startswith("zh") and self.description_zh else self.description

    def notes_in(self, language: str) -> str:
        return self.notes_zh if language.startswith("zh") and self.notes_zh else self.notes

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind.value,
            "backend": self.backend,
            "repo": self.repo,
            "revision": self.revision,
            "files": [{"path": f.path, "save_as": f.save_as, "size": f.size, "sha256": f.sha256} for f in self.files],
            "model_path": self.model_path,
            "licence": self.licence,
            "licence_url": self.licence_url,
            "languages": list(self.languages),
            "ram_gb": self.ram_gb,
            "vram_gb": self.vram_gb,
            "gpu": self.gpu.value,
            "download_bytes": self.download_bytes,
            "sizes_known": self.sizes_known,
            "description": self.description,
            "notes": self.notes,
            "description_zh": self.description_zh,
            "notes_zh": self.notes_zh,
            "needs_online": None if self.needs_online is None else self.needs_online.to_dict(),
        }


@dataclass(frozen=True)
class Catalog:
    path: Path
    models: tuple[CatalogModel, ...]

    def get(self, model_id: str) -> CatalogModel:
        for model in self.models:
            if model.id == model_id:
                return model
        known = ", ".join(m.id for m in self.models) or "none"
        raise UserError(
            QT_TRANSLATE_NOOP("Catalog", "No model '{id}' in the catalog. Catalog models: {known}.").format(
                id=model_id, known=known
            )
        )

    def find(self, model_id: str) -> CatalogModel | None:
        return next((m for m in self.models if m.id == model_id), None)


def catalog_path() -> Path:
    override = os.environ.get(CATALOG_ENV, "").strip()
    return Path(override).expanduser() if override else DEFAULT_CATALOG


def load_catalog(path: Path | None = None) -> Catalog:
    """The catalog at `path` (default: AIGC_CATALOG or the shipped one); a UserError naming what is wrong."""
    source = path or catalog_path()
    try:
        raw = json.loads(source.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise UserError(
            QT_TRANSLATE_NOOP("Catalog", "The model catalog {path} is missing; reinstall the app.").format(path=source)
        ) from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UserError(
            QT_TRANSLATE_NOOP("Catalog", "The model catalog {path} cannot be read: {reason}.").format(
                path=source, reason=exc
            )
        ) from exc
    if not isinstance(raw, dict) or raw.get("schema") != SCHEMA_VERSION or not isinstance(raw.get("models"), list):
        raise UserError(
            QT_TRANSLATE_NOOP("Catalog", "The model catalog {path} is not a version {version} catalog.").format(
                path=source, version=SCHEMA_VERSION
            )
        )
    models: list[CatalogModel] = []
    seen: set[str] = set()
    for index, item in enumerate(raw["models"]):
        model = _parse_model(source, index, item)
        if model.id in seen:
            raise UserError(
                QT_TRANSLATE_NOOP("Catalog", "The model catalog {path} lists '{id}' twice.").format(
                    path=source, id=model.id
                )
            )
        seen.add(model.id)
        models.append(model)
    return Catalog(source, tuple(models))


def check_relative_path(value: object, what: str) -> PurePosixPath:
    """`value` as a path that stays inside the folder it is joined to; a UserError otherwise.

    Refused: empty, absolute, drive letters, backslashes, "." or ".." parts, NUL. Callers still check the resolved
    path is inside their folder (a symlink in the way could point elsewhere).
    """
    if not isinstance(value, str) or not value or "\x00" in value or "\\" in value:
        raise UserError(
            QT_TRANSLATE_NOOP("Catalog", "{what}: '{value}' is not a plain relative path.").format(
                what=what, value=value
            )
        )
    path = PurePosixPath(value)
    if path.is_absolute() or _WINDOWS_DRIVE.match(value) or any(part in ("", ".", "..") for part in value.split("/")):
        raise UserError(
            QT_TRANSLATE_NOOP("Catalog", "{what}: '{value}' would leave the model's folder; refused.").format(
                what=what, value=value
            )
        )
    return path


def _parse_model(source: Path, index: int, item: Any) -> CatalogModel:
    where: str = QT_TRANSLATE_NOOP("Catalog", "{file}, model #{number}").format(file=source.name, number=index + 1)
    if not isinstance(item, dict):
        raise UserError(QT_TRANSLATE_NOOP("Catalog", "{where}: not an object.").format(where=where))

    def text(key: str, default: str | None = None) -> str:
        value = item.get(key, default)
        if not isinstance(value, str) or (default is None and not value):
            raise UserError(
                QT_TRANSLATE_NOOP("Catalog", "{where}: '{key}' must be a non-empty string.").format(
                    where=where, key=key
                )
            )
        return value

    def number(key: str, *, optional: bool = False) -> float | None:
        value = item.get(key)
        if value is None and optional:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise UserError(
                QT_TRANSLATE_NOOP("Catalog", "{where}: '{key}' must be a number of GB.").format(where=where, key=key)
            )
        return float(value)

    def problem(message: Msg, **values: object) -> UserError:
        return UserError(message.format(where=where, **values))

    model_id = text("id")
    where = QT_TRANSLATE_NOOP("Catalog", "{file}, model '{id}'").format(file=source.name, id=model_id)
    if not _ID.match(model_id):
        raise problem(
            QT_TRANSLATE_NOOP("Catalog", "{where}: the id may only hold lower-case letters, digits, '.', '-' and '_'.")
        )
    try:
        kind = ModelKind(text("kind"))
    except ValueError as exc:
        raise problem(QT_TRANSLATE_NOOP("Catalog", "{where}: unknown kind '{kind}'."), kind=item.get("kind")) from exc
    repo = text("repo")
    if not _REPO.match(repo):
        raise problem(
            QT_TRANSLATE_NOOP("Catalog", "{where}: '{repo}' is not a Hub repository id (owner/name)."), repo=repo
        )
    files = tuple(_parse_file(where, f) for f in _list(where, item, "files"))
    if not files:
        raise problem(QT_TRANSLATE_NOOP("Catalog", "{where}: no files to download."))
    targets = [f.save_as for f in files]
    if len(set(targets)) != len(targets):
        raise problem(QT_TRANSLATE_NOOP("Catalog", "{where}: two files would be saved under the same name."))
    model_path = text("model_path", "")
    if model_path:
        check_relative_path(model_path, QT_TRANSLATE_NOOP("Catalog", "{where}, model_path").format(where=where))
    try:
        gpu = GpuUse(text("gpu", GpuUse.OPTIONAL.value))
    except ValueError as exc:
        raise problem(
            QT_TRANSLATE_NOOP("Catalog", "{where}: 'gpu' must be one of {values}."), values=", ".join(GpuUse)
        ) from exc
    languages = _list(where, item, "languages")
    approx = item.get("approx_bytes", 0)
    if isinstance(approx, bool) or not isinstance(approx, int) or approx < 0:
        raise problem(QT_TRANSLATE_NOOP("Catalog", "{where}: 'approx_bytes' must be a whole number of bytes."))
    model = CatalogModel(
        id=model_id,
        name=text("name"),
        kind=kind,
        backend=text("backend"),
        repo=repo,
        revision=text("revision", "main") or "main",
        files=files,
        model_path=model_path,
        licence=text("licence"),
        licence_url=text("licence_url", ""),
        languages=tuple(str(code) for code in languages),
        ram_gb=number("ram_gb") or 0.0,
        vram_gb=number("vram_gb", optional=True),
        gpu=gpu,
        approx_bytes=approx,
        description=text("description", ""),
        notes=text("notes", ""),
        description_zh=text("description_zh", ""),
        notes_zh=text("notes_zh", ""),
        needs_online=_parse_online_need(where, item.get("needs_online")),
    )
    if not model.sizes_known and not approx:
        raise problem(QT_TRANSLATE_NOOP("Catalog", "{where}: give 'approx_bytes' when some file sizes are not known."))
    return model


def _parse_online_need(where: str, value: Any) -> OnlineNeed | None:
    if value is None:
        return None
    what = value.get("what") if isinstance(value, dict) else None
    source = value.get("source") if isinstance(value, dict) else None
    size = value.get("approx_bytes") if isinstance(value, dict) else None
    if (
        not isinstance(what, str)
        or not what
        or not isinstance(source, str)
        or not source
        or (size is not None and (isinstance(size, bool) or not isinstance(size, int) or size <= 0))
    ):
        raise UserError(
            QT_TRANSLATE_NOOP(
                "Catalog",
                "{where}: 'needs_online' must be an object with 'what' and 'source' (and 'approx_bytes', a whole "
                "number of bytes, if known).",
            ).format(where=where)
        )
    return OnlineNeed(what=what, source=source, approx_bytes=size)


def _parse_file(where: str, item: Any) -> CatalogFile:
    if not isinstance(item, dict):
        raise UserError(QT_TRANSLATE_NOOP("Catalog", "{where}: every file must be an object.").format(where=where))
    path = check_relative_path(
        item.get("path"), QT_TRANSLATE_NOOP("Catalog", "{where}, file").format(where=where)
    ).as_posix()
    save_as = check_relative_path(
        item.get("save_as", path), QT_TRANSLATE_NOOP("Catalog", "{where}, save_as").format(where=where)
    ).as_posix()
    size = item.get("size")
    if size is not None and (isinstance(size, bool) or not isinstance(size, int) or size <= 0):
        raise UserError(
            QT_TRANSLATE_NOOP(
                "Catalog", "{where}: the size of {path} must be a positive number of bytes or null."
            ).format(where=where, path=path)
        )
    sha = item.get("sha256")
    if sha is not None and (not isinstance(sha, str) or not _SHA256.match(sha)):
        raise UserError(
            QT_TRANSLATE_NOOP(
                "Catalog", "{where}: the sha256 of {path} must be 64 lower-case hex digits or null."
            ).format(where=where, path=path)
        )
    return CatalogFile(path=path, save_as=save_as, size=size, sha256=sha)


def _list(where: str, item: dict[str, Any], key: str) -> list[Any]:
    value = item.get(key, [])
    if not isinstance(value, list):
        raise UserError(QT_TRANSLATE_NOOP("Catalog", "{where}: '{key}' must be a list.").format(where=where, key=key))
    return value
