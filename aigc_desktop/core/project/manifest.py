"""A Project as a manifest plus content-keyed assets: the serialisation shared by the project file (core.project.store,
SQLite) and the archive (core.project.archive, a zip). Plain data, no storage.

The manifest is a JSON-able dict of everything but media; layers and story pictures are PNG assets, clips .npy
assets, each keyed by the hash of its content (so a store can skip an asset it already holds: incremental saves).
The storyboard is the manifest's "story" entry (core.story.board). SCHEMA_VERSION is the manifest's version; a
manifest of an older schema is brought up to date through MIGRATIONS, one step at a time.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from PIL import Image

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.media import decode_image_bytes
from aigc_desktop.core.project.model import AiSpan, Canvas, Clip, Document, HistoryEntry, Layer, Project
from aigc_desktop.core.specs import JobSpec
from aigc_desktop.core.story import board as story_board

SCHEMA_VERSION = 2


def _migrate_1_to_2(m: dict[str, Any]) -> dict[str, Any]:
    """Schema 1 → 2: the storyboard entry becomes part of every manifest (absent: an empty storyboard)."""
    return {**m, "story": m.get("story") or story_board.to_manifest(story_board.Storyboard(), {})}


# Upgrades a manifest of schema N to N+1, applied in turn when a file (or an archive) of an older schema opens.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _migrate_1_to_2}


@dataclass
class LoadReport:
    project: Project
    schema_version: int
    missing_assets: list[str] = field(default_factory=list)  # names of layers/clips whose data is gone


# ---------------------------------------------------------------- assets


def _image_key(image: Image.Image) -> str:
    h = hashlib.sha256(f"rgba:{image.width}x{image.height}:".encode())
    h.update(image.tobytes())
    return "img-" + h.hexdigest()


def _layer_key(layer: Layer) -> str:
    return _image_key(layer.image)


def _clip_key(clip: Clip) -> str:
    h = hashlib.sha256(f"f32:{clip.samples.shape}:".encode())
    h.update(clip.samples.tobytes())
    return "aud-" + h.hexdigest()


def _encode_image(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format="PNG", compress_level=1)  # lossless; level 1 keeps saves of big canvases quick
    return buf.getvalue()


def _encode_layer(layer: Layer) -> bytes:
    return _encode_image(layer.image)


def _encode_clip(clip: Clip) -> bytes:
    buf = io.BytesIO()
    np.save(buf, clip.samples, allow_pickle=False)
    return buf.getvalue()


def _decode_clip(data: bytes, what: str) -> np.ndarray:
    try:
        arr = np.load(io.BytesIO(data), allow_pickle=False)
    except (OSError, ValueError) as exc:
        raise UserError(
            QT_TRANSLATE_NOOP("ProjectStore", "{what} holds unreadable audio ({reason}).").format(
                what=what, reason=str(exc)
            )
        ) from exc
    return np.asarray(arr, dtype=np.float32)


# ---------------------------------------------------------------- manifest


def _manifest(
    project: Project, layer_keys: list[str], clip_keys: list[str], picture_keys: dict[str, str]
) -> dict[str, Any]:
    return {
        "id": project.id,
        "name": project.name,
        "created_at": project.created_at,
        "document": {
            "html": project.document.html,
            "text": project.document.text,
            "ai_spans": [vars(s) for s in project.document.ai_spans],
        },
        "canvas": {
            "width": project.canvas.width,
            "height": project.canvas.height,
            "layers": [
                {
                    "id": layer.id,
                    "name": layer.name,
                    "visible": layer.visible,
                    "opacity": layer.opacity,
                    "x": layer.x,
                    "y": layer.y,
                    "spec_id": layer.spec_id,
                    "asset": key,
                }
                for layer, key in zip(project.canvas.layers, layer_keys, strict=True)
            ],
        },
        "clips": [
            {"id": c.id, "name": c.name, "sample_rate": c.sample_rate, "spec_id": c.spec_id, "asset": key}
            for c, key in zip(project.clips, clip_keys, strict=True)
        ],
        "history": [
            {
                "spec": h.spec.to_dict(),
                "status": h.status,
                "started_at": h.started_at,
                "seconds": h.seconds,
                "model_licence": h.model_licence,
                "output_refs": h.output_refs,
                "summary": h.summary,
                "metrics": h.metrics,
            }
            for h in project.history
        ],
        "story": story_board.to_manifest(project.story, picture_keys),
    }


def _project_from_manifest(m: dict[str, Any], read_asset: Callable[[str], bytes | None]) -> LoadReport:
    missing: list[str] = []
    layers: list[Layer] = []
    for item in m["canvas"]["layers"]:
        data = read_asset(item["asset"])
        if data is None:
            missing.append(QT_TRANSLATE_NOOP("ProjectStore", "layer '{name}'").format(name=item["name"]))
            continue
        image = decode_image_bytes(data, QT_TRANSLATE_NOOP("ProjectStore", "Layer '{name}'").format(name=item["name"]))
        layers.append(
            Layer(
                name=item["name"],
                image=image,
                id=item["id"],
                visible=bool(item["visible"]),
                opacity=float(item["opacity"]),
                x=int(item["x"]),
                y=int(item["y"]),
                spec_id=item.get("spec_id"),
            )
        )
    clips: list[Clip] = []
    for item in m["clips"]:
        data = read_asset(item["asset"])
        if data is None:
            missing.append(QT_TRANSLATE_NOOP("ProjectStore", "clip '{name}'").format(name=item["name"]))
            continue
        samples = _decode_clip(data, QT_TRANSLATE_NOOP("ProjectStore", "Clip '{name}'").format(name=item["name"]))
        clips.append(Clip(item["name"], samples, int(item["sample_rate"]), id=item["id"], spec_id=item.get("spec_id")))

    def read_picture(key: str, name: str) -> Image.Image | None:
        data = read_asset(key)
        what = QT_TRANSLATE_NOOP("ProjectStore", "Story picture '{name}'").format(name=name)
        return None if data is None else decode_image_bytes(data, what)

    story = story_board.from_manifest(m.get("story"), read_picture, missing)
    doc = m["document"]
    project = Project(
        name=m["name"],
        document=Document(doc["html"], doc["text"], [AiSpan(**s) for s in doc["ai_spans"]]),
        canvas=Canvas(int(m["canvas"]["width"]), int(m["canvas"]["height"]), layers),
        clips=clips,
        history=[
            HistoryEntry(
                spec=JobSpec.from_dict(h["spec"]),
                status=h["status"],
                started_at=float(h["started_at"]),
                seconds=float(h["seconds"]),
                model_licence=h.get("model_licence", ""),
                output_refs=list(h.get("output_refs", [])),
                summary=h.get("summary", ""),
                metrics=dict(h.get("metrics", {})),
            )
            for h in m["history"]
        ],
        id=m["id"],
        created_at=float(m["created_at"]),
        story=story,
    )
    return LoadReport(project, SCHEMA_VERSION, missing)


@dataclass
class ProjectAssets:
    """A project's media by content key, each image hashed once: the keys the manifest names and the lazy encoders
    (an asset already stored under its key is never encoded again)."""

    layer_keys: list[str]
    clip_keys: list[str]
    picture_keys: dict[str, str]  # story picture id → key
    encoders: dict[str, Callable[[], bytes]]


def project_assets(project: Project) -> ProjectAssets:
    """The project's media keys and encoders. Shared with core.archive, which stores the same assets in a zip."""
    encoders: dict[str, Callable[[], bytes]] = {}
    layer_keys = []
    for layer in project.canvas.layers:
        key = _layer_key(layer)
        layer_keys.append(key)
        encoders[key] = lambda layer=layer: _encode_layer(layer)  # type: ignore[misc]
    clip_keys = []
    for clip in project.clips:
        key = _clip_key(clip)
        clip_keys.append(key)
        encoders[key] = lambda clip=clip: _encode_clip(clip)  # type: ignore[misc]
    picture_keys: dict[str, str] = {}
    for picture in project.story.pictures:  # named in the manifest's "story" entry by the same content key
        key = picture_keys[picture.id] = _image_key(picture.image)
        encoders[key] = lambda picture=picture: _encode_image(picture.image)  # type: ignore[misc]
    return ProjectAssets(layer_keys, clip_keys, picture_keys, encoders)


def build_manifest(project: Project, assets: ProjectAssets) -> dict[str, Any]:
    """The manifest a project file stores (everything but media); the archive format stores the same dict."""
    return _manifest(project, assets.layer_keys, assets.clip_keys, assets.picture_keys)


def project_from_manifest(m: dict[str, Any], read_asset: Callable[[str], bytes | None]) -> LoadReport:
    """Rebuild a Project from a manifest of the current schema; images go through the decompression-bomb guard."""
    return _project_from_manifest(m, read_asset)
