"""The Models window under test: an app context in the per-test home and windows opened on a laptop-sized machine
(conftest.py makes these fixtures available to every test)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from aigc_desktop.core.models.fit import GIB, Hardware
from aigc_desktop.core.paths import AppPaths
from aigc_desktop.state.context import AppContext
from aigc_desktop.ui.models_window import ModelsWindow

LAPTOP = Hardware(ram_total=8 * GIB, ram_available=6 * GIB, disk_free=200 * GIB)


@pytest.fixture
def ctx(paths: AppPaths) -> Iterator[AppContext]:
    ctx = AppContext.start(paths)
    yield ctx
    ctx.queue.shutdown()


@pytest.fixture
def open_window(qtbot: Any, ctx: AppContext, tmp_path: Path) -> Iterator[Callable[[], ModelsWindow]]:
    opened: list[ModelsWindow] = []

    def make() -> ModelsWindow:
        window = ModelsWindow(ctx, hardware=LAPTOP, home=tmp_path / "home")
        qtbot.addWidget(window)
        opened.append(window)
        return window

    yield make
    for window in opened:
        window.tasks.shutdown()
