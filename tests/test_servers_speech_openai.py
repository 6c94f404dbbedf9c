"""Speech on an OpenAI-style `/v1/audio/speech` server (Kokoro-FastAPI, openedai-speech), through a stub: neither
server is on PyPI in a form that runs here without its models, so a stdlib server in a thread answers as they do
(Kokoro-FastAPI's `/v1/audio/voices` {"voices": [...]}, OpenAI's request fields, WAV answers) and produces on demand
what the real ones do only sometimes: 401, a 500 after some sentences, a refused connection, silence, Stop during a
sentence, a streaming WAV header, and the dialect test that tells them from Piper's server and from text servers."""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
import threading
import wave
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile
from local_server import free_port
from server_stubs import Handler, Stub, models_route

from aigc_desktop.core.audio.job import AudioChunk, AudioOutput, SpeechParams, speech_spec
from aigc_desktop.core.audio.sentences import split_sentences
from aigc_desktop.core.engines.base import CancelToken, RunContext
from aigc_desktop.core.engines.host import EngineHost
from aigc_desktop.core.engines.speech_server import SpeechInterrupted
from aigc_desktop.core.errors import JobCancelled
from aigc_desktop.core.models.registry import ModelRegistry
from aigc_desktop.core.paths import AppPaths
from aigc_desktop.core.servers.config import ServerConfig, ServerKind, ServerStore
from aigc_desktop.core.servers.http import HttpFailure, Reason
from aigc_desktop.core.servers.probing import probe
from aigc_desktop.core.servers.speech import OPENAI_VOICES, decode_wav
from aigc_desktop.core.specs import ModelKind

pytestmark = pytest.mark.timeout(60)  # a hang guard only: every stub answers (or is given up) in well under a second

REPO = Path(__file__).resolve().parent.parent
RATE = 24000  # Kokoro's
VOICE = "server:kokoro/af_bella"
EN = "The rain had stopped. Mr. Smith opened the window! Was it morning? Nobody knew."
ZH = "春天来了。花都开了！你看见了吗？“是的。”我说……然后我们走了"


def tone(sentence: str, rate: int = RATE) -> np.ndarray:
    """What the stub says for a sentence: a tone as long as the sentence, its pitch from the sentence's length."""
    t = np.arange(len(sentence) * rate // 50) / rate
    return (0.5 * np.sin(2 * np.pi * (200 + 10 * len(sentence)) * t)).astype(np.float32)


def wav_bytes(samples: np.ndarray, rate: int = RATE) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())
    return out.getvalue()


def pcm16(samples: np.ndarray) -> np.ndarray:
    return (np.clip(samples, -1, 1) * 32767).astype(np.int16).astype(np.float32) / 32767.0


def voices_route(h: Handler, body: Any) -> None:
    h.json(200, {"voices": ["zf_xiaobei", "af_bella", "am_adam"]})


def speech_route(fail_at: int | None = None, hang_at: int | None = None, rate: int = RATE) -> Any:
    count = {"n": 0}

    def route(h: Handler, body: Any) -> None:
        index = count["n"]
        count["n"] += 1
        if index == fail_at:
            h.json(500, {"detail": {"error": "processing_error", "message": "CUDA out of memory"}})
        elif index == hang_at:
            h.hang()
        else:
            h.raw(200, "audio/wav", wav_bytes(tone(body["input"], rate), rate))

    return route


@pytest.fixture
def stub() -> Iterator[Stub]:
    s = Stub().start()
    s.route("GET", "/v1/audio/voices", voices_route)
    yield s
    s.close()


def add(paths: AppPaths, url: str, key: str | None = None, **kw: Any) -> ServerConfig:
    store = ServerStore(paths)
    store.add(ServerConfig("kokoro", ServerKind.SPEECH, url, **kw), key, replace_existing=True)
    return store.get("kokoro")


