"""Speech with a Hugging Face transformers VITS folder (MMS-TTS and the like), streamed sentence by sentence.

torch and transformers are imported in `load()` on the worker thread. The model runs on the CPU: MMS-TTS voices are
small (36 M parameters) and run faster than real time there, and the GPU stays free for the image lane.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import numpy as np

from aigc_desktop.core.audio import AudioChunk, AudioOutput, SpeechParams
from aigc_desktop.core.engines.base import RunContext
from aigc_desktop.core.errors import JobCancelled, UserError
from aigc_desktop.core.models.entry import ModelEntry
from aigc_desktop.core.sentences import language_mismatch, split_sentences
from aigc_desktop.core.specs import MAX_SEED, JobResult, JobSpec

log = logging.getLogger(__name__)

BACKEND = "transformers"
_PICKLE_REFUSAL = (
    "{name} only has pickle weights (.bin); this app loads safetensors only, because pickle files can run code. "
    "Convert it to safetensors."
)
_MAX_REASON_CHARS = 300


def _reason(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    first = lines[0].strip() if lines else type(exc).__name__
    return first if len(first) <= _MAX_REASON_CHARS else first[: _MAX_REASON_CHARS - 1] + "…"


class VitsEngine:
    def __init__(self) -> None:
        self._torch: Any = None
        self._model: Any = None
        self._tokenizer: Any = None
        self._entry: ModelEntry | None = None

    def load(self, model: ModelEntry, ctx: RunContext) -> None:
        if model.pickle_only:
            raise UserError(_PICKLE_REFUSAL.format(name=model.name))
        ctx.progress(None, f"Loading {model.name}…")
        import torch
        import transformers
        from transformers import AutoTokenizer, VitsModel

        # Their progress bars go to stderr, which the CLI keeps for one-line errors.
        hf_logging: Any = transformers.utils.logging
        hf_logging.disable_progress_bar()
        try:
            tokenizer = AutoTokenizer.from_pretrained(str(model.path), local_files_only=True)
            vits: Any = VitsModel.from_pretrained(str(model.path), local_files_only=True, use_safetensors=True)
        except (JobCancelled, MemoryError):
            raise
        except Exception as exc:  # a broken or incomplete folder: one line naming the model
            raise UserError(f"{model.name} could not be loaded: {_reason(exc)}") from exc
        vits.eval()
        self._torch, self._model, self._tokenizer, self._entry = torch, vits, tokenizer, model

    def run(self, spec: JobSpec, ctx: RunContext) -> JobResult:
        torch, model, tokenizer, entry = self._torch, self._model, self._tokenizer, self._entry
        if model is None or entry is None:
            raise RuntimeError("VitsEngine.run before load")
        params = SpeechParams.from_spec(spec)
        text = str(spec.inputs.get("text") or "")
        if not text.strip():
            raise UserError("There is no text to read.")
        mismatch = language_mismatch(text, entry.languages)
        if mismatch:
            raise UserError(mismatch)
        sentences = split_sentences(text)
        rate = int(model.config.sampling_rate)
        seed = spec.seed if spec.seed is not None else 0
        pause = np.zeros(round(params.sentence_pause_s * rate), dtype=np.float32)
        model.speaking_rate = 1.0 / params.length_scale
        model.noise_scale = params.noise_scale
        model.noise_scale_duration = params.noise_w

        started = time.perf_counter()
        first_audio_ms: float | None = None
        pieces: list[np.ndarray] = []
        spoken: list[str] = []
        n = len(sentences)
        for i, sentence in enumerate(sentences):
            ctx.cancel.check()  # natural boundary: one sentence
            try:
                inputs = tokenizer(sentence, return_tensors="pt")
            except ImportError as exc:  # phonemize=True voices need the phonemizer package and espeak
                raise UserError(f"{entry.name} needs a library this app does not include: {_reason(exc)}") from exc
            ids = inputs["input_ids"]
            pad_id = tokenizer.pad_token_id
            # Characters outside the vocabulary are dropped silently, leaving nothing (or only blanks) to say.
            if ids.numel() == 0 or (pad_id is not None and bool((ids == pad_id).all())):
                log.info("sentence %d has no character this voice knows; skipped", i)
                continue
            # Per sentence, so each sentence sounds the same for the same seed whatever came before it.
            torch.manual_seed((seed + i) % (MAX_SEED + 1))
            with torch.inference_mode():
                waveform = model(**inputs).waveform
            audio = np.clip(waveform[0].float().cpu().numpy(), -1.0, 1.0).astype(np.float32)
            if audio.size == 0:
                continue
            # Chunks after the first start with the pause, so playing the chunks back to back is the final output.
            samples = np.concatenate([pause, audio]) if spoken and pause.size else audio
            pieces.append(samples)
            spoken.append(sentence)
            if first_audio_ms is None:
                first_audio_ms = (time.perf_counter() - started) * 1000.0
            ctx.partial(AudioChunk(len(spoken) - 1, samples, rate, text=sentence, fraction=(i + 1) / n))
            ctx.progress((i + 1) / n, f"Sentence {i + 1}/{n}")
        if not spoken:
            raise UserError(f"This voice cannot read any of these characters ({entry.name}).")
        synthesis_s = time.perf_counter() - started
        output = AudioOutput(
            samples=np.concatenate(pieces).astype(np.float32, copy=False),
            sample_rate=rate,
            synthesis_s=synthesis_s,
            first_audio_ms=first_audio_ms,
            backend=BACKEND,
            sentences=spoken,
        )
        metrics = {
            "rtf": synthesis_s / max(output.duration_s, 1e-9),
            "first_audio_ms": first_audio_ms,
            "duration_s": output.duration_s,
            "sentences": len(spoken),
        }
        return JobResult(spec=spec, output=output, seconds=synthesis_s, metrics=metrics)

    def unload(self) -> None:
        self._model = None
        self._tokenizer = None
        self._torch = None
        self._entry = None
