"""Speech with a Hugging Face transformers VITS folder (MMS-TTS and the like), streamed sentence by sentence.

torch and transformers are imported in `load()` on the worker thread. The model runs on the CPU: MMS-TTS voices are
small (36 M parameters) and run faster than real time there, and the GPU stays free for the image lane.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np

from aigc_desktop.core.audio.job import SpeechParams
from aigc_desktop.core.engines.base import RunContext
from aigc_desktop.core.engines.hf_loading import reason, refuse_pickle_only
from aigc_desktop.core.engines.speech_stream import checked_text, speak_sentences
from aigc_desktop.core.errors import JobCancelled, UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.models.entry import ModelEntry
from aigc_desktop.core.specs import MAX_SEED, JobResult, JobSpec

log = logging.getLogger(__name__)

BACKEND = "transformers"


class VitsEngine:
    def __init__(self) -> None:
        self._torch: Any = None
        self._model: Any = None
        self._tokenizer: Any = None
        self._entry: ModelEntry | None = None

    def load(self, model: ModelEntry, ctx: RunContext) -> None:
        refuse_pickle_only(model)
        ctx.progress(None, QT_TRANSLATE_NOOP("VitsEngine", "Loading {name}…").format(name=model.name))
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
            raise UserError(
                QT_TRANSLATE_NOOP("VitsEngine", "{name} could not be loaded: {reason}").format(
                    name=model.name, reason=reason(exc)
                )
            ) from exc
        vits.eval()
        self._torch, self._model, self._tokenizer, self._entry = torch, vits, tokenizer, model

    def run(self, spec: JobSpec, ctx: RunContext) -> JobResult:
        torch, model, tokenizer, entry = self._torch, self._model, self._tokenizer, self._entry
        if model is None or entry is None:
            raise RuntimeError("VitsEngine.run before load")
        params = SpeechParams.from_spec(spec)
        text = checked_text(spec, entry.languages)
        seed = spec.seed if spec.seed is not None else 0
        model.speaking_rate = 1.0 / params.length_scale
        model.noise_scale = params.noise_scale
        model.noise_scale_duration = params.noise_w

        def speak(i: int, sentence: str) -> np.ndarray:
            try:
                inputs = tokenizer(sentence, return_tensors="pt")
            except ImportError as exc:  # phonemize=True voices need the phonemizer package and espeak
                raise UserError(
                    QT_TRANSLATE_NOOP(
                        "VitsEngine", "{name} needs a library this app does not include: {reason}"
                    ).format(name=entry.name, reason=reason(exc))
                ) from exc
            ids = inputs["input_ids"]
            pad_id = tokenizer.pad_token_id
            # Characters outside the vocabulary are dropped silently, leaving nothing (or only blanks) to say.
            if ids.numel() == 0 or (pad_id is not None and bool((ids == pad_id).all())):
                log.info("sentence %d has no character this voice knows; skipped", i)
                return np.zeros(0, dtype=np.float32)
            # Per sentence, so each sentence sounds the same for the same seed whatever came before it.
            torch.manual_seed((seed + i) % (MAX_SEED + 1))
            with torch.inference_mode():
                waveform = model(**inputs).waveform
            audio: np.ndarray = np.clip(waveform[0].float().cpu().numpy(), -1.0, 1.0).astype(np.float32)
            return audio

        return speak_sentences(
            spec,
            ctx,
            params,
            text,
            int(model.config.sampling_rate),
            speak,
            backend=BACKEND,
            nothing_spoken=QT_TRANSLATE_NOOP(
                "VitsEngine", "This voice cannot read any of these characters ({name})."
            ).format(name=entry.name),
        )

    def unload(self) -> None:
        self._model = None
        self._tokenizer = None
        self._torch = None
        self._entry = None
