"""`aigc write`: continue a text with a local language model or on a server (--server), streamed to stdout (or one
JSON object)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

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
from aigc_desktop.core.models.entry import ModelEntry
from aigc_desktop.core.paths import AppPaths, app_paths
from aigc_desktop.core.specs import ModelKind


def register(sub: Any) -> None:
    write = sub.add_parser("write", help="continue a text with a local language model, streamed to stdout")
    write.add_argument("--prompt", required=True, help="the text to continue (it is what the model sees)")
    write.add_argument("--model", help="model id or path (default: the embedded text model); with --server: its model")
    write.add_argument("--server", metavar="NAME", help="run on this server (see `aigc servers`) instead of locally")
    write.add_argument("--yes", action="store_true", help="send over plain http to another machine without asking")
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
        self.progress = TerminalProgress(err)

    def partial(self, payload: Any) -> None:
        from aigc_desktop.core.text.job import TextChunk

        if not self._stream or not isinstance(payload, TextChunk):
            return
        self.progress.finish()
        self.progress.enabled = False
        if payload.index != self._current:
            self._current = payload.index
            if self._variants > 1:
                if not self._ends_with_newline:
                    self._out.write("\n")
                self._out.write(f"--- variant {payload.index + 1} ---\n")
        self._out.write(payload.text)
        self._out.flush()
        self._ends_with_newline = payload.text.endswith("\n")

    def finish(self) -> None:
        self.progress.finish()
        if self._stream and not self._ends_with_newline:
            self._out.write("\n")
            self._out.flush()


def server_model(
    paths: AppPaths, name: str, model: str | None, yes: bool, kind: ModelKind = ModelKind.TEXT, flag: str = "--model"
) -> ModelEntry:
    """The model entry of `--server NAME --model MODEL` (`aigc speak`: --voice), after the user agreed to plain http
    to another machine (asked on a terminal, else --yes): nothing has been sent to the server yet."""
    from aigc_desktop.core.servers.config import ServerStore, plain_http_warning
    from aigc_desktop.core.servers.entries import entry_for_id, model_id

    server = ServerStore(paths).get(name)
    if not model:
        listed = ", ".join(server.models) or "unknown: run `aigc servers test " + name + "`"
        raise UserError(f"--server needs {flag}: which of {name}'s models? Models: {listed}.")
    entry = entry_for_id(paths, model_id(name, model))
    if entry.kind is not kind:
        raise UserError(f"{name} is not {'an image' if kind is ModelKind.IMAGE else 'a ' + kind.value} server.")
    warning = plain_http_warning(server)
    if warning is not None and not yes:
        if not sys.stdin.isatty():
            raise UserError(f"{warning} Pass --yes to send the prompt anyway.")
        sys.stderr.write(f"{warning}\nSend the prompt anyway? [y/N] ")
        sys.stderr.flush()
        if sys.stdin.readline().strip().lower() not in ("y", "yes"):
            raise UserError("Nothing was sent.")
    return entry


def cmd_write(args: argparse.Namespace) -> int:
    # Imported here: `aigc models list` and `--version` should not pay for the engine machinery.
    from aigc_desktop.core.text.job import TextOutput, TextParams, text_spec

    prompt = args.prompt or ""
    if not prompt.strip():
        raise UserError("The prompt is empty: give some text with --prompt.")
    paths = app_paths().ensure()
    quiet_libraries(paths)  # llama.cpp's messages go to the log file; stderr stays for one-line errors
    registry = open_registry(paths)
    if args.server:
        entry = server_model(paths, args.server, args.model, args.yes)
    else:
        missing = f"No text model is installed: put a GGUF or transformers model into {paths.models_dir}."
        entry = choose_model(registry, args.model, ModelKind.TEXT, "a text model", missing)
    refuse_pickle(registry, entry, can_allow=True)
    defaults = TextParams()
    params = TextParams(
        max_new_tokens=pick(args.max_new_tokens, defaults.max_new_tokens),
        temperature=pick(args.temperature, defaults.temperature),
        top_p=pick(args.top_p, defaults.top_p),
        top_k=pick(args.top_k, defaults.top_k),
        repetition_penalty=pick(args.repetition_penalty, defaults.repetition_penalty),
        stop=tuple(args.stop or ()),
        greedy=args.greedy,
        n=pick(args.variants, defaults.n),
    )
    spec = text_spec(entry.id, prompt, params, seed=args.seed).resolved()
    writer = _WriteOutput(params.n, stream=not args.json, out=sys.stdout, err=sys.stderr)
    ctx = RunContext(on_progress=writer.progress, on_partial=writer.partial)
    try:
        result = run_on(registry, entry, spec, ctx)
    except UserError as exc:
        texts = getattr(exc, "texts", None)  # a server that dropped midway: what arrived (already streamed)
        if args.json and texts is not None:
            print(json.dumps({"model": entry.id, "texts": texts, "error": str(exc)}, ensure_ascii=False))
        raise
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
