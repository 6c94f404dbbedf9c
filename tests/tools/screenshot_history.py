"""Screenshot of the History dock after a few generations, with the fake engines the tests use.

Run under Xvfb:

xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python tests/tools/screenshot_history.py /tmp/history-panel.png
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


from app_window import open_main_window  # noqa: E402  (needs the sys.path line above)


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/history-panel.png")
    os.environ.setdefault("AIGC_DESKTOP_HOME", tempfile.mkdtemp(prefix="aigc-shot-"))
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtGui import QTextCursor

    from aigc_desktop.core.engines import base
    from aigc_desktop.core.paths import app_paths
    from aigc_desktop.core.specs import ModelKind

    # Fake engines: the picture is about the dock, not about the models (tests/tools/screenshot_generate.py runs those).
    base.ENGINE_CLASSES[(ModelKind.TEXT, "llama.cpp")] = "fakes:FakeTextEngine"
    base.ENGINE_CLASSES[(ModelKind.SPEECH, "piper")] = "fakes:FakeSpeechEngine"
    app_paths().ensure()
    app, win = open_main_window((1260, 770), (10, 10))
    queue = win.ctx.queue
    win.show()
    win.action_history.trigger()
    win.resize(1260, 770)
    win.resizeDocks([win.history_panel], [400], Qt.Orientation.Horizontal)
    doc, audio = win.document_pane, win.audio_pane

    def idle() -> bool:
        return queue.idle() and not win.audio_model.running

    def write() -> None:
        doc.editor.setPlainText("The lighthouse keeper opened the door and")
        doc.editor.moveCursor(QTextCursor.MoveOperation.End)
        doc.continue_writing()

    def narrate() -> None:
        audio.speech.text.setPlainText("The lighthouse keeper opened the door. The sea was calm.")
        audio.speech.seed.setText("11")
        audio.generate_speech()

    def regenerate() -> None:
        win.history_panel.list.setCurrentRow(1)
        win.history_panel.regenerate_selected()

    def show() -> None:
        win.show_pane(doc)
        win.history_panel.list.setCurrentRow(2)

    steps: list[Callable[[], None]] = [write, narrate, doc.generate_variants, regenerate, show]

    def tick() -> None:
        if not idle():
            return
        if steps:
            steps.pop(0)()
            return
        timer.stop()
        QTimer.singleShot(400, finish)

    def finish() -> None:
        app.primaryScreen().grabWindow(0).save(str(out))
        print(out, flush=True)
        win.session.dirty = False
        win.close()
        queue.shutdown()
        app.quit()

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(200)
    QTimer.singleShot(60_000, app.quit)
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
