"""The "Train on my images" dialog in the real window: folder count, Start, live samples and loss curves, Pause /
Resume / Stop, and the trained model appearing in the Canvas model selector."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtGui import QImage
from train_images import write_shapes

from aigc_desktop.core.paths import AppPaths
from aigc_desktop.core.train.job import TrainProgress
from aigc_desktop.core.units import human_duration
from aigc_desktop.ui.train_dialog import LossCurves, TrainDialog

pytestmark = pytest.mark.usefixtures("one_torch_thread")
# A "%n …(s)" text: "48 usable pictures" with the English plural forms loaded (the app), "48 usable picture(s)" from
# the bare source text (the tests load no translation).
PLURAL = r"{}(s|\(s\))"


def open_dialog(window) -> TrainDialog:  # type: ignore[no-untyped-def]
    window.action_train.trigger()
    dialog = window.findChild(TrainDialog)
    assert dialog is not None and dialog.isVisible() and not dialog.isModal()
    return dialog


def coloured_pixels(image: QImage) -> int:
    """Pixels that are clearly not grey (the curves are drawn in colour on white and grey)."""
    a = np.frombuffer(image.convertToFormat(QImage.Format.Format_RGB888).constBits(), np.uint8)
    rgb = a[: image.height() * image.bytesPerLine()].reshape(image.height(), -1)[:, : image.width() * 3]
    rgb = rgb.reshape(image.height(), image.width(), 3).astype(int)
    return int(((rgb.max(axis=2) - rgb.min(axis=2)) > 60).sum())


def test_the_dialog_trains_shows_samples_and_curves_and_lists_the_model(
    qtbot, window, shapes_dir: Path, paths: AppPaths
) -> None:  # type: ignore[no-untyped-def]
    dialog = open_dialog(window)
    assert not dialog.start_button.isEnabled()  # no folder yet
    dialog.set_folder(shapes_dir)
    assert re.match(PLURAL.format("48 usable picture") + " found", dialog.count_label.text())
    dialog.kind_combo.setCurrentIndex(1)  # VAE
    assert dialog.epochs_spin.value() == 60 and dialog.name_edit.text() == "my-vae"
    dialog.epochs_spin.setValue(3)
    dialog.batch_spin.setValue(16)
    partials: list[TrainProgress] = []
    window.ctx.queue.job_partial.connect(lambda job, p: partials.append(p))
    with qtbot.waitSignal(dialog.model_saved, timeout=120_000) as saved:
        job = dialog.start()
        assert job is not None and job.lane == "train"
        assert not dialog.start_button.isEnabled() and dialog.pause_button.isEnabled()
        assert not dialog.name_edit.isEnabled()
    assert saved.args == ["image/my-vae"]
    # Live view: the last grid is shown, the curves hold every step of the three losses.
    assert dialog.samples_view.grid is not None and dialog.samples_view.grid.width() == 266
    assert dialog.samples_view.pixmap().width() >= 266
    assert set(dialog.curves.series) == {"total", "reconstruction", "kl"}
    assert dialog.curves.steps == partials[-1].total_steps == 9
    assert dialog.curves.series["total"][-1] < dialog.curves.series["total"][0]
    assert coloured_pixels(dialog.curves.grab().toImage()) > 200
    assert "Saved “image/my-vae”" in dialog.status_label.text()
    assert "images/s" in dialog.speed_label.text()
    assert dialog.start_button.isEnabled() and not dialog.stop_button.isEnabled()
    assert dialog.name_edit.text() == "my-vae-2"  # the used name is taken now
    # The panes' model selectors list the new model.
    assert window.canvas_pane.model_selector.findData("image/my-vae") >= 0
    assert (paths.models_dir / "image" / "my-vae" / "samples.png").is_file()
    # The run is in the project's History like any generation.
    entry = window.session.project.history[-1]
    assert entry.spec.kind.value == "train" and entry.status == "finished"
    assert "image/my-vae" in entry.summary and entry.metrics["model"] == "image/my-vae"
    # Reopening shows the same dialog.
    dialog.close()
    assert open_dialog(window) is dialog


def test_pause_resume_and_stop_from_the_dialog(qtbot, window, shapes_dir: Path, paths: AppPaths) -> None:  # type: ignore[no-untyped-def]
    dialog = open_dialog(window)
    dialog.set_folder(shapes_dir)
    dialog.kind_combo.setCurrentIndex(1)
    dialog.epochs_spin.setValue(5000)
    dialog.batch_spin.setValue(16)
    dialog.name_edit.setText("long run")
    job = dialog.start()
    assert job is not None
    qtbot.waitUntil(lambda: dialog.saved_epoch >= 1, timeout=60_000)

    dialog.pause_button.click()
    assert job.pause.paused and dialog.resume_button.isEnabled() and not dialog.pause_button.isEnabled()
    assert dialog.status_label.text().startswith("Paused")
    # The step in flight finishes (however slow the machine) and its report is delivered.
    qtbot.waitUntil(lambda: job.pause.holding, timeout=60_000)
    qtbot.wait(50)
    steps = dialog.curves.steps
    qtbot.wait(500)
    assert dialog.curves.steps == steps

    dialog.resume_button.click()
    assert not job.pause.paused and dialog.pause_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.curves.steps > steps, timeout=30_000)

    with qtbot.waitSignal(dialog.model_saved, timeout=30_000) as saved:
        dialog.stop_button.click()
    assert saved.args == ["image/long run"]
    assert dialog.status_label.text().startswith(f"Stopped. The model as of epoch {dialog.saved_epoch} is saved")
    assert window.session.project.history[-1].status == "cancelled"
    meta = json.loads((paths.models_dir / "image" / "long run" / "aigc_model.json").read_text())
    assert meta["epochs_trained"] == dialog.saved_epoch
    assert dialog.start_button.isEnabled() and not dialog.pause_button.isEnabled()


def test_bad_folders_and_names_are_said_in_the_dialog(qtbot, window, tmp_path: Path, paths: AppPaths) -> None:  # type: ignore[no-untyped-def]
    dialog = open_dialog(window)
    dialog.set_folder(tmp_path / "nowhere")
    assert "no folder" in dialog.count_label.text() and not dialog.start_button.isEnabled()
    few = write_shapes(tmp_path / "few", 3)
    dialog.set_folder(few)
    assert re.match(PLURAL.format("3 usable picture") + " found: at least 8", dialog.count_label.text())
    assert not dialog.start_button.isEnabled()
    enough = write_shapes(tmp_path / "enough", 9)
    (enough / "broken.jpg").write_bytes(b"nope")
    dialog.set_folder(enough)
    assert re.search(r"\(1 unreadable file(\(s\))? will be skipped\)", dialog.count_label.text())
    assert dialog.start_button.isEnabled()
    (paths.models_dir / "image" / "taken").mkdir(parents=True)
    dialog.name_edit.setText("taken")
    assert dialog.start() is None and "already exists" in dialog.status_label.text()
    dialog.name_edit.setText("a/b")
    assert dialog.start() is None and "path separators" in dialog.status_label.text()
    assert window.ctx.queue.idle()


def test_loss_curves_draw_and_survive_spikes(qtbot) -> None:  # type: ignore[no-untyped-def]
    curves = LossCurves()
    qtbot.addWidget(curves)
    curves.resize(400, 180)
    empty = curves.grab().toImage()
    assert coloured_pixels(empty) < 50  # the grey placeholder text (sub-pixel anti-aliasing may tint a few pixels)
    steps = [{"discriminator": 1.4 - i / 100, "generator": 0.7 + i / 50} for i in range(100)]
    steps[50]["generator"] = 1e6  # one wild step must not flatten the rest
    steps[60]["generator"] = float("nan")
    curves.add(steps)
    assert curves.steps == 100 and len(curves.series["generator"]) == 99
    _, high = curves._value_range()
    assert high < 100
    assert coloured_pixels(curves.grab().toImage()) > 300


@pytest.mark.parametrize(("seconds", "text"), [(5, "5 s"), (75, "1 min 15 s"), (3725, "1 h 02 min")])
def test_durations_read_naturally(seconds: float, text: str) -> None:
    assert human_duration(seconds) == text
    assert human_duration(0.74, tenths=True) == "0.7 s" and human_duration(75, tenths=True) == "1 min 15 s"
