"""The `aigc` command: the same specs, registry and engines as the window, with no Qt.

Every bad input ends as one line on stderr and exit code 2; never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from aigc_desktop import __version__
from aigc_desktop.cli_models import add_model_commands
from aigc_desktop.core.engines.base import RunContext
from aigc_desktop.core.errors import JobCancelled, UserError
from aigc_desktop.core.models.entry import ModelEntry
from aigc_desktop.core.models.registry import ModelRegistry
from aigc_desktop.core.specs import JobResult, JobSpec, ModelKind
from aigc_desktop.paths import app_paths

EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    """argparse prints usage + error over several lines; we keep to one clear line and exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UserError(f"{self.prog}: {message}")


def _registry() -> ModelRegistry:
    return ModelRegistry(app_paths().ensure())


def _run_on(registry: ModelRegistry, entry: ModelEntry, spec: JobSpec, ctx: RunContext) -> JobResult:
    """Load `entry` and run `spec` on it through the same EngineHost a worker lane uses. Any failure to load becomes
    one line naming the model, never a traceback."""
    from aigc_desktop.core.runner import EngineHost

    host = EngineHost(lambda model_id: entry if model_id == entry.id else registry.get(model_id), registry.materialize)
    try:
        try:
            host.ensure_loaded(entry.id, ctx)
        except (UserError, JobCancelled, MemoryError, KeyboardInterrupt):
            raise
        except Exception as exc:  # a broken model file or folder
            raise UserError(f"{entry.name} could not be loaded: {exc}") from exc
        return host.run(spec, ctx)
    finally:
        host.unload_all()


def cmd_models_list(args: argparse.Namespace) -> int:
    entries = _registry().entries()
    if args.json:
        print(json.dumps([e.to_dict() for e in entries], ensure_ascii=False))
        return 0
    if not entries:
        print("No models installed.")
        return 0
    width = max(len(e.id) for e in entries)
    for e in entries:
        state = "" if e.ready else "  (prepared on first use)"
        print(f"{e.id:<{width}}  {e.kind.value:<6}  {e.backend:<12}  {e.size_bytes / 1e6:8.1f} MB  {e.source}{state}")
    return 0


class _WriteOutput:
    """Streams text chunks to stdout as they come; progress goes to stderr, only on a terminal and only until the
    first text arrives (after that, a progress line would cut through the text being written)."""

    def __init__(self, variants: int, stream: bool, out: TextIO, err: TextIO) -> None:
        self._variants = variants
        self._stream = stream
        self._out = out
        self._err = err
        self._current = -1
        self._ends_with_newline = True
        self._progress_shown = False
        self._show_progress = err.isatty()

    def partial(self, payload: Any) -> None:
        from aigc_desktop.core.text import TextChunk

        if not self._stream or not isinstance(payload, TextChunk):
            return
        self._clear_progress()
        self._show_progress = False
        if payload.index != self._current:
            self._current = payload.index
            if self._variants > 1:
                if not self._ends_with_newline:
                    self._out.write("\n")
                self._out.write(f"--- variant {payload.index + 1} ---\n")
        self._out.write(payload.text)
        self._out.flush()
        self._ends_with_newline = payload.text.endswith("\n")

    def progress(self, fraction: float | None, message: str) -> None:
        if not self._show_progress or not message:
            return
        pct = "" if fraction is None else f" {fraction * 100:3.0f}%"
        self._err.write(f"\r\033[K{message}{pct}")
        self._err.flush()
        self._progress_shown = True

    def finish(self) -> None:
        self._clear_progress()
        if self._stream and not self._ends_with_newline:
            self._out.write("\n")
            self._out.flush()

    def _clear_progress(self) -> None:
        if self._progress_shown:
            self._err.write("\r\033[K")
            self._err.flush()
            self._progress_shown = False


