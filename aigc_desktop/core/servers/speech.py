"""A speech server: what it offers, and one sentence of speech from it.

Two dialects, told apart by what the server answers:

- Piper's own HTTP server (`python -m piper.http_server`, piper-tts 1.8): `GET /voices` lists the voices in its data
  folders with their Piper configs (sample rate, language, speakers); `POST /synthesize` takes JSON `text`, `voice`,
  `speaker_id`, `length_scale`, `noise_scale`, `noise_w_scale` and answers one WAV (16-bit PCM). Its noise is not
  seeded, so the same text sounds the same twice only with both noise settings at 0. A voice it does not have, it
  replaces by its default voice without saying so: the engine checks the name against `/voices` first.
- An OpenAI-style `POST /v1/audio/speech` (Kokoro-FastAPI, openedai-speech): `model`, `input`, `voice`, `speed`,
  `response_format` "wav" (a format needing no decoder). Kokoro-FastAPI lists its voices at `/v1/audio/voices`; a
  server without that list is offered OpenAI's six voice names, which openedai-speech maps to its own. There is no
  seed and no variation setting in that API.

One request per sentence (core/engines/speech_server.py): the first sentence plays while the next is made. Network
I/O only: call it on a worker thread.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np

from aigc_desktop.core.engines.base import CancelToken
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP, Msg
from aigc_desktop.core.servers.config import ServerConfig
from aigc_desktop.core.servers.http import Http, HttpFailure, Reason

# What /v1/audio/speech servers without a voice list understand: OpenAI's voice names.
OPENAI_VOICES = ("alloy", "echo", "fable", "onyx", "nova", "shimmer")
# The model sent to /v1/audio/speech: Kokoro-FastAPI and openedai-speech both accept OpenAI's name.
OPENAI_MODEL = "tts-1"
# Words in a /v1/models listing that mark a speech model; a listing without any is a text server's.
_SPEECH_WORDS = ("tts", "kokoro", "speech", "voice", "piper", "xtts", "audio")


class SpeechDialect(StrEnum):
    PIPER = "piper-http"
    OPENAI = "openai-speech"


@dataclass(frozen=True)
class SpeechOffer:
    dialect: SpeechDialect
    voices: list[str]
    # Piper only: each voice's config as the server reports it (sample rate, language, speakers)
    configs: dict[str, dict[str, Any]] = field(default_factory=dict)
    notes: list[Msg] = field(default_factory=list)


@dataclass(frozen=True)
class Voice:
    """How to ask for one voice: its name, and for Piper voices what their config says."""

    name: str
    languages: tuple[str, ...] = ()
    num_speakers: int = 1


@dataclass(frozen=True)
class SentenceSettings:
    length_scale: float = 1.0  # > 1 speaks slower
    noise_scale: float = 0.667
    noise_w: float = 0.8
    speaker: int | None = None


class SpeechClient:
    def __init__(self, server: ServerConfig, api_key: str | None) -> None:
        self.server = server
        self.http = Http(server, api_key)

    # ------------------------------------------------------------ what the server offers

    def probe(self, cancel: CancelToken | None = None) -> SpeechOffer:
        """The dialect and the voices, or an HttpFailure saying exactly why not."""
        piper = self._optional_json("/voices", cancel)
        if isinstance(piper, dict) and piper and all(_looks_like_piper_config(v) for v in piper.values()):
            configs = {str(k): v for k, v in piper.items()}
            return SpeechOffer(SpeechDialect.PIPER, sorted(configs), configs)
        listed = self._optional_json("/v1/audio/voices", cancel)
        if isinstance(listed, dict) and isinstance(listed.get("voices"), list):
            voices = [_voice_name(v) for v in listed["voices"]]
            return SpeechOffer(SpeechDialect.OPENAI, sorted(v for v in voices if v))
        models = self._optional_json("/v1/models", cancel)
        items = models.get("data") if isinstance(models, dict) else None
        if isinstance(items, list):
            names = [str(m.get("id", "")).lower() for m in items if isinstance(m, dict)]
            if not names or any(word in n for n in names for word in _SPEECH_WORDS):
                note = QT_TRANSLATE_NOOP(
                    "Servers",
                    "The server lists no voices; OpenAI's voice names are offered (servers such as openedai-speech "
                    "map them to their own voices).",
                )
                return SpeechOffer(SpeechDialect.OPENAI, list(OPENAI_VOICES), notes=[note])
        raise HttpFailure(
            QT_TRANSLATE_NOOP(
                "Servers",
                "{name} answered, but not as a speech server: neither Piper's voice list (/voices) nor an OpenAI-style "
                "speech server's (/v1/audio/voices, /v1/models) is there. Is this the right address and port?",
            ).format(name=self.server.name),
            Reason.BAD_ANSWER,
        )

    def _optional_json(self, path: str, cancel: CancelToken | None) -> Any:
        """The JSON at `path`; None when the server has no such page (404, 405, not JSON). Failures that say the
        server cannot be used at all (unreachable, refused, 401...) go to the caller."""
        try:
            response = self.http.get(path, cancel)
        except HttpFailure as exc:
            if exc.reason is Reason.NOT_FOUND or exc.status == 405:
                return None
            raise
        try:
            return response.json()
        except ValueError:
            return None

    def voice(self, dialect: SpeechDialect, name: str, cancel: CancelToken | None = None) -> Voice:
        """The voice `name` as the server has it now; a UserError when a Piper server lacks it (it would silently
        speak with its default voice instead)."""
        if dialect is not SpeechDialect.PIPER:
            return Voice(name)
        offer = self.probe(cancel)
        config = offer.configs.get(name)
        if config is None:
            raise HttpFailure(
                QT_TRANSLATE_NOOP("Servers", "{name} has no voice “{voice}”. Its voices: {voices}.").format(
                    name=self.server.name, voice=name, voices=", ".join(offer.voices) or "-"
                ),
                Reason.NOT_FOUND,
            )
        language: dict[str, Any] = config["language"] if isinstance(config.get("language"), dict) else {}
        family = str(language.get("family") or str(language.get("code") or "").split("_")[0] or "")
        speakers = config.get("num_speakers")
        return Voice(name, (family,) if family else (), speakers if isinstance(speakers, int) and speakers > 0 else 1)

    # ------------------------------------------------------------ speaking

    def sentence(
        self, dialect: SpeechDialect, voice: str, text: str, settings: SentenceSettings, cancel: CancelToken
    ) -> tuple[np.ndarray, int]:
        """One sentence: (float32 mono samples in [-1, 1], sample rate). Stop closes the connection at once."""
        path, payload = request_for(dialect, voice, text, settings)
        with self.http.stream("POST", path, payload, cancel) as (_, content_type, chunks):
            body = b"".join(chunks)
        # Told by the bytes, not the Content-Type: Piper's Flask server labels its WAV "text/html".
        try:
            return decode_wav(body)
        except ValueError as exc:
            raise self._not_audio(f"{content_type or '-'}: {exc}") from None

    def _not_audio(self, what: str) -> HttpFailure:
        return HttpFailure(
            QT_TRANSLATE_NOOP("Servers", "{name} did not answer with WAV audio ({what}).").format(
                name=self.server.name, what=what or "-"
            ),
            Reason.BAD_ANSWER,
        )


def request_for(dialect: SpeechDialect, voice: str, text: str, s: SentenceSettings) -> tuple[str, dict[str, Any]]:
    """The request for one sentence, every setting the dialect knows sent explicitly (never the server's defaults)."""
    if dialect is SpeechDialect.PIPER:
        body: dict[str, Any] = {
            "text": text,
            "voice": voice,
            "length_scale": s.length_scale,
            "noise_scale": s.noise_scale,
            "noise_w_scale": s.noise_w,
        }
        if s.speaker is not None:
            body["speaker_id"] = s.speaker
        return "/synthesize", body
    return "/v1/audio/speech", {
        "model": OPENAI_MODEL,
        "input": text,
        "voice": voice,
        "speed": round(1.0 / s.length_scale, 4),
        "response_format": "wav",
        "stream": False,  # Kokoro-FastAPI streams by default, with a WAV header that cannot know the length
    }


def _looks_like_piper_config(value: Any) -> bool:
    return isinstance(value, dict) and ("phoneme_id_map" in value or "audio" in value)


def _voice_name(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("name") or value.get("id") or "")
    return str(value) if value else ""


def decode_wav(data: bytes) -> tuple[np.ndarray, int]:
    """A RIFF WAV of 8/16/24/32-bit PCM or 32-bit float as float32 mono. Tolerates the size fields streaming servers
    leave at 0 or 0xFFFFFFFF (the data then runs to the end). ValueError for anything else."""
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise ValueError("not a WAV file")
    pos = 12
    fmt: tuple[int, int, int, int] | None = None
    while pos + 8 <= len(data):
        chunk_id, size = data[pos : pos + 4], struct.unpack("<I", data[pos + 4 : pos + 8])[0]
        body_start = pos + 8
        if chunk_id == b"fmt ":
            if size < 16:
                raise ValueError("a WAV format chunk too short")
            tag, channels, rate, _, _, bits = struct.unpack("<HHIIHH", data[body_start : body_start + 16])
            if tag == 0xFFFE and size >= 26:  # WAVE_FORMAT_EXTENSIBLE: the real tag opens the sub-format GUID
                tag = struct.unpack("<H", data[body_start + 24 : body_start + 26])[0]
            fmt = (tag, channels, rate, bits)
        elif chunk_id == b"data":
            if fmt is None:
                raise ValueError("WAV data before its format")
            end = len(data) if size in (0, 0xFFFFFFFF) else min(len(data), body_start + size)
            return _samples(data[body_start:end], *fmt), fmt[2]
        pos = body_start + size + (size & 1)
    raise ValueError("no audio data in the WAV file")


def _samples(raw: bytes, tag: int, channels: int, rate: int, bits: int) -> np.ndarray:
    if channels < 1 or rate < 1:
        raise ValueError("a WAV file without channels or sample rate")
    width = bits // 8
    frame = width * channels
    raw = raw[: len(raw) - len(raw) % frame] if frame else b""
    if tag == 3 and bits == 32:
        audio = np.frombuffer(raw, dtype="<f4").astype(np.float32)
    elif tag == 1 and bits == 16:
        audio = np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32767.0
    elif tag == 1 and bits == 32:
        audio = (np.frombuffer(raw, dtype="<i4").astype(np.float64) / 2147483647.0).astype(np.float32)
    elif tag == 1 and bits == 24:
        bytes3 = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 3).astype(np.int32)
        values = bytes3[:, 0] | (bytes3[:, 1] << 8) | (bytes3[:, 2] << 16)
        values = np.where(values & 0x800000, values - (1 << 24), values)
        audio = (values / 8388607.0).astype(np.float32)
    elif tag == 1 and bits == 8:
        audio = (np.frombuffer(raw, dtype=np.uint8).astype(np.float32) - 128.0) / 127.0
    else:
        raise ValueError(f"WAV encoding {tag}/{bits}-bit is not supported")
    if channels > 1:
        audio = audio.reshape(-1, channels).mean(axis=1, dtype=np.float32)
    return np.clip(audio, -1.0, 1.0).astype(np.float32)
