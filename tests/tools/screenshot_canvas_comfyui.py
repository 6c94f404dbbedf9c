"""Screenshots of the Canvas pane's Generate tab with a ComfyUI server's checkpoint selected, at 1366×768, in a
chosen language (run under Xvfb):

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python tests/tools/screenshot_canvas_comfyui.py OUT_DIR [en|zh_CN]

The server is the tests' fake ComfyUI (tests/fake_comfyui.py: ComfyUI's protocol, noise for pictures), added and
tested as a user would. Shots: mid-run with a step preview, done (the status line names the server and checkpoint),
and the mode list of a server without an upscale model (upscale disabled). Before a change (a checkout without
ComfyUI support) the tool shows the tab as it was: the server's models are not listed.
The language needs its .qm built (python installer/translations.py release) in the checkout the tool runs from.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "tools"))


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "screens")
    language = sys.argv[2] if len(sys.argv) > 2 else "en"
    out.mkdir(parents=True, exist_ok=True)
    home = tempfile.mkdtemp(prefix="aigc-shot-")
    os.environ.setdefault("AIGC_DESKTOP_HOME", home)
    from fake_comfyui import FakeComfyUI
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    from aigc_desktop.ui import i18n

    print("language", language, "applied" if i18n.apply_language(language) else "NOT FOUND (English shown)")
    from app_window import open_main_window
    from screenshot_canvas import paint_sketch

    from aigc_desktop.core.errors import UserError
    from aigc_desktop.core.image.job import ImageMode
    from aigc_desktop.core.paths import app_paths
    from aigc_desktop.core.servers.config import ServerConfig, ServerKind, ServerStore
    from aigc_desktop.core.servers.probing import probe

    fake = FakeComfyUI(root=Path(home) / "comfy", step_delay_s=0.08).start()
    store = ServerStore(app_paths().ensure())
    store.add(ServerConfig("gpu-box", ServerKind.IMAGES, fake.url))
    try:
        store.update(probe(store.get("gpu-box"), None).server)
    except UserError as exc:  # a checkout from before ComfyUI support
        print("test failed:", exc)

    app, win = open_main_window((1366, 740), (0, 0))
    win.show()
    QTest.qWaitForWindowExposed(win)
    win.show_pane(win.canvas_pane)
    pane = win.canvas_pane
    paint_sketch(pane)
    panel = pane.image_panel
    pane.side_tabs.setCurrentWidget(panel)
    pane.refresh_models()
    selector = pane.model_selector
    index = selector.findData("server:gpu-box/sdxl_base.safetensors")
    print("ComfyUI checkpoint listed:", index >= 0)
    if index >= 0:
        selector.setCurrentIndex(index)
        selector.activated.emit(index)

    def grab(name: str) -> None:
        QTest.qWait(250)
        path = out / name
        app.primaryScreen().grabWindow(0).save(str(path))
        print(path)

    panel.set_mode(ImageMode.TXT2IMG)
    panel.prompt.setPlainText("a lighthouse on a green hill at dusk, oil painting")
    panel.negative.setPlainText("blurry, text, watermark")
    panel.steps.setValue(30)
    panel.width_.setValue(256)
    panel.height_.setValue(256)
    panel.seed.setText("1234")
    grab(f"comfyui-generate-tab-{language}.png")
    if index < 0:
        fake.close()
        return 0
    job = panel.generate()
    assert job is not None
    while panel.progress.value() < 40 and not job.done:  # type: ignore[attr-defined]
        QTest.qWait(50)
    grab(f"comfyui-generate-preview-{language}.png")
    while not job.done:  # type: ignore[attr-defined]
        QTest.qWait(50)
    grab(f"comfyui-generate-done-{language}.png")

    fake.upscalers = []  # tested again without an upscale model: the mode is not offered
    store.update(probe(store.get("gpu-box"), None).server)
    pane.refresh_models()
    selector.setCurrentIndex(selector.findData("server:gpu-box/sdxl_base.safetensors"))
    panel.mode.showPopup()
    grab(f"comfyui-modes-{language}.png")
    panel.mode.hidePopup()
    fake.close()
    win.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
