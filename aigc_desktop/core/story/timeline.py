"""When each scene plays and when each caption shows: the timeline every part of an export shares (frames, audio,
subtitles), computed once from the storyboard and the project's clips.

A scene lasts as long as its narration plus its pause; a scene without narration lasts its own duration. Captions
follow the narration: where the clip was narrated sentence by sentence (the speech engines record each sentence's
span in the generation's metrics, `sentence_spans`), one cue per sentence at exactly its span; otherwise one cue per
scene, from its start to the end of its narration (or to the end of a silent scene). Problems (an empty storyboard,
a missing clip or picture, a story too long to export) are UserErrors naming the scene, found before anything is
written.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from aigc_desktop.core import atomic
from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.project.model import Clip, Project
from aigc_desktop.core.story.board import PictureSource, Scene

MAX_STORY_S = 2 * 3600.0  # longer is almost surely a mistake (a duration typed in minutes), and hours to encode
MIN_SCENE_S = 0.5
MAX_SCENE_S = 600.0
SPAN_TOLERANCE_S = 0.05  # recorded sentence spans must end where the clip ends, give or take this
# AAC's sampling rates; a clip at another rate is resampled to the nearest one above (or 48 kHz)
AAC_RATES = (8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000)
DEFAULT_RATE = 44100


@dataclass(frozen=True)
class Cue:
    start_s: float
    end_s: float
    text: str


@dataclass(frozen=True)
class SceneSlot:
    index: int  # 0-based position in the storyboard
    scene: Scene
    start_s: float
    end_s: float
    narration: Clip | None
    cues: list[Cue] = field(default_factory=list)

    @property
    def speech_end_s(self) -> float:
        """Where the narration ends (the scene's start when it has none)."""
        return self.start_s + (self.narration.duration_s if self.narration is not None else 0.0)

    @property
    def mid_s(self) -> float:
        return (self.start_s + self.end_s) / 2


@dataclass(frozen=True)
class Timeline:
    slots: list[SceneSlot]
    duration_s: float
    sample_rate: int  # the story's audio: the narration's rate (the highest, when they differ)

    @property
    def cues(self) -> list[Cue]:
        return [cue for slot in self.slots for cue in slot.cues]

    def narration_spans(self) -> list[tuple[float, float]]:
        return [(s.start_s, s.speech_end_s) for s in self.slots if s.narration is not None]

    def frame_count(self, fps: int) -> int:
        return max(1, round(self.duration_s * fps))


def scene_label(index: int, scene: Scene) -> str:
    words = " ".join(scene.text.split())
    return f"{index + 1} ({words[:24]}…)" if len(words) > 24 else f"{index + 1} ({words})" if words else str(index + 1)


def sentence_spans(project: Project, clip: Clip) -> list[Cue] | None:
    """The sentences of a narration clip as its generation recorded them, or None when they are unknown or no longer
    fit the clip (it was trimmed or edited after narrating: then per-scene captions are the honest choice)."""
    if clip.spec_id is None:
        return None
    entry = project.find_history(clip.spec_id)
    if entry is None:
        return None
    spans = entry.metrics.get("sentence_spans")
    if not isinstance(spans, list) or not spans:
        return None
    try:
        cues = [Cue(float(a), float(b), str(t)) for a, b, t in spans]
    except (TypeError, ValueError):
        return None
    if abs(cues[-1].end_s - clip.duration_s) > SPAN_TOLERANCE_S or any(c.end_s < c.start_s for c in cues):
        return None
    return cues


def _story_rate(clips: Sequence[Clip]) -> int:
    rate = max((c.sample_rate for c in clips), default=DEFAULT_RATE)
    return next((r for r in AAC_RATES if r >= rate), 48000)


def _check_scene(project: Project, index: int, scene: Scene) -> None:
    label = scene_label(index, scene)
    if scene.picture is PictureSource.LAYER and project.find_layer(scene.picture_ref) is None:
        raise UserError(
            QT_TRANSLATE_NOOP(
                "StoryTimeline", "Scene {scene} shows a canvas layer that no longer exists; choose its picture again."
            ).format(scene=label)
        )
    if scene.picture is PictureSource.PICTURE and project.story.find_picture(scene.picture_ref) is None:
        raise UserError(
            QT_TRANSLATE_NOOP(
                "StoryTimeline", "Scene {scene} shows a picture that is missing from the project; choose it again."
            ).format(scene=label)
        )
    if scene.picture is PictureSource.CANVAS and not any(layer.visible for layer in project.canvas.layers):
        raise UserError(
            QT_TRANSLATE_NOOP("StoryTimeline", "Scene {scene} shows the canvas, but the canvas is empty.").format(
                scene=label
            )
        )
    if scene.narration_id is not None and project.find_clip(scene.narration_id) is None:
        raise UserError(
            QT_TRANSLATE_NOOP(
                "StoryTimeline", "Scene {scene}'s narration clip no longer exists; narrate it again or choose a clip."
            ).format(scene=label)
        )
    if scene.narration_id is None and not MIN_SCENE_S <= scene.duration_s <= MAX_SCENE_S:
        raise UserError(
            QT_TRANSLATE_NOOP(
                "StoryTimeline", "Scene {scene} lasts {seconds} s; a scene lasts from {low} to {high} seconds."
            ).format(scene=label, seconds=f"{scene.duration_s:g}", low=f"{MIN_SCENE_S:g}", high=f"{MAX_SCENE_S:g}")
        )
    if not 0 <= scene.pause_s <= 30:
        raise UserError(
            QT_TRANSLATE_NOOP("StoryTimeline", "Scene {scene}'s pause must be between 0 and 30 seconds.").format(
                scene=label
            )
        )


def build_timeline(project: Project) -> Timeline:
    """The timeline of the project's storyboard; raises UserError for anything that would stop an export."""
    board = project.story
    if not board.scenes:
        raise UserError(
            QT_TRANSLATE_NOOP("StoryTimeline", "The storyboard is empty: add scenes from the document first.")
        )
    slots: list[SceneSlot] = []
    t = 0.0
    for index, scene in enumerate(board.scenes):
        _check_scene(project, index, scene)
        clip = project.find_clip(scene.narration_id) if scene.narration_id else None
        if clip is not None:
            length = clip.duration_s + scene.pause_s
            spans = sentence_spans(project, clip)
            if spans is not None:
                cues = [Cue(t + c.start_s, t + c.end_s, c.text) for c in spans if c.text.strip()]
            else:
                cues = [Cue(t, t + clip.duration_s, scene.text)] if scene.text.strip() else []
        else:
            length = scene.duration_s
            cues = [Cue(t, t + length, scene.text)] if scene.text.strip() else []
        slots.append(SceneSlot(index, scene, t, t + length, clip, cues))
        t += length
    if t > MAX_STORY_S:
        raise UserError(
            QT_TRANSLATE_NOOP(
                "StoryTimeline", "The story would last {hours} hours; a story can be at most {limit} hours long."
            ).format(hours=f"{t / 3600:.1f}", limit=f"{MAX_STORY_S / 3600:g}")
        )
    bed = project.find_clip(board.music.clip_id) if board.music.clip_id else None
    if board.music.clip_id and bed is None:
        raise UserError(
            QT_TRANSLATE_NOOP("StoryTimeline", "The music bed's clip no longer exists; choose another or none.")
        )
    narrations = [s.narration for s in slots if s.narration is not None]
    return Timeline(slots, t, _story_rate(narrations or ([bed] if bed is not None else [])))


# ---------------------------------------------------------------- subtitles


def _srt_time(seconds: float) -> str:
    ms = max(0, round(seconds * 1000))
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d},{ms:03d}"


