"""The Audio pane narrating over a speech server's voice (run under Xvfb): Piper's own HTTP server is started for
real on 127.0.0.1 with the embedded joe voice, added and tested as "gpu-box", and its voice chosen in the pane's
model selector; shots of the selector's list open (the server's voices under its name), and of the clip the
narration made over the server.

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python tests/tools/screenshot_speech_server.py OUT_DIR [zh_CN|en]

The language needs its .qm built (`python installer/translations.py release`); without it the texts stay English.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

TEXT = "The lantern swayed in the wind. She lit it, and the street woke up."


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "screens")
    language = sys.argv[2] if len(sys.argv) > 2 else "zh_CN"
    out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("AIGC_DESKTOP_HOME", tempfile.mkdtemp(prefix="aigc-shot-"))
    from piper_server import JOE_VOICE, piper_server
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from aigc_desktop.core.paths import app_paths
    from aigc_desktop.core.servers.config import ServerConfig, ServerKind, ServerStore
    from aigc_desktop.core.servers.entries import model_id
    from aigc_desktop.core.servers.probing import probe
    from aigc_desktop.state.context import AppContext
    from aigc_desktop.ui.i18n import apply_language
    from aigc_desktop.ui.main_window import MainWindow

    paths = app_paths().ensure()
    with piper_server(Path(tempfile.mkdtemp(prefix="piper-shot-")) / "server.log") as server:
        store = ServerStore(paths)
        store.add(ServerConfig("gpu-box", ServerKind.SPEECH, server.url))
        store.update(probe(store.get("gpu-box"), None).server)
        app = QApplication(sys.argv[:1])
        print("translation found:", apply_language(language))
        ctx = AppContext.start(paths)
        win = MainWindow(ctx)
        win.show()
        pane = win.audio_pane
        selector = pane.model_selector

        def choose() -> None:
            win.show_pane(pane)
            pane.refresh_models()
            index = selector.findData(model_id("gpu-box", JOE_VOICE))
            assert index >= 0, "the server's voice is not in the selector"
            selector.setCurrentIndex(index)
            selector.activated.emit(index)
            pane.speech.text.setPlainText(TEXT)
            pane.speech.play_while.setChecked(False)
            selector.showPopup()

        def narrate() -> None:
            selector.hidePopup()
            pane.generate_speech()

        def take(name: str) -> None:
            target = out / f"{language}-{name}.png"
            app.primaryScreen().grabWindow(0).save(str(target))
            print(target)

        def when_done() -> None:
            if not ctx.queue.idle() or win.audio_model.running:
                QTimer.singleShot(200, when_done)
                return
            QTimer.singleShot(500, lambda: (take("speech-server-narrated"), finish()))

        def finish() -> None:
            win.session.dirty = False
            win.close()
            app.quit()

        QTimer.singleShot(600, choose)
        QTimer.singleShot(1400, lambda: (take("speech-server-voices"), narrate(), when_done()))
        app.exec()
        ctx.queue.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
