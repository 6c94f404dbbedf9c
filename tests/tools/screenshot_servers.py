"""Screenshots of Settings ▸ Servers with two servers (one tested: its models listed; one whose test failed: why),
and of the Document pane's model selector open with the server's models grouped under its name (run under Xvfb).

xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python tests/tools/screenshot_servers.py OUT_DIR [zh_CN|en]

The servers are stub servers on 127.0.0.1 (tests/server_stubs.py). In Chinese the window needs the compiled
catalogue of the checkout it runs from. Writes OUT_DIR/servers-<lang>-<shot>.png.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS.parent))
sys.path.insert(0, str(TESTS))

from app_window import open_main_window  # noqa: E402
from server_stubs import Stub, models_route  # noqa: E402

MODELS = ("qwen2.5-7b-instruct-q4_k_m.gguf", "llama-3.1-8b-instruct", "mistral-7b-v0.3-base")


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "screens")
    language = sys.argv[2] if len(sys.argv) > 2 else "en"
    out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("AIGC_DESKTOP_HOME", tempfile.mkdtemp(prefix="aigc-shot-"))
    from PySide6.QtCore import QTimer

    app, win = open_main_window((1366, 740), (0, 0))
    from aigc_desktop.core.servers.config import ServerConfig, ServerKind
    from aigc_desktop.ui.i18n import apply_language
    from aigc_desktop.ui.servers_dialog import ServersDialog

    if language != "en" and not apply_language(language):
        print(f"no compiled catalogue for {language}: the texts stay English", file=sys.stderr)
    box = Stub().start()
    box.route("GET", "/v1/models", models_route("llamacpp", MODELS))
    gone = Stub().start()
    gone_url = gone.url
    gone.close()  # nothing listens there any more: its test is refused
    servers = win.ctx.servers
    servers.save(ServerConfig("GPU box", ServerKind.TEXT, box.url), "sk-demo-key")
    servers.save(ServerConfig("Studio PC", ServerKind.TEXT, gone_url), None)
    win.show()
    win.show_pane(win.document_pane)
    win.document_pane.editor.setPlainText("The lighthouse keeper climbed the stairs one last time.")
    dialog = win.open_servers_dialog()
    assert isinstance(dialog, ServersDialog)
    dialog.move(190, 90)
    selector = win.document_pane.model_selector
    steps: list[tuple[str, object]] = [("test", "GPU box"), ("test", "Studio PC"), ("shot", "dialog-failed")]
    steps += [("select", "GPU box"), ("shot", "dialog-tested"), ("close", None), ("popup", None), ("shot", "models")]

    def step(i: int = 0) -> None:
        if i == len(steps):
            selector.hidePopup()
            win.session.dirty = False
            win.close()
            app.quit()
            return
        what, arg = steps[i]
        if what == "test":
            dialog.select(str(arg))
            dialog.form.test_button.click()
            call = dialog.form.call
            assert call is not None
            call.done.connect(lambda: QTimer.singleShot(200, lambda: step(i + 1)))
            return
        if what == "select":
            dialog.select(str(arg))
        elif what == "close":
            dialog.close()
        elif what == "popup":
            selector.showPopup()
        elif what == "shot":

            def take() -> None:
                path = out / f"servers-{language}-{arg}.png"
                app.primaryScreen().grabWindow(0).save(str(path))
                print(path)
                step(i + 1)

            QTimer.singleShot(500, take)
            return
        QTimer.singleShot(300, lambda: step(i + 1))

    QTimer.singleShot(600, step)
    app.exec()
    win.ctx.queue.shutdown()
    box.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
