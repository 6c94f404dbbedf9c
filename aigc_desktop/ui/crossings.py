"""The Document's crossings run across the panes: Illustrate, Narrate and Score (ui/document/crossing_actions.py
offers them; state/crossings.py drafts the prompts).

- Illustrate: the paragraph → the Illustrate dialog, where the text model's draft of an image prompt arrives (or the
  paragraph condensed, and why) to edit → "Paint on the Canvas" paints it with the Canvas's image model at the
  Generate tab's settings as a new layer that names its paragraph and leads back to it (ImageGeneration.illustrate).
  No image model, or one that cannot paint from a prompt: a message that says what to install, and no dialog.
- Narrate: the Audio pane's own Narrate selection (or Narrate document when nothing is selected).
- Score: the text → a drafted music prompt, put into the Audio pane's Music tab, which is shown; the note under the
  waveform says how the prompt was made. Without a music model the Music tab says so, as it always does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.text.actions import IMAGE_PROMPT, MUSIC_PROMPT
from aigc_desktop.core.text.prompt_draft import excerpt
from aigc_desktop.state.crossings import Draft, PromptDrafts
from aigc_desktop.ui.dialogs import show_error
from aigc_desktop.ui.i18n import Retranslating, error_text, tr_msg, translate
from aigc_desktop.workers.jobs import Job

if TYPE_CHECKING:
    from aigc_desktop.ui.main_window import MainWindow

NO_IMAGE_MODEL = QT_TRANSLATE_NOOP(
    "Crossings",
    "Illustrate paints with an image model, and none is installed. Install one in File ▸ Models… (Stable Diffusion "
    "1.5, or SD-Turbo for speed), or train one on your pictures (Tools ▸ Train on my images…).",
)
CANNOT_PAINT = QT_TRANSLATE_NOOP(
    "Crossings",
    "{model}, the Canvas's image model, cannot paint from a prompt. Choose a text-to-image model on the Canvas "
    "(such as Stable Diffusion; File ▸ Models… installs one).",
)
DRAFTING = QT_TRANSLATE_NOOP("Crossings", "Drafting a prompt with {model}…")
SCORING = QT_TRANSLATE_NOOP("Crossings", "Score: drafting a music prompt with {model}…")
SCORED = QT_TRANSLATE_NOOP("Crossings", "Score: the music prompt is in the Audio pane’s Music tab.")
EXCERPT_CHARS = 160  # of the paragraph, above the prompt


class IllustrateDialog(Retranslating, QDialog):
    """The paragraph, the prompt to paint (the draft when it arrives; editable), how it was made, and the model that
    will paint it."""

    def __init__(self, paragraph: str, image_model: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("illustrateDialog")
        self.paragraph = paragraph
        self.image_model = image_model
        self._note: str = ""  # how the prompt was made (a marked Msg: shown again after a language switch)
        self.job: Job | None = None  # the draft, while it runs
        self.source_label = QLabel(self)
        self.source_label.setObjectName("illustrateSource")
        self.source_label.setWordWrap(True)
        self.quote = QLabel(self)
        self.quote.setObjectName("illustrateParagraph")
        self.quote.setWordWrap(True)
        self.quote.setProperty("user_content", True)
        self.quote.setText("“" + excerpt(paragraph, EXCERPT_CHARS) + "”")
        self.quote.setStyleSheet("color: palette(dark); font-style: italic;")
        self.prompt_label = QLabel(self)
        self.prompt = QPlainTextEdit(self)
        self.prompt.setObjectName("illustratePrompt")
        self.prompt.setEnabled(False)  # until the draft arrives
        self.note = QLabel(self)
        self.note.setObjectName("illustrateNote")
        self.note.setWordWrap(True)
        self.model_note = QLabel(self)
        self.model_note.setObjectName("illustrateModel")
        self.model_note.setWordWrap(True)
        self.buttons = QDialogButtonBox(self)
        self.paint_button = QPushButton(self)
        self.paint_button.setObjectName("illustratePaint")
        self.paint_button.setEnabled(False)
        self.paint_button.setDefault(True)
        self.buttons.addButton(self.paint_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.prompt.textChanged.connect(self._update_paint)
        lay = QVBoxLayout(self)
        lay.addWidget(self.source_label)
        lay.addWidget(self.quote)
        lay.addWidget(self.prompt_label)
        lay.addWidget(self.prompt, 1)
        lay.addWidget(self.note)
        lay.addWidget(self.model_note)
        lay.addWidget(self.buttons)
        self.resize(560, 380)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(translate("IllustrateDialog", "Illustrate"))
        self.source_label.setText(translate("IllustrateDialog", "A picture for the paragraph:"))
        self.prompt_label.setText(translate("IllustrateDialog", "Image prompt (edit it as you like):"))
        self.prompt.setPlaceholderText(translate("IllustrateDialog", "e.g. a fox asleep in the snow, dawn light"))
        self.model_note.setText(
            translate("IllustrateDialog", "Painted by {model} on the Canvas, as a new layer.").format(
                model=self.image_model
            )
        )
        self.paint_button.setText(translate("IllustrateDialog", "Paint on the Canvas"))
        self.cancel_button.setText(translate("IllustrateDialog", "Cancel"))
        self.note.setText(tr_msg(self._note))

    def show_note(self, note: str) -> None:
        self._note = note
        self.note.setText(tr_msg(note))

    def set_draft(self, draft: Draft) -> None:
        """The drafted (or condensed) prompt arrived: ready to edit and paint."""
        self.job = None
        self.prompt.setEnabled(True)
        self.prompt.setPlainText(draft.prompt)
        self.show_note(draft.note)
        self.prompt.setFocus()

    def prompt_text(self) -> str:
        return self.prompt.toPlainText().strip()

    def _update_paint(self) -> None:
        self.paint_button.setEnabled(self.prompt.isEnabled() and bool(self.prompt_text()))


class Crossings(QObject):
    """Runs the Document's crossings in the window: the drafts, the dialog, the panes they end in."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.drafts = PromptDrafts(window.ctx, window.session, self)
        self.drafts.drafted.connect(self._drafted)
        self.dialog: IllustrateDialog | None = None
        actions = window.document_pane.crossings
        actions.illustrate_requested.connect(self.illustrate)
        actions.narrate_requested.connect(self.narrate)
        actions.score_requested.connect(self.score)

    def _document_model(self) -> str | None:
        return self.window.document_pane.model_selector.current_model_id()

    # ------------------------------------------------------------ Illustrate

    def illustrate(self, paragraph: str) -> IllustrateDialog | None:
        """Check the Canvas can paint, open the dialog and start the draft; a refusal is shown, and None."""
        from aigc_desktop.core.image.job import ImageMode  # the Canvas is built by now; the first paint needs neither

        window = self.window
        if not paragraph.strip():
            show_error(
                window,
                translate("Crossings", "Cannot illustrate"),
                translate("Crossings", "Put the cursor in a paragraph, or select some text, to illustrate it."),
            )
            return None
        canvas = window.canvas_pane
        model_id = canvas.model_selector.current_model_id()
        problem = None
        if model_id is None:
            problem = NO_IMAGE_MODEL
        elif ImageMode.TXT2IMG not in canvas.image_panel.available_modes():
            problem = CANNOT_PAINT.format(model=canvas.model_selector.currentText())
        if problem is not None:
            show_error(window, translate("Crossings", "Cannot illustrate"), tr_msg(problem))
            return None
        if self.dialog is not None:  # one at a time: a new paragraph replaces the one not painted yet
            self.dialog.reject()
        dialog = IllustrateDialog(paragraph, canvas.model_selector.currentText(), window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._paint(dialog))
        dialog.rejected.connect(lambda: self._dismissed(dialog))
        self.dialog = dialog
        dialog.open()
        runs_on = self.drafts.runs_on(IMAGE_PROMPT, self._document_model())
        if runs_on.instruct and runs_on.entry is not None:
            dialog.show_note(DRAFTING.format(model=runs_on.entry.name))
        try:
            dialog.job = self.drafts.draft(IMAGE_PROMPT, paragraph, self._document_model())
        except UserError as exc:
            dialog.reject()
            show_error(window, translate("Crossings", "Cannot illustrate"), error_text(exc))
            return None
        return dialog

    def _paint(self, dialog: IllustrateDialog) -> Job | None:
        window = self.window
        canvas = window.canvas_pane
        model_id = canvas.model_selector.current_model_id()
        try:
            if model_id is None:
                raise UserError(NO_IMAGE_MODEL)
            job = canvas.generation.illustrate(
                model_id, dialog.prompt_text(), dialog.paragraph, canvas.image_panel.params()
            )
        except UserError as exc:
            show_error(window, translate("Crossings", "Cannot illustrate"), error_text(exc))
            return None
        finally:
            if self.dialog is dialog:
                self.dialog = None
        window.show_pane(canvas)
        return job

    def _dismissed(self, dialog: IllustrateDialog) -> None:
        if dialog.job is not None:
            self.drafts.cancel(dialog.job)
        if self.dialog is dialog:
            self.dialog = None

    def show_paragraph(self, text: str) -> None:
        """From a layer back to the paragraph it illustrates."""
        self.window.show_pane(self.window.document_pane)
        self.window.document_pane.crossings.show_paragraph(text)

    # ------------------------------------------------------------ Narrate, Score

    def narrate(self) -> None:
        """The Audio pane's Narrate selection, or Narrate document when nothing is selected."""
        audio = self.window.audio_pane
        self.window.show_pane(audio)
        if self.window.document_model.selected_text().strip():
            audio.narrate_selection()
        else:
            audio.narrate_document()

    def score(self, text: str) -> Job | None:
        document = self.window.document_pane
        runs_on = self.drafts.runs_on(MUSIC_PROMPT, self._document_model())
        if runs_on.instruct and runs_on.entry is not None:
            document.show_status(SCORING.format(model=runs_on.entry.name))
        try:
            return self.drafts.draft(MUSIC_PROMPT, text, self._document_model())
        except UserError as exc:
            show_error(self.window, translate("Crossings", "Cannot score"), error_text(exc))
            return None

    # ------------------------------------------------------------ drafts arriving

    def _drafted(self, draft: Draft) -> None:
        if draft.action == IMAGE_PROMPT.id:
            if self.dialog is not None and self.dialog.paragraph.strip() == draft.source:
                self.dialog.set_draft(draft)
            return
        audio = self.window.audio_pane
        audio.music.prompt.setPlainText(draft.prompt)
        audio.side.setCurrentWidget(audio.music)
        audio.model.status_changed.emit(draft.note)
        self.window.document_pane.show_status(SCORED)
        self.window.show_pane(audio)
