"""The Audio pane: narrate text with local voices, generate music, and edit, play and export the clips.

Speech streams sentence by sentence: the first sentence becomes a clip and starts playing while the rest is still
being synthesised. Clips are edited with undoable commands (trim, fade, gain, normalise, rename, delete).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QUndoCommand
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from aigc_desktop.core.audio import edit as audio_edit
from aigc_desktop.core.audio.job import AudioChunk, AudioOutput, MusicParams, SpeechParams, music_spec, speech_spec
from aigc_desktop.core.audio.playback import StreamPlayer, playback_problem
from aigc_desktop.core.errors import UserError
from aigc_desktop.core.media import read_audio_file
from aigc_desktop.core.project.model import Clip, HistoryEntry, HistoryStatus
from aigc_desktop.core.specs import JobKind, JobResult, JobSpec, ModelKind, parse_seed
from aigc_desktop.state.context import AppContext
from aigc_desktop.state.session import ProjectSession
from aigc_desktop.ui.dialogs import show_error
from aigc_desktop.ui.model_selector import ModelSelector
from aigc_desktop.ui.pane import Pane
from aigc_desktop.ui.waveform import WaveformView
from aigc_desktop.workers.jobs import Job

AUDIO_FILTER = "Audio (*.wav *.flac *.ogg *.mp3)"
EXPORT_FILTER = "WAV audio (*.wav);;FLAC audio (*.flac)"


# ---------------------------------------------------------------- undoable clip edits


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


class EditClipSamples(QUndoCommand):
    """Any edit that replaces a clip's samples (trim, fade, gain, normalise)."""

    def __init__(self, pane: AudioPane, clip: Clip, samples: np.ndarray, what: str) -> None:
        super().__init__(f"{what} {clip.name}")
        self.pane, self.clip, self.new, self.old = pane, clip, samples, clip.samples

    def redo(self) -> None:
        self.clip.samples = self.new
        self.pane.refresh(select=self.clip.id)

    def undo(self) -> None:
        self.clip.samples = self.old
        self.pane.refresh(select=self.clip.id)


# ---------------------------------------------------------------- generation bookkeeping


@dataclass
class _AudioJob:
    title: str
    clip: Clip | None = None  # speech: created with the first sentence, then grows
    player: StreamPlayer | None = None
    started: float = field(default_factory=time.time)
    pieces: list[np.ndarray] = field(default_factory=list)
    shown: float = 0.0  # when the growing clip was last redrawn


