"""The real main window for the screenshot tools: a real registry, queue and settings in the current AIGC home."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def open_main_window(size: tuple[int, int] = (1260, 770), pos: tuple[int, int] = (10, 10)) -> tuple[Any, Any]:
    """(QApplication, MainWindow), sized and placed but not yet shown (tools show it when their stage is set)."""
    from PySide6.QtWidgets import QApplication

    from aigc_desktop.core.engines.host import EngineHost
    from aigc_desktop.core.models.registry import ModelRegistry
    from aigc_desktop.core.paths import app_paths
    from aigc_desktop.core.settings import Settings
    from aigc_desktop.ui.context import AppContext
    from aigc_desktop.ui.main_window import MainWindow
    from aigc_desktop.workers.queue import JobQueue

    app = QApplication.instance() or QApplication(sys.argv[:1])
    paths = app_paths().ensure()
    registry = ModelRegistry(paths)
    queue = JobQueue(lambda lane: EngineHost(registry))
    win = MainWindow(AppContext(paths, Settings.load(paths), registry, queue))
    win.resize(*size)
    win.move(*pos)
    return app, win
