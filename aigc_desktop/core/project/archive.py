"""Project archives (`.aigcz`): one zip holding a whole project, to send or back up, and to import back.

Layout: `project.json` (format marker, schema version and the manifest exactly as core.project.manifest builds it),
`assets/<key>.png` for layers and story pictures and `assets/<key>.npy` for clips (the keys the manifest names), and
`README.txt`.

An archive comes from anywhere, so importing trusts nothing in it: every member name must be one of those above
(no absolute paths, `..`, drive letters, backslashes or symlinks: zip slip), the member count and declared sizes are
capped before anything is inflated (zip bomb), the assets must match the manifest one to one, and images go through
the same decompression-bomb guard as any other image. Nothing is extracted to disk: members are read into memory and
the project is written with save_project, atomically, only once everything has been checked.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import stat
import zipfile
from pathlib import Path
from typing import Any

from aigc_desktop import __version__
from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.project.manifest import (
    MIGRATIONS,
    SCHEMA_VERSION,
    build_manifest,
    project_assets,
    project_from_manifest,
)
from aigc_desktop.core.project.model import Project, new_id
from aigc_desktop.core.project.store import ProjectFileError, load_project, save_project

ARCHIVE_FORMAT = "aigc-desktop-archive"
MANIFEST_NAME = "project.json"
README_NAME = "README.txt"
ASSETS_DIR = "assets/"

# Limits checked from the zip's central directory before anything is inflated. Module constants so tests can lower
# them; generous for real projects (a project is held in memory anyway).
MAX_MEMBERS = 10_000
MAX_TOTAL_BYTES = 4 * 1024**3
MAX_MANIFEST_BYTES = 64 * 1024**2
# Deflate tops out near 1032:1, so a higher declared ratio is a lie; 200:1 on a big member is a bomb in practice.
# Assets are stored uncompressed (PNG is already compressed) so our own archives stay far below it.
MAX_RATIO = 200
RATIO_CHECK_FROM = 1024**2  # small members may compress well (a short, repetitive manifest) without harm

_ASSET_RE = re.compile(r"assets/((?:img|aud)-[0-9a-f]{64})\.(png|npy)")
_MEDIA_SUFFIX = {"img": "png", "aud": "npy"}

_README = """\
This is an AIGC Desktop project archive (.aigcz), a zip file.

  project.json   the project: document (HTML and text, AI-written spans), canvas layers, clips and history
  assets/        layer images (.png, lossless RGBA) and audio clips (.npy, float32 samples), named by content hash

Open it in AIGC Desktop with File > Import project archive…, or from a terminal:
  aigc project import {name} PROJECT.aigc

