"""Settings ▸ Servers and text servers in the Document pane, in the real main window against stub servers
(tests/server_stubs.py: real HTTP on this machine): add, test (models listed; refused, 401, not a text server),
edit, remove; the key never shown and never written anywhere but the key file; the server's models grouped in the
model selector; Continue streamed at the cursor over a server, with its provenance in the History; a connection
dropped mid-stream keeps every word; the plain-http confirmation before the first job to another machine."""

from __future__ import annotations

import contextlib
import logging
import socket
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItemModel, QTextCursor
from PySide6.QtWidgets import QMessageBox
from server_stubs import Handler, Stub, completion_chunk, models_route, sse

from aigc_desktop.core.i18n import Msg
from aigc_desktop.core.paths import AppPaths
from aigc_desktop.core.servers.config import ServerConfig, ServerKind, ServerStore
from aigc_desktop.core.servers.entries import model_id
from aigc_desktop.core.specs import JobKind, JobSpec
from aigc_desktop.state.servers import ServersModel
from aigc_desktop.ui.server_form import Mode
from aigc_desktop.ui.servers_dialog import ServersDialog

pytestmark = pytest.mark.timeout(120)  # a hang guard only: every stub answers (or is given up) at once
KEY = "sk-very-secret-0123456789"


@pytest.fixture
def stub() -> Iterator[Stub]:
    s = Stub().start()
    s.route("GET", "/v1/models", models_route("me", ("m-one", "m-two")))
    yield s
    s.close()


def open_dialog(window: Any) -> ServersDialog:
    window.menus.servers.trigger()
    dialog = window.findChild(ServersDialog)
    assert dialog is not None and dialog.isVisible()
    return dialog


def fill(dialog: ServersDialog, name: str, url: str, key: str = "") -> None:
    form = dialog.form
    form.name_edit.setText(name)
    form.url_edit.setText(url)
    form.key_edit.setText(key)


def run_test(qtbot: Any, dialog: ServersDialog) -> str:
    form = dialog.form
    form.test_button.click()
    assert form.call is not None  # running on its own thread: the dialog is not blocked
    qtbot.waitUntil(lambda: form.call is None, timeout=30000)
    return form.result.text()


def add_server(qtbot: Any, dialog: ServersDialog, name: str, url: str, key: str = "") -> None:
    dialog.add_button.click()
    fill(dialog, name, url, key)
    result = run_test(qtbot, dialog)
    assert "The server answered" in result, result
    dialog.form.save_button.click()
    assert dialog.selected_name() == name


def row_texts(dialog: ServersDialog) -> list[list[str]]:
    t = dialog.table
    return [[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())]


def selector_rows(selector: Any) -> list[tuple[str, Any, bool]]:
    """(text, model id, selectable) of each row, separators left out."""
    model = selector.model()
    assert isinstance(model, QStandardItemModel)
    rows = []
    for i in range(selector.count()):
        if selector.itemData(i, Qt.ItemDataRole.AccessibleDescriptionRole) == "separator":
            continue
        rows.append(
            (selector.itemText(i), selector.itemData(i), bool(model.item(i).flags() & Qt.ItemFlag.ItemIsEnabled))
        )
    return rows


