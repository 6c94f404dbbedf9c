"""Screenshots of the Canvas pane in a chosen interface language at 1366×768 (run under Xvfb): the Layers tab with a
painted sketch and an AI-made layer, the Generate tab with a diffusion model's controls, the Text tool with Chinese
typed through an input method (one text placed, one still being typed), the Canvas ▾ menu, each tool's options bar
and the two canvas dialogs.

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python tests/tools/screenshot_canvas_i18n.py OUT_DIR [zh_CN|en]

The language needs its .qm built (python installer/translations.py release) in the checkout the tool runs from.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def install_fake_diffusion_model(models_dir: Path) -> None:
    """A folder the registry lists as a Stable Diffusion pipeline (never loaded here): the Generate tab shows every
    control a diffusion model has."""
    folder = models_dir / "image" / "sd-demo"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "model_index.json").write_text(json.dumps({"_class_name": "StableDiffusionPipeline"}))
    (folder / "model.safetensors").write_bytes(b"\x08\x00\x00\x00\x00\x00\x00\x00{}      ")


def type_with_input_method(widget, text: str) -> None:  # type: ignore[no-untyped-def]
    """What a Chinese input method sends: the pinyin as a pre-edit string, then the chosen characters committed."""
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication

    QApplication.sendEvent(widget, QInputMethodEvent("denglong", []))
    commit = QInputMethodEvent()
    commit.setCommitString(text)
    QApplication.sendEvent(widget, commit)


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "screens")
    language = sys.argv[2] if len(sys.argv) > 2 else "zh_CN"
    out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("AIGC_DESKTOP_HOME", tempfile.mkdtemp(prefix="aigc-shot-"))
    from PIL import Image
    from PySide6.QtCore import QPointF, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    try:
        from aigc_desktop.ui import i18n

        print("language", language, "applied" if i18n.apply_language(language) else "NOT FOUND (English shown)")
    except ImportError:
        print("no ui/i18n.py in this checkout: English")
    from aigc_desktop.core.image.job import ImageMode
    from aigc_desktop.core.paths import app_paths
    from aigc_desktop.core.project.model import Layer

    install_fake_diffusion_model(app_paths().ensure().models_dir)
    from app_window import open_main_window
    from screenshot_canvas import paint_sketch

    app, win = open_main_window((1366, 740), (0, 0))
    win.show()
    QTest.qWaitForWindowExposed(win)
    win.show_pane(win.canvas_pane)
    pane = win.canvas_pane
    paint_sketch(pane)
    model = pane.model
    made = Image.new("RGBA", (160, 120), (200, 120, 60, 255))
    model.add_layer(Layer("lighthouse · 1234", made, x=560, y=360, spec_id="demo-spec"))
    pane.refresh_models()

    def grab(name: str) -> None:
        QTest.qWait(250)
        path = out / name
        app.primaryScreen().grabWindow(0).save(str(path))
        print(path)

    pane.side_tabs.setCurrentWidget(pane.layer_panel)
    pane.set_tool("brush")
    grab("canvas-layers.png")

    pane.side_tabs.setCurrentWidget(pane.image_panel)
    pane.image_panel.prompt.setFocus()
    type_with_input_method(pane.image_panel.prompt, "灯笼山上的灯塔，黄昏，油画")
    grab("canvas-generate.png")
    # The longest status line a generation leaves: its result, how long it took, the method and a note.
    from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
    from aigc_desktop.state.image_generation import MODE_LABELS
    from aigc_desktop.state.localized import Number

    done = QT_TRANSLATE_NOOP(
        "ImageGeneration", "{title}: {count} image(s) in {seconds} s ({per_step} s/step) with {method}"
    ).format(
        title=MODE_LABELS[ImageMode.STYLE],
        count=Number(2),
        seconds=Number(12.34, 1),
        per_step=Number(0.61, 2),
        method="diffusers StableDiffusionImg2ImgPipeline",
    )
    note = QT_TRANSLATE_NOOP(
        "DiffusersEngine", "style: img2img recipe (colour transfer from the reference, then img2img; no IP-Adapter)"
    )
    pane.image_panel.set_mode(ImageMode.STYLE)
    pane.generation.status_changed.emit(
        QT_TRANSLATE_NOOP("ImageGeneration", "{status} — {notes}").format(status=done, notes=note)
    )
    from PySide6.QtWidgets import QScrollArea

    scroll = pane.image_panel.findChild(QScrollArea)
    QTest.qWait(100)
    scroll.verticalScrollBar().setValue(scroll.verticalScrollBar().maximum())  # the status line is at the bottom
    grab("canvas-generate-status.png")
    scroll.verticalScrollBar().setValue(0)
    pane.image_panel.set_mode(ImageMode.TXT2IMG)

    pane.side_tabs.setCurrentWidget(pane.layer_panel)
    model.deselect()  # text is clipped to a selection: the sketch's lasso would leave no room for it
    model.set_current(model.layers[1].id)  # the text goes on the Sketch layer
    pane.settings.font_size = 44
    pane.set_colour((150, 30, 30, 255))
    pane.set_tool("text")
    vp = pane.view.viewport()
    from PySide6.QtCore import Qt

    def click(x: float, y: float) -> None:
        at = pane.view.mapFromScene(QPointF(x, y))
        QTest.mouseClick(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at)

    click(380, 30)
    type_with_input_method(QApplication.focusWidget() or pane.view, "灯笼山")
    QTest.keyClick(pane.view, Qt.Key.Key_Return)
    click(24, 440)
    type_with_input_method(QApplication.focusWidget() or pane.view, "你好，画布")
    grab("canvas-text.png")
    QTest.keyClick(pane.view, Qt.Key.Key_Return)

    for tool in ("eraser", "fill", "rect_select", "mask", "picker", "hand"):
        pane.set_tool(tool)
        grab(f"canvas-tool-{tool}.png")
    pane.set_tool("brush")

    menu = pane.tool_bar.canvas_menu_button.menu()
    QTimer.singleShot(600, lambda: (grab("canvas-menu.png"), menu.close()))
    pane.tool_bar.canvas_menu_button.showMenu()

    from aigc_desktop.ui.canvas.dialogs import CanvasSizeDialog, ResizeImageDialog

    for name, dialog in (
        ("dialog-resize.png", ResizeImageDialog(768, 512, parent=pane)),
        ("dialog-canvas-size.png", CanvasSizeDialog(768, 512, parent=pane)),
    ):
        dialog.show()
        QTest.qWaitForWindowExposed(dialog)
        QTest.qWait(200)
        dialog.grab().save(str(out / name))
        print(out / name)
        dialog.close()
    win.session.dirty = False
    win.close()
    win.ctx.queue.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
