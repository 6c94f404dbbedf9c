"""Speech jobs on a speech server (Piper's HTTP server, or an OpenAI-style /v1/audio/speech): the same JobSpec,
AudioChunk partials and AudioOutput as the local voices, the network I/O on the caller's (worker) thread.

The text is split into sentences exactly as for a local voice (core/engines/speech_stream.py, Chinese included) and
each sentence is one request, so the Audio pane plays the first sentence while the server makes the next. Stop
closes the open request's connection. A server that fails after some sentences raises SpeechInterrupted: those
sentences were already streamed as partials (the pane keeps them) and travel with the error (the CLI writes them).

Reproducibility: neither dialect takes a seed. Piper's server speaks the same text identically only with both
variation settings at 0 (the metrics say `reproducible`); /v1/audio/speech has no variation settings (it ignores
them: said in the metrics too).
"""

from __future__ import annotations

import numpy as np

from aigc_desktop.core.audio.job import SpeechParams
from aigc_desktop.core.engines.base import RunContext
from aigc_desktop.core.engines.speech_stream import checked_text, speak_sentences
from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP, Msg
from aigc_desktop.core.models.entry import ModelEntry
from aigc_desktop.core.paths import app_paths
from aigc_desktop.core.servers.config import ServerStore
from aigc_desktop.core.servers.entries import parse_model_id
from aigc_desktop.core.servers.http import HttpFailure, Reason
from aigc_desktop.core.servers.speech import SentenceSettings, SpeechClient, SpeechDialect, Voice
from aigc_desktop.core.specs import JobResult, JobSpec


class SpeechInterrupted(UserError):
    """The server failed midway; `samples` / `sample_rate` hold the sentences that had arrived (already streamed as
    partials, pauses included)."""

    def __init__(self, message: Msg, samples: np.ndarray, sample_rate: int, sentences: int) -> None:
        super().__init__(message)
        self.samples = samples
        self.sample_rate = sample_rate
        self.sentences = sentences


class ServerSpeechEngine:
    """One voice of one speech server. Loading touches no network (the pane preloads the voice it shows); each run
    reads the server's entry as it is now, asks its dialect when no test has said it, and checks that a Piper server
    has the voice."""

    def __init__(self) -> None:
        self._store: ServerStore | None = None
        self._server_name = ""
        self._voice_name = ""
        self._entry: ModelEntry | None = None

    def load(self, model: ModelEntry, ctx: RunContext) -> None:
        ref = parse_model_id(model.id)
        if ref is None:
            raise UserError(QT_TRANSLATE_NOOP("ServerSpeechEngine", "{id} is not a server voice.").format(id=model.id))
        self._store = ServerStore(ctx.paths or app_paths())
        self._server_name, self._voice_name = ref
        self._entry = model

    def unload(self) -> None:
        self._store = self._entry = None

    def _connect(self, ctx: RunContext) -> tuple[SpeechClient, SpeechDialect, Voice]:
        """The server as the user's files say now (an edit in Settings counts from the next job on)."""
        assert self._store is not None
        server = self._store.get(self._server_name)
        client = SpeechClient(server, self._store.api_key(server.name))
        ctx.progress(None, QT_TRANSLATE_NOOP("ServerSpeechEngine", "Connecting to {name}…").format(name=server.name))
        if server.dialect in SpeechDialect.__members__.values():
            dialect = SpeechDialect(server.dialect)
        else:  # never tested: ask it now (on the worker thread, with the request's timeouts)
            dialect = client.probe(ctx.cancel).dialect
        return client, dialect, client.voice(dialect, self._voice_name, ctx.cancel)

    def run(self, spec: JobSpec, ctx: RunContext) -> JobResult:
        if self._store is None or self._entry is None:
            raise RuntimeError("ServerSpeechEngine.run before load")
        params = SpeechParams.from_spec(spec)
        client, dialect, voice = self._connect(ctx)
        text = checked_text(spec, voice.languages)
        if params.speaker is not None and voice.num_speakers > 1 and not 0 <= params.speaker < voice.num_speakers:
            raise UserError(
                QT_TRANSLATE_NOOP(
                    "ServerSpeechEngine", "{name} has speakers 0 to {last}; there is no speaker {speaker}."
                ).format(name=voice.name, last=voice.num_speakers - 1, speaker=params.speaker)
            )
        settings = SentenceSettings(
            length_scale=params.length_scale,
            noise_scale=params.noise_scale,
            noise_w=params.noise_w,
            speaker=params.speaker if voice.num_speakers > 1 else None,
        )
        sentences = _Sentences(client, dialect, voice.name, settings, ctx)
        try:
            return speak_sentences(
                spec,
                ctx,
                params,
                text,
                lambda: sentences.rate,
                sentences.speak,
                backend=dialect.value,
                nothing_spoken=QT_TRANSLATE_NOOP(
                    "ServerSpeechEngine", "{name} found nothing it can read in this text."
                ).format(name=voice.name),
                extra_metrics={
                    "server": client.server.name,
                    "server_model": voice.name,
                    "dialect": dialect.value,
                    "seeded": False,  # neither dialect takes a seed
                    "reproducible": dialect is SpeechDialect.PIPER and params.noise_scale == 0 and params.noise_w == 0,
                },
            )
        except HttpFailure as exc:
            if not sentences.received:
                raise
            rate = sentences.rate
            pause = np.zeros(round(params.sentence_pause_s * rate), dtype=np.float32)
            kept = [sentences.received[0], *(np.concatenate([pause, a]) for a in sentences.received[1:])]
            raise SpeechInterrupted(
                QT_TRANSLATE_NOOP(
                    "ServerSpeechEngine", "{reason} The {count} sentence(s) that had arrived are kept."
                ).format(reason=exc.message, count=len(sentences.received)),
                np.concatenate(kept).astype(np.float32, copy=False),
                rate,
                len(sentences.received),
            ) from exc


class _Sentences:
    """Asks the server for one sentence at a time, keeping what arrived and the server's sample rate."""

    def __init__(
        self, client: SpeechClient, dialect: SpeechDialect, voice: str, settings: SentenceSettings, ctx: RunContext
    ) -> None:
        self._client, self._dialect, self._voice, self._settings, self._ctx = client, dialect, voice, settings, ctx
        self.rate = 0
        self.received: list[np.ndarray] = []

    def speak(self, index: int, sentence: str) -> np.ndarray:
        audio, rate = self._client.sentence(self._dialect, self._voice, sentence, self._settings, self._ctx.cancel)
        if audio.size == 0:
            return audio
        if self.rate and rate != self.rate:
            raise HttpFailure(
                QT_TRANSLATE_NOOP(
                    "ServerSpeechEngine", "{name} changed its sample rate midway ({before} Hz, then {after} Hz)."
                ).format(name=self._client.server.name, before=self.rate, after=rate),
                Reason.BAD_ANSWER,
            )
        self.rate = rate
        self.received.append(audio)
        return audio
