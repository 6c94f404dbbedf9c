"""The Document pane: a rich-text editor that is the project's document, where a local model writes with the author.

Continue streams a continuation into the text at the cursor; Variants and the actions (poem, title, summary...) put
candidates in the Results list, and a click inserts one. AI-written text is marked and the mark survives edits, saving
and reopening. Every generation lands in the project history and can be regenerated exactly.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt
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
    QTextDocument,
    QTextDocumentFragment,
)
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.project.model import HistoryEntry
from aigc_desktop.core.specs import JobKind, JobSpec, ModelKind
from aigc_desktop.core.text.actions import ACTIONS, ACTIONS_BY_ID, TextAction, render
from aigc_desktop.core.text.job import TextParams, count_words, text_spec
from aigc_desktop.state.ai_marks import ai_format, collect_spans, is_ai, plain_format
from aigc_desktop.state.context import AppContext
from aigc_desktop.state.document import BODY_POINTS, DocumentModel
from aigc_desktop.state.session import ProjectSession
from aigc_desktop.ui.dialogs import show_error
from aigc_desktop.ui.document.controls import TextControls
from aigc_desktop.ui.document.editor import AiTextEdit
from aigc_desktop.ui.drops import local_files
from aigc_desktop.ui.pane import Pane
from aigc_desktop.workers.jobs import Job

HEADING_POINTS = {1: 22.0, 2: 17.0}
PROMPT_CHARS = 6000  # how much text before the cursor Continue sends (the embedded model's context is 32k tokens)
# Files dropped on the editor are inserted as text: suffix → how they are read.
TEXT_DROP_KINDS = {".txt": "plain", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}
MAX_DROP_BYTES = 5 * 1024**2  # larger is almost surely the wrong file, and would freeze the editor while laid out


class DocumentPane(Pane):
    pane_id = "document"
    title = "Document"
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
        self.editor.setPlaceholderText(
            "Start writing… then press Continue (Ctrl+Enter): the model writes on from the cursor."
        )
        self.editor.currentCharFormatChanged.connect(self._keep_typing_unmarked)
        self.editor.selectionChanged.connect(self._remember_selection)
        self.editor.cursorPositionChanged.connect(self._remember_selection)

        self._add_format_buttons()
        self.continue_button = self._tool_button(
            "Continue", "Write on from the cursor (Ctrl+Enter)", self.continue_writing
        )
        self.continue_button.setShortcut(QKeySequence("Ctrl+Return"))
        self.variants_button = self._tool_button(
            "Variants", "Several continuations side by side", self.generate_variants
        )
        self.stop_button = self._tool_button("Stop", "Stop writing (Esc)", self.stop)
        self.stop_button.setEnabled(False)
        # Esc stops writing. An event filter, not a QShortcut: it must work while the editor has focus even when
        # the window is not the active one (a shortcut would need an active window).
        self.editor.installEventFilter(self)
        # Drag and drop events go to the viewport, not the editor: text files dropped there are inserted as text.
        self.editor.viewport().installEventFilter(self)

        self.controls = TextControls(self)
        self.side = QTabWidget(self)
        self.side.setObjectName("documentSide")
        self.side.addTab(self.controls, "Settings")
        self.side.addTab(self._build_actions_tab(), "Actions")
        self.side.addTab(self._build_results_tab(), "Results")
        self.side.addTab(self._build_history_tab(), "History")
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
        self.find_box = QLineEdit(self)
        self.find_box.setObjectName("findBox")
        self.find_box.setPlaceholderText("Find (Ctrl+F), Enter for next")
        self.find_box.setClearButtonEnabled(True)
        self.find_box.setMaximumWidth(260)
        self.find_box.returnPressed.connect(self.find_next)
        find_action = QAction("Find", self)
        find_action.setShortcut(QKeySequence.StandardKey.Find)
        find_action.triggered.connect(self._focus_find)
        self.addAction(find_action)
        status.addWidget(self.word_count)
        status.addWidget(self.find_box)
        status.addStretch(1)
        status.addWidget(self.gen_status)
        self.body.addLayout(status)

        doc = model.document
        doc.contentsChanged.connect(self._update_word_count)
        doc.undoAvailable.connect(self.undo_state_changed)
        doc.redoAvailable.connect(self.undo_state_changed)
        model.status_changed.connect(self.gen_status.setText)
        model.results_changed.connect(self._show_results)
        model.running_changed.connect(self.stop_button.setEnabled)
        session.history_changed.connect(self.refresh_history)
        self.model_selector.currentIndexChanged.connect(self._update_actions)
        self._update_word_count()
        self._update_actions()
        self.refresh_history()

    # ------------------------------------------------------------ building

    def _tool_button(self, text: str, tip: str, slot: object) -> QPushButton:
        b = QPushButton(text, self)
        b.setToolTip(tip)
        b.setObjectName(f"{text.lower()}Button")
        b.clicked.connect(slot)
        self.toolbar.insertWidget(self.toolbar.count() - 1, b)
        return b

    def _add_format_buttons(self) -> None:
        def button(text: str, tip: str, shortcut: QKeySequence.StandardKey | None, slot: object) -> None:
            action = QAction(text, self)
            action.setToolTip(tip)
            if shortcut is not None:
                action.setShortcut(shortcut)
            action.triggered.connect(slot)
            self.addAction(action)
            b = QToolButton(self)
            b.setDefaultAction(action)
            self.toolbar.insertWidget(self.toolbar.count() - 1, b)

        button("B", "Bold (Ctrl+B)", QKeySequence.StandardKey.Bold, self.toggle_bold)
        button("I", "Italic (Ctrl+I)", QKeySequence.StandardKey.Italic, self.toggle_italic)
        button("H1", "Heading 1", None, lambda: self.set_heading(1))
        button("H2", "Heading 2", None, lambda: self.set_heading(2))
        button("¶", "Body text", None, lambda: self.set_heading(0))

    def _build_actions_tab(self) -> QWidget:
        tab = QWidget(self)
        lay = QVBoxLayout(tab)
        self.action_box = QComboBox(tab)
        self.action_box.setObjectName("actionBox")
        for a in ACTIONS:
            self.action_box.addItem(a.label, a.id)
        self.action_box.currentIndexChanged.connect(self._update_actions)
        self.action_note = QLabel(tab)
        self.action_note.setObjectName("actionNote")
        self.action_note.setWordWrap(True)
        self.template = QPlainTextEdit(tab)
        self.template.setObjectName("actionTemplate")
        self.template.setToolTip("The prompt this action sends: {text} is the selection (or the whole document)")
        self.interests = QLineEdit(", ".join(self.ctx.settings.values.interest_keywords), tab)
        self.interests.setObjectName("interests")
        self.interests.setPlaceholderText("e.g. 山水, travel, science fiction")
        self.interests.editingFinished.connect(self._save_interests)
        self.run_action_button = QPushButton("Run action", tab)
        self.run_action_button.setObjectName("runActionButton")
        self.run_action_button.clicked.connect(self.run_action)
        lay.addWidget(QLabel("Action"))
        lay.addWidget(self.action_box)
        lay.addWidget(self.action_note)
        lay.addWidget(QLabel("Prompt template"))
        lay.addWidget(self.template, 1)
        lay.addWidget(QLabel("My interests (for brainstorming)"))
        lay.addWidget(self.interests)
        lay.addWidget(self.run_action_button)
        return tab

    def _build_results_tab(self) -> QWidget:
        tab = QWidget(self)
        lay = QVBoxLayout(tab)
        self.results = QListWidget(tab)
        self.results.setObjectName("results")
        self.results.setWordWrap(True)
        self.results.setSpacing(4)
        self.results.setToolTip("Click a result to insert it at the cursor")
        self.results.itemClicked.connect(lambda item: self.insert_result(self.results.row(item)))
        lay.addWidget(QLabel("Click one to insert it at the cursor"))
        lay.addWidget(self.results, 1)
        return tab

    def _build_history_tab(self) -> QWidget:
        tab = QWidget(self)
        lay = QVBoxLayout(tab)
        self.history = QListWidget(tab)
        self.history.setObjectName("textHistory")
        self.history.setWordWrap(True)
        row = QHBoxLayout()
        regenerate = QPushButton("Regenerate", tab)
        regenerate.setObjectName("regenerateButton")
        regenerate.setToolTip("Run the selected generation again, exactly (same prompt, settings and seed)")
        regenerate.clicked.connect(self.regenerate_selected)
        use = QPushButton("Use its settings", tab)
        use.setToolTip("Copy the selected generation's settings into the Settings tab")
        use.clicked.connect(self.use_selected_settings)
        row.addWidget(regenerate)
        row.addWidget(use)
        lay.addWidget(self.history, 1)
        lay.addLayout(row)
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
            try:
                size = path.stat().st_size
                if size > MAX_DROP_BYTES:
                    raise UserError(
                        f"{path.name} is too large to insert ({size / 1024**2:.1f} MB; at most "
                        f"{MAX_DROP_BYTES // 1024**2} MB)."
                    )
                text = path.read_bytes().decode("utf-8-sig")
            except UnicodeDecodeError:
                show_error(self, "Could not insert file", f"{path.name} is not UTF-8 text, so it was not inserted.")
                return False
            except OSError as exc:
                show_error(self, "Could not insert file", f"Could not read {path}: {exc.strerror or exc}.")
                return False
            except UserError as exc:
                show_error(self, "Could not insert file", str(exc))
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

    def _focus_find(self) -> None:
        self.find_box.setFocus()
        self.find_box.selectAll()

    def find_next(self, backwards: bool = False) -> bool:
        """Select the next match of the find box's text (wrapping around); say so when there is none."""
        needle = self.find_box.text()
        if not needle:
            return False
        flags = QTextDocument.FindFlag.FindBackward if backwards else QTextDocument.FindFlag(0)
        if self.editor.find(needle, flags):
            return True
        cursor = self.editor.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.End if backwards else QTextCursor.MoveOperation.Start)
        self.editor.setTextCursor(cursor)
        if self.editor.find(needle, flags):
            return True
        self.gen_status.setText(f"“{needle}” is not in the document")
        return False

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
        text = self.editor.toPlainText()
        self.word_count.setText(f"{count_words(text)} words · {len(text)} characters")

    # ------------------------------------------------------------ generation requests

    def _model_id(self) -> str:
        model_id = self.model_selector.current_model_id()
        if model_id is None:
            raise UserError(f"No text model is installed. Put a GGUF file into {self.ctx.paths.models_dir}.")
        return model_id

    def _instruct(self) -> bool:
        model_id = self.model_selector.current_model_id()
        if model_id is None:
            return False
        try:
            return bool(self.ctx.registry.get(model_id).instruct)
        except UserError:
            return False

    def _submit(self, spec: JobSpec, title: str, insertion_at: QTextCursor | None) -> Job:
        if insertion_at is None:
            self.side.setCurrentIndex(2)  # the Results tab, where its texts come
        return self.model.submit(spec, title, insertion_at)

    def _guarded(self, build: object) -> Job | None:
        """Run a request builder; bad input becomes a message, never an exception."""
        try:
            return build()  # type: ignore[operator,no-any-return]
        except UserError as exc:
            show_error(self, "Cannot generate", str(exc))
            return None

    def continue_writing(self) -> Job | None:
        def build() -> Job:
            cursor = self.editor.textCursor()
            cursor.clearSelection()
            prompt = self.editor.toPlainText()[: cursor.position()][-PROMPT_CHARS:]
            if not prompt.strip():
                raise UserError("Write something first: Continue writes on from the text before the cursor.")
            spec = text_spec(
                self._model_id(), prompt, self.controls.params(), self.controls.seed_value(), mode="continue"
            )
            return self._submit(spec, "Continue", cursor)

        return self._guarded(build)

    def generate_variants(self) -> Job | None:
        def build() -> Job:
            cursor = self.editor.textCursor()
            prompt = self.editor.toPlainText()[: cursor.selectionEnd()][-PROMPT_CHARS:]
            if not prompt.strip():
                raise UserError("Write something first: variants continue the text before the cursor.")
            n = self.controls.variants.value()
            if self.controls.greedy.isChecked():
                raise UserError("Greedy decoding gives the same text every time: untick Greedy to get variants.")
            spec = text_spec(
                self._model_id(), prompt, self.controls.params(n=n), self.controls.seed_value(), mode="variants"
            )
            return self._submit(spec, f"{n} variants", None)

        return self._guarded(build)

    def current_action(self) -> TextAction:
        return ACTIONS_BY_ID[str(self.action_box.currentData())]

    def run_action(self) -> Job | None:
        def build() -> Job:
            action = self.current_action()
            instruct = self._instruct()
            ok, reason = action.available(instruct)
            if not ok:
                raise UserError(reason)
            source = self.editor.textCursor().selectedText().replace("\u2029", "\n")
            if not source.strip():
                source = self.editor.toPlainText()
            if action.needs_text and not source.strip():
                raise UserError(f"“{action.label}” works on text: select some, or write some first.")
            keywords = self.ctx.settings.values.interest_keywords
            prompt = render(self.template.toPlainText(), source[-PROMPT_CHARS:], keywords)
            params = self.controls.params(**{"chat": instruct, **action.params})
            spec = text_spec(
                self._model_id(), prompt, params, self.controls.seed_value(), mode="action", action=action.id
            )
            return self._submit(spec, action.label, None)

        return self._guarded(build)

    def stop(self) -> None:
        self.model.stop()

    def _update_actions(self, *_: object) -> None:
        instruct = self._instruct()
        for i, action in enumerate(ACTIONS):
            ok, reason = action.available(instruct)
            item = self.action_box.model().item(i)  # type: ignore[attr-defined]
            item.setEnabled(ok)
            item.setToolTip(reason)
        action = self.current_action()
        ok, reason = action.available(instruct)
        self.template.setPlainText(action.template_for(instruct))
        self.run_action_button.setEnabled(ok)
        kind = "instruction" if instruct else "completion (base model)"
        self.action_note.setText(reason or f"Uses a {kind} prompt. Edit it below if you like.")

    def _save_interests(self) -> None:
        keywords = [k.strip() for k in self.interests.text().split(",") if k.strip()]
        self.ctx.settings.set("interest_keywords", keywords)

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

    def refresh_history(self) -> None:
        selected = self._selected_history()
        self.history.clear()
        for h in reversed(self.model.text_history()):
            what = str(h.spec.inputs.get("action") or h.spec.inputs.get("mode") or "text")
            when = time.strftime("%H:%M", time.localtime(h.started_at))
            item = QListWidgetItem(f"{when} · {what} · seed {h.spec.seed} · {h.status}\n{h.summary}")
            item.setData(Qt.ItemDataRole.UserRole, h.spec.id)
            self.history.addItem(item)
            if selected is not None and h is selected:
                self.history.setCurrentItem(item)

    def _selected_history(self) -> HistoryEntry | None:
        item = self.history.currentItem()
        return None if item is None else self.project.find_history(str(item.data(Qt.ItemDataRole.UserRole)))

    def regenerate(self, entry: HistoryEntry) -> Job:
        """Replay a recorded generation exactly; its texts come up in Results to insert or compare."""
        self.side.setCurrentIndex(2)
        return self.model.regenerate(entry)

    def regenerate_selected(self) -> None:
        entry = self._selected_history()
        if entry is not None:
            self.regenerate(entry)

    def use_selected_settings(self) -> None:
        entry = self._selected_history()
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
