"""The Canvas pane's Generate tab with a ComfyUI server's checkpoint: the modes the server allows, the controls a
server job uses, previews, a layer with provenance naming the server, Regenerate and Stop — the real window, queue,
lane, engine and client, against the fake ComfyUI (tests/fake_comfyui.py; ComfyUI cannot run here)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fake_comfyui import FakeComfyUI
from i18n_sweep import pseudo_language, untranslated
from PySide6.QtWidgets import QApplication, QMessageBox

from aigc_desktop.core.image.job import SCHEDULERS, ImageMode
from aigc_desktop.core.paths import AppPaths
from aigc_desktop.core.servers.config import ServerConfig, ServerKind, ServerStore
from aigc_desktop.core.servers.probing import probe
from aigc_desktop.ui.main_window import MainWindow

pytestmark = pytest.mark.timeout(120)

MODEL = "server:box/sd15.safetensors"


@pytest.fixture
def comfy(tmp_path: Path) -> Iterator[FakeComfyUI]:
    fake = FakeComfyUI(root=tmp_path / "comfy").start()
    yield fake
    fake.close()


@pytest.fixture
def canvas(window: MainWindow, paths: AppPaths, comfy: FakeComfyUI):  # type: ignore[no-untyped-def]
    store = ServerStore(paths)
    store.add(ServerConfig("box", ServerKind.IMAGES, comfy.url))
    store.update(probe(store.get("box"), None).server)
    pane = window.canvas_pane
    window.show_pane(pane)
    pane.refresh_models()
    pane.side_tabs.setCurrentWidget(pane.image_panel)
    selector = pane.model_selector
    selector.setCurrentIndex(selector.findData(MODEL))
    assert selector.current_model_id() == MODEL
    return pane


def errors(window: MainWindow) -> list[str]:
    return [b.text() for b in window.findChildren(QMessageBox, "errorDialog") if b.isVisible()]


def generate(qtbot, pane) -> object:  # type: ignore[no-untyped-def]
    job = pane.image_panel.generate()
    assert job is not None, errors(pane.window())
    qtbot.waitUntil(lambda: job.done and not pane.generation.running, timeout=30_000)
    return job


def test_the_generate_tab_offers_what_the_server_allows(canvas, comfy: FakeComfyUI, paths: AppPaths) -> None:  # type: ignore[no-untyped-def]
    panel = canvas.image_panel
    assert panel.available_modes() == {
        ImageMode.TXT2IMG, ImageMode.IMG2IMG, ImageMode.INPAINT, ImageMode.OUTPAINT, ImageMode.UPSCALE,
    }  # fmt: skip
    panel.set_mode(ImageMode.TXT2IMG)
    rows = panel._form
    visible = {key for key, row in panel._rows.items() if rows.isRowVisible(row)}
    assert {"steps", "guidance", "scheduler", "size", "batch"} <= visible and "memory" not in visible
    # A server without an upscale model (tested again): upscale is not offered, and says so on hover.
    comfy.upscalers = []
    store = ServerStore(paths)
    store.update(probe(store.get("box"), None).server)
    canvas.refresh_models()
    canvas.model_selector.setCurrentIndex(canvas.model_selector.findData(MODEL))
    assert ImageMode.UPSCALE not in panel.available_modes()
    item = panel.mode.model().item(panel.mode.findData(ImageMode.UPSCALE.value))
    assert not item.isEnabled() and "cannot do this" in item.toolTip()


def test_text_to_image_on_comfyui_adds_a_layer_with_provenance_and_regenerates(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, canvas, comfy: FakeComfyUI
) -> None:
    panel = canvas.image_panel
    shown: list[object] = []
    window.canvas_model.preview_changed.connect(lambda: shown.append(window.canvas_model.preview))
    panel.set_mode(ImageMode.TXT2IMG)
    panel.prompt.setPlainText("a lighthouse at dusk")
    panel.steps.setValue(3)
    panel.width_.setValue(96)
    panel.height_.setValue(64)
    panel.seed.setText("42")
    generate(qtbot, canvas)
    (layer,) = window.session.project.canvas.layers
    assert layer.image.size == (96, 64)
    assert len([p for p in shown if p is not None]) == 3  # a preview per step, from the server's binary frames
    entry = window.session.project.history[-1]
    assert entry.status == "finished" and entry.spec.model_id == MODEL and entry.spec.seed == 42
    assert entry.metrics["server"] == "box" and entry.metrics["server_model"] == "sd15.safetensors"
    assert entry.metrics["method"] == "ComfyUI 0.3.40 on box: sd15.safetensors"
    assert "ComfyUI 0.3.40 on box" in canvas.image_panel.status.text()

    window.history_panel.refresh()
    window.history_panel.select(layer.spec_id)
    job = window.history_panel.regenerate_selected()
    assert job is not None
    qtbot.waitUntil(lambda: job.done and not canvas.generation.running, timeout=30_000)
    again = window.session.project.canvas.layers[-1]
    assert again is not layer and again.image.tobytes() == layer.image.tobytes()
    seeds = [n["inputs"]["seed"] for p in comfy.prompts for n in p.values() if n["class_type"] == "KSampler"]
    assert seeds == [42, 42]


def test_stop_interrupts_the_server_and_keeps_the_last_preview(
    qtbot, window: MainWindow, canvas, comfy: FakeComfyUI
) -> None:  # type: ignore[no-untyped-def]
    comfy.step_delay_s = 0.05
    panel = canvas.image_panel
    panel.steps.setValue(100)
    panel.width_.setValue(64)
    panel.height_.setValue(64)
    job = panel.generate()
    assert job is not None
    qtbot.waitUntil(lambda: canvas.generation.last_preview is not None, timeout=20_000)
    panel.stop_button.click()
    qtbot.waitUntil(lambda: job.done, timeout=20_000)
    assert job.state.value == "cancelled" and comfy.interrupts == 1
    assert panel.keep_preview_button.isEnabled() and window.session.project.canvas.layers == []


def test_a_server_refusal_is_a_status_line_not_a_traceback(
    qtbot, window: MainWindow, canvas, comfy: FakeComfyUI
) -> None:  # type: ignore[no-untyped-def]
    comfy.fail_with = "CUDA out of memory"
    panel = canvas.image_panel
    panel.steps.setValue(2)
    panel.width_.setValue(64)
    panel.height_.setValue(64)
    job = generate(qtbot, canvas)
    assert job.state.value == "failed"  # type: ignore[attr-defined]
    assert "box could not run the job: KSampler failed: CUDA out of memory" in panel.status.text()
    assert window.session.project.canvas.layers == []


def test_the_generate_tab_with_a_server_model_is_translated(canvas) -> None:  # type: ignore[no-untyped-def]
    panel = canvas.image_panel
    with pseudo_language():
        for _ in range(2):
            QApplication.processEvents()
        for mode in (ImageMode.TXT2IMG, ImageMode.INPAINT, ImageMode.UPSCALE):
            panel.set_mode(mode)
            # The samplers keep their library names (not translated: users find them so on the web).
            samplers = [v for k, v in SCHEDULERS.items() if k != "default"]
            assert untranslated(panel, allowed=samplers, content=[canvas.model_selector]) == [], mode


def test_a_long_status_stays_within_two_lines_and_is_whole_in_the_tooltip(canvas) -> None:  # type: ignore[no-untyped-def]
    """The Chinese ComfyUI status wrapped to three lines in the narrow Generate tab: now cut to two, whole on hover."""
    from PySide6.QtWidgets import QLabel

    status = canvas.image_panel.status
    status.resize(320, 80)
    text = "文生图：1 张图片，用时 5.4 秒（每步 0.18 秒），方法：ComfyUI 0.3.40，服务器 gpu-box：sdxl_base.safetensors"
    canvas.image_panel.show_status(text)
    shown = QLabel.text(status)
    assert status.text() == text and status.toolTip() == text and shown.endswith("…") and text.startswith(shown[:-1])
    lines = status.fontMetrics().boundingRect(0, 0, 320, 10_000, 0x1000, shown).height()  # Qt.TextWordWrap
    assert lines < status.fontMetrics().lineSpacing() * 2.5
    canvas.image_panel.show_status("short")
    assert QLabel.text(status) == "short" and status.toolTip() == ""