def narrate(
    paths: AppPaths, text: str = EN, cancel: CancelToken | None = None, on_partial: Any = None
) -> tuple[AudioOutput, list[AudioChunk], dict[str, Any]]:
    chunks: list[AudioChunk] = []

    def partial(chunk: AudioChunk) -> None:
        chunks.append(chunk)
        if on_partial is not None:
            on_partial(chunk)

    host = EngineHost(ModelRegistry(paths))
    params = SpeechParams(length_scale=0.8, sentence_pause_s=0.1)
    try:
        result = host.run(speech_spec(VOICE, text, params, seed=1), RunContext(cancel=cancel or CancelToken(),
                                                                                 on_partial=partial))  # fmt: skip
    finally:
        host.unload_all()
    assert isinstance(result.output, AudioOutput)
    return result.output, chunks, result.metrics


def speech_bodies(stub: Stub) -> list[Any]:
    return [r.body for r in stub.requests if r.path == "/v1/audio/speech"]


# ---------------------------------------------------------------- what the test finds


def test_kokoro_is_found_by_its_voice_list(stub: Stub, paths: AppPaths) -> None:
    report = probe(add(paths, stub.url), None)
    assert report.dialect == "openai-speech" and report.models == ["af_bella", "am_adam", "zf_xiaobei"]
    ServerStore(paths).update(report.server)
    entries = ModelRegistry(paths).server_entries(ModelKind.SPEECH)
    assert [(e.id, e.backend) for e in entries] == [
        (VOICE, "openai-speech"),
        ("server:kokoro/am_adam", "openai-speech"),
        ("server:kokoro/zf_xiaobei", "openai-speech"),
    ]


def test_a_server_without_a_voice_list_is_offered_openais_voices(paths: AppPaths) -> None:
    stub = Stub().start()
    try:
        stub.route("GET", "/v1/models", models_route("openedai", ("tts-1", "tts-1-hd")))
        report = probe(add(paths, stub.url), None)
        assert report.dialect == "openai-speech" and report.models == list(OPENAI_VOICES)
        assert [str(n) for n in report.notes] == [
            "The server lists no voices; OpenAI's voice names are offered (servers such as openedai-speech map them "
            "to their own voices)."
        ]
    finally:
        stub.close()


def test_a_text_server_or_a_web_page_is_not_taken_for_a_speech_server(paths: AppPaths) -> None:
    stub = Stub().start()
    try:
        stub.route("GET", "/v1/models", models_route("llamacpp", ("gemma-3-270m",)))
        stub.route("GET", "/voices", lambda h, body: h.raw(200, "text/html", b"<html>voices</html>"))
        with pytest.raises(HttpFailure) as caught:
            probe(add(paths, stub.url), None)
        assert caught.value.reason is Reason.BAD_ANSWER
        assert str(caught.value).startswith("kokoro answered, but not as a speech server")
    finally:
        stub.close()


def test_401_names_the_missing_or_wrong_key_and_the_key_is_sent_as_a_bearer_token(stub: Stub, paths: AppPaths) -> None:
    def guarded(h: Handler, body: Any) -> None:
        if h.headers.get("Authorization") != "Bearer right":
            h.json(401, {"detail": "Invalid API key"})
        else:
            voices_route(h, body)

    stub.route("GET", "/v1/audio/voices", guarded)
    with pytest.raises(HttpFailure, match=r"kokoro needs an API key \(401 Unauthorized\)"):
        probe(add(paths, stub.url), None)
    with pytest.raises(HttpFailure, match=r"kokoro did not accept the API key \(401 Unauthorized\)"):
        probe(add(paths, stub.url, "wrong"), "wrong")
    assert probe(add(paths, stub.url, "right"), "right").models[0] == "af_bella"


# ---------------------------------------------------------------- narration


