"""The finished video in the Story pane, as a handle to drag into a file manager, a chat or an editor (with its
subtitles beside it), as the other panes' artifacts are dragged out. Its text is set by the pane."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, Qt, QUrl
from PySide6.QtGui import QDrag, QMouseEvent
from PySide6.QtWidgets import QLabel, QWidget


class VideoHandle(QLabel):
    """The finished video, as a handle to drag into a file manager, a chat or an editor."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("storyVideoHandle")
        self.path: Path | None = None
        self.setFrameShape(QLabel.Shape.StyledPanel)
        self.setVisible(False)

    def show_video(self, path: Path) -> None:
        self.path = path
        self.setVisible(True)

    def mime_data(self) -> QMimeData | None:
        """The video and its .srt as file URLs (None when there is no video, or it was moved away)."""
        if self.path is None or not self.path.exists():
            return None
        data = QMimeData()
        urls = [QUrl.fromLocalFile(str(self.path))]
        srt = self.path.with_suffix(".srt")
        if srt.exists():
            urls.append(QUrl.fromLocalFile(str(srt)))
        data.setUrls(urls)
        return data

    def mousePressEvent(self, event: QMouseEvent) -> None:
        data = self.mime_data()
        if data is None:
            return
        drag = QDrag(self)
        drag.setMimeData(data)
        drag.exec(Qt.DropAction.CopyAction)
