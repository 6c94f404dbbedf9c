"""The Servers dialog's form: one server's name, kind, address, API key and TLS setting, its Test, Save and Cancel.

Three modes: nothing chosen (all off), viewing a saved server (fields read-only; Test works and its result is saved
with the server), and editing (a new server, or Edit on a saved one: Save and Cancel appear). The API key field is
never filled: a stored key is only said to exist, and can be replaced or removed. Test runs on a BackgroundCall
(state/servers.py), so the dialog stays responsive; pressing it again stops the test.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from enum import Enum

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP, Msg
from aigc_desktop.core.servers.config import ServerConfig, ServerKind, check_name, check_url, plain_http_warning
from aigc_desktop.core.servers.probing import TestReport
from aigc_desktop.state.servers import ServersModel
from aigc_desktop.ui.i18n import Retranslating, error_text, tr_msg, translate
from aigc_desktop.workers.background import BackgroundCall

KIND_LABELS: dict[ServerKind, Msg] = {
    ServerKind.TEXT: QT_TRANSLATE_NOOP("ServersDialog", "Text"),
    ServerKind.IMAGES: QT_TRANSLATE_NOOP("ServersDialog", "Images"),
    ServerKind.SPEECH: QT_TRANSLATE_NOOP("ServersDialog", "Speech"),
}
MAX_LISTED_MODELS = 12  # more would push the form's buttons off a laptop screen; the rest are counted
_ERROR_STYLE = "color: #b3261e;"
_WARNING_STYLE = "color: #8a5300;"


class Mode(Enum):
    NONE = "none"
    VIEW = "view"
    EDIT = "edit"  # a new server (no original) or a saved one


class ServerForm(Retranslating, QGroupBox):
    saved = Signal(str, object)  # the name of the server just saved, and the TestReport of it as saved (or None)
    closed_edit = Signal()  # Cancel: the dialog shows the chosen server again
    test_ended = Signal(str, object)  # (server name, the TestReport or the UserError that said why not)

    def __init__(self, servers: ServersModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.servers = servers
        self.setObjectName("serverForm")
        self.mode = Mode.NONE
        self.original: ServerConfig | None = None
        self.call: BackgroundCall | None = None
        self._report: TestReport | None = None
        self._result: Callable[[], str] | None = None  # renders the result line in the current language
        self._url_checked = False

        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("serverName")
        self.kind_combo = QComboBox(self)
        self.kind_combo.setObjectName("serverKind")
        for kind in ServerKind:
            self.kind_combo.addItem("", kind.value)
        self.url_edit = QLineEdit(self)
        self.url_edit.setObjectName("serverUrl")
        self.url_edit.textChanged.connect(self._check_url)
        self.url_edit.editingFinished.connect(self._url_finished)
        self.url_note = self._note("urlNote")
        self.key_edit = QLineEdit(self)
        self.key_edit.setObjectName("serverKey")
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_note = self._note("keyNote")
        self.clear_key = QCheckBox(self)
        self.clear_key.setObjectName("clearKey")
        self.clear_key.toggled.connect(lambda on: self.key_edit.setEnabled(not on and self.mode is Mode.EDIT))
        self.tls_check = QCheckBox(self)
        self.tls_check.setObjectName("verifyTls")
        self.tls_check.setChecked(True)

        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.labels = [QLabel(self) for _ in range(5)]
        for label, field in zip(
            self.labels, (self.name_edit, self.kind_combo, self.url_edit, self.key_edit, self.tls_check), strict=True
        ):
            self.form.addRow(label, field)
        self.form.insertRow(3, "", self.url_note)
        self.form.insertRow(5, "", self.key_note)
        self.form.insertRow(6, "", self.clear_key)

        self.test_button = QPushButton(self)
        self.test_button.setObjectName("testServer")
        self.test_button.clicked.connect(self.test)
        self.result = self._note("testResult")
        self.save_button = QPushButton(self)
        self.save_button.setObjectName("saveServer")
        self.save_button.clicked.connect(self.save)
        self.cancel_button = QPushButton(self)
        self.cancel_button.setObjectName("cancelEdit")
        self.cancel_button.clicked.connect(self.cancel_edit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.test_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        lay = QVBoxLayout(self)
        lay.addLayout(self.form)
        lay.addLayout(buttons)
        lay.addWidget(self.result)
        lay.addStretch(1)
        self.show_none()
        self.retranslate()

    def _note(self, name: str) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setVisible(False)
        # Take the field column's whole width (a wrapped label would otherwise settle for a narrow one).
        label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        return label

    def retranslate(self) -> None:
        self.setTitle(translate("ServerForm", "Server"))
        for label, text in zip(
            self.labels,
            (
                translate("ServerForm", "Name:"),
                translate("ServerForm", "Kind:"),
                translate("ServerForm", "Address:"),
                translate("ServerForm", "API key:"),
                translate("ServerForm", "Security:"),
            ),
            strict=True,
        ):
            label.setText(text)
        for i, kind in enumerate(ServerKind):
            self.kind_combo.setItemText(i, tr_msg(KIND_LABELS[kind]))
        self.name_edit.setPlaceholderText(translate("ServerForm", "A short name, e.g. GPU box"))
        self.url_edit.setPlaceholderText(translate("ServerForm", "e.g. http://192.168.1.20:8080"))
        self.url_edit.setToolTip(
            translate("ServerForm", "The server's address: http:// or https://, the host and its port")
        )
        self.clear_key.setText(translate("ServerForm", "Remove the stored key"))
        self.tls_check.setText(translate("ServerForm", "Verify the server's TLS certificate"))
        self.tls_check.setToolTip(
            translate(
                "ServerForm",
                "Turn off only for a server of your own with a self-signed certificate: without it, anyone on the "
                "way could pose as the server.",
            )
        )
        self.test_button.setToolTip(translate("ServerForm", "Ask the server what it offers (no project text is sent)"))
        self.save_button.setText(translate("ServerForm", "Save"))
        self.cancel_button.setText(translate("ServerForm", "Cancel"))
        self._update_test_button()
        self._update_key_texts()
        self._check_url()
        if self._result is not None:
            self.result.setText(self._result())

    # ------------------------------------------------------------ modes

    def show_none(self) -> None:
        self._stop_test()
        self.mode, self.original = Mode.NONE, None
        self._fill(None)
        self._show_result(lambda: translate("ServerForm", "Choose a server in the list, or add one."))

    def show_server(self, server: ServerConfig, outcome: TestReport | UserError | None = None) -> None:
        """A saved server, read-only: Test works on it as it is saved. `outcome`: its last test in this run."""
        self._stop_test()
        self.mode, self.original = Mode.VIEW, server
        self._fill(server)
        if isinstance(outcome, UserError):
            self._show_error(outcome)
        elif outcome is not None:
            self._show_result(lambda: report_text(outcome))
        else:
            self._show_result(None)

    def start_new(self) -> None:
        self._stop_test()
        self.mode, self.original = Mode.EDIT, None
        self._fill(None)
        self._show_result(None)
        self.name_edit.setFocus()

    def start_edit(self, server: ServerConfig) -> None:
        self._stop_test()
        self.mode, self.original = Mode.EDIT, server
        self._fill(server)
        self._show_result(None)
        self.name_edit.setFocus()

    def cancel_edit(self) -> None:
        self._stop_test()
        self.closed_edit.emit()

    def _fill(self, server: ServerConfig | None) -> None:
        self._report = None
        self._url_checked = False
        editing, any_server = self.mode is Mode.EDIT, self.mode is not Mode.NONE
        self.name_edit.setText(server.name if server else "")
        self.kind_combo.setCurrentIndex(self.kind_combo.findData((server.kind if server else ServerKind.TEXT).value))
        self.url_edit.setText(server.url if server else "")
        self.key_edit.clear()  # never filled: a stored key stays in its file
        self.clear_key.setChecked(False)
        self.tls_check.setChecked(server.verify_tls if server else True)
        for field in (self.name_edit, self.kind_combo, self.url_edit, self.key_edit, self.tls_check, self.clear_key):
            field.setEnabled(editing)
        self.test_button.setEnabled(any_server)
        self.save_button.setVisible(editing)
        self.cancel_button.setVisible(editing)
        self._update_key_texts()
        self._check_url()

    @property
    def has_stored_key(self) -> bool:
        return self.original is not None and self.servers.has_key(self.original.name)

    def _update_key_texts(self) -> None:
        stored = self.has_stored_key
        self.clear_key.setVisible(stored and self.mode is Mode.EDIT)
        self.key_note.setVisible(stored)
        self.key_note.setText(translate("ServerForm", "A key is stored for this server (never shown)."))
        if stored:
            self.key_edit.setPlaceholderText(translate("ServerForm", "Type a new key to replace the stored one"))
        else:
            self.key_edit.setPlaceholderText(translate("ServerForm", "Optional: the server's API key or token"))

    # ------------------------------------------------------------ the address

    def _url_finished(self) -> None:
        self._url_checked = True
        self._check_url()

    def _check_url(self) -> None:
        """Under the address: why it cannot be used (once the user has finished typing it), or the plain-http
        warning."""
        text = self.url_edit.text().strip()
        message, style = "", ""
        if text and self.mode is not Mode.NONE:
            try:
                url = check_url(text)
            except UserError as exc:
                if self._url_checked:
                    message, style = error_text(exc), _ERROR_STYLE
            else:
                warning = plain_http_warning(ServerConfig(self.name_edit.text().strip() or "?", self._kind(), url))
                if warning is not None:
                    message, style = tr_msg(warning), _WARNING_STYLE
        self.url_note.setText(message)
        self.url_note.setStyleSheet(style)
        self.url_note.setVisible(bool(message))

    def _kind(self) -> ServerKind:
        return ServerKind(str(self.kind_combo.currentData()))

    def config(self) -> ServerConfig:
        """The server the fields describe; a UserError for a bad name or address. What a test of exactly this server
        found (dialect, models) is kept: from the test just run, or from the saved server when its address stays."""
        self._url_checked = True
        self._check_url()
        name, kind = check_name(self.name_edit.text().strip()), self._kind()
        server = ServerConfig(name, kind, check_url(self.url_edit.text()), verify_tls=self.tls_check.isChecked())
        if self.original is not None:
            server = replace(server, timeout_s=self.original.timeout_s)
        report = self._report
        if report is not None and _same_place(report.server, server):
            return replace(server, dialect=report.dialect, models=tuple(report.models))
        if self.original is not None and _same_place(self.original, server):
            return replace(server, dialect=self.original.dialect, models=self.original.models)
        return server

    # ------------------------------------------------------------ test and save

    def test(self) -> None:
        if self.call is not None:
            self._stop_test()
            self._show_result(lambda: translate("ServerForm", "Test stopped."))
            return
        try:
            server = self.config() if self.mode is Mode.EDIT else self.original
        except UserError as exc:
            self._show_error(exc)
            return
        if server is None:
            return
        key = self.key_edit.text().strip() or None
        stored_of = self.original.name if self.original is not None and not self.clear_key.isChecked() else None
        self.call = self.servers.start_test(server, key, stored_of, self)
        self.call.succeeded.connect(self._tested)
        self.call.failed.connect(self._test_failed)
        self.call.done.connect(self._test_done)
        url = server.url
        self._show_result(lambda: translate("ServerForm", "Testing {url}…").format(url=url))
        self._update_test_button()

    def _stop_test(self) -> None:
        call, self.call = self.call, None
        if call is not None:
            for signal in (call.succeeded, call.failed, call.done):
                signal.disconnect()
            call.cancel()
            call.deleteLater()  # its thread ends on its own once its socket is closed
        self._update_test_button()

    def _test_done(self) -> None:
        if self.call is not None:
            self.call.deleteLater()
        self.call = None
        self._update_test_button()

    def _tested(self, report: TestReport) -> None:
        self._report = report
        self._show_result(lambda: report_text(report))
        if self.mode is Mode.VIEW and self.original is not None:
            self.original = self.servers.record_test(report.server)  # tested as saved: its models are current
        self.test_ended.emit(report.server.name, report)

    def _test_failed(self, exc: UserError) -> None:
        self._show_error(exc)
        if self.original is not None and self.mode is Mode.VIEW:
            self.test_ended.emit(self.original.name, exc)

    def save(self) -> None:
        try:
            server = self.servers.save(
                self.config(),
                self.key_edit.text().strip() or None,
                original=self.original.name if self.original is not None else None,
                clear_key=self.clear_key.isChecked(),
            )
        except UserError as exc:
            self._show_error(exc)
            return
        report = self._report if self._report is not None and _same_place(self._report.server, server) else None
        self._stop_test()
        self.saved.emit(server.name, report)

    # ------------------------------------------------------------ showing results

    def _update_test_button(self) -> None:
        running = self.call is not None
        self.test_button.setText(translate("ServerForm", "Stop test") if running else translate("ServerForm", "Test"))

    def _show_error(self, exc: UserError) -> None:
        self._show_result(lambda: error_text(exc), _ERROR_STYLE)

    def _show_result(self, render: Callable[[], str] | None, style: str = "") -> None:
        self._result = render
        self.result.setStyleSheet(style)
        self.result.setText(render() if render is not None else "")
        self.result.setVisible(render is not None)


def _same_place(a: ServerConfig, b: ServerConfig) -> bool:
    """Whether a test of `a` tells about `b`: the same kind of server at the same address."""
    return a.kind is b.kind and a.url == b.url


def report_text(report: TestReport) -> str:
    """What a test found, in words: the models (the first few by name), the server's type and version, its notes."""
    count = len(report.models)
    lines = [translate("ServerForm", "The server answered. Models it offers: {count}").format(count=count)]
    lines += [f"• {m}" for m in report.models[:MAX_LISTED_MODELS]]
    if count > MAX_LISTED_MODELS:
        lines.append(translate("ServerForm", "… and {count} more").format(count=count - MAX_LISTED_MODELS))
    kind = f"{report.dialect} {report.version}" if report.version else report.dialect
    if kind:
        lines.append(translate("ServerForm", "Server type: {kind}").format(kind=kind))
    lines += [tr_msg(note) for note in report.notes]
    return "\n".join(lines)