@pytest.mark.parametrize("text", [EN, ZH], ids=["en", "zh"])
def test_narration_streams_one_request_per_sentence_with_every_setting(stub: Stub, paths: AppPaths, text: str) -> None:
    stub.route("POST", "/v1/audio/speech", speech_route())
    add(paths, stub.url, dialect="openai-speech", models=("af_bella",))
    asked_at_first: list[int] = []
    output, chunks, metrics = narrate(paths, text, on_partial=lambda c: asked_at_first.append(len(speech_bodies(stub))))
    sentences = split_sentences(text)
    assert len(sentences) >= 4
    assert [b["input"] for b in speech_bodies(stub)] == sentences  # the local voices' splitting, Chinese included
    assert asked_at_first[0] == 1  # the first sentence was out before the second was asked for
    assert speech_bodies(stub)[0] == {
        "model": "tts-1",
        "input": sentences[0],
        "voice": "af_bella",
        "speed": 1.25,
        "response_format": "wav",
        "stream": False,
    }
    assert [c.text for c in chunks] == sentences and all(c.sample_rate == RATE for c in chunks)
    pause = np.zeros(round(0.1 * RATE), np.float32)
    expected = [pcm16(tone(s)) for s in sentences]
    np.testing.assert_array_equal(chunks[0].samples, expected[0])
    np.testing.assert_array_equal(chunks[1].samples, np.concatenate([pause, expected[1]]))
    whole = np.concatenate([expected[0], *(np.concatenate([pause, e]) for e in expected[1:])])
    np.testing.assert_array_equal(output.samples, whole)
    assert output.sample_rate == RATE and output.backend == "openai-speech"
    assert metrics["server"] == "kokoro" and metrics["server_model"] == "af_bella"
    assert metrics["reproducible"] is False and metrics["seeded"] is False


def test_a_500_midway_keeps_the_sentences_that_arrived(stub: Stub, paths: AppPaths) -> None:
    stub.route("POST", "/v1/audio/speech", speech_route(fail_at=2))
    add(paths, stub.url, dialect="openai-speech")
    with pytest.raises(SpeechInterrupted) as caught:
        narrate(paths)
    exc = caught.value
    assert str(exc) == "kokoro answered 500: CUDA out of memory The 2 sentence(s) that had arrived are kept."
    sentences = split_sentences(EN)
    pause = np.zeros(round(0.1 * RATE), np.float32)
    kept = np.concatenate([pcm16(tone(sentences[0])), pause, pcm16(tone(sentences[1]))])
    np.testing.assert_array_equal(exc.samples, kept)
    assert exc.sample_rate == RATE and exc.sentences == 2


def test_a_refused_connection_says_nothing_is_listening(paths: AppPaths) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    add(paths, url, dialect="openai-speech")
    with pytest.raises(HttpFailure) as caught:
        narrate(paths)
    assert caught.value.reason is Reason.REFUSED
    assert (
        str(caught.value) == f"kokoro refused the connection: nothing is listening at {url} (is the server running?)."
    )


def test_a_silent_server_is_given_up_after_its_timeout(stub: Stub, paths: AppPaths) -> None:
    stub.route("POST", "/v1/audio/speech", speech_route(hang_at=0))
    add(paths, stub.url, dialect="openai-speech", timeout_s=0.3)
    with pytest.raises(HttpFailure) as caught:
        narrate(paths)
    assert str(caught.value) == "kokoro sent nothing for 0.3 s; the request was given up."


def test_stop_during_a_sentence_closes_the_connection(stub: Stub, paths: AppPaths) -> None:
    stub.route("POST", "/v1/audio/speech", speech_route(hang_at=1))
    add(paths, stub.url, dialect="openai-speech")  # the default silence timeout (120 s): only Stop can end this
    cancel = CancelToken()
    first = threading.Event()

    def stop_while_the_second_is_made() -> None:
        first.wait(30)
        while len(speech_bodies(stub)) < 2:  # the second sentence's request is at the server, unanswered
            threading.Event().wait(0.01)
        cancel.cancel()

    stopper = threading.Thread(target=stop_while_the_second_is_made, daemon=True)
    stopper.start()
    with pytest.raises(JobCancelled):
        narrate(paths, cancel=cancel, on_partial=lambda c: first.set())
    stopper.join(10)
    assert stub.disconnected.wait(10), "the server never saw the client go"
    assert len(speech_bodies(stub)) == 2


