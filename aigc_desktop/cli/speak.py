"""`aigc speak`: read a text aloud with a local voice, or a speech server's (--server), into a WAV file.

On a server that fails midway, the sentences that had arrived are written to the file before the one-line error."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from aigc_desktop.cli.common import choose_model, open_registry, quiet_libraries, refuse_pickle, run_on
from aigc_desktop.core.engines.base import RunContext
from aigc_desktop.core.errors import UserError
from aigc_desktop.core.paths import app_paths
from aigc_desktop.core.specs import ModelKind


def register(sub: Any) -> None:
    speak = sub.add_parser("speak", help="read a text aloud with a local voice or a speech server into a WAV file")
    source = speak.add_mutually_exclusive_group(required=True)
    source.add_argument("--text", help="the text to read")
    source.add_argument("--text-file", help="a UTF-8 text file to read")
    speak.add_argument("--voice", help="voice id or path (default: the embedded voice); with --server: its voice")
    speak.add_argument("--server", metavar="NAME", help="speak on this speech server (see `aigc servers`)")
    speak.add_argument("--yes", action="store_true", help="send over plain http to another machine without asking")
    speak.add_argument("--speed", type=float, help="1 is the voice's pace, 2 twice as fast, 0.5 half (0.25-4)")
    speak.add_argument("--seed", type=int, help="random seed; the same seed and settings give the same audio")
    speak.add_argument("--out", required=True, help="the WAV file to write (16-bit PCM, mono)")
    speak.add_argument("--json", action="store_true", help="print one JSON object about the result")
    speak.set_defaults(func=cmd_speak)


def cmd_speak(args: argparse.Namespace) -> int:
    # Imported here, as for `write`: listing models and --version should not pay for the engine machinery.
    from aigc_desktop.core.audio import edit as audio_edit
    from aigc_desktop.core.audio.job import AudioOutput, SpeechParams, speech_spec
    from aigc_desktop.core.audio.sentences import language_mismatch
    from aigc_desktop.core.engines.speech_server import SpeechInterrupted
    from aigc_desktop.core.specs import MAX_SEED

    if args.text_file is not None:
        try:
            text = Path(args.text_file).expanduser().read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not UTF-8 text"
            raise UserError(f"Cannot read --text-file {args.text_file}: {reason}.") from exc
    else:
        text = args.text or ""
    if not text.strip():
        raise UserError("The text is empty: give some words with --text or --text-file.")
    if args.speed is not None and not 0.25 <= args.speed <= 4.0:
        raise UserError("--speed must be between 0.25 and 4 (1 is the voice's normal pace).")
    if args.seed is not None and not 0 <= args.seed <= MAX_SEED:
        raise UserError(f"--seed must be between 0 and {MAX_SEED}.")
    out = Path(args.out).expanduser()
    if out.suffix.lower() != ".wav":
        raise UserError(f"--out must name a .wav file, not {out.name}.")
    if out.is_dir():
        raise UserError(f"--out {out} is a folder; give a file name ending in .wav.")
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise UserError(f"The folder {folder} does not exist.")

    paths = app_paths().ensure()
    quiet_libraries(paths)
    registry = open_registry(paths)
    audio_edit.check_writable(out)  # before the voice loads or the server hears of it: the answer needs neither
    if args.server:
        from aigc_desktop.cli.write import server_model

        entry = server_model(paths, args.server, args.voice, args.yes, ModelKind.SPEECH, "--voice")
    else:
        missing = f"No voice is installed: put a Piper voice or a VITS model into {paths.models_dir}."
        entry = choose_model(registry, args.voice, ModelKind.SPEECH, "a voice", missing)
    refuse_pickle(registry, entry, can_allow=False)
    # Checked before loading the voice (seconds) as well as by the engine: the answer does not need the model.
    mismatch = language_mismatch(text, entry.languages)
    if mismatch:
        raise UserError(mismatch)
    params = SpeechParams(length_scale=1.0 / args.speed) if args.speed is not None else SpeechParams()
    spec = speech_spec(entry.id, text, params, seed=args.seed).resolved()
    tags = audio_edit.provenance_tags(out.stem, entry.id, " ".join(text.split())[:200])
    try:
        result = run_on(registry, entry, spec, RunContext())
    except SpeechInterrupted as exc:  # a server that failed midway: the sentences that had arrived are kept
        audio_edit.write_audio(out, exc.samples, exc.sample_rate, "wav", tags)
        raise UserError(f"{exc} Written to {out}.") from exc
    output = result.output
    if not isinstance(output, AudioOutput):
        raise UserError(f"{entry.id} did not return audio.")
    audio_edit.write_audio(out, output.samples, output.sample_rate, "wav", tags)
    report = {
        "model": entry.id,
        "out": str(out),
        "sample_rate": output.sample_rate,
        "duration_s": round(output.duration_s, 3),
        "synthesis_s": round(output.synthesis_s, 3),
        "first_audio_ms": None if output.first_audio_ms is None else round(output.first_audio_ms, 1),
    }
    if "server" in result.metrics:  # the server and the voice it reports, as the History's provenance has them
        report.update(server=result.metrics["server"], server_model=result.metrics.get("server_model"))
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        print(f"Wrote {out}: {output.duration_s:.1f} s of speech in {output.synthesis_s:.1f} s ({entry.id}).")
    return 0
