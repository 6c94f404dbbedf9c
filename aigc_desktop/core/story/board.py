"""The storyboard a project holds: scenes (text, picture, narration, timing, motion), the pictures imported for it
and the music bed under the whole story. Plain data, no Qt; the project store saves it in the manifest (pictures as
PNG assets, like layers) and `core.story.render` turns it into a video.

A scene refers to what it shows and says by id: a canvas layer, the flattened canvas, or a picture kept in the
storyboard (imported or generated for it); a narration clip and the music bed are clips of the project. A reference
that no longer resolves (the layer or clip was deleted) is reported when the story is rendered, never silently
skipped.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PIL import Image


def new_id() -> str:
    return uuid.uuid4().hex  # the same ids as core.project.model (which imports this module, so not from there)


DEFAULT_DURATION_S = 4.0  # a scene without narration
DEFAULT_PAUSE_S = 0.6  # after a scene's narration, before the next scene
DEFAULT_CROSSFADE_S = 0.5


class PictureSource(StrEnum):
    NONE = "none"  # a title card: the scene's text on a plain background
    LAYER = "layer"  # a canvas layer, by id
    CANVAS = "canvas"  # the flattened canvas as it is when the story is rendered
    PICTURE = "picture"  # a StoryPicture kept in the storyboard (imported or generated), by id


class Motion(StrEnum):
    NONE = "none"
    ZOOM = "zoom"  # a slow push in towards the centre
    PAN = "pan"  # a slow pan from left to right


@dataclass
class StoryPicture:
    """A picture kept in the project for the story: imported from a file or generated for a scene."""

    name: str
    image: Image.Image  # RGBA
    id: str = field(default_factory=new_id)
    spec_id: str | None = None  # the generation that made it; None: the creator's own picture

    def __post_init__(self) -> None:
        if self.image.mode != "RGBA":
            self.image = self.image.convert("RGBA")


@dataclass
class Scene:
    text: str = ""
    picture: PictureSource = PictureSource.NONE
    picture_ref: str = ""  # a layer id (LAYER) or a StoryPicture id (PICTURE)
    narration_id: str | None = None  # a clip id
    duration_s: float = DEFAULT_DURATION_S  # how long a scene without narration lasts
    pause_s: float = DEFAULT_PAUSE_S  # silence after the narration
    motion: Motion = Motion.NONE
    prompt: str = ""  # what Generate asks the image model for
    id: str = field(default_factory=new_id)

    def __post_init__(self) -> None:
        self.picture = PictureSource(self.picture)  # a project file holds the plain strings
        self.motion = Motion(self.motion)


@dataclass
class MusicBed:
    clip_id: str | None = None
    volume_db: float = -10.0  # the bed's level between narrations
    duck_db: float = -12.0  # how much lower it goes while someone speaks
    ramp_s: float = 0.25  # how long the duck takes to go down and up again
    fade_out_s: float = 2.0  # at the end of the story
    loop: bool = True  # a bed shorter than the story starts again; otherwise it ends (silence after)


@dataclass
class Storyboard:
    scenes: list[Scene] = field(default_factory=list)
    pictures: list[StoryPicture] = field(default_factory=list)
    music: MusicBed = field(default_factory=MusicBed)
    crossfade_s: float = DEFAULT_CROSSFADE_S

    def find_scene(self, scene_id: str) -> Scene | None:
        return next((s for s in self.scenes if s.id == scene_id), None)

    def find_picture(self, picture_id: str) -> StoryPicture | None:
        return next((p for p in self.pictures if p.id == picture_id), None)

    def unused_pictures(self) -> list[StoryPicture]:
        """Pictures no scene shows any more (its scene deleted or given another picture)."""
        used = {s.picture_ref for s in self.scenes if s.picture is PictureSource.PICTURE}
        return [p for p in self.pictures if p.id not in used]


# ---------------------------------------------------------------- the manifest's "story" entry


def to_manifest(board: Storyboard, picture_keys: dict[str, str]) -> dict[str, Any]:
    """The JSON-able description the project manifest stores; `picture_keys` maps each picture id to its asset key."""
    return {
        "crossfade_s": board.crossfade_s,
        "music": vars(board.music).copy(),
        "scenes": [
            {
                "id": s.id,
                "text": s.text,
                "picture": s.picture.value,
                "picture_ref": s.picture_ref,
                "narration_id": s.narration_id,
                "duration_s": s.duration_s,
                "pause_s": s.pause_s,
                "motion": s.motion.value,
                "prompt": s.prompt,
            }
            for s in board.scenes
        ],
        "pictures": [
            {"id": p.id, "name": p.name, "spec_id": p.spec_id, "asset": picture_keys[p.id]} for p in board.pictures
        ],
    }


def from_manifest(
    data: dict[str, Any] | None,
    read_picture: Callable[[str, str], Image.Image | None],
    missing: list[str],
) -> Storyboard:
    """Rebuild a storyboard; `read_picture(asset key, name)` decodes one picture or returns None when its data is
    gone (its name is then added to `missing`, and the scenes showing it report it when rendered). A project saved
    before storyboards existed has no entry: an empty storyboard."""
    if not data:
        return Storyboard()
    pictures: list[StoryPicture] = []
    for item in data.get("pictures", []):
        image = read_picture(str(item["asset"]), str(item["name"]))
        if image is None:
            missing.append(f"story picture '{item['name']}'")
            continue
        pictures.append(StoryPicture(str(item["name"]), image, id=str(item["id"]), spec_id=item.get("spec_id")))
    music = MusicBed(**{k: v for k, v in dict(data.get("music", {})).items() if k in MusicBed.__dataclass_fields__})
    scenes = [
        Scene(
            text=str(s.get("text", "")),
            picture=PictureSource(s.get("picture", "none")),
            picture_ref=str(s.get("picture_ref", "")),
            narration_id=s.get("narration_id"),
            duration_s=float(s.get("duration_s", DEFAULT_DURATION_S)),
            pause_s=float(s.get("pause_s", DEFAULT_PAUSE_S)),
            motion=Motion(s.get("motion", "none")),
            prompt=str(s.get("prompt", "")),
            id=str(s["id"]),
        )
        for s in data.get("scenes", [])
    ]
    return Storyboard(scenes, pictures, music, float(data.get("crossfade_s", DEFAULT_CROSSFADE_S)))