class AudioPane(Pane):
    pane_id = "audio"
    title = "Audio"
    model_kinds = (ModelKind.SPEECH,)
    job_kinds = (JobKind.SPEECH, JobKind.MUSIC)

    def __init__(self, ctx: AppContext, session: ProjectSession, parent: QWidget | None = None) -> None:
        self._jobs: dict[str, _AudioJob] = {}
        self.player: StreamPlayer | None = None
        # Set by the main window: returns (selected text, whole text) of the document, for "Narrate".
        self.document_text: Callable[[], tuple[str, str]] = lambda: ("", "")
        super().__init__(ctx, session, parent)
        self.setAcceptDrops(True)
        self.model_label.setText("Voice:")
        self.playback_note = QLabel(self)
        self.playback_note.setObjectName("playbackNote")
        self.playback_problem = playback_problem()
        self.playback_note.setText(self.playback_problem or "")
        self.playback_note.setVisible(bool(self.playback_problem))
        self.body.addWidget(self.playback_note)

        self.clip_list = QListWidget(self)
        self.clip_list.setObjectName("clipList")
        self.clip_list.currentRowChanged.connect(self._show_current)
        self.waveform = WaveformView(self)
        self.waveform.seeked.connect(self._on_seek)
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
        self.play_button.setEnabled(self.playback_problem is None)
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

        self.side = QTabWidget(self)
        self.side.setObjectName("audioSide")
        self.side.addTab(self._build_speech_tab(), "Speech")
        self.side.addTab(self._build_music_tab(), "Music")
        self.side.setMinimumWidth(270)
        self.side.setMaximumWidth(340)

        row = QHBoxLayout()
        row.addWidget(left_panel)
        row.addLayout(center, 1)
        row.addWidget(self.side)
        self.body.addLayout(row, 1)

        self._timer = QTimer(self)
        self._timer.setInterval(50)
        self._timer.timeout.connect(self._tick)
        q = ctx.queue
        q.job_partial.connect(self._on_partial)
        q.job_progress.connect(self._on_progress)
        q.job_finished.connect(self._on_finished)
        q.job_cancelled.connect(self._on_ended)
        q.job_failed.connect(self._on_ended)
        self.refresh()

    def _button(self, text: str, tip: str, slot: object, prefix: str) -> QPushButton:
        b = QPushButton(text, self)
        b.setToolTip(tip)
        b.setObjectName(f"{prefix}{text.strip('…').replace(' ', '')}Button")
        b.clicked.connect(slot)
        return b

    def _build_speech_tab(self) -> QWidget:
        tab = QWidget(self)
        lay = QVBoxLayout(tab)
        self.speech_text = QPlainTextEdit(tab)
        self.speech_text.setObjectName("speechText")
        self.speech_text.setPlaceholderText("Type the text to narrate, or take it from the document below.")
        lay.addWidget(self.speech_text, 1)
        narrate = QHBoxLayout()
        narrate.addWidget(
            self._button("Narrate selection", "Narrate the document's selection", self.narrate_selection, "")
        )
        narrate.addWidget(self._button("Narrate document", "Narrate the whole document", self.narrate_document, ""))
        lay.addLayout(narrate)
        form = QFormLayout()
        self.speed = QDoubleSpinBox(tab)
        self.speed.setRange(0.5, 2.0)
        self.speed.setSingleStep(0.1)
        self.speed.setValue(1.0)
        self.speed.setSuffix("×")
        self.variation = QDoubleSpinBox(tab)
        self.variation.setRange(0.0, 1.5)
        self.variation.setSingleStep(0.05)
        self.variation.setValue(SpeechParams().noise_scale)
        self.pause = QDoubleSpinBox(tab)
        self.pause.setRange(0.0, 3.0)
        self.pause.setSingleStep(0.05)
        self.pause.setValue(SpeechParams().sentence_pause_s)
        self.pause.setSuffix(" s")
        self.speech_seed = QLineEdit(tab)
        self.speech_seed.setPlaceholderText("random")
        self.play_while = QCheckBox("Play while generating", tab)
        self.play_while.setChecked(self.playback_problem is None)
        self.play_while.setEnabled(self.playback_problem is None)
        form.addRow("Speed", self.speed)
        form.addRow("Variation", self.variation)
        form.addRow("Sentence pause", self.pause)
        form.addRow("Seed", self.speech_seed)
        lay.addLayout(form)
        lay.addWidget(self.play_while)
        buttons = QHBoxLayout()
        buttons.addWidget(
            self._button("Generate", "Synthesise the text, sentence by sentence", self.generate_speech, "speech")
        )
        buttons.addWidget(self._button("Stop", "Stop generating", self.stop_jobs, "speech"))
        lay.addLayout(buttons)
        return tab

    def _build_music_tab(self) -> QWidget:
        tab = QWidget(self)
        lay = QVBoxLayout(tab)
        self.music_model = ModelSelector((ModelKind.MUSIC,), tab)
        self.music_model.populate(self.ctx.registry, self.ctx.settings.values.default_models.get("music"))
        self.music_prompt = QPlainTextEdit(tab)
        self.music_prompt.setObjectName("musicPrompt")
        self.music_prompt.setPlaceholderText("e.g. calm lo-fi piano with soft rain")
        form = QFormLayout()
        self.duration = QDoubleSpinBox(tab)
        self.duration.setRange(1.0, 30.0)
        self.duration.setValue(8.0)
        self.duration.setSuffix(" s")
        self.duration.valueChanged.connect(self._update_estimate)
        self.guidance = QDoubleSpinBox(tab)
        self.guidance.setRange(0.0, 10.0)
        self.guidance.setValue(MusicParams().guidance)
        self.music_temperature = QDoubleSpinBox(tab)
        self.music_temperature.setRange(0.1, 2.0)
        self.music_temperature.setSingleStep(0.1)
        self.music_temperature.setValue(1.0)
        self.music_seed = QLineEdit(tab)
        self.music_seed.setPlaceholderText("random")
        self.continue_clip = QCheckBox("Continue the selected clip", tab)
        form.addRow("Model", self.music_model)
        form.addRow("Duration", self.duration)
        form.addRow("Guidance", self.guidance)
        form.addRow("Temperature", self.music_temperature)
        form.addRow("Seed", self.music_seed)
        self.estimate = QLabel(tab)
        self.estimate.setObjectName("musicEstimate")
        self.estimate.setWordWrap(True)
        lay.addWidget(QLabel("Prompt"))
        lay.addWidget(self.music_prompt, 1)
        lay.addLayout(form)
        lay.addWidget(self.continue_clip)
        lay.addWidget(self.estimate)
        buttons = QHBoxLayout()
        buttons.addWidget(self._button("Generate", "Generate music from the prompt", self.generate_music, "music"))
        buttons.addWidget(self._button("Stop", "Stop generating", self.stop_jobs, "music"))
        lay.addLayout(buttons)
        self._update_estimate()
        return tab

    # ------------------------------------------------------------ project

    def bind(self) -> None:
        self.stop_playback()
        super().bind()
        self.refresh()

    def refresh_models(self) -> None:
        super().refresh_models()
        self.music_model.populate(self.ctx.registry, self.ctx.settings.default_model("music"))

    def refresh(self, select: str | None = None) -> None:
        current = select or self.current_clip_id()
        self.clip_list.blockSignals(True)
        self.clip_list.clear()
        for clip in self.project.clips:
            mark = "  ✦ AI" if clip.spec_id and self.ctx.settings.values.show_ai else ""
            it = QListWidgetItem(f"{clip.name}  ({clip.duration_s:.1f} s){mark}")
            it.setData(Qt.ItemDataRole.UserRole, clip.id)
            self.clip_list.addItem(it)
            if clip.id == current:
                self.clip_list.setCurrentItem(it)
        if self.clip_list.currentRow() < 0 and self.clip_list.count():
            self.clip_list.setCurrentRow(0)
        self.clip_list.blockSignals(False)
        self._show_current(keep_view=select is not None and select == current)

    def current_clip_id(self) -> str | None:
        item = self.clip_list.currentItem()
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    def current_clip(self) -> Clip | None:
        clip_id = self.current_clip_id()
        return None if clip_id is None else self.project.find_clip(clip_id)

    def _require_clip(self) -> Clip:
        clip = self.current_clip()
        if clip is None:
            raise UserError("Select a clip first.")
        return clip

    def _show_current(self, _row: int = -1, keep_view: bool = False) -> None:
        clip = self.current_clip()
        if clip is None:
            self.waveform.set_clip(None, 1)
            self.info.setText(
                "No clip selected" if self.project.clips else "No clips yet: generate, import or drop audio"
            )
            return
        self.waveform.set_clip(clip.samples, clip.sample_rate, keep_view=keep_view)
        channels = 1 if clip.samples.ndim == 1 else clip.samples.shape[1]
        origin = ""
        if clip.spec_id and (h := self.project.find_history(clip.spec_id)) is not None:
            origin = f" · AI: {h.spec.model_id}"
        self.info.setText(
            f"{clip.name} · {clip.duration_s:.2f} s · {clip.sample_rate} Hz · "
            f"{'mono' if channels == 1 else f'{channels} channels'}{origin}"
        )

    # ------------------------------------------------------------ clip actions

    def _guard(self, action: Callable[[], object]) -> None:
        try:
            action()
        except UserError as exc:
            show_error(self, "Audio", str(exc))

    def add_clip(self, clip: Clip) -> None:
        self.undo_stack.push(AddClip(self, clip))

    def choose_import(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, "Import audio files as clips", "", AUDIO_FILTER)
        self.import_files([Path(f) for f in files])

    def import_files(self, paths: list[Path]) -> None:
        def add(path: Path) -> None:
            samples, rate = read_audio_file(path)
            self.add_clip(Clip(path.stem, samples, rate))

        self.import_each(paths, add)

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
            self.stop_playback()
            self.undo_stack.push(RemoveClip(self, clip))

    def _edit(self, what: str, make: Callable[[Clip], np.ndarray]) -> None:
        def run() -> None:
            clip = self._require_clip()
            self.undo_stack.push(EditClipSamples(self, clip, make(clip), what))

        self._guard(run)

    def _fade_length(self, default_s: float = 0.5) -> float:
        """The selection's length, or `default_s` when nothing is selected."""
        sel = self.waveform.selection
        return default_s if sel is None else sel[1] - sel[0]

    def trim_to_selection(self) -> None:
        def make(clip: Clip) -> np.ndarray:
            sel = self.waveform.selection
            if sel is None:
                raise UserError("Drag across the waveform to select the part to keep, then Trim.")
            return audio_edit.trim(clip.samples, clip.sample_rate, sel[0], sel[1])

        self._edit("Trim", make)

    def fade_in(self) -> None:
        self._edit("Fade in", lambda c: audio_edit.fade(c.samples, c.sample_rate, self._fade_length(), 0.0))

    def fade_out(self) -> None:
        self._edit("Fade out", lambda c: audio_edit.fade(c.samples, c.sample_rate, 0.0, self._fade_length()))

    def apply_gain(self) -> None:
        self._edit("Gain", lambda c: audio_edit.gain(c.samples, self.gain_db.value()))

    def normalise(self) -> None:
        self._edit("Normalise", lambda c: audio_edit.normalise(c.samples))

    def choose_export(self) -> None:
        clip = self.current_clip()
        if clip is None:
            return
        start = str(self.ctx.paths.data_dir / f"{clip.name}.wav")
        path, chosen = QFileDialog.getSaveFileName(self, "Export clip", start, EXPORT_FILTER)
        if path:
            fmt = "flac" if path.lower().endswith(".flac") or "FLAC" in chosen else "wav"
            self.export_clip(clip, Path(path), fmt)

    def export_clip(self, clip: Clip, path: Path, fmt: str) -> bool:
        try:
            audio_edit.write_audio(path, clip.samples, clip.sample_rate, fmt=fmt, tags=self.clip_tags(clip))
        except UserError as exc:
            show_error(self, "Could not export", str(exc))
            return False
        return True

    def clip_tags(self, clip: Clip) -> dict[str, str]:
        tags = {"title": clip.name, "software": "AIGC Desktop"}
        entry = self.project.find_history(clip.spec_id) if clip.spec_id else None
        if entry is not None:
            what = entry.spec.inputs.get("prompt") or entry.spec.inputs.get("text") or ""
            tags["comment"] = f"AI-generated with {entry.spec.model_id} (seed {entry.spec.seed}): {str(what)[:200]}"
            tags["artist"] = f"AI-generated ({entry.spec.model_id})"
        return tags

    # ------------------------------------------------------------ playback

    def toggle_play(self) -> None:
        if self.player is not None and not self.player.finished:
            paused = self.play_button.text() == "Pause"
            self.player.pause(paused)
            self.play_button.setText("Play" if paused else "Pause")
            return
        clip = self.current_clip()
        if clip is None:
            return
        start = self.waveform.playhead_s or 0.0
        self._guard(lambda: self._play(clip, start))

    def _play(self, clip: Clip, start_s: float) -> None:
        self.stop_playback()
        self.player = StreamPlayer(clip.sample_rate)
        self._play_offset = start_s
        self.player.feed(clip.samples[int(start_s * clip.sample_rate) :])
        self.player.end()
        self.play_button.setText("Pause")
        self._timer.start()

    def stop_playback(self) -> None:
        if self.player is not None:
            self.player.stop()
            self.player = None
        self.play_button.setText("Play")
        self._timer.stop()

    def _on_seek(self, seconds: float) -> None:
        if self.player is not None:
            clip = self.current_clip()
            if clip is not None:
                self._play(clip, seconds)

    def _tick(self) -> None:
        if self.player is None:
            return
        at = getattr(self, "_play_offset", 0.0) + self.player.position_s
        self.position.setText(f"{at:.2f} s")
        self.waveform.set_playhead(at)
        if self.player.finished and self.player.position_s > 0:
            self.stop_playback()

    # ------------------------------------------------------------ generation

    def narrate_selection(self) -> None:
        selected, _whole = self.document_text()
        if not selected.strip():
            show_error(self, "Nothing selected", "Select some text in the Document pane first.")
            return
        self.speech_text.setPlainText(selected)
        self.generate_speech()

    def narrate_document(self) -> None:
        _selected, whole = self.document_text()
        if not whole.strip():
            show_error(self, "Empty document", "The document has no text to narrate yet.")
            return
        self.speech_text.setPlainText(whole)
        self.generate_speech()

    def _submit(self, spec: JobSpec, title: str) -> Job:
        job = self.ctx.queue.submit(spec, title=title)
        self._jobs[job.id] = _AudioJob(title)
        return job

    def generate_speech(self) -> Job | None:
        try:
            model_id = self.model_selector.current_model_id()
            if model_id is None:
                raise UserError(f"No voice is installed. Put a Piper voice into {self.ctx.paths.models_dir}.")
            text = self.speech_text.toPlainText()
            if not text.strip():
                raise UserError("Type or pick some text to narrate first.")
            params = SpeechParams(
                length_scale=1.0 / self.speed.value(),
                noise_scale=self.variation.value(),
                sentence_pause_s=self.pause.value(),
            )
            spec = speech_spec(model_id, text, params, parse_seed(self.speech_seed.text()))
        except UserError as exc:
            show_error(self, "Cannot narrate", str(exc))
            return None
        return self._submit(spec, "Narration")

    def generate_music(self) -> Job | None:
        try:
            model_id = self.music_model.current_model_id()
            if model_id is None:
                raise UserError(f"No music model is installed. Put a MusicGen folder into {self.ctx.paths.models_dir}.")
            prompt = self.music_prompt.toPlainText().strip()
            if not prompt:
                raise UserError("Describe the music first (e.g. “calm piano with soft rain”).")
            params = MusicParams(
                duration_s=self.duration.value(),
                guidance=self.guidance.value(),
                temperature=self.music_temperature.value(),
            )
            inputs: dict[str, str] = {}
            if self.continue_clip.isChecked():
                clip = self._require_clip()
                path = self.ctx.paths.cache_dir / f"continue-{clip.id}.wav"
                audio_edit.write_audio(path, clip.samples, clip.sample_rate, fmt="wav", tags={})
                inputs = {"continue_from": str(path), "continue_clip": clip.name}
            spec = music_spec(model_id, prompt, params, parse_seed(self.music_seed.text()), **inputs)
        except UserError as exc:
            show_error(self, "Cannot generate music", str(exc))
            return None
        return self._submit(spec, "Music")

    def stop_jobs(self) -> None:
        for job_id in list(self._jobs):
            self.ctx.queue.cancel(job_id)

    def _update_estimate(self, *_: object) -> None:
        from aigc_desktop.core.engines.music_musicgen import estimate_seconds, parameter_count

        model_id = self.music_model.current_model_id() if hasattr(self, "music_model") else None
        if model_id is None:
            self.estimate.setText("No music model installed: put a MusicGen folder into the models folder.")
            return
        try:
            parameters = parameter_count(self.ctx.registry.get(model_id).path)
        except (UserError, OSError, ValueError):
            parameters = None  # unreadable headers: estimate for musicgen-small
        seconds = estimate_seconds(self.duration.value(), "cpu", parameters)
        self.estimate.setText(
            f"Expected time on this CPU: about {seconds:.0f} s for {self.duration.value():.0f} s "
            "of music (music generation is slow without a GPU)."
        )

    def _on_partial(self, job: Job, payload: object) -> None:
        aj = self._jobs.get(job.id)
        if aj is None or not isinstance(payload, AudioChunk):
            return
        if job.spec.kind is not JobKind.SPEECH:
            return
        if aj.clip is None:
            aj.clip = Clip(self._clip_name(job.spec), payload.samples, payload.sample_rate, spec_id=job.spec.id)
            self.add_clip(aj.clip)
            if self.play_while.isChecked() and self.playback_problem is None:
                try:
                    aj.player = StreamPlayer(payload.sample_rate)
                    aj.player.feed(payload.samples)
                except UserError as exc:
                    self.playback_note.setText(str(exc))
                    self.playback_note.setVisible(True)
        else:
            if aj.player is not None:
                aj.player.feed(payload.samples)
            # A chapter is thousands of sentences: join and redraw at most twice a second, not per sentence.
            now = time.monotonic()
            if now - aj.shown > 0.5:
                aj.clip.samples = np.concatenate([*aj.pieces, payload.samples])
                aj.shown = now
                self.refresh(select=aj.clip.id)
        aj.pieces.append(payload.samples)

    def _on_progress(self, job: Job) -> None:
        if job.id in self._jobs and job.fraction is not None:
            self.info.setText(f"{self._jobs[job.id].title}: {job.fraction * 100:.0f} % {job.message}")

    def _clip_name(self, spec: JobSpec) -> str:
        words = str(spec.inputs.get("text") or spec.inputs.get("prompt") or "").split()
        return " ".join(words[:5])[:40] or spec.kind.value

    def _on_finished(self, job: Job, result: JobResult | None) -> None:
        aj = self._jobs.pop(job.id, None)
        if aj is None or result is None or not isinstance(result.output, AudioOutput):
            return
        out = result.output
        if aj.clip is None:
            aj.clip = Clip(self._clip_name(job.spec), out.samples, out.sample_rate, spec_id=job.spec.id)
            self.add_clip(aj.clip)
        else:
            aj.clip.samples = out.samples  # the engine's whole result is the exact truth
            self.refresh(select=aj.clip.id)
        if aj.player is not None:
            aj.player.end()
            self.player, self._play_offset = aj.player, 0.0
            self._timer.start()
        self._record(job.spec, HistoryStatus.FINISHED, aj, result.seconds, dict(result.metrics), [aj.clip.id])
        self.info.setText(f"{aj.title}: {out.duration_s:.1f} s of audio in {out.synthesis_s:.1f} s")

    def _on_ended(self, job: Job, *_: object) -> None:
        aj = self._jobs.pop(job.id, None)
        if aj is None:
            return
        if aj.player is not None:
            aj.player.stop()
        if aj.clip is not None:  # a stopped narration keeps the sentences it had
            aj.clip.samples = np.concatenate(aj.pieces)
            self.refresh(select=aj.clip.id)
            self._record(job.spec, HistoryStatus.CANCELLED, aj, time.time() - aj.started, {}, [aj.clip.id])

    def _record(
        self,
        spec: JobSpec,
        status: HistoryStatus,
        aj: _AudioJob,
        seconds: float,
        metrics: dict[str, object],
        refs: list[str],
    ) -> None:
        duration = aj.clip.duration_s if aj.clip is not None else 0.0
        summary = f"{duration:.1f} s of {spec.kind.value}"
        self.session.record(
            spec, status, started_at=aj.started, seconds=seconds, output_refs=refs, summary=summary, metrics=metrics
        )

    def regenerate_current(self) -> Job | None:
        clip = self.current_clip()
        entry = self.project.find_history(clip.spec_id) if clip is not None and clip.spec_id else None
        if entry is None:
            show_error(self, "Not generated here", "Only clips generated in this project can be regenerated.")
            return None
        return self.regenerate(entry)

    def show_output(self, ref: str, spec_id: str) -> None:
        self.refresh(select=ref)

    def load_spec(self, spec: JobSpec) -> None:
        """Put a recorded narration's or music's settings, text or prompt and seed into their tab."""
        seed = "" if spec.seed is None else str(spec.seed)
        if spec.kind is JobKind.SPEECH:
            sp = SpeechParams.from_spec(spec)
            self.speed.setValue(1.0 / sp.length_scale if sp.length_scale else 1.0)
            self.variation.setValue(sp.noise_scale)
            self.pause.setValue(sp.sentence_pause_s)
            self.speech_seed.setText(seed)
            self.speech_text.setPlainText(str(spec.inputs.get("text") or ""))
            self.side.setCurrentIndex(0)
        elif spec.kind is JobKind.MUSIC:
            mp = MusicParams.from_spec(spec)
            self.duration.setValue(mp.duration_s)
            self.guidance.setValue(mp.guidance)
            self.music_temperature.setValue(mp.temperature)
            self.music_seed.setText(seed)
            self.music_prompt.setPlainText(str(spec.inputs.get("prompt") or ""))
            self.side.setCurrentIndex(1)

    def regenerate(self, entry: HistoryEntry) -> Job:
        """Replay a recorded speech or music generation exactly; it comes back as a new clip."""
        return self._submit(entry.spec.replay(), "Regenerate")

    # -- drops

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_files(paths)
