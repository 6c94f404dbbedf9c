"""Story export: the app's renderer against moviepy 2 (what MoneyPrinterTurbo renders with) on the same story.

In one run, the same 60-second, 12-scene 720p30 story — pictures with slow zoom/pan (every other scene), 0.5 s
cross-fades, burned-in captions (Noto CJK), narration and a looped music bed ducked under it — rendered to H.264 +
AAC MP4:
  1. app: core.story.render.export_story (PyAV in-process, frames streamed);
  2. moviepy 2.2: ImageClips with resized()/with_position() motion, CrossFadeIn, TextClip captions, CompositeAudioClip
     with the same ducking gain, write_videofile through imageio-ffmpeg's ffmpeg (libx264 veryfast, crf 20, lookahead
     10, diamond motion search with subme 1, frame threads: the same encoder settings as the app, so the difference
     is in composing and piping frames).
Each renderer runs in its own process, so its peak RSS and CPU time (the process and its ffmpeg child) are its own;
CPU time is printed next to wall time because wall time on a shared machine follows the load. Also renders the
app's story at half and double length to show its peak RSS does not grow with the video. Prints seconds, the ratio,
speed against real time and peak RSS; asserts nothing. Goals: app >= 3x faster than moviepy, >= 4x real time.

moviepy is a benchmark-only dependency (`pip install -e ".[bench]"`; not needed by the app).

    .venv/bin/python benchmarks/story_export.py [--seconds 60] [--skip-moviepy]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("AIGC_DESKTOP_HOME", tempfile.mkdtemp(prefix="aigc-bench-"))

import numpy as np
from PIL import Image, ImageDraw

from aigc_desktop.core.project.model import Clip, Project
from aigc_desktop.core.story.board import Motion, PictureSource, Scene, StoryPicture

RATE = 22050
W, H, FPS = 1280, 720, 30
SCENES = 12
CROSSFADE = 0.5
CAPTIONS = [
    "The lighthouse keeper woke before dawn.",
    "灯塔守护人在黎明前醒来。",
    "Salt wind rattled the windows of the tower.",
    "He climbed the narrow stairs, one by one.",
    "远处的船只在等待那道光。",
    "The lamp caught, and the beam swept the sea.",
    "A fishing boat turned towards the harbour.",
    "风暴正在海上聚集。",
    "By noon the waves were higher than the pier.",
    "The keeper watched and kept the light burning.",
    "夜里，所有的船都平安回家。",
    "In the morning the sea was calm again.",
]


def picture(n: int) -> Image.Image:
    """A painted-looking picture: smooth gradients, a sun, hills; different for every scene."""
    rng = np.random.default_rng(n)
    x = np.linspace(0, 1, W, dtype=np.float32)[None, :]
    y = np.linspace(0, 1, H, dtype=np.float32)[:, None]
    hue = rng.uniform(0.2, 1.0, 3)
    rgb = np.stack([np.broadcast_to(255 * (hue[c] * (1 - y) + 0.3 * x * y), (H, W)) for c in range(3)], axis=-1)
    image = Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(image)
    cx, cy = rng.integers(200, W - 200), rng.integers(100, H // 2)
    draw.ellipse((cx - 80, cy - 80, cx + 80, cy + 80), fill=(250, 220, 120))
    for k in range(3):
        base = H - 150 + 40 * k
        points = [(0, H)] + [(i, base - 60 * np.sin(i / 180 + n + k)) for i in range(0, W + 40, 40)] + [(W, H)]
        draw.polygon(points, fill=(40 + 30 * k, 90 + 20 * k, 60 + 10 * k))
    return image


def voice(seconds: float, seed: int) -> np.ndarray:
    """Speech-like sound: a buzzing 140 Hz voice with syllable-rate loudness, without a model."""
    t = np.arange(round(seconds * RATE)) / RATE
    rng = np.random.default_rng(seed)
    syllables = 0.5 + 0.5 * np.sin(2 * np.pi * 4.0 * t + rng.uniform(0, 6)) ** 2
    buzz = sum(np.sin(2 * np.pi * 140 * k * t) / k for k in range(1, 8))
    return (0.12 * syllables * buzz).astype(np.float32)


def music(seconds: float) -> np.ndarray:
    t = np.arange(round(seconds * RATE)) / RATE
    chord = sum(np.sin(2 * np.pi * f * t) for f in (220.0, 277.18, 329.63))
    return (0.15 * chord * (0.6 + 0.4 * np.sin(2 * np.pi * 0.5 * t))).astype(np.float32)


def build_project(seconds: float) -> Project:
    project = Project(name="Benchmark story")
    per_scene = seconds / SCENES
    pause = 0.6
    for n in range(SCENES):
        pic = StoryPicture(f"scene {n + 1}", picture(n))
        project.story.pictures.append(pic)
        clip = Clip(f"narration {n + 1}", voice(per_scene - pause, n), RATE)
        project.clips.append(clip)
        motion = (Motion.ZOOM, Motion.NONE, Motion.PAN, Motion.NONE)[n % 4]
        project.story.scenes.append(
            Scene(CAPTIONS[n], PictureSource.PICTURE, pic.id, clip.id, pause_s=pause, motion=motion)
        )
    bed = Clip("bed", music(20.0), RATE)
    project.clips.append(bed)
    project.story.music.clip_id = bed.id
    project.story.crossfade_s = CROSSFADE
    return project


def cpu_seconds() -> float:
    """CPU time of the process and its children (moviepy's ffmpeg): what the work cost, whatever else the machine
    was running (wall time on a shared 2-core machine swings with the load)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + children) / 1024  # the process and its largest child (moviepy's ffmpeg), KiB on Linux


