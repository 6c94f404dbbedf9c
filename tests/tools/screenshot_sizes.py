"""The real window as it first opens on four screens (the app's own placement, no resize by this tool): each pane
with a demo project, one screenshot per pane and screen, to look at for anything cut off or overlapping.

    .venv/bin/python tests/tools/screenshot_sizes.py OUT_DIR [--language zh_CN] [--screen 1366x768]

Runs itself under xvfb-run once per screen: 1366x768, 1280x720, 1920x1080, and 2560x1440 with QT_SCALE_FACTOR=2
(`--screen` picks one). After the panes it shows the History dock with an entry, then the crash-recovery dialog and
an error dialog. `--language` switches the interface (ui/i18n.py apply_language) once the application exists; the
file names then carry the language.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

SCREENS = [("1366x768", "1"), ("1280x720", "1"), ("1920x1080", "1"), ("2560x1440", "2")]


def child(out: Path, label: str, language: str) -> int:
    import time

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from screenshot import fill_demo

    from aigc_desktop.core.errors import UserError
    from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
    from aigc_desktop.core.paths import app_paths
    from aigc_desktop.core.project.model import HistoryEntry, HistoryStatus
    from aigc_desktop.core.project.recovery import RecoveryInfo
    from aigc_desktop.core.specs import JobKind, JobSpec
    from aigc_desktop.state.context import AppContext
    from aigc_desktop.ui.dialogs import show_error
    from aigc_desktop.ui.fonts import use_chinese_faces
    from aigc_desktop.ui.i18n import apply_language
    from aigc_desktop.ui.main_window import MainWindow
    from aigc_desktop.ui.recovery_dialog import RecoveryDialog

    app = QApplication(sys.argv[:1])
    use_chinese_faces(app)
    apply_language(language)
    ctx = AppContext.start(app_paths().ensure())
    win = MainWindow(ctx)  # placed by the app: first_geometry() on the screen's available area
    win.show()
    fill_demo(win)
    panes: list[tuple[str, object]] = [
        ("document", win.document_pane),
        ("canvas", win.canvas_pane),
        ("audio", win.audio_pane),
    ]
    report = []
    dialogs: list[object] = []

    def show_history() -> None:
        spec = JobSpec(
            kind=JobKind.IMAGE, model_id="sd-turbo", inputs={"prompt": "灯笼 on a hill"}, params={"steps": 4}
        )
        entry = HistoryEntry(spec.resolved(), HistoryStatus.FINISHED, time.time(), 12.4, summary="Lantern")
        win.session.project.history.append(entry)
        win.session.history_changed.emit()
        win.history_panel.show()
        win.history_panel.list.setCurrentRow(0)

    def show_recovery() -> None:
        win.history_panel.hide()
        info = RecoveryInfo(
            project_id="x",
            name="The Lantern Keeper",
            original_path=Path.home() / "AIGC Desktop" / "lantern.aigc",
            saved_at=time.time() - 300,
            pid=0,
            counts={"words": 412, "layers": 3, "clips": 2, "history": 5},
            copy_path=Path("x.aigc"),
            sidecar_path=Path("x.json"),
        )
        damaged = RecoveryInfo(
            project_id="y",
            name="Untitled",
            original_path=None,
            saved_at=0.0,
            pid=0,
            problem=QT_TRANSLATE_NOOP("Recovery", "it is not a project file"),
        )
        dialog = RecoveryDialog([info, damaged], win)
        dialog.show()
        dialogs.append(dialog)

    def show_an_error() -> None:
        for d in dialogs:
            d.close()  # type: ignore[attr-defined]
        why = UserError(QT_TRANSLATE_NOOP("ProjectStore", "the disk is full")).message
        show_error(win, QT_TRANSLATE_NOOP("MainWindow", "Could not save"), why, ctx.paths.log_file)

    panes += [("history", show_history), ("recovery", show_recovery), ("error", show_an_error)]

    def grab(i: int = 0) -> None:
        if i == len(panes):
            print("\n".join(report))
            win.session.dirty = False
            win.close()
            app.quit()
            return
        name, pane = panes[i]
        if callable(pane):
            pane()
        else:
            win.show_pane(pane)  # type: ignore[arg-type]

        def take() -> None:
            suffix = "" if language == "en" else f"-{language}"
            target = out / f"{label}-{name}{suffix}.png"
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
        return child(Path(sys.argv[2]), sys.argv[3], sys.argv[4])
    args = sys.argv[1:]
    language = args[args.index("--language") + 1] if "--language" in args else "en"
    only = args[args.index("--screen") + 1] if "--screen" in args else None
    out = Path(args[0] if args and not args[0].startswith("--") else "screens").resolve()
    out.mkdir(parents=True, exist_ok=True)
    for size, scale in SCREENS:
        if only is not None and size != only:
            continue
        label = size + ("@2x" if scale != "1" else "")
        env = dict(os.environ, QT_SCALE_FACTOR=scale, AIGC_DESKTOP_HOME=tempfile.mkdtemp(prefix="aigc-sizes-"))
        env.pop("QT_QPA_PLATFORM", None)
        cmd = [
            "xvfb-run",
            "-a",
            "-s",
            f"-screen 0 {size}x24",
            sys.executable,
            __file__,
            "--child",
            str(out),
            label,
            language,
        ]
        subprocess.run(cmd, env=env, check=True, timeout=180)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
