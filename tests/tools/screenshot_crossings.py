"""The Document's crossings in a chosen interface language, as the app places its window (run under Xvfb): the
editor's context menu with Illustrate / Narrate / Score, the Illustrate dialog with the prompt the embedded SmolLM2
drafted, the layer it painted (a tiny random-weight Stable Diffusion: the picture is noise, the layer and its menu
are what to look at), and Score's drafted prompt in the Music tab.

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python tests/tools/screenshot_crossings.py OUT_DIR [zh_CN|en]

The language needs its .qm built (`python installer/translations.py release`); without it the texts stay English.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from app_window import grab_screen, open_main_window, tool_args  # noqa: E402  (needs the sys.path lines above)

ENGLISH = (
    "Winter came early to the valley that year.\n\n"
    "The fox woke before dawn in the snow. The light was thin and blue, and the forest was silent except for the "
    "creak of the pines.\n\n"
    "By noon the snow had gone, and the river ran loud and brown."
)
CHINESE = (
    "那一年，冬天早早来到了山谷。\n\n"
    "天还没亮，狐狸就在雪地里醒了。天光稀薄发蓝，森林里一片寂静，只有松树在风里吱呀作响。\n\n"
    "到了中午，雪化了，河水又响又浑。"
)


def main() -> int:
    out, _, rest = tool_args()
    language = rest[0] if rest else "zh_CN"
    import tiny_sd
    from PySide6.QtCore import QPoint, QTimer

    from aigc_desktop.core.paths import app_paths

    tiny_sd.save_sd(app_paths().ensure().models_dir / "tiny-sd")
    app, win = open_main_window(None, None, language=language)  # where the app itself places its window
    win.show()
    text = CHINESE if language.startswith("zh") else ENGLISH
    pane = win.document_pane
    shot = lambda name: grab_screen(out, f"{language}-{name}")  # noqa: E731
    menus: list[object] = []

    def wait(condition: Callable[[], bool], then: Callable[[], None], every: int = 300) -> None:
        if condition():
            QTimer.singleShot(400, then)
        else:
            QTimer.singleShot(every, lambda: wait(condition, then, every))

    def start() -> None:
        win._refresh_model_pickers()
        canvas = win.canvas_pane
        canvas.model_selector.setCurrentIndex(canvas.model_selector.findData("tiny-sd"))
        canvas.image_panel.width_.setValue(256)
        canvas.image_panel.height_.setValue(256)
        canvas.image_panel.steps.setValue(3)
        pane.editor.setPlainText(text)
        cursor = pane.editor.textCursor()
        cursor.setPosition(text.index("\n\n") + 8)
        pane.editor.setTextCursor(cursor)
        rect = pane.editor.cursorRect()
        menu = pane.crossings.context_menu(rect.center())
        menus.append(menu)
        menu.popup(pane.editor.viewport().mapToGlobal(rect.center() + QPoint(10, 10)))
        QTimer.singleShot(500, context_menu_taken)

    def context_menu_taken() -> None:
        shot("crossings-context-menu")
        menus[0].close()  # type: ignore[attr-defined]
        pane.crossings.illustrate.trigger()
        dialog = win.crossings.dialog
        assert dialog is not None
        QTimer.singleShot(300, lambda: shot("illustrate-drafting"))
        wait(lambda: dialog.prompt.isEnabled(), drafted)

    def drafted() -> None:
        shot("illustrate-dialog")
        dialog = win.crossings.dialog
        assert dialog is not None
        print("drafted:", dialog.prompt_text())
        dialog.paint_button.click()
        wait(lambda: bool(win.canvas_model.layers) and win.ctx.queue.idle(), painted)

    def painted() -> None:
        canvas = win.canvas_pane
        layer = win.canvas_model.layers[-1]
        print("layer:", layer.name)
        canvas.fit_view()
        menu = canvas.layer_panel.context_menu_for(layer)
        assert menu is not None
        menus.append(menu)
        item = canvas.layer_list.item(0)
        at = canvas.layer_list.visualItemRect(item).center()
        menu.popup(canvas.layer_list.viewport().mapToGlobal(at))
        QTimer.singleShot(500, layer_taken)

    def layer_taken() -> None:
        shot("illustrate-layer")
        menus[1].close()  # type: ignore[attr-defined]
        win.show_pane(pane)
        pane.crossings.score.trigger()
        wait(lambda: win.current_pane() is win.audio_pane, scored)

    def scored() -> None:
        print("score:", win.audio_pane.music.prompt.toPlainText())
        shot("score-music-tab")
        win.session.dirty = False
        win.close()
        app.quit()

    QTimer.singleShot(800, start)
    app.exec()
    win.ctx.queue.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
