"""Speech with Piper voices (an .onnx file beside its .onnx.json config), streamed sentence by sentence.

Seeding. A Piper voice is a VITS network exported to ONNX; its two noise sources (the stochastic duration predictor and
the prior sample) are `RandomNormalLike` nodes without a seed. onnxruntime seeds each such node's generator once, when
the session is created, and the generator then advances with every run, so the same text never sounds the same twice
and `onnxruntime.set_seed` helps only for the first run of a fresh session (1.4-2 s to create on this CPU: far too
slow per job). So on load each of those nodes is rewritten into "take the first N values of a new graph input and
reshape them like the original": the engine feeds standard-normal noise from numpy generators seeded with
(seed, sentence, piece, node). The network is otherwise untouched (same speed, same voice), and a sentence sounds the
same for the same seed, whatever was synthesised before it: Regenerate replays exactly. A voice whose graph does not
look like that loads unchanged (not reproducible, logged).

How much noise a node takes depends on the sentence (the prior's noise grows with the number of audio frames, known
only inside the run), and drawing it costs time (30 ms per million values on this CPU), so the rewritten graph also
outputs how many values each node took; the engine learns the values needed per phoneme id from those (starting with a
warm-up run at load, which also takes onnxruntime's first-run allocations off the first sentence) and draws about twice
that. When a sentence needs more, the run fails in its Reshape and is repeated with more noise: the same sound, because
the first N values of a seeded stream do not depend on how many are drawn.

Chinese. Piper reads a voice's text one of two ways, by its config's `phoneme_type`: "espeak" (eSpeak NG's rules for
the voice's language, shipped inside Piper: the catalog's zh_CN-huayan-medium reads Mandarin with espeak "cmn" and
needs nothing else, offline) or "pinyin" (zh_CN xiao_ya and chaowen: g2pW, which needs Python packages this app does
not include and a model Piper fetches from the Hugging Face Hub). `voice_needs` says which, for the Models window and
for the refusal at load.
"""

from __future__ import annotations

import importlib.util
import json
import logging
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from aigc_desktop.core.audio.job import SpeechParams
from aigc_desktop.core.engines.base import RunContext
from aigc_desktop.core.engines.hf_loading import reason
from aigc_desktop.core.engines.speech_stream import checked_text, speak_sentences
from aigc_desktop.core.errors import JobCancelled, UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP, Msg
from aigc_desktop.core.models.detect import primary_language
from aigc_desktop.core.models.entry import ModelEntry
from aigc_desktop.core.specs import JobResult, JobSpec

log = logging.getLogger(__name__)

BACKEND = "piper"
NOISE_INPUT_PREFIX = "aigc_noise_"
# Before anything was learned: room for 24 frames (0.28 s at 22 kHz) of 256 channels per phoneme id, per node.
_NOISE_PER_ID_GUESS = 256 * 24
_NOISE_MARGIN = 2.0  # draw this many times the learned need: the need per id varies between sentences
_NOISE_MIN = 4096
_NOISE_MAX = 1 << 26
_WARM_UP_TEXT = "Hello, this is a warm-up sentence."
# What Piper's pinyin (g2pW) reading imports beyond Piper itself; none of them ships with this app.
_PINYIN_PACKAGES = ("g2pw", "sentence_stream", "unicode_rbnf")


def voice_needs(config: Mapping[str, Any]) -> Msg | None:
    """What a Piper voice (its .onnx.json `config`) needs besides its own files to speak, as a message for the user;
    None when nothing (eSpeak voices, the catalog's Chinese Huayan voice included: they work offline)."""
    if str(config.get("phoneme_type", "espeak")) != "pinyin":
        return None
    return QT_TRANSLATE_NOOP(
        "PiperEngine",
        "This voice reads Chinese with g2pW, which this app does not include (Piper would also download its data from "
        "the Hugging Face Hub). Use a Chinese voice that works offline, such as Huayan (Models).",
    )


def _pinyin_available() -> bool:
    return all(importlib.util.find_spec(name) is not None for name in _PINYIN_PACKAGES)


