"""The `aigc` command: the same specs, registry and engines as the window, with no Qt.

Every bad input ends as one line on stderr and exit code 2; never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence

from aigc_desktop import __version__
from aigc_desktop.core.errors import UserError
from aigc_desktop.core.models.registry import ModelRegistry
from aigc_desktop.paths import app_paths

EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    """argparse prints usage + error over several lines; we keep to one clear line and exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UserError(f"{self.prog}: {message}")


def _registry() -> ModelRegistry:
    return ModelRegistry(app_paths().ensure())


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


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="aigc", description="AIGC Desktop from the terminal: local models, no network.")
    parser.add_argument("--version", action="version", version=f"aigc {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    models = sub.add_parser("models", help="the models this app can use")
    models_sub = models.add_subparsers(dest="models_command", parser_class=_Parser)
    listing = models_sub.add_parser("list", help="list installed models (embedded and in the models folder)")
    listing.add_argument("--json", action="store_true", help="print one JSON array")
    listing.set_defaults(func=cmd_models_list)
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
