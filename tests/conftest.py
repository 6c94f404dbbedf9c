"""Every test gets its own AIGC_DESKTOP_HOME, so nothing touches the real user folders or leaks between tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from aigc_desktop.core.models.registry import ModelRegistry
from aigc_desktop.core.runner import EngineHost
from aigc_desktop.paths import HOME_ENV, AppPaths, app_paths

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def aigc_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "aigc-home"
    monkeypatch.setenv(HOME_ENV, str(home))
    return home


@pytest.fixture
def paths(aigc_home: Path) -> AppPaths:
    return app_paths().ensure()


@pytest.fixture
def window(qtbot, paths: AppPaths) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """The real main window with a real registry and queue, in the per-test home."""
    from aigc_desktop.settings import Settings
    from aigc_desktop.ui.context import AppContext
    from aigc_desktop.ui.main_window import MainWindow
    from aigc_desktop.workers.queue import JobQueue

    registry = ModelRegistry(paths)
    queue = JobQueue(lambda lane: EngineHost(registry.get, registry.materialize))
    ctx = AppContext(paths=paths, settings=Settings.load(paths), registry=registry, queue=queue)
    win = MainWindow(ctx)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.dirty = False  # no save prompt on teardown
    win.close()
    win.deleteLater()
    queue.shutdown()