Written by AIGC Desktop {version}, archive schema {schema}.
"""


def export_archive(source: Path | Project, archive_path: Path) -> Path:
    """Write `source` (a project file, or a project in memory) as one archive at `archive_path`, atomically: a
    temporary file in the same folder renamed over the target, so a failed export leaves no half archive."""
    project = load_project(Path(source)).project if not isinstance(source, Project) else source
    archive_path = Path(archive_path)
    assets = project_assets(project)
    document = {
        "format": ARCHIVE_FORMAT,
        "schema_version": SCHEMA_VERSION,
        "app_version": __version__,
        "manifest": build_manifest(project, assets),
    }
    tmp = archive_path.with_name(f".{archive_path.name}.exporting-{os.getpid()}")
    try:
        archive_path.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(MANIFEST_NAME, json.dumps(document, ensure_ascii=False, indent=1))
            readme = _README.format(name=archive_path.name, version=__version__, schema=SCHEMA_VERSION)
            zf.writestr(README_NAME, readme)
            for key, encode in assets.encoders.items():
                name = f"{ASSETS_DIR}{key}.{_MEDIA_SUFFIX[key[:3]]}"
                zf.writestr(name, encode(), compress_type=zipfile.ZIP_STORED)
        os.replace(tmp, archive_path)
    except OSError as exc:
        raise UserError(
            QT_TRANSLATE_NOOP("ProjectArchive", "Could not write the archive {path}: {reason}.").format(
                path=str(archive_path), reason=exc.strerror or str(exc)
            )
        ) from exc
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
    return archive_path


def _unsafe_reason(info: zipfile.ZipInfo) -> str | None:
    """Why a member name could write outside a folder if it were extracted (zip slip), or None."""
    name = info.filename
    if "\\" in name or "\x00" in name:
        return QT_TRANSLATE_NOOP("ProjectArchive", "contains a backslash or NUL")
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name) or ":" in name:
        return QT_TRANSLATE_NOOP("ProjectArchive", "is an absolute path or names a drive")
    if any(part in ("..", ".") for part in name.split("/")):
        return QT_TRANSLATE_NOOP("ProjectArchive", "contains '..'")
    if stat.S_ISLNK(info.external_attr >> 16):
        return QT_TRANSLATE_NOOP("ProjectArchive", "is a symbolic link")
    return None


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    # ZipExtFile never returns more than the declared size, which the checks above capped; CRC is verified at EOF.
    with zf.open(info) as f:
        return f.read()


def _checked_members(zf: zipfile.ZipFile, label: str) -> tuple[zipfile.ZipInfo, dict[str, zipfile.ZipInfo]]:
    """The manifest member and the asset members by key, after every check that needs no inflating."""
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ProjectFileError(
            QT_TRANSLATE_NOOP(
                "ProjectArchive", "{name} has {count} entries, more than a project archive can hold."
            ).format(name=label, count=len(infos))
        )
    total = 0
    seen: set[str] = set()
    manifest: zipfile.ZipInfo | None = None
    assets: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        why = _unsafe_reason(info)
        if why:
            raise ProjectFileError(
                QT_TRANSLATE_NOOP("ProjectArchive", "{name} was refused: its entry {entry} {reason}.").format(
                    name=label, entry=repr(info.filename), reason=why
                )
            )
        if info.filename in seen:
            raise ProjectFileError(
                QT_TRANSLATE_NOOP("ProjectArchive", "{name} was refused: it holds {entry} twice.").format(
                    name=label, entry=repr(info.filename)
                )
            )
        seen.add(info.filename)
        total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise ProjectFileError(
                QT_TRANSLATE_NOOP("ProjectArchive", "{name} was refused: it unpacks to more than {mb} MB.").format(
                    name=label, mb=MAX_TOTAL_BYTES // 1024**2
                )
            )
        if info.file_size >= RATIO_CHECK_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise ProjectFileError(
                QT_TRANSLATE_NOOP(
                    "ProjectArchive", "{name} was refused: {entry} is compressed implausibly well (zip bomb)."
                ).format(name=label, entry=repr(info.filename))
            )
        if info.filename in (README_NAME, ASSETS_DIR):
            continue
        if info.filename == MANIFEST_NAME:
            manifest = info
            continue
        match = _ASSET_RE.fullmatch(info.filename)
        if match is None or _MEDIA_SUFFIX[match.group(1)[:3]] != match.group(2):
            raise ProjectFileError(
                QT_TRANSLATE_NOOP(
                    "ProjectArchive", "{name} was refused: {entry} is not part of a project archive."
                ).format(name=label, entry=repr(info.filename))
            )
        assets[match.group(1)] = info
    if manifest is None:
        raise ProjectFileError(
            QT_TRANSLATE_NOOP("ProjectArchive", "{name} is not a project archive: it has no {manifest}.").format(
                name=label, manifest=MANIFEST_NAME
            )
        )
    if manifest.file_size > MAX_MANIFEST_BYTES:
        raise ProjectFileError(
            QT_TRANSLATE_NOOP("ProjectArchive", "{name} was refused: its {manifest} is too large.").format(
                name=label, manifest=MANIFEST_NAME
            )
        )
    return manifest, assets


def _manifest_of(raw: bytes, label: str) -> dict[str, Any]:
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ProjectFileError(
            QT_TRANSLATE_NOOP("ProjectArchive", "{name} is damaged: its {manifest} is not valid JSON.").format(
                name=label, manifest=MANIFEST_NAME
            )
        ) from exc
    if not isinstance(document, dict) or document.get("format") != ARCHIVE_FORMAT:
        raise ProjectFileError(
            QT_TRANSLATE_NOOP("ProjectArchive", "{name} is not an AIGC Desktop project archive.").format(name=label)
        )
    version = document.get("schema_version")
    if not isinstance(version, int) or version < 1:
        raise ProjectFileError(
            QT_TRANSLATE_NOOP("ProjectArchive", "{name} is damaged: its schema version is missing.").format(name=label)
        )
    if version > SCHEMA_VERSION:
        raise ProjectFileError(
            QT_TRANSLATE_NOOP(
                "ProjectArchive", "{name} was made by a newer AIGC Desktop (schema {version}); please update the app."
            ).format(name=label, version=version)
        )
    manifest = document.get("manifest")
    if not isinstance(manifest, dict):
        raise ProjectFileError(
            QT_TRANSLATE_NOOP("ProjectArchive", "{name} is damaged: its manifest is missing.").format(name=label)
        )
    for v in range(version, SCHEMA_VERSION):
        manifest = MIGRATIONS[v](manifest)
    return manifest


def _incomplete(label: str, exc: BaseException) -> ProjectFileError:
    return ProjectFileError(
        QT_TRANSLATE_NOOP("ProjectArchive", "{name} is damaged: its manifest is incomplete ({reason}).").format(
            name=label, reason=str(exc)
        )
    )


def _referenced_keys(manifest: dict[str, Any]) -> set[str]:
    items = list(manifest["canvas"]["layers"]) + list(manifest["clips"])
    items += list((manifest.get("story") or {}).get("pictures", []))
    return {str(item["asset"]) for item in items}


def import_archive(archive_path: Path, target_project_path: Path, *, overwrite: bool = False) -> Path:
    """Check `archive_path` completely, then save its project to `target_project_path` (a new project id, so it
    never shares autosave copies with the project it was exported from). Every refusal is one sentence and leaves
    the disk as it was; an existing target is only replaced with overwrite=True."""
    archive_path, target = Path(archive_path), Path(target_project_path)
    label = archive_path.name
    if target.exists() and not overwrite:
        raise UserError(
            QT_TRANSLATE_NOOP(
                "ProjectArchive", "{path} already exists; choose another name for the imported project."
            ).format(path=str(target))
        )
    if not archive_path.is_file():
        raise ProjectFileError(
            QT_TRANSLATE_NOOP("ProjectArchive", "{path} does not exist or is not a file.").format(
                path=str(archive_path)
            )
        )
    if archive_path.stat().st_size == 0:
        raise ProjectFileError(
            QT_TRANSLATE_NOOP("ProjectArchive", "{name} is empty (0 bytes): it is not a project archive.").format(
                name=label
            )
        )
    try:
        with zipfile.ZipFile(archive_path) as zf:
            manifest_info, assets = _checked_members(zf, label)
            manifest = _manifest_of(_read_member(zf, manifest_info), label)
            try:
                referenced = _referenced_keys(manifest)
            except (KeyError, TypeError) as exc:
                raise _incomplete(label, exc) from exc
            if missing := referenced - assets.keys():
                raise ProjectFileError(
                    QT_TRANSLATE_NOOP(
                        "ProjectArchive", "{name} is damaged: {count} asset(s) named by the manifest are absent."
                    ).format(name=label, count=len(missing))
                )
            if extra := assets.keys() - referenced:
                raise ProjectFileError(
                    QT_TRANSLATE_NOOP(
                        "ProjectArchive", "{name} was refused: {count} asset(s) are not named by the manifest."
                    ).format(name=label, count=len(extra))
                )

            def read_asset(key: str) -> bytes | None:
                return _read_member(zf, assets[key])

            report = project_from_manifest(manifest, read_asset)
    except ProjectFileError:
        raise
    except UserError as exc:  # an image over the pixel limit, unreadable audio
        raise ProjectFileError(
            QT_TRANSLATE_NOOP("ProjectArchive", "{name} was refused: {reason}").format(name=label, reason=exc.message)
        ) from exc
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as exc:
        raise ProjectFileError(
            QT_TRANSLATE_NOOP("ProjectArchive", "{name} is not a readable project archive ({reason}).").format(
                name=label, reason=str(exc)
            )
        ) from exc
    except NotImplementedError as exc:  # an unsupported compression method or encryption
        raise ProjectFileError(
            QT_TRANSLATE_NOOP("ProjectArchive", "{name} uses a zip feature this app cannot read ({reason}).").format(
                name=label, reason=str(exc)
            )
        ) from exc
    except (KeyError, TypeError, ValueError) as exc:
        raise _incomplete(label, exc) from exc
    except OSError as exc:
        raise ProjectFileError(
            QT_TRANSLATE_NOOP("ProjectArchive", "Could not read {path}: {reason}.").format(
                path=str(archive_path), reason=exc.strerror or str(exc)
            )
        ) from exc
    project = report.project
    project.id = new_id()
    project.name = target.stem
    save_project(project, target)
    return target
