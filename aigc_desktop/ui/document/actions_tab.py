"""The Document pane's Actions tab: pick a writing action (poem, title, summary…), see which model it runs on and the
prompt template it will send (editable), and run it.

The model: "Automatic" (core/text/action_model.py: an instruction-tuned model for the actions that need one, the
Document's model for the rest) or one the user chose here, kept in the settings (default_models["actions"]). The note
under the list names the model the chosen action will use and why. The template follows that model (an instruction
or a completion template) and the language of the text the action works on (core/text/actions.py). A template the
author edited is kept when only the text's language changes; another action or model shows its template afresh.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.models.entry import ModelEntry
from aigc_desktop.core.text.action_model import ActionModel, Why, action_model
from aigc_desktop.core.text.actions import ACTIONS, ACTIONS_BY_ID, TextAction
from aigc_desktop.state.settings import AppSettings
from aigc_desktop.ui.i18n import Retranslating, tr_msg, translate

SETTINGS_KEY = "actions"  # the key of the chosen model in settings.default_models
WHY_NOTES = {
    Why.CHOSEN: QT_TRANSLATE_NOOP("ActionsTab", "“{action}” runs on {model}, the model chosen above."),
    Why.DOCUMENT: QT_TRANSLATE_NOOP("ActionsTab", "“{action}” runs on {model}, the Document’s model."),
    Why.INSTRUCT: QT_TRANSLATE_NOOP(
        "ActionsTab",
        "“{action}” needs instructions, so it runs on {model}, the largest instruction-tuned model installed (the "
        "Document’s model only continues text).",
    ),
    Why.NONE: QT_TRANSLATE_NOOP("ActionsTab", "No text model is installed."),
}


class ActionsTab(Retranslating, QWidget):
    run_requested = Signal()

    def __init__(self, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.entries: list[ModelEntry] = []  # the text models an action can run on
        self.document_model: str | None = None  # the Document's model id
        self.instruct = False  # the model the current action runs on follows instructions
        self.chinese = False  # the text the action would work on is Chinese
        self._shown = ""  # the template as last put in the box: the author has not edited it while they are equal
        lay = QVBoxLayout(self)
        self.action_box = QComboBox(self)
        self.action_box.setObjectName("actionBox")
        for a in ACTIONS:
            self.action_box.addItem(a.label, a.id)
        self.action_box.currentIndexChanged.connect(lambda _: self.refresh(new_template=True))
        self.model_box = QComboBox(self)
        self.model_box.setObjectName("actionModelBox")
        # Rows after "Automatic" are models' names (the translation sweep checks the first row itself).
        self.model_box.setProperty("translated_items", False)
        self.model_box.activated.connect(self._model_chosen)
        self.model_note = QLabel(self)
        self.model_note.setObjectName("actionModelNote")
        self.model_note.setWordWrap(True)
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
        self.model_label = QLabel(self)
        self.template_label = QLabel(self)
        self.interests_label = QLabel(self)
        lay.addWidget(self.action_label)
        lay.addWidget(self.action_box)
        lay.addWidget(self.model_label)
        lay.addWidget(self.model_box)
        lay.addWidget(self.model_note)
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
        self._label_models()
        self.model_box.setToolTip(
            translate(
                "ActionsTab",
                "Automatic: the actions that need instructions run on an instruction-tuned model, the others on the "
                "Document’s model",
            )
        )
        self.model_label.setText(translate("ActionsTab", "Model for actions"))
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

    def set_models(self, entries: list[ModelEntry], document_model: str | None) -> None:
        """The text models there are and the Document's model: list them, and show the action's template afresh
        when it now runs on another model (an edited template stays while the model does)."""
        before = self.resolved().entry
        self.entries = [e for e in entries if not e.pickle_only]
        self.document_model = document_model
        chosen = self.chosen_model()
        self.model_box.blockSignals(True)
        self.model_box.clear()
        self.model_box.addItem("", "")
        for e in self.entries:
            self.model_box.addItem("", e.id)
        self.model_box.setCurrentIndex(max(self.model_box.findData(chosen or ""), 0))
        self.model_box.blockSignals(False)
        self._label_models()
        after = self.resolved().entry
        self.refresh(new_template=(before and before.id) != (after and after.id))

    def chosen_model(self) -> str | None:
        """The model the user chose for actions, if it is still installed; None: automatic."""
        chosen = self.settings.default_model(SETTINGS_KEY)
        return chosen if chosen and any(e.id == chosen for e in self.entries) else None

    def resolved(self, action: TextAction | None = None) -> ActionModel:
        """The model `action` (the current one by default) runs on, and why."""
        return action_model(action or self.current_action(), self.entries, self.document_model, self.chosen_model())

    def _model_chosen(self, index: int) -> None:
        self.settings.set_default_model(SETTINGS_KEY, str(self.model_box.itemData(index) or "") or None)
        self.refresh(new_template=True)

    def _label_models(self) -> None:
        self.model_box.setItemText(0, translate("ActionsTab", "Automatic"))
        kinds = {True: translate("ActionsTab", "instruction-tuned"), False: translate("ActionsTab", "base model")}
        for i, e in enumerate(self.entries, start=1):
            self.model_box.setItemText(i, f"{e.name} · {kinds[bool(e.instruct)]}")

    def set_context(self, chinese: bool) -> None:
        """The language of the text the action works on: another one only replaces a template the author has not
        edited."""
        if chinese == self.chinese:
            return
        self.chinese = chinese
        self.refresh()

    def refresh(self, new_template: bool = False) -> None:
        self.instruct = self.resolved().instruct
        wanted = self.current_action().template_for(self.instruct, self.chinese)
        if new_template or self.template.toPlainText() == self._shown:
            self.template.setPlainText(wanted)
            self._shown = wanted
        self._show_states()

    def _show_states(self) -> None:
        """Which actions can run on the model each would use (a reason on each one that cannot), which model the
        chosen one uses, and what it will send."""
        for i, action in enumerate(ACTIONS):
            ok, reason = action.available(self.resolved(action).instruct)
            item = self.action_box.model().item(i)  # type: ignore[attr-defined]
            item.setEnabled(ok)
            item.setToolTip(tr_msg(reason))
        current = self.resolved()
        ok, reason = self.current_action().available(current.instruct)
        self.run_action_button.setEnabled(ok and current.entry is not None)
        self.action_note.setText(tr_msg(reason) if reason else self._note())
        name = current.entry.name if current.entry is not None else ""
        note = tr_msg(WHY_NOTES[current.why].format(action=self.current_action().label, model=name))
        languages = current.entry.languages if current.entry is not None else ()
        if self.chinese and languages and "zh" not in languages:  # SmolLM2 runs on Chinese text, but poorly
            if current.why is Why.INSTRUCT:  # picked automatically: a multilingual one installed would win
                hint = translate(
                    "ActionsTab",
                    "{model} writes English: its answers to Chinese text come in English. For Chinese answers, "
                    "install a multilingual instruction-tuned model (Models window); Automatic then uses it.",
                )
            else:
                hint = translate(
                    "ActionsTab", "{model} was trained on English: its answers to Chinese text may be weak."
                )
            note += "\n" + hint.format(model=name)
        self.model_note.setText(note)

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
