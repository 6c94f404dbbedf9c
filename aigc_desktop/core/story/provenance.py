"""What made a story video, written into the MP4: per scene, whether its picture and narration are AI-generated (and
by which model or voice) or the creator's own; the music bed; the encoder and its licence; and the IPTC digital
source type of the whole: trainedAlgorithmicMedia when everything is generated, compositeWithTrainedAlgorithmicMedia
when generated and own material are mixed, none when nothing is generated.

The MP4 tags: `title` (the project's name), `comment` (one readable line with the source type) and `description`
(the whole description as JSON, read back by core.story.encode.read_metadata).
"""

from __future__ import annotations

import json
from typing import Any

from aigc_desktop import __version__
from aigc_desktop.core.project.model import Project
from aigc_desktop.core.project.provenance import COMPOSITE, SOURCE_TYPE_BASE, TRAINED
from aigc_desktop.core.story.board import PictureSource, Scene
from aigc_desktop.core.story.encode import EncoderChoice
from aigc_desktop.core.story.timeline import Timeline

AI = "ai"
OWN = "own"
MIXED = "mixed"


def _model_of(project: Project, spec_id: str | None) -> str | None:
    if spec_id is None:
        return None
    entry = project.find_history(spec_id)
    return entry.spec.model_id if entry is not None else "unknown model"


def _picture(project: Project, scene: Scene) -> tuple[str, list[str]]:
    """(ai / own / mixed, the models that made it)."""
    if scene.picture is PictureSource.LAYER:
        layer = project.find_layer(scene.picture_ref)
        model = _model_of(project, layer.spec_id if layer else None)
        return (AI, [model]) if model else (OWN, [])
    if scene.picture is PictureSource.PICTURE:
        picture = project.story.find_picture(scene.picture_ref)
        model = _model_of(project, picture.spec_id if picture else None)
        return (AI, [model]) if model else (OWN, [])
    if scene.picture is PictureSource.CANVAS:
        visible = [layer for layer in project.canvas.layers if layer.visible]
        models = [m for m in (_model_of(project, layer.spec_id) for layer in visible) if m]
        if not models:
            return OWN, []
        return (AI if len(models) == len(visible) else MIXED), sorted(set(models))
    return OWN, []  # a title card: the creator's text


def describe(project: Project, timeline: Timeline, encoder: EncoderChoice) -> dict[str, Any]:
    scenes: list[dict[str, Any]] = []
    models: set[str] = set()
    voices: set[str] = set()
    kinds: set[str] = set()
    for slot in timeline.slots:
        kind, pic_models = _picture(project, slot.scene)
        models.update(pic_models)
        kinds.add(kind)
        entry: dict[str, Any] = {"scene": slot.index + 1, "picture": kind, "picture_models": pic_models}
        if slot.narration is not None:
            voice = _model_of(project, slot.narration.spec_id)
            entry["narration"] = AI if voice else OWN
            entry["voice"] = voice
            kinds.add(AI if voice else OWN)
            if voice:
                voices.add(voice)
        scenes.append(entry)
    music: dict[str, Any] | None = None
    bed = project.find_clip(project.story.music.clip_id) if project.story.music.clip_id else None
    if bed is not None:
        model = _model_of(project, bed.spec_id)
        music = {"clip": bed.name, "source": AI if model else OWN, "model": model}
        kinds.add(AI if model else OWN)
        if model:
            models.add(model)
    source_type: str | None
    if kinds == {AI}:
        source_type = SOURCE_TYPE_BASE + TRAINED
    elif AI in kinds or MIXED in kinds:
        source_type = SOURCE_TYPE_BASE + COMPOSITE
    else:
        source_type = None
    return {
        "title": str(project.name),
        "software": f"AIGC Desktop {__version__}",
        "digital_source_type": source_type,
        "models": sorted(models),
        "voices": sorted(voices),
        "scenes": scenes,
        "music": music,
        "encoder": encoder.to_dict(),
    }


def tags(description: dict[str, Any]) -> dict[str, str]:
    source = description.get("digital_source_type")
    ai_scenes = sum(1 for s in description["scenes"] if s["picture"] != OWN or s.get("narration") == AI)
    line = (
        f"Made with {description['software']}; {ai_scenes} of {len(description['scenes'])} scenes use generated media"
    )
    if source:
        line += f"; IPTC DigitalSourceType: {source}"
    return {
        "title": str(description.get("title", "")),
        "comment": line,
        "description": json.dumps(description, ensure_ascii=False),
        "encoder": description["software"],
    }