def cmd_write(args: argparse.Namespace) -> int:
    # Imported here: `aigc models list` and `--version` should not pay for the engine machinery.
    from aigc_desktop.core.text import TextOutput, TextParams, text_spec
    from aigc_desktop.logging_setup import setup_logging

    prompt = args.prompt or ""
    if not prompt.strip():
        raise UserError("The prompt is empty: give some text with --prompt.")
    paths = app_paths().ensure()
    setup_logging(paths)  # llama.cpp and library messages go to the log file; stderr stays for one-line errors
    registry = ModelRegistry(paths)
    if args.model:
        entry = registry.get(args.model)
    else:
        default = registry.default_for(ModelKind.TEXT)
        if default is None:
            raise UserError(f"No text model is installed: put a GGUF or transformers model into {paths.models_dir}.")
        entry = default
    if entry.kind != ModelKind.TEXT:
        raise UserError(f"{entry.id} is a {entry.kind.value} model, not a text model.")
    if entry.pickle_only and not _pickle_allowed(entry):
        raise UserError(f"{entry.id} has only pickle weights, which this app does not load (they can run code).")
    defaults = TextParams()
    params = TextParams(
        max_new_tokens=_pick(args.max_new_tokens, defaults.max_new_tokens),
        temperature=_pick(args.temperature, defaults.temperature),
        top_p=_pick(args.top_p, defaults.top_p),
        top_k=_pick(args.top_k, defaults.top_k),
        repetition_penalty=_pick(args.repetition_penalty, defaults.repetition_penalty),
        stop=tuple(args.stop or ()),
        greedy=args.greedy,
        n=_pick(args.variants, defaults.n),
    )
    spec = text_spec(entry.id, prompt, params, seed=args.seed).resolved()
    writer = _WriteOutput(params.n, stream=not args.json, out=sys.stdout, err=sys.stderr)
    ctx = RunContext(on_progress=writer.progress, on_partial=writer.partial)
    try:
        result = _run_on(registry, entry, spec, ctx)
    finally:
        writer.finish()
    output = result.output
    if not isinstance(output, TextOutput):
        raise UserError(f"{entry.id} did not return text.")
    if args.json:
        report = {
            "model": entry.id,
            "backend": output.backend,
            "texts": output.texts,
            "new_tokens": output.new_tokens,
            "tokens_per_second": round(output.tokens_per_second, 2),
            "first_token_ms": None if output.first_token_ms is None else round(output.first_token_ms, 1),
            "seed": result.spec.seed,
        }
        print(json.dumps(report, ensure_ascii=False))
    return 0


def _pickle_allowed(entry: ModelEntry) -> bool:
    from aigc_desktop.core.models.safety import can_consent, pickle_consented

    return can_consent(entry) and pickle_consented(entry)


def _pick(value: Any, default: Any) -> Any:
    return default if value is None else value


class _MusicProgress:
    """A one-line progress display on stderr, only when stderr is a terminal (scripts and --json get none)."""

    def __init__(self, err: TextIO) -> None:
        self._err = err
        self._shown = False
        self._enabled = err.isatty()

    def __call__(self, fraction: float | None, message: str) -> None:
        if not self._enabled or not message:
            return
        pct = "" if fraction is None else f" {fraction * 100:3.0f}%"
        self._err.write(f"\r\033[K{message}{pct}")
        self._err.flush()
        self._shown = True

    def finish(self) -> None:
        if self._shown:
            self._err.write("\r\033[K")
            self._err.flush()
            self._shown = False


def cmd_music(args: argparse.Namespace) -> int:
    # Only light imports until every input is checked: bad input must fail in a fraction of a second.
    import datetime
    import logging

    from aigc_desktop.core import audio_edit
    from aigc_desktop.core.audio import AudioOutput, MusicParams, music_spec

    prompt = (args.prompt or "").strip()
    if not prompt:
        raise UserError("The prompt is empty: describe the music with --prompt.")
    defaults = MusicParams()
    params = MusicParams(  # checks the duration (more than 0, at most 30 s) and the other numbers
        duration_s=args.duration,
        guidance=_pick(args.guidance, defaults.guidance),
        temperature=_pick(args.temperature, defaults.temperature),
        top_k=_pick(args.top_k, defaults.top_k),
    )
    out_path = audio_edit.check_writable(args.out)  # before generating: minutes of work must not be lost at the end
    fmt = audio_edit.format_for_path(out_path)
    continue_from = None
    if args.continue_from:
        continue_from = Path(args.continue_from).expanduser().resolve()
        if not continue_from.is_file():
            raise UserError(f"There is no audio file at {continue_from} to continue.")
    paths = app_paths().ensure()
    registry = ModelRegistry(paths)
    if args.model:
        entry = registry.get(args.model)
    else:
        default = registry.default_for(ModelKind.MUSIC)
        if default is None:
            raise UserError(
                f"No music model is installed: put a MusicGen folder (e.g. musicgen-small with safetensors weights) "
                f"into {paths.models_dir}."
            )
        entry = default
    if entry.kind != ModelKind.MUSIC:
        raise UserError(f"{entry.id} is a {entry.kind.value} model, not a music model.")
    if entry.pickle_only:
        raise UserError(f"{entry.id} has only pickle weights, which this app does not load (they can run code).")

    from aigc_desktop.logging_setup import setup_logging

    setup_logging(paths)
    logging.captureWarnings(True)  # library warnings go to the log file; stderr stays for the estimate and errors
    import importlib

    import torch

    from aigc_desktop.core.engines.music_musicgen import estimate_seconds, parameter_count

    hf_logging: Any = importlib.import_module("transformers.utils.logging")
    hf_logging.disable_default_handler()  # the library's messages go to the log file like ours, not to stderr
    hf_logging.enable_propagation()
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
    progress = _MusicProgress(sys.stderr)
    ctx = RunContext(on_progress=progress)
    try:
        result = _run_on(registry, entry, spec, ctx)
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


