"""Screenshots of the Document pane with a Chinese document, one per tab of its side panel (Settings, Actions — also
with the action list open, and with Rewrite chosen, which runs on the built-in instruct model, with the list of models
for actions open —, Results, History), in English or in Chinese (run under Xvfb).

xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python tests/tools/screenshot_document.py OUT_DIR [zh_CN|en]

In Chinese the window needs the compiled catalogue (resources/translations/aigc_desktop_zh_CN.qm of the checkout it
runs from: `python installer/translations.py release`). Writes OUT_DIR/document-<lang>-<shot>.png.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app_window import open_main_window

STORY = (
    "<h1>守灯人</h1><p>秋天的最后一个夜晚，阿梅提着祖父的灯笼爬上了山坡。<b>村里没有人</b>记得，为什么这盏灯一定要点亮。</p>"
    "<p>灯笼在风中摇晃，她想起了祖父说过的话：<i>光不是为了看见，而是为了被看见。</i></p>"
    "<p>山下的河水很安静。她把灯挂在老槐树上，坐下来等天亮。Mei 想，也许 grandfather 早就知道答案。</p>"
)


def fill_results_and_history(win: Any) -> None:
    """Two candidates in Results and three recorded generations in History, as after a few runs."""
    import time

    from aigc_desktop.core.project.model import HistoryStatus
    from aigc_desktop.core.text.job import TextParams, text_spec

    model = win.document_model
    for i, text in enumerate(("灯火照亮回家的路", "守灯人的最后一夜")):
        model._show_result(i, text, "demo")
    runs = (("continue", None, "她提着灯笼走下山坡，风停了。"), ("action", "title", "守灯人的最后一夜"))
    for mode, action, summary in runs:
        extra = {"action": action} if action else {}
        spec = text_spec(model.ctx.registry.entries()[0].id, "灯笼", TextParams(), 42, mode=mode, **extra)
        win.session.record(spec, HistoryStatus.FINISHED, started_at=time.time(), seconds=1.5, summary=summary)


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "screens")
    language = sys.argv[2] if len(sys.argv) > 2 else "en"
    out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("AIGC_DESKTOP_HOME", tempfile.mkdtemp(prefix="aigc-shot-"))
    from PySide6.QtCore import QTimer

    app, win = open_main_window((1366, 740), (0, 0))
    from aigc_desktop.ui.i18n import apply_language

    if language != "en" and not apply_language(language):
        print(f"no compiled catalogue for {language}: the texts stay English", file=sys.stderr)
    pane = win.document_pane
    pane.editor.setHtml(STORY)
    fill_results_and_history(win)
    win.show()
    win.show_pane(pane)
    from aigc_desktop.core.text.actions import ACTIONS

    rewrite = [a.id for a in ACTIONS].index("rewrite")
    models = pane.actions_tab.model_box
    # (file name, side tab, the open list: the actions, the models for actions or none, the action chosen)
    shots = [
        ("settings", 0, None, 0),
        ("actions", 1, None, 0),
        ("actions-list", 1, pane.action_box, 0),
        ("actions-rewrite", 1, None, rewrite),
        ("actions-models", 1, models, rewrite),
        ("results", 2, None, 0),
        ("history", 3, None, 0),
    ]

    def grab(i: int = 0) -> None:
        pane.action_box.hidePopup()
        models.hidePopup()
        if i == len(shots):
            win.session.dirty = False
            win.close()
            app.quit()
            return
        name, tab, popup, action = shots[i]
        pane.side.setCurrentIndex(tab)
        pane.action_box.setCurrentIndex(action)
        if popup is not None:
            popup.showPopup()

        def take() -> None:
            path = out / f"document-{language}-{name}.png"
            app.primaryScreen().grabWindow(0).save(str(path))
            print(path)
            grab(i + 1)

        QTimer.singleShot(400, take)

    QTimer.singleShot(600, grab)
    app.exec()
    win.ctx.queue.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
