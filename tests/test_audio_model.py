"""The AudioModel without any widget: the current clip through edits and undo, playback state and position as signals,
and how generations end up in the History (finished, cancelled, failed). Real queue and worker; the fake speech
engine stands in for Piper, a fake sound device for PortAudio."""

from __future__ import annotations

import threading
import types
from collections.abc import Iterator

import numpy as np
import pytest
from fakes import FakeOutputStream, FakeSpeechEngine
from PySide6.QtWidgets import QApplication

from aigc_desktop.core.audio import playback as core_playback
from aigc_desktop.core.audio.job import SpeechParams, speech_spec
from aigc_desktop.core.engines import base
from aigc_desktop.core.errors import UserError
from aigc_desktop.core.paths import AppPaths
from aigc_desktop.core.project.model import Clip, HistoryStatus, Project
from aigc_desktop.core.specs import ModelKind
from aigc_desktop.state.audio import AudioModel
from aigc_desktop.state.context import AppContext
from aigc_desktop.state.playback import Playback, PlaybackState
from aigc_desktop.state.session import ProjectSession

RATE = 16000


@pytest.fixture(autouse=True)
def fake_voice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(base.ENGINE_CLASSES, (ModelKind.SPEECH, "piper"), "fakes:FakeSpeechEngine")
    monkeypatch.setattr(FakeSpeechEngine, "delay", 0.0)
    monkeypatch.setattr(FakeSpeechEngine, "fail_after", None)
    monkeypatch.setattr(FakeSpeechEngine, "hold", None)


@pytest.fixture
def speakers(monkeypatch: pytest.MonkeyPatch) -> None:
    """A sound device that exists: sounddevice replaced by a fake with one output."""
    fake = types.SimpleNamespace(
        query_devices=lambda: [{"name": "fake", "max_output_channels": 2}], OutputStream=FakeOutputStream
    )
    monkeypatch.setattr(core_playback, "_sounddevice", lambda: fake)
    FakeOutputStream.instances.clear()


@pytest.fixture
def model(qtbot, paths: AppPaths) -> Iterator[AudioModel]:  # type: ignore[no-untyped-def]
    ctx = AppContext.start(paths)
    session = ProjectSession(ctx.registry)
    audio = AudioModel(ctx, session)
    yield audio
    audio.playback.stop()
    ctx.queue.shutdown()


def tone(name: str, seconds: float = 1.0) -> Clip:
    t = np.arange(int(seconds * RATE)) / RATE
    return Clip(name, (0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32), RATE)


def narrate(model: AudioModel, text: str, play: bool = False):  # type: ignore[no-untyped-def]
    voice = model.ctx.registry.default_for(ModelKind.SPEECH)
    assert voice is not None
    return model.submit(speech_spec(voice.id, text, SpeechParams(), seed=1), "Narration", play=play)


def wait_done(qtbot, model: AudioModel) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: model.ctx.queue.idle() and not model.running, timeout=20_000)


# ---------------------------------------------------------------- the current clip


def test_the_current_clip_survives_delete_and_undo(model: AudioModel, qtbot) -> None:  # type: ignore[no-untyped-def]
    a, b, c = tone("a"), tone("b"), tone("c")
    for clip in (a, b, c):
        model.add_clip(clip)
    assert model.current_id == c.id  # an added clip becomes the current one
    model.set_current(b.id)
    with qtbot.waitSignal(model.current_changed):
        model.delete_clip(b)
    assert model.clips == [a, c] and model.current_id == a.id  # the first clip takes over
    with qtbot.waitSignal(model.current_changed):
        model.undo_stack.undo()
    assert model.clips == [a, b, c] and model.current_id == b.id  # undo brings it back, current again

    # deleting another clip leaves the current one alone; undoing that delete shows what came back
    model.delete_clip(c)
    assert model.clips == [a, b] and model.current_id == b.id
    model.undo_stack.undo()
    assert model.clips == [a, b, c] and model.current_id == c.id

    # undoing an add: the current clip goes, the first takes over; redo makes it current again
    model.undo_stack.undo()
    assert model.clips == [a, b] and model.current_id == a.id
    model.undo_stack.redo()
    assert model.clips[-1] is c and model.current_id == c.id


def test_edits_are_undoable_signalled_and_mark_the_session_edited(model: AudioModel, qtbot) -> None:  # type: ignore[no-untyped-def]
    clip = tone("voice")
    model.add_clip(clip)
    model.session.dirty = False
    original = clip.samples
    with qtbot.waitSignal(model.clips_changed):
        model.trim(clip, 0.25, 0.75)
    assert clip.duration_s == pytest.approx(0.5) and model.session.dirty
    model.rename_clip(clip, "  take two ")
    assert clip.name == "take two"
    model.rename_clip(clip, "take two")  # no change: no undo step
    assert model.undo_stack.count() == 3
    model.undo_stack.undo()
    model.undo_stack.undo()
    assert clip.name == "voice" and clip.samples is original


def test_a_replaced_project_starts_afresh(model: AudioModel, qtbot) -> None:  # type: ignore[no-untyped-def]
    model.add_clip(tone("old"))
    opened = Project()
    first, second = tone("first"), tone("second")
    opened.clips = [first, second]
    with qtbot.waitSignals([model.clips_changed, model.current_changed]):
        model.session.replace(opened, None)
    assert model.clips == [first, second] and model.current_id == first.id
    assert not model.undo_stack.canUndo() and not model.session.dirty


# ---------------------------------------------------------------- playback


