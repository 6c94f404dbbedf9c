"""Start the GUI: paths, logging, fonts, the interface language, the crash dialog, the window. `--smoke` paints once
offscreen and reports timing, the language and the first tab's title."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
import traceback
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from aigc_desktop.ui.main_window import MainWindow

HEAVY_MODULES = ("torch", "transformers", "diffusers", "llama_cpp", "piper", "onnxruntime")
# What the first paint does without (the Canvas and Audio panes import them after it): start-up near a bare window.
NOT_BEFORE_PAINT = ("numpy", "PIL", "sounddevice", "filelock", "urllib.request", *HEAVY_MODULES)


def process_age_ms() -> float:
    """Milliseconds since this process was created (Linux /proc), so start-up counts interpreter start too."""
    try:
        stat = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        start_ticks = int(stat[19])  # field 22 (starttime), counted after the ')' that ends the command name
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return (uptime - start_ticks / os.sysconf("SC_CLK_TCK")) * 1000.0
    except (OSError, ValueError, IndexError):
        return (time.perf_counter() - _T0) * 1000.0


_T0 = time.perf_counter()


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="aigc-desktop", description="AIGC Desktop")
    parser.add_argument("project", nargs="?", type=Path, help="a project file to open")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="open the window offscreen, wait until it has painted, print one JSON line, exit",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.smoke:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from aigc_desktop.core.paths import app_paths
    from aigc_desktop.logging_setup import setup_logging
    from aigc_desktop.state.context import AppContext
    from aigc_desktop.ui.fonts import use_chinese_faces
    from aigc_desktop.ui.i18n import apply_language, resolve
    from aigc_desktop.ui.main_window import MainWindow

    paths = app_paths().ensure()
    log_file = setup_logging(paths)
    log = logging.getLogger("aigc_desktop")
    log.info("starting AIGC Desktop (pid %d)", os.getpid())

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("AIGC Desktop")
    app.setOrganizationName("aigc-desktop")
    app.setDesktopFileName("aigc-desktop")
    icon = Path(__file__).resolve().parent.parent / "resources" / "aigc-desktop.svg"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    use_chinese_faces(app)  # before any widget: Han never falls back to a Japanese face

    instance = None
    if not args.smoke:  # one window per user: a later start hands its file over and exits
        from aigc_desktop.ui.single_instance import InstanceServer, hand_over

        if hand_over(args.project):
            log.info("handed %s to the running window", args.project or "(no file)")
            return 0
        instance = InstanceServer()
        if not instance.listen():
            log.warning("single instance: cannot listen on %s", instance.name)

    ctx = AppContext.start(paths)
    apply_language(resolve(ctx.settings.values.language))  # before any widget: Qt's own texts follow it too
    window = MainWindow(ctx)
    install_crash_handler(window, log_file)

    if args.project is not None:
        window.open_project(args.project)
    if instance is not None:
        instance.file_received.connect(lambda path: _bring_forward(window, path))

    if args.smoke:
        return _smoke(app, window)

    # Once the window is up (not before: the dialog needs a visible parent), offer what a crashed run left behind.
    window.first_painted.connect(window.offer_recoveries)
    window.first_painted.connect(window.offer_interrupted_styles)
    window.show()
    code = app.exec()
    ctx.queue.shutdown()
    return int(code)


def _bring_forward(window: MainWindow, path: Path | None) -> None:
    """A later start's file: open it here (asking about unsaved changes first), and show the window."""
    if path is not None and window.maybe_save():
        window.open_project(path)
    window.showNormal()
    window.raise_()
    window.activateWindow()


def install_crash_handler(parent: object, log_file: Path) -> None:
    """Any exception that escapes a slot is logged and shown as a short dialog; the app keeps running."""
    from aigc_desktop.ui.dialogs import show_error
    from aigc_desktop.ui.i18n import translate

    log = logging.getLogger("aigc_desktop.crash")

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        log.error("unexpected error:\n%s", "".join(traceback.format_exception(exc_type, exc, tb)))
        try:
            show_error(
                parent if hasattr(parent, "isVisible") else None,  # type: ignore[arg-type]
                translate("CrashDialog", "Something went wrong"),
                translate(
                    "CrashDialog", "An unexpected error happened: {error}\nYour work is still open. Please save it."
                ).format(error=f"{exc_type.__name__}: {exc}"),
                log_file,
            )
        except Exception:  # the dialog itself failed (e.g. no display): the log still has it
            log.exception("could not show the error dialog")

    sys.excepthook = hook


def _smoke(app: QApplication, window: MainWindow) -> int:
    from PySide6.QtCore import QEvent, QObject, QTimer

    result: dict[str, object] = {}

    class PaintWatcher(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and "startup_ms" not in result:
                result["startup_ms"] = round(process_age_ms())
                result["loaded_before_paint"] = sorted(m for m in NOT_BEFORE_PAINT if m in sys.modules)
                QTimer.singleShot(0, app.quit)  # report after this paint has finished
            return False

    watcher = PaintWatcher()
    window.installEventFilter(watcher)
    QTimer.singleShot(15000, app.quit)
    window.show()
    app.exec()
    window.ctx.queue.shutdown()
    if "startup_ms" not in result:
        print(json.dumps({"error": "the window did not paint within 15 s"}), flush=True)
        return 1
    result["panes"] = [p.pane_id for p in window.panes()]
    from aigc_desktop.ui.i18n import current_language

    result["language"] = current_language()
    result["first_tab"] = window.tabs.tabText(0)
    result["title"] = window.windowTitle()
    result["heavy_modules_loaded"] = sorted(m for m in HEAVY_MODULES if m in sys.modules)
    print(json.dumps(result), flush=True)
    return 0
