"""The Audio pane under pytest-qt: narration streamed sentence by sentence into a clip that starts playing at the
first sentence, music generation, clip editing, export and playback without a device. Real queue and worker; fake
engines stand in for Piper and MusicGen (their own tests load the real ones)."""

from __future__ import annotations

import json
import threading
import types
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import soundfile
from fakes import FakeOutputStream, FakeSpeechEngine
from PySide6.QtWidgets import QMessageBox

from aigc_desktop.core.audio import playback
from aigc_desktop.core.audio.playback import StreamPlayer, playback_problem
from aigc_desktop.core.engines import base
from aigc_desktop.core.project.model import Clip
from aigc_desktop.core.specs import ModelKind
from aigc_desktop.state.playback import PlaybackState
from aigc_desktop.ui.main_window import MainWindow


@pytest.fixture(autouse=True)
def fake_audio_engines(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setitem(base.ENGINE_CLASSES, (ModelKind.SPEECH, "piper"), "fakes:FakeSpeechEngine")
    monkeypatch.setitem(base.ENGINE_CLASSES, (ModelKind.MUSIC, "transformers"), "fakes:FakeMusicEngine")
    monkeypatch.setattr(FakeSpeechEngine, "delay", 0.0)
    monkeypatch.setattr(FakeSpeechEngine, "fail_after", None)
    monkeypatch.setattr(FakeSpeechEngine, "hold", None)
    yield


@pytest.fixture
def speakers(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A sound device that exists: sounddevice replaced by a fake with one output."""
    fake = types.SimpleNamespace(
        query_devices=lambda: [{"name": "fake", "max_output_channels": 2}], OutputStream=FakeOutputStream
    )
    monkeypatch.setattr(playback, "_sounddevice", lambda: fake)
    FakeOutputStream.instances.clear()
    yield


def no_portaudio() -> object:
    raise OSError("PortAudio library not found")


def audio(window: MainWindow):  # type: ignore[no-untyped-def]
    window.show_pane(window.audio_pane)
    return window.audio_pane


def errors(window: MainWindow) -> list[str]:
    return [b.text() for b in window.findChildren(QMessageBox, "errorDialog") if b.isVisible()]


def wait_idle(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: window.ctx.queue.idle() and not window.audio_model.running, timeout=20_000)


def test_playback_absence_is_said_once_and_nothing_else_breaks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(playback, "_sounddevice", no_portaudio)
    assert "PortAudio" in (playback_problem() or "")
    fake = types.SimpleNamespace(query_devices=lambda: [{"name": "in", "max_output_channels": 0}])
    monkeypatch.setattr(playback, "_sounddevice", lambda: fake)
    assert "no sound output device" in (playback_problem() or "")
    with pytest.raises(Exception, match="no sound output device"):
        StreamPlayer(16000)


def test_stream_player_plays_pieces_in_order_while_they_are_fed(speakers: None) -> None:
    player = StreamPlayer(16000, blocksize=4)
    (stream,) = FakeOutputStream.instances
    player.feed(np.array([0.1, 0.2, 0.3], np.float32))
    player.feed(np.array([0.4, 0.5], np.float32))
    np.testing.assert_allclose(stream.pull(4), [0.1, 0.2, 0.3, 0.4])  # type: ignore[arg-type]
    player.end()
    np.testing.assert_allclose(stream.pull(4), [0.5, 0, 0, 0])  # type: ignore[arg-type]
    assert player.finished and player.position_s == pytest.approx(5 / 16000)
    player.stop()
    assert stream.closed


def test_narration_streams_into_a_clip_that_plays_from_the_first_sentence(  # type: ignore[no-untyped-def]
    window: MainWindow, qtbot, speakers: None
) -> None:
    FakeSpeechEngine.hold = threading.Event()  # the voice waits after the first sentence until the test lets it go
    pane = audio(window)
    pane.speech.play_while.setChecked(True)
    window.audio_model.playback.problem = None
    pane.speech.text.setPlainText("First sentence. Second one. Third and last.")
    pane.speech.seed.setText("11")
    job = pane.generate_speech()
    assert job is not None and job.spec.params["length_scale"] == pytest.approx(1.0)
    qtbot.waitUntil(lambda: len(window.session.project.clips) == 1, timeout=10_000)
    assert window.ctx.queue.running()  # the clip exists and plays while the rest is synthesised
    (stream,) = FakeOutputStream.instances
    assert np.abs(stream.pull(1000)).max() > 0.1  # type: ignore[attr-defined]
    assert window.audio_model.playback.state is PlaybackState.PLAYING and pane.play_button.text() == "Pause"
    qtbot.waitUntil(lambda: pane.position.text() != "0.00 s", timeout=5000)  # the transport shows what plays
    FakeSpeechEngine.hold.set()
    wait_idle(qtbot, window)
    (clip,) = window.session.project.clips
    assert clip.spec_id == job.spec.id and clip.sample_rate == FakeSpeechEngine.RATE
    expected = 3 * 0.2 + 2 * 0.25
    assert clip.duration_s == pytest.approx(expected, abs=0.01)
    (entry,) = window.session.project.history
    assert entry.status == "finished" and entry.output_refs == [clip.id] and entry.spec.seed == 11
    assert "✦ AI" in pane.clip_list.item(0).text()


def test_narrate_takes_the_document_selection_or_all_of_it(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    window.document_pane.editor.setPlainText("One. Two.")
    pane = audio(window)
    pane.narrate_document()
    wait_idle(qtbot, window)
    assert window.session.project.history[-1].spec.inputs["text"] == "One. Two."
    pane.narrate_selection()
    assert any("Select some text" in e for e in errors(window))


def test_stop_keeps_the_sentences_already_spoken(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    FakeSpeechEngine.hold = threading.Event()  # never set: the narration waits after its first sentence until Stop
    pane = audio(window)
    pane.speech.text.setPlainText(". ".join(f"Sentence {i}" for i in range(30)))
    pane.generate_speech()
    qtbot.waitUntil(lambda: len(window.session.project.clips) == 1, timeout=10_000)
    with qtbot.waitSignal(window.ctx.queue.job_cancelled, timeout=5000):
        pane.stop_jobs()
    (clip,) = window.session.project.clips
    assert clip.duration_s == pytest.approx(0.2, abs=0.002)
    assert window.session.project.history[-1].status == "cancelled"


def test_a_failed_narration_keeps_its_sentences_and_is_recorded_as_failed(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    FakeSpeechEngine.fail_after = 2
    pane = audio(window)
    pane.speech.text.setPlainText("One. Two. Three. Four.")
    with qtbot.waitSignal(window.ctx.queue.job_failed, timeout=10_000):
        pane.generate_speech()
    wait_idle(qtbot, window)
    (clip,) = window.session.project.clips
    assert clip.duration_s == pytest.approx(0.2 + 0.25 + 0.2, abs=0.002)  # the two sentences spoken before it broke
    (entry,) = window.session.project.history
    assert entry.status == "failed" and entry.output_refs == [clip.id]
    assert any("voice broke" in e for e in errors(window))
    assert "✦ AI" in pane.clip_list.item(0).text()


def test_music_generation_with_estimate_and_regenerate(window: MainWindow, qtbot, paths) -> None:  # type: ignore[no-untyped-def]
    folder = paths.models_dir / "tiny-musicgen"
    folder.mkdir(parents=True)
    (folder / "config.json").write_text(
        json.dumps({"model_type": "musicgen", "architectures": ["MusicgenForConditionalGeneration"]})
    )
    (folder / "model.safetensors").write_bytes(b"\x08\x00\x00\x00\x00\x00\x00\x00{}      ")
    pane = audio(window)
    pane.refresh_models()
    assert pane.music.model.current_model_id() == "tiny-musicgen"
    pane.music.duration.setValue(2.0)
    assert "Expected time on this CPU" in pane.music.estimate.text()
    pane.music.prompt.setPlainText("calm piano")
    pane.music.seed.setText("5")
    job = pane.generate_music()
    assert job is not None
    wait_idle(qtbot, window)
    (clip,) = window.session.project.clips
    assert clip.duration_s == pytest.approx(2.0)
    pane.clip_list.setCurrentRow(0)
    again = pane.regenerate_current()
    assert again is not None and again.spec.seed == 5
    wait_idle(qtbot, window)
    np.testing.assert_array_equal(window.session.project.clips[1].samples, clip.samples)


def test_clip_edits_are_undoable_and_export_carries_provenance(window: MainWindow, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pane = audio(window)
    pane.speech.text.setPlainText("Hello there. General greeting.")
    pane.speech.seed.setText("3")
    pane.generate_speech()
    wait_idle(qtbot, window)
    (clip,) = window.session.project.clips
    original = clip.samples.copy()
    pane.waveform.set_selection(0.1, 0.3)
    pane.trim_to_selection()
    assert clip.duration_s == pytest.approx(0.2, abs=0.002)
    pane.normalise()
    assert np.abs(clip.samples).max() == pytest.approx(10 ** (-1 / 20), rel=1e-3)
    pane.undo()
    pane.undo()
    np.testing.assert_array_equal(clip.samples, original)
    out = tmp_path / "hello.flac"
    assert pane.export_clip(clip, out, "flac")
    data, rate = soundfile.read(out, dtype="float32")
    assert rate == clip.sample_rate and len(data) == len(clip.samples)
    with soundfile.SoundFile(out) as f:
        assert "AI-generated" in (f.comment or "") and "seed 3" in (f.comment or "")


def test_trim_without_selection_explains_itself(window: MainWindow) -> None:
    pane = audio(window)
    pane.model.add_clip(Clip("tone", np.zeros(1600, np.float32), 16000))
    pane.trim_to_selection()
    assert any("Drag across the waveform" in e for e in errors(window))


def test_empty_text_and_missing_music_model_give_messages(window: MainWindow) -> None:
    pane = audio(window)
    assert pane.generate_speech() is None
    assert pane.generate_music() is None
    joined = " ".join(errors(window))
    assert "Type or pick some text" in joined and "No music model is installed" in joined
    assert window.ctx.queue.idle()


def test_a_long_chapter_streams_into_one_clip(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    pane = audio(window)
    chapter = " ".join(f"Sentence number {i} goes on for a few more words." for i in range(600))  # ~5,400 words
    pane.speech.text.setPlainText(chapter)
    pane.generate_speech()
    wait_idle(qtbot, window)
    (clip,) = window.session.project.clips
    assert clip.duration_s == pytest.approx(600 * 0.2 + 599 * 0.25, abs=0.05)


def test_an_edit_clears_the_selection_it_was_made_on(window: MainWindow) -> None:
    pane = audio(window)
    pane.model.add_clip(Clip("tone", np.ones(16000, np.float32) * 0.1, 16000))
    pane.waveform.set_selection(0.2, 0.6)
    pane.trim_to_selection()
    assert pane.model.current_clip().duration_s == pytest.approx(0.4)  # type: ignore[union-attr]
    assert pane.waveform.selection is None
