"""Screenshots of the real window while it generates with real models (run under Xvfb):

    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python tests/tools/screenshot_generate.py OUT_DIR

Document: the embedded Gemma continues a paragraph (streamed at the cursor), then the Title action fills Results.
Audio: the embedded Piper voice narrates a paragraph, a tiny random MusicGen (built like the tests build it) makes a
clip, which is trimmed. Each stage is grabbed from the screen as a PNG.
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
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "screens")
    out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("AIGC_DESKTOP_HOME", tempfile.mkdtemp(prefix="aigc-shot-"))
    import tiny_music
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QTextCursor

    from aigc_desktop.core.paths import app_paths

    paths = app_paths().ensure()
    tiny_music.save_music_model(paths.models_dir / "tiny-musicgen")
    app, win = open_main_window((1260, 760), (10, 10))
    queue = win.ctx.queue
    win.show()
    doc, audio = win.document_pane, win.audio_pane

    def shot(name: str) -> None:
        app.processEvents()  # paint what the step just changed (the selection) before grabbing the screen
        app.primaryScreen().grabWindow(0).save(str(out / f"{name}.png"))
        print(out / f"{name}.png", flush=True)

    steps: list[Callable[[], bool]] = []  # each returns True when it may move on

    def when_idle(action: Callable[[], None]) -> Callable[[], bool]:
        def step() -> bool:
            if not queue.idle() or win.audio_model.running:
                return False
            action()
            return True

        return step

    def write() -> None:
        win.show_pane(doc)
        doc.editor.setHtml(
            "<h1>The Lantern Keeper</h1><p>On the last night of autumn, Mei climbed the hill with her grandfather's "
            "lantern. Nobody in the village remembered why it had to be lit, but every year someone did. This year"
        )
        doc.editor.moveCursor(QTextCursor.MoveOperation.End)
        doc.controls.seed.setText("42")
        doc.controls.max_new_tokens.setValue(60)
        doc.continue_writing()

    def mid_stream() -> bool:
        if len(doc.editor.toPlainText()) > 260:
            shot("document-streaming")
            return True
        return False

    def title() -> None:
        shot("document-continued")
        doc.action_box.setCurrentIndex(1)
        doc.run_action()

    def narrate() -> None:
        doc.side.setCurrentIndex(2)
        shot("document-titles")
        win.show_pane(audio)
        audio.speech.text.setPlainText(
            "On the last night of autumn, Mei climbed the hill with her grandfather's lantern. "
            "Nobody in the village remembered why it had to be lit. But every year, someone did."
        )
        audio.generate_speech()

    def music() -> None:
        audio.side.setCurrentIndex(1)
        audio.music.prompt.setPlainText("calm piano with soft rain")
        audio.music.duration.setValue(3.0)
        audio.music.seed.setText("1")
        audio.generate_music()

    def trim() -> None:
        audio.clip_list.setCurrentRow(0)
        audio.waveform.set_selection(0.5, audio.waveform.duration_s - 1.0)
        shot("audio-selection")
        audio.trim_to_selection()
        audio.clip_list.setCurrentRow(0)

    def finish() -> None:
        shot("audio-trimmed")
        win.session.dirty = False
        win.close()
        app.quit()

    steps += [
        when_idle(write),
        mid_stream,
        when_idle(title),
        when_idle(narrate),
        when_idle(music),
        when_idle(trim),
        when_idle(finish),
    ]

    def pump() -> None:
        if steps and steps[0]():
            steps.pop(0)
        if steps:
            QTimer.singleShot(100, pump)

    QTimer.singleShot(800, pump)
    QTimer.singleShot(240_000, app.quit)  # never hang a screenshot run
    app.exec()
    queue.shutdown()
    return 0 if not steps else 1


if __name__ == "__main__":
    raise SystemExit(main())