class PiperEngine:
    """One Piper voice in an onnxruntime session; synthesises sentence by sentence and stops between sentences."""

    def __init__(self) -> None:
        self._voice: Any = None
        self._entry: ModelEntry | None = None
        self._languages: tuple[str, ...] = ()
        self._noise_inputs: tuple[str, ...] = ()
        # Per noise input: the most noise values taken per (phoneme id x length scale) so far.
        self._noise_per_id: list[float] = []

    @property
    def seedable(self) -> bool:
        """Whether the loaded voice's noise comes from the seed (the graph rewrite worked)."""
        return bool(self._noise_inputs)

    def load(self, model: ModelEntry, ctx: RunContext) -> None:
        ctx.progress(None, QT_TRANSLATE_NOOP("PiperEngine", "Loading {name}…").format(name=model.name))
        # Heavy: onnxruntime and espeak come with piper; imported on the worker thread only.
        import onnxruntime
        from piper import PiperVoice
        from piper.config import PiperConfig

        # onnxruntime writes its warnings straight to stderr, which the CLI keeps for one-line errors.
        onnxruntime.set_default_logger_severity(3)
        onnx_path = Path(model.path)
        config_path = onnx_path.with_name(onnx_path.name + ".json")
        try:
            config_dict = json.loads(config_path.read_text(encoding="utf-8"))
            config = PiperConfig.from_dict(config_dict)
            data = onnx_path.read_bytes()
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise UserError(_not_loaded(model, exc)) from exc
        needs = voice_needs(config_dict)
        if needs is not None and not _pinyin_available():
            raise UserError(QT_TRANSLATE_NOOP("PiperEngine", "{name}: {needs}").format(name=model.name, needs=needs))
        session: Any = None
        try:
            patched, noise_inputs = seedable_piper_model(data)
            session = onnxruntime.InferenceSession(patched, providers=["CPUExecutionProvider"])
            self._noise_inputs = noise_inputs
            self._noise_per_id = [0.0] * len(noise_inputs)
        except Exception as exc:  # an unusual graph: run it as it is, only without reproducible noise
            log.warning("%s: noise not seedable (%s); output will vary between runs", model.id, exc)
            self._noise_inputs = ()
            self._noise_per_id = []
        if session is None:
            try:
                session = onnxruntime.InferenceSession(data, providers=["CPUExecutionProvider"])
            except Exception as exc:
                raise UserError(_not_loaded(model, exc)) from exc
        del data
        # download_dir: where Chinese voices look for g2pW; beside the voice, never the current directory.
        self._voice = PiperVoice(session=session, config=config, download_dir=onnx_path.parent)
        self._entry = model
        espeak_language = primary_language(config.espeak_voice) if config.espeak_voice else ""
        self._languages = model.languages or ((espeak_language,) if espeak_language else ())
        try:
            self._sentence_audio(_WARM_UP_TEXT, SpeechParams(), 0, 0, ctx)
        except (UserError, JobCancelled):
            raise
        except Exception as exc:
            self._voice = None
            raise UserError(_not_loaded(model, exc)) from exc

    def run(self, spec: JobSpec, ctx: RunContext) -> JobResult:
        voice, entry = self._voice, self._entry
        if voice is None or entry is None:
            raise RuntimeError("PiperEngine.run before load")
        params = SpeechParams.from_spec(spec)
        text = checked_text(spec, self._languages)
        num_speakers = int(voice.config.num_speakers)
        if params.speaker is not None and num_speakers > 1 and not 0 <= params.speaker < num_speakers:
            raise UserError(
                QT_TRANSLATE_NOOP(
                    "PiperEngine", "{name} has speakers 0 to {last}; there is no speaker {speaker}."
                ).format(name=entry.name, last=num_speakers - 1, speaker=params.speaker)
            )
        seed = spec.seed if spec.seed is not None else 0
        return speak_sentences(
            spec,
            ctx,
            params,
            text,
            int(voice.config.sample_rate),
            lambda i, sentence: self._sentence_audio(sentence, params, seed, i, ctx),
            backend=BACKEND,
            nothing_spoken=QT_TRANSLATE_NOOP("PiperEngine", "{name} found nothing it can read in this text.").format(
                name=entry.name
            ),
            extra_metrics={"seedable": self.seedable},
        )

    def unload(self) -> None:
        self._voice = None
        self._entry = None
        self._noise_inputs = ()
        self._noise_per_id = []

    # ------------------------------------------------------------ synthesis

    def _sentence_audio(
        self, sentence: str, params: SpeechParams, seed: int, index: int, ctx: RunContext
    ) -> np.ndarray:
        """One sentence, as Piper's own synthesize() makes it: espeak phonemes, one network run per phoneme sentence
        (espeak may split further), each piece peak-normalised."""
        voice = self._voice
        try:
            phoneme_sentences = voice.phonemize(sentence)
        except Exception as exc:  # e.g. a pinyin voice whose g2pW model cannot be fetched offline
            name = self._entry.name if self._entry else QT_TRANSLATE_NOOP("PiperEngine", "This voice")
            raise UserError(
                QT_TRANSLATE_NOOP("PiperEngine", "{name} could not turn the text into sounds: {reason}").format(
                    name=name, reason=reason(exc)
                )
            ) from exc
        parts: list[np.ndarray] = []
        for piece, phonemes in enumerate(phoneme_sentences):
            if not phonemes:
                continue
            ctx.cancel.check()  # between Piper's own chunks too: a long sentence may be several
            ids = voice.phonemes_to_ids(phonemes)
            audio = np.asarray(self._ids_to_audio(ids, params, (seed, index, piece)), dtype=np.float32)
            peak = float(np.max(np.abs(audio))) if audio.size else 0.0
            audio = np.zeros_like(audio) if peak < 1e-8 else audio / peak
            parts.append(np.clip(audio, -1.0, 1.0).astype(np.float32))
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)

    def _ids_to_audio(self, ids: list[int], params: SpeechParams, key: tuple[int, int, int]) -> np.ndarray:
        voice = self._voice
        config = voice.config
        args: dict[str, np.ndarray] = {
            "input": np.array([ids], dtype=np.int64),
            "input_lengths": np.array([len(ids)], dtype=np.int64),
            "scales": np.array([params.noise_scale, params.length_scale, params.noise_w], dtype=np.float32),
        }
        if int(config.num_speakers) > 1:
            speaker = params.speaker if params.speaker is not None else int(config.default_speaker_id)
            args["sid"] = np.array([speaker], dtype=np.int64)
        if not self._noise_inputs:
            return np.asarray(voice.session.run(None, args)[0]).squeeze()
        scale = len(ids) * params.length_scale
        sizes = [
            min(_NOISE_MAX, max(_NOISE_MIN, int(scale * (per_id * _NOISE_MARGIN if per_id else _NOISE_PER_ID_GUESS))))
            for per_id in self._noise_per_id
        ]
        while True:
            for k, (name, size) in enumerate(zip(self._noise_inputs, sizes, strict=True)):
                rng = np.random.default_rng([*key, k])
                args[name] = rng.standard_normal(size, dtype=np.float32)
            try:
                result = voice.session.run(None, args)
                break
            except Exception:
                # Too little noise makes the Reshape fail; anything else fails again at the largest size and surfaces.
                if all(size >= _NOISE_MAX for size in sizes):
                    raise
                sizes = [min(size * 4, _NOISE_MAX) for size in sizes]
        for k, taken in enumerate(result[1 : 1 + len(self._noise_inputs)]):
            need = float(np.asarray(taken).reshape(-1)[0]) / max(scale, 1e-9)
            self._noise_per_id[k] = max(self._noise_per_id[k], need)
        return np.asarray(result[0]).squeeze()


