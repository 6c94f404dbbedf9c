"""The `aigc` command: the same specs, registry and engines as the window, with no Qt.

Every bad input ends as one line on stderr and exit code 2; never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from aigc_desktop import __version__
from aigc_desktop.cli import image, learn_style, models, music, project, servers, speak, story, train, write
from aigc_desktop.cli.common import EXIT_BAD_INPUT, EXIT_INTERRUPTED, Parser
from aigc_desktop.core.errors import UserError


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="aigc", description="AIGC Desktop from the terminal: local models, or servers you add.")
    parser.add_argument("--version", action="version", version=f"aigc {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=Parser)
    for group in (models, write, speak, music, train, learn_style, image, project, servers, story):
        group.register(sub)
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
        return EXIT_INTERRUPTED
