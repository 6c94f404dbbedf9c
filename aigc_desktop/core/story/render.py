"""Export a project's storyboard as an MP4 (H.264 + AAC) with its subtitles as an .srt beside it.

Streaming: frames are composed one at a time (core.story.frames) and encoded at once; the sound is mixed a block at a
time (core.story.mix) as the video reaches it, so memory does not grow with the story's length. The video and the
subtitles are written under hidden temporary names beside the target and renamed into place only when everything
succeeded: Stop, a failure or a full disk leave no partial file. The MP4 carries its provenance (core.story.provenance
builds it: models, voices, which scenes are AI-made and which are the creator's own, the IPTC digital source type,
the encoder and its licence).
"""

from __future__ import annotations

import contextlib
import os
import queue
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from aigc_desktop.core.audio.edit import check_writable
from aigc_desktop.core.engines.base import CancelToken
from aigc_desktop.core.errors import JobCancelled, UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.project.model import Project
from aigc_desktop.core.story import provenance
from aigc_desktop.core.story.board import Motion
from aigc_desktop.core.story.encode import EncoderChoice, Mp4Writer, choose_encoder, disk_error
from aigc_desktop.core.story.frames import Overlay, SceneFrames, caption_overlay, crossfade
from aigc_desktop.core.story.mix import StoryMixer
from aigc_desktop.core.story.timeline import Cue, Timeline, build_timeline, srt_text

