"""The Canvas pane's Generate tab and the ImageGeneration state behind it, under pytest-qt: specs built from the
canvas, previews shown on it, results placed back as layers with their spec, history + Regenerate, Stop keeping the
last preview. Real queue and worker; a fake engine stands in for diffusers (tests/test_image_engine.py runs the real
pipelines)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes import FakeImageEngine
from PIL import Image, ImageDraw
from PySide6.QtWidgets import QMessageBox

from aigc_desktop.core.engines import base
from aigc_desktop.core.image.job import ImageMode
from aigc_desktop.core.paths import AppPaths
from aigc_desktop.core.project.model import Layer
from aigc_desktop.core.specs import JobKind, ModelKind
from aigc_desktop.state.canvas import CanvasModel
from aigc_desktop.ui.main_window import MainWindow


@pytest.fixture(autouse=True)
def fake_image_engine(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for backend in ("diffusers", "aigc-gan"):
        monkeypatch.setitem(base.ENGINE_CLASSES, (ModelKind.IMAGE, backend), "fakes:FakeImageEngine")
    FakeImageEngine.runs.clear()
    FakeImageEngine.step_delay = 0.0
    yield


def install_fake_model(paths: AppPaths, name: str = "fake-sd", backend: str = "diffusers") -> Path:
    folder = paths.models_dir / "image" / name
    folder.mkdir(parents=True)
    if backend == "diffusers":
        (folder / "model_index.json").write_text(json.dumps({"_class_name": "StableDiffusionPipeline"}))
    else:
        (folder / "aigc_model.json").write_text(json.dumps({"kind": "image", "backend": backend, "name": name}))
    (folder / "model.safetensors").write_bytes(b"\x08\x00\x00\x00\x00\x00\x00\x00{}      ")
    return folder


@pytest.fixture
def canvas(window: MainWindow, paths: AppPaths):  # type: ignore[no-untyped-def]
    install_fake_model(paths)
    pane = window.canvas_pane
    window.show_pane(pane)
    pane.refresh_models()
    pane.side_tabs.setCurrentWidget(pane.image_panel)
    return pane


def errors(window: MainWindow) -> list[str]:
    return [b.text() for b in window.findChildren(QMessageBox, "errorDialog") if b.isVisible()]


def run(qtbot, pane) -> None:  # type: ignore[no-untyped-def]
    job = pane.image_panel.generate()
    assert job is not None, errors(pane.window())
    qtbot.waitUntil(lambda: job.done and not pane.generation.running, timeout=20_000)


def record_previews(model: CanvasModel) -> list[tuple[object, object]]:
    """Every preview the canvas is told to show, as (image, rect); (None, None) when it is taken away."""
    shown: list[tuple[object, object]] = []
    model.preview_changed.connect(
        lambda: shown.append((None, None) if model.preview is None else (model.preview.image, model.preview.rect))
    )
    return shown


def test_text_to_image_adds_layers_with_their_spec_and_history(qtbot, window: MainWindow, canvas) -> None:  # type: ignore[no-untyped-def]
    panel = canvas.image_panel
    shown = record_previews(window.canvas_model)
    panel.set_mode(ImageMode.TXT2IMG)
    panel.prompt.setPlainText("a red lighthouse")
    panel.negative.setPlainText("blurry")
    panel.steps.setValue(3)
    panel.width_.setValue(64)
    panel.height_.setValue(96)
    panel.batch.setValue(2)
    panel.seed.setText("1000")
    run(qtbot, canvas)

    spec = FakeImageEngine.runs[-1]
    assert spec.kind is JobKind.IMAGE and spec.seed == 1000
    assert spec.inputs["prompt"] == "a red lighthouse" and spec.inputs["negative_prompt"] == "blurry"
    assert dict(spec.params)["width"] == 64 and dict(spec.params)["height"] == 96
    layers = window.session.project.canvas.layers
    assert [la.image.size for la in layers] == [(64, 96), (64, 96)]
    assert [(la.x, la.y) for la in layers] == [(0, 0), (72, 0)]  # a batch that fits is laid side by side
    assert all(la.spec_id == spec.id for la in layers)
    assert layers[0].image.getpixel((5, 5))[:3] == (1000 % 251, 1000 // 251, 90)
    assert layers[1].image.getpixel((5, 5))[:3] == (1001 % 251, 1001 // 251, 90)  # batch seed + 1
    previews = [s for s in shown if s[0] is not None]
    assert len(previews) == 6 and previews[0][1] == (0, 0, 64, 96)  # one per step, scaled over the result
    assert shown[-1][0] is None  # the preview goes when the layers come
    entry = window.session.project.history[-1]
    assert entry.spec.id == spec.id and entry.status == "finished" and entry.output_refs == [la.id for la in layers]
    canvas.undo()  # the whole batch is one undo step
    assert window.session.project.canvas.layers == []


def test_regenerate_from_history_gives_the_same_pixels(qtbot, window: MainWindow, canvas) -> None:  # type: ignore[no-untyped-def]
    panel = canvas.image_panel
    panel.prompt.setPlainText("a cat")
    panel.steps.setValue(2)
    panel.width_.setValue(64)
    panel.height_.setValue(64)
    run(qtbot, canvas)
    first = window.session.project.canvas.layers[-1]
    window.history_panel.refresh()
    window.history_panel.select(first.spec_id)
    job = window.history_panel.regenerate_selected()
    assert job is not None
    qtbot.waitUntil(lambda: job.done and not canvas.generation.running, timeout=20_000)
    again = window.session.project.canvas.layers[-1]
    assert again is not first and again.spec_id != first.spec_id
    assert again.image.tobytes() == first.image.tobytes()
    assert FakeImageEngine.runs[-1].seed == FakeImageEngine.runs[0].seed

    window.history_panel.select(first.spec_id)
    panel.prompt.setPlainText("something else")
    panel.steps.setValue(9)
    window.history_panel.use_selected_settings()
    assert panel.prompt.toPlainText() == "a cat" and panel.steps.value() == 2
    assert panel.seed.text() == str(FakeImageEngine.runs[0].seed)


def test_variations_of_the_selected_layer_come_back_at_its_place_and_size(qtbot, window: MainWindow, canvas) -> None:  # type: ignore[no-untyped-def]
    window.canvas_model.add_layer(Layer("photo", Image.new("RGBA", (100, 70), (200, 0, 0, 255)), x=30, y=40))
    panel = canvas.image_panel
    panel.set_mode(ImageMode.IMG2IMG)
    panel.strength.setValue(0.5)
    panel.steps.setValue(2)
    run(qtbot, canvas)
    spec = FakeImageEngine.runs[-1]
    init = Image.open(str(spec.inputs["init_image"]))
    assert init.size == (104, 72)  # generated at valid model sides...
    result = window.session.project.canvas.layers[-1]
    assert result.image.size == (100, 70) and (result.x, result.y) == (30, 40)  # ...and put back at the layer's size
    assert dict(spec.params)["strength"] == 0.5


def test_inpaint_repaints_only_the_mask(qtbot, window: MainWindow, canvas, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    window.session.project.canvas.width, window.session.project.canvas.height = 400, 300
    window.canvas_model.reload()
    window.canvas_model.add_layer(Layer("base", Image.new("RGBA", (400, 300), (0, 0, 255, 255))))
    mask = Image.new("L", (400, 300), 0)
    ImageDraw.Draw(mask).ellipse((180, 120, 220, 160), fill=255)
    monkeypatch.setattr(window.canvas_model, "mask_image", lambda: mask)
    panel = canvas.image_panel
    panel.set_mode(ImageMode.INPAINT)
    panel.steps.setValue(2)
    run(qtbot, canvas)
    spec = FakeImageEngine.runs[-1]
    init = Image.open(str(spec.inputs["init_image"]))
    sent_mask = Image.open(str(spec.inputs["mask_image"]))
    assert init.size == sent_mask.size and init.size[0] < 400  # the mask's box, not the whole canvas
    result = window.session.project.canvas.layers[-1]
    assert result.image.size == init.size
    inside = (200 - result.x, 140 - result.y)
    assert result.image.getchannel("A").getpixel(inside) == 255
    assert result.image.getchannel("A").getpixel((0, 0)) == 0  # outside the mask the base shows unchanged


def test_outpaint_extends_the_canvas_and_fills_the_new_border(qtbot, window: MainWindow, canvas) -> None:  # type: ignore[no-untyped-def]
    window.session.project.canvas.width, window.session.project.canvas.height = 256, 256
    window.canvas_model.reload()
    window.canvas_model.add_layer(Layer("base", Image.new("RGBA", (256, 256), (0, 128, 0, 255))))
    panel = canvas.image_panel
    panel.set_mode(ImageMode.OUTPAINT)
    panel.extend_px.setValue(64)
    for name, box in panel.extend_sides.items():
        box.setChecked(name == "Right")
    panel.steps.setValue(2)
    run(qtbot, canvas)
    assert (window.session.project.canvas.width, window.session.project.canvas.height) == (320, 256)
    result = window.session.project.canvas.layers[-1]
    alpha = result.image.getchannel("A")
    assert alpha.getpixel((320 - 1 - result.x, 128 - result.y)) == 255  # the new border is painted
    assert result.x + result.image.width == 320


def test_stop_keeps_the_last_preview_and_it_can_become_a_layer(qtbot, window: MainWindow, canvas) -> None:  # type: ignore[no-untyped-def]
    FakeImageEngine.step_delay = 0.05
    panel = canvas.image_panel
    panel.steps.setValue(200)
    panel.width_.setValue(64)
    panel.height_.setValue(64)
    job = panel.generate()
    assert job is not None
    generation = canvas.generation
    qtbot.waitUntil(lambda: generation.last_preview is not None, timeout=10_000)
    panel.stop_button.click()
    qtbot.waitUntil(lambda: job.done, timeout=10_000)
    assert job.state.value == "cancelled"
    assert generation.last_preview is not None and panel.keep_preview_button.isEnabled()
    assert canvas.scene.preview_item.isVisible()  # the last preview stays on the canvas
    assert window.session.project.canvas.layers == []
    panel.keep_preview_button.click()
    assert window.session.project.canvas.layers[-1].name == "Stopped preview"
    assert window.session.project.canvas.layers[-1].image.size == (64, 64)


def test_bad_requests_get_a_message_not_a_job(qtbot, window: MainWindow, canvas) -> None:  # type: ignore[no-untyped-def]
    panel = canvas.image_panel
    panel.set_mode(ImageMode.IMG2IMG)
    assert panel.generate() is None  # no layer selected
    assert any("Select a layer" in e for e in errors(window))
    panel.set_mode(ImageMode.TXT2IMG)
    panel.seed.setText("-3")
    assert panel.generate() is None
    assert any("seed" in e for e in errors(window))
    assert FakeImageEngine.runs == []


def test_a_trained_gan_offers_only_sampling(qtbot, window: MainWindow, canvas, paths: AppPaths) -> None:  # type: ignore[no-untyped-def]
    install_fake_model(paths, "my-gan", "aigc-gan")
    canvas.refresh_models()
    selector = canvas.model_selector
    selector.setCurrentIndex(selector.findData("image/my-gan"))
    panel = canvas.image_panel
    assert panel.available_modes() == {ImageMode.TXT2IMG}
    assert not panel.prompt.isEnabled()
    panel.batch.setValue(3)
    panel.steps.setValue(1)
    run(qtbot, canvas)
    assert FakeImageEngine.runs[-1].model_id == "image/my-gan"
    assert len(window.session.project.canvas.layers) == 3


@pytest.mark.integration
def test_real_tiny_diffusion_through_the_panel_equals_the_cli(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, install_tiny_sd, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The Generate tab runs the real diffusers engine on the lane (previews, layer, history) and gets the very pixels
    `aigc image` makes from the same model, prompt and seed."""
    real = "aigc_desktop.core.engines.image_diffusers:DiffusersImageEngine"
    monkeypatch.setitem(base.ENGINE_CLASSES, (ModelKind.IMAGE, "diffusers"), real)
    model_id = install_tiny_sd("sd")
    pane = window.canvas_pane
    window.show_pane(pane)
    pane.refresh_models()
    pane.model_selector.setCurrentIndex(pane.model_selector.findData(model_id))
    panel = pane.image_panel
    shown = record_previews(window.canvas_model)
    panel.set_mode(ImageMode.TXT2IMG)
    panel.prompt.setPlainText("a lighthouse")
    panel.steps.setValue(4)
    panel.width_.setValue(64)
    panel.height_.setValue(64)
    panel.seed.setText("7")
    run(qtbot, pane)
    layer = window.session.project.canvas.layers[-1]
    assert layer.image.size == (64, 64) and layer.spec_id == window.session.project.history[-1].spec.id
    assert len([image for image, _rect in shown if image is not None]) == 4

    from aigc_desktop.cli import entry as cli

    out = tmp_path / "cli.png"
    argv = ["image", "--prompt", "a lighthouse", "--model", model_id, "--steps", "4", "--width", "64"]
    assert cli.main([*argv, "--height", "64", "--seed", "7", "--out", str(out)]) == 0
    with Image.open(out) as made:
        assert made.convert("RGBA").tobytes() == layer.image.tobytes()