def test_a_server_that_changes_its_rate_or_sends_no_wav_is_refused_with_what_arrived(
    stub: Stub, paths: AppPaths
) -> None:
    rates = iter([RATE, 22050])
    stub.route(
        "POST",
        "/v1/audio/speech",
        lambda h, body: h.raw(200, "audio/wav", wav_bytes(tone(body["input"]), next(rates))),
    )
    add(paths, stub.url, dialect="openai-speech")
    with pytest.raises(SpeechInterrupted, match=r"kokoro changed its sample rate midway \(24000 Hz, then 22050 Hz\)"):
        narrate(paths)
    stub.route("POST", "/v1/audio/speech", lambda h, body: h.raw(200, "audio/mpeg", b"ID3\x04mp3 data"))
    with pytest.raises(HttpFailure, match=r"kokoro did not answer with WAV audio \(audio/mpeg: not a WAV file\)"):
        narrate(paths)


# ---------------------------------------------------------------- WAV as servers send it


def test_wav_decoding_takes_streaming_headers_stereo_float_and_24_bit() -> None:
    samples = np.array([0.0, 0.5, -0.5, 0.25], np.float32)
    plain = wav_bytes(samples)
    decoded, rate = decode_wav(plain)
    assert rate == RATE
    np.testing.assert_array_equal(decoded, pcm16(samples))
    # Kokoro's streamed WAV: RIFF and data sizes unknown (0xFFFFFFFF), the data runs to the end.
    streamed = plain[:4] + b"\xff\xff\xff\xff" + plain[8:40] + b"\xff\xff\xff\xff" + plain[44:]
    np.testing.assert_array_equal(decode_wav(streamed)[0], pcm16(samples))
    for subtype in ("FLOAT", "PCM_24"):
        out = io.BytesIO()
        stereo = np.stack([samples, samples], axis=1)
        soundfile.write(out, stereo, 16000, format="WAV", subtype=subtype)
        decoded, rate = decode_wav(out.getvalue())
        assert rate == 16000
        np.testing.assert_allclose(decoded, samples, atol=1e-6)
    with pytest.raises(ValueError, match="not a WAV file"):
        decode_wav(b"ID3" + bytes(40))
    with pytest.raises(ValueError, match="is not supported"):
        fmt = struct.pack("<4sIHHIIHH", b"fmt ", 16, 2, 1, 8000, 4000, 1, 4)  # ADPCM
        decode_wav(b"RIFF\x00\x00\x00\x00WAVE" + fmt + b"data\x02\x00\x00\x00\x00\x00")


# ---------------------------------------------------------------- aigc speak --server


def aigc(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")  # AIGC_DESKTOP_HOME: the test's (conftest aigc_home)
    return subprocess.run(
        [sys.executable, "-m", "aigc_desktop", *args], capture_output=True, text=True, timeout=120, env=env, cwd=REPO
    )


@pytest.mark.slow
def test_aigc_speak_writes_what_arrived_before_a_failure_then_one_line(
    stub: Stub, paths: AppPaths, tmp_path: Path
) -> None:
    stub.route("POST", "/v1/audio/speech", speech_route(fail_at=2))
    add(paths, stub.url, dialect="openai-speech", models=("af_bella",))
    out = tmp_path / "partial.wav"
    done = aigc("speak", "--server", "kokoro", "--voice", "af_bella", "--text", EN, "--out", str(out))
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"aigc: kokoro answered 500: CUDA out of memory The 2 sentence(s) that had arrived are kept. Written to {out}."
    ]
    samples, rate = soundfile.read(out, dtype="float32")
    sentences = split_sentences(EN)
    assert rate == RATE and len(samples) == len(tone(sentences[0])) + round(0.25 * RATE) + len(tone(sentences[1]))


@pytest.mark.slow
def test_aigc_speak_asks_before_plain_http_to_another_machine(paths: AppPaths, tmp_path: Path) -> None:
    add(paths, "http://192.0.2.7:8880", dialect="openai-speech", models=("af_bella",))  # TEST-NET: never reached
    out = tmp_path / "x.wav"
    done = aigc("speak", "--server", "kokoro", "--voice", "af_bella", "--text", "Hello.", "--out", str(out))
    assert done.returncode == 2 and len(done.stderr.splitlines()) == 1
    assert "kokoro is reached over plain http on 192.0.2.7" in done.stderr and "Pass --yes" in done.stderr
    assert not out.exists()
