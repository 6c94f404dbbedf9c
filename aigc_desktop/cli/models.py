"""`aigc models list|catalog|download|import|remove|discover|allow-pickle`: the same core as the Models window, no Qt.

Progress goes to stdout as lines (one a second, and at the end) so a script or a log can follow a download; with
--json each line is one JSON object. Ctrl+C pauses a download: running the same command again continues it.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any, TextIO

from aigc_desktop.cli.common import EXIT_INTERRUPTED, Parser, open_registry
from aigc_desktop.core.errors import UserError

PROGRESS_EVERY_S = 1.0


def register(sub: Any) -> None:
    models = sub.add_parser("models", help="the models this app can use")
    models_sub = models.add_subparsers(dest="models_command", parser_class=Parser)
    listing = models_sub.add_parser("list", help="list installed models (embedded and in the models folder)")
    listing.add_argument("--json", action="store_true", help="print one JSON array")
    listing.set_defaults(func=cmd_list)

    catalog = models_sub.add_parser("catalog", help="models you can download, and whether each fits this machine")
    catalog.add_argument("--json", action="store_true", help="print one JSON array")
    catalog.set_defaults(func=cmd_catalog)

    download = models_sub.add_parser("download", help="download a catalog model (resumes an interrupted download)")
    download.add_argument("id", help="the catalog id (see `aigc models catalog`)")
    download.add_argument("--json", action="store_true", help="print progress and the result as JSON lines")
    download.set_defaults(func=cmd_download)

    imp = models_sub.add_parser("import", help="import a model file or folder you already have")
    imp.add_argument("path", help="a GGUF, Piper .onnx, .safetensors/.ckpt checkpoint, or a model folder")
    imp.add_argument("--link", action="store_true", help="use it where it is instead of copying it")
    imp.add_argument("--name", help="the name to list it under")
    imp.add_argument("--json", action="store_true", help="print the imported models as one JSON array")
    imp.set_defaults(func=cmd_import)

    remove = models_sub.add_parser("remove", help="delete a downloaded or imported model (linked: stop using it)")
    remove.add_argument("id", help="the model id (see `aigc models list`) or an unfinished download's catalog id")
    remove.set_defaults(func=cmd_remove)

    discover = models_sub.add_parser("discover", help="models already on this computer (Hugging Face cache, ...)")
    discover.add_argument("--json", action="store_true", help="print one JSON array")
    discover.set_defaults(func=cmd_discover)

    allow = models_sub.add_parser("allow-pickle", help="allow (or --revoke) one model's pickle weights")
    allow.add_argument("id", help="the model id")
    allow.add_argument("--revoke", action="store_true", help="withdraw the permission")
    allow.set_defaults(func=cmd_allow_pickle)


def cmd_list(args: argparse.Namespace) -> int:
    entries = open_registry().entries()
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


def cmd_catalog(args: argparse.Namespace) -> int:
    from aigc_desktop.core.models.catalog import load_catalog
    from aigc_desktop.core.models.download_staging import is_installed, pending_downloads
    from aigc_desktop.core.models.download_state import DownloadRow, DownloadState
    from aigc_desktop.core.models.fit import check_fit, gb, probe_hardware

    registry = open_registry()
    catalog = load_catalog()
    hw = probe_hardware(registry.models_dir)
    pending = {p.model_id: p for p in pending_downloads(registry.models_dir)}
    # What the models folder says, by the window's rule; an unfinished download is "partial" in the JSON.
    json_state = {
        DownloadState.INSTALLED: "installed",
        DownloadState.PAUSED: "partial",
        DownloadState.AVAILABLE: "available",
    }
    rows = []
    for model in catalog.models:
        partial = pending.get(model.id)
        fit = check_fit(model, hw, partial.done if partial else 0)
        row = DownloadRow()
        row.sync(installed=is_installed(registry.models_dir, model), pending=partial)
        rows.append((model, fit, row.state, partial))
    if args.json:
        out = []
        for model, fit, state, partial in rows:
            item = model.to_dict()
            item.update(
                fit=fit.verdict.value,
                fit_reason=fit.reason,
                device=fit.device.value,
                state=json_state[state],
                downloaded_bytes=partial.done if partial else 0,
            )
            out.append(item)
        print(json.dumps(out, ensure_ascii=False))
        return 0
    print(hw.summary())
    width = max(len(m.id) for m in catalog.models)
    for model, fit, state, partial in rows:
        size = gb(model.download_bytes) + ("" if model.sizes_known else " (approx.)")
        note = {
            DownloadState.INSTALLED: "  [installed]",
            DownloadState.PAUSED: f"  [paused at {partial.fraction * 100:.0f}%]" if partial else "",
        }
        print(
            f"{model.id:<{width}}  {model.kind.value:<6}  {size:>16}  {fit.verdict.value:<5}  {model.licence}"
            f"{note.get(state, '')}"
        )
        print(f"{'':<{width}}  {fit.reason}")
        if model.needs_online is not None:
            print(f"{'':<{width}}  {model.needs_online.describe()}")
    return 0


class _ProgressPrinter:
    def __init__(self, out: TextIO, as_json: bool) -> None:
        self.out = out
        self.as_json = as_json
        self.last: float | None = None  # monotonic time of the last line; None: none yet (the clock starts at boot)
        self.last_message = ""

    def __call__(self, p: Any) -> None:
        now = time.monotonic()
        final = p.done >= p.total > 0 or p.message == "Installed"
        recent = self.last is not None and now - self.last < PROGRESS_EVERY_S
        if not final and p.message == self.last_message and recent:
            return
        self.last, self.last_message = now, p.message
        if self.as_json:
            line = json.dumps(
                {
                    "event": "progress",
                    "model": p.model_id,
                    "done": p.done,
                    "total": p.total,
                    "speed": None if p.speed is None else round(p.speed),
                    "eta_s": None if p.eta_s is None else round(p.eta_s, 1),
                    "file": p.file,
                    "message": p.message,
                }
            )
        else:
            line = f"{p.model_id}: {p.describe()}"
        print(line, file=self.out, flush=True)


def cmd_download(args: argparse.Namespace) -> int:
    from aigc_desktop.core.models.catalog import load_catalog
    from aigc_desktop.core.models.download_control import DownloadStopped
    from aigc_desktop.core.models.download_staging import install_dir, is_installed
    from aigc_desktop.core.models.downloads import download_model

    registry = open_registry()
    model = load_catalog().get(args.id)
    if is_installed(registry.models_dir, model):
        entry = registry.get(model.id)
        _report_done(
            args.json, entry, f"{model.name} is already installed in {install_dir(registry.models_dir, model)}."
        )
        return 0
    try:
        download_model(registry.models_dir, model, _ProgressPrinter(sys.stdout, args.json))
    except (KeyboardInterrupt, DownloadStopped):
        print(f"aigc: download of {model.id} paused; run the same command again to continue.", file=sys.stderr)
        return EXIT_INTERRUPTED
    entry = registry.get(model.id)
    _report_done(args.json, entry, f"Installed {model.name} in {entry.path}.")
    return 0


def _report_done(as_json: bool, entry: Any, message: str) -> None:
    if as_json:
        print(json.dumps({"event": "installed", "model": entry.to_dict()}, ensure_ascii=False))
    else:
        print(message)


def cmd_import(args: argparse.Namespace) -> int:
    from aigc_desktop.core.models.importer import import_model
    from aigc_desktop.core.models.safety import PICKLE_EXPLANATION

    registry = open_registry()
    entries = import_model(registry, Path(args.path), link=args.link, name=args.name)
    if args.json:
        print(json.dumps([e.to_dict() for e in entries], ensure_ascii=False))
        return 0
    how = "Linked (used where it is)" if args.link else "Copied"
    for e in entries:
        print(f"{how}: {e.id}  {e.kind.value}  {e.backend}  {e.path}")
        if e.pickle_only:
            print(f"  {e.name}: {PICKLE_EXPLANATION} Allow it with `aigc models allow-pickle {e.id}`.")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    from aigc_desktop.core.errors import ModelNotFound
    from aigc_desktop.core.models.download_staging import discard_download
    from aigc_desktop.core.models.installed import remove_model

    registry = open_registry()
    known = {e.id: e for e in registry.entries()}
    entry = known.get(args.id)
    if entry is None:
        if discard_download(registry.models_dir, args.id):
            print(f"Deleted the unfinished download of {args.id}.")
            return 0
        raise ModelNotFound(f"No installed model '{args.id}'. Installed: {', '.join(known) or 'none'}.")
    print(remove_model(registry.models_dir, entry))
    return 0


def cmd_discover(args: argparse.Namespace) -> int:
    from aigc_desktop.core.models.discover import discover
    from aigc_desktop.core.settings import Settings

    registry = open_registry()
    extra = [Path(p) for p in Settings.load(registry.paths).model_search_paths]
    found = discover(registry, extra=extra)
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "path": str(m.path),
                        "name": m.name,
                        "kind": m.kind.value,
                        "backend": m.backend,
                        "size_bytes": m.size_bytes,
                        "found_in": m.found_in,
                        "pickle_only": m.pickle_only,
                        "in_use_as": m.in_use_as or None,
                    }
                    for m in found
                ],
                ensure_ascii=False,
            )
        )
        return 0
    if not found:
        print("No models found in the usual places (Hugging Face cache, LM Studio, ComfyUI, web UI).")
        return 0
    for m in found:
        used = f"  (in use as {m.in_use_as})" if m.in_use_as else ""
        print(f"{m.found_in}: {m.name}  {m.kind.value}  {m.backend}  {m.path}{used}")
    return 0


def cmd_allow_pickle(args: argparse.Namespace) -> int:
    from aigc_desktop.core.models.safety import PICKLE_EXPLANATION, can_consent, set_pickle_consent
    from aigc_desktop.core.settings import Settings

    registry = open_registry()
    entry = registry.get(args.id)
    if not entry.pickle_only:
        raise UserError(f"{entry.id} has safetensors weights; there is nothing to allow.")
    if not can_consent(entry) and not args.revoke:
        raise UserError(
            f"{entry.id} is a {entry.kind.value} model of backend '{entry.backend}', which loads safetensors only; "
            "convert it to safetensors instead."
        )
    settings = Settings.load(registry.paths)
    set_pickle_consent(settings, entry, not args.revoke)
    settings.save(registry.paths)
    if args.revoke:
        print(f"{entry.id}: pickle weights are refused again.")
    else:
        print(f"{entry.id}: pickle weights allowed (loaded with weights_only=True). {PICKLE_EXPLANATION}")
    return 0
