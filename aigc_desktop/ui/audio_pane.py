"""The Audio pane: the project's clips, a waveform of the selected one, import, rename and delete (undoable)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QUndoCommand
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.media import read_audio_file
from aigc_desktop.core.project import Clip, Project
from aigc_desktop.core.specs import ModelKind
from aigc_desktop.ui.context import AppContext
from aigc_desktop.ui.dialogs import show_error
from aigc_desktop.ui.pane import Pane
from aigc_desktop.ui.waveform import WaveformView

AUDIO_FILTER = "Audio (*.wav *.flac *.ogg *.mp3)"


class AddClip(QUndoCommand):
    def __init__(self, pane: AudioPane, clip: Clip) -> None:
        super().__init__(f"Add clip {clip.name}")
        self.pane, self.clip = pane, clip

    def redo(self) -> None:
        self.pane.project.clips.append(self.clip)
        self.pane.refresh(select=self.clip.id)

    def undo(self) -> None:
        self.pane.project.clips.remove(self.clip)
        self.pane.refresh()


class RemoveClip(QUndoCommand):
    def __init__(self, pane: AudioPane, clip: Clip) -> None:
        super().__init__(f"Delete clip {clip.name}")
        self.pane, self.clip = pane, clip
        self.index = pane.project.clips.index(clip)

    def redo(self) -> None:
        self.pane.project.clips.remove(self.clip)
        self.pane.refresh()

    def undo(self) -> None:
        self.pane.project.clips.insert(self.index, self.clip)
        self.pane.refresh(select=self.clip.id)


class RenameClip(QUndoCommand):
    def __init__(self, pane: AudioPane, clip: Clip, name: str) -> None:
        super().__init__(f"Rename clip {clip.name}")
        self.pane, self.clip, self.new, self.old = pane, clip, name, clip.name

    def redo(self) -> None:
        self.clip.name = self.new
        self.pane.refresh(select=self.clip.id)

    def undo(self) -> None:
        self.clip.name = self.old
        self.pane.refresh(select=self.clip.id)


class AudioPane(Pane):
    pane_id = "audio"
    title = "Audio"
    model_kinds = (ModelKind.SPEECH, ModelKind.MUSIC)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setAcceptDrops(True)
        self.clip_list = QListWidget(self)
        self.clip_list.setObjectName("clipList")
        self.clip_list.currentRowChanged.connect(self._show_current)
        self.waveform = WaveformView(self)
        self.info = QLabel(self)
        self.info.setObjectName("clipInfo")

        side = QVBoxLayout()
        side.addWidget(QLabel("<b>Clips</b>"))
        side.addWidget(self.clip_list, 1)
        for text, tip, slot in (
            ("Import…", "Add audio files as clips (or drop them here)", self.choose_import),
            ("Rename…", "Rename the selected clip", self.rename_current),
            ("Delete", "Delete the selected clip", self.delete_current),
        ):
            b = QPushButton(text, self)
            b.setToolTip(tip)
            b.setObjectName(f"clip{text.strip('…')}Button")
            b.clicked.connect(slot)
            side.addWidget(b)
        panel = QWidget(self)
        panel.setLayout(side)
        panel.setFixedWidth(260)

        center = QVBoxLayout()
        center.addWidget(self.waveform, 1)
        center.addWidget(self.info)
        row = QHBoxLayout()
        row.addWidget(panel)
        row.addLayout(center, 1)
        self.body.addLayout(row, 1)
        self.refresh()

    # -- project

    def bind(self, project: Project) -> None:
        super().bind(project)
        self.refresh()

    def refresh(self, select: str | None = None) -> None:
        current = select or self.current_clip_id()
        self.clip_list.blockSignals(True)
        self.clip_list.clear()
        for clip in self.project.clips:
            mark = "  ✦ AI" if clip.spec_id else ""
            it = QListWidgetItem(f"{clip.name}  ({clip.duration_s:.1f} s){mark}")
            it.setData(Qt.ItemDataRole.UserRole, clip.id)
            self.clip_list.addItem(it)
            if clip.id == current:
                self.clip_list.setCurrentItem(it)
        if self.clip_list.currentRow() < 0 and self.clip_list.count():
            self.clip_list.setCurrentRow(0)
        self.clip_list.blockSignals(False)
        self._show_current()

    def current_clip_id(self) -> str | None:
        item = self.clip_list.currentItem()
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    def current_clip(self) -> Clip | None:
        clip_id = self.current_clip_id()
        return None if clip_id is None else self.project.find_clip(clip_id)

    def _show_current(self, _row: int = -1) -> None:
        clip = self.current_clip()
        if clip is None:
            self.waveform.set_clip(None, 1)
            self.info.setText("No clip selected" if self.project.clips else "No clips yet: import or drop audio files")
            return
        self.waveform.set_clip(clip.samples, clip.sample_rate)
        channels = 1 if clip.samples.ndim == 1 else clip.samples.shape[1]
        self.info.setText(
            f"{clip.name} · {clip.duration_s:.2f} s · {clip.sample_rate} Hz · "
            f"{'mono' if channels == 1 else f'{channels} channels'}"
        )

    # -- actions

    def add_clip(self, clip: Clip) -> None:
        self.undo_stack.push(AddClip(self, clip))

    def choose_import(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, "Import audio files as clips", "", AUDIO_FILTER)
        self.import_files([Path(f) for f in files])

    def import_files(self, paths: list[Path]) -> None:
        problems = []
        for path in paths:
            try:
                samples, rate = read_audio_file(path)
            except UserError as exc:
                problems.append(str(exc))
                continue
            self.add_clip(Clip(path.stem, samples, rate))
        if problems:
            show_error(self, "Some files were not imported", "\n".join(problems))

    def rename_current(self) -> None:
        clip = self.current_clip()
        if clip is None:
            return
        name, ok = QInputDialog.getText(self, "Rename clip", "Name:", text=clip.name)
        if ok and name.strip() and name.strip() != clip.name:
            self.undo_stack.push(RenameClip(self, clip, name.strip()))

    def delete_current(self) -> None:
        clip = self.current_clip()
        if clip is not None:
            self.undo_stack.push(RemoveClip(self, clip))

    # -- drops

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_files(paths)
