"""The Document pane's writing features under pytest-qt, driven through the real queue, worker and registry with a
fake text engine standing in for llama.cpp (the real engines have their own tests)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from fakes import FakeTextEngine
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QTextCursor
from PySide6.QtWidgets import QMessageBox

from aigc_desktop.core.engines import base
from aigc_desktop.core.models.embedded import GEMMA_ID
from aigc_desktop.core.project.store import load_project
from aigc_desktop.core.specs import ModelKind
from aigc_desktop.core.text.job import TextParams
from aigc_desktop.state.ai_marks import AI_SPEC_PROPERTY, collect_spans
from aigc_desktop.ui.main_window import MainWindow


@pytest.fixture(autouse=True)
def fake_llama(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setitem(base.ENGINE_CLASSES, (ModelKind.TEXT, "llama.cpp"), "fakes:FakeTextEngine")
    monkeypatch.setattr(FakeTextEngine, "delay", 0.0)
    monkeypatch.setattr(FakeTextEngine, "hold", None)
    yield


def pane_of(window: MainWindow):  # type: ignore[no-untyped-def]
    window.show_pane(window.document_pane)
    return window.document_pane


def type_text(pane, text: str) -> None:  # type: ignore[no-untyped-def]
    pane.editor.setPlainText(text)
    cursor = pane.editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    pane.editor.setTextCursor(cursor)


def wait_idle(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: window.ctx.queue.idle(), timeout=20_000)


def test_continue_streams_marked_text_at_the_cursor_as_one_undo_step(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    pane = pane_of(window)
    type_text(pane, "The night was")
    pane.controls.seed.setText("7")
    chunks: list[object] = []
    window.ctx.queue.job_partial.connect(lambda _job, payload: chunks.append(payload))
    job = pane.continue_writing()
    assert job is not None and job.spec.seed == 7 and job.spec.inputs["prompt"] == "The night was"
    wait_idle(qtbot, window)
    text = pane.editor.toPlainText()
    assert text.startswith("The night was ") and len(text[len("The night was") :].split()) == 12
    assert len(chunks) >= 1  # pieces arrive coalesced (at most every 50 ms), in order
    assert text == "The night was" + "".join(c.text for c in chunks)  # type: ignore[attr-defined]
    (span,) = collect_spans(pane.editor.document())
    assert (span.start, span.end, span.spec_id) == (len("The night was"), len(text), job.spec.id)
    # the whole insertion is one undo step
    pane.undo()
    assert pane.editor.toPlainText() == "The night was"
    (entry,) = window.session.project.history
    assert entry.status == "finished" and entry.spec.id == job.spec.id and entry.spec.seed == 7
    assert entry.metrics["texts"] == [text[len("The night was") :]]
    assert window.session.dirty


def test_the_author_keeps_typing_while_the_model_writes(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    FakeTextEngine.hold = threading.Event()  # the model pauses after its first word until the author has typed
    pane = pane_of(window)
    type_text(pane, "Middle.")
    pane.editor.moveCursor(QTextCursor.MoveOperation.End)
    pane.continue_writing()
    qtbot.waitUntil(lambda: len(pane.editor.toPlainText()) > len("Middle."), timeout=10_000)
    start = pane.editor.textCursor()
    start.movePosition(QTextCursor.MoveOperation.Start)
    start.insertText("Title. ")  # the author edits above the insertion point meanwhile
    FakeTextEngine.hold.set()
    wait_idle(qtbot, window)
    text = pane.editor.toPlainText()
    assert text.startswith("Title. Middle. ")
    (span,) = collect_spans(pane.editor.document())
    assert text[span.start : span.end] == text[len("Title. Middle.") :]


def test_stop_and_escape_halt_generation_and_keep_what_was_written(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    FakeTextEngine.hold = threading.Event()  # never set: the model waits after its first word until Stop
    pane = pane_of(window)
    type_text(pane, "Once")
    job = pane.continue_writing()
    assert job is not None and pane.stop_button.isEnabled()
    qtbot.waitUntil(lambda: len(pane.editor.toPlainText()) > len("Once"), timeout=10_000)
    with qtbot.waitSignal(window.ctx.queue.job_cancelled, timeout=5000):
        qtbot.keyClick(pane.editor, Qt.Key.Key_Escape)
    written = pane.editor.toPlainText()
    assert len(written.split()) == 2  # "Once" and the one word written before Stop
    qtbot.wait(200)
    assert pane.editor.toPlainText() == written
    (entry,) = window.session.project.history
    assert entry.status == "cancelled" and not pane.stop_button.isEnabled()


def test_ai_marks_survive_save_and_reopen_and_typing_beside_them_is_not_marked(  # type: ignore[no-untyped-def]
    window: MainWindow, qtbot, tmp_path
) -> None:
    pane = pane_of(window)
    type_text(pane, "Start")
    job = pane.continue_writing()
    wait_idle(qtbot, window)
    assert job is not None
    pane.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(pane.editor, " mine")
    doc_text = pane.editor.toPlainText()
    (span,) = collect_spans(pane.editor.document())
    assert doc_text[span.end :] == " mine"
    path = tmp_path / "marks.aigc"
    assert window.save_as(path)
    assert load_project(path).project.document.ai_spans == [span]
    window.new_project()
    assert window.open_project(path)
    assert pane.editor.toPlainText() == doc_text
    assert collect_spans(pane.editor.document()) == [span]
    cursor = QTextCursor(pane.editor.document())
    cursor.setPosition(span.start + 1)
    assert cursor.charFormat().property(AI_SPEC_PROPERTY) == job.spec.id


def test_variants_fill_results_and_a_click_inserts_one(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    pane = pane_of(window)
    type_text(pane, "A poem:")
    pane.controls.variants.setValue(4)
    job = pane.generate_variants()
    assert job is not None and job.spec.params["n"] == 4
    wait_idle(qtbot, window)
    assert pane.results.count() == 4
    texts = [pane.results.item(i).text() for i in range(4)]
    assert len(set(texts)) > 1 and pane.editor.toPlainText() == "A poem:"
    pane.editor.moveCursor(QTextCursor.MoveOperation.End)
    pane.insert_result(2)
    assert pane.editor.toPlainText().strip().endswith(texts[2])
    assert collect_spans(pane.editor.document())[0].spec_id == job.spec.id


def test_greedy_variants_are_refused_with_a_reason(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    pane = pane_of(window)
    type_text(pane, "x")
    pane.controls.greedy.setChecked(True)
    assert pane.generate_variants() is None
    boxes = [b for b in window.findChildren(QMessageBox, "errorDialog") if b.isVisible()]
    assert any("Greedy" in b.text() for b in boxes)


def test_base_model_actions_show_which_need_an_instruct_model(window: MainWindow) -> None:
    pane = pane_of(window)
    gemma = window.ctx.registry.get(pane.model_selector.current_model_id() or "")
    assert gemma.id == GEMMA_ID and gemma.instruct is False  # the embedded Gemma is a base model
    # The user chooses the base model for actions: they run on it, and those it cannot run say why.
    pane.actions_tab.model_box.setCurrentIndex(pane.actions_tab.model_box.findData(GEMMA_ID))
    pane.actions_tab.model_box.activated.emit(pane.actions_tab.model_box.currentIndex())
    model = pane.action_box.model()
    states = {pane.action_box.itemData(i): model.item(i).isEnabled() for i in range(pane.action_box.count())}  # type: ignore[attr-defined]
    assert states == {
        "poem": True,
        "title": True,
        "slogan": True,
        "summary": True,
        "expand": False,
        "rewrite": False,
        "shorten": False,
        "translate": False,
        "brainstorm": False,
    }
    pane.action_box.setCurrentIndex(list(states).index("rewrite"))
    assert "instruction-tuned" in pane.action_note.text() and not pane.run_action_button.isEnabled()
    assert pane.actions_tab.model_note.text() == f"“Rewrite” runs on {gemma.name}, the model chosen above."


def test_title_action_uses_beam_search_on_a_completion_prompt(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    pane = pane_of(window)
    type_text(pane, "Rivers carry stories from the mountains to the sea.")
    pane.action_box.setCurrentIndex(1)
    assert pane.template.toPlainText().startswith("Article:")
    job = pane.run_action()
    assert job is not None
    params = TextParams.from_spec(job.spec)
    assert (params.num_beams, params.n, params.chat) == (5, 3, False)
    assert job.spec.inputs["prompt"].startswith("Article:\nRivers carry stories")
    assert job.spec.inputs["action"] == "title"
    wait_idle(qtbot, window)
    assert pane.results.count() == 3


def test_regenerate_replays_a_recorded_generation_exactly(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    pane = pane_of(window)
    type_text(pane, "Seeded")
    pane.continue_writing()
    wait_idle(qtbot, window)
    (entry,) = window.session.project.history
    first_texts = entry.metrics["texts"]
    pane.history.setCurrentRow(0)
    pane.regenerate_selected()
    wait_idle(qtbot, window)
    second = window.session.project.history[-1]
    assert second.spec.seed == entry.spec.seed and second.spec.id != entry.spec.id
    assert second.metrics["texts"] == first_texts
    assert pane.results.item(0).text() == first_texts[0].strip()
    pane.use_selected_settings()
    assert pane.controls.seed.text() == str(entry.spec.seed)


def test_empty_document_gets_a_message_not_a_job(window: MainWindow) -> None:
    pane = pane_of(window)
    assert pane.continue_writing() is None
    assert window.ctx.queue.idle()
    boxes = [b for b in window.findChildren(QMessageBox, "errorDialog") if b.isVisible()]
    assert any("Write something first" in b.text() for b in boxes)


def test_find_selects_matches_in_turn_and_wraps_around(window: MainWindow) -> None:
    pane = pane_of(window)
    pane.editor.setPlainText("river stone river 河 river")
    pane.find_box.setText("river")
    starts = []
    for _ in range(4):
        assert pane.find_next()
        starts.append(pane.editor.textCursor().selectionStart())
    assert starts == [0, 12, 20, 0]
    pane.find_box.setText("河")
    assert pane.find_next() and pane.editor.textCursor().selectedText() == "河"
    pane.find_box.setText("absent")
    assert not pane.find_next() and "not in the document" in pane.gen_status.text()


def drop_files(pane, paths: list) -> None:  # type: ignore[no-untyped-def]
    """A drop of local files on the editor's viewport, at its top-left corner, handed to the pane's drop filter
    directly: QApplication.sendEvent does not deliver a synthetic drop without a drag in progress (offscreen)."""
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDropEvent

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(
        QPointF(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    assert pane.eventFilter(pane.editor.viewport(), event)
    assert event.isAccepted()


def test_dropped_markdown_and_text_files_are_inserted_as_one_undo_step(window: MainWindow, tmp_path) -> None:  # type: ignore[no-untyped-def]
    pane = pane_of(window)
    type_text(pane, "The end.")
    md = tmp_path / "notes.md"
    md.write_text("# Chapter\n\nSome **bold** words.\n", encoding="utf-8")
    txt = tmp_path / "plain.txt"
    txt.write_text("Plain 文字 <b>not html</b>\n", encoding="utf-8")
    drop_files(pane, [md, txt])
    text = pane.editor.toPlainText()
    assert text.startswith("Chapter") and "Some bold words." in text and text.endswith("The end.")
    assert "Plain 文字 <b>not html</b>" in text  # .txt stays plain, markup and all
    assert "**" not in text and "# " not in text  # Markdown was rendered, not pasted as source
    cursor = pane.editor.document().find("bold")
    assert cursor.charFormat().fontWeight() == QFont.Weight.Bold
    assert collect_spans(pane.editor.document()) == []  # dropped text is never marked as AI-written
    assert window.session.dirty
    pane.editor.undo()
    assert pane.editor.toPlainText() == "The end."


def test_dropped_html_file_keeps_its_formatting(window: MainWindow, tmp_path) -> None:  # type: ignore[no-untyped-def]
    pane = pane_of(window)
    html = tmp_path / "page.html"
    html.write_text("<p>Hello <i>there</i></p>", encoding="utf-8")
    assert pane.insert_text_files([html])
    assert pane.editor.toPlainText() == "Hello there"
    assert pane.editor.document().find("there").charFormat().fontItalic()


def test_too_large_and_non_utf8_files_say_why_and_insert_nothing(window: MainWindow, tmp_path) -> None:  # type: ignore[no-untyped-def]
    pane = pane_of(window)
    type_text(pane, "Kept.")
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (5 * 1024**2 + 1))
    drop_files(pane, [big])
    boxes = [b for b in window.findChildren(QMessageBox, "errorDialog") if b.isVisible()]
    assert boxes and "too large" in boxes[-1].text() and "big.txt" in boxes[-1].text()
    latin = tmp_path / "latin.md"
    latin.write_bytes("café".encode("latin-1"))
    assert not pane.insert_text_files([latin])
    boxes = [b for b in window.findChildren(QMessageBox, "errorDialog") if b.isVisible()]
    assert "not UTF-8" in boxes[-1].text()
    assert pane.editor.toPlainText() == "Kept."
