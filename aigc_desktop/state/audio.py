"""The project's audio clips as the Audio pane (and any other view) sees them: the clips, which one is current, what
plays (`playback`), the undo stack of clip edits, and the speech and music generations that make clips.

Edits go through the undo stack (state/audio_commands.py), which marks the session edited; a generation is one
JobHandler: a narration's clip appears with its first sentence, grows as sentences arrive and can play while it is
generated; every generation that made a clip is recorded in the History as finished, cancelled or failed.

Status lines and refusals are marked `Msg`s (core/i18n.py), carried unchanged so the pane shows them in the
interface language; undo texts are set in it and set again by `retranslate` after a switch.
"""

from __future__ import annotations

import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QUndoStack

from aigc_desktop.core.audio import edit as audio_edit
from aigc_desktop.core.audio.job import AudioChunk, AudioOutput
from aigc_desktop.core.audio.playback import StreamPlayer
from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP, Msg
from aigc_desktop.core.media import read_audio_file
from aigc_desktop.core.project.model import Clip, HistoryEntry, HistoryStatus
from aigc_desktop.core.specs import JobKind, JobResult, JobSpec
from aigc_desktop.state.audio_commands import AddClip, ClipCommand, EditClipSamples, RemoveClip, RenameClip
from aigc_desktop.state.context import AppContext
from aigc_desktop.state.playback import Playback, PlaybackState
from aigc_desktop.state.session import ProjectSession
from aigc_desktop.workers.jobs import Job, JobHandler

REDRAW_S = 0.5  # a growing clip is joined and shown at most this often (a chapter is thousands of sentences)
CLIP_NAME_WIDTH = 40  # a generated clip's name: at most this many columns (a Chinese character takes two)