def test_playback_state_and_position_are_signals_of_the_model(model: AudioModel, qtbot, speakers: None) -> None:  # type: ignore[no-untyped-def]
    widgets_before = set(QApplication.allWidgets())
    model.playback.problem = None
    clip = tone("voice", 0.5)
    model.add_clip(clip)
    states: list[PlaybackState] = []
    model.playback.state_changed.connect(states.append)
    model.toggle_play()
    assert states == [PlaybackState.PLAYING] and model.playback.clip_id == clip.id
    (stream,) = FakeOutputStream.instances
    stream.pull(RATE // 4)
    with qtbot.waitSignal(model.playback.position_changed, timeout=2000) as moved:
        pass
    assert moved.args == [pytest.approx(0.25)]
    model.toggle_play()
    assert states[-1] is PlaybackState.PAUSED
    assert not np.any(stream.pull(100))  # type: ignore[arg-type]  # paused: silence
    model.toggle_play()
    assert states[-1] is PlaybackState.PLAYING
    stream.pull(RATE)  # the rest of the clip
    qtbot.waitUntil(lambda: model.playback.state is PlaybackState.STOPPED, timeout=2000)
    assert model.playback.position_s == pytest.approx(0.5) and stream.closed
    assert states == [PlaybackState.PLAYING, PlaybackState.PAUSED, PlaybackState.PLAYING, PlaybackState.STOPPED]

    model.toggle_play()  # at the end: plays again from the start
    assert model.playback.position_s == 0.0 and model.playback.state is PlaybackState.PLAYING
    model.playback.stop()
    model.seek(0.2)  # stopped: only the playhead moves
    assert model.playback.state is PlaybackState.STOPPED and model.playback.position_s == pytest.approx(0.2)
    model.toggle_play()
    assert model.playback.position_s == pytest.approx(0.2)
    model.seek(0.4)  # playing: goes on from there
    assert model.playback.state is PlaybackState.PLAYING and model.playback.position_s == pytest.approx(0.4)
    model.delete_clip(clip)  # what plays is gone: silence
    assert model.playback.state is PlaybackState.STOPPED
    assert set(QApplication.allWidgets()) <= widgets_before  # none of this needed a widget


def test_without_sound_play_says_why(model: AudioModel, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_portaudio() -> object:
        raise OSError("PortAudio library not found")

    monkeypatch.setattr(core_playback, "_sounddevice", no_portaudio)
    assert "PortAudio" in (Playback().problem or "")
    model.add_clip(tone("voice"))
    with pytest.raises(UserError, match="PortAudio"):
        model.toggle_play()
    assert model.playback.state is PlaybackState.STOPPED


# ---------------------------------------------------------------- generations and the History


def test_a_narration_plays_as_it_is_made_and_is_recorded_finished(model: AudioModel, qtbot, speakers: None) -> None:  # type: ignore[no-untyped-def]
    model.playback.problem = None
    job = narrate(model, "One. Two. Three.", play=True)
    assert model.running
    wait_done(qtbot, model)
    (clip,) = model.clips
    assert clip.spec_id == job.spec.id and clip.duration_s == pytest.approx(3 * 0.2 + 2 * 0.25, abs=0.002)
    assert model.current_id == clip.id
    assert model.playback.state is PlaybackState.PLAYING and model.playback.clip_id == clip.id
    (stream,) = FakeOutputStream.instances
    np.testing.assert_allclose(stream.pull(len(clip.samples))[:100], clip.samples[:100])  # type: ignore[index]
    (entry,) = model.session.project.history
    assert entry.status is HistoryStatus.FINISHED and entry.output_refs == [clip.id]


def test_a_failed_narration_is_recorded_failed_with_its_sentences(model: AudioModel, qtbot, speakers: None) -> None:  # type: ignore[no-untyped-def]
    model.playback.problem = None
    FakeSpeechEngine.fail_after = 1
    statuses: list[str] = []
    model.status_changed.connect(statuses.append)
    narrate(model, "One. Two. Three.", play=True)
    wait_done(qtbot, model)
    (clip,) = model.clips
    assert clip.duration_s == pytest.approx(0.2, abs=0.002)
    (entry,) = model.session.project.history
    assert entry.status is HistoryStatus.FAILED and entry.output_refs == [clip.id]
    assert model.playback.state is PlaybackState.STOPPED  # its stream was silenced

    FakeSpeechEngine.fail_after = 0  # broke before the first sentence: nothing to keep, nothing recorded
    narrate(model, "One. Two.")
    wait_done(qtbot, model)
    assert len(model.clips) == 1 and len(model.session.project.history) == 1
    assert statuses[-1] == "Narration: failed"


def test_a_stopped_narration_is_recorded_cancelled_with_the_sentences_it_had(model: AudioModel, qtbot) -> None:  # type: ignore[no-untyped-def]
    FakeSpeechEngine.hold = threading.Event()  # never set: the narration waits after its first sentence until Stop
    narrate(model, ". ".join(f"Sentence {i}" for i in range(40)))
    qtbot.waitUntil(lambda: len(model.clips) == 1, timeout=10_000)
    with qtbot.waitSignal(model.running_changed, timeout=5000):
        model.stop()
    wait_done(qtbot, model)
    (clip,) = model.clips
    assert clip.duration_s == pytest.approx(0.2, abs=0.002)
    (entry,) = model.session.project.history
    assert entry.status is HistoryStatus.CANCELLED and entry.output_refs == [clip.id]
