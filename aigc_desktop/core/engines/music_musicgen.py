"""Music from a text prompt with a transformers MusicGen folder (safetensors weights, local files only).

MusicGen writes EnCodec codes one frame per step (50 frames per second of audio for the 32 kHz models), four
codebooks at once with a one-step delay between them, then decodes the codes to a waveform. The engine drives
`model.generate` exactly as the library documents it and adds only a stopping criterion that reports progress and
stops within one step of Stop, so its output equals the bare library call with the same seed.

torch and transformers are imported in `load()` on the worker thread: importing them costs seconds and gigabytes, and
the GUI thread (and listing models) must never pay that.
"""

from __future__ import annotations

import importlib
import json
import logging
import struct
import time
from pathlib import Path
from typing import Any

import numpy as np

from aigc_desktop.core.audio.job import AudioOutput, MusicParams
from aigc_desktop.core.engines.base import RunContext
from aigc_desktop.core.engines.hf_loading import free_memory, load_checked, refuse_pickle_only
from aigc_desktop.core.errors import JobCancelled, UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.models.entry import ModelEntry
from aigc_desktop.core.specs import JobResult, JobSpec

log = logging.getLogger(__name__)

BACKEND = "transformers"

# Speed measured on this project's 2-core AVX2 laptop-class CPU (ENVIRONMENT.md, "Music"): a musicgen-small-shaped
# model (588M parameters, random weights: speed does not depend on the values) made 5 s of audio in 60 s, fp32, with
# guidance (batch of 2). That is 12 s of compute per second of audio; decoding time grows about linearly with the
# parameter count, so other sizes scale by their parameter count relative to musicgen-small. benchmarks/music.py
# (same shape, 2 s of audio, quiet machine) measured 10.4 s per second: 12 stays, as the cautious figure.
CPU_SECONDS_PER_AUDIO_SECOND = 60.0 / 5.0
MUSICGEN_SMALL_PARAMETERS = 588_000_000
# Not measured here (no GPU on the development machine): the public MusicGen numbers put musicgen-small on a recent
# consumer GPU at roughly real time or faster; 1 s per second of audio is the cautious figure we show.
CUDA_SECONDS_PER_AUDIO_SECOND = 1.0
# Loading the model and the first step cost a few seconds on top of the per-second rate.
STARTUP_SECONDS = 3.0
# Continuation uses at most this much of the end of the given clip as the audio prompt: MusicGen was trained on 30 s
# windows, and the prompt plus the new music must fit in one.
MAX_PROMPT_SECONDS = 10.0
_MAX_SAFETENSORS_HEADER = 100 * 1024 * 1024


# ---------------------------------------------------------------- estimate (no torch: shown before anything loads)


def parameter_count(folder: Path) -> int | None:
    """Numbers stored in a model folder's .safetensors files, from their headers alone (nothing is loaded).

    Buffers (EnCodec's codebooks) count too: at musicgen-small's size they are well under 1 % of the total.
    """
    total = 0
    found = False
    for file in sorted(Path(folder).glob("*.safetensors")):
        try:
            with file.open("rb") as f:
                head = f.read(8)
                if len(head) < 8:
                    continue
                (size,) = struct.unpack("<Q", head)
                if not 0 < size <= _MAX_SAFETENSORS_HEADER:
                    continue
                header = json.loads(f.read(size))
        except (OSError, ValueError):
            continue
        for name, info in header.items():
            if name == "__metadata__" or not isinstance(info, dict):
                continue
            count = 1
            for dim in info.get("shape", []):
                count *= int(dim)
            total += count
            found = True
    return total if found else None


def estimate_seconds(duration_s: float, device: str = "cpu", parameters: int | None = None) -> float:
    """Expected wall time to generate `duration_s` seconds of music, before starting (see the constants above).

    `parameters` is the model's size (default: musicgen-small); the rate scales linearly with it.
    """
    rate = CUDA_SECONDS_PER_AUDIO_SECOND if device.startswith("cuda") else CPU_SECONDS_PER_AUDIO_SECOND
    scale = (parameters or MUSICGEN_SMALL_PARAMETERS) / MUSICGEN_SMALL_PARAMETERS
    return STARTUP_SECONDS + max(0.0, duration_s) * rate * scale


def new_tokens_for(duration_s: float, frame_rate: int, num_codebooks: int) -> int:
    """Decoding steps for `duration_s` of audio: one frame per step, plus the steps the codebook delay pattern costs
    (codebook k starts k steps late, so n steps give n - (codebooks - 1) complete frames)."""
    frames = max(1, round(duration_s * frame_rate))
    return frames + num_codebooks - 1


# ---------------------------------------------------------------- engine


