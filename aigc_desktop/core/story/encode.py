"""MP4 writing in-process with PyAV (FFmpeg's libraries inside the wheel: no ffmpeg binary, no temp files): H.264
video from numpy frames, AAC audio from float samples, streamed packet by packet.

Which H.264 encoder: PyAV's wheel carries GPL libx264 next to LGPL FFmpeg. An OS or hardware encoder (NVENC, Quick
Sync, AMF, VA-API, VideoToolbox, Media Foundation, V4L2) is preferred when one really opens here (each is probed by
opening it and encoding one frame), then Cisco's BSD-licensed libopenh264 when the FFmpeg build has it, and only
then libx264. The choice and its reason travel in the export result and the video's metadata, so the licence a
user's video was made under is on record.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP

HARDWARE_ENCODERS = (
    "h264_nvenc",
    "h264_qsv",
    "h264_amf",
    "h264_vaapi",
    "h264_videotoolbox",
    "h264_mf",
    "h264_v4l2m2m",
)
OPENH264 = "libopenh264"
X264 = "libx264"


@dataclass(frozen=True)
class EncoderChoice:
    codec: str
    kind: str  # "hardware", "openh264" or "x264"
    reason: str
    licence: str

    def to_dict(self) -> dict[str, str]:
        return {"codec": self.codec, "kind": self.kind, "reason": self.reason, "licence": self.licence}


def _opens(name: str) -> bool:
    """Whether `name` is in this FFmpeg build and really encodes here (a hardware encoder without its device fails
    to open within milliseconds)."""
    import av

    if name not in av.codecs_available:
        return False
    try:
        ctx = av.CodecContext.create(name, "w")
        ctx.width, ctx.height, ctx.pix_fmt = 256, 144, "yuv420p"  # type: ignore[attr-defined]
        ctx.time_base = Fraction(1, 30)
        ctx.open()
        frame = av.VideoFrame(256, 144, "yuv420p")
        frame.pts = 0
        ctx.encode(frame)  # type: ignore[attr-defined]
        ctx.encode(None)  # type: ignore[attr-defined]
    except Exception:  # av raises its own error per FFmpeg code; any of them means "not here"
        return False
    return True


@cache
def choose_encoder(prefer: str | None = None) -> EncoderChoice:
    """The H.264 encoder to use, best first (see the module docstring). `prefer` names one to use if it opens."""
    if prefer and _opens(prefer):
        kind = "hardware" if prefer in HARDWARE_ENCODERS else "openh264" if prefer == OPENH264 else "x264"
        return EncoderChoice(prefer, kind, f"{prefer} was asked for", _licence(kind))
    for name in HARDWARE_ENCODERS:
        if _opens(name):
            return EncoderChoice(name, "hardware", f"{name}: an OS/hardware H.264 encoder is present", _licence("hw"))
    if _opens(OPENH264):
        return EncoderChoice(OPENH264, "openh264", "no OS/hardware H.264 encoder opened; libopenh264 is in this build",
                             _licence("openh264"))  # fmt: skip
    if _opens(X264):
        return EncoderChoice(
            X264,
            "x264",
            "no OS/hardware H.264 encoder opened and this FFmpeg build has no libopenh264",
            _licence("x264"),
        )
    raise UserError(QT_TRANSLATE_NOOP("StoryEncoder", "No H.264 encoder is available in this installation."))


def _licence(kind: str) -> str:
    if kind == "openh264":
        return "libopenh264 (BSD-2-Clause, Cisco) inside FFmpeg (LGPL-2.1+)"
    if kind == "x264":
        return "libx264 (GPL-2.0+) inside FFmpeg (LGPL-2.1+) from the PyAV wheel"
    return "the system's or hardware vendor's H.264 encoder through FFmpeg (LGPL-2.1+)"


def _video_options(codec: str) -> dict[str, str]:
    if codec == X264:
        # CRF 20: visually clean for pictures and captions at 720p/1080p. veryfast: a slideshow gains little from
        # slower presets; its short lookahead (10 frames) keeps mb-tree, which halves the size of still and slowly
        # moving scenes. Diamond motion search with one subpixel refinement (superfast's): a zoom or pan moves
        # smoothly, so the wider hexagon search finds nothing better — about 30 % less encoding time for the same
        # size and PSNR (within 0.05 dB on the benchmark's story).
        return {"preset": "veryfast", "crf": "20", "rc-lookahead": "10", "x264-params": "me=dia:subme=1"}
    if codec == "h264_nvenc":
        return {"preset": "p4", "rc": "vbr", "cq": "21"}
    return {}


def disk_error(path: Path, exc: OSError) -> UserError:
    """An OSError while writing the video, as one sentence that says what to do."""
    code = getattr(exc, "errno", None)
    if code in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        why: str = QT_TRANSLATE_NOOP("StoryEncoder", "the disk is full (or the file is too large for it)")
    elif code in (errno.EROFS, errno.EACCES, errno.EPERM):
        why = QT_TRANSLATE_NOOP("StoryEncoder", "the folder is read-only")
    else:
        why = getattr(exc, "strerror", None) or str(exc)
    return UserError(
        QT_TRANSLATE_NOOP(
            "StoryEncoder", "Could not write the video {path}: {reason}. Nothing was left behind; your story is kept."
        ).format(path=str(path), reason=why)
    )


class Mp4Writer:
    """One MP4 being written: `video(frame)` per frame, `audio(samples)` in order, `close()` once (or `abort()`)."""

    def __init__(
        self,
        path: Path,
        size: tuple[int, int],
        fps: int,
        sample_rate: int,
        encoder: EncoderChoice,
        metadata: Mapping[str, str],
    ) -> None:
        import av

        self.path = path
        container: Any = av.open(str(path), "w", format="mp4", options={"movflags": "+faststart"})
        self.container = container
        container.metadata.update(dict(metadata))
        vstream: Any = container.add_stream(encoder.codec, rate=fps, options=_video_options(encoder.codec))
        vstream.width, vstream.height = size
        vstream.pix_fmt = "yuv420p"
        # Whole frames in parallel, one thread per core (PyAV's default, slice threads, cuts every frame into
        # slices: less compression and no faster); the composing thread shares the same cores.
        vstream.codec_context.thread_type = "FRAME"
        vstream.codec_context.thread_count = max(1, os.cpu_count() or 1)
        # The frames are limited-range BT.709 (core.story.frames): say so, so players and decoders convert them back
        # with the same matrix.
        ctx = vstream.codec_context
        ctx.colorspace, ctx.color_primaries, ctx.color_trc, ctx.color_range = 1, 1, 1, 1
        self.vstream = vstream
        self.astream: Any = container.add_stream("aac", rate=sample_rate, layout="mono")
        self.astream.bit_rate = 96_000
        self.sample_rate = sample_rate
        self.frames = 0
        self.samples = 0
        self._last_key: object = None
        self._last_frame: Any = None

    def video(self, yuv: np.ndarray | None, key: object = None) -> None:
        """Encode one packed yuv420p frame. Frames with the same non-None `key` as the previous one are the same
        picture: its frame object is sent again (a still scene costs no composing and no copying); such a frame may
        come as None."""
        import av

        if key is None or key != self._last_key or self._last_frame is None:
            assert yuv is not None, "a new picture needs its pixels"
            frame = av.VideoFrame.from_ndarray(yuv, format="yuv420p")
            frame.colorspace, frame.color_range = 1, 1  # BT.709, MPEG (limited) range
            self._last_frame = frame
            self._last_key = key
        frame = self._last_frame
        frame.pts = self.frames
        self.frames += 1
        for packet in self.vstream.encode(frame):
            self.container.mux(packet)

    def audio(self, samples: np.ndarray) -> None:
        import av

        if samples.size == 0:
            return
        frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1).astype(np.float32), format="fltp", layout="mono")
        frame.sample_rate = self.sample_rate
        frame.pts = self.samples
        frame.time_base = Fraction(1, self.sample_rate)
        self.samples += samples.size
        for packet in self.astream.encode(frame):
            self.container.mux(packet)

    def close(self) -> None:
        for packet in self.vstream.encode(None):
            self.container.mux(packet)
        for packet in self.astream.encode(None):
            self.container.mux(packet)
        self.container.close()

    def abort(self) -> None:
        with contextlib.suppress(Exception):  # a full disk fails the trailer too; the caller removes the file anyway
            self.container.close()


def read_metadata(path: Path) -> dict[str, Any]:
    """The provenance an exported video carries (tests, `aigc story` checks): the container's tags, with the JSON
    description decoded."""
    import av

    with av.open(str(path)) as container:
        tags: dict[str, Any] = dict(container.metadata)
    description = tags.get("description", "")
    try:
        tags["provenance"] = json.loads(description) if description else {}
    except ValueError:
        tags["provenance"] = {}
    return tags
