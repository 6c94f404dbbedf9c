"""Screenshots of the Canvas pane in use (run under Xvfb): the real window, a sketch painted with the tools through
simulated mouse and key events, an inpaint mask and a lasso selection; then the same with the mask tool chosen.

xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python tests/tools/screenshot_canvas.py OUT_DIR
"""

from __future__ import annotations

import math
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def open_window():  # type: ignore[no-untyped-def]
    """The real main window on the Canvas pane, in a throwaway home (the caller may install models there first)."""
    os.environ.setdefault("AIGC_DESKTOP_HOME", tempfile.mkdtemp(prefix="aigc-shot-"))
    from app_window import open_main_window
    from PySide6.QtTest import QTest

    app, win = open_main_window((1280, 800), (0, 0))
    win.show()
    QTest.qWaitForWindowExposed(win)
    win.show_pane(win.canvas_pane)
    return app, win


def paint_sketch(pane) -> None:  # type: ignore[no-untyped-def]
    """A 768×512 landscape painted with the tools through simulated mouse and key events, a mask over the sky on the
    left and a lasso selection round the tree."""
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtTest import QTest

    model = pane.model
    canvas = model.canvas
    canvas.width, canvas.height = 768, 512
    model.reload()
    model.new_layer()
    model.layers[0].name = "Background"
    model.new_layer()
    model.layers[1].name = "Sketch"
    model.reload()  # the names were changed directly
    model.set_current(model.layers[0].id)
    pane.fit_view()
    QTest.qWait(100)
    vp = pane.view.viewport()

    def at(x: float, y: float) -> QPoint:
        return pane.view.mapFromScene(QPointF(x, y))

    def drag(points: list[tuple[float, float]], mods: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        QTest.mousePress(vp, Qt.MouseButton.LeftButton, mods, at(*points[0]))
        for p in points[1:]:
            QTest.mouseMove(vp, at(*p))
        QTest.mouseRelease(vp, Qt.MouseButton.LeftButton, mods, at(*points[-1]))

    def click(x: float, y: float) -> None:
        QTest.mouseClick(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at(x, y))

    # Background: sky, then a hill selected with the lasso and filled, then the sky deselected.
    pane.set_tool("fill")
    pane.set_colour((142, 196, 236, 255))
    click(300, 100)
    pane.set_tool("lasso")
    hill = (
        [(0, 330)] + [(x, 330 - 70 * math.sin(x / 768 * math.pi)) for x in range(0, 769, 24)] + [(768, 512), (0, 512)]
    )
    drag(hill)
    pane.set_tool("fill")
    pane.set_colour((96, 158, 84, 255))
    click(400, 420)
    model.deselect()

    # Sketch layer: a soft sun, a house, a tree, a path, with the brush.
    model.set_current(model.layers[1].id)
    pane.set_tool("brush")
    pane.settings.hardness = 0.2
    pane.settings.sizes["brush"] = 90
    pane.set_colour((255, 214, 90, 255))
    click(640, 90)
    pane.settings.hardness = 0.9
    pane.settings.sizes["brush"] = 6
    pane.set_colour((70, 50, 40, 255))
    drag([(180, 360), (180, 270), (250, 220), (320, 270), (320, 360), (180, 360)])  # house outline
    drag([(180, 270), (320, 270)])
    drag([(232, 360), (232, 310), (266, 310), (266, 360)])  # door
    pane.settings.sizes["brush"] = 14
    drag([(520, 380), (522, 320), (520, 270)])  # trunk
    pane.settings.sizes["brush"] = 46
    pane.settings.hardness = 0.5
    pane.set_colour((52, 120, 60, 255))
    drag([(488, 262), (520, 228), (552, 262), (520, 290), (488, 262)])
    pane.settings.sizes["brush"] = 20
    pane.set_colour((190, 160, 110, 255))
    drag([(250, 362), (300, 420), (380, 470), (470, 512)])

    pane.set_tool("text")
    pane.settings.font_size = 40
    pane.set_colour((40, 40, 60, 255))
    click(24, 22)
    QTest.keyClicks(pane.view, "Lantern Hill")
    QTest.keyClick(pane.view, Qt.Key.Key_Return)

    # The inpaint mask over the sky on the left, and a lasso selection round the tree.
    pane.set_tool("mask")
    pane.settings.sizes["mask"] = 70
    drag([(80, 150), (160, 120), (260, 140), (330, 120)])
    pane.set_tool("lasso")
    drag([(460, 200), (590, 200), (600, 400), (450, 400), (460, 200)])
    pane.set_tool("brush")


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "screens")
    out.mkdir(parents=True, exist_ok=True)
    from PySide6.QtCore import QPointF
    from PySide6.QtTest import QTest

    app, win = open_window()
    pane = win.canvas_pane
    paint_sketch(pane)
    vp = pane.view.viewport()
    pane.set_tool("brush")
    QTest.mouseMove(vp, pane.view.mapFromScene(QPointF(420, 180)))  # the brush outline shows where it would paint
    QTest.qWait(300)

    path = out / "canvas.png"
    app.primaryScreen().grabWindow(0).save(str(path))
    print(path)
    pane.set_tool("mask")  # the mask tool's own options: its size, add/remove, clear, invert
    QTest.mouseMove(vp, pane.view.mapFromScene(QPointF(420, 180)))
    QTest.qWait(300)
    path = out / "canvas_mask_tool.png"
    app.primaryScreen().grabWindow(0).save(str(path))
    print(path)
    win.session.dirty = False
    win.close()
    win.ctx.queue.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