def cmd_speak(args: argparse.Namespace) -> int:
    # Imported here, as for `write`: listing models and --version should not pay for the engine machinery.
    from aigc_desktop.core import audio_edit
    from aigc_desktop.core.audio import AudioOutput, SpeechParams, speech_spec
    from aigc_desktop.core.sentences import language_mismatch
    from aigc_desktop.core.specs import MAX_SEED
    from aigc_desktop.logging_setup import setup_logging

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
    setup_logging(paths)  # library messages go to the log file; stderr stays for one-line errors
    registry = ModelRegistry(paths)
    if args.voice:
        entry = registry.get(args.voice)
    else:
        default = registry.default_for(ModelKind.SPEECH)
        if default is None:
            raise UserError(f"No voice is installed: put a Piper voice or a VITS model into {paths.models_dir}.")
        entry = default
    if entry.kind != ModelKind.SPEECH:
        raise UserError(f"{entry.id} is a {entry.kind.value} model, not a voice.")
    if entry.pickle_only:
        raise UserError(f"{entry.id} has only pickle weights, which this app does not load (they can run code).")
    # Checked before loading the voice (seconds) as well as by the engine: the answer does not need the model.
    mismatch = language_mismatch(text, entry.languages)
    if mismatch:
        raise UserError(mismatch)
    params = SpeechParams(length_scale=1.0 / args.speed) if args.speed is not None else SpeechParams()
    spec = speech_spec(entry.id, text, params, seed=args.seed).resolved()

    audio_edit.check_writable(out)  # before the voice loads: the answer does not need the model
    output = _run_on(registry, entry, spec, RunContext()).output
    if not isinstance(output, AudioOutput):
        raise UserError(f"{entry.id} did not return audio.")
    tags = audio_edit.provenance_tags(out.stem, entry.id, " ".join(text.split())[:200])
    audio_edit.write_audio(out, output.samples, output.sample_rate, "wav", tags)
    report = {
        "model": entry.id,
        "out": str(out),
        "sample_rate": output.sample_rate,
        "duration_s": round(output.duration_s, 3),
        "synthesis_s": round(output.synthesis_s, 3),
        "first_audio_ms": None if output.first_audio_ms is None else round(output.first_audio_ms, 1),
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        print(f"Wrote {out}: {output.duration_s:.1f} s of speech in {output.synthesis_s:.1f} s ({entry.id}).")
    return 0


def cmd_project_info(args: argparse.Namespace) -> int:
    # Imported here: the store pulls in numpy and PIL, which `models list` and `--version` do not need.
    from aigc_desktop.core import recovery
    from aigc_desktop.core.store import inspect_project

    info = inspect_project(Path(args.path).expanduser())  # read-only; an unreadable file is one line, exit 2
    if info.project_id:  # the autosave copy a crashed session left of this project, if any
        copy = recovery.copy_path(app_paths(), info.project_id)
        info.recovery_copy = copy if copy.is_file() else None
    if args.json:
        print(json.dumps(info.to_dict(), ensure_ascii=False))
        return 0
    print(f"{info.path}: '{info.name}', schema {info.schema_version}")
    print(f"  {info.layers} layers, {info.clips} clips, {info.history} history entries")
    print(f"  missing assets: {', '.join(info.missing_assets) if info.missing_assets else 'none'}")
    print(f"  recovery copy: {info.recovery_copy if info.recovery_copy else 'none'}")
    if info.interrupted_save:
        print("  an interrupted save left a journal beside it; the last complete save is shown")
    return 0


def cmd_project_check(args: argparse.Namespace) -> int:
    from aigc_desktop.core.store import inspect_project

    info = inspect_project(Path(args.path).expanduser(), decode=True)
    if info.problems:
        for problem in info.problems:
            print(problem)
        return 1
    print(
        f"OK: {info.path.name} (schema {info.schema_version}, {info.layers} layers, {info.clips} clips, "
        f"{info.history} history entries)"
    )
    return 0


def cmd_project_export(args: argparse.Namespace) -> int:
    from aigc_desktop.core.archive import export_archive

    written = export_archive(Path(args.path).expanduser(), Path(args.archive).expanduser())
    print(f"Wrote {written}")
    return 0


def cmd_project_import(args: argparse.Namespace) -> int:
    from aigc_desktop.core.archive import import_archive

    written = import_archive(Path(args.archive).expanduser(), Path(args.path).expanduser(), overwrite=args.force)
    print(f"Imported {args.archive} as {written}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="aigc", description="AIGC Desktop from the terminal: local models, no network.")
    parser.add_argument("--version", action="version", version=f"aigc {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    models = sub.add_parser("models", help="the models this app can use")
    models_sub = models.add_subparsers(dest="models_command", parser_class=_Parser)
    listing = models_sub.add_parser("list", help="list installed models (embedded and in the models folder)")
    listing.add_argument("--json", action="store_true", help="print one JSON array")
    listing.set_defaults(func=cmd_models_list)
    add_model_commands(models_sub)  # catalog, download, import, remove, discover, allow-pickle (cli_models.py)

    write = sub.add_parser("write", help="continue a text with a local language model, streamed to stdout")
    write.add_argument("--prompt", required=True, help="the text to continue (it is what the model sees)")
    write.add_argument("--model", help="model id or path (default: the embedded text model)")
    write.add_argument("--max-new-tokens", type=int, help="most tokens to write per text (default 200)")
    write.add_argument("--temperature", type=float, help="sampling temperature (default 0.8)")
    write.add_argument("--top-p", type=float, help="nucleus sampling threshold (default 0.95)")
    write.add_argument("--top-k", type=int, help="sample among the k likeliest tokens, 0 = all (default 40)")
    write.add_argument("--repetition-penalty", type=float, help="penalty for repeating tokens (default 1.1)")
    write.add_argument("--seed", type=int, help="random seed; the same seed and settings give the same text")
    write.add_argument("--greedy", action="store_true", help="always take the likeliest token (deterministic)")
    write.add_argument("--variants", type=int, help="how many texts, seeds seed, seed+1, ... (default 1)")
    write.add_argument("--stop", action="append", metavar="S", help="stop when this text appears (repeatable)")
    write.add_argument("--json", action="store_true", help="print one JSON object instead of streaming the text")
    write.set_defaults(func=cmd_write)

    speak = sub.add_parser("speak", help="read a text aloud with a local voice into a WAV file")
    source = speak.add_mutually_exclusive_group(required=True)
    source.add_argument("--text", help="the text to read")
    source.add_argument("--text-file", help="a UTF-8 text file to read")
    speak.add_argument("--voice", help="voice id or path (default: the embedded voice)")
    speak.add_argument("--speed", type=float, help="1 is the voice's pace, 2 twice as fast, 0.5 half (0.25-4)")
    speak.add_argument("--seed", type=int, help="random seed; the same seed and settings give the same audio")
    speak.add_argument("--out", required=True, help="the WAV file to write (16-bit PCM, mono)")
    speak.add_argument("--json", action="store_true", help="print one JSON object about the result")
    speak.set_defaults(func=cmd_speak)

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

    from aigc_desktop import cli_train  # imported here: cli_train uses _run_on from this module

    cli_train.register(sub)

    from aigc_desktop import cli_image  # imported here: it uses _run_on from this module

    cli_image.register(sub)

    project = sub.add_parser("project", help="project files (.aigc): inspect, check, archive")
    project_sub = project.add_subparsers(dest="project_command", parser_class=_Parser)
    info = project_sub.add_parser("info", help="schema, counts, missing assets and recovery copy of a project")
    info.add_argument("path", help="the project file (.aigc)")
    info.add_argument("--json", action="store_true", help="print one JSON object")
    info.set_defaults(func=cmd_project_info)
    check = project_sub.add_parser(
        "check", help="validate a project: exit 0 healthy, 1 problems (one per line), 2 unreadable"
    )
    check.add_argument("path", help="the project file (.aigc)")
    check.set_defaults(func=cmd_project_check)
    export = project_sub.add_parser("export", help="write a project as one archive (.aigcz) to send or back up")
    export.add_argument("path", help="the project file (.aigc)")
    export.add_argument("archive", help="the archive to write (.aigcz)")
    export.set_defaults(func=cmd_project_export)
    imp = project_sub.add_parser("import", help="check an archive (.aigcz) and save its project as a .aigc file")
    imp.add_argument("archive", help="the archive to read (.aigcz)")
    imp.add_argument("path", help="the project file to create (.aigc)")
    imp.add_argument("--force", action="store_true", help="replace the project file if it exists")
    imp.set_defaults(func=cmd_project_import)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
        func: Callable[[argparse.Namespace], int] | None = getattr(args, "func", None)
        if func is None:
            parser.print_help(sys.stderr)
            return EXIT_BAD_INPUT
        return func(args)
    except UserError as exc:
        print(f"aigc: {exc}" if not str(exc).startswith("aigc") else str(exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("aigc: interrupted", file=sys.stderr)
        return 130
