"""Screenshots of "Train on my images" while a real DCGAN trains on 200 generated pictures (run under Xvfb):

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python tests/tools/screenshot_train.py OUT_DIR [EPOCHS] \
        [--language zh_CN]

train-running.png: the dialog three quarters through (live samples, loss curves, speed, ETA) over the window.
train-paused.png: the same run paused. train-done.png: after the run, with the model listed in the Canvas selector.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


from app_window import open_main_window  # noqa: E402  (needs the sys.path line above)


def main() -> int:
    args = sys.argv[1:]
    language = ""
    if "--language" in args:  # the interface language of the shots (the app's View > Language)
        at = args.index("--language")
        language = args[at + 1]
        del args[at : at + 2]
    out = Path(args[0] if args else "screens")
    epochs = int(args[1]) if len(args) > 1 else 60
    out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("AIGC_DESKTOP_HOME", tempfile.mkdtemp(prefix="aigc-shot-"))
    import train_images
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from aigc_desktop.core.paths import app_paths

    app_paths().ensure()
    pictures = train_images.write_shapes(Path(tempfile.mkdtemp(prefix="aigc-shapes-")) / "my shapes", 200, seed=1)
    if language:
        from aigc_desktop.ui.i18n import apply_language

        QApplication.instance() or QApplication(sys.argv[:1])
        print(f"language {language}: catalogue found: {apply_language(language)}", flush=True)
    app, win = open_main_window((1260, 740), (10, 10))
    queue = win.ctx.queue
    win.show()
    win.show_pane(win.canvas_pane)
    dialog = win.open_train_dialog()
    dialog.move(150, 40)
    dialog.set_folder(pictures)
    dialog.epochs_spin.setValue(epochs)
    dialog.name_edit.setText("shapes")

    def shot(name: str) -> None:
        app.primaryScreen().grabWindow(0).save(str(out / f"{name}.png"))
        print(out / f"{name}.png", flush=True)

    state = {"stage": "start"}

    def tick() -> None:
        stage = state["stage"]
        progress = dialog.last_progress
        if stage == "start":
            dialog.start()
            state["stage"] = "running"
        elif stage == "running" and progress is not None and progress.epoch > epochs * 3 // 4 and dialog.saved_epoch:
            shot("train-running")
            dialog.pause()
            state["stage"] = "pausing"
        elif stage == "pausing":
            QTimer.singleShot(800, lambda: (shot("train-paused"), dialog.resume()))
            state["stage"] = "resumed"
        elif stage == "resumed" and dialog.job is None:
            dialog.move(300, 110)  # out of the way of the Canvas model selector, opened to show the new model
            win.canvas_pane.model_selector.showPopup()
            QTimer.singleShot(500, lambda: (shot("train-done"), app.quit()))
            state["stage"] = "done"

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(200)
    QTimer.singleShot(20 * 60 * 1000, app.quit)  # never hang a CI machine
    app.exec()
    queue.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
