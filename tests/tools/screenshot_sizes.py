"""The real window as it first opens on four screens (the app's own placement, no resize by this tool): each pane
with a demo project, one screenshot per pane and screen, to look at for anything cut off or overlapping.

    .venv/bin/python tests/tools/screenshot_sizes.py OUT_DIR

Runs itself under xvfb-run once per screen: 1366x768, 1280x720, 1920x1080, and 2560x1440 with QT_SCALE_FACTOR=2.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

SCREENS = [("1366x768", "1"), ("1280x720", "1"), ("1920x1080", "1"), ("2560x1440", "2")]


def child(out: Path, label: str) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from screenshot import fill_demo

    from aigc_desktop.core.paths import app_paths
    from aigc_desktop.state.context import AppContext
    from aigc_desktop.ui.main_window import MainWindow

    app = QApplication(sys.argv[:1])
    ctx = AppContext.start(app_paths().ensure())
    win = MainWindow(ctx)  # placed by the app: first_geometry() on the screen's available area
    win.show()
    fill_demo(win)
    panes = [("document", win.document_pane), ("canvas", win.canvas_pane), ("audio", win.audio_pane)]
    report = []

    def grab(i: int = 0) -> None:
        if i == len(panes):
            print("\n".join(report))
            win.session.dirty = False
            win.close()
            app.quit()
            return
        name, pane = panes[i]
        win.show_pane(pane)

        def take() -> None:
            target = out / f"{label}-{name}.png"
            app.primaryScreen().grabWindow(0).save(str(target))
            g, screen = win.frameGeometry(), app.primaryScreen().availableGeometry()
            bar = win.statusBar().geometry()
            report.append(
                f"{target}: window {g.width()}x{g.height()}+{g.x()}+{g.y()} on {screen.width()}x{screen.height()}"
                f" (logical), inside={screen.contains(g)}, status bar visible={win.statusBar().isVisible()}"
                f" at y={bar.y()}..{bar.bottom()} of {win.height()}"
            )
            grab(i + 1)

        QTimer.singleShot(500, take)

    QTimer.singleShot(800, grab)
    app.exec()
    ctx.queue.shutdown()
    return 0


def main() -> int:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        return child(Path(sys.argv[2]), sys.argv[3])
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "screens").resolve()
    out.mkdir(parents=True, exist_ok=True)
    for size, scale in SCREENS:
        label = size + ("@2x" if scale != "1" else "")
        env = dict(os.environ, QT_SCALE_FACTOR=scale, AIGC_DESKTOP_HOME=tempfile.mkdtemp(prefix="aigc-sizes-"))
        env.pop("QT_QPA_PLATFORM", None)
        cmd = ["xvfb-run", "-a", "-s", f"-screen 0 {size}x24", sys.executable, __file__, "--child", str(out), label]
        subprocess.run(cmd, env=env, check=True, timeout=180)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
