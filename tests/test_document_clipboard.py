"""Copy, cut, paste and drag of AI-written text inside the Document editor keep the AI marks and their spec ids;
text from outside the app is never marked. Real keyboard shortcuts and the real clipboard (offscreen, in-process)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QFont, QGuiApplication, QTextCursor
from PySide6.QtWidgets import QTextEdit

from aigc_desktop.core.project.model import AiSpan
from aigc_desktop.core.project.store import load_project
from aigc_desktop.state.ai_marks import AI_BACKGROUND, AI_SPANS_MIME, ai_format, collect_spans, spans_payload
from aigc_desktop.ui.main_window import MainWindow

CTRL = Qt.KeyboardModifier.ControlModifier


def editor_of(window: MainWindow) -> QTextEdit:
    window.show_pane(window.document_pane)
    editor = window.document_pane.editor
    editor.setFocus()
    return editor


def write(editor: QTextEdit, mine: str, ai: str, after: str, spec_id: str = "spec-a") -> None:
    """The author's text, then AI text as Continue inserts it (marked), then the author's again."""
    editor.clear()
    cursor = editor.textCursor()
    cursor.insertText(mine)
    cursor.insertText(ai, ai_format(spec_id))
    cursor.insertText(after, editor.currentCharFormat())
    editor.setTextCursor(cursor)


def select(editor: QTextEdit, start: int, end: int) -> None:
    cursor = editor.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)


def move_to(editor: QTextEdit, pos: int) -> None:
    cursor = editor.textCursor()
    cursor.setPosition(pos)
    editor.setTextCursor(cursor)


def spans(editor: QTextEdit) -> list[AiSpan]:
    return collect_spans(editor.document())


def tinted(editor: QTextEdit) -> list[tuple[int, int]]:
    """(start, end) of every stretch the AI highlighter paints (layout formats: what is on screen)."""
    doc, out = editor.document(), []
    block = doc.begin()
    while block.isValid():
        for r in block.layout().formats():
            if r.format.background().color() == AI_BACKGROUND:
                out.append((block.position() + r.start, block.position() + r.start + r.length))
        block = block.next()
    return out


def test_copy_and_paste_keep_the_marks_with_their_spec_ids(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    editor = editor_of(window)
    write(editor, "I began. ", "The sea rose.", " I ended.")
    text = editor.toPlainText()
    # from inside the author's text to the middle of the AI text: only the AI part is marked in the copy
    select(editor, text.index("began"), text.index(" rose"))
    qtbot.keyClick(editor, Qt.Key.Key_C, CTRL)
    mime = QGuiApplication.clipboard().mimeData()
    assert mime.hasFormat(AI_SPANS_MIME) and mime.hasHtml() and mime.text() == "began. The sea"
    move_to(editor, len(text))
    qtbot.keyClick(editor, Qt.Key.Key_V, CTRL)
    assert editor.toPlainText() == text + "began. The sea"
    pasted = len(text) + len("began. ")
    assert spans(editor) == [
        AiSpan(text.index("The sea"), text.index(" I ended"), "spec-a"),
        AiSpan(pasted, pasted + len("The sea"), "spec-a"),
    ]
    editor.undo()  # the paste and its marks are one undo step
    assert editor.toPlainText() == text and spans(editor) == [AiSpan(9, 22, "spec-a")]


def test_cut_and_paste_moves_the_marks_and_formatting(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    editor = editor_of(window)
    write(editor, "Start. ", "Bold AI words.", " Tail.", spec_id="spec-b")
    start = editor.toPlainText().index("Bold")
    select(editor, start, start + 4)
    bold = editor.textCursor()
    fmt = bold.charFormat()
    fmt.setFontWeight(QFont.Weight.Bold)
    bold.mergeCharFormat(fmt)
    select(editor, start, start + len("Bold AI words."))
    qtbot.keyClick(editor, Qt.Key.Key_X, CTRL)
    assert editor.toPlainText() == "Start.  Tail." and spans(editor) == []
    move_to(editor, 0)
    qtbot.keyClick(editor, Qt.Key.Key_V, CTRL)
    assert editor.toPlainText() == "Bold AI words.Start.  Tail."
    assert spans(editor) == [AiSpan(0, len("Bold AI words."), "spec-b")]
    probe = QTextCursor(editor.document())
    probe.setPosition(2)
    assert probe.charFormat().fontWeight() == QFont.Weight.Bold  # Qt's HTML still brings the bold along


def test_text_from_outside_is_never_marked(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    editor = editor_of(window)
    write(editor, "A ", "machine line", " z")
    outside = QMimeData()
    outside.setText("typed elsewhere")
    QGuiApplication.clipboard().setMimeData(outside)
    move_to(editor, 6)  # inside the AI span: plain text would take the AI format at the cursor
    qtbot.keyClick(editor, Qt.Key.Key_V, CTRL)
    assert editor.toPlainText() == "A machtyped elsewhereine line z"
    assert spans(editor) == [AiSpan(2, 6, "spec-a"), AiSpan(6 + len("typed elsewhere"), 29, "spec-a")]
    select(editor, 3, 5)  # replacing a selection inside AI text: Qt gives plain text the selection's format
    qtbot.keyClick(editor, Qt.Key.Key_V, CTRL)
    assert editor.toPlainText() == "A mtyped elsewherehtyped elsewhereine line z"
    assert spans(editor) == [AiSpan(2, 3, "spec-a"), AiSpan(18, 19, "spec-a"), AiSpan(34, 42, "spec-a")]

    write(editor, "A ", "machine line", " z")
    select(editor, 3, 7)  # replacing part of the AI text
    html = QMimeData()
    html.setHtml("<b>web</b> page")
    html.setText("web page")
    QGuiApplication.clipboard().setMimeData(html)
    qtbot.keyClick(editor, Qt.Key.Key_V, CTRL)
    assert editor.toPlainText() == "A mweb pagene line z"
    assert spans(editor) == [AiSpan(2, 3, "spec-a"), AiSpan(11, 18, "spec-a")]

    # marks that do not describe what is pasted (another app's or a broken payload) are ignored
    write(editor, "", "", "")
    for payload in (
        spans_payload("other text", [AiSpan(0, 5, "x")]),
        b"{not json",
        b'{"text": "abc", "spans": [[0, 9, "x"]]}',
    ):
        forged = QMimeData()
        forged.setText("abc")
        forged.setData(AI_SPANS_MIME, payload)
        QGuiApplication.clipboard().setMimeData(forged)
        qtbot.keyClick(editor, Qt.Key.Key_V, CTRL)
    assert editor.toPlainText() == "abcabcabc" and spans(editor) == []


def test_drag_within_the_editor_keeps_the_marks(window: MainWindow) -> None:
    """A drag of selected text is the same mime data: built by createMimeDataFromSelection, dropped through
    insertFromMimeData (QTest cannot run a real drag's nested event loop; tests/tools/screenshot_drag.py does)."""
    editor = editor_of(window)
    write(editor, "one ", "two", " three")
    select(editor, 4, 7)
    mime = editor.createMimeDataFromSelection()
    move_to(editor, len(editor.toPlainText()))
    editor.insertFromMimeData(mime)
    assert editor.toPlainText() == "one two threetwo" and spans(editor)[-1] == AiSpan(13, 16, "spec-a")


def test_paste_into_another_project_then_save_and_reopen(window: MainWindow, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    editor = editor_of(window)
    write(editor, "First project. ", "Its AI paragraph.", "\nMore.")
    select(editor, 0, len(editor.toPlainText()))
    qtbot.keyClick(editor, Qt.Key.Key_C, CTRL)
    window.session.dirty = False  # no save prompt: the first project is dropped
    window.new_project()
    editor = editor_of(window)
    qtbot.keyClicks(editor, "Second: ")
    qtbot.keyClick(editor, Qt.Key.Key_V, CTRL)
    text = editor.toPlainText()
    assert text == "Second: First project. Its AI paragraph.\nMore."
    expected = [AiSpan(text.index("Its"), text.index("\nMore"), "spec-a")]
    assert spans(editor) == expected
    path = tmp_path / "second.aigc"
    assert window.save_as(path)
    assert load_project(path).project.document.ai_spans == expected
    window.new_project()
    assert window.open_project(path)
    assert window.document_pane.editor.toPlainText() == text and spans(window.document_pane.editor) == expected
    assert window.action_show_ai.isChecked() and tinted(window.document_pane.editor) == [(23, 40)]  # shown at once


def test_data_put_on_the_clipboard_is_read_back() -> None:
    """The clipboard works in-process (what the paste tests rely on), and this test leaves a QMimeData made in Python
    on it: the subject of the next test."""
    data = QMimeData()
    data.setText("left behind")
    QGuiApplication.clipboard().setMimeData(data)
    assert QGuiApplication.clipboard().text() == "left behind"


def test_a_test_process_that_left_python_data_on_the_clipboard_exits_cleanly() -> None:
    """conftest's empty_clipboard clears the clipboard after each test; else the offscreen clipboard's C++ global
    deletes a QMimeData made in Python after Python has finalized, and the process dies with SIGSEGV once every
    test has passed (CI saw exit code 139)."""
    import subprocess
    import sys

    test = f"{Path(__file__).name}::test_data_put_on_the_clipboard_is_read_back"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", test],
        cwd=Path(__file__).parent,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
