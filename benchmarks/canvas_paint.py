"""Painting latency: milliseconds per mouse-move event while a brush stroke crosses a 1024² canvas with 3 layers.

In one run: the app (event → stroke → dirty-rect repaint, offscreen), the core stroke maths alone (the floor), and a
naive whole-layer conversion + full repaint per event (what the dirty-rect path avoids). Prints medians, p95s, ratios.

    .venv/bin/python benchmarks/canvas_paint.py [--events 200] [--repeats 3]
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("AIGC_DESKTOP_HOME", tempfile.mkdtemp(prefix="aigc-bench-"))

from PIL import Image
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from aigc_desktop.core.image import canvas_ops as ops
from aigc_desktop.core.paths import app_paths
from aigc_desktop.core.project.model import Layer
from aigc_desktop.state.context import AppContext
from aigc_desktop.ui.canvas.view import premultiplied
from aigc_desktop.ui.main_window import MainWindow

SIDE = 1024
BRUSH = 40


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    app = QApplication([])
    paths = app_paths().ensure()
    ctx = AppContext.start(paths)
    window = MainWindow(ctx)
    window.resize(1280, 800)
    window.show()
    pane = window.canvas_pane
    window.tabs.setCurrentWidget(pane)
    for i in range(3):
        window.canvas_model.add_layer(
            Layer(f"L{i}", Image.new("RGBA", (SIDE, SIDE), (40 * i, 90, 160, 255 if i == 0 else 0)))
        )
    pane.fit_view()
    QTest.qWait(50)
    viewport = pane.view.viewport()
    pane.set_tool("brush")
    pane.settings.sizes["brush"] = BRUSH
    pane.settings.hardness = 0.7
    points = [(100 + 800 * t / args.events, 512 + 300 * math.sin(t / 15)) for t in range(args.events + 1)]

    def at(p: tuple[float, float]) -> QPoint:
        return pane.view.mapFromScene(QPointF(*p))

    def app_stroke() -> list[float]:
        times = []
        QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at(points[0]))
        for p in points[1:]:
            t0 = time.perf_counter()
            QTest.mouseMove(viewport, at(p))
            app.processEvents()
            times.append(time.perf_counter() - t0)
        QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at(points[-1]))
        return times

    def core_stroke() -> list[float]:
        image = Image.new("RGBA", (SIDE, SIDE), (0, 0, 0, 0))
        stroke = ops.Stroke(image, ops.StrokeMode.PAINT, BRUSH, 0.7, (0, 0, 0, 255))
        times = []
        for p in points:
            t0 = time.perf_counter()
            stroke.add(p)
            times.append(time.perf_counter() - t0)
        return times

    def naive_stroke() -> list[float]:
        layer = window.canvas_model.current_layer()
        assert layer is not None
        item = pane.scene.layer_items[layer.id]
        stroke = ops.Stroke(layer.image, ops.StrokeMode.PAINT, BRUSH, 0.7, (0, 0, 0, 255))
        times = []
        for p in points:
            t0 = time.perf_counter()
            stroke.add(p)
            item.set_image(premultiplied(layer.image))
            app.processEvents()
            times.append(time.perf_counter() - t0)
        return times

    results: dict[str, tuple[float, float]] = {}
    runs: dict[str, Callable[[], list[float]]] = {"app": app_stroke, "core": core_stroke, "naive": naive_stroke}
    for name, run in runs.items():
        flat = sorted(x for _ in range(args.repeats) for x in run())
        results[name] = (statistics.median(flat) * 1000, flat[int(len(flat) * 0.95)] * 1000)
        print(f"{name:6s} median {results[name][0]:6.2f} ms/event   p95 {results[name][1]:6.2f} ms")
    print(
        f"app / core-stroke {results['app'][0] / results['core'][0]:.2f}x; "
        f"naive full repaint / app {results['naive'][0] / results['app'][0]:.1f}x (goal: app median well under 16 ms)"
    )
    window.session.dirty = False  # the strokes are throwaway: no save prompt on close
    window.close()


if __name__ == "__main__":
    main()
