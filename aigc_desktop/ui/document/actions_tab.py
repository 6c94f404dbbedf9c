"""The Document pane's Actions tab: pick a writing action (poem, title, summary…), see and edit the prompt template it
will send, and run it.

The template shown follows two things the pane tells it: whether the selected model is instruction-tuned (an
instruction or a completion template) and whether the text the action works on is Chinese (the Chinese or the
English template, core/text/actions.py). A template the author edited is kept when only the text's language changes;
picking another action or model shows that one's template afresh.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from aigc_desktop.core.text.actions import ACTIONS, ACTIONS_BY_ID, TextAction
from aigc_desktop.state.settings import AppSettings
from aigc_desktop.ui.i18n import Retranslating, tr_msg, translate


class ActionsTab(Retranslating, QWidget):
    run_requested = Signal()

    def __init__(self, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.instruct = False  # the selected model follows instructions
        self.chinese = False  # the text the action would work on is Chinese
        self._shown = ""  # the template as last put in the box: the author has not edited it while they are equal
        lay = QVBoxLayout(self)
        self.action_box = QComboBox(self)
        self.action_box.setObjectName("actionBox")
        for a in ACTIONS:
            self.action_box.addItem(a.label, a.id)
        self.action_box.currentIndexChanged.connect(lambda _: self.refresh(new_template=True))
        self.action_note = QLabel(self)
        self.action_note.setObjectName("actionNote")
        self.action_note.setWordWrap(True)
        self.template = QPlainTextEdit(self)
        self.template.setObjectName("actionTemplate")
        self.interests = QLineEdit(", ".join(settings.values.interest_keywords), self)
        self.interests.setObjectName("interests")
        self.interests.editingFinished.connect(self._save_interests)
        self.run_action_button = QPushButton(self)
        self.run_action_button.setObjectName("runActionButton")
        self.run_action_button.clicked.connect(self.run_requested)
        self.action_label = QLabel(self)
        self.template_label = QLabel(self)
        self.interests_label = QLabel(self)
        lay.addWidget(self.action_label)
        lay.addWidget(self.action_box)
        lay.addWidget(self.action_note)
        lay.addWidget(self.template_label)
        lay.addWidget(self.template, 1)
        lay.addWidget(self.interests_label)
        lay.addWidget(self.interests)
        lay.addWidget(self.run_action_button)
        self.refresh(new_template=True)
        self.retranslate()

    def retranslate(self) -> None:
        for i, action in enumerate(ACTIONS):
            self.action_box.setItemText(i, tr_msg(action.label))
        self.template.setToolTip(
            translate("ActionsTab", "The prompt this action sends: {text} is the selected text (or the whole document)")
        )
        self.interests.setPlaceholderText(translate("ActionsTab", "e.g. 山水, travel, science fiction"))
        self.run_action_button.setText(translate("ActionsTab", "Run action"))
        self.action_label.setText(translate("ActionsTab", "Action"))
        self.template_label.setText(translate("ActionsTab", "Prompt template"))
        self.interests_label.setText(translate("ActionsTab", "My interests (for brainstorming)"))
        self._show_states()

    def current_action(self) -> TextAction:
        return ACTIONS_BY_ID[str(self.action_box.currentData())]

    def template_text(self) -> str:
        return self.template.toPlainText()

    def set_context(self, instruct: bool, chinese: bool, *, model_changed: bool = False) -> None:
        """The selected model's kind and the text's language. Another model shows the action's template for it
        afresh; another language only replaces a template the author has not edited."""
        if not model_changed and (instruct, chinese) == (self.instruct, self.chinese):
            return
        self.instruct, self.chinese = instruct, chinese
        self.refresh(new_template=model_changed)

    def refresh(self, new_template: bool = False) -> None:
        wanted = self.current_action().template_for(self.instruct, self.chinese)
        if new_template or self.template.toPlainText() == self._shown:
            self.template.setPlainText(wanted)
            self._shown = wanted
        self._show_states()

    def _show_states(self) -> None:
        """Which actions the model can run (a reason on each one it cannot), and what the chosen one will send."""
        for i, action in enumerate(ACTIONS):
            ok, reason = action.available(self.instruct)
            item = self.action_box.model().item(i)  # type: ignore[attr-defined]
            item.setEnabled(ok)
            item.setToolTip(tr_msg(reason))
        ok, reason = self.current_action().available(self.instruct)
        self.run_action_button.setEnabled(ok)
        self.action_note.setText(tr_msg(reason) if reason else self._note())

    def _note(self) -> str:
        if self.chinese:
            if self.instruct:
                return translate(
                    "ActionsTab", "Uses a Chinese instruction prompt: the text is Chinese. Edit it below if you like."
                )
            return translate(
                "ActionsTab",
                "Uses a Chinese completion prompt (base model): the text is Chinese. Edit it below if you like.",
            )
        if self.instruct:
            return translate("ActionsTab", "Uses an instruction prompt. Edit it below if you like.")
        return translate("ActionsTab", "Uses a completion prompt (base model). Edit it below if you like.")

    def keywords(self) -> list[str]:
        """The interests as typed, separated by commas (a Chinese comma or 、 too)."""
        return [k.strip() for k in re.split(r"[,，、;；]", self.interests.text()) if k.strip()]

    def _save_interests(self) -> None:
        self.settings.set("interest_keywords", self.keywords())
