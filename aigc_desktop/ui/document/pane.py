"""The Document pane: a rich-text editor that is the project's document, where a local model writes with the author.

Continue streams a continuation into the text at the cursor; Variants and the actions (poem, title, summary...) put
candidates in the Results list, and a click inserts one. AI-written text is marked and the mark survives edits, saving
and reopening. Every generation lands in the project history and can be regenerated exactly.

Every text is set in `retranslate()` (the interface language switches live); the latest status line is kept as the
marked Msg it came as and shown again in the new language. The word count is the Chinese writer's 字数 (Han
characters one each, words of spaced languages one each, core/text/counting.py), numbers written through QLocale.
The Actions tab (actions_tab.py) gets Chinese templates when the text it would work on is Chinese, and says which
model each action runs on (core/text/action_model.py): an instruction gets the whole text, never a silently cut one.
The crossings to the other panes (Illustrate, Narrate, Score) are toolbar buttons and context-menu items
(crossing_actions.py); ui/crossings.py runs them.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtCore import QEvent, QLocale, QObject, Qt, QTimer
from PySide6.QtGui import (
    QAction,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QKeyEvent,
    QKeySequence,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocumentFragment,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP, Msg
from aigc_desktop.core.models import styles
from aigc_desktop.core.project.model import HistoryEntry
from aigc_desktop.core.specs import JobKind, JobSpec, ModelKind
from aigc_desktop.core.text.actions import TextAction, render
from aigc_desktop.core.text.context import model_context_facts, window_text
from aigc_desktop.core.text.counting import is_chinese
from aigc_desktop.core.text.job import TextParams, text_spec
from aigc_desktop.state.ai_marks import ai_format, collect_spans, is_ai, plain_format
from aigc_desktop.state.context import AppContext
from aigc_desktop.state.document import BODY_POINTS, MODE_NAMES, DocumentModel
from aigc_desktop.state.session import ProjectSession
from aigc_desktop.ui.dialogs import show_error
from aigc_desktop.ui.document.actions_tab import ActionsTab
from aigc_desktop.ui.document.controls import TextControls
from aigc_desktop.ui.document.crossing_actions import CrossingActions
from aigc_desktop.ui.document.editor import AiTextEdit
from aigc_desktop.ui.document.find_box import FindBox
from aigc_desktop.ui.document.history_tab import HistoryTab
from aigc_desktop.ui.drops import local_files
from aigc_desktop.ui.i18n import CHINESE, Retranslating, current_language, error_text, tr_msg, translate
from aigc_desktop.ui.pane import Pane
from aigc_desktop.workers.jobs import Job

HEADING_POINTS = {1: 22.0, 2: 17.0}
# How much text before the cursor tells the Actions tab the text's language (what the model reads is set by the
# context budget in the Settings tab: DocumentModel.text_before).
LANGUAGE_SAMPLE_CHARS = 6000
# Files dropped on the editor are inserted as text: suffix → how they are read.
TEXT_DROP_KINDS = {".txt": "plain", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}
MAX_DROP_BYTES = 5 * 1024**2  # larger is almost surely the wrong file, and would freeze the editor while laid out
LANGUAGE_CHECK_MS = 300  # how long after the last keystroke or selection change the text's language is looked at
# The formatting buttons: their letters are the same in every language (as in Chinese word processors); tips are not.
FORMAT_TIPS = {
    "B": QT_TRANSLATE_NOOP("DocumentPane", "Bold (Ctrl+B)"),
    "I": QT_TRANSLATE_NOOP("DocumentPane", "Italic (Ctrl+I)"),
    "H1": QT_TRANSLATE_NOOP("DocumentPane", "Heading 1"),
    "H2": QT_TRANSLATE_NOOP("DocumentPane", "Heading 2"),
    "¶": QT_TRANSLATE_NOOP("DocumentPane", "Body text"),
}


class DocumentPane(Retranslating, Pane):
    pane_id = "document"
    title = QT_TRANSLATE_NOOP("DocumentPane", "Document")
    model_kinds = (ModelKind.TEXT,)
    job_kinds = (JobKind.TEXT,)

    def __init__(
        self, ctx: AppContext, session: ProjectSession, model: DocumentModel, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, session, parent)
        self.model = model
        self.editor = AiTextEdit(self)  # keeps AI marks through copy/paste within the app
        self.editor.setDocument(model.document)
        self.editor.setObjectName("documentEditor")
        self.editor.setAcceptRichText(True)
        self.editor.currentCharFormatChanged.connect(self._keep_typing_unmarked)
        self.editor.selectionChanged.connect(self._remember_selection)
        self.editor.cursorPositionChanged.connect(self._remember_selection)

        self.format_actions = self._add_format_buttons()
        self.continue_button = self._tool_button("continueButton", self.continue_writing)  # Ctrl+Enter: retranslate
        self.variants_button = self._tool_button("variantsButton", self.generate_variants)
        self.stop_button = self._tool_button("stopButton", self.stop)
        self.stop_button.setEnabled(False)
        self.crossings = CrossingActions(
            self.editor, lambda b: self.toolbar.insertWidget(self.toolbar.count() - 1, b), self._source_text
        )
        # Esc stops writing. An event filter, not a QShortcut: it must work while the editor has focus even when
        # the window is not the active one (a shortcut would need an active window).
        self.editor.installEventFilter(self)
        # Drag and drop events go to the viewport, not the editor: text files dropped there are inserted as text.
        self.editor.viewport().installEventFilter(self)

        self.controls = TextControls(self)
        self.controls.set_context(ctx.settings.values.text_context_tokens)
        self.controls.context_changed.connect(lambda tokens: ctx.settings.set("text_context_tokens", tokens))
        self.actions_tab = ActionsTab(ctx.settings, self)
        self.actions_tab.run_requested.connect(self.run_action)
        # The tab's widgets by the names the pane has always had for them.
        self.action_box = self.actions_tab.action_box
        self.action_note = self.actions_tab.action_note
        self.template = self.actions_tab.template
        self.interests = self.actions_tab.interests
        self.run_action_button = self.actions_tab.run_action_button
        self.side = QTabWidget(self)
        self.side.setObjectName("documentSide")
        self.side.addTab(self.controls, "")
        self.side.addTab(self.actions_tab, "")
        self.side.addTab(self._build_results_tab(), "")
        self.history_tab = HistoryTab(model, self)
        self.history_tab.regenerate_requested.connect(self.regenerate)
        self.history_tab.use_settings_requested.connect(lambda entry: self.load_spec(entry.spec))
        self.history = self.history_tab.history
        self.side.addTab(self.history_tab, "")
        self.side.setMinimumWidth(300)

        splitter = QSplitter(self)
        splitter.addWidget(self.editor)
        splitter.addWidget(self.side)
        splitter.setStretchFactor(0, 1)
        splitter.setSizes([800, 340])
        self.body.addWidget(splitter, 1)
        status = QHBoxLayout()
        self.word_count = QLabel(self)
        self.word_count.setObjectName("wordCount")
        self.gen_status = QLabel(self)
        self.gen_status.setObjectName("generationStatus")
        self._status: str = ""  # the latest status line as it came (a Msg: shown again after a language switch)
        self.find_box = FindBox(self.editor, self)
        self.find_box.not_found.connect(self._show_status)
        self.crossings.status.connect(self._show_status)
        self.find_action = QAction(self)
        self.find_action.setObjectName("findAction")
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.find_action.triggered.connect(self.find_box.focus_and_select)
        self.addAction(self.find_action)
        status.addWidget(self.word_count)
        status.addWidget(self.find_box)
        status.addStretch(1)
        status.addWidget(self.gen_status)
        self.body.addLayout(status)

        doc = model.document
        doc.contentsChanged.connect(self._update_word_count)
        doc.undoAvailable.connect(self.undo_state_changed)
        doc.redoAvailable.connect(self.undo_state_changed)
        model.status_changed.connect(self._show_status)
        model.results_changed.connect(self._show_results)
        model.running_changed.connect(self.stop_button.setEnabled)
        self.model_selector.currentIndexChanged.connect(self._update_actions)
        model.read_ahead.spec_source = self._read_ahead_spec
        self.editor.cursorPositionChanged.connect(model.read_ahead.moved)
        # The Actions tab's template follows the language of the text it would work on, looked at once typing pauses.
        self._language_timer = QTimer(self)
        self._language_timer.setSingleShot(True)
        self._language_timer.setInterval(LANGUAGE_CHECK_MS)
        self._language_timer.timeout.connect(self._update_language)
        doc.contentsChanged.connect(self._language_timer.start)
        self.editor.selectionChanged.connect(self._language_timer.start)
        self._update_actions()
        self.retranslate()

    # ------------------------------------------------------------ building

    def retranslate(self) -> None:
        self.editor.setPlaceholderText(
            translate(
                "DocumentPane", "Start writing… then press Continue (Ctrl+Enter): the model writes on from the cursor."
            )
        )
        for text, action in self.format_actions.items():
            action.setToolTip(tr_msg(FORMAT_TIPS[text]))
        self.continue_button.setText(translate("DocumentPane", "Continue"))
        self.continue_button.setShortcut(QKeySequence("Ctrl+Return"))  # setText replaces a shortcut set before it
        self.continue_button.setToolTip(translate("DocumentPane", "Write on from the cursor (Ctrl+Enter)"))
        self.variants_button.setText(translate("DocumentPane", "Variants"))
        self.variants_button.setToolTip(translate("DocumentPane", "Several continuations side by side"))
        self.stop_button.setText(translate("DocumentPane", "Stop"))
        self.stop_button.setToolTip(translate("DocumentPane", "Stop writing (Esc)"))
        self.crossings.retranslate()
        for i, tab in enumerate(
            (
                translate("DocumentPane", "Settings"),
                translate("DocumentPane", "Actions"),
                translate("DocumentPane", "Results"),
                translate("DocumentPane", "History"),
            )
        ):
            self.side.setTabText(i, tab)
        self.results.setToolTip(translate("DocumentPane", "Click a result to insert it at the cursor"))
        self.results_hint.setText(translate("DocumentPane", "Click one to insert it at the cursor"))
        self.find_action.setText(translate("DocumentPane", "Find"))
        self.gen_status.setText(tr_msg(self._status))
        self._update_word_count()

    def _tool_button(self, name: str, slot: object) -> QPushButton:
        b = QPushButton(self)
        b.setObjectName(name)
        b.clicked.connect(slot)
        self.toolbar.insertWidget(self.toolbar.count() - 1, b)
        return b

    def _add_format_buttons(self) -> dict[str, QAction]:
        """The formatting buttons, by their letters (their tips are set in `retranslate`)."""
        actions: dict[str, QAction] = {}

        def button(text: str, shortcut: QKeySequence.StandardKey | None, slot: object) -> None:
            action = QAction(text, self)
            if shortcut is not None:
                action.setShortcut(shortcut)
            action.triggered.connect(slot)
            self.addAction(action)
            b = QToolButton(self)
            b.setDefaultAction(action)
            self.toolbar.insertWidget(self.toolbar.count() - 1, b)
            actions[text] = action

        button("B", QKeySequence.StandardKey.Bold, self.toggle_bold)
        button("I", QKeySequence.StandardKey.Italic, self.toggle_italic)
        button("H1", None, lambda: self.set_heading(1))
        button("H2", None, lambda: self.set_heading(2))
        button("¶", None, lambda: self.set_heading(0))
        return actions

    def _build_results_tab(self) -> QWidget:
        tab = QWidget(self)
        lay = QVBoxLayout(tab)
        self.results = QListWidget(tab)
        self.results.setObjectName("results")
        self.results.setProperty("user_content", True)  # the model's texts: not the app's words
        self.results.setWordWrap(True)
        self.results.setSpacing(4)
        self.results.itemClicked.connect(lambda item: self.insert_result(self.results.row(item)))
        self.results_hint = QLabel(tab)
        lay.addWidget(self.results_hint)
        lay.addWidget(self.results, 1)
        return tab

    # ------------------------------------------------------------ formatting

    def toggle_bold(self) -> None:
        fmt = QTextCharFormat()
        bold = self.editor.fontWeight() != QFont.Weight.Bold
        fmt.setFontWeight(QFont.Weight.Bold if bold else QFont.Weight.Normal)
        self.editor.mergeCurrentCharFormat(fmt)

    def toggle_italic(self) -> None:
        fmt = QTextCharFormat()
        fmt.setFontItalic(not self.editor.fontItalic())
        self.editor.mergeCurrentCharFormat(fmt)

    def set_heading(self, level: int) -> None:
        cursor = self.editor.textCursor()
        cursor.beginEditBlock()
        block = QTextBlockFormat()
        block.setHeadingLevel(level)
        cursor.mergeBlockFormat(block)
        cursor.select(QTextCursor.SelectionType.BlockUnderCursor)
        char = QTextCharFormat()
        char.setFontPointSize(HEADING_POINTS.get(level, BODY_POINTS))
        char.setFontWeight(QFont.Weight.Bold if level else QFont.Weight.Normal)
        cursor.mergeCharFormat(char)
        cursor.endEditBlock()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
            and self.model.running
        ):
            self.stop()
            return True
        if watched is self.editor.viewport() and isinstance(event, (QDragEnterEvent, QDragMoveEvent, QDropEvent)):
            paths = self._dropped_text_files(event)
            if paths:  # anything else (plain text, rich text, other files) keeps QTextEdit's own behaviour
                event.acceptProposedAction()
                if event.type() == QEvent.Type.Drop:
                    self.insert_text_files(paths, self.editor.cursorForPosition(event.position().toPoint()))
                return True
        return super().eventFilter(watched, event)

    @staticmethod
    def _dropped_text_files(event: QDropEvent) -> list[Path]:
        """The dropped local files when every one of them is a text/Markdown/HTML file, else []."""
        mime = event.mimeData()
        if not mime.hasUrls():
            return []
        paths = local_files(mime)
        if len(paths) != len(mime.urls()) or not all(p.suffix.lower() in TEXT_DROP_KINDS for p in paths):
            return []
        return paths

    def insert_text_files(self, paths: list[Path], cursor: QTextCursor | None = None) -> bool:
        """Insert text files at `cursor` (the editor's cursor when None) as one undo step: Markdown and HTML keep
        their formatting, .txt is plain. All files are read first, so a bad one inserts nothing."""
        texts: list[tuple[str, str]] = []
        for path in paths:
            title = translate("DocumentPane", "Could not insert file")
            try:
                size = path.stat().st_size
                if size > MAX_DROP_BYTES:
                    too_large = translate(
                        "DocumentPane", "{name} is too large to insert ({size} MB; at most {limit} MB)."
                    )
                    limit = MAX_DROP_BYTES // 1024**2
                    show_error(
                        self,
                        title,
                        too_large.format(name=path.name, size=QLocale().toString(size / 1024**2, "f", 1), limit=limit),
                    )
                    return False
                text = path.read_bytes().decode("utf-8-sig")
            except UnicodeDecodeError:
                not_utf8 = translate("DocumentPane", "{name} is not UTF-8 text, so it was not inserted.")
                show_error(self, title, not_utf8.format(name=path.name))
                return False
            except OSError as exc:
                unreadable = translate("DocumentPane", "Could not read {path}: {reason}.")
                show_error(self, title, unreadable.format(path=path, reason=exc.strerror or exc))
                return False
            texts.append((TEXT_DROP_KINDS.get(path.suffix.lower(), "plain"), text))
        cursor = QTextCursor(cursor) if cursor is not None else self.editor.textCursor()
        cursor.beginEditBlock()  # one undo step for the whole drop
        for kind, text in texts:
            if kind == "markdown":
                cursor.insertFragment(QTextDocumentFragment.fromMarkdown(text))
            elif kind == "html":
                cursor.insertFragment(QTextDocumentFragment.fromHtml(text))
            else:
                # What is dropped is the author's, never AI text, even when dropped inside an AI span.
                cursor.insertText(text, plain_format(cursor.charFormat()))
        cursor.endEditBlock()
        self.editor.setTextCursor(cursor)
        return True

    def find_next(self, backwards: bool = False) -> bool:
        return self.find_box.find_next(backwards)

    def _keep_typing_unmarked(self, fmt: QTextCharFormat) -> None:
        # What the author types next to (or inside) AI text is the author's: never inherit the AI mark. Not while
        # text is selected: setCurrentCharFormat applies to the selection, so selecting AI text would unmark it.
        if is_ai(fmt) and not self.editor.textCursor().hasSelection():
            self.editor.setCurrentCharFormat(plain_format(fmt))

    # ------------------------------------------------------------ project

    def flush(self) -> None:
        self.model.flush()

    def _remember_selection(self) -> None:
        cursor = self.editor.textCursor()
        self.model.selection = (cursor.selectionStart(), cursor.selectionEnd())

    def _update_word_count(self) -> None:
        """字数 as Chinese writers count it (Han characters one each, words one each), and every character."""
        count = self.model.live.count
        locale = QLocale()
        self.word_count.setText(
            translate("DocumentPane", "{words} words · {characters} characters").format(
                words=locale.toString(count.total), characters=locale.toString(count.characters)
            )
        )

    def _show_status(self, status: str) -> None:
        self._status = status
        self.gen_status.setText(tr_msg(status))

    def show_status(self, status: str) -> None:
        """A line from elsewhere (a crossing's draft): a marked Msg is shown again after a language switch."""
        self._show_status(status)

    # ------------------------------------------------------------ the text the actions work on, and its language

    def _source_text(self) -> str:
        """The selection, or the whole document when nothing (or only blanks) is selected."""
        source = self.editor.textCursor().selectedText().replace("\u2029", "\n")
        return source if source.strip() else self.model.text()

    def _text_is_chinese(self, source: str) -> bool:
        """Chinese templates for Chinese text; with no text to go by (brainstorming on an empty page), the
        interests' language, then the interface language."""
        fallback = is_chinese(" ".join(self.actions_tab.keywords()), otherwise=current_language() == CHINESE)
        return is_chinese(source[-LANGUAGE_SAMPLE_CHARS:], otherwise=fallback)

    def _update_language(self) -> None:
        self._language_timer.stop()
        self.actions_tab.set_context(self._text_is_chinese(self._source_text()))

    # ------------------------------------------------------------ generation requests

    def _model_id(self) -> str:
        model_id = self.model_selector.current_model_id()
        if model_id is None:
            raise self._no_model()
        return model_id

    def _no_model(self) -> UserError:
        message = QT_TRANSLATE_NOOP("DocumentPane", "No text model is installed. Put a GGUF file into {folder}.")
        return UserError(message.format(folder=str(self.ctx.paths.models_dir)))

    def _submit(self, spec: JobSpec, title: Msg, insertion_at: QTextCursor | None) -> Job:
        if insertion_at is None:
            self.side.setCurrentIndex(2)  # the Results tab, where its texts come
        return self.model.submit(spec, title, insertion_at)

    def _guarded(self, build: object) -> Job | None:
        """Run a request builder; bad input becomes a message, never an exception."""
        try:
            return build()  # type: ignore[operator,no-any-return]
        except UserError as exc:
            show_error(self, translate("DocumentPane", "Cannot generate"), error_text(exc))
            return None

    def _continue_spec(self, cursor: QTextCursor) -> JobSpec:
        prompt = self.model.text_before(cursor.position(), self.controls.context_tokens())
        if not prompt.strip():
            raise UserError(
                QT_TRANSLATE_NOOP(
                    "DocumentPane", "Write something first: Continue writes on from the text before the cursor."
                )
            )
        return text_spec(self._model_id(), prompt, self.controls.params(), self.controls.seed_value(), mode="continue")

    def _read_ahead_spec(self) -> JobSpec | None:
        """What Continue would send now, for the model to read while the writer pauses (None: nothing to read)."""
        cursor = self.editor.textCursor()
        cursor.clearSelection()
        try:
            return self._continue_spec(cursor)
        except UserError:
            return None

    def continue_writing(self) -> Job | None:
        def build() -> Job:
            cursor = self.editor.textCursor()
            cursor.clearSelection()
            return self._submit(self._continue_spec(cursor), MODE_NAMES["continue"], cursor)

        return self._guarded(build)

    def generate_variants(self) -> Job | None:
        def build() -> Job:
            cursor = self.editor.textCursor()
            prompt = self.model.text_before(cursor.selectionEnd(), self.controls.context_tokens())
            if not prompt.strip():
                raise UserError(
                    QT_TRANSLATE_NOOP(
                        "DocumentPane", "Write something first: variants continue the text before the cursor."
                    )
                )
            n = self.controls.variants.value()
            if self.controls.greedy.isChecked():
                raise UserError(
                    QT_TRANSLATE_NOOP(
                        "DocumentPane", "Greedy decoding gives the same text every time: untick Greedy to get variants."
                    )
                )
            spec = text_spec(
                self._model_id(), prompt, self.controls.params(n=n), self.controls.seed_value(), mode="variants"
            )
            return self._submit(spec, QT_TRANSLATE_NOOP("DocumentPane", "{count} variants").format(count=n), None)

        return self._guarded(build)

    def current_action(self) -> TextAction:
        return self.actions_tab.current_action()

    def run_action(self) -> Job | None:
        def build() -> Job:
            action = self.current_action()
            runs_on = self.actions_tab.resolved()
            if runs_on.entry is None:
                raise self._no_model()
            instruct = runs_on.instruct
            ok, reason = action.available(instruct)
            if not ok:
                raise UserError(reason)
            source = self._source_text()
            if action.needs_text and not source.strip():
                message = QT_TRANSLATE_NOOP(
                    "DocumentPane", "“{action}” works on text: select some, or write some first."
                )
                raise UserError(message.format(action=action.label))
            self._update_language()  # the template for the text as it is now, unless the author edited it
            chinese = self.actions_tab.chinese
            keywords = self.ctx.settings.values.interest_keywords
            # An instruction gets the whole text (a chat engine says so when it does not fit: the passage to work
            # on is the author's to choose); a completion frame keeps what fits the context, as Continue does.
            text = source if instruct else window_text(source, self.controls.context_tokens())
            prompt = render(self.actions_tab.template_text(), text, keywords, chinese)
            params = self.controls.params(**{"chat": instruct, **action.params_for(instruct, chinese)})
            spec = text_spec(
                runs_on.entry.id, prompt, params, self.controls.seed_value(), mode="action", action=action.id
            )
            return self._submit(spec, action.label, None)

        return self._guarded(build)

    def stop(self) -> None:
        self.model.stop()

    def _update_actions(self, *_: object) -> None:
        """Another Document model, or other models installed: the model each action runs on, the actions those can
        run, their templates for them, and what the Document model's context costs."""
        self._show_model_context()
        self.actions_tab.set_context(self._text_is_chinese(self._source_text()))
        registry = self.ctx.registry
        models = [*registry.entries(ModelKind.TEXT), *registry.server_entries(ModelKind.TEXT)]
        self.actions_tab.set_models(models, self.model_selector.current_model_id())

    def refresh_models(self) -> None:
        super().refresh_models()
        self._update_actions()

    def _show_model_context(self) -> None:
        model_id = self.model_selector.current_model_id()
        try:
            entry = self.ctx.registry.get(model_id) if model_id is not None else None
        except UserError:
            entry = None
        if entry is None:
            self.controls.set_model(None, 0)
            return
        runs, model_bytes = entry, entry.size_bytes
        if entry.adapter is not None:  # a style: its base model runs (its file, its context), with the adapter over it
            with contextlib.suppress(UserError):
                runs = self.ctx.registry.get(entry.base_id)
                model_bytes = styles.run_bytes(entry, runs)
        self.controls.set_model(model_context_facts(runs), model_bytes)

    # ------------------------------------------------------------ results

    def _show_results(self) -> None:
        self.results.clear()
        for result in self.model.results:
            item = QListWidgetItem(result.text.strip())
            item.setData(Qt.ItemDataRole.UserRole, result.spec_id)
            item.setData(Qt.ItemDataRole.UserRole + 1, result.text)
            self.results.addItem(item)

    def insert_result(self, row: int) -> None:
        item = self.results.item(row)
        if item is None:
            return
        text = str(item.data(Qt.ItemDataRole.UserRole + 1) or item.text())
        cursor = self.editor.textCursor()
        cursor.beginEditBlock()
        cursor.insertText(
            text.strip() if cursor.hasSelection() else text, ai_format(str(item.data(Qt.ItemDataRole.UserRole)))
        )
        cursor.endEditBlock()
        self.editor.setTextCursor(cursor)
        self.editor.setFocus()

    # ------------------------------------------------------------ history

    def regenerate(self, entry: HistoryEntry) -> Job:
        """Replay a recorded generation exactly; its texts come up in Results to insert or compare."""
        self.side.setCurrentIndex(2)
        return self.model.regenerate(entry)

    def regenerate_selected(self) -> None:
        entry = self.history_tab.selected()
        if entry is not None:
            self.regenerate(entry)

    def use_selected_settings(self) -> None:
        entry = self.history_tab.selected()
        if entry is not None:
            self.load_spec(entry.spec)

    def show_output(self, ref: str, spec_id: str) -> None:
        """Select the text generation `spec_id` wrote."""
        span = next((s for s in collect_spans(self.model.document) if s.spec_id == spec_id), None)
        if span is None:
            return
        cursor = QTextCursor(self.model.document)
        cursor.setPosition(span.start)
        cursor.setPosition(min(span.end, self.model.document.characterCount() - 1), QTextCursor.MoveMode.KeepAnchor)
        self.editor.setTextCursor(cursor)
        self.editor.setFocus()

    def load_spec(self, spec: JobSpec) -> None:
        """Put a recorded generation's settings (and seed) into the Settings tab."""
        self.controls.load(TextParams.from_spec(spec))
        self.controls.seed.setText("" if spec.seed is None else str(spec.seed))
        self.side.setCurrentIndex(0)

    # ------------------------------------------------------------ undo: the editor keeps its own history

    def undo(self) -> None:
        self.editor.undo()

    def redo(self) -> None:
        self.editor.redo()

    def can_undo(self) -> bool:
        return self.editor.document().isUndoAvailable()

    def can_redo(self) -> bool:
        return self.editor.document().isRedoAvailable()
