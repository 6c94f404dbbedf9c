"""Screenshot of Help ▸ About (version + THIRD_PARTY_NOTICES) over the main window, with the Help menu's Repair
installation entry visible as in an installed copy (run under Xvfb):

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python tests/tools/screenshot_about.py OUT_DIR [--language zh_CN]

about.png: the About dialog. help-menu.png: the Help menu of an installed copy (Repair installation…).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from app_window import open_main_window  # noqa: E402


def main() -> int:
    args = sys.argv[1:]
    language = ""
    if "--language" in args:
        at = args.index("--language")
        language = args[at + 1]
        del args[at : at + 2]
    out = Path(args[0] if args else "screens")
    out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("AIGC_DESKTOP_HOME", tempfile.mkdtemp(prefix="aigc-shot-"))
    os.environ["AIGC_LAUNCHER"] = "/opt/aigc-desktop/aigc-desktop"  # as the installed launcher starts the app
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QGuiApplication

    from aigc_desktop.ui.i18n import apply_language
    from aigc_desktop.ui.installation import AboutDialog

    app, window = open_main_window()
    if language:
        apply_language(language)
    window.show()

    def shoot(name: str) -> None:
        app.processEvents()
        QGuiApplication.primaryScreen().grabWindow(0).save(str(out / name))
        print(out / name)

    def menu() -> None:
        window.menus.help_menu.popup(window.mapToGlobal(window.menuBar().geometry().bottomRight()) - window.pos())
        QTimer.singleShot(400, lambda: (shoot("help-menu.png"), window.menus.help_menu.close(), about()))

    def about() -> None:
        window.show_about()
        QTimer.singleShot(500, lambda: (shoot("about.png"), window.findChild(AboutDialog).close(), app.quit()))

    QTimer.singleShot(1500, menu)
    app.exec()
    window.session.dirty = False
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
