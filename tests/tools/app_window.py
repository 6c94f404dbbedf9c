"""The real main window for the screenshot tools: a real registry, queue and settings in the current AIGC home."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def open_main_window(size: tuple[int, int] = (1260, 770), pos: tuple[int, int] = (10, 10)) -> tuple[Any, Any]:
    """(QApplication, MainWindow), sized and placed but not yet shown (tools show it when their stage is set)."""
    from PySide6.QtWidgets import QApplication

    from aigc_desktop.core.paths import app_paths
    from aigc_desktop.state.context import AppContext
    from aigc_desktop.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    paths = app_paths().ensure()
    ctx = AppContext.start(paths)
    win = MainWindow(ctx)
    win.resize(*size)
    win.move(*pos)
    return app, win
