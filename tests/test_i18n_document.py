"""The Document pane in two languages and with Chinese writing: every text translated (pseudo-language sweep over the
pane and all four tabs of its side panel), a live switch that restores English exactly, the 字数 word count, Find
with Chinese, the Chinese action templates, typing through an input method, and status lines that follow a switch.

Driven through the real window (the `window` fixture) with the fake text engine of test_document_pane.py; the real
models run the Chinese templates in test_text_chinese.py.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import ClassVar

import pytest
from fakes import FakeTextEngine
from i18n_sweep import CLOSE, OPEN, _visible_texts, pseudo_language, untranslated
from PySide6.QtCore import QCoreApplication, QLocale, QPoint, Qt, QTranslator
from PySide6.QtGui import QHelpEvent, QInputMethodEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QComboBox, QMessageBox, QToolTip, QWidget
from pytestqt.qtbot import QtBot

from aigc_desktop.core.engines import base
from aigc_desktop.core.project.model import HistoryStatus
from aigc_desktop.core.specs import ModelKind
from aigc_desktop.core.text.action_model import Why
from aigc_desktop.core.text.actions import ACTIONS, ACTIONS_BY_ID
from aigc_desktop.core.text.job import TextParams, text_spec
from aigc_desktop.state.ai_marks import ai_format, collect_spans
from aigc_desktop.state.document import LocalNumber
from aigc_desktop.ui.document.pane import DocumentPane
from aigc_desktop.ui.main_window import MainWindow

STORY = "灯笼在风中摇晃，她想起了祖父。Hello world"
MIXED = "灯笼在风中摇晃，她想起了祖父说过的话。Mei thought her grandfather knew it all along. 祖父说：光是为了被看见。"
# Visible texts of the document pane that are rightly the same in every language.
ALLOWED = {
    "B",  # the formatting buttons' letters, as Chinese word processors show them too (their tooltips are translated)
    "I",
    "H1",
    "H2",
    "Model:",  # the Pane base's label: marked in the window shell's share (ui/pane.py), not this pane's
}


def others(pane: DocumentPane) -> list[QWidget]:
    """Widgets in the pane that are the user's text or belong to other shares: the document itself, the model
    selector (model names; ui/model_selector.py) and the drag-out handle the window adds (ui/drag_out.py)."""
    handle = pane.findChild(QWidget, "dragDocumentButton")
    return [pane.editor, pane.model_selector, *([handle] if handle is not None else [])]


@pytest.fixture(autouse=True)
def fake_llama(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setitem(base.ENGINE_CLASSES, (ModelKind.TEXT, "llama.cpp"), "fakes:FakeTextEngine")
    monkeypatch.setattr(FakeTextEngine, "delay", 0.0)
    monkeypatch.setattr(FakeTextEngine, "hold", None)
    yield


class DictTranslator(QTranslator):
    """A few real Chinese translations, as the built catalogue holds them (the .ts are filled after the merge)."""

    TEXTS: ClassVar[dict[tuple[str, str], str]] = {
        ("DocumentPane", "{words} words · {characters} characters"): "字数 {words} · 字符 {characters}",
        ("TextAction", "Poem"): "写诗",
        ("TextAction", "Title / headline"): "拟标题",
        ("TextAction", "Translate zh↔en"): "中英互译",
        ("FindBox", "“{text}” is not in the document"): "文档中没有“{text}”",
    }

    def translate(  # type: ignore[override]
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str:
        return self.TEXTS.get((context, source), "")

    def isEmpty(self) -> bool:
        return False


@pytest.fixture
def chinese_texts() -> Iterator[None]:
    translator = DictTranslator()
    QCoreApplication.installTranslator(translator)
    QApplication.processEvents()
    try:
        yield
    finally:
        QCoreApplication.removeTranslator(translator)
        QApplication.processEvents()


def pane_of(window: MainWindow) -> DocumentPane:
    window.show_pane(window.document_pane)
    return window.document_pane


def set_text(pane: DocumentPane, text: str) -> None:
    pane.editor.setPlainText(text)
    pane.editor.moveCursor(QTextCursor.MoveOperation.End)
    pane._update_language()  # what the pane does once typing pauses


def wait_idle(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.ctx.queue.idle(), timeout=20_000)


def record_history(window: MainWindow) -> None:
    """Two finished generations and a stopped one, as after a few runs."""
    model = window.document_model
    model_id = window.document_pane.model_selector.current_model_id()
    assert model_id is not None
    for mode, action, status in (
        ("continue", None, HistoryStatus.FINISHED),
        ("action", "title", HistoryStatus.FINISHED),
        ("variants", None, HistoryStatus.CANCELLED),
    ):
        extra = {"action": action} if action else {}
        spec = text_spec(model_id, "灯笼", TextParams(), 42, mode=mode, **extra)
        window.session.record(spec, status, started_at=time.time(), seconds=1.0, summary="守灯人的最后一夜")
    model._show_result(0, "灯火照亮回家的路", "demo")


def all_texts(root: QWidget) -> dict[str, str]:
    """Every visible text under `root` (what the sweep looks at), plus the action list's tooltips, the history's rows,
    the word count and the status line: the snapshot a live switch must restore exactly."""
    texts: dict[str, str] = {}
    for i, widget in enumerate([root, *root.findChildren(QWidget)]):
        for where, text in _visible_texts(widget):
            texts[f"{i} {where}"] = text
        if isinstance(widget, QComboBox) and widget.objectName() == "actionBox":
            for row in range(widget.count()):
                texts[f"{i} item tip {row}"] = str(widget.itemData(row, Qt.ItemDataRole.ToolTipRole))
    pane = root if isinstance(root, DocumentPane) else root.findChild(DocumentPane)
    assert isinstance(pane, DocumentPane)
    for row in range(pane.history.count()):
        texts[f"history {row}"] = pane.history.item(row).text()
    return texts


# ---------------------------------------------------------------- every text translated, and a live switch


def test_pseudo_language_sweep_over_the_pane_and_every_side_tab(window: MainWindow, qtbot: QtBot) -> None:
    pane = pane_of(window)
    set_text(pane, MIXED)
    record_history(window)
    assert pane.find_next() is False  # the find box is empty: nothing happens
    pane.find_box.setText("外婆")
    pane.find_next()  # a status line: "“外婆” is not in the document"
    with pseudo_language():
        QApplication.processEvents()
        for tab in range(pane.side.count()):
            pane.side.setCurrentIndex(tab)
            qtbot.wait(10)
            assert untranslated(pane, allowed=ALLOWED, content=others(pane)) == []
        assert pane.word_count.text().startswith(OPEN) and pane.gen_status.text().startswith(OPEN)
        assert f"{OPEN}外婆" not in pane.gen_status.text() and "外婆" in pane.gen_status.text()  # the value is not
        for row in range(pane.action_box.count()):  # the reasons a base model cannot run an action
            tip = str(pane.action_box.itemData(row, Qt.ItemDataRole.ToolTipRole) or "")
            assert not tip or tip.startswith(OPEN), tip
        assert all(pane.history.item(r).text().startswith(OPEN) for r in range(pane.history.count()))
        assert f"{OPEN}Title / headline{CLOSE}" in pane.history.item(1).text()  # what it was, translated too
        assert pane.action_note.text().startswith(OPEN)
        labels = [label.text() for label in pane.controls.labels.values()]  # each Settings row has its label
        assert len(labels) == 9 and all(text.startswith(OPEN) for text in labels), labels
        assert pane.template.toPlainText().startswith("原文：")  # the template is the prompt itself: not translated


def test_error_dialogs_of_the_pane_are_translated(window: MainWindow) -> None:
    pane = pane_of(window)
    with pseudo_language():
        QApplication.processEvents()
        assert pane.continue_writing() is None  # an empty document
        set_text(pane, "Some words")
        pane.controls.greedy.setChecked(True)
        assert pane.generate_variants() is None
        boxes = [b for b in window.findChildren(QMessageBox, "errorDialog") if b.isVisible()]
        assert len(boxes) == 2
        for box in boxes:
            assert box.windowTitle() == f"{OPEN}Cannot generate{CLOSE}" and box.text().startswith(OPEN)
            assert untranslated(box) == []
            box.close()


def test_a_live_switch_and_back_restores_every_english_text(window: MainWindow, qtbot: QtBot) -> None:
    pane = pane_of(window)
    set_text(pane, MIXED)
    record_history(window)
    pane.find_box.setText("外婆")
    pane.find_next()
    before = all_texts(pane)
    assert before  # the snapshot holds the pane's texts
    assert any("words ·" in t for t in before.values()) and any("not in the document" in t for t in before.values())
    with pseudo_language():
        QApplication.processEvents()
        during = all_texts(pane)
        changed = [k for k, v in before.items() if v and during.get(k) != v]
        assert len(changed) > 40  # the switch reached the pane's texts
    QApplication.processEvents()
    assert all_texts(pane) == before


def test_action_names_and_word_count_in_chinese(window: MainWindow, chinese_texts: None) -> None:
    pane = pane_of(window)
    set_text(pane, STORY)
    assert pane.action_box.itemText(0) == "写诗"
    assert pane.action_box.itemText(1) == "拟标题"
    assert pane.action_box.itemText([a.id for a in ACTIONS].index("translate")) == "中英互译"
    assert pane.word_count.text() == f"字数 15 · 字符 {len(STORY)}"


# ---------------------------------------------------------------- 字数 and numbers


def test_word_count_is_what_chinese_writers_count_through_qlocale(window: MainWindow) -> None:
    pane = pane_of(window)
    set_text(pane, STORY)
    assert pane.word_count.text() == f"15 words · {len(STORY)} characters"  # 13 Han characters + 2 words
    set_text(pane, "。，、" * 3)
    assert pane.word_count.text() == "0 words · 9 characters"  # punctuation is no word
    default = QLocale()
    try:
        QLocale.setDefault(QLocale("en"))  # what the app sets for English (ui/i18n.py apply_language)
        set_text(pane, "字" * 1234)
        assert pane.word_count.text() == "1,234 words · 1,234 characters"  # English groups thousands
        QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
        pane.retranslate()
        assert pane.word_count.text() == "1.234 words · 1.234 characters"  # the language's own digits, not Python's
    finally:
        QLocale.setDefault(default)
        pane.retranslate()


def test_status_numbers_are_written_the_languages_way_when_shown() -> None:
    from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
    from aigc_desktop.ui.i18n import tr_msg

    msg = QT_TRANSLATE_NOOP("DocumentModel", "{title}: {tokens} tokens at {speed} tokens/s").format(
        title="Continue", tokens=LocalNumber(1200), speed=LocalNumber(12.345, 1)
    )
    default = QLocale()
    try:
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        assert tr_msg(msg) == "Continue: 1,200 tokens at 12.3 tokens/s"
        QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
        assert tr_msg(msg) == "Continue: 1.200 tokens at 12,3 tokens/s"  # formatted anew each time it is shown
    finally:
        QLocale.setDefault(default)


def test_generation_status_lines_follow_a_language_switch(window: MainWindow, qtbot: QtBot) -> None:
    FakeTextEngine.hold = threading.Event()
    pane = pane_of(window)
    set_text(pane, STORY)
    statuses: list[str] = []
    window.document_model.status_changed.connect(statuses.append)
    pane.continue_writing()
    qtbot.waitUntil(lambda: "writing…" in pane.gen_status.text(), timeout=10_000)
    assert pane.gen_status.text().startswith("Continue: writing… ") and pane.gen_status.text().endswith(" characters")
    with pseudo_language():
        QApplication.processEvents()
        # The line is the Msg it came as, shown again in the new language (the job's title inside it too).
        assert pane.gen_status.text().startswith(f"{OPEN}{OPEN}Continue{CLOSE}: writing… ")
    FakeTextEngine.hold.set()
    wait_idle(qtbot, window)
    done = pane.gen_status.text()
    assert done.startswith("Continue: 12 tokens at ") and "tokens/s" in done
    with pseudo_language():
        QApplication.processEvents()
        assert pane.gen_status.text().startswith(f"{OPEN}{OPEN}Continue{CLOSE}: 12 tokens at ")
    QApplication.processEvents()
    assert pane.gen_status.text() == done
    assert [type(s).__name__ for s in statuses] == ["Msg"] * len(statuses)  # never flattened to plain text


# ---------------------------------------------------------------- Find with Chinese


def test_find_chinese_next_previous_and_no_match(window: MainWindow, qtbot: QtBot) -> None:
    pane = pane_of(window)
    set_text(pane, MIXED)
    first, second = MIXED.index("祖父"), MIXED.rindex("祖父")
    pane.find_box.setText("祖父")
    starts = []
    for _ in range(3):
        assert pane.find_next()
        starts.append(pane.editor.textCursor().selectionStart())
        assert pane.editor.textCursor().selectedText() == "祖父"
    assert starts == [first, second, first]  # wraps around
    qtbot.keyClick(pane.find_box, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)  # Shift+Enter: previous
    assert pane.editor.textCursor().selectionStart() == second  # wrapped backwards past the start
    qtbot.keyClick(pane.find_box, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert pane.editor.textCursor().selectionStart() == first
    qtbot.keyClick(pane.find_box, Qt.Key.Key_Return)  # Enter: next
    assert pane.editor.textCursor().selectionStart() == second
    pane.find_box.setText("grandfather")
    assert pane.find_next() and pane.editor.textCursor().selectedText() == "grandfather"
    pane.find_box.setText("外婆")
    assert not pane.find_next()
    assert pane.gen_status.text() == "“外婆” is not in the document"


def test_no_match_message_in_chinese(window: MainWindow, chinese_texts: None) -> None:
    pane = pane_of(window)
    set_text(pane, MIXED)
    pane.find_box.setText("外婆")
    assert not pane.find_next()
    assert pane.gen_status.text() == "文档中没有“外婆”"


# ---------------------------------------------------------------- Chinese action templates in the pane


def test_chinese_text_gets_the_chinese_template_and_english_text_the_english_one(
    window: MainWindow, qtbot: QtBot
) -> None:
    pane = pane_of(window)
    runs_on = pane.actions_tab.resolved()  # the poem: on the Document's model, the embedded Gemma
    assert runs_on.why is Why.DOCUMENT and runs_on.entry is not None and runs_on.entry.instruct is False
    set_text(pane, "Rivers carry stories from the mountains to the sea.")
    assert pane.template.toPlainText() == "A short poem about {text}\n\n"
    pane.editor.setPlainText(MIXED)
    qtbot.waitUntil(lambda: pane.template.toPlainText().startswith("原文："), timeout=3000)  # once typing pauses
    assert "Chinese" in pane.action_note.text()
    job = pane.run_action()
    assert job is not None
    prompt = job.spec.inputs["prompt"]
    assert prompt.endswith(f"原文：{MIXED}\n短诗：\n") and prompt.startswith("原文：春天来了")
    params = TextParams.from_spec(job.spec)
    assert params.stop == ("\n\n", "原文：", "短诗：") and params.temperature == 0.9 and not params.chat
    wait_idle(qtbot, window)
    # The title: beam search as in English, on the Chinese frame.
    pane.action_box.setCurrentIndex(1)
    assert pane.template.toPlainText().endswith("文章：{text}\n标题：")
    job = pane.run_action()
    assert job is not None
    params = TextParams.from_spec(job.spec)
    assert (params.num_beams, params.n, params.greedy, params.stop) == (5, 3, True, ("\n",))
    assert job.spec.inputs["prompt"].endswith(f"文章：{MIXED}\n标题：")
    wait_idle(qtbot, window)
    assert pane.results.count() == 3
    # A selection decides, not the whole document.
    cursor = pane.editor.textCursor()
    start = MIXED.index("Mei")
    cursor.setPosition(start)
    cursor.setPosition(start + len("Mei thought her grandfather knew it all along."), QTextCursor.MoveMode.KeepAnchor)
    pane.editor.setTextCursor(cursor)
    pane._update_language()
    assert pane.template.toPlainText().startswith("Article:")


def test_an_edited_template_is_kept_when_the_texts_language_changes(window: MainWindow, qtbot: QtBot) -> None:
    pane = pane_of(window)
    set_text(pane, "An English page.")
    pane.template.setPlainText("My own frame: {text}\nPoem:")
    set_text(pane, MIXED)
    assert pane.template.toPlainText() == "My own frame: {text}\nPoem:"
    job = pane.run_action()
    assert job is not None and job.spec.inputs["prompt"] == f"My own frame: {MIXED}\nPoem:"
    wait_idle(qtbot, window)
    pane.action_box.setCurrentIndex(3)  # another action shows its own template again, for the Chinese text
    # (the summary needs instructions: it runs on the embedded SmolLM2, so its instruction template)
    assert pane.template.toPlainText() == "请用两三句话概括下面这段文字。\n\n{text}"


def test_brainstorming_on_an_empty_page_follows_the_interests_then_the_interface(window: MainWindow) -> None:
    pane = pane_of(window)
    pane._update_language()
    assert not pane.actions_tab.chinese  # English interface, no text, no interests
    pane.interests.setText("山水，科幻、旅行")
    pane.interests.editingFinished.emit()
    assert window.ctx.settings.values.interest_keywords == ["山水", "科幻", "旅行"]  # Chinese commas separate too
    pane._update_language()
    assert pane.actions_tab.chinese


@pytest.mark.usefixtures("torch_one_thread")
def test_the_instruct_path_uses_the_chinese_instruction_template_with_the_chat_template(
    window: MainWindow, qtbot: QtBot
) -> None:
    """A tiny random-weight Qwen2 with a chat template, installed as a user would: the pane offers every action, sends
    the Chinese instruction with chat=True, and the real transformers engine answers (noise: the structure counts)."""
    import tiny_models

    tiny_models.save_tiny_qwen2(window.ctx.paths.models_dir / "qwen2-tiny-instruct")
    pane = pane_of(window)
    pane.refresh_models()
    pane.model_selector.setCurrentIndex(pane.model_selector.findData("qwen2-tiny-instruct"))
    runs_on = pane.actions_tab.resolved(ACTIONS_BY_ID["translate"])  # the Document's model follows instructions
    assert runs_on.why is Why.DOCUMENT and runs_on.entry is not None and runs_on.entry.id == "qwen2-tiny-instruct"
    model = pane.action_box.model()
    assert all(model.item(i).isEnabled() for i in range(pane.action_box.count()))  # type: ignore[attr-defined]
    set_text(pane, STORY)
    pane.action_box.setCurrentIndex([a.id for a in ACTIONS].index("translate"))
    assert pane.template.toPlainText() == "请把下面的中文翻译成英文。只回复译文。\n\n{text}"
    pane.controls.max_new_tokens.setValue(6)
    job = pane.run_action()
    assert job is not None
    assert job.spec.inputs["prompt"] == f"请把下面的中文翻译成英文。只回复译文。\n\n{STORY}"
    params = TextParams.from_spec(job.spec)
    assert params.chat and params.temperature == 0.2
    qtbot.waitUntil(lambda: window.ctx.queue.idle(), timeout=120_000)  # torch loads on the worker first
    (entry,) = [h for h in window.session.project.history if h.spec.id == job.spec.id]
    assert entry.status == HistoryStatus.FINISHED and "dtype" in entry.metrics  # the transformers engine ran it
    assert pane.results.count() == 1
    set_text(pane, "The lantern swayed in the wind.")
    assert "into Simplified Chinese" in pane.template.toPlainText()  # English text: translated into Chinese


# ---------------------------------------------------------------- typing through an input method


def compose(widget: QWidget, preedit: str) -> None:
    QApplication.sendEvent(widget, QInputMethodEvent(preedit, []))


def commit(widget: QWidget, text: str) -> None:
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def test_input_method_text_in_the_editor_is_committed_counted_saved_and_undone(window: MainWindow) -> None:
    pane = pane_of(window)
    set_text(pane, "她想起了祖父。")
    count_before = pane.word_count.text()
    compose(pane.editor, "denglong")  # pinyin being composed: shown, not yet text
    assert pane.editor.toPlainText() == "她想起了祖父。"
    assert pane.word_count.text() == count_before
    window.document_model.flush()
    assert window.session.project.document.text == "她想起了祖父。"
    assert "denglong" not in window.session.project.document.html
    commit(pane.editor, "灯笼")
    assert pane.editor.toPlainText() == "她想起了祖父。灯笼"
    assert pane.word_count.text().startswith("8 words")  # 6 + 2 Han characters
    window.document_model.flush()
    assert window.session.project.document.text == "她想起了祖父。灯笼"
    pane.undo()
    assert pane.editor.toPlainText() == "她想起了祖父。"
    pane.redo()
    assert pane.editor.toPlainText() == "她想起了祖父。灯笼"


def test_input_method_text_typed_inside_ai_text_is_the_authors(window: MainWindow) -> None:
    pane = pane_of(window)
    pane.editor.setPlainText("")
    cursor = pane.editor.textCursor()
    cursor.insertText("灯笼在风中摇晃", ai_format("spec-1"))
    cursor.setPosition(2)
    pane.editor.setTextCursor(cursor)
    commit(pane.editor, "轻轻")
    assert pane.editor.toPlainText() == "灯笼轻轻在风中摇晃"
    spans = [(s.start, s.end) for s in collect_spans(pane.editor.document())]
    assert spans == [(0, 2), (4, 9)]  # the committed characters are not marked as AI


def test_input_method_text_in_the_panes_fields(window: MainWindow, qtbot: QtBot) -> None:
    pane = pane_of(window)
    set_text(pane, MIXED)
    # The interests.
    pane.interests.clear()
    compose(pane.interests, "shanshui")
    assert pane.interests.text() == ""
    commit(pane.interests, "山水")
    assert pane.interests.text() == "山水"
    pane.interests.undo()
    assert pane.interests.text() == ""
    commit(pane.interests, "山水，科幻")
    pane.interests.editingFinished.emit()
    assert window.ctx.settings.values.interest_keywords == ["山水", "科幻"]
    # The seed (a Chinese input method in full-width mode commits full-width digits).
    commit(pane.controls.seed, "４２")
    assert pane.controls.seed_value() == 42
    # The prompt template.
    pane.template.setPlainText("")
    compose(pane.template, "xieshi")
    assert pane.template.toPlainText() == ""
    commit(pane.template, "写一首诗：{text}")
    assert pane.template.toPlainText() == "写一首诗：{text}"
    pane.template.undo()
    assert pane.template.toPlainText() == ""
    # The find box: committed Chinese, then Enter.
    compose(pane.find_box, "zufu")
    commit(pane.find_box, "祖父")
    qtbot.keyClick(pane.find_box, Qt.Key.Key_Return)
    assert pane.editor.textCursor().selectedText() == "祖父"


# ---------------------------------------------------------------- "Written by AI" over marked text


def test_ai_text_says_written_by_ai_in_the_interface_language(window: MainWindow, qtbot: QtBot) -> None:
    pane = pane_of(window)
    pane.editor.setPlainText("")
    pane.editor.textCursor().insertText("灯笼在风中摇晃", ai_format("spec-1"))
    assert not ai_format("spec-1").toolTip()  # no English baked into the text's format
    viewport = pane.editor.viewport()
    rect = pane.editor.cursorRect(QTextCursor(pane.editor.document()))
    point = QPoint(rect.right() + 4, rect.center().y())
    assert pane.editor.is_ai_at(point)
    assert not pane.editor.is_ai_at(QPoint(viewport.width() - 5, viewport.height() - 5))  # empty page below
    with pseudo_language():
        QApplication.sendEvent(viewport, QHelpEvent(QHelpEvent.Type.ToolTip, point, viewport.mapToGlobal(point)))
        qtbot.waitUntil(lambda: QToolTip.isVisible(), timeout=2000)
        assert QToolTip.text() == f"{OPEN}Written by AI{CLOSE}"
    QToolTip.hideText()