def srt_text(cues: Sequence[Cue]) -> str:
    blocks = []
    for n, cue in enumerate(cues, start=1):
        text = "\n".join(line.strip() for line in cue.text.strip().splitlines() if line.strip())
        blocks.append(f"{n}\n{_srt_time(cue.start_s)} --> {_srt_time(cue.end_s)}\n{text}\n")
    return "\n".join(blocks)


def parse_srt(text: str) -> list[Cue]:
    """Read back what srt_text writes (tests, and a check of an export's subtitles)."""
    cues = []
    for block in text.strip().split("\n\n"):
        lines = block.strip().splitlines()
        if len(lines) < 2 or "-->" not in lines[1]:
            continue
        a, b = (part.strip() for part in lines[1].split("-->"))
        cues.append(Cue(_srt_seconds(a), _srt_seconds(b), "\n".join(lines[2:])))
    return cues


def _srt_seconds(stamp: str) -> float:
    hms, ms = stamp.split(",")
    h, m, s = (int(x) for x in hms.split(":"))
    return h * 3600 + m * 60 + s + int(ms) / 1000


def write_srt(cues: Sequence[Cue], path: Path) -> Path:
    atomic.write_text(Path(path), srt_text(cues))
    return Path(path)


def frames_between(start_s: float, end_s: float, fps: int) -> range:
    """The frame indices whose time falls in [start_s, end_s)."""
    return range(math.ceil(start_s * fps - 1e-9), math.ceil(end_s * fps - 1e-9))
