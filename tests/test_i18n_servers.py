"""Settings ▸ Servers in the interface language (issue #12's rules for issue #14's dialog): every visible text of the
dialog in each of its states goes through translation (pseudo-language sweep), a live switch puts every English text
back, and the Settings menu, the model selector's server header and the plain-http question are translated too."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import shiboken6
from i18n_sweep import OPEN, _visible_texts, pseudo_language, untranslated
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QTableWidget, QWidget
from server_stubs import Stub, models_route

from aigc_desktop.core.servers.config import ServerConfig, ServerKind, ServerStore
from aigc_desktop.core.servers.entries import model_id
from aigc_desktop.core.specs import JobKind, JobSpec
from aigc_desktop.ui.servers_dialog import ServersDialog

pytestmark = pytest.mark.timeout(120)  # a hang guard only


@pytest.fixture
def stub() -> Iterator[Stub]:
    s = Stub().start()
    s.route("GET", "/v1/models", models_route("me", ("m-one", "m-two")))
    yield s
    s.close()


def settle() -> None:
    QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)
    QApplication.processEvents()


def texts(root: QWidget) -> dict[str, str]:
    """Every text a user can see or hover under `root`, table cells (text and tooltip) included."""
    seen: dict[str, str] = {}
    for widget in [root, *root.findChildren(QWidget)]:
        n = shiboken6.getCppPointer(widget)[0]
        for where, text in _visible_texts(widget):
            seen[f"{n} {where}"] = text
        if isinstance(widget, QTableWidget):
            for r in range(widget.rowCount()):
                for c in range(widget.columnCount()):
                    cell = widget.item(r, c)
                    if cell is not None:
                        seen[f"{n} {widget.objectName()} {r},{c}"] = f"{cell.text()} | {cell.toolTip()}"
    return seen


def lived_in(qtbot: Any, window: Any, stub: Stub) -> ServersDialog:
    """The dialog with a tested server (key stored) and one whose test failed, the failed one chosen."""
    store = ServerStore(window.ctx.paths)
    store.add(ServerConfig("box", ServerKind.TEXT, stub.url), "sk-secret")
    gone = Stub().start()
    store.add(ServerConfig("gone", ServerKind.TEXT, gone.url))
    gone.close()
    window.ctx.servers.changed.emit()
    window.menus.servers.trigger()
    dialog = window.findChild(ServersDialog)
    for name in ("box", "gone"):
        dialog.select(name)
        dialog.form.test_button.click()
        qtbot.waitUntil(lambda: dialog.form.call is None, timeout=30000)
    return dialog


def table_cells(dialog: ServersDialog) -> list[str]:
    t = dialog.table
    return [f"{t.item(r, c).text()} | {t.item(r, c).toolTip()}" for r in range(t.rowCount()) for c in (1, 3)]


def check(dialog: ServersDialog, names: tuple[str, ...]) -> None:
    assert untranslated(dialog, allowed=names) == []
    for cell in table_cells(dialog):  # the kind and last-test columns are the app's words (name, address: user's)
        assert cell.startswith(OPEN), cell


def test_every_text_of_the_servers_dialog_is_translated_in_each_state(qtbot: Any, window: Any, stub: Stub) -> None:
    dialog = lived_in(qtbot, window, stub)
    with pseudo_language():
        settle()
        check(dialog, ("box", "gone"))  # failed test shown (result, list cell with its reason)
        dialog.select("box")
        assert OPEN in dialog.form.key_note.text()
        check(dialog, ("box",))  # a server with a stored key
        dialog.form.test_button.click()
        qtbot.waitUntil(lambda: dialog.form.call is None, timeout=30000)
        assert dialog.form.result.text().startswith(OPEN)  # a test report
        dialog.edit_button.click()
        assert dialog.form.clear_key.isVisible()
        dialog.form.url_edit.setText("http://user:pw@example.com")
        dialog.form.url_edit.editingFinished.emit()
        assert dialog.form.url_note.isVisible()
        check(dialog, ("box", "http://user:pw@example.com"))  # editing; a refused address explained
        dialog.form.url_edit.setText("http://192.0.2.9:8080")
        assert dialog.form.url_note.text().startswith(OPEN)  # the plain-http warning
        dialog.form.test_button.click()  # stopped at once: the test of a silent address elsewhere
        assert dialog.form.test_button.text().startswith(OPEN)
        dialog.form.test_button.click()
        check(dialog, ("box", "http://192.0.2.9:8080"))
        dialog.form.cancel_button.click()
        dialog.add_button.click()
        check(dialog, ())  # a new server's empty form (placeholders)
        dialog.form.cancel_button.click()
        check(dialog, ())  # nothing chosen
        menu = window.menus
        assert menu.settings_menu.title().startswith(OPEN) and menu.servers.text().startswith(OPEN)
        selector = window.document_pane.model_selector
        assert any(
            selector.itemText(i).startswith(OPEN) and "box" in selector.itemText(i) for i in range(selector.count())
        )
    settle()


def test_a_live_switch_puts_every_english_text_of_the_dialog_back(qtbot: Any, window: Any, stub: Stub) -> None:
    dialog = lived_in(qtbot, window, stub)
    dialog.select("box")
    english = texts(dialog)
    assert any("Models it offers: 2" in t for t in english.values()) and any("models: 2" in t for t in english.values())
    with pseudo_language():
        settle()
        switched = texts(dialog)
        changed = [k for k in english if switched.get(k) != english[k]]
        assert len(changed) > 20  # headers, buttons, labels, cells, tooltips all followed the language
    settle()
    assert texts(dialog) == english


def test_the_plain_http_question_is_translated(window: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    ServerStore(window.ctx.paths).add(ServerConfig("lan", ServerKind.TEXT, "http://192.0.2.77:8080"))
    shown: list[tuple[str, str]] = []

    def question(_parent: Any, title: str, text: str, *a: Any) -> QMessageBox.StandardButton:
        shown.append((title, text))
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", question)
    with pseudo_language():
        refusal = window.ctx.servers.gate(JobSpec(kind=JobKind.TEXT, model_id=model_id("lan", "m")))
        title, text = shown[0]
        assert title.startswith(OPEN) and text.startswith(OPEN) and text.endswith("⟧")
        assert OPEN + "Send this job to lan anyway?" in text
        from aigc_desktop.ui.i18n import tr_msg

        assert tr_msg(refusal).startswith(OPEN)
