"""The texts part of "Learn my style": a folder, files, or this project's document, scanned off the GUI thread
(core/train/corpus.py), and what was found — words (and tokens, once the trainer has counted them with the base
model's tokenizer), the files skipped with their reasons, and the slice held back for checking.

A widget of its own so the dialog (ui/learn_style_dialog.py) is about the run; the dialog tells it the trainer's
own counts (`set_prepared`) so one place says what the texts are.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFileDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.train import style_job
from aigc_desktop.core.train.corpus import Corpus, CorpusSummary, scan_corpus
from aigc_desktop.core.train.style_job import StylePrepared
from aigc_desktop.ui.i18n import Retranslating, tr_msg, translate
from aigc_desktop.ui.units import format_number, tr_local
from aigc_desktop.workers.background import BackgroundCall

if TYPE_CHECKING:
    from aigc_desktop.core.engines.base import CancelToken

SOURCES = {
    "folder": QT_TRANSLATE_NOOP("StyleTexts", "A folder of texts"),
    "files": QT_TRANSLATE_NOOP("StyleTexts", "Text files"),
    "document": QT_TRANSLATE_NOOP("StyleTexts", "This project's document"),
}
SHOWN_SKIPPED = 4  # skipped files named under the counts (the tooltip lists them all)
ERROR_STYLE = "color: #c92a2a;"
WARNING_STYLE = "color: #9a6700;"


def wrapping_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    return label


class StyleTexts(Retranslating, QWidget):
    """Choose the texts; `corpus` is the last scan's summary (None while scanning, or when nothing can be learned
    from: `problem` says why)."""

    changed = Signal()  # a scan started or ended: the dialog updates Start

    def __init__(self, document_text: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document_text = document_text
        self.corpus: CorpusSummary | None = None
        self.problem: str = ""  # why the last scan found nothing to learn from (a Msg)
        self.prepared: StylePrepared | None = None  # the trainer's counts of these texts, once it has them
        self._scan: BackgroundCall | None = None

        self.source_combo = QComboBox()
        self.source_combo.setObjectName("styleSource")
        for key in SOURCES:
            self.source_combo.addItem("", key)
        self.source_combo.currentIndexChanged.connect(self._source_changed)
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("stylePath")
        self.path_edit.editingFinished.connect(self.rescan)
        self.choose_button = QPushButton()
        self.choose_button.setObjectName("styleChoose")
        self.choose_button.clicked.connect(self.choose)
        self.count_label = wrapping_label("styleCount")
        self.skipped_label = wrapping_label("styleSkipped")
        self.skipped_label.setStyleSheet(WARNING_STYLE)
        self.held_back_label = wrapping_label("styleHeldBack")

        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(self.choose_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.source_combo)
        lay.addLayout(path_row)
        for label in (self.count_label, self.skipped_label, self.held_back_label):
            lay.addWidget(label)
        self.retranslate()

    def retranslate(self) -> None:
        for index, key in enumerate(SOURCES):
            self.source_combo.setItemText(index, tr_msg(SOURCES[key]))
        self.choose_button.setText(translate("StyleTexts", "Choose…"))
        self.path_edit.setPlaceholderText(
            {
                "folder": translate("StyleTexts", "A folder of your texts (.txt, .md, .docx; sub-folders too)"),
                "files": translate("StyleTexts", "Your text files (.txt, .md, .docx)"),
                "document": translate("StyleTexts", "The Document pane's text, as it is now"),
            }[self.source]
        )
        self.show_counts()

    # ------------------------------------------------------------ choosing

    @property
    def source(self) -> str:
        return str(self.source_combo.currentData())

    def set_enabled(self, on: bool) -> None:
        self.source_combo.setEnabled(on)
        document = self.source == "document"
        self.path_edit.setEnabled(on and not document)
        self.choose_button.setEnabled(on and not document)

    def _source_changed(self) -> None:
        self.path_edit.clear()
        self.set_enabled(self.source_combo.isEnabled())
        self.retranslate()
        self.rescan()

    def choose(self) -> None:
        start = self.path_edit.text().split(";")[0].strip() or str(Path.home())
        if self.source == "folder":
            folder = QFileDialog.getExistingDirectory(
                self, translate("StyleTexts", "Folder of texts to learn from"), start
            )
            if folder:
                self.set_paths([Path(folder)])
        else:
            files, _ = QFileDialog.getOpenFileNames(
                self,
                translate("StyleTexts", "Texts to learn from"),
                start,
                translate("StyleTexts", "Texts (*.txt *.md *.markdown *.docx)"),
            )
            if files:
                self.set_paths([Path(f) for f in files])

    def set_paths(self, paths: list[Path]) -> None:
        """A folder (one path) or files, as if chosen, then scanned."""
        self.path_edit.setText("; ".join(str(p) for p in paths))
        self.rescan()

    def use_document(self) -> None:
        index = list(SOURCES).index("document")
        if self.source_combo.currentIndex() == index:
            self.rescan()
        else:
            self.source_combo.setCurrentIndex(index)

    def paths(self) -> list[Path]:
        if self.source == "document":
            return []
        return [Path(p.strip()).expanduser() for p in self.path_edit.text().split(";") if p.strip()]

    def document(self) -> str | None:
        """The project's document text when that is the source (what the trainer learns from), else None."""
        return self.document_text() if self.source == "document" else None

    # ------------------------------------------------------------ scanning

    @property
    def scanning(self) -> bool:
        return self._scan is not None

    def rescan(self) -> None:
        """Read the chosen texts again, off the GUI thread (a big folder takes a moment); the counts follow."""
        if self._scan is not None:
            self._scan.cancel()
            self._scan = None
        self.corpus, self.problem, self.prepared = None, "", None
        paths, document = self.paths(), self.document()
        if paths or (document or "").strip():  # an empty Document is said so without a scan

            def scan(cancel: CancelToken) -> Corpus:
                return scan_corpus(paths, document_text=document, check_cancel=cancel.check)

            call = BackgroundCall(scan, self)
            call.succeeded.connect(lambda corpus, c=call: self._scanned(c, corpus))
            call.failed.connect(lambda exc, c=call: self._failed(c, exc))
            self._scan = call.start()
        self.show_counts()
        self.changed.emit()

    def _scanned(self, call: BackgroundCall, corpus: object) -> None:
        if call is not self._scan or not isinstance(corpus, Corpus):
            return  # an older scan, overtaken by a newer choice
        self._scan, self.corpus = None, corpus.summary
        self.show_counts()
        self.changed.emit()

    def _failed(self, call: BackgroundCall, exc: object) -> None:
        if call is not self._scan:
            return
        self._scan = None
        self.problem = exc.message if isinstance(exc, UserError) else str(exc)
        self.show_counts()
        self.changed.emit()

    def set_prepared(self, prepared: StylePrepared | None) -> None:
        """The trainer's counts (tokens, the held-back blocks) of the texts it is learning from."""
        self.prepared = prepared
        self.show_counts()

    # ------------------------------------------------------------ what was found

    def show_counts(self) -> None:
        corpus = self.prepared.corpus if self.prepared is not None else self.corpus
        ok = True
        if self.scanning:
            text = translate("StyleTexts", "Reading your texts…")
        elif self.problem:
            text, ok = tr_local(self.problem), False
        elif corpus is None and self.source == "document":
            text, ok = translate("StyleTexts", "The Document is empty: write or open something first."), False
        elif corpus is None:
            text = translate("StyleTexts", "Choose your texts: a few thousand words or more of your own writing.")
        else:
            read = StyleTexts.tr("%n text(s) read", None, len(corpus.files))  # type: ignore[arg-type]
            if corpus.tokens is None:
                text = translate("StyleTexts", "{read}: {words} words (tokens are counted when learning starts)")
            else:
                text = translate("StyleTexts", "{read}: {words} words, {tokens} tokens")
            text = text.format(read=read, words=format_number(corpus.words), tokens=format_number(corpus.tokens or 0))
        self.count_label.setText(text)
        self.count_label.setStyleSheet("" if ok else ERROR_STYLE)
        self._show_skipped(corpus)
        self._show_held_back(corpus)

    def _show_skipped(self, corpus: CorpusSummary | None) -> None:
        skipped = list(corpus.problems) if corpus is not None else []
        self.skipped_label.setVisible(bool(skipped))
        if not skipped:
            self.skipped_label.clear()
            self.skipped_label.setToolTip("")
            return
        n = len(skipped)
        lines = [StyleTexts.tr("%n file(s) skipped:", None, n)]  # type: ignore[arg-type]
        lines += [f"• {tr_local(p)}" for p in skipped[:SHOWN_SKIPPED]]
        if n > SHOWN_SKIPPED:
            lines.append(translate("StyleTexts", "…and {more} more").format(more=format_number(n - SHOWN_SKIPPED)))
        self.skipped_label.setText("\n".join(lines))
        self.skipped_label.setToolTip("\n".join(tr_local(p) for p in skipped))

    def _show_held_back(self, corpus: CorpusSummary | None) -> None:
        prepared = self.prepared
        if prepared is not None and prepared.corpus.held_back_tokens is not None:
            text = translate(
                "StyleTexts", "Held back for checking: {tokens} tokens ({blocks} of {all} blocks), never trained on."
            ).format(
                tokens=format_number(prepared.corpus.held_back_tokens),
                blocks=format_number(prepared.held_back_blocks),
                all=format_number(prepared.held_back_blocks + prepared.train_blocks),
            )
        elif corpus is not None:
            text = translate(
                "StyleTexts",
                "The last {percent}% of the texts (at most {blocks} blocks) is held back, to check the style on text "
                "it never learned from.",
            ).format(
                percent=format_number(style_job.HELD_BACK_FRACTION * 100),
                blocks=format_number(style_job.HELD_BACK_MAX_BLOCKS),
            )
        else:
            text = ""
        self.held_back_label.setText(text)
        self.held_back_label.setVisible(bool(text))