# ---------------------------------------------------------------- the two renderers


def render_app(seconds: float, out: Path) -> dict[str, Any]:
    from aigc_desktop.core.story.render import ExportOptions, export_story

    project = build_project(seconds)
    started, cpu = time.perf_counter(), cpu_seconds()
    result = export_story(project, out, ExportOptions(height=720, fps=FPS, burn_subtitles=True))
    return {
        "seconds": time.perf_counter() - started,
        "cpu_s": cpu_seconds() - cpu,
        "video_s": result.duration_s,
        "encoder": result.encoder.codec,
        "peak_rss_mb": peak_rss_mb(),
    }


def render_moviepy(seconds: float, out: Path) -> dict[str, Any]:
    from moviepy import AudioArrayClip, CompositeAudioClip, CompositeVideoClip, ImageClip, TextClip, vfx

    from aigc_desktop.core.story.fonts import caption_font
    from aigc_desktop.core.story.mix import StoryMixer
    from aigc_desktop.core.story.timeline import build_timeline

    project = build_project(seconds)
    timeline = build_timeline(project)
    font = caption_font().path
    started, cpu = time.perf_counter(), cpu_seconds()
    clips = []
    half = CROSSFADE / 2
    for n, slot in enumerate(timeline.slots):
        start = max(0.0, slot.start_s - half)
        end = min(timeline.duration_s, slot.end_s + half)
        length = end - start
        image = np.asarray(project.story.pictures[n].image.convert("RGB"))
        clip = ImageClip(image).with_duration(length).with_start(start)
        motion = slot.scene.motion
        if motion is Motion.ZOOM:
            clip = clip.resized(lambda t, length=length: 1.12 * (1 + 0.12 * t / length)).with_position("center")
        elif motion is Motion.PAN:
            clip = clip.resized(1.12).with_position(lambda t, length=length: (-W * 0.12 * t / length, -H * 0.06))
        if n > 0:
            clip = clip.with_effects([vfx.CrossFadeIn(CROSSFADE)])
        clips.append(clip)
        for cue in slot.cues:
            text = TextClip(
                font=font, text=cue.text, font_size=36, color="white", stroke_color="black", stroke_width=3,
                method="caption", size=(int(W * 0.86), None),
            )  # fmt: skip
            clips.append(text.with_start(cue.start_s).with_end(cue.end_s).with_position(("center", H - 140)))
    video = CompositeVideoClip(clips, size=(W, H), bg_color=(18, 18, 24)).with_duration(timeline.duration_s)
    # The same soundtrack, ducking included: moviepy mixes clips; the bed's gain follows the narration.
    bed_clip = project.find_clip(project.story.music.clip_id or "")
    mixer = StoryMixer(timeline, bed_clip, project.story.music)
    loops = int(np.ceil(timeline.duration_s / 20.0))
    bed = np.tile(bed_clip.samples if bed_clip else np.zeros(1, np.float32), loops)[: mixer.total]
    bed_audio = AudioArrayClip(np.stack([bed, bed], axis=1), fps=RATE).with_duration(timeline.duration_s)
    bed_audio = bed_audio.transform(
        lambda get_frame, t: get_frame(t) * mixer.music_gain(np.atleast_1d(np.asarray(t, dtype=np.float64)))[:, None],
        keep_duration=True,
    )
    voices = [
        AudioArrayClip(np.stack([s.narration.samples] * 2, axis=1), fps=RATE).with_start(s.start_s)
        for s in timeline.slots
        if s.narration is not None
    ]
    video = video.with_audio(CompositeAudioClip([bed_audio, *voices]).with_duration(timeline.duration_s))
    video.write_videofile(
        str(out), fps=FPS, codec="libx264", audio_codec="aac", preset="veryfast", threads=os.cpu_count(),
        ffmpeg_params=["-crf", "20", "-rc-lookahead", "10", "-x264-params", "me=dia:subme=1", "-pix_fmt", "yuv420p"],
        logger=None,
    )  # fmt: skip
    return {
        "seconds": time.perf_counter() - started,
        "cpu_s": cpu_seconds() - cpu,
        "video_s": timeline.duration_s,
        "peak_rss_mb": peak_rss_mb(),
    }