def test_add_test_and_save_a_server_lists_its_models_in_the_document_pane(
    qtbot: Any, window: Any, stub: Stub, paths: AppPaths
) -> None:
    dialog = open_dialog(window)
    assert dialog.windowTitle() == "Servers"
    assert dialog.form.mode is Mode.NONE and not dialog.form.name_edit.isEnabled()
    dialog.add_button.click()
    assert dialog.form.mode is Mode.EDIT and dialog.form.tls_check.isChecked()  # TLS verified by default
    fill(dialog, "gpu box", stub.url + "/v1", KEY)
    result = run_test(qtbot, dialog)
    assert (
        result.startswith("The server answered. Models it offers: 2\n") and "• m-one" in result and "• m-two" in result
    )
    assert stub.requests[-1].headers["Authorization"] == f"Bearer {KEY}"  # the typed key was used
    dialog.form.save_button.click()
    assert row_texts(dialog) == [["gpu box", "Text", stub.url, "models: 2"]]
    saved = ServerStore(paths).get("gpu box")
    assert saved.models == ("m-one", "m-two") and saved.url == stub.url  # "/v1" taken off, the test result kept

    # The key: in the owner-only key file, never in the form, never anywhere else.
    form = dialog.form
    assert form.mode is Mode.VIEW and form.key_edit.text() == ""
    assert form.key_note.isVisible() and "A key is stored" in form.key_note.text()
    keys = ServerStore(paths).keys_file
    assert stat.S_IMODE(keys.stat().st_mode) == 0o600 and KEY in keys.read_text()

    # The Document pane lists the server's models under its name; the header cannot be chosen.
    rows = selector_rows(window.document_pane.model_selector)
    header = rows.index(("Server “gpu box”", None, False))
    assert rows[header + 1 :] == [
        ("    m-one", model_id("gpu box", "m-one"), True),
        ("    m-two", model_id("gpu box", "m-two"), True),
    ]
    assert all("/" not in text and "MB" not in text for text, _, _ in rows[header:])  # no path, no size


def test_failed_tests_say_exactly_why(qtbot: Any, window: Any, stub: Stub) -> None:
    dialog = open_dialog(window)
    dialog.add_button.click()
    gone = Stub().start()
    closed_url = gone.url
    gone.close()
    fill(dialog, "gone", closed_url)
    assert "gone refused the connection: nothing is listening at" in run_test(qtbot, dialog)

    locked = Stub().start()
    locked.route("GET", "/v1/models", lambda h, b: h.json(401, {"error": {"message": "bad key"}}))
    html = Stub().start()
    html.route("GET", "/v1/models", lambda h, b: h.raw(200, "text/html", b"<html>ComfyUI</html>"))
    try:
        fill(dialog, "locked", locked.url, "wrong")
        assert run_test(qtbot, dialog) == (
            "locked did not accept the API key (401 Unauthorized): check the key for this server."
        )
        fill(dialog, "comfy", html.url)
        assert "not as an OpenAI-compatible text server" in run_test(qtbot, dialog)
        assert dialog.form.result.styleSheet()  # shown as an error
    finally:
        locked.close()
        html.close()

    # Bad input never reaches the network: a URL with credentials, a name with "/".
    fill(dialog, "creds", "http://user:pw@127.0.0.1:9")
    dialog.form.save_button.click()
    assert "contains a user name or password" in dialog.form.result.text()
    assert "contains a user name or password" in dialog.form.url_note.text()
    fill(dialog, "a/b", stub.url)
    dialog.form.test_button.click()
    assert dialog.form.call is None and "must not contain “/”" in dialog.form.result.text()
    assert ServerStore(window.ctx.paths).servers() == []


def test_a_failed_test_of_a_saved_server_shows_in_the_list(qtbot: Any, window: Any, stub: Stub) -> None:
    dialog = open_dialog(window)
    add_server(qtbot, dialog, "box", stub.url)
    stub.routes.clear()  # the server no longer offers /v1/models: 404 everywhere
    result = run_test(qtbot, dialog)
    assert "/v1/models" in result
    assert row_texts(dialog)[0][3] == "failed" and dialog.table.item(0, 3).toolTip() == result


def test_stop_test_ends_a_test_of_a_silent_server(qtbot: Any, window: Any, stub: Stub) -> None:
    stub.route("GET", "/v1/models", lambda h, b: h.hang())
    dialog = open_dialog(window)
    dialog.add_button.click()
    fill(dialog, "silent", stub.url)
    form = dialog.form
    form.test_button.click()
    assert form.test_button.text() == "Stop test" and "Testing" in form.result.text()
    qtbot.waitUntil(lambda: any(r.path == "/v1/models" for r in stub.requests))  # after Ollama's /api/version
    form.test_button.click()
    assert form.call is None and form.result.text() == "Test stopped." and form.test_button.text() == "Test"
    assert stub.disconnected.wait(10), "the server never saw the test go"

    # The dialog deleted mid-test (the window closing): the test stops too, and its thread ends safely.
    stub.disconnected.clear()
    count = len(stub.requests)
    form.test_button.click()
    qtbot.waitUntil(lambda: any(r.path == "/v1/models" for r in stub.requests[count:]))
    dialog.deleteLater()
    qtbot.waitUntil(stub.disconnected.is_set, timeout=10000)


