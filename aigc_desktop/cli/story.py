"""`aigc story`: render a project's storyboard as an MP4 (H.264 + AAC) with its subtitles beside it, or build a story
from a text file first: one scene per paragraph, narrated with a voice, illustrated by the installed image model
(or shown as title cards when there is none, which the command says).

Progress goes to stdout as lines ("Narrating scene 2 of 5", "Rendering 40 %…"); bad input is one line on stderr and
exit 2, checked before any model loads.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from aigc_desktop.cli.common import choose_model, open_registry, quiet_libraries, refuse_pickle
from aigc_desktop.core.errors import UserError


def register(sub: Any) -> None:
    story = sub.add_parser("story", help="render a storyboard (or a text, narrated and illustrated) as an MP4 video")
    story.add_argument("project", nargs="?", metavar="PROJECT.aigc", help="the project whose storyboard to render")
    story.add_argument("--text", metavar="FILE", help="build the story from this UTF-8 text file instead")
    story.add_argument("--voice", help="with --text: the voice id or path (default: the embedded voice)")
    story.add_argument("--image-model", help="with --text: the image model for the pictures (default: the first)")
    story.add_argument("--out", required=True, metavar="FILE.mp4", help="the video to write (.srt beside it)")
    story.add_argument("--aspect", choices=("16:9", "9:16", "1:1"), default="16:9")
    story.add_argument("--height", type=int, choices=(720, 1080), default=720, help="the short side in pixels")
    story.add_argument("--fps", type=int, choices=(24, 30), default=30)
    story.add_argument("--burn-subtitles", action="store_true", help="also draw the captions into the picture")
    story.add_argument("--json", action="store_true", help="print one JSON object about the result (no progress)")
    story.set_defaults(func=cmd_story)


def cmd_story(args: argparse.Namespace) -> int:
    from aigc_desktop.core.audio.edit import check_writable
    from aigc_desktop.core.story.render import ExportOptions

    if (args.project is None) == (args.text is None):
        raise UserError("Give either a PROJECT.aigc to render or --text FILE to build a story from.")
    if args.project is not None and (args.voice or args.image_model):
        raise UserError("--voice and --image-model go with --text; a project's storyboard has its own.")
    out = Path(args.out).expanduser()
    if out.suffix.lower() != ".mp4":
        raise UserError(f"--out must name a .mp4 file, not {out.name}.")
    options = ExportOptions(aspect=args.aspect, height=args.height, fps=args.fps, burn_subtitles=args.burn_subtitles)
    check_writable(out)
    say = (lambda line: None) if args.json else print
    if args.project is not None:
        from aigc_desktop.core.project.store import load_project

        project = load_project(Path(args.project).expanduser()).project
        from aigc_desktop.core.story.timeline import build_timeline

        build_timeline(project)  # every problem of the storyboard before anything is written
        notes: list[str] = []
    else:
        project, notes = _project_from_text(args, options, say)
    return _render(args, project, out, options, notes, say)


def _read_text(name: str) -> str:
    try:
        text = Path(name).expanduser().read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not UTF-8 text"
        raise UserError(f"Cannot read --text {name}: {reason}.") from exc
    if not text.strip():
        raise UserError(f"--text {name} is empty: there is nothing to tell.")
    return text


def _project_from_text(args: argparse.Namespace, options: Any, say: Any) -> tuple[Any, list[str]]:
    from aigc_desktop.core.audio.sentences import language_mismatch
    from aigc_desktop.core.project.model import Project
    from aigc_desktop.core.specs import ModelKind
    from aigc_desktop.core.story.build import storyboard_from_text

    text = _read_text(args.text)
    board = storyboard_from_text(text)
    registry = open_registry()
    quiet_libraries(registry.paths, ("diffusers", "transformers"))
    missing = f"No voice is installed: put a Piper voice or a VITS model into {registry.models_dir}."
    voice = choose_model(registry, args.voice, ModelKind.SPEECH, "a voice", missing)
    refuse_pickle(registry, voice, can_allow=False)
    mismatch = language_mismatch(text, voice.languages)
    if mismatch:
        raise UserError(mismatch)
    image_entry = None
    notes: list[str] = []
    if args.image_model:
        image_entry = choose_model(registry, args.image_model, ModelKind.IMAGE, "an image model", "")
        refuse_pickle(registry, image_entry, can_allow=True)
    else:
        image_entry = registry.default_for(ModelKind.IMAGE)
        if image_entry is None or image_entry.pickle_only:
            image_entry = None
            notes.append("No image model is installed: the scenes are shown as title cards.")
            say(notes[-1])
    project = Project(name=Path(args.text).stem)
    project.story = board
    from aigc_desktop.core.engines.host import EngineHost

    host = EngineHost(registry)
    try:
        _narrate(project, host, voice, say)
        if image_entry is not None:
            _illustrate(project, host, image_entry, options, say)
    finally:
        host.unload_all()
    return project, notes


def _run(host: Any, entry: Any, spec: Any) -> Any:
    """One generation on the shared host (the model loads once for all scenes); a broken model is one line."""
    from aigc_desktop.core.engines.base import RunContext
    from aigc_desktop.core.errors import JobCancelled

    try:
        return host.run(spec, RunContext())
    except (UserError, JobCancelled, MemoryError, KeyboardInterrupt):
        raise
    except Exception as exc:
        raise UserError(f"{entry.name} could not be loaded or run: {exc}") from exc


def _narrate(project: Any, host: Any, voice: Any, say: Any) -> None:
    from aigc_desktop.core.audio.job import AudioOutput, SpeechParams, speech_spec
    from aigc_desktop.core.project.model import Clip, HistoryEntry, HistoryStatus

    scenes = project.story.scenes
    for n, scene in enumerate(scenes, start=1):
        say(f"Narrating scene {n} of {len(scenes)} with {voice.id}")
        spec = speech_spec(voice.id, scene.text, SpeechParams()).resolved()
        started = time.time()
        result = _run(host, voice, spec)
        output = result.output
        if not isinstance(output, AudioOutput):
            raise UserError(f"{voice.id} did not return audio.")
        clip = Clip(f"Scene {n}", output.samples, output.sample_rate, spec_id=spec.id)
        project.clips.append(clip)
        project.history.append(
            HistoryEntry(spec, HistoryStatus.FINISHED, started, result.seconds, output_refs=[clip.id],
                         summary=f"{clip.duration_s:.1f} s of speech", metrics=dict(result.metrics))
        )  # fmt: skip
        scene.narration_id = clip.id


def _illustrate(project: Any, host: Any, entry: Any, options: Any, say: Any) -> None:
    from aigc_desktop.core.image.job import ImageOutput, ImageParams, image_spec
    from aigc_desktop.core.project.model import HistoryEntry, HistoryStatus
    from aigc_desktop.core.story.board import PictureSource, StoryPicture

    w, h = options.size
    scale = 512 / max(w, h) * (768 / 512 if w != h else 1)  # 768×432, 432×768 or 512×512: SD-sized, the shape
    size = (round(w * scale / 8) * 8, round(h * scale / 8) * 8)
    scenes = project.story.scenes
    for n, scene in enumerate(scenes, start=1):
        say(f"Painting scene {n} of {len(scenes)} with {entry.id}")
        params = ImageParams(width=size[0], height=size[1])
        spec = image_spec(entry.id, scene.prompt or scene.text[:300], params, None).resolved()
        started = time.time()
        result = _run(host, entry, spec)
        output = result.output
        if not isinstance(output, ImageOutput) or not output.images:
            raise UserError(f"{entry.id} did not return an image.")
        picture = StoryPicture(f"Scene {n}", output.images[0], spec_id=spec.id)
        project.story.pictures.append(picture)
        project.history.append(
            HistoryEntry(spec, HistoryStatus.FINISHED, started, result.seconds, output_refs=[picture.id],
                         summary="1 image", metrics=dict(result.metrics))
        )  # fmt: skip
        scene.picture, scene.picture_ref = PictureSource.PICTURE, picture.id


def _render(args: argparse.Namespace, project: Any, out: Path, options: Any, notes: list[str], say: Any) -> int:
    from aigc_desktop.core.story.render import export_story

    shown = [-1]
    started = time.perf_counter()

    def progress(fraction: float, _message: str) -> None:
        tenth = int(fraction * 10)
        if tenth > shown[0] and fraction < 1:
            shown[0] = tenth
            elapsed = time.perf_counter() - started
            left = "" if fraction <= 0.02 else f", about {elapsed / fraction * (1 - fraction):.0f} s left"
            say(f"Rendering {tenth * 10} %{left}")

    result = export_story(project, out, options, progress=progress)
    report = {
        "out": str(result.path),
        "srt": None if result.srt_path is None else str(result.srt_path),
        "duration_s": round(result.duration_s, 3),
        "frames": result.frames,
        "size": list(result.size),
        "fps": result.fps,
        "sample_rate": result.sample_rate,
        "encoder": result.encoder.to_dict(),
        "seconds": round(result.seconds, 3),
        "speed": round(result.speed, 2),
        "digital_source_type": result.provenance.get("digital_source_type"),
        "notes": notes,
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        print(
            f"Wrote {result.path} ({result.duration_s:.1f} s, {result.size[0]}×{result.size[1]} at {result.fps} fps) "
            f"in {result.seconds:.1f} s, {result.speed:.1f}× real time, with {result.encoder.codec} "
            f"({result.encoder.reason})."
        )
    return 0