class MusicGenEngine:
    """One MusicGen folder loaded with MusicgenForConditionalGeneration; reports every step, stops within one."""

    def __init__(self) -> None:
        self._torch: Any = None
        self._transformers: Any = None
        self._model: Any = None
        self._processor: Any = None
        self._entry: ModelEntry | None = None
        self._device = "cpu"
        self._dtype: Any = None

    # ------------------------------------------------------------ load / unload

    def load(self, model: ModelEntry, ctx: RunContext) -> None:
        path = Path(model.path)
        refuse_pickle_only(model)
        ctx.progress(None, QT_TRANSLATE_NOOP("MusicEngine", "Loading torch and transformers…"))
        import torch  # heavy: imported on the worker thread, never on the GUI thread

        # Through importlib, typed Any: the library's partial annotations would only add noise to strict mypy.
        transformers: Any = importlib.import_module("transformers")
        importlib.import_module("transformers.utils.logging").disable_progress_bar()  # no tqdm bars in a desktop app
        self._torch = torch
        self._transformers = transformers
        if torch.cuda.is_available():
            # fp16 halves memory and is what MusicGen's own GPU examples use; EnCodec decodes fine in it.
            self._device, self._dtype = "cuda", torch.float16
        else:
            # CPUs without AVX-512-BF16 run fp16/bf16 matmuls slower than fp32.
            self._device, self._dtype = "cpu", torch.float32
        ctx.progress(None, QT_TRANSLATE_NOOP("MusicEngine", "Loading {name}…").format(name=model.name))

        # The processor loads in here too, so a broken one gets the same one-line message; failures clear it again.
        def from_pretrained() -> Any:
            self._processor = self._load_processor(path)
            with_info: Any = transformers.MusicgenForConditionalGeneration.from_pretrained(
                path,
                local_files_only=True,
                dtype=self._dtype,
                use_safetensors=True,  # never unpickle: a .bin file can run code
                trust_remote_code=False,
                output_loading_info=True,
            )
            return with_info

        loaded = load_checked(
            model, QT_TRANSLATE_NOOP("MusicEngine", "as a MusicGen model"), from_pretrained, self._release
        )
        loaded.to(self._device)
        loaded.eval()
        self._model = loaded
        self._entry = model
        log.info("loaded %s on %s as %s", path, self._device, self._dtype)

    def _load_processor(self, path: Path) -> Any:
        """The folder's MusicgenProcessor; folders saved without processor_config.json get one built from their
        tokenizer and feature extractor (or, lacking that, an EnCodec extractor matching the model's config)."""
        transformers = self._transformers
        try:
            processor = transformers.AutoProcessor.from_pretrained(path, local_files_only=True)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.info("no processor in %s (%s); building one", path, exc)
            processor = None
        if processor is not None and hasattr(processor, "feature_extractor") and hasattr(processor, "tokenizer"):
            return processor
        tokenizer = (
            processor
            if processor is not None
            else transformers.AutoTokenizer.from_pretrained(path, local_files_only=True)
        )
        try:
            extractor = transformers.AutoFeatureExtractor.from_pretrained(path, local_files_only=True)
        except (OSError, ValueError, KeyError, TypeError):
            config = transformers.AutoConfig.from_pretrained(path, local_files_only=True)
            extractor = transformers.EncodecFeatureExtractor(
                feature_size=config.audio_encoder.audio_channels, sampling_rate=config.audio_encoder.sampling_rate
            )
        return transformers.MusicgenProcessor(feature_extractor=extractor, tokenizer=tokenizer)

    def unload(self) -> None:
        self._release()
        self._entry = None

    def _release(self) -> None:
        self._model = None
        self._processor = None
        free_memory(self._torch, self._device)

    # ------------------------------------------------------------ properties of the loaded model

    @property
    def sampling_rate(self) -> int:
        return int(self._model.config.audio_encoder.sampling_rate)

    @property
    def frame_rate(self) -> int:
        return int(self._model.config.audio_encoder.frame_rate)

    @property
    def num_codebooks(self) -> int:
        return int(self._model.decoder.num_codebooks)

    @property
    def audio_channels(self) -> int:
        return int(getattr(self._model.config.decoder, "audio_channels", 1) or 1)

    # ------------------------------------------------------------ run

    def run(self, spec: JobSpec, ctx: RunContext) -> JobResult:
        if self._model is None or self._processor is None or self._entry is None:
            raise UserError(QT_TRANSLATE_NOOP("MusicEngine", "No music model is loaded."))
        torch = self._torch
        params = MusicParams.from_spec(spec)
        prompt = str(spec.inputs.get("prompt") or "").strip()
        if not prompt:
            raise UserError(QT_TRANSLATE_NOOP("MusicEngine", "The music prompt is empty: describe the music you want."))
        continue_from = spec.inputs.get("continue_from")
        prompt_audio = self._prompt_audio(str(continue_from)) if continue_from else None
        inputs = self.prepare_inputs(prompt, prompt_audio)
        max_new = new_tokens_for(params.duration_s, self.frame_rate, self.num_codebooks)
        seed = spec.seed if spec.seed is not None else 0
        ctx.cancel.check()

        started = time.perf_counter()
        torch.manual_seed(seed)  # seeds the CPU and every CUDA generator: same seed and settings, same music
        with torch.inference_mode():
            audio = self._model.generate(
                **inputs,
                do_sample=True,
                guidance_scale=params.guidance,
                temperature=params.temperature,
                top_k=params.top_k,
                max_new_tokens=max_new,
                stopping_criteria=self._progress_and_stop(ctx, max_new),
            )
        if ctx.cancel.cancelled:
            raise JobCancelled()
        samples = self._to_mono(audio)
        seconds = time.perf_counter() - started
        output = AudioOutput(
            samples=samples, sample_rate=self.sampling_rate, synthesis_s=seconds, first_audio_ms=None, backend=BACKEND
        )
        prompt_s = 0.0 if prompt_audio is None else len(prompt_audio) / self.sampling_rate
        metrics = {
            "audio_s": round(output.duration_s, 3),
            "prompt_audio_s": round(prompt_s, 3),
            "real_time_factor": round(seconds / output.duration_s, 3) if output.duration_s else None,
            "steps": max_new,
            "device": self._device,
            "dtype": str(self._dtype).removeprefix("torch."),
            "threads": torch.get_num_threads(),
        }
        return JobResult(spec=spec, output=output, seconds=seconds, metrics=metrics)

    def prepare_inputs(self, prompt: str, prompt_audio: np.ndarray | None = None) -> dict[str, Any]:
        """The generate() inputs for a prompt (and an audio prompt to continue), on the model's device.

        Public so that tests and the benchmark hand the bare library exactly the same tensors.
        """
        if prompt_audio is None:
            encoded = self._processor(text=[prompt], padding=True, return_tensors="pt")
        else:
            audio = prompt_audio if self.audio_channels == 1 else np.stack([prompt_audio, prompt_audio])
            encoded = self._processor(
                text=[prompt], audio=[audio], sampling_rate=self.sampling_rate, padding=True, return_tensors="pt"
            )
        inputs: dict[str, Any] = {}
        for key, value in encoded.items():
            tensor = value.to(self._device)
            if key == "input_values":  # the audio goes through EnCodec in the model's dtype
                tensor = tensor.to(self._dtype)
            inputs[key] = tensor
        return inputs

    def _prompt_audio(self, path: str) -> np.ndarray:
        """The clip to continue: mono, at the model's rate, its last MAX_PROMPT_SECONDS."""
        from aigc_desktop.core.audio import edit as audio_edit

        samples, rate = audio_edit.read_audio(path)
        mono = audio_edit.mix_to_mono(samples)
        if len(mono) == 0:
            raise UserError(QT_TRANSLATE_NOOP("MusicEngine", "{path} holds no audio to continue.").format(path=path))
        mono = audio_edit.resample(mono, rate, self.sampling_rate)
        keep = int(MAX_PROMPT_SECONDS * self.sampling_rate)
        # At least one EnCodec frame, or there is nothing to encode.
        if len(mono) < self.sampling_rate // self.frame_rate:
            raise UserError(
                QT_TRANSLATE_NOOP(
                    "MusicEngine", "{path} is too short to continue (less than one {ms} ms frame)."
                ).format(path=path, ms=1000 // self.frame_rate)
            )
        return mono[-keep:]

    def _to_mono(self, audio: Any) -> np.ndarray:
        # generate() returns (batch, channels, samples); stereo MusicGen models give two channels.
        waveform = audio[0].float().mean(dim=0) if audio.shape[1] > 1 else audio[0, 0].float()
        return np.ascontiguousarray(waveform.cpu().numpy(), dtype=np.float32)

    def _progress_and_stop(self, ctx: RunContext, max_new: int) -> Any:
        """A stopping criterion that generate() calls once per decoding step (after each new frame of codes).

        It never stops generation itself; it reports fraction = step / steps and raises JobCancelled on Stop, which
        leaves generate() at once, without decoding the codes to audio nobody will hear.
        """
        torch = self._torch
        base: Any = self._transformers.StoppingCriteria
        state = {"step": 0}

        class _Progress(base):  # type: ignore[misc]
            def __call__(self, input_ids: Any, scores: Any, **_: Any) -> Any:
                if ctx.cancel.cancelled:
                    raise JobCancelled()
                state["step"] += 1
                ctx.progress(min(1.0, state["step"] / max_new), QT_TRANSLATE_NOOP("MusicEngine", "Composing…"))
                if ctx.cancel.cancelled:  # pressed from the progress callback itself
                    raise JobCancelled()
                return torch.zeros((input_ids.shape[0],), dtype=torch.bool, device=input_ids.device)

        return self._transformers.StoppingCriteriaList([_Progress()])
