"""Screenshots of the real window (run under Xvfb): fills a demo project, shows each pane, grabs the screen.

xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python tests/tools/screenshot.py OUT_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


from app_window import grab_screen, open_main_window, tool_args


def fill_demo(win: Any) -> None:
    """A short story, three layers and two clips, as a user's project might hold."""
    from aigc_desktop.core.project.model import Clip, Layer

    win.document_pane.editor.setHtml(
        "<h1>The Lantern Keeper</h1><p>On the last night of autumn, Mei climbed the hill with her grandfather's "
        "lantern. <b>Nobody in the village</b> remembered why it had to be lit.</p>"
        "<p>灯笼在风中摇晃，她想起了祖父说过的话：<i>光不是为了看见，而是为了被看见。</i></p>"
    )
    canvas = win.session.project.canvas
    canvas.width, canvas.height = 512, 384
    win.canvas_model.reload()
    sky = Image.new("RGBA", (512, 384), (40, 60, 120, 255))
    d = ImageDraw.Draw(sky)
    for i in range(0, 384, 4):
        d.rectangle([0, i, 512, i + 4], fill=(40 + i // 4, 60 + i // 6, 120 + i // 5, 255))
    hill = Image.new("RGBA", (512, 384), (0, 0, 0, 0))
    ImageDraw.Draw(hill).ellipse([-100, 250, 612, 600], fill=(30, 70, 40, 255))
    lantern = Image.new("RGBA", (512, 384), (0, 0, 0, 0))
    ImageDraw.Draw(lantern).ellipse([300, 180, 340, 230], fill=(255, 190, 60, 230))
    for name, img in (("Sky", sky), ("Hill", hill), ("Lantern", lantern)):
        win.canvas_model.add_layer(Layer(name, img))
    t = np.linspace(0, 3, 3 * 22050, dtype=np.float32)
    tone = (0.5 * np.sin(2 * np.pi * 3 * t) * np.sin(2 * np.pi * 220 * t) * np.exp(-0.3 * t)).astype(np.float32)
    win.audio_model.add_clip(Clip("Narration take 1", tone, 22050))
    win.audio_model.add_clip(
        Clip("Wind ambience", 0.2 * np.random.default_rng(0).standard_normal(44100).astype(np.float32), 22050)
    )


def main() -> int:
    out, _, _ = tool_args()
    from PySide6.QtCore import QTimer

    app, win = open_main_window((1260, 760), (10, 10))
    queue = win.ctx.queue
    fill_demo(win)
    win.show()

    shots = [("document", win.document_pane), ("canvas", win.canvas_pane), ("audio", win.audio_pane)]

    def grab(i: int = 0) -> None:
        if i == len(shots):
            win.session.dirty = False
            win.close()
            app.quit()
            return
        name, pane = shots[i]
        win.show_pane(pane)
        if name == "canvas":
            win.canvas_pane.fit_view()

        def take() -> None:
            grab_screen(out, name)
            grab(i + 1)

        QTimer.singleShot(400, take)

    QTimer.singleShot(600, grab)
    app.exec()
    queue.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
