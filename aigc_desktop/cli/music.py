"""`aigc music`: make music from a text prompt with a local MusicGen model (WAV or FLAC, tagged)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from aigc_desktop.cli.common import (
    TerminalProgress,
    choose_model,
    open_registry,
    pick,
    quiet_libraries,
    refuse_pickle,
    run_on,
)
from aigc_desktop.core.engines.base import RunContext
from aigc_desktop.core.errors import UserError
from aigc_desktop.core.paths import app_paths
from aigc_desktop.core.specs import ModelKind


def register(sub: Any) -> None:
    music = sub.add_parser("music", help="make music from a text prompt with a local MusicGen model")
    music.add_argument("--prompt", required=True, help="describe the music (genre, mood, instruments)")
    music.add_argument("--duration", type=float, required=True, metavar="S", help="seconds of music, up to 30")
    music.add_argument("--model", help="model id or path (default: the first music model installed)")
    music.add_argument("--seed", type=int, help="random seed; the same seed and settings give the same music")
    music.add_argument("--guidance", type=float, help="how closely to follow the prompt (default 3)")
    music.add_argument("--temperature", type=float, help="sampling temperature (default 1.0)")
    music.add_argument("--top-k", type=int, help="sample among the k likeliest codes (default 250)")
    music.add_argument("--continue-from", metavar="WAV", help="continue this audio file instead of starting afresh")
    music.add_argument("--out", required=True, metavar="FILE", help="where to save the music (.wav or .flac)")
    music.add_argument("--json", action="store_true", help="print one JSON object describing the result")
    music.set_defaults(func=cmd_music)


def cmd_music(args: argparse.Namespace) -> int:
    # Only light imports until every input is checked: bad input must fail in a fraction of a second.
    import datetime

    from aigc_desktop.core.audio import edit as audio_edit
    from aigc_desktop.core.audio.job import AudioOutput, MusicParams, music_spec

    prompt = (args.prompt or "").strip()
    if not prompt:
        raise UserError("The prompt is empty: describe the music with --prompt.")
    defaults = MusicParams()
    params = MusicParams(  # checks the duration (more than 0, at most 30 s) and the other numbers
        duration_s=args.duration,
        guidance=pick(args.guidance, defaults.guidance),
        temperature=pick(args.temperature, defaults.temperature),
        top_k=pick(args.top_k, defaults.top_k),
    )
    out_path = audio_edit.check_writable(args.out)  # before generating: minutes of work must not be lost at the end
    fmt = audio_edit.format_for_path(out_path)
    continue_from = None
    if args.continue_from:
        continue_from = Path(args.continue_from).expanduser().resolve()
        if not continue_from.is_file():
            raise UserError(f"There is no audio file at {continue_from} to continue.")
    paths = app_paths().ensure()
    registry = open_registry(paths)
    missing = (
        f"No music model is installed: put a MusicGen folder (e.g. musicgen-small with safetensors weights) "
        f"into {paths.models_dir}."
    )
    entry = choose_model(registry, args.model, ModelKind.MUSIC, "a music model", missing)
    refuse_pickle(registry, entry, can_allow=False)

    quiet_libraries(paths, ("transformers",))
    import torch

    from aigc_desktop.core.engines.music_musicgen import estimate_seconds, parameter_count

    device = "cuda" if torch.cuda.is_available() else "cpu"
    expected = estimate_seconds(params.duration_s, device, parameter_count(entry.path))
    print(
        f"aigc: making {params.duration_s:g} s of music with {entry.name} on {device.upper()}: "
        f"expect about {expected:.0f} s.",
        file=sys.stderr,
        flush=True,
    )
    inputs = {} if continue_from is None else {"continue_from": str(continue_from)}
    spec = music_spec(entry.id, prompt, params, seed=args.seed, **inputs).resolved()
    progress = TerminalProgress(sys.stderr)
    ctx = RunContext(on_progress=progress)
    try:
        result = run_on(registry, entry, spec, ctx)
    finally:
        progress.finish()
    output = result.output
    if not isinstance(output, AudioOutput):
        raise UserError(f"{entry.id} did not return audio.")
    tags = audio_edit.provenance_tags(out_path.stem, entry.id, prompt)
    tags["date"] = datetime.date.today().isoformat()
    written = audio_edit.write_audio(out_path, output.samples, output.sample_rate, fmt, tags)
    if args.json:
        report = {
            "model": entry.id,
            "out": str(written),
            "sample_rate": output.sample_rate,
            "duration_s": round(output.duration_s, 3),
            "synthesis_s": round(output.synthesis_s, 3),
            "first_audio_ms": output.first_audio_ms,
        }
        print(json.dumps(report, ensure_ascii=False))
    return 0
