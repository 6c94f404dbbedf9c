"""Storyboards for the story tests: real pictures (distinct, smooth, so H.264 keeps them), narration clips recorded as
a speech engine records them (a history entry with `sentence_spans`, as core.engines.speech_stream writes), and a
music bed. Narration is a 1 kHz tone and music a 220 Hz tone, so the test can measure the music alone under speech.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from aigc_desktop.core.project.model import Clip, HistoryEntry, HistoryStatus, Layer, Project
from aigc_desktop.core.specs import JobKind, JobSpec
from aigc_desktop.core.story.board import Motion, PictureSource, Scene, StoryPicture

RATE = 22050
VOICE_HZ = 1000.0
MUSIC_HZ = 220.0


def picture(n: int, size: tuple[int, int] = (1280, 720)) -> Image.Image:
    """A smooth gradient with a bright block placed by `n`: every scene looks different, nothing is noise."""
    w, h = size
    x = np.linspace(0, 1, w, dtype=np.float32)[None, :]
    y = np.linspace(0, 1, h, dtype=np.float32)[:, None]
    rgb = np.stack(
        [
            np.broadcast_to(60 + 150 * x * ((n % 3) + 1) / 3, (h, w)),
            np.broadcast_to(40 + 160 * y, (h, w)),
            np.broadcast_to(200 - 120 * x * y + 10 * n, (h, w)),
        ],
        axis=-1,
    )
    bx = int(w * (0.1 + 0.15 * (n % 5)))
    rgb[h // 4 : h // 2, bx : bx + w // 6] = (240, 230, 60)
    return Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8))


def tone(seconds: float, hz: float, amplitude: float, rate: int = RATE) -> np.ndarray:
    t = np.arange(round(seconds * rate)) / rate
    return (amplitude * np.sin(2 * np.pi * hz * t)).astype(np.float32)


def narration(project: Project, sentences: list[str], seconds_each: float = 1.0, pause_s: float = 0.25) -> Clip:
    """A clip and its history entry as the speech engines record them: sentences separated by pauses, with spans."""
    pieces, spans, at = [], [], 0
    for i, text in enumerate(sentences):
        if i:
            pieces.append(np.zeros(round(pause_s * RATE), dtype=np.float32))
            at += pieces[-1].size
        voice = tone(seconds_each, VOICE_HZ, 0.3)
        pieces.append(voice)
        spans.append([round(at / RATE, 4), round((at + voice.size) / RATE, 4), text])
        at += voice.size
    spec = JobSpec(JobKind.SPEECH, "joe-us-piper", inputs={"text": " ".join(sentences)}, seed=1)
    clip = Clip(sentences[0][:12], np.concatenate(pieces), RATE, spec_id=spec.id)
    project.clips.append(clip)
    metrics = {"sentences": len(sentences), "sentence_spans": spans, "duration_s": clip.duration_s}
    project.history.append(HistoryEntry(spec, HistoryStatus.FINISHED, 0.0, 1.0, output_refs=[clip.id], metrics=metrics))
    return clip


def story_project(scenes: int = 3, motion: Motion = Motion.NONE, *, music: bool = True) -> Project:
    """`scenes` scenes: the first shows a canvas layer made by an image model, the others pictures of the creator's own
    (imported); scene 2 is narrated as one recorded clip without sentence spans (per-scene captions), the others
    sentence by sentence."""
    project = Project(name="Story test")
    project.canvas.width, project.canvas.height = 1280, 720
    image_spec = JobSpec(JobKind.IMAGE, "tiny-sd", inputs={"prompt": "a harbour at dawn"}, seed=3)
    layer = Layer("harbour", picture(0), spec_id=image_spec.id)
    project.canvas.layers.append(layer)
    project.history.append(HistoryEntry(image_spec, HistoryStatus.FINISHED, 0.0, 1.0, output_refs=[layer.id]))
    for n in range(scenes):
        if n == 0:
            source, ref = PictureSource.LAYER, layer.id
        else:
            own = StoryPicture(f"photo {n}", picture(n))
            project.story.pictures.append(own)
            source, ref = PictureSource.PICTURE, own.id
        if n == 1:
            clip = Clip("my voice", tone(1.5, VOICE_HZ, 0.3), RATE)  # the creator's own recording: no spans
            project.clips.append(clip)
            text = "我自己的声音。"
        else:
            text = f"Scene {n + 1} begins. It ends here."
            clip = narration(project, [f"Scene {n + 1} begins.", "It ends here."])
        project.story.scenes.append(
            Scene(text=text, picture=source, picture_ref=ref, narration_id=clip.id, pause_s=1.5, motion=motion)
        )
    if music:
        bed = Clip("bed", tone(2.7, MUSIC_HZ, 0.5), RATE)  # shorter than the story: it loops
        project.clips.append(bed)
        project.story.music.clip_id = bed.id
    return project
