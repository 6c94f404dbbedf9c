"""The audio-generation contract shared by the speech and music engines, the Audio pane and `aigc speak/music`.

A speech job is a JobSpec of kind SPEECH with `inputs["text"]`; a music job is kind MUSIC with `inputs["prompt"]` and,
for a continuation, `inputs["continue_from"]` (a path to a WAV the engine reads). Params are SpeechParams /
MusicParams. Engines stream AudioChunk partials (a sentence, or a block of music) and return an AudioOutput.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.specs import JobKind, JobSpec, params_from_spec

MAX_MUSIC_SECONDS = 30.0


BAD_PARAMS = QT_TRANSLATE_NOOP("AudioJob", "Bad audio parameters: {reason}")


@dataclass(frozen=True)
class SpeechParams:
    length_scale: float = 1.0  # > 1 speaks slower (Piper's "speed")
    noise_scale: float = 0.667  # variation in the voice
    noise_w: float = 0.8  # variation in timing
    sentence_pause_s: float = 0.25  # silence between sentences
    speaker: int | None = None  # multi-speaker voices

    def __post_init__(self) -> None:
        if not 0.25 <= self.length_scale <= 4.0:
            raise UserError(QT_TRANSLATE_NOOP("AudioJob", "Speed (length scale) must be between 0.25 and 4."))
        if not (0 <= self.noise_scale <= 2 and 0 <= self.noise_w <= 2):
            raise UserError(QT_TRANSLATE_NOOP("AudioJob", "Variation must be between 0 and 2."))
        if not 0 <= self.sentence_pause_s <= 5:
            raise UserError(
                QT_TRANSLATE_NOOP("AudioJob", "The pause between sentences must be between 0 and 5 seconds.")
            )

    def to_params(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_spec(cls, spec: JobSpec) -> SpeechParams:
        return params_from_spec(cls, spec, BAD_PARAMS)


@dataclass(frozen=True)
class MusicParams:
    duration_s: float = 8.0
    guidance: float = 3.0  # classifier-free guidance scale
    temperature: float = 1.0
    top_k: int = 250

    def __post_init__(self) -> None:
        if not 0 < self.duration_s <= MAX_MUSIC_SECONDS:
            raise UserError(
                QT_TRANSLATE_NOOP("AudioJob", "The duration must be more than 0 and at most {seconds} seconds.").format(
                    seconds=f"{MAX_MUSIC_SECONDS:.0f}"
                )
            )
        if self.guidance < 0 or self.temperature <= 0 or self.top_k < 0:
            raise UserError(
                QT_TRANSLATE_NOOP(
                    "AudioJob", "Guidance must not be negative, temperature must be positive and top-k not negative."
                )
            )

    def to_params(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_spec(cls, spec: JobSpec) -> MusicParams:
        return params_from_spec(cls, spec, BAD_PARAMS)


def speech_spec(model_id: str, text: str, params: SpeechParams, seed: int | None = None, **inputs: Any) -> JobSpec:
    return JobSpec(
        kind=JobKind.SPEECH, model_id=model_id, inputs={"text": text, **inputs}, params=params.to_params(), seed=seed
    )


def music_spec(model_id: str, prompt: str, params: MusicParams, seed: int | None = None, **inputs: Any) -> JobSpec:
    return JobSpec(
        kind=JobKind.MUSIC, model_id=model_id, inputs={"prompt": prompt, **inputs}, params=params.to_params(), seed=seed
    )


@dataclass(frozen=True)
class AudioChunk:
    """A piece of the result, in order: a synthesised sentence (with its text) or a block of music."""

    index: int
    samples: np.ndarray  # float32 mono
    sample_rate: int
    text: str = ""
    fraction: float | None = None  # how far the whole job is


@dataclass(frozen=True)
class AudioOutput:
    samples: np.ndarray  # float32 mono, the whole result
    sample_rate: int
    synthesis_s: float
    first_audio_ms: float | None  # start of synthesis → first chunk ready (speech)
    backend: str
    sentences: list[str] = field(default_factory=list)

    @property
    def duration_s(self) -> float:
        return len(self.samples) / float(self.sample_rate)
