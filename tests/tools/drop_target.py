"""A stand-in for a file manager: a small window in its own process that accepts dropped file URLs, copies each file
into a folder (as a file manager copying a dragged file does) and writes what arrived as JSON.

    .venv/bin/python tests/tools/drop_target.py OUT_DIR [--x X --y Y --width W --height H --grab-dir SHOTS]

Prints one JSON line {"x", "y", "width", "height"} (its global geometry) once it is shown. Each drop appends a record
to OUT_DIR/drops.jsonl: the URLs, the mime formats offered, the proposed action, the copied files and the size of
the pixels when image data came along too. With --grab-dir, the Nth drag to enter grabs the whole X screen into
SHOTS/drag-N.png while it is still in progress, then writes drag-N.png.done (the driver holds the button until then).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QDragEnterEvent, QDragLeaveEvent, QDragMoveEvent, QDropEvent, QGuiApplication, QImage
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

IDLE_STYLE = "QWidget#dropTarget { background: #f4f4f4; border: 2px dashed #8a8a8a; }"
HOVER_STYLE = "QWidget#dropTarget { background: #e6f4e6; border: 2px solid #3c8c3c; }"


class DropTarget(QWidget):
    def __init__(self, out_dir: Path, grab_dir: Path | None) -> None:
        super().__init__()
        self.setObjectName("dropTarget")
        self.setWindowTitle("Drop target (file manager stand-in)")
        self.setAcceptDrops(True)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setStyleSheet(IDLE_STYLE)
        self.out_dir, self.grab_dir = out_dir, grab_dir
        self.label = QLabel("Drop files here\n(a stand-in for a file manager)", self)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        self.drops = 0

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()
            self.setStyleSheet(HOVER_STYLE)
            names = ", ".join(Path(u.toLocalFile()).name for u in event.mimeData().urls())
            self.label.setText(f"Drop to copy here:\n{names}")
            shot = None if self.grab_dir is None else self.grab_dir / f"drag-{self.drops + 1}.png"
            if shot is not None and not shot.exists():
                # after a moment: the pixmap has followed the pointer and this window has repainted as hovered
                QTimer.singleShot(400, lambda: self.grab_screen(shot))

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self.setStyleSheet(IDLE_STYLE)

    @staticmethod
    def grab_screen(path: Path) -> None:
        if path.exists():
            return
        screen = QGuiApplication.primaryScreen().grabWindow(0)  # the root window: every process's windows
        path.parent.mkdir(parents=True, exist_ok=True)
        screen.save(str(path))
        path.with_name(path.name + ".done").write_text("ok")

    def dropEvent(self, event: QDropEvent) -> None:
        mime = event.mimeData()
        self.drops += 1
        folder = self.out_dir / f"drop-{self.drops}"
        folder.mkdir(parents=True, exist_ok=True)
        copied = []
        for url in mime.urls():
            if url.isLocalFile() and Path(url.toLocalFile()).is_file():
                copied.append(str(shutil.copy2(url.toLocalFile(), folder)))
        image = mime.imageData() if mime.hasImage() else None
        record = {
            "urls": [u.toString() for u in mime.urls()],
            "formats": mime.formats(),
            "action": event.proposedAction().name,
            "copied": copied,
            "image_size": [image.width(), image.height()] if isinstance(image, QImage) and not image.isNull() else None,
        }
        event.acceptProposedAction()
        with (self.out_dir / "drops.jsonl").open("a", encoding="utf-8") as f:
            f.write(json.dumps(record) + "\n")
        self.setStyleSheet(IDLE_STYLE)
        self.label.setText(f"Copied {len(copied)} file(s):\n" + "\n".join(Path(c).name for c in copied))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--x", type=int, default=1000)
    parser.add_argument("--y", type=int, default=120)
    parser.add_argument("--width", type=int, default=260)
    parser.add_argument("--height", type=int, default=320)
    parser.add_argument("--grab-dir", type=Path)
    args = parser.parse_args()
    args.out_dir.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    target = DropTarget(args.out_dir, args.grab_dir)
    target.setGeometry(args.x, args.y, args.width, args.height)
    target.show()

    def report() -> None:
        top_left = target.mapToGlobal(target.rect().topLeft())
        print(json.dumps({"x": top_left.x(), "y": top_left.y(), "width": target.width(), "height": target.height()}))
        sys.stdout.flush()

    QTimer.singleShot(300, report)
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