def test_edit_rename_keeps_the_key_and_clearing_removes_it(qtbot: Any, window: Any, stub: Stub) -> None:
    dialog = open_dialog(window)
    add_server(qtbot, dialog, "box", stub.url, KEY)
    store = ServerStore(window.ctx.paths)
    dialog.edit_button.click()
    form = dialog.form
    assert form.mode is Mode.EDIT and form.key_edit.text() == "" and form.clear_key.isVisible()
    form.name_edit.setText("big box")
    form.tls_check.setChecked(False)
    form.save_button.click()
    assert [s.name for s in store.servers()] == ["big box"] and store.api_key("big box") == KEY
    assert not store.get("big box").verify_tls and store.get("big box").models == ("m-one", "m-two")
    assert row_texts(dialog)[0][0] == "big box"

    dialog.edit_button.click()
    form.clear_key.setChecked(True)
    assert not form.key_edit.isEnabled()
    form.save_button.click()
    assert store.api_key("big box") is None and not form.key_note.isVisible()

    # A new address drops the old test result (its models may not be there).
    other = Stub().start()
    try:
        dialog.edit_button.click()
        form.url_edit.setText(other.url)
        form.save_button.click()
        assert store.get("big box").models == () and row_texts(dialog)[0][3] == "not tested"
    finally:
        other.close()


def test_remove_asks_first(qtbot: Any, window: Any, stub: Stub, monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = open_dialog(window)
    add_server(qtbot, dialog, "box", stub.url, KEY)
    asked: list[str] = []

    def answer(reply: QMessageBox.StandardButton) -> Any:
        def question(_parent: Any, _title: str, text: str, *a: Any) -> QMessageBox.StandardButton:
            asked.append(text)
            return reply

        return question

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.No))
    dialog.remove_button.click()
    assert "Remove the server “box”?" in asked[0] and len(row_texts(dialog)) == 1
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    dialog.remove_button.click()
    store = ServerStore(window.ctx.paths)
    assert row_texts(dialog) == [] and store.servers() == [] and store.api_key("box") is None
    assert dialog.form.mode is Mode.NONE
    assert all(
        data is None or not str(data).startswith("server:")
        for _, data, _ in selector_rows(window.document_pane.model_selector)
    )


# ---------------------------------------------------------------- text jobs on a server from the Document pane


def streaming(pieces: tuple[str, ...], then_drop: bool = False) -> Any:
    def route(h: Handler, body: Any) -> None:
        h.start_stream()
        for piece in pieces:
            h.chunk(sse(completion_chunk(piece, model="served-model.gguf")))
        if then_drop:
            h.drop()
            return
        h.chunk(sse(completion_chunk("", "stop", model="served-model.gguf")))
        h.chunk(b"data: [DONE]\n\n")
        h.end_stream()

    return route


def choose_server_model(window: Any, name: str, model: str) -> None:
    selector = window.document_pane.model_selector
    index = selector.findData(model_id(name, model))
    assert index >= 0
    selector.setCurrentIndex(index)


def type_text(window: Any, text: str) -> None:
    """The document holds `text`, the cursor at its end."""
    pane = window.document_pane
    pane.editor.setPlainText(text)
    cursor = pane.editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    pane.editor.setTextCursor(cursor)


def start_continue(window: Any, text: str) -> Any:
    type_text(window, text)
    job = window.document_pane.continue_writing()
    assert job is not None
    return job


