"""Speech on Piper's own HTTP server, started for real (`python -m piper.http_server`, piper-tts[http]) on 127.0.0.1
with the embedded joe voice: the test finds it, narration over it equals the local engine sample for sample, sentence
by sentence as it streams, and `aigc speak --server` writes the same speech (or says in one line why not).

Sample for sample needs both variation settings at 0: Piper's server draws its noise unseeded (a new sound each
request), and the local engine seeds its own; with no noise both compute the same network on the same phonemes.
The server sends 16-bit WAV (Piper's own float → int16 conversion), so the local result is compared after that same
conversion.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import soundfile
from local_server import free_port
from piper_server import JOE_VOICE, PiperServer, piper_server

from aigc_desktop.core.audio.job import AudioChunk, AudioOutput, SpeechParams, speech_spec
from aigc_desktop.core.audio.sentences import split_sentences
from aigc_desktop.core.engines.base import RunContext
from aigc_desktop.core.engines.host import EngineHost
from aigc_desktop.core.errors import UserError
from aigc_desktop.core.models.embedded import PIPER_ID
from aigc_desktop.core.models.registry import ModelRegistry
from aigc_desktop.core.paths import AppPaths
from aigc_desktop.core.servers.config import ServerConfig, ServerKind, ServerStore
from aigc_desktop.core.servers.entries import model_id
from aigc_desktop.core.servers.probing import probe
from aigc_desktop.core.specs import ModelKind

pytestmark = [pytest.mark.integration, pytest.mark.timeout(600)]  # hang guards; nothing here times anything

REPO = Path(__file__).resolve().parent.parent
EN_TEXT = "The rain had stopped. Mr. Smith opened the window, and the street smelled of wet stone! Was it morning?"
VOICE = model_id("piper", JOE_VOICE)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PiperServer]:
    with piper_server(tmp_path_factory.mktemp("piper") / "server.log") as s:
        yield s


def add_and_test(paths: AppPaths, url: str) -> ServerConfig:
    store = ServerStore(paths)
    store.add(ServerConfig("piper", ServerKind.SPEECH, url), replace_existing=True)
    report = probe(store.get("piper"), None)
    store.update(report.server)
    return report.server


def quantised(samples: np.ndarray) -> np.ndarray:
    """What Piper's server does to a float sentence before sending it (piper.voice.AudioChunk.audio_int16_array),
    read back as the client reads a 16-bit WAV."""
    return np.clip(samples * 32767.0, -32767.0, 32767.0).astype(np.int16).astype(np.float32) / 32767.0


def narrate(
    paths: AppPaths, model: str, text: str, params: SpeechParams, on_partial: object = None
) -> tuple[AudioOutput, list[AudioChunk], dict[str, object]]:
    chunks: list[AudioChunk] = []

    def partial(chunk: AudioChunk) -> None:
        chunks.append(chunk)
        if callable(on_partial):
            on_partial(chunk)

    host = EngineHost(ModelRegistry(paths))
    try:
        result = host.run(speech_spec(model, text, params, seed=3), RunContext(on_partial=partial))
    finally:
        host.unload_all()
    assert isinstance(result.output, AudioOutput)
    return result.output, chunks, result.metrics


def test_the_test_finds_pipers_server_and_lists_its_voices(server: PiperServer, paths: AppPaths) -> None:
    tested = add_and_test(paths, server.url)
    assert tested.dialect == "piper-http" and tested.models == (JOE_VOICE,)
    (entry,) = ModelRegistry(paths).server_entries(ModelKind.SPEECH)
    assert (entry.id, entry.backend, entry.kind) == (VOICE, "piper-http", ModelKind.SPEECH)
    assert ModelRegistry(paths).server_entries(ModelKind.TEXT) == []


@pytest.mark.parametrize("length_scale", [1.0, 1.3], ids=["pace-1", "slower"])
def test_narration_over_the_server_equals_local_synthesis_sample_for_sample(
    server: PiperServer, paths: AppPaths, length_scale: float
) -> None:
    add_and_test(paths, server.url)
    params = SpeechParams(length_scale=length_scale, noise_scale=0.0, noise_w=0.0, sentence_pause_s=0.3)
    before = server.synthesize_requests()
    asked_at_first_sentence: list[int] = []

    def first(chunk: AudioChunk) -> None:
        if chunk.index == 0:
            asked_at_first_sentence.append(server.synthesize_requests() - before)

    remote, chunks, metrics = narrate(paths, VOICE, EN_TEXT, params, first)
    local, local_chunks, _ = narrate(paths, PIPER_ID, EN_TEXT, params)

    sentences = split_sentences(EN_TEXT)
    assert len(sentences) == 3
    # Streamed as the local voice streams: one request per sentence, the first sentence out before the second is asked.
    assert asked_at_first_sentence == [1] and server.synthesize_requests() - before == len(sentences)
    assert [c.text for c in chunks] == [c.text for c in local_chunks] == sentences
    for mine, theirs in zip(chunks, local_chunks, strict=True):
        assert mine.sample_rate == theirs.sample_rate == 22050
        np.testing.assert_array_equal(mine.samples, quantised(theirs.samples))
    assert remote.sample_rate == local.sample_rate and remote.sentences == sentences
    np.testing.assert_array_equal(remote.samples, quantised(local.samples))
    assert remote.backend == "piper-http"
    assert metrics["server"] == "piper" and metrics["server_model"] == JOE_VOICE and metrics["reproducible"] is True


def test_with_variation_the_metrics_say_the_server_is_not_reproducible(server: PiperServer, paths: AppPaths) -> None:
    add_and_test(paths, server.url)
    output, chunks, metrics = narrate(paths, VOICE, "One sentence only.", SpeechParams())
    assert len(chunks) == 1 and output.duration_s > 0.3
    assert metrics["reproducible"] is False and metrics["seeded"] is False


def test_a_voice_the_server_lacks_and_a_text_the_voice_cannot_read_are_refused_before_any_synthesis(
    server: PiperServer, paths: AppPaths
) -> None:
    add_and_test(paths, server.url)
    before = server.synthesize_requests()
    # Piper's server would speak an unknown voice's text with its default voice, without a word: the app asks first.
    with pytest.raises(UserError, match=f"piper has no voice “en_GB-nobody”. Its voices: {JOE_VOICE}."):
        narrate(paths, model_id("piper", "en_GB-nobody"), "Hello.", SpeechParams())
    with pytest.raises(UserError, match="This voice speaks English; the text is Chinese"):
        narrate(paths, VOICE, "春天来了。花开了。", SpeechParams())
    assert server.synthesize_requests() == before


# ---------------------------------------------------------------- aigc speak --server


def aigc(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")  # AIGC_DESKTOP_HOME: the test's (conftest aigc_home)
    return subprocess.run(
        [sys.executable, "-m", "aigc_desktop", *args], capture_output=True, text=True, timeout=300, env=env, cwd=REPO
    )


def test_aigc_speak_on_the_server_writes_the_narration(server: PiperServer, paths: AppPaths, tmp_path: Path) -> None:
    add_and_test(paths, server.url)
    out = tmp_path / "narration.wav"
    done = aigc("speak", "--server", "piper", "--voice", JOE_VOICE, "--text", "Hello there. Goodbye.", "--json",
                "--out", str(out))  # fmt: skip
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["model"] == VOICE and report["server"] == "piper" and report["server_model"] == JOE_VOICE
    samples, rate = soundfile.read(out, dtype="float32")
    assert rate == 22050 and len(samples) / rate == pytest.approx(report["duration_s"], abs=0.01)
    assert report["duration_s"] > 0.8


def test_aigc_speak_bad_input_is_one_line_and_a_non_zero_exit(
    server: PiperServer, paths: AppPaths, tmp_path: Path
) -> None:
    add_and_test(paths, server.url)
    gone = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    ServerStore(paths).add(ServerConfig("gone", ServerKind.SPEECH, gone), replace_existing=True)
    out = str(tmp_path / "x.wav")
    cases = {
        ("--server", "piper"): f"--server needs --voice: which of piper's models? Models: {JOE_VOICE}.",
        ("--server", "nobody", "--voice", "x"): "No server called “nobody”. Servers: gone, piper.",
        ("--server", "piper", "--voice", "nobody"): f"piper has no voice “nobody”. Its voices: {JOE_VOICE}.",
        ("--server", "gone", "--voice", "x"): f"gone refused the connection: nothing is listening at {gone} "
        "(is the server running?).",
    }
    for args, message in cases.items():
        done = aigc("speak", *args, "--text", "Hello.", "--out", out)
        assert done.returncode == 2, (args, done.stderr)
        assert done.stderr.splitlines() == [f"aigc: {message}"], args
        assert not Path(out).exists()


# ---------------------------------------------------------------- the Audio pane


def choose_voice(pane: object, voice: str) -> None:
    selector = pane.model_selector  # type: ignore[attr-defined]
    pane.refresh_models()  # type: ignore[attr-defined]  # the servers file changed after the window was built
    index = selector.findData(voice)
    assert index >= 0, [selector.itemText(i) for i in range(selector.count())]
    selector.setCurrentIndex(index)
    selector.activated.emit(index)


def test_the_audio_pane_narrates_over_a_server_voice(server: PiperServer, paths: AppPaths, window, qtbot) -> None:  # type: ignore[no-untyped-def]
    add_and_test(paths, server.url)
    window.show_pane(window.audio_pane)
    pane = window.audio_pane
    choose_voice(pane, VOICE)
    assert pane.model_selector.currentText().strip() == JOE_VOICE
    pane.speech.play_while.setChecked(False)
    pane.speech.text.setPlainText("First light came early. Then the birds.")
    pane.speech.seed.setText("4")
    before = server.synthesize_requests()
    job = pane.generate_speech()
    assert job is not None and job.spec.model_id == VOICE
    qtbot.waitUntil(lambda: window.ctx.queue.idle() and not window.audio_model.running, timeout=120_000)
    (clip,) = window.session.project.clips
    (entry,) = window.session.project.history
    assert entry.status == "finished" and entry.output_refs == [clip.id] and entry.spec.model_id == VOICE
    assert entry.metrics["server"] == "piper" and entry.metrics["server_model"] == JOE_VOICE
    assert entry.metrics["sentences"] == 2 and server.synthesize_requests() - before == 2
    assert clip.sample_rate == 22050 and clip.duration_s == pytest.approx(entry.metrics["duration_s"], abs=0.001)


def test_the_audio_pane_says_why_a_server_cannot_narrate(paths: AppPaths, window, qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    url = f"http://127.0.0.1:{free_port()}"
    store = ServerStore(paths)
    store.add(ServerConfig("piper", ServerKind.SPEECH, url, dialect="piper-http", models=(JOE_VOICE,)))
    window.show_pane(window.audio_pane)
    pane = window.audio_pane
    choose_voice(pane, VOICE)
    pane.speech.text.setPlainText("Hello.")
    with qtbot.waitSignal(window.ctx.queue.job_failed, timeout=60_000):
        pane.generate_speech()
    qtbot.waitUntil(lambda: bool(window.findChildren(QMessageBox, "errorDialog")), timeout=10_000)
    texts = [b.text() for b in window.findChildren(QMessageBox, "errorDialog") if b.isVisible()]
    assert any(f"piper refused the connection: nothing is listening at {url}" in t for t in texts), texts
    assert window.session.project.clips == [] and window.session.project.history == []  # nothing made, nothing lost
