"""The Audio pane: narrate text with local voices, generate music, and edit, play and export the clips.

The widgets render the AudioModel (state/audio.py): its clips and current clip, its playback state and position, the
status of its generations. What the user does goes to the model's methods: the clip list chooses the current clip,
the transport plays, pauses and seeks, the edit buttons push undoable edits. Speech streams sentence by sentence: the
first sentence becomes a clip and starts playing while the rest is still being synthesised.

Every visible text is set in `retranslate()`, again on each language switch: the labels, the file dialogs' filters,
the info line (a clip's duration, rate and channels through QLocale, or the latest status, kept as the model's
marked Msg), the playback note, the undo texts (the model's). Clip names are the user's and stay as they are.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QLocale, Qt
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
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP, Msg
from aigc_desktop.core.project.model import Clip, HistoryEntry
from aigc_desktop.core.specs import JobKind, JobSpec, ModelKind
from aigc_desktop.state.audio import AudioModel
from aigc_desktop.state.context import AppContext
from aigc_desktop.state.document import DocumentModel
from aigc_desktop.state.playback import PlaybackState
from aigc_desktop.state.session import ProjectSession
from aigc_desktop.ui.audio.controls import MusicControls, SpeechControls, button
from aigc_desktop.ui.audio.waveform import WaveformView, seconds_text
from aigc_desktop.ui.dialogs import show_error
from aigc_desktop.ui.drops import local_files
from aigc_desktop.ui.i18n import Retranslating, error_text, tr_msg, translate
from aigc_desktop.ui.pane import Pane
from aigc_desktop.workers.jobs import Job

NARRATION = QT_TRANSLATE_NOOP("AudioPane", "Narration")  # the generations' titles in the queue and status line
MUSIC = QT_TRANSLATE_NOOP("AudioPane", "Music")


class AudioPane(Retranslating, Pane):
    pane_id = "audio"
    title = QT_TRANSLATE_NOOP("AudioPane", "Audio")
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
        self._status: str | None = None  # the latest generation status (a marked Msg), shown until a clip change
        self.setAcceptDrops(True)
        playback = model.playback
        self.playback_note = QLabel(self)
        self.playback_note.setObjectName("playbackNote")
        self._note = playback.problem  # why playback is off (a marked Msg), shown in the interface language
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
        self.clips_label = QLabel(self)
        left.addWidget(self.clips_label)
        left.addWidget(self.clip_list, 1)
        for text, tip, slot in (
            (
                QT_TRANSLATE_NOOP("AudioPane", "Import…"),
                QT_TRANSLATE_NOOP("AudioPane", "Add audio files as clips (or drop them here)"),
                self.choose_import,
            ),
            (
                QT_TRANSLATE_NOOP("AudioPane", "Rename…"),
                QT_TRANSLATE_NOOP("AudioPane", "Rename the selected clip"),
                self.rename_current,
            ),
            (
                QT_TRANSLATE_NOOP("AudioPane", "Export…"),
                QT_TRANSLATE_NOOP("AudioPane", "Save the selected clip as WAV or FLAC, with its provenance"),
                self.choose_export,
            ),
            (
                QT_TRANSLATE_NOOP("AudioPane", "Regenerate"),
                QT_TRANSLATE_NOOP("AudioPane", "Generate the selected AI clip again, exactly"),
                self.regenerate_current,
            ),
            (
                QT_TRANSLATE_NOOP("AudioPane", "Delete"),
                QT_TRANSLATE_NOOP("AudioPane", "Delete the selected clip"),
                self.delete_current,
            ),
        ):
            left.addWidget(self._button(text, tip, slot, "clip"))
        left_panel = QWidget(self)
        left_panel.setLayout(left)
        left_panel.setMinimumWidth(190)
        left_panel.setMaximumWidth(260)

        transport = QHBoxLayout()
        self.play_button = QPushButton(self)  # "Play" or "Pause", by the playback state (_render_playback)
        self.play_button.setObjectName("PlayButton")
        self.play_button.clicked.connect(self.toggle_play)
        self.play_button.setEnabled(playback.problem is None)
        transport.addWidget(self.play_button)
        transport.addWidget(
            self._button(
                QT_TRANSLATE_NOOP("AudioPane", "Stop"),
                QT_TRANSLATE_NOOP("AudioPane", "Stop playback"),
                self.stop_playback,
                "playback",
            )
        )
        self.position = QLabel(self)
        transport.addWidget(self.position)
        transport.addStretch(1)
        edits = QHBoxLayout()
        for text, tip, slot in (
            (
                QT_TRANSLATE_NOOP("AudioPane", "Trim to selection"),
                QT_TRANSLATE_NOOP("AudioPane", "Keep only the selected range"),
                self.trim_to_selection,
            ),
            (
                QT_TRANSLATE_NOOP("AudioPane", "Fade in"),
                QT_TRANSLATE_NOOP("AudioPane", "Fade in over the selection (or 0.5 s)"),
                self.fade_in,
            ),
            (
                QT_TRANSLATE_NOOP("AudioPane", "Fade out"),
                QT_TRANSLATE_NOOP("AudioPane", "Fade out over the selection (or 0.5 s)"),
                self.fade_out,
            ),
        ):
            edits.addWidget(self._button(text, tip, slot, ""))
        self.gain_db = QDoubleSpinBox(self)
        self.gain_db.setRange(-40.0, 40.0)
        self.gain_db.setSuffix(" dB")
        self.gain_db.setValue(3.0)
        edits.addStretch(1)
        levels = QHBoxLayout()  # a second row: one long row would make the pane wider than a 1280 px screen
        levels.addWidget(self.gain_db)
        levels.addWidget(
            self._button(
                QT_TRANSLATE_NOOP("AudioPane", "Apply gain"),
                QT_TRANSLATE_NOOP("AudioPane", "Change the loudness by this many decibels"),
                self.apply_gain,
                "",
            )
        )
        levels.addWidget(
            self._button(
                QT_TRANSLATE_NOOP("AudioPane", "Normalise"),
                QT_TRANSLATE_NOOP("AudioPane", "Make the loudest peak −1 dBFS"),
                self.normalise,
                "",
            )
        )
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
        self.side.addTab(self.speech, "")
        self.side.addTab(self.music, "")
        self.side.setMinimumWidth(270)
        self.side.setMaximumWidth(340)

        row = QHBoxLayout()
        row.addWidget(left_panel)
        row.addLayout(center, 1)
        row.addWidget(self.side)
        self.body.addLayout(row, 1)

        model.clips_changed.connect(self._on_clips_changed)
        model.current_changed.connect(self._on_current_changed)
        model.status_changed.connect(self._show_status)
        playback.state_changed.connect(self._render_playback)
        playback.position_changed.connect(self._render_playback)
        playback.stream_failed.connect(self._show_playback_note)
        # Signal-to-signal, as the base class does for its own stack: the Edit menu follows the model's undo stack.
        model.undo_stack.cleanChanged.connect(self.undo_state_changed)
        model.undo_stack.indexChanged.connect(self.undo_state_changed)
        ctx.settings.changed.connect(self._on_setting_changed)
        self._render_clips()
        self.retranslate()

    def _button(self, text: Msg, tip: Msg, slot: Callable[[], object], prefix: str) -> QPushButton:
        b = button(self, text, tip, prefix)
        b.clicked.connect(slot)
        return b

    def retranslate(self) -> None:
        """Every text this pane sets itself (its buttons and tabs' widgets translate themselves)."""
        self.model_label.setText(translate("AudioPane", "Voice:"))
        self.clips_label.setText("<b>{}</b>".format(translate("AudioPane", "Clips")))
        self.gain_db.setSuffix(translate("AudioPane", " dB"))
        self.side.setTabText(self.side.indexOf(self.speech), translate("AudioPane", "Speech"))
        self.side.setTabText(self.side.indexOf(self.music), translate("AudioPane", "Music"))
        self.playback_note.setText(tr_msg(self._note or ""))
        self.playback_note.setVisible(bool(self._note))
        self.model.retranslate()  # the undo steps' names in the Edit menu
        self._render_clips()  # the durations' unit
        self._render_info()
        self._render_playback()

    # ------------------------------------------------------------ rendering the model

    def refresh_models(self) -> None:
        super().refresh_models()
        self.music.refresh_models()

    def _on_setting_changed(self, name: str) -> None:
        if name == "show_ai":
            self._on_clips_changed()

    def _on_clips_changed(self) -> None:
        self._status = None  # the info line shows the clip again, as it is now
        self._render_clips()

    def _on_current_changed(self) -> None:
        self._status = None
        self._render_current()

    def _render_clips(self) -> None:
        """The clip list as the model has it, then the current clip."""
        show_ai = self.ctx.settings.values.show_ai
        self.clip_list.blockSignals(True)  # rendering is not the user choosing a clip
        self.clip_list.clear()
        for clip in self.model.clips:
            mark = "  ✦ AI" if clip.spec_id and show_ai else ""
            item = QListWidgetItem(f"{clip.name}  ({seconds_text(clip.duration_s, 1)}){mark}")
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
        else:
            self.waveform.set_clip(clip.samples, clip.sample_rate, keep_view=keep_view)
        self._render_info()
        self._render_playback()

    def _show_status(self, status: str) -> None:
        self._status = status
        self._render_info()

    def _render_info(self) -> None:
        """The line under the waveform: the latest generation status, else the current clip (or why there is none)."""
        if self._status is not None:
            self.info.setText(tr_msg(self._status))
        elif (clip := self.model.current_clip()) is not None:
            self.info.setText(self._describe(clip))
        elif self.model.clips:
            self.info.setText(translate("AudioPane", "No clip selected"))
        else:
            self.info.setText(translate("AudioPane", "No clips yet: generate, import or drop audio"))

    def _describe(self, clip: Clip) -> str:
        """ "Name · 2.00 s · 22050 Hz · mono · AI: model", the numbers as the interface language writes them."""
        channels = 1 if clip.samples.ndim == 1 else clip.samples.shape[1]
        rates = QLocale()
        rates.setNumberOptions(QLocale.NumberOption.OmitGroupSeparator)  # "22050 Hz", as audio apps write rates
        parts = [
            clip.name,
            seconds_text(clip.duration_s),
            translate("AudioPane", "{rate} Hz").format(rate=rates.toString(clip.sample_rate)),
            translate("AudioPane", "mono")
            if channels == 1
            else translate("AudioPane", "{count} channels").format(count=QLocale().toString(channels)),
        ]
        origin = self.model.origin(clip)
        if origin is not None:
            parts.append(translate("AudioPane", "AI: {name}").format(name=origin.spec.model_id))
        return " · ".join(parts)

    def _render_playback(self, *_: object) -> None:
        playback = self.model.playback
        at = playback.position_s
        playing = playback.state is PlaybackState.PLAYING
        self.play_button.setText(translate("AudioPane", "Pause") if playing else translate("AudioPane", "Play"))
        self.play_button.setToolTip(translate("AudioPane", "Play the selected clip from the playhead"))
        self.position.setText(seconds_text(at))
        here = playback.clip_id is not None and playback.clip_id == self.model.current_id
        placed = playback.state is not PlaybackState.STOPPED or at > 0
        self.waveform.set_playhead(at if here and placed else None)

    def _show_playback_note(self, message: str) -> None:
        self._note = message
        self.playback_note.setText(tr_msg(message))
        self.playback_note.setVisible(True)

    def _on_clip_chosen(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None = None) -> None:
        if item is not None:
            self.model.set_current(str(item.data(Qt.ItemDataRole.UserRole)))

    # ------------------------------------------------------------ clip actions

    def choose_import(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self,
            translate("AudioPane", "Import audio files as clips"),
            "",
            translate("AudioPane", "Audio (*.wav *.flac *.ogg *.mp3)"),
        )
        self.import_files([Path(f) for f in files])

    def import_files(self, paths: list[Path]) -> None:
        self.import_each(paths, self.model.import_file)

    def rename_current(self) -> None:
        clip = self.model.current_clip()
        if clip is None:
            return
        name, ok = QInputDialog.getText(
            self, translate("AudioPane", "Rename clip"), translate("AudioPane", "Name:"), text=clip.name
        )
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
                raise UserError(
                    QT_TRANSLATE_NOOP("AudioPane", "Drag across the waveform to select the part to keep, then Trim.")
                )
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
        wav, flac = translate("AudioPane", "WAV audio (*.wav)"), translate("AudioPane", "FLAC audio (*.flac)")
        path, chosen = QFileDialog.getSaveFileName(self, translate("AudioPane", "Export clip"), start, f"{wav};;{flac}")
        if path:
            fmt = "flac" if path.lower().endswith(".flac") or chosen == flac else "wav"
            self.export_clip(clip, Path(path), fmt)

    def export_clip(self, clip: Clip, path: Path, fmt: str) -> bool:
        try:
            self.model.export_clip(clip, path, fmt)
        except UserError as exc:
            show_error(self, translate("AudioPane", "Could not export"), error_text(exc))
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
            show_error(
                self,
                translate("AudioPane", "Nothing selected"),
                translate("AudioPane", "Select some text in the Document pane first."),
            )
            return
        self.speech.text.setPlainText(selected)
        self.generate_speech()

    def narrate_document(self) -> None:
        whole = self.document.text()
        if not whole.strip():
            show_error(
                self,
                translate("AudioPane", "Empty document"),
                translate("AudioPane", "The document has no text to narrate yet."),
            )
            return
        self.speech.text.setPlainText(whole)
        self.generate_speech()

    def generate_speech(self) -> Job | None:
        try:
            spec = self.speech.spec(self.model_selector.current_model_id(), self.ctx.paths.models_dir)
        except UserError as exc:
            show_error(self, translate("AudioPane", "Cannot narrate"), error_text(exc))
            return None
        return self.model.submit(spec, NARRATION, play=self.speech.play_while.isChecked())

    def generate_music(self) -> Job | None:
        try:
            spec = self.music.spec(lambda: self.model.continuation_inputs(self.model.require_clip()))
        except UserError as exc:
            show_error(self, translate("AudioPane", "Cannot generate music"), error_text(exc))
            return None
        return self.model.submit(spec, MUSIC)

    def stop_jobs(self) -> None:
        self.model.stop()

    def regenerate_current(self) -> Job | None:
        clip = self.model.current_clip()
        entry = None if clip is None else self.model.origin(clip)
        if entry is None:
            show_error(
                self,
                translate("AudioPane", "Not generated here"),
                translate("AudioPane", "Only clips generated in this project can be regenerated."),
            )
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