def test_continue_on_a_server_model_streams_at_the_cursor_and_names_the_server(
    qtbot: Any, window: Any, stub: Stub
) -> None:
    stub.route("POST", "/v1/completions", streaming((" the lamp", " glowed", " 春天")))
    add_server(qtbot, open_dialog(window), "box", stub.url, KEY)
    choose_server_model(window, "box", "m-one")
    start_continue(window, "At night")
    pane = window.document_pane
    qtbot.waitUntil(lambda: not window.document_model.running, timeout=30000)
    assert pane.editor.toPlainText() == "At night the lamp glowed 春天"
    sent = next(r for r in stub.requests if r.path == "/v1/completions")
    assert sent.body["model"] == "m-one" and sent.body["prompt"] == "At night" and sent.body["stream"] is True
    entry = window.session.project.history[-1]
    assert entry.metrics["server"] == "box" and entry.metrics["server_model"] == "served-model.gguf"
    pane.side.setCurrentWidget(pane.history_tab)
    row = pane.history_tab.history.item(0).text()
    assert "Continue on box (served-model.gguf)" in row
    from aigc_desktop.ui.history_panel import spec_lines

    assert {"server: box", "model on the server: served-model.gguf"} <= set(spec_lines(entry))


def test_variants_and_an_instruct_action_run_on_the_server(qtbot: Any, window: Any, stub: Stub) -> None:
    seen_seeds: list[int] = []

    def completions(h: Handler, body: Any) -> None:
        seen_seeds.append(body["seed"])
        streaming((f" variant {len(seen_seeds)}",))(h, body)

    def chat(h: Handler, body: Any) -> None:
        h.start_stream()
        h.chunk(sse({"model": "served-model.gguf", "choices": [{"index": 0, "delta": {"content": "The Lamp"}}]}))
        h.chunk(sse({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}))
        h.chunk(b"data: [DONE]\n\n")
        h.end_stream()

    stub.route("POST", "/v1/completions", completions)
    stub.route("POST", "/v1/chat/completions", chat)
    add_server(qtbot, open_dialog(window), "box", stub.url)
    choose_server_model(window, "box", "m-one")  # no base-model mark in its name: taken to follow instructions
    pane = window.document_pane
    type_text(window, "The keeper lit the lamp.")
    pane.controls.variants.setValue(2)
    assert pane.generate_variants() is not None
    qtbot.waitUntil(lambda: not window.document_model.running, timeout=30000)
    assert [r.text for r in window.document_model.results] == [" variant 1", " variant 2"]
    assert seen_seeds[1] == seen_seeds[0] + 1  # one seed each, as locally

    box = pane.actions_tab.action_box
    box.setCurrentIndex(box.findData("title"))
    assert pane.run_action() is not None
    qtbot.waitUntil(lambda: not window.document_model.running, timeout=30000)
    chats = [r.body for r in stub.requests if r.path == "/v1/chat/completions"]
    assert chats and [r.text for r in window.document_model.results] == ["The Lamp"] * len(chats)
    asked = chats[0]
    assert asked["messages"][0]["role"] == "user" and "The keeper lit the lamp." in asked["messages"][0]["content"]
    assert window.session.project.history[-1].spec.inputs["action"] == "title"


