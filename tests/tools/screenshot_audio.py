"""The Audio pane in a chosen interface language, as the app places its window (run under Xvfb): clips with the
Speech tab holding Chinese text, the Music tab, no clips at all, and a refusal dialog.

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python tests/tools/screenshot_audio.py OUT_DIR [zh_CN|en]

The language needs its .qm built (`python installer/translations.py release`); without it the texts stay English.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

CHINESE_TEXT = "灯笼在风中摇晃。她想起了祖父说过的话：“光不是为了看见，而是为了被看见。”然后她点亮了灯。"


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "screens")
    language = sys.argv[2] if len(sys.argv) > 2 else "zh_CN"
    out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("AIGC_DESKTOP_HOME", tempfile.mkdtemp(prefix="aigc-shot-"))
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from aigc_desktop.core.paths import app_paths
    from aigc_desktop.core.project.model import Clip
    from aigc_desktop.state.context import AppContext
    from aigc_desktop.ui.i18n import apply_language
    from aigc_desktop.ui.main_window import MainWindow

    app = QApplication(sys.argv[:1])
    print("translation found:", apply_language(language))
    ctx = AppContext.start(app_paths().ensure())
    win = MainWindow(ctx)  # placed by the app on the screen's available area
    win.show()
    pane = win.audio_pane
    rate = 22050
    t = np.linspace(0, 3, 3 * rate, dtype=np.float32)
    voice = (0.5 * np.sin(2 * np.pi * 3 * t) * np.sin(2 * np.pi * 220 * t) * np.exp(-0.3 * t)).astype(np.float32)
    noise = 0.2 * np.random.default_rng(0).standard_normal(2 * rate).astype(np.float32)

    def clips() -> None:
        win.show_pane(pane)
        pane.model.add_clip(Clip("灯笼 第一段", voice, rate))
        pane.model.add_clip(Clip("Wind ambience", noise, rate))
        pane.model.set_current(pane.model.clips[0].id)
        pane.waveform.set_selection(0.6, 1.8)
        pane.speech.text.setPlainText(CHINESE_TEXT)
        pane.side.setCurrentWidget(pane.speech)

    def music() -> None:
        pane.side.setCurrentWidget(pane.music)
        pane.music.prompt.setPlainText("安静的钢琴曲，伴着细雨声")

    def empty() -> None:
        for clip in list(pane.model.clips):
            pane.model.delete_clip(clip)
        pane.side.setCurrentWidget(pane.speech)
        pane.speech.text.setPlainText("")

    def refusal() -> None:
        pane.generate_speech()  # no text: the refusal dialog

    stages = [("audio-clips", clips), ("audio-music", music), ("audio-empty", empty), ("audio-refusal", refusal)]

    def step(i: int = 0) -> None:
        if i == len(stages):
            win.session.dirty = False
            win.close()
            app.quit()
            return
        name, stage = stages[i]
        stage()

        def take() -> None:
            target = out / f"{language}-{name}.png"
            app.primaryScreen().grabWindow(0).save(str(target))
            print(target)
            step(i + 1)

        QTimer.singleShot(500, take)

    QTimer.singleShot(600, step)
    app.exec()
    ctx.queue.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
