"""Settings ▸ Servers: the servers jobs can run on (text, images, speech), with Add, Edit, Remove and Test.

The list shows each server's name, kind, address and what its last test found (the models it listed, or why this
run's test failed); the form beside it (ui/server_form.py) shows the chosen server and edits it. Everything goes
through state/servers.py ServersModel, whose `changed` makes the panes' model lists follow.
"""

from __future__ import annotations

import contextlib

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.servers.config import ServerConfig
from aigc_desktop.core.servers.probing import TestReport
from aigc_desktop.state.servers import ServersModel
from aigc_desktop.ui.i18n import Retranslating, error_text, tr_msg, translate
from aigc_desktop.ui.server_form import KIND_LABELS, Mode, ServerForm

COLUMNS = 4  # name, kind, address, last test


class ServersDialog(Retranslating, QDialog):
    def __init__(self, servers: ServersModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.servers = servers
        self.setObjectName("serversDialog")
        # This run's last test of each server: the list says when it failed, the form shows what it found or why not.
        self._outcomes: dict[str, TestReport | UserError] = {}

        self.intro = QLabel(self)
        self.intro.setObjectName("serversIntro")
        self.intro.setWordWrap(True)
        self.table = QTableWidget(0, COLUMNS, self)
        self.table.setObjectName("serverTable")
        self.table.setProperty("user_content", True)  # names and addresses are the user's; the headers are checked
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.itemDoubleClicked.connect(lambda _item: self.edit())
        self.add_button = QPushButton(self)
        self.add_button.setObjectName("addServer")
        self.add_button.clicked.connect(self.add)
        self.edit_button = QPushButton(self)
        self.edit_button.setObjectName("editServer")
        self.edit_button.clicked.connect(self.edit)
        self.remove_button = QPushButton(self)
        self.remove_button.setObjectName("removeServer")
        self.remove_button.clicked.connect(self.remove)
        row = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.remove_button):
            row.addWidget(button)
        row.addStretch(1)
        left = QVBoxLayout()
        left.addWidget(self.intro)
        left.addWidget(self.table, 1)
        left.addLayout(row)

        self.form = ServerForm(servers, self)
        self.form.saved.connect(self._saved)
        self.form.closed_edit.connect(self._selection_changed)
        self.form.test_ended.connect(self._test_ended)
        body = QHBoxLayout()
        body.addLayout(left, 3)
        body.addWidget(self.form, 2)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(body, 1)
        lay.addWidget(self.buttons)
        servers.changed.connect(self.refresh)
        self.resize(980, 560)
        self.refresh()
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(translate("ServersDialog", "Servers"))
        self.intro.setText(
            translate(
                "ServersDialog",
                "Run jobs on another computer: a text server (llama.cpp, vLLM, Ollama, LM Studio), an image server "
                "(ComfyUI) or a speech server. Its models appear in each pane's model list under its name.",
            )
        )
        self.table.setHorizontalHeaderLabels(
            [
                translate("ServersDialog", "Name"),
                translate("ServersDialog", "Kind"),
                translate("ServersDialog", "Address"),
                translate("ServersDialog", "Last test"),
            ]
        )
        self.add_button.setText(translate("ServersDialog", "Add"))
        self.edit_button.setText(translate("ServersDialog", "Edit"))
        self.remove_button.setText(translate("ServersDialog", "Remove…"))
        close = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText(translate("ServersDialog", "Close"))
        self.refresh()

    # ------------------------------------------------------------ the list

    def refresh(self) -> None:
        chosen = self.selected_name()
        servers = self.servers.servers()
        self.table.blockSignals(True)
        self.table.setRowCount(len(servers))
        for row, server in enumerate(servers):
            test, tip = self._last_test(server)
            cells = (server.name, tr_msg(KIND_LABELS[server.kind]), server.url, test)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, server.name)
                if column == 3 and tip:
                    item.setToolTip(tip)
                self.table.setItem(row, column, item)
            if server.name == chosen:
                self.table.selectRow(row)
        self.table.blockSignals(False)
        if chosen is not None and self.selected_name() is None and self.form.mode is Mode.VIEW:
            self.form.show_none()  # the chosen server was removed (here or by `aigc servers remove`)
        self._update_buttons()

    def _last_test(self, server: ServerConfig) -> tuple[str, str]:
        """The list's "Last test" cell and its tooltip."""
        failure = self._outcomes.get(server.name)
        if isinstance(failure, UserError):
            return translate("ServersDialog", "failed"), error_text(failure)
        if not server.dialect:
            return translate("ServersDialog", "not tested"), ""
        count = len(server.models)
        return translate("ServersDialog", "models: {count}").format(count=count), ", ".join(server.models)

    def selected_name(self) -> str | None:
        items = self.table.selectedItems()
        return str(items[0].data(Qt.ItemDataRole.UserRole)) if items else None

    def select(self, name: str) -> None:
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == name:
                self.table.selectRow(row)
                return

    def _selected_server(self) -> ServerConfig | None:
        name = self.selected_name()
        if name is None:
            return None
        try:
            return self.servers.get(name)
        except UserError:
            return None

    def _selection_changed(self) -> None:
        server = self._selected_server()
        if server is None:
            self.form.show_none()
        else:
            self.form.show_server(server, self._outcomes.get(server.name))
        self._update_buttons()

    def _update_buttons(self) -> None:
        chosen = self.selected_name() is not None
        self.edit_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)

    # ------------------------------------------------------------ actions

    def add(self) -> None:
        self.table.clearSelection()
        self.form.start_new()

    def edit(self) -> None:
        server = self._selected_server()
        if server is not None:
            self.form.start_edit(server)

    def remove(self) -> None:
        name = self.selected_name()
        if name is None:
            return
        answer = QMessageBox.question(
            self,
            translate("ServersDialog", "Remove server"),
            translate(
                "ServersDialog",
                "Remove the server “{name}”? Its stored key is deleted too. What was made on it stays in your "
                "projects.",
            ).format(name=name),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        with contextlib.suppress(UserError):  # removed meanwhile (`aigc servers remove`): the list shows it gone
            self.servers.remove(name)
        self._outcomes.pop(name, None)
        self.refresh()

    def _saved(self, name: str, report: TestReport | None) -> None:
        if report is not None:
            self._outcomes[name] = report
        else:
            self._outcomes.pop(name, None)
        self.refresh()
        self.select(name)
        self._selection_changed()

    def _test_ended(self, name: str, outcome: TestReport | UserError) -> None:
        self._outcomes[name] = outcome
        self.refresh()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.form.show_none()  # stops a running test
        super().closeEvent(event)

    def reject(self) -> None:
        self.form.show_none()
        super().reject()