def test_a_kind_the_app_cannot_test_yet_says_so(
    qtbot: Any, window: Any, stub: Stub, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aigc_desktop.core.servers import probing

    monkeypatch.delitem(probing.PROBES, ServerKind.SPEECH, raising=False)
    dialog = open_dialog(window)
    dialog.add_button.click()
    fill(dialog, "voices", stub.url)
    form = dialog.form
    form.kind_combo.setCurrentIndex(form.kind_combo.findData(ServerKind.SPEECH.value))
    assert run_test(qtbot, dialog) == "This app cannot test speech servers yet."
    form.save_button.click()
    assert row_texts(dialog) == [["voices", "Speech", stub.url, "not tested"]]


def test_a_connection_dropped_mid_stream_keeps_every_word_and_says_so(qtbot: Any, window: Any, stub: Stub) -> None:
    stub.route("POST", "/v1/completions", streaming((" Half", " a sentence"), then_drop=True))
    add_server(qtbot, open_dialog(window), "box", stub.url)
    choose_server_model(window, "box", "m-one")
    start_continue(window, "Start.")
    qtbot.waitUntil(lambda: not window.document_model.running, timeout=30000)
    assert window.document_pane.editor.toPlainText() == "Start. Half a sentence"
    boxes = [b for b in window.findChildren(QMessageBox, "errorDialog") if b.isVisible()]
    assert len(boxes) == 1
    message = boxes[0].text()
    assert "The connection to box dropped in the middle of its answer." in message
    assert "What had arrived (16 characters) is kept." in message
    assert window.document_pane.gen_status.text() == "Continue: failed"
    window.document_pane.undo()  # the streamed words are one undo step, as a local continuation's
    assert window.document_pane.editor.toPlainText() == "Start."


def test_the_key_is_written_nowhere_but_the_key_file(qtbot: Any, window: Any, stub: Stub, tmp_path: Path) -> None:
    """Everything the app writes while a key is added, tested and used — settings, servers list, the project, the
    log at its most talkative level — holds no trace of it."""
    stub.route("POST", "/v1/completions", streaming((" more",)))
    log_file = window.ctx.paths.log_file
    log_file.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(log_file, encoding="utf-8")
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        add_server(qtbot, open_dialog(window), "box", stub.url, KEY)
        choose_server_model(window, "box", "m-one")
        start_continue(window, "Some text")
        qtbot.waitUntil(lambda: not window.document_model.running, timeout=30000)
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
        handler.close()
    assert "/v1/completions -> 200" in log_file.read_text(encoding="utf-8")  # the requests were logged, not the key
    assert stub.requests[-1].headers["Authorization"] == f"Bearer {KEY}"
    project = tmp_path / "story.aigc"
    assert window.save_as(project)
    keys_file = ServerStore(window.ctx.paths).keys_file
    home = window.ctx.paths.config_dir.parent
    searched = [p for p in [*home.rglob("*"), *tmp_path.rglob("*")] if p.is_file() and p != keys_file]
    assert project in searched and any(p.name == "servers.json" for p in searched)
    assert [p for p in searched if KEY.encode() in p.read_bytes()] == []


# ---------------------------------------------------------------- plain http to another machine


def spec_for(name: str) -> JobSpec:
    return JobSpec(kind=JobKind.TEXT, model_id=model_id(name, "m"))


def test_the_plain_http_check_asks_once_per_server_and_address(paths: AppPaths) -> None:
    servers = ServersModel(paths)
    store = servers.store
    store.add(ServerConfig("remote", ServerKind.TEXT, "http://192.0.2.77:8080"))
    store.add(ServerConfig("tls", ServerKind.TEXT, "https://192.0.2.77:8443"))
    store.add(ServerConfig("here", ServerKind.TEXT, "http://127.0.0.1:8080"))
    asked: list[tuple[str, str]] = []
    replies = [False, True]

    def ask(server: ServerConfig, warning: Msg) -> bool:
        asked.append((server.name, str(warning)))
        return replies.pop(0)

    assert servers.gate(spec_for("remote")) is not None  # no window to ask: nothing goes
    servers.ask = ask
    refusal = servers.gate(spec_for("remote"))
    assert refusal == "Nothing was sent to remote: sending over plain http was not confirmed."
    assert asked[0][0] == "remote" and "plain http on 192.0.2.77" in asked[0][1] and "unencrypted" in asked[0][1]
    assert servers.gate(spec_for("remote")) is None  # accepted the second time...
    assert servers.gate(spec_for("remote")) is None and len(asked) == 2  # ...and not asked again in this run
    assert servers.gate(spec_for("tls")) is None and servers.gate(spec_for("here")) is None  # nothing to ask
    assert servers.gate(JobSpec(kind=JobKind.TEXT, model_id="gemma")) is None and len(asked) == 2
    servers.save(ServerConfig("remote", ServerKind.TEXT, "http://192.0.2.78:8080"), None, original="remote")
    replies.append(False)
    assert servers.gate(spec_for("remote")) is not None and len(asked) == 3  # a new address asks again


def local_address() -> str | None:
    """An address of this machine that is not loopback (a stub bound to it is 'another machine' to the app)."""
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the outgoing interface
        address = str(s.getsockname()[0])
        if not address.startswith("127."):
            return address
    return None


def test_the_first_job_to_a_plain_http_server_elsewhere_asks_and_a_no_sends_nothing(
    qtbot: Any, window: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    address = local_address()
    if address is None:
        pytest.skip("this machine has no non-loopback address to serve a 'remote' stub on")
    remote = Stub(host=address).start()
    try:
        remote.route("GET", "/v1/models", models_route("me", ("m-one",)))
        remote.route("POST", "/v1/completions", streaming((" sent",)))
        dialog = open_dialog(window)
        dialog.add_button.click()
        fill(dialog, "lan", remote.url)
        assert "plain http on " + address in dialog.form.url_note.text()  # warned in the dialog already
        run_test(qtbot, dialog)
        dialog.form.save_button.click()
        choose_server_model(window, "lan", "m-one")
        asked: list[str] = []

        def say(reply: QMessageBox.StandardButton) -> Any:
            def question(_parent: Any, _title: str, text: str, *a: Any) -> QMessageBox.StandardButton:
                asked.append(text)
                return reply

            return question

        monkeypatch.setattr(QMessageBox, "question", say(QMessageBox.StandardButton.No))
        requests_before = len(remote.requests)
        start_continue(window, "Private")
        qtbot.waitUntil(lambda: not window.document_model.running, timeout=10000)
        assert len(asked) == 1 and "unencrypted" in asked[0]
        assert len(remote.requests) == requests_before  # nothing was sent
        refusal = "Nothing was sent to lan: sending over plain http was not confirmed."
        assert window.document_pane.gen_status.text() == refusal
        assert window.statusBar().currentMessage() == refusal
        assert window.document_pane.editor.toPlainText() == "Private" and window.session.project.history == []

        monkeypatch.setattr(QMessageBox, "question", say(QMessageBox.StandardButton.Yes))
        start_continue(window, "Private")
        qtbot.waitUntil(lambda: not window.document_model.running, timeout=30000)
        assert window.document_pane.editor.toPlainText() == "Private sent" and len(asked) == 2
        start_continue(window, "Again")
        qtbot.waitUntil(lambda: not window.document_model.running, timeout=30000)
        assert window.document_pane.editor.toPlainText() == "Again sent" and len(asked) == 2  # asked once per run
    finally:
        remote.close()


def test_the_image_and_speech_panes_say_why_a_declined_plain_http_job_was_not_sent(
    qtbot: Any, window: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Declining plain http to another machine ends the job before anything is sent: the Canvas's Generate tab and
    the Audio pane say so on their status line, as the Document pane does, not "stopped" (nobody stopped anything).
    The servers are at a documentation address (192.0.2.0/24, never reached): the gate refuses before any I/O."""
    store = window.ctx.servers.store
    store.add(ServerConfig("far box", ServerKind.IMAGES, "http://192.0.2.77:8188", models=("sd15.safetensors",)))
    store.add(
        ServerConfig("far voice", ServerKind.SPEECH, "http://192.0.2.78:5000", dialect="piper-http", models=("joe",))
    )
    asked: list[str] = []

    def decline(_parent: Any, _title: str, text: str, *a: Any) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", decline)

    canvas = window.canvas_pane
    window.show_pane(canvas)
    canvas.refresh_models()
    canvas.side_tabs.setCurrentWidget(canvas.image_panel)
    canvas.model_selector.setCurrentIndex(canvas.model_selector.findData(model_id("far box", "sd15.safetensors")))
    canvas.image_panel.prompt.setPlainText("a heron")
    job = canvas.image_panel.generate()
    assert job is not None
    qtbot.waitUntil(lambda: job.done and not canvas.generation.running, timeout=10_000)
    refusal = "Nothing was sent to far box: sending over plain http was not confirmed."
    assert len(asked) == 1 and "unencrypted" in asked[0]
    assert canvas.image_panel.status.text() == refusal
    assert window.statusBar().currentMessage() == refusal

    audio = window.audio_pane
    window.show_pane(audio)
    audio.refresh_models()
    audio.model_selector.setCurrentIndex(audio.model_selector.findData(model_id("far voice", "joe")))
    audio.speech.text.setPlainText("Hello there.")
    job = audio.generate_speech()
    assert job is not None
    qtbot.waitUntil(lambda: job.done and not window.audio_model.running, timeout=10_000)
    refusal = "Nothing was sent to far voice: sending over plain http was not confirmed."
    assert len(asked) == 2 and audio.info.text() == refusal
    assert window.statusBar().currentMessage() == refusal
    project = window.session.project
    assert project.canvas.layers == [] and project.clips == [] and project.history == []  # nothing made, nothing lost
