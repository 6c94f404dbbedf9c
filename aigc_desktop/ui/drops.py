"""Files dropped in from a file manager (or another app) onto a pane."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData


def local_files(mime: QMimeData) -> list[Path]:
    """The dropped local files, in order; links to web pages and the like are left out."""
    return [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]