def _not_loaded(model: ModelEntry, exc: BaseException) -> Msg:
    return QT_TRANSLATE_NOOP("PiperEngine", "{name} could not be loaded: {reason}").format(
        name=model.name, reason=reason(exc)
    )


# ---------------------------------------------------------------- ONNX graph rewrite (protobuf wire format)
#
# The `onnx` package is not a dependency, and only a handful of fields matter, so the model is edited at the wire level:
# ModelProto.graph (7) -> GraphProto.node (1) / .input (11); NodeProto input (1), output (2), name (3), op_type (4),
# attribute (5); AttributeProto name (1), f (2), i (3). Every other byte is copied as it is (weights included).


def _varint(buf: memoryview, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        byte = buf[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return result, pos


def _fields(buf: memoryview) -> Iterator[tuple[int, int, Any, memoryview]]:
    """(field number, wire type, value, the field's raw bytes) for each field of one message."""
    pos, end = 0, len(buf)
    while pos < end:
        start = pos
        tag, pos = _varint(buf, pos)
        number, wire = tag >> 3, tag & 7
        value: Any
        if wire == 0:
            value, pos = _varint(buf, pos)
        elif wire == 1:
            value, pos = buf[pos : pos + 8], pos + 8
        elif wire == 5:
            value, pos = buf[pos : pos + 4], pos + 4
        elif wire == 2:
            length, pos = _varint(buf, pos)
            value, pos = buf[pos : pos + length], pos + length
        else:
            raise ValueError(f"unsupported protobuf wire type {wire}")
        if pos > end:
            raise ValueError("truncated protobuf message")
        yield number, wire, value, buf[start:pos]


def _encode_varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _bytes_field(number: int, payload: bytes) -> bytes:
    return _encode_varint(number << 3 | 2) + _encode_varint(len(payload)) + payload


def _node(op_type: str, inputs: list[str], outputs: list[str], name: str) -> bytes:
    body = b"".join(_bytes_field(1, i.encode()) for i in inputs)
    body += b"".join(_bytes_field(2, o.encode()) for o in outputs)
    body += _bytes_field(3, name.encode()) + _bytes_field(4, op_type.encode())
    return _bytes_field(1, body)


def _vector_value_info(field: int, name: str, elem_type: int) -> bytes:
    # ValueInfoProto{name, type: TypeProto{tensor_type{elem_type, shape{dim{dim_param}}}}}; elem_type 1 FLOAT, 7 INT64
    dim = _bytes_field(1, _bytes_field(2, f"{name}_len".encode()))
    tensor_type = _encode_varint(1 << 3 | 0) + _encode_varint(elem_type) + _bytes_field(2, dim)
    return _bytes_field(field, _bytes_field(1, name.encode()) + _bytes_field(2, _bytes_field(1, tensor_type)))


def _random_normal_like(node: memoryview) -> tuple[str, str] | None:
    """(input, output) of a seedless float RandomNormalLike(mean 0, scale 1) node; None for any other node."""
    op_type = ""
    inputs: list[str] = []
    outputs: list[str] = []
    attributes: dict[str, Any] = {}
    for number, _wire, value, _raw in _fields(node):
        if number == 1:
            inputs.append(bytes(value).decode())
        elif number == 2:
            outputs.append(bytes(value).decode())
        elif number == 4:
            op_type = bytes(value).decode()
        elif number == 5:
            attr_name, attr_value = "", None
            for a_number, _a_wire, a_value, _a_raw in _fields(value):
                if a_number == 1:
                    attr_name = bytes(a_value).decode()
                elif a_number == 2:
                    attr_value = float(np.frombuffer(bytes(a_value), dtype="<f4")[0])
                elif a_number == 3:
                    attr_value = a_value
            attributes[attr_name] = attr_value
    if op_type != "RandomNormalLike":
        return None
    if len(inputs) != 1 or len(outputs) != 1:
        raise ValueError("RandomNormalLike with unexpected inputs")
    if attributes.get("dtype", 1) != 1 or attributes.get("mean", 0.0) != 0.0 or attributes.get("scale", 1.0) != 1.0:
        raise ValueError("RandomNormalLike that is not standard normal float")
    return inputs[0], outputs[0]


def seedable_piper_model(data: bytes) -> tuple[bytes, tuple[str, ...]]:
    """The model with every RandomNormalLike(X) replaced by Reshape(Slice(noise_k, 0, Size(X)), Shape(X)), and the
    names of the new noise inputs; after the original outputs, the graph outputs Size(X) of each (a 1-element int64
    vector, "<input>_count"), in the same order. ValueError when the model has none or has a kind this rewrite does
    not handle."""
    model = memoryview(data)
    model_parts: list[bytes | memoryview] = []
    noise_inputs: list[str] = []
    found_graph = False
    for number, wire, value, raw in _fields(model):
        if number != 7 or wire != 2:
            model_parts.append(raw)
            continue
        found_graph = True
        graph_parts: list[bytes | memoryview] = []
        for g_number, g_wire, g_value, g_raw in _fields(value):
            replaced = _random_normal_like(g_value) if g_number == 1 and g_wire == 2 else None
            if replaced is None:
                graph_parts.append(g_raw)
                continue
            x, y = replaced
            k = len(noise_inputs)
            noise = f"{NOISE_INPUT_PREFIX}{k}"
            noise_inputs.append(noise)
            p = f"{noise}_"
            graph_parts += [
                _node("Shape", [x], [p + "shape"], p + "Shape"),
                # ReduceProd over the whole shape keeps one dimension: the element count as a 1-element vector.
                _node("ReduceProd", [p + "shape"], [p + "count"], p + "ReduceProd"),
                _node("Sub", [p + "count", p + "count"], [p + "zero"], p + "Zero"),
                _node("Slice", [noise, p + "zero", p + "count"], [p + "flat"], p + "Slice"),
                _node("Reshape", [p + "flat", p + "shape"], [y], p + "Reshape"),
            ]
        if not noise_inputs:
            raise ValueError("no RandomNormalLike node in the graph")
        graph_parts += [_vector_value_info(11, name, 1) for name in noise_inputs]
        graph_parts += [_vector_value_info(12, f"{name}_count", 7) for name in noise_inputs]
        model_parts.append(_bytes_field(7, b"".join(graph_parts)))
    if not found_graph:
        raise ValueError("no graph in the model")
    return b"".join(model_parts), tuple(noise_inputs)
