"""The sentence loop every speech engine shares: check the text, speak it sentence by sentence, stream each sentence
as soon as it is ready (the pane starts playback at the first), and assemble the result with pauses between. Its
messages (and the engines') are marked for translation: the CLI prints them in English, the window translates them."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from aigc_desktop.core.audio.job import AudioChunk, AudioOutput, SpeechParams
from aigc_desktop.core.audio.sentences import language_mismatch, split_sentences
from aigc_desktop.core.engines.base import RunContext
from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.specs import JobResult, JobSpec

# speak(index, sentence) -> float32 mono samples; an empty array means "nothing this voice can say" (skipped)
SpeakSentence = Callable[[int, str], np.ndarray]


def checked_text(spec: JobSpec, languages: Sequence[str]) -> str:
    text = str(spec.inputs.get("text") or "")
    if not text.strip():
        raise UserError(QT_TRANSLATE_NOOP("SpeechEngine", "There is no text to read."))
    mismatch = language_mismatch(text, tuple(languages))
    if mismatch:
        raise UserError(mismatch)
    return text


def speak_sentences(
    spec: JobSpec,
    ctx: RunContext,
    params: SpeechParams,
    text: str,
    rate: int | Callable[[], int],
    speak: SpeakSentence,
    *,
    backend: str,
    nothing_spoken: str,
    extra_metrics: dict[str, Any] | None = None,
) -> JobResult:
    """`rate` may be a function: a server's rate is known once its first sentence arrived (asked for after it)."""
    sentences = split_sentences(text)
    pause = np.zeros(0, dtype=np.float32)
    sample_rate = rate if isinstance(rate, int) else 0
    started = time.perf_counter()
    first_audio_ms: float | None = None
    pieces: list[np.ndarray] = []
    spoken: list[str] = []
    spans: list[list[float | str]] = []  # [start_s, end_s, sentence] of each spoken sentence, pauses excluded
    at = 0  # samples so far
    n = len(sentences)
    for i, sentence in enumerate(sentences):
        ctx.cancel.check()  # natural boundary: one sentence
        audio = speak(i, sentence)
        if audio.size == 0:
            continue
        if not spoken:
            sample_rate = rate if isinstance(rate, int) else rate()
            pause = np.zeros(round(params.sentence_pause_s * sample_rate), dtype=np.float32)
        # Chunks after the first start with the pause, so playing the chunks back to back is the final output.
        samples = np.concatenate([pause, audio]) if spoken and pause.size else audio
        pieces.append(samples)
        spoken.append(sentence)
        at += samples.size
        spans.append([round((at - audio.size) / sample_rate, 4), round(at / sample_rate, 4), sentence])
        if first_audio_ms is None:
            first_audio_ms = (time.perf_counter() - started) * 1000.0
        ctx.partial(AudioChunk(len(spoken) - 1, samples, sample_rate, text=sentence, fraction=(i + 1) / n))
        ctx.progress(
            (i + 1) / n, QT_TRANSLATE_NOOP("SpeechEngine", "Sentence {index}/{count}").format(index=i + 1, count=n)
        )
    if not spoken:
        raise UserError(nothing_spoken)
    synthesis_s = time.perf_counter() - started
    output = AudioOutput(
        samples=np.concatenate(pieces).astype(np.float32, copy=False),
        sample_rate=sample_rate,
        synthesis_s=synthesis_s,
        first_audio_ms=first_audio_ms,
        backend=backend,
        sentences=spoken,
    )
    metrics = {
        "rtf": synthesis_s / max(output.duration_s, 1e-9),
        "first_audio_ms": first_audio_ms,
        "duration_s": output.duration_s,
        "sentences": len(spoken),
        # Where each sentence is in the clip: the Story pane times its captions by them (core.story.timeline).
        "sentence_spans": spans,
        **(extra_metrics or {}),
    }
    return JobResult(spec=spec, output=output, seconds=synthesis_s, metrics=metrics)
