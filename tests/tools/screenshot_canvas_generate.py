"""Screenshots of the Canvas generating with real models (run under Xvfb):

    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python tests/tools/screenshot_canvas_generate.py OUT_DIR

A sketch is painted with the tools, then a tiny random-weight Stable Diffusion (built as the tests build it, loaded
from the models folder like a user's) makes an image from a prompt — grabbed mid-run with its step preview and when
done — inpaints the painted mask with a tiny inpainting model, upscales a layer, and a small GAN trained with
`aigc train-gan` on generated pictures samples new ones onto the canvas. The generated layer is exported as a PNG and
its metadata is printed as another tool reads it. Random weights make noise-like pictures: the screenshots show the
workflow, not image quality.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "tools"))


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "screens")
    out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("AIGC_DESKTOP_HOME", tempfile.mkdtemp(prefix="aigc-shot-"))
    import tiny_sd
    import train_images
    from PIL import Image
    from PySide6.QtTest import QTest
    from screenshot_canvas import open_window, paint_sketch

    from aigc_desktop.cli import entry as cli
    from aigc_desktop.core.image.job import ImageMode
    from aigc_desktop.core.paths import app_paths

    paths = app_paths().ensure()
    tiny_sd.save_sd(paths.models_dir / "image" / "tiny-sd")
    tiny_sd.save_sd(paths.models_dir / "image" / "tiny-sd-inpaint", inpaint=True)
    app, win = open_window()
    pane = win.canvas_pane
    paint_sketch(pane)
    panel = pane.image_panel
    pane.side_tabs.setCurrentWidget(panel)

    def grab(name: str) -> None:
        QTest.qWait(200)
        path = out / name
        app.primaryScreen().grabWindow(0).save(str(path))
        print(path)

    def use_model(model_id: str) -> None:
        pane.refresh_models()
        pane.model_selector.setCurrentIndex(pane.model_selector.findData(model_id))
        pane.model_selector.activated.emit(pane.model_selector.currentIndex())

    def wait(job: object, until: float = 600) -> None:
        deadline = time.monotonic() + until
        while not job.done and time.monotonic() < deadline:  # type: ignore[attr-defined]
            QTest.qWait(50)

    # 1. Text to image, with a preview every step.
    use_model("image/tiny-sd")
    panel.set_mode(ImageMode.TXT2IMG)
    panel.prompt.setPlainText("a lighthouse on a green hill at dusk, oil painting")
    panel.negative.setPlainText("blurry, text, watermark")
    panel.steps.setValue(60)
    panel.width_.setValue(256)
    panel.height_.setValue(256)
    panel.seed.setText("1234")
    job = panel.generate()
    assert job is not None
    while panel.progress.value() < 40 and not job.done:
        QTest.qWait(50)
    grab("canvas-generate-preview.png")
    wait(job)
    grab("canvas-generate-done.png")
    generated = pane.model.current_layer()
    assert generated is not None and generated.spec_id

    # 2. Inpaint the mask painted over the sky, with the inpainting model.
    use_model("image/tiny-sd-inpaint")
    panel.set_mode(ImageMode.INPAINT)
    panel.prompt.setPlainText("storm clouds")
    panel.steps.setValue(20)
    job = panel.generate()
    assert job is not None
    wait(job)
    pane.model.clear_mask()
    grab("canvas-inpaint-done.png")

    # 3. Upscale the generated layer: no upscaler model is installed, so Lanczos, and the status line says so.
    use_model("image/tiny-sd")
    pane.model.set_current(generated.id)
    panel.set_mode(ImageMode.UPSCALE)
    job = panel.generate()
    assert job is not None
    wait(job)
    grab("canvas-upscale.png")

    # 4. Train a small GAN on a folder of pictures (headless, as `aigc train-gan`), then sample it onto the canvas.
    pictures = train_images.write_shapes(Path(tempfile.mkdtemp(prefix="shapes-")), 64)
    code = cli.main(["train-gan", "--images", str(pictures), "--kind", "gan", "--epochs", "3", "--out", "my-shapes"])
    assert code == 0
    use_model("image/my-shapes")
    panel.batch.setValue(4)
    panel.seed.setText("5")
    job = panel.generate()
    assert job is not None
    wait(job)
    grab("canvas-gan-samples.png")

    # 5. Export the generated layer and read its metadata back as another tool would.
    pane.model.set_current(generated.id)
    png = out / "generated-layer.png"
    assert win.export_to("layer", png)
    with Image.open(png) as image:
        print("parameters:", image.text.get("parameters", "").replace("\n", " | "))
        print("XMP DigitalSourceType:", "trainedAlgorithmicMedia" in image.info.get("XML:com.adobe.xmp", ""))
    win.session.dirty = False
    win.close()
    win.ctx.queue.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