def child(which: str, seconds: float) -> dict[str, Any]:
    """Run one renderer in a fresh process; its JSON line back."""
    done = subprocess.run(
        [sys.executable, __file__, "--child", which, "--seconds", str(seconds)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"{which} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--skip-moviepy", action="store_true")
    parser.add_argument("--child", choices=("app", "moviepy"))
    args = parser.parse_args()
    if args.child:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / f"{args.child}.mp4"
            run = render_app if args.child == "app" else render_moviepy
            result = run(args.seconds, out)
            result["bytes"] = out.stat().st_size
        print(json.dumps(result))
        return

    from benchmarks.machine import describe

    print(f"machine: {describe()}")
    print(
        f"story: {args.seconds:g} s, {SCENES} scenes, {W}x{H} at {FPS} fps, motion, cross-fades, captions, ducked bed"
    )
    app = child("app", args.seconds)
    print(
        f"app      {app['seconds']:7.1f} s ({app['cpu_s']:6.1f} CPU s)  "
        f"{app['video_s'] / app['seconds']:5.2f}x real time  "
        f"peak RSS {app['peak_rss_mb']:6.0f} MB  {app['bytes'] / 1e6:5.1f} MB  ({app['encoder']})"
    )
    if not args.skip_moviepy:
        mp = child("moviepy", args.seconds)
        print(
            f"moviepy  {mp['seconds']:7.1f} s ({mp['cpu_s']:6.1f} CPU s)  "
            f"{mp['video_s'] / mp['seconds']:5.2f}x real time  "
            f"peak RSS {mp['peak_rss_mb']:6.0f} MB  {mp['bytes'] / 1e6:5.1f} MB"
        )
        print(f"ratio: the app is {mp['seconds'] / app['seconds']:.2f}x faster than moviepy (goal >= 3)")
        print(f"CPU ratio: the app uses {mp['cpu_s'] / app['cpu_s']:.2f}x less CPU time than moviepy")
    print(f"speed: {app['video_s'] / app['seconds']:.2f}x real time (goal >= 4); load average {os.getloadavg()[0]:.1f}")
    for factor in (0.5, 2.0):
        other = child("app", args.seconds * factor)
        print(
            f"app at {args.seconds * factor:g} s: peak RSS {other['peak_rss_mb']:.0f} MB (flat: independent of length)"
        )


if __name__ == "__main__":
    main()
