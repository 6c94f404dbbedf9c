"""The History dock: every generation of the project (text, image, speech, music, training), newest first.

Selecting one shows its job spec, model and licence, and its output. The dock observes the session's history; its
buttons ask the window (which knows which pane owns each kind) to replay the entry exactly, to put its settings into
that pane, or to show its output.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.project.model import HistoryEntry, HistoryStatus
from aigc_desktop.core.specs import JobKind, JobSpec
from aigc_desktop.state.ai_marks import collect_spans
from aigc_desktop.state.document import DocumentModel
from aigc_desktop.state.session import ProjectSession
from aigc_desktop.ui import units
from aigc_desktop.ui.history_notes import style_note
from aigc_desktop.ui.i18n import Retranslating, tr_msg, translate
from aigc_desktop.ui.pane import Pane
from aigc_desktop.workers.jobs import Job

KIND_LETTERS = {
    JobKind.TEXT: "T",
    JobKind.IMAGE: "I",
    JobKind.SPEECH: "S",
    JobKind.MUSIC: "M",
    JobKind.TRAIN: "G",
    JobKind.SYSTEM: "·",
}
REGENERABLE = (JobKind.TEXT, JobKind.IMAGE, JobKind.SPEECH, JobKind.MUSIC)  # kinds whose pane replays a spec
KIND_NAMES = {
    JobKind.TEXT: QT_TRANSLATE_NOOP("HistoryPanel", "text"),
    JobKind.IMAGE: QT_TRANSLATE_NOOP("HistoryPanel", "image"),
    JobKind.SPEECH: QT_TRANSLATE_NOOP("HistoryPanel", "speech"),
    JobKind.MUSIC: QT_TRANSLATE_NOOP("HistoryPanel", "music"),
    JobKind.TRAIN: QT_TRANSLATE_NOOP("HistoryPanel", "training"),
    JobKind.SYSTEM: QT_TRANSLATE_NOOP("HistoryPanel", "system"),
}
STATUS_NAMES = {
    HistoryStatus.FINISHED: QT_TRANSLATE_NOOP("HistoryPanel", "finished"),
    HistoryStatus.FAILED: QT_TRANSLATE_NOOP("HistoryPanel", "failed"),
    HistoryStatus.CANCELLED: QT_TRANSLATE_NOOP("HistoryPanel", "cancelled"),
}


def _status(entry: HistoryEntry) -> str:
    name = STATUS_NAMES.get(entry.status)  # a str equal to an enum value finds it too (StrEnum)
    return tr_msg(name) if name else str(entry.status)


def _value(value: object) -> str:
    text = str(value).replace("\n", " ⏎ ")
    return text if len(text) <= 300 else text[:300] + "…"


def entry_line(entry: HistoryEntry) -> str:
    """The list row: kind letter, time, model, status, duration, then the summary (a marked Msg or the user's own
    words) on a second line."""
    when = units.format_clock_time(entry.started_at)
    letter = KIND_LETTERS.get(entry.spec.kind, "?")
    took = units.format_duration(entry.seconds, tenths=True)
    head = f"[{letter}] {when} · {entry.spec.model_id} · {_status(entry)} · {took}"
    return f"{head}\n{tr_msg(entry.summary)}" if entry.summary else head


def spec_lines(entry: HistoryEntry) -> list[str]:
    """The spec as readable `key: value` lines (inputs, params, seed), with model and licence."""
    spec = entry.spec
    kind = KIND_NAMES.get(spec.kind)

    def line(label: str, value: object) -> str:
        return translate("HistoryPanel", "{label}: {value}").format(label=label, value=value)

    lines = [
        line(translate("HistoryPanel", "kind"), tr_msg(kind) if kind else spec.kind.value),
        line(translate("HistoryPanel", "model"), spec.model_id),
    ]
    if entry.metrics.get("server"):  # provenance of a job run on a server: where, and what model it reported
        lines.append(line(translate("HistoryPanel", "server"), entry.metrics["server"]))
        lines.append(line(translate("HistoryPanel", "model on the server"), entry.metrics.get("server_model") or "?"))
    note = style_note(entry)
    if note:  # text written with a style learned from the user's texts
        lines.append(line(translate("HistoryPanel", "style"), note))
    lines += [
        line(translate("HistoryPanel", "licence"), entry.model_licence or translate("HistoryPanel", "unknown")),
        line(translate("HistoryPanel", "seed"), spec.seed),
        line(translate("HistoryPanel", "status"), _status(entry)),
        line(translate("HistoryPanel", "started"), units.format_date_time(entry.started_at)),
        line(translate("HistoryPanel", "duration"), units.format_duration(entry.seconds, tenths=True)),
    ]
    # The inputs' and settings' names are the spec's own keys (what the CLI and the project file use).
    lines += [line(translate("HistoryPanel", "input {name}").format(name=k), _value(v)) for k, v in spec.inputs.items()]
    lines += [line(translate("HistoryPanel", "param {name}").format(name=k), _value(v)) for k, v in spec.params.items()]
    return lines


class PaneRouter(Protocol):
    """Who knows the panes (the main window): the one that owns a kind of generation, and how to bring it forward."""

    def pane_for(self, kind: JobKind, spec: JobSpec | None = None) -> Pane | None: ...

    def show_pane(self, pane: Pane) -> None: ...


class HistoryPanel(Retranslating, QDockWidget):
    def __init__(
        self, session: ProjectSession, document: DocumentModel, router: PaneRouter, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.document = document
        self.router = router
        self.setObjectName("historyDock")
        body = QWidget(self)
        lay = QVBoxLayout(body)
        self.list = QListWidget(body)
        self.list.setObjectName("historyList")
        self.list.setWordWrap(True)
        self.list.setSpacing(2)
        self.list.currentRowChanged.connect(self._show_selected)
        details = QWidget(body)
        dlay = QVBoxLayout(details)
        dlay.setContentsMargins(0, 0, 0, 0)
        self.spec_view = QPlainTextEdit(details)
        self.spec_view.setObjectName("historySpec")
        self.spec_view.setReadOnly(True)
        self.output_label = QLabel(details)
        self.output_view = QPlainTextEdit(details)
        self.output_view.setObjectName("historyOutput")
        self.output_view.setReadOnly(True)
        self.go_to_button = QPushButton(details)
        self.go_to_button.setObjectName("historyGoToButton")
        self.go_to_button.clicked.connect(self.go_to_selected)
        buttons = QHBoxLayout()
        self.regenerate_button = QPushButton(details)
        self.regenerate_button.setObjectName("historyRegenerateButton")
        self.regenerate_button.clicked.connect(self.regenerate_selected)
        self.use_button = QPushButton(details)
        self.use_button.setObjectName("historyUseSettingsButton")
        self.use_button.clicked.connect(self.use_selected_settings)
        buttons.addWidget(self.regenerate_button)
        buttons.addWidget(self.use_button)
        self.spec_label = QLabel(details)
        dlay.addWidget(self.spec_label)
        dlay.addWidget(self.spec_view, 2)
        dlay.addWidget(self.output_label)
        dlay.addWidget(self.output_view, 1)
        dlay.addWidget(self.go_to_button)
        dlay.addLayout(buttons)
        split = QSplitter(Qt.Orientation.Vertical, body)
        split.addWidget(self.list)
        split.addWidget(details)
        split.setSizes([300, 360])
        lay.addWidget(split)
        self.setWidget(body)
        self.setMinimumWidth(260)

        session.history_changed.connect(self.refresh)
        self.visibilityChanged.connect(self._on_visibility)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(translate("HistoryPanel", "History"))
        self.spec_label.setText(translate("HistoryPanel", "Job spec"))
        self.output_label.setText(translate("HistoryPanel", "Output"))
        self.go_to_button.setText(translate("HistoryPanel", "Go to output"))
        self.go_to_button.setToolTip(
            translate("HistoryPanel", "Show the pane holding this generation's output and select it")
        )
        self.regenerate_button.setText(translate("HistoryPanel", "Regenerate"))
        self.regenerate_button.setToolTip(
            translate("HistoryPanel", "Run this generation again, exactly (same inputs, settings and seed)")
        )
        self.use_button.setText(translate("HistoryPanel", "Use its settings"))
        self.use_button.setToolTip(translate("HistoryPanel", "Copy this generation's settings into its pane"))
        self.refresh()  # the rows and the details are app text too (times, statuses, labels)

    def _on_visibility(self, visible: bool) -> None:
        if visible:
            self.refresh()

    # ------------------------------------------------------------ list

    def entries(self) -> list[HistoryEntry]:
        """The project's generations, newest first (system checks are not part of the work)."""
        return [h for h in reversed(self.session.project.history) if h.spec.kind is not JobKind.SYSTEM]

    def refresh(self) -> None:
        entries = self.entries()
        selected = self.selected()
        self.list.blockSignals(True)
        self.list.clear()
        for h in entries:
            item = QListWidgetItem(entry_line(h))
            item.setData(Qt.ItemDataRole.UserRole, h.spec.id)
            licence = h.model_licence or translate("HistoryPanel", "licence unknown")
            item.setToolTip(
                translate("HistoryPanel", "{model_id} ({licence_name})").format(
                    model_id=h.spec.model_id, licence_name=licence
                )
            )
            self.list.addItem(item)
            if selected is not None and h is selected:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        self._show_selected()

    def selected(self) -> HistoryEntry | None:
        item = self.list.currentItem()
        return None if item is None else self.session.project.find_history(str(item.data(Qt.ItemDataRole.UserRole)))

    def select(self, spec_id: str) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == spec_id:
                self.list.setCurrentRow(row)
                return

    # ------------------------------------------------------------ details

    def _show_selected(self, *_: object) -> None:
        entry = self.selected()
        has = entry is not None
        self.regenerate_button.setEnabled(has and entry.spec.kind in REGENERABLE)  # type: ignore[union-attr]
        self.use_button.setEnabled(has and entry.spec.kind in REGENERABLE)  # type: ignore[union-attr]
        if entry is None:
            self.spec_view.setPlainText("")
            self.output_view.setPlainText(
                translate("HistoryPanel", "Select a generation to see its job spec and output.")
            )
            self.go_to_button.setEnabled(False)
            return
        self.spec_view.setPlainText("\n".join(spec_lines(entry)))
        self.output_view.setPlainText(self.output_text(entry))
        self.go_to_button.setEnabled(self._target(entry) is not None)

    def output_text(self, entry: HistoryEntry) -> str:
        texts = entry.metrics.get("texts")
        if entry.spec.kind is JobKind.TEXT and isinstance(texts, list) and texts:
            if len(texts) == 1:
                return str(texts[0]).strip()
            return "\n\n".join(f"{i + 1}. {str(t).strip()}" for i, t in enumerate(texts))
        project = self.session.project
        names = []
        for ref in entry.output_refs:
            if (clip := project.find_clip(ref)) is not None:
                names.append(
                    translate("HistoryPanel", "clip “{name}” ({length})").format(
                        name=clip.name,
                        length=translate("Units", "{seconds} s").format(
                            seconds=units.format_number(clip.duration_s, 1)
                        ),
                    )
                )
            elif (layer := project.find_layer(ref)) is not None:
                names.append(translate("HistoryPanel", "layer “{name}”").format(name=layer.name))
            elif (picture := project.story.find_picture(ref)) is not None:
                names.append(translate("HistoryPanel", "story picture “{name}”").format(name=picture.name))
            elif ref != "document":
                names.append(translate("HistoryPanel", "(deleted since)"))
        return "\n".join(names) or tr_msg(entry.summary)

    def _target(self, entry: HistoryEntry) -> tuple[str, str] | None:
        """(pane id, output id) of the first output still in the project."""
        project = self.session.project
        for ref in entry.output_refs:
            if ref == "document" and any(s.spec_id == entry.spec.id for s in collect_spans(self.document.document)):
                return "document", ref
            if project.find_clip(ref) is not None:
                return "audio", ref
            if project.find_layer(ref) is not None:
                return "canvas", ref
            if project.story.find_picture(ref) is not None:  # a scene's picture: the Story pane selects its scene
                return "story", ref
        return None

    # ------------------------------------------------------------ actions

    def _pane(self, entry: HistoryEntry) -> Pane | None:
        pane = self.router.pane_for(entry.spec.kind, entry.spec)
        if pane is not None:
            self.router.show_pane(pane)
        return pane

    def go_to_selected(self) -> None:
        """Show the pane holding the selected generation's output, with the output selected."""
        entry = self.selected()
        target = None if entry is None else self._target(entry)
        if entry is not None and target is not None and (pane := self._pane(entry)) is not None:
            pane.show_output(target[1], entry.spec.id)

    def regenerate_selected(self) -> Job | None:
        entry = self.selected()
        pane = None if entry is None or entry.spec.kind not in REGENERABLE else self._pane(entry)
        return None if pane is None or entry is None else pane.regenerate(entry)

    def use_selected_settings(self) -> None:
        entry = self.selected()
        pane = None if entry is None or entry.spec.kind not in REGENERABLE else self._pane(entry)
        if pane is not None and entry is not None:
            pane.load_spec(entry.spec)