ASPECTS = {"16:9": (16, 9), "9:16": (9, 16), "1:1": (1, 1)}
HEIGHTS = (720, 1080)
FRAME_RATES = (24, 30)

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class ExportOptions:
    aspect: str = "16:9"
    height: int = 720  # the short side: 720p is 1280×720, 720×1280 or 720×720
    fps: int = 30
    burn_subtitles: bool = False
    write_srt: bool = True
    encoder: str | None = None  # force one encoder (it must open here); None: choose_encoder's order

    def __post_init__(self) -> None:
        if self.aspect not in ASPECTS:
            raise UserError(
                QT_TRANSLATE_NOOP("StoryExport", "The aspect ratio must be one of {choices}.").format(
                    choices=", ".join(ASPECTS)
                )
            )
        if self.height not in HEIGHTS:
            raise UserError(QT_TRANSLATE_NOOP("StoryExport", "The height must be 720 or 1080."))
        if self.fps not in FRAME_RATES:
            raise UserError(QT_TRANSLATE_NOOP("StoryExport", "The frame rate must be 24 or 30."))

    @property
    def size(self) -> tuple[int, int]:
        a, b = ASPECTS[self.aspect]
        short = self.height
        if a >= b:
            return (round(short * a / b) // 2 * 2, short)
        return (short, round(short * b / a) // 2 * 2)


@dataclass
class ExportResult:
    path: Path
    srt_path: Path | None
    duration_s: float
    frames: int
    size: tuple[int, int]
    fps: int
    sample_rate: int
    encoder: EncoderChoice
    seconds: float  # wall time of the export
    provenance: dict[str, Any] = field(default_factory=dict)

    @property
    def speed(self) -> float:
        """Seconds of video per second of export (4.0: four times faster than real time)."""
        return self.duration_s / max(self.seconds, 1e-9)


def srt_path_for(video: Path) -> Path:
    return video.with_suffix(".srt")


class _Captions:
    """The caption showing at a time, drawn once per cue."""

    def __init__(self, cues: list[Cue], size: tuple[int, int]) -> None:
        self.cues = cues
        self.size = size
        self._drawn: dict[int, Overlay | None] = {}
        self._at = 0

    def at(self, t: float) -> tuple[int, Overlay | None]:
        """(cue index or -1, its overlay) at time t; times only move forward during an export."""
        while self._at < len(self.cues) and self.cues[self._at].end_s <= t:
            self._drawn.pop(self._at - 1, None)  # keep memory flat: a passed cue is never shown again
            self._at += 1
        if self._at < len(self.cues) and self.cues[self._at].start_s <= t:
            if self._at not in self._drawn:
                self._drawn[self._at] = caption_overlay(self.cues[self._at].text, self.size)
            return self._at, self._drawn[self._at]
        return -1, None


def _temp_beside(target: Path) -> Path:
    return target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.partial")


def export_story(
    project: Project,
    out: Path,
    options: ExportOptions | None = None,
    *,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> ExportResult:
    """Render `project.story` to `out` (and its .srt beside it). Raises UserError (nothing written) for a story that
    cannot be exported, JobCancelled after Stop (nothing left behind)."""
    options = options or ExportOptions()
    cancel = cancel or CancelToken()
    report = progress or (lambda fraction, message: None)
    out = Path(out).expanduser()
    if out.suffix.lower() != ".mp4":
        raise UserError(
            QT_TRANSLATE_NOOP("StoryExport", "The video must be an .mp4 file (got {name}).").format(name=out.name)
        )
    timeline = build_timeline(project)
    check_writable(out)
    started = time.perf_counter()
    encoder = choose_encoder(options.encoder)
    bed = project.find_clip(project.story.music.clip_id) if project.story.music.clip_id else None
    description = provenance.describe(project, timeline, encoder)
    tmp_video = _temp_beside(out)
    srt = srt_path_for(out) if options.write_srt else None
    tmp_srt = _temp_beside(srt) if srt is not None else None
    writer: Mp4Writer | None = None
    try:
        writer = Mp4Writer(
            tmp_video, options.size, options.fps, timeline.sample_rate, encoder, provenance.tags(description)
        )
        _render(project, timeline, options, writer, StoryMixer(timeline, bed, project.story.music), report, cancel)
        writer.close()
        writer = None
        if tmp_srt is not None:
            tmp_srt.write_text(srt_text(timeline.cues), encoding="utf-8")
        os.replace(tmp_video, out)
        if tmp_srt is not None and srt is not None:
            os.replace(tmp_srt, srt)
    except OSError as exc:
        raise disk_error(out, exc) from exc
    finally:
        if writer is not None:
            writer.abort()
        for path in (tmp_video, tmp_srt):
            if path is not None:
                with contextlib.suppress(OSError):
                    path.unlink(missing_ok=True)
    frames = timeline.frame_count(options.fps)
    report(1.0, QT_TRANSLATE_NOOP("StoryExport", "Exported {name}").format(name=out.name))
    return ExportResult(
        out,
        srt,
        frames / options.fps,
        frames,
        options.size,
        options.fps,
        timeline.sample_rate,
        encoder,
        time.perf_counter() - started,
        description,
    )


_END = object()
AHEAD = 4  # frames composed ahead of the encoder: enough to keep both busy, a few MB of memory
AUDIO_BLOCK_S = 1  # seconds of sound mixed and encoded at once: a few hundred KB, whatever the story's length


def _compose(project: Project, timeline: Timeline, options: ExportOptions) -> Iterator[tuple[np.ndarray | None, Any]]:
    """Every frame of the video, in order, as (packed yuv420p frame, key). A frame whose non-None key equals the
    previous one's is the same picture: it comes as (None, key) and the writer sends the previous frame again."""
    fps, size = options.fps, options.size
    total = timeline.frame_count(fps)
    slots = timeline.slots
    half = max(0.0, project.story.crossfade_s) / 2
    captions = _Captions(timeline.cues, size) if options.burn_subtitles else None
    built: dict[int, SceneFrames] = {}  # at most two scenes at a time: the current one and the one fading in

    def scene(index: int) -> SceneFrames:
        if index not in built:
            for old in [k for k in built if k < index - 1]:
                del built[old]
            built[index] = SceneFrames.build(project, slots[index].scene, size)
        return built[index]

    def progress_of(index: int, t: float) -> float:
        # Motion runs over the scene and both half-fades, so it never stops while a fade is on screen.
        slot = slots[index]
        a, b = slot.start_s - (half if index > 0 else 0.0), slot.end_s + (half if index < len(slots) - 1 else 0.0)
        return (t - a) / max(b - a, 1e-9)

    current = 0
    last_key: Any = None
    for n in range(total):
        t = (n + 0.5) / fps  # the middle of the frame's display time
        while current < len(slots) - 1 and t >= slots[current].end_s:
            current += 1
        frames = scene(current)
        fading_out = current < len(slots) - 1 and half > 0 and t > slots[current].end_s - half
        fading_in = current > 0 and half > 0 and t < slots[current].start_s + half
        key: Any = None
        if not (fading_out or fading_in) and frames.motion is Motion.NONE:
            key = ("still", current, captions.at(t)[0] if captions is not None else None)
            if key == last_key:
                yield None, key
                continue
        last_key = key
        # A cross-fade around each boundary between scenes: into the next one before it, from the previous after.
        if fading_out:
            w = (t - (slots[current].end_s - half)) / (2 * half)
            nxt = scene(current + 1)
            image = crossfade(frames.frame(progress_of(current, t)), nxt.frame(progress_of(current + 1, t)), w)
        elif fading_in:
            w = (t - (slots[current].start_s - half)) / (2 * half)
            prev = scene(current - 1)
            image = crossfade(prev.frame(progress_of(current - 1, t)), frames.frame(progress_of(current, t)), w)
        else:
            image = frames.frame(progress_of(current, t))
        if captions is not None:
            _cue, overlay = captions.at(t)
            if overlay is not None:
                # A still scene's frame is shared by its later frames: blend into a copy. Any other was just made.
                shared = not (fading_out or fading_in) and frames.motion is Motion.NONE
                image = overlay.blend_into(image, copy=shared)
        yield image, key


def _render(
    project: Project,
    timeline: Timeline,
    options: ExportOptions,
    writer: Mp4Writer,
    mixer: StoryMixer,
    report: Progress,
    cancel: CancelToken,
) -> None:
    """Frames are composed on a helper thread a few frames ahead while this one encodes and mixes: Pillow's
    resampling, numpy and the encoder all release the GIL, so two cores both work."""
    fps = options.fps
    total = timeline.frame_count(fps)
    ahead: queue.Queue[Any] = queue.Queue(maxsize=AHEAD)
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in _compose(project, timeline, options):
                while not stop.is_set():
                    try:
                        ahead.put(item, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            ahead.put(_END)
        except BaseException as exc:  # handed to the encoding thread, which raises it
            ahead.put(exc)

    composer = threading.Thread(target=produce, name="story-frames", daemon=True)
    composer.start()
    audio_done = 0
    last_report: float | None = None
    shown_percent = -1
    try:
        for n in range(total):
            if n % 8 == 0:
                cancel.check()
            item = ahead.get()
            if isinstance(item, BaseException):
                raise item
            image, key = item
            writer.video(image, key)
            # Sound a second at a time, always ahead of the video: a few dozen blocks a minute instead of one per
            # frame (each costs a mix, a frame object and an encoder call). The muxer interleaves the packets by time.
            if audio_done < mixer.total and audio_done < (n + 1) / fps * mixer.rate:
                until = min(mixer.total, audio_done + mixer.rate * AUDIO_BLOCK_S)
                writer.audio(mixer.block(audio_done, until - audio_done))
                audio_done = until
            # Every whole percent (so no step a listener counts on is skipped, however fast or slow the machine),
            # and at least every 0.2 s between them (a long video's time left keeps moving).
            now = time.perf_counter()
            percent = (n + 1) * 100 // total
            if percent > shown_percent or last_report is None or now - last_report > 0.2:
                last_report, shown_percent = now, percent
                report(
                    (n + 1) / total,
                    QT_TRANSLATE_NOOP("StoryExport", "Frame {frame} of {total}").format(frame=n + 1, total=total),
                )
    finally:
        stop.set()
        while composer.is_alive():  # unblock a producer waiting on a full queue, then let it end
            with contextlib.suppress(queue.Empty):
                ahead.get(timeout=0.05)
        composer.join()
    if audio_done < mixer.total:
        writer.audio(mixer.block(audio_done, mixer.total - audio_done))


__all__ = ["ExportOptions", "ExportResult", "JobCancelled", "export_story", "srt_path_for"]
