"""A tab's page that builds its pane when first needed.

The window paints with the Document pane only; the Canvas and Audio panes (and what they import: numpy, PIL, their
models) are built right after the first paint, one per event-loop turn, or at once when something asks for them
(the user picks the tab, History replays an image, a test reads `window.canvas_pane`). A pane built late shows the
session's current project: its model loads it on construction.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from aigc_desktop.ui.pane import Pane


class PanePage(QWidget):
    built = Signal(object)  # the Pane, once

    def __init__(self, build: Callable[[], Pane], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._build = build
        self._pane: Pane | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

    @property
    def is_built(self) -> bool:
        return self._pane is not None

    def pane(self) -> Pane:
        """The page's pane, built now if it was not yet."""
        if self._pane is None:
            pane = self._build()
            self._pane = pane
            layout = self.layout()
            assert layout is not None
            layout.addWidget(pane)
            self.built.emit(pane)
        return self._pane
