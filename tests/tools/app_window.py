"""What the screenshot tools share: their command line (OUT_DIR and `--flag value` options), a fresh AIGC home, the
real main window (a real registry, queue and settings in that home) and grabbing the screen into OUT_DIR."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def tool_args(*flags: str) -> tuple[Path, dict[str, str], list[str]]:
    """(OUT_DIR, {flag: value}, the other arguments) from the command line: each of `flags` ("--language") is taken
    out with its value wherever it stands; OUT_DIR is the first argument left ("screens" when none) and is created.
    Sets AIGC_DESKTOP_HOME to a fresh folder unless it is set, so a tool never touches the user's models or settings."""
    args = sys.argv[1:]
    options: dict[str, str] = {}
    for flag in flags:
        if flag in args:
            at = args.index(flag)
            options[flag] = args[at + 1]
            del args[at : at + 2]
    out = Path(args[0] if args else "screens")
    out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("AIGC_DESKTOP_HOME", tempfile.mkdtemp(prefix="aigc-shot-"))
    return out, options, args[1:]


def open_main_window(
    size: tuple[int, int] | None = (1260, 770), pos: tuple[int, int] | None = (10, 10), language: str = ""
) -> tuple[Any, Any]:
    """(QApplication, MainWindow), not yet shown (tools show it when their stage is set). `language` is applied before
    the window is built; `size`/`pos` None leave the window where the app itself places it."""
    from PySide6.QtWidgets import QApplication

    from aigc_desktop.core.paths import app_paths
    from aigc_desktop.state.context import AppContext
    from aigc_desktop.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    if language:
        from aigc_desktop.ui.i18n import apply_language

        print(f"language {language}: catalogue found: {apply_language(language)}", flush=True)
    paths = app_paths().ensure()
    ctx = AppContext.start(paths)
    win = MainWindow(ctx)
    if size is not None:
        win.resize(*size)
    if pos is not None:
        win.move(*pos)
    return app, win


def grab_screen(out: Path, name: str, settle: bool = False) -> Path:
    """The whole screen saved as OUT_DIR/name.png (its path printed). `settle`: let a window just shown be mapped and
    painted first (a busy machine needs a moment)."""
    from PySide6.QtGui import QGuiApplication

    for _ in range(20 if settle else 0):
        QGuiApplication.processEvents()
        time.sleep(0.03)
    path = out / f"{name}.png"
    QGuiApplication.primaryScreen().grabWindow(0).save(str(path))
    print(path, flush=True)
    return path