class AudioModel(QObject):
    clips_changed = Signal()  # a clip came or went, or a clip's name or samples changed
    current_changed = Signal()  # another clip (or none) is the current one
    status_changed = Signal(object)  # one line (a marked Msg) about the latest generation ("Narration: 40 % …")
    running_changed = Signal(bool)  # whether a generation of this model is queued or running (Stop)

    def __init__(self, ctx: AppContext, session: ProjectSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.session = session
        self.playback = Playback(self)
        self.undo_stack = QUndoStack(self)
        self.undo_stack.indexChanged.connect(session.mark_edited)
        self.current_id: str | None = None
        self._running: list[Job] = []
        session.project_replaced.connect(self._load)
        self._load()

    # ------------------------------------------------------------ the clips

    @property
    def clips(self) -> list[Clip]:
        return self.session.project.clips

    def _load(self) -> None:
        """Show the session's (new, opened or restored) project: nothing plays, undo starts afresh."""
        self.playback.stop()
        self.playback.seek(None, 0.0)
        self.undo_stack.clear()
        self.current_id = self.clips[0].id if self.clips else None
        self.clips_changed.emit()
        self.current_changed.emit()

    def find(self, clip_id: str) -> Clip | None:
        return self.session.project.find_clip(clip_id)

    def current_clip(self) -> Clip | None:
        return None if self.current_id is None else self.find(self.current_id)

    def require_clip(self) -> Clip:
        clip = self.current_clip()
        if clip is None:
            raise UserError(QT_TRANSLATE_NOOP("AudioModel", "Select a clip first."))
        return clip

    def set_current(self, clip_id: str | None) -> None:
        if clip_id is not None and self.find(clip_id) is None:
            return
        if clip_id != self.current_id:
            self.current_id = clip_id
            if self.playback.state is PlaybackState.STOPPED:
                self.playback.seek(clip_id, 0.0)  # a newly chosen clip plays from its start
            self.current_changed.emit()

    def _changed(self, select: str | None = None) -> None:
        """After any change to the clips: select `select`, or keep the current clip while it exists (else the
        first one), then tell the views."""
        before = self.current_id
        if select is not None:
            self.current_id = select
        elif self.current_id is None or self.find(self.current_id) is None:
            self.current_id = self.clips[0].id if self.clips else None
        self.clips_changed.emit()
        if self.current_id != before:
            if self.playback.state is PlaybackState.STOPPED:
                self.playback.seek(self.current_id, 0.0)
            self.current_changed.emit()

    # -- the changes themselves, without undo: the commands and the generations call these

    def insert_clip(self, index: int, clip: Clip) -> None:
        self.clips.insert(index, clip)
        self._changed(select=clip.id)

    def remove_clip(self, clip: Clip) -> None:
        if self.playback.clip_id == clip.id:
            self.playback.stop()
        self.clips.remove(clip)
        self._changed()

    def set_name(self, clip: Clip, name: str) -> None:
        clip.name = name
        self._changed(select=clip.id)

    def set_samples(self, clip: Clip, samples: np.ndarray, select: bool = True) -> None:
        clip.samples = samples
        self._changed(select=clip.id if select else None)

    # -- undoable edits

    def add_clip(self, clip: Clip) -> None:
        self.undo_stack.push(AddClip(self, clip))

    def import_file(self, path: Path) -> None:
        """A clip from an audio file (UserError when it is not readable audio), added as one undo step."""
        samples, rate = read_audio_file(path)
        self.add_clip(Clip(path.stem, samples, rate))

    def delete_clip(self, clip: Clip) -> None:
        self.undo_stack.push(RemoveClip(self, clip))

    def rename_clip(self, clip: Clip, name: str) -> None:
        name = name.strip()
        if name and name != clip.name:
            self.undo_stack.push(RenameClip(self, clip, name))

    def edit_samples(self, clip: Clip, samples: np.ndarray, label: Msg) -> None:
        """Any edit that replaces a clip's samples, as one undo step named by `label` ("Trim {name}"...)."""
        self.undo_stack.push(EditClipSamples(self, clip, samples, label))

    def trim(self, clip: Clip, start_s: float, end_s: float) -> None:
        trimmed = audio_edit.trim(clip.samples, clip.sample_rate, start_s, end_s)
        self.edit_samples(clip, trimmed, QT_TRANSLATE_NOOP("AudioCommands", "Trim {name}"))

    def fade_in(self, clip: Clip, seconds: float) -> None:
        faded = audio_edit.fade(clip.samples, clip.sample_rate, seconds, 0.0)
        self.edit_samples(clip, faded, QT_TRANSLATE_NOOP("AudioCommands", "Fade in {name}"))

    def fade_out(self, clip: Clip, seconds: float) -> None:
        faded = audio_edit.fade(clip.samples, clip.sample_rate, 0.0, seconds)
        self.edit_samples(clip, faded, QT_TRANSLATE_NOOP("AudioCommands", "Fade out {name}"))

    def apply_gain(self, clip: Clip, db: float) -> None:
        self.edit_samples(clip, audio_edit.gain(clip.samples, db), QT_TRANSLATE_NOOP("AudioCommands", "Gain {name}"))

    def normalise(self, clip: Clip) -> None:
        normalised = audio_edit.normalise(clip.samples)
        self.edit_samples(clip, normalised, QT_TRANSLATE_NOOP("AudioCommands", "Normalise {name}"))

    def retranslate(self) -> None:
        """The interface language changed: name every undo step in it (the Edit menu shows them)."""
        for i in range(self.undo_stack.count()):
            command = self.undo_stack.command(i)
            if isinstance(command, ClipCommand):
                command.retranslate()

    # -- what a clip says about itself outside the app

    def clip_tags(self, clip: Clip) -> dict[str, str]:
        """The tags an exported or dragged-out clip carries: its name, and what generated it."""
        tags = {"title": clip.name, "software": "AIGC Desktop"}
        entry = self.session.project.find_history(clip.spec_id) if clip.spec_id else None
        if entry is not None:
            what = entry.spec.inputs.get("prompt") or entry.spec.inputs.get("text") or ""
            tags["comment"] = f"AI-generated with {entry.spec.model_id} (seed {entry.spec.seed}): {str(what)[:200]}"
            tags["artist"] = f"AI-generated ({entry.spec.model_id})"
        return tags

    def export_clip(self, clip: Clip, path: Path, fmt: str) -> None:
        """Write `clip` as "wav" or "flac" with its tags; UserError when it cannot be written."""
        audio_edit.write_audio(path, clip.samples, clip.sample_rate, fmt=fmt, tags=self.clip_tags(clip))

    def origin(self, clip: Clip) -> HistoryEntry | None:
        """The generation that made `clip`, when it was made in this project."""
        return self.session.project.find_history(clip.spec_id) if clip.spec_id else None

    # ------------------------------------------------------------ playback of the current clip

    def toggle_play(self) -> None:
        """Play the current clip from the playhead, or pause / resume what plays. UserError without sound."""
        playback = self.playback
        if playback.state is PlaybackState.PLAYING:
            playback.pause()
        elif playback.state is PlaybackState.PAUSED:
            playback.resume()
        elif (clip := self.current_clip()) is not None:
            playback.play(clip, playback.position_s if playback.clip_id == clip.id else 0.0)

    def seek(self, seconds: float) -> None:
        """Move the playhead in the current clip; what plays (or is paused) goes on from there."""
        clip = self.current_clip()
        if clip is None:
            return
        if self.playback.state is PlaybackState.STOPPED:
            self.playback.seek(clip.id, seconds)
        else:
            self.playback.play(clip, seconds)

    # ------------------------------------------------------------ generations

    @property
    def running(self) -> bool:
        return bool(self._running)

    def submit(self, spec: JobSpec, title: str, play: bool = False) -> Job:
        """Queue a speech or music job; its clip comes back as a new clip. `title` names it in the queue and the
        status line (a marked Msg: shown translated). `play`: a narration plays as its sentences arrive (when sound
        can play)."""
        handler = _AudioGeneration(self, title, play and self.playback.problem is None)
        job = self.ctx.queue.submit(spec, title=title, handler=handler)
        self._running.append(job)
        self.running_changed.emit(True)
        return job

    def regenerate(self, entry: HistoryEntry, play: bool = False) -> Job:
        """Replay a recorded speech or music generation exactly; it comes back as a new clip."""
        title = QT_TRANSLATE_NOOP("AudioModel", "Regenerate")
        return self.submit(entry.spec.replay(), title, play and entry.spec.kind is JobKind.SPEECH)

    def stop(self) -> None:
        for job in list(self._running):
            self.ctx.queue.cancel(job.id)

    def continuation_inputs(self, clip: Clip) -> dict[str, str]:
        """The music job inputs that continue `clip` (written to the cache as a WAV the engine reads)."""
        path = self.ctx.paths.cache_dir / f"continue-{clip.id}.wav"
        audio_edit.write_audio(path, clip.samples, clip.sample_rate, fmt="wav", tags={})
        return {"continue_from": str(path), "continue_clip": clip.name}

    def _ended(self, job: Job) -> None:
        if job in self._running:
            self._running.remove(job)
        self.running_changed.emit(bool(self._running))


def clip_name(spec: JobSpec) -> str:
    """A generated clip's name: the first words of its text or prompt (Chinese, written without spaces: its first
    characters), at most CLIP_NAME_WIDTH columns; without any, "Narration" or "Music" in the interface language."""
    words = str(spec.inputs.get("text") or spec.inputs.get("prompt") or "").split()
    name, width = "", 0
    for ch in " ".join(words[:5]):
        width += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        if width > CLIP_NAME_WIDTH:
            break
        name += ch
    if name.strip():
        return name.strip()
    if spec.kind is JobKind.MUSIC:
        return QCoreApplication.translate("AudioModel", "Music")
    return QCoreApplication.translate("AudioModel", "Narration")


@dataclass(eq=False)
class _AudioGeneration(JobHandler):
    model: AudioModel
    title: str
    play: bool  # play the sentences as they arrive
    clip: Clip | None = None  # a narration's: made with the first sentence, then grows
    player: StreamPlayer | None = None
    pieces: list[np.ndarray] = field(default_factory=list)
    started_at: float = field(default_factory=time.time)
    shown: float | None = None  # when the growing clip was last joined and shown (monotonic; None: not yet)

    def progress(self, job: Job) -> None:
        if job.fraction is not None:
            status = QT_TRANSLATE_NOOP("AudioModel", "{title}: {percent} % {message}")
            self.model.status_changed.emit(
                status.format(title=self.title, percent=f"{job.fraction * 100:.0f}", message=job.message)
            )

    def partial(self, job: Job, payload: object) -> None:
        if not isinstance(payload, AudioChunk):
            return
        model = self.model
        if self.clip is None:
            self.clip = Clip(clip_name(job.spec), payload.samples, payload.sample_rate, spec_id=job.spec.id)
            model.add_clip(self.clip)
            if self.play:
                self.player = model.playback.stream(self.clip.id, payload.sample_rate)
        elif self.shown is None or time.monotonic() - self.shown > REDRAW_S:
            model.set_samples(self.clip, np.concatenate([*self.pieces, payload.samples]), select=False)
            self.shown = time.monotonic()
        if self.player is not None:
            self.player.feed(payload.samples)
        self.pieces.append(payload.samples)

    def finished(self, job: Job, result: JobResult | None) -> None:
        model = self.model
        model._ended(job)
        if result is None or not isinstance(result.output, AudioOutput):
            return
        out = result.output
        if self.clip is None:
            self.clip = Clip(clip_name(job.spec), out.samples, out.sample_rate, spec_id=job.spec.id)
            model.add_clip(self.clip)
        else:
            model.set_samples(self.clip, out.samples, select=False)  # the engine's whole result is the exact truth
        if self.player is not None:
            self.player.end()
        self._record(job, HistoryStatus.FINISHED, result.seconds, dict(result.metrics))
        status = QT_TRANSLATE_NOOP("AudioModel", "{title}: {length} s of audio in {seconds} s")
        model.status_changed.emit(
            status.format(title=self.title, length=f"{out.duration_s:.1f}", seconds=f"{out.synthesis_s:.1f}")
        )

    def cancelled(self, job: Job) -> None:
        if job.refused:  # never sent (plain http not confirmed): nothing was made or stopped, the reason is the status
            self.model._ended(job)
            self.model.status_changed.emit(job.refused)
            return
        self._end_early(job, HistoryStatus.CANCELLED)

    def failed(self, job: Job, message: str) -> None:
        self._end_early(job, HistoryStatus.FAILED)

    def _end_early(self, job: Job, status: HistoryStatus) -> None:
        """Stopped or failed: a narration keeps the sentences it had, and is recorded as what happened to it."""
        model = self.model
        model._ended(job)
        if self.player is not None:
            model.playback.release(self.player)
        if self.clip is None:
            if status is HistoryStatus.CANCELLED:
                model.status_changed.emit(QT_TRANSLATE_NOOP("AudioModel", "{title}: stopped").format(title=self.title))
            else:
                model.status_changed.emit(QT_TRANSLATE_NOOP("AudioModel", "{title}: failed").format(title=self.title))
            return
        model.set_samples(self.clip, np.concatenate(self.pieces), select=False)
        self._record(job, status, None, {})

    def _record(self, job: Job, status: HistoryStatus, seconds: float | None, metrics: dict[str, object]) -> None:
        assert self.clip is not None
        self.model.session.record(
            job.spec,
            status,
            started_at=self.started_at,
            seconds=seconds,
            output_refs=[self.clip.id],
            summary=f"{self.clip.duration_s:.1f} s of {job.spec.kind.value}",
            metrics=metrics,
        )
