"""The Audio pane: narrate text with local voices, generate music, and edit, play and export the clips.

The widgets render the AudioModel (state/audio.py): its clips and current clip, its playback state and position, the
status of its generations. What the user does goes to the model's methods: the clip list chooses the current clip,
the transport plays, pauses and seeks, the edit buttons push undoable edits. Speech streams sentence by sentence: the
first sentence becomes a clip and starts playing while the rest is still being synthesised.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.project.model import Clip, HistoryEntry
from aigc_desktop.core.specs import JobKind, JobSpec, ModelKind
from aigc_desktop.state.audio import AudioModel
from aigc_desktop.state.context import AppContext
from aigc_desktop.state.document import DocumentModel
from aigc_desktop.state.playback import PlaybackState
from aigc_desktop.state.session import ProjectSession
from aigc_desktop.ui.audio.controls import MusicControls, SpeechControls, button
from aigc_desktop.ui.audio.waveform import WaveformView
from aigc_desktop.ui.dialogs import show_error
from aigc_desktop.ui.drops import local_files
from aigc_desktop.ui.pane import Pane
from aigc_desktop.workers.jobs import Job

AUDIO_FILTER = "Audio (*.wav *.flac *.ogg *.mp3)"
EXPORT_FILTER = "WAV audio (*.wav);;FLAC audio (*.flac)"


class AudioPane(Pane):
    pane_id = "audio"
    title = "Audio"
    model_kinds = (ModelKind.SPEECH,)
    job_kinds = (JobKind.SPEECH, JobKind.MUSIC)

    def __init__(
        self,
        ctx: AppContext,
        session: ProjectSession,
        model: AudioModel,
        document: DocumentModel,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, session, parent)
        self.model = model
        self.document = document  # what "Narrate selection / document" read
        self._shown_id: str | None = None  # the clip the waveform shows (an edit of it keeps zoom and scroll)
        self.setAcceptDrops(True)
        self.model_label.setText("Voice:")
        playback = model.playback
        self.playback_note = QLabel(playback.problem or "", self)
        self.playback_note.setObjectName("playbackNote")
        self.playback_note.setVisible(bool(playback.problem))
        self.body.addWidget(self.playback_note)

        self.clip_list = QListWidget(self)
        self.clip_list.setObjectName("clipList")
        self.clip_list.currentItemChanged.connect(self._on_clip_chosen)
        self.waveform = WaveformView(self)
        self.waveform.seeked.connect(lambda seconds: self.guarded(lambda: model.seek(seconds)))
        self.info = QLabel(self)
        self.info.setObjectName("clipInfo")

        left = QVBoxLayout()
        left.addWidget(QLabel("<b>Clips</b>"))
        left.addWidget(self.clip_list, 1)
        for text, tip, slot in (
            ("Import…", "Add audio files as clips (or drop them here)", self.choose_import),
            ("Rename…", "Rename the selected clip", self.rename_current),
            ("Export…", "Save the selected clip as WAV or FLAC, with its provenance", self.choose_export),
            ("Regenerate", "Generate the selected AI clip again, exactly", self.regenerate_current),
            ("Delete", "Delete the selected clip", self.delete_current),
        ):
            left.addWidget(self._button(text, tip, slot, "clip"))
        left_panel = QWidget(self)
        left_panel.setLayout(left)
        left_panel.setMinimumWidth(190)
        left_panel.setMaximumWidth(260)

        transport = QHBoxLayout()
        self.play_button = self._button("Play", "Play the selected clip from the playhead", self.toggle_play, "")
        self.play_button.setEnabled(playback.problem is None)
        transport.addWidget(self.play_button)
        transport.addWidget(self._button("Stop", "Stop playback", self.stop_playback, "playback"))
        self.position = QLabel("0.00 s", self)
        transport.addWidget(self.position)
        transport.addStretch(1)
        edits = QHBoxLayout()
        edits.addWidget(self._button("Trim to selection", "Keep only the selected range", self.trim_to_selection, ""))
        edits.addWidget(self._button("Fade in", "Fade in over the selection (or 0.5 s)", self.fade_in, ""))
        edits.addWidget(self._button("Fade out", "Fade out over the selection (or 0.5 s)", self.fade_out, ""))
        self.gain_db = QDoubleSpinBox(self)
        self.gain_db.setRange(-40.0, 40.0)
        self.gain_db.setSuffix(" dB")
        self.gain_db.setValue(3.0)
        edits.addStretch(1)
        levels = QHBoxLayout()  # a second row: one long row would make the pane wider than a 1280 px screen
        levels.addWidget(self.gain_db)
        levels.addWidget(self._button("Apply gain", "Change the loudness by this many decibels", self.apply_gain, ""))
        levels.addWidget(self._button("Normalise", "Make the loudest peak −1 dBFS", self.normalise, ""))
        levels.addStretch(1)
        center = QVBoxLayout()
        center.addLayout(transport)
        center.addWidget(self.waveform, 1)
        center.addLayout(edits)
        center.addLayout(levels)
        center.addWidget(self.info)

        self.speech = SpeechControls(playback.problem is None, self)
        self.speech.narrate_selection_button.clicked.connect(self.narrate_selection)
        self.speech.narrate_document_button.clicked.connect(self.narrate_document)
        self.speech.generate_button.clicked.connect(self.generate_speech)
        self.speech.stop_button.clicked.connect(self.stop_jobs)
        self.music = MusicControls(ctx, self)
        self.music.generate_button.clicked.connect(self.generate_music)
        self.music.stop_button.clicked.connect(self.stop_jobs)
        self.side = QTabWidget(self)
        self.side.setObjectName("audioSide")
        self.side.addTab(self.speech, "Speech")
        self.side.addTab(self.music, "Music")
        self.side.setMinimumWidth(270)
        self.side.setMaximumWidth(340)

        row = QHBoxLayout()
        row.addWidget(left_panel)
        row.addLayout(center, 1)
        row.addWidget(self.side)
        self.body.addLayout(row, 1)

        model.clips_changed.connect(self._render_clips)
        model.current_changed.connect(self._render_current)
        model.status_changed.connect(self.info.setText)
        playback.state_changed.connect(self._render_playback)
        playback.position_changed.connect(self._render_playback)
        playback.stream_failed.connect(self._show_playback_note)
        # Signal-to-signal, as the base class does for its own stack: the Edit menu follows the model's undo stack.
        model.undo_stack.cleanChanged.connect(self.undo_state_changed)
        model.undo_stack.indexChanged.connect(self.undo_state_changed)
        ctx.settings.changed.connect(self._on_setting_changed)
        self._render_clips()

    def _button(self, text: str, tip: str, slot: Callable[[], object], prefix: str) -> QPushButton:
        b = button(self, text, tip, prefix)
        b.clicked.connect(slot)
        return b

    # ------------------------------------------------------------ rendering the model

    def refresh_models(self) -> None:
        super().refresh_models()
        self.music.refresh_models()

    def _on_setting_changed(self, name: str) -> None:
        if name == "show_ai":
            self._render_clips()

    def _render_clips(self) -> None:
        """The clip list as the model has it, then the current clip."""
        show_ai = self.ctx.settings.values.show_ai
        self.clip_list.blockSignals(True)  # rendering is not the user choosing a clip
        self.clip_list.clear()
        for clip in self.model.clips:
            mark = "  ✦ AI" if clip.spec_id and show_ai else ""
            item = QListWidgetItem(f"{clip.name}  ({clip.duration_s:.1f} s){mark}")
            item.setData(Qt.ItemDataRole.UserRole, clip.id)
            self.clip_list.addItem(item)
        self.clip_list.blockSignals(False)
        self._render_current()

    def _render_current(self) -> None:
        """The current clip: its row in the list, its waveform (an edit of the same clip keeps zoom and scroll), its
        info line."""
        model = self.model
        shown = self.clip_list.currentItem()
        if shown is None or shown.data(Qt.ItemDataRole.UserRole) != model.current_id:
            self.clip_list.blockSignals(True)
            for row in range(self.clip_list.count()):
                if self.clip_list.item(row).data(Qt.ItemDataRole.UserRole) == model.current_id:
                    self.clip_list.setCurrentRow(row)
            self.clip_list.blockSignals(False)
        clip = model.current_clip()
        keep_view = clip is not None and clip.id == self._shown_id
        self._shown_id = None if clip is None else clip.id
        if clip is None:
            self.waveform.set_clip(None, 1)
            self.info.setText("No clip selected" if model.clips else "No clips yet: generate, import or drop audio")
        else:
            self.waveform.set_clip(clip.samples, clip.sample_rate, keep_view=keep_view)
            self.info.setText(self._describe(clip))
        self._render_playback()

    def _describe(self, clip: Clip) -> str:
        channels = 1 if clip.samples.ndim == 1 else clip.samples.shape[1]
        origin = self.model.origin(clip)
        return (
            f"{clip.name} · {clip.duration_s:.2f} s · {clip.sample_rate} Hz · "
            f"{'mono' if channels == 1 else f'{channels} channels'}"
            + (f" · AI: {origin.spec.model_id}" if origin is not None else "")
        )

    def _render_playback(self, *_: object) -> None:
        playback = self.model.playback
        at = playback.position_s
        self.play_button.setText("Pause" if playback.state is PlaybackState.PLAYING else "Play")
        self.position.setText(f"{at:.2f} s")
        here = playback.clip_id is not None and playback.clip_id == self.model.current_id
        placed = playback.state is not PlaybackState.STOPPED or at > 0
        self.waveform.set_playhead(at if here and placed else None)

    def _show_playback_note(self, message: str) -> None:
        self.playback_note.setText(message)
        self.playback_note.setVisible(True)

    def _on_clip_chosen(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None = None) -> None:
        if item is not None:
            self.model.set_current(str(item.data(Qt.ItemDataRole.UserRole)))

    # ------------------------------------------------------------ clip actions

    def choose_import(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, "Import audio files as clips", "", AUDIO_FILTER)
        self.import_files([Path(f) for f in files])

    def import_files(self, paths: list[Path]) -> None:
        self.import_each(paths, self.model.import_file)

    def rename_current(self) -> None:
        clip = self.model.current_clip()
        if clip is None:
            return
        name, ok = QInputDialog.getText(self, "Rename clip", "Name:", text=clip.name)
        if ok:
            self.model.rename_clip(clip, name)

    def delete_current(self) -> None:
        clip = self.model.current_clip()
        if clip is not None:
            self.model.delete_clip(clip)

    def _edit(self, edit: Callable[[Clip], None]) -> None:
        self.guarded(lambda: edit(self.model.require_clip()))

    def _fade_length(self, default_s: float = 0.5) -> float:
        """The selection's length, or `default_s` when nothing is selected."""
        sel = self.waveform.selection
        return default_s if sel is None else sel[1] - sel[0]

    def trim_to_selection(self) -> None:
        def trim(clip: Clip) -> None:
            sel = self.waveform.selection
            if sel is None:
                raise UserError("Drag across the waveform to select the part to keep, then Trim.")
            self.model.trim(clip, sel[0], sel[1])

        self._edit(trim)

    def fade_in(self) -> None:
        self._edit(lambda clip: self.model.fade_in(clip, self._fade_length()))

    def fade_out(self) -> None:
        self._edit(lambda clip: self.model.fade_out(clip, self._fade_length()))

    def apply_gain(self) -> None:
        self._edit(lambda clip: self.model.apply_gain(clip, self.gain_db.value()))

    def normalise(self) -> None:
        self._edit(self.model.normalise)

    def choose_export(self) -> None:
        clip = self.model.current_clip()
        if clip is None:
            return
        start = str(self.ctx.paths.data_dir / f"{clip.name}.wav")
        path, chosen = QFileDialog.getSaveFileName(self, "Export clip", start, EXPORT_FILTER)
        if path:
            fmt = "flac" if path.lower().endswith(".flac") or "FLAC" in chosen else "wav"
            self.export_clip(clip, Path(path), fmt)

    def export_clip(self, clip: Clip, path: Path, fmt: str) -> bool:
        try:
            self.model.export_clip(clip, path, fmt)
        except UserError as exc:
            show_error(self, "Could not export", str(exc))
            return False
        return True

    # ------------------------------------------------------------ playback

    def toggle_play(self) -> None:
        self.guarded(self.model.toggle_play)

    def stop_playback(self) -> None:
        self.model.playback.stop()

    # ------------------------------------------------------------ generation

    def narrate_selection(self) -> None:
        selected = self.document.selected_text()
        if not selected.strip():
            show_error(self, "Nothing selected", "Select some text in the Document pane first.")
            return
        self.speech.text.setPlainText(selected)
        self.generate_speech()

    def narrate_document(self) -> None:
        whole = self.document.text()
        if not whole.strip():
            show_error(self, "Empty document", "The document has no text to narrate yet.")
            return
        self.speech.text.setPlainText(whole)
        self.generate_speech()

    def generate_speech(self) -> Job | None:
        try:
            spec = self.speech.spec(self.model_selector.current_model_id(), self.ctx.paths.models_dir)
        except UserError as exc:
            show_error(self, "Cannot narrate", str(exc))
            return None
        return self.model.submit(spec, "Narration", play=self.speech.play_while.isChecked())

    def generate_music(self) -> Job | None:
        try:
            spec = self.music.spec(lambda: self.model.continuation_inputs(self.model.require_clip()))
        except UserError as exc:
            show_error(self, "Cannot generate music", str(exc))
            return None
        return self.model.submit(spec, "Music")

    def stop_jobs(self) -> None:
        self.model.stop()

    def regenerate_current(self) -> Job | None:
        clip = self.model.current_clip()
        entry = None if clip is None else self.model.origin(clip)
        if entry is None:
            show_error(self, "Not generated here", "Only clips generated in this project can be regenerated.")
            return None
        return self.regenerate(entry)

    # ------------------------------------------------------------ the History dock's requests

    def regenerate(self, entry: HistoryEntry) -> Job:
        """Replay a recorded speech or music generation exactly; it comes back as a new clip."""
        return self.model.regenerate(entry, play=self.speech.play_while.isChecked())

    def show_output(self, ref: str, spec_id: str) -> None:
        self.model.set_current(ref)

    def load_spec(self, spec: JobSpec) -> None:
        """Put a recorded narration's or music's settings, text or prompt and seed into their tab."""
        if spec.kind is JobKind.SPEECH:
            self.speech.load(spec)
            self.side.setCurrentWidget(self.speech)
        elif spec.kind is JobKind.MUSIC:
            self.music.load(spec)
            self.side.setCurrentWidget(self.music)

    # ------------------------------------------------------------ undo: the model keeps the clips' history

    def undo(self) -> None:
        self.model.undo_stack.undo()

    def redo(self) -> None:
        self.model.undo_stack.redo()

    def can_undo(self) -> bool:
        return self.model.undo_stack.canUndo()

    def can_redo(self) -> bool:
        return self.model.undo_stack.canRedo()

    # ------------------------------------------------------------ drops

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = local_files(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self.import_files(paths)
