"""The History dock and the "Show AI-generated" toggle, through the real window, queue and worker with fake text and
speech engines standing in for llama.cpp and Piper."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
from fakes import FakeSpeechEngine, FakeTextEngine
from PySide6.QtGui import QTextCursor

from aigc_desktop.core.engines import base
from aigc_desktop.core.settings import Settings
from aigc_desktop.core.specs import JobKind, ModelKind
from aigc_desktop.state.ai_marks import AI_BACKGROUND, ai_highlighter, collect_spans
from aigc_desktop.ui.main_window import MainWindow


@pytest.fixture(autouse=True)
def fake_engines(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setitem(base.ENGINE_CLASSES, (ModelKind.TEXT, "llama.cpp"), "fakes:FakeTextEngine")
    monkeypatch.setitem(base.ENGINE_CLASSES, (ModelKind.SPEECH, "piper"), "fakes:FakeSpeechEngine")
    monkeypatch.setattr(FakeTextEngine, "delay", 0.0)
    monkeypatch.setattr(FakeTextEngine, "hold", None)
    monkeypatch.setattr(FakeSpeechEngine, "delay", 0.0)
    monkeypatch.setattr(FakeSpeechEngine, "hold", None)
    yield


def wait_idle(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(
        lambda: window.ctx.queue.idle() and not window.audio_model.running,
        timeout=20_000,
    )


def write_and_narrate(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    doc = window.document_pane
    doc.editor.setPlainText("The night was")
    doc.editor.moveCursor(QTextCursor.MoveOperation.End)
    doc.controls.seed.setText("5")
    assert doc.continue_writing() is not None
    wait_idle(qtbot, window)
    audio = window.audio_pane
    audio.speech.text.setPlainText("First sentence. Second one.")
    audio.speech.seed.setText("11")
    audio.speech.speed.setValue(1.25)
    assert audio.generate_speech() is not None
    wait_idle(qtbot, window)


def ai_tint_drawn(window: MainWindow) -> bool:
    """Whether any layout format of the document paints the AI background (what the highlighter draws)."""
    doc = window.document_pane.editor.document()
    block = doc.begin()
    while block.isValid():
        if any(r.format.background().color() == AI_BACKGROUND for r in block.layout().formats()):
            return True
        block = block.next()
    return False


def test_history_lists_every_generation_newest_first_with_its_spec(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    panel = window.history_panel
    assert not panel.isVisible() and panel.objectName() == "historyDock"
    window.action_history.trigger()
    assert panel.isVisible()
    write_and_narrate(window, qtbot)
    text_entry, speech_entry = window.session.project.history
    assert panel.list.count() == 2
    first, second = panel.list.item(0).text(), panel.list.item(1).text()
    assert first.startswith("[S]") and second.startswith("[T]")
    for line, entry in ((first, speech_entry), (second, text_entry)):
        assert entry.spec.model_id in line and entry.status in line and f"{entry.seconds:.1f} s" in line
    panel.list.setCurrentRow(1)
    spec = panel.spec_view.toPlainText()
    assert f"model: {text_entry.spec.model_id}" in spec and "seed: 5" in spec
    assert "input prompt: The night was" in spec and "param temperature:" in spec
    assert f"licence: {text_entry.model_licence}" in spec and text_entry.model_licence
    assert panel.output_view.toPlainText() == text_entry.metrics["texts"][0].strip()
    panel.list.setCurrentRow(0)
    assert "seed: 11" in panel.spec_view.toPlainText()
    assert "clip “First sentence. Second one.”" in panel.output_view.toPlainText()


def test_regenerate_and_use_settings_route_to_the_owning_pane(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    write_and_narrate(window, qtbot)
    text_entry, speech_entry = window.session.project.history
    panel = window.history_panel
    panel.select(text_entry.spec.id)
    job = panel.regenerate_selected()
    assert job is not None and job.spec.seed == 5 and job.spec.id != text_entry.spec.id
    wait_idle(qtbot, window)
    assert window.session.project.history[-1].metrics["texts"] == text_entry.metrics["texts"]
    assert window.document_pane.results.item(0).text() == text_entry.metrics["texts"][0].strip()
    assert panel.list.count() == 3  # the replay itself is listed, first

    panel.select(speech_entry.spec.id)
    job = panel.regenerate_selected()
    assert job is not None and job.spec.kind is JobKind.SPEECH
    wait_idle(qtbot, window)
    first, again = window.session.project.clips
    assert again.spec_id == job.spec.id and np.array_equal(first.samples, again.samples)
    assert window.current_pane() is window.audio_pane

    # settings go back into the controls
    window.document_pane.controls.seed.setText("")
    window.document_pane.controls.temperature.setValue(1.9)
    panel.select(text_entry.spec.id)
    panel.use_selected_settings()
    controls = window.document_pane.controls
    assert controls.seed.text() == "5"
    assert controls.temperature.value() == pytest.approx(text_entry.spec.params["temperature"])
    audio = window.audio_pane
    audio.speech.seed.setText("")
    audio.speech.speed.setValue(1.0)
    panel.select(speech_entry.spec.id)
    panel.use_selected_settings()
    assert audio.speech.seed.text() == "11" and audio.speech.speed.value() == pytest.approx(1.25)


def test_go_to_selects_the_clip(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    write_and_narrate(window, qtbot)
    _text_entry, speech_entry = window.session.project.history
    window.audio_pane.regenerate(speech_entry)
    wait_idle(qtbot, window)
    first, _second = window.session.project.clips
    window.show_pane(window.document_pane)
    window.audio_model.set_current(_second.id)
    assert window.audio_pane.clip_list.currentRow() == 1
    panel = window.history_panel
    panel.select(speech_entry.spec.id)
    assert panel.go_to_button.isEnabled()
    panel.go_to_selected()
    assert window.current_pane() is window.audio_pane
    assert window.audio_model.current_id == first.id and window.audio_pane.clip_list.currentRow() == 0


def test_show_ai_toggle_hides_the_tint_and_suffixes_without_an_undo_step(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    write_and_narrate(window, qtbot)
    doc = window.document_pane.editor.document()
    spans = collect_spans(doc)
    assert spans and window.action_show_ai.isChecked()
    assert ai_tint_drawn(window)
    assert "background" not in window.document_pane.editor.toHtml().split("<body", 1)[1]  # the tint is not saved
    assert "✦ AI" in window.audio_pane.clip_list.item(0).text()
    undo_steps, html = doc.availableUndoSteps(), doc.toHtml()

    window.action_show_ai.trigger()
    assert not window.action_show_ai.isChecked() and not ai_highlighter(doc).enabled
    assert not ai_tint_drawn(window)
    assert collect_spans(doc) == spans and doc.toHtml() == html
    assert doc.availableUndoSteps() == undo_steps
    assert "✦ AI" not in window.audio_pane.clip_list.item(0).text()
    assert window.ctx.settings.values.show_ai is False
    assert Settings.load(window.ctx.paths).show_ai is False  # survives a restart

    window.action_show_ai.trigger()
    assert ai_tint_drawn(window) and "✦ AI" in window.audio_pane.clip_list.item(0).text()
    assert doc.availableUndoSteps() == undo_steps


def test_the_toggle_is_restored_at_start(paths, qtbot) -> None:  # type: ignore[no-untyped-def]
    from aigc_desktop.state.context import AppContext

    settings = Settings.load(paths)
    settings.show_ai = False
    settings.save(paths)
    ctx = AppContext.start(paths)
    win = MainWindow(ctx)
    try:
        assert not win.action_show_ai.isChecked()
        assert not ai_highlighter(win.document_pane.editor.document()).enabled
    finally:
        win.close()
        win.deleteLater()
        ctx.queue.shutdown()
