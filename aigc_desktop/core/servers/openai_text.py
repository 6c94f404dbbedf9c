"""An OpenAI-compatible text server: what it offers, and one streamed generation on it.

Continue and Variants complete the text as it stands (`/v1/completions`); instruct actions send it as a user message
(`/v1/chat/completions`), so the server applies its model's chat template. Every sampling parameter is sent, never
left to the server's defaults (llama.cpp's min-p defaults to 0.05, vLLM's top-k to off...), in the server's dialect:

- llama.cpp (`llama-server`, llama-cpp-python's server) and LM Studio: `repeat_penalty`, `top_k`, `min_p`,
  `typical_p`, `seed` beside the OpenAI fields.
- vLLM: `repetition_penalty` (same formula, other name), `top_k` with -1 for "off", `min_p`, `seed`.
- Ollama: its `/v1` drops top-k, min-p and the repeat penalty, so the app uses its native `/api/generate` (raw, no
  template: a continuation) and `/api/chat`, with every parameter in `options`.
- Any other server: the OpenAI fields plus both penalty names; a server that refuses unknown fields says so (400).

Seeds: each request carries its seed, so Regenerate asks for the same text. Whether it comes back identical is the
server's affair: vLLM, Ollama and llama.cpp honour seeds, but llama.cpp servers reuse their prompt cache between
requests and evaluate the rest of a prompt in differently shaped batches, which can flip a near-tie token (the local
engine avoids this, text_llama.py `_keep_whole_batches`); a server's first request after a start matches a local run
token for token. Hosted OpenAI models treat seeds as a hint only.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from aigc_desktop.core.engines.base import CancelToken
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.servers.config import ServerConfig
from aigc_desktop.core.servers.http import Http, HttpFailure, Reason, json_error_message
from aigc_desktop.core.servers.sse import iter_json_lines, iter_sse

log = logging.getLogger(__name__)


class Dialect(StrEnum):
    LLAMA_CPP = "llama.cpp"
    VLLM = "vllm"
    OLLAMA = "ollama"
    OPENAI = "openai"


# What /v1/models says in "owned_by", per server.
_OWNERS = {"llamacpp": Dialect.LLAMA_CPP, "me": Dialect.LLAMA_CPP, "vllm": Dialect.VLLM, "lmstudio": Dialect.LLAMA_CPP}
_ENDPOINTS = {False: "/v1/completions", True: "/v1/chat/completions"}


@dataclass(frozen=True)
class ServerOffer:
    """What a test found: the dialect the app will speak and the models the server lists."""

    dialect: Dialect
    models: list[str]
    version: str | None = None


@dataclass(frozen=True)
class Sampling:
    """One request's knobs, already resolved (greedy folded in)."""

    max_tokens: int
    temperature: float
    top_p: float
    top_k: int  # 0 = off
    repeat_penalty: float
    seed: int
    stop: tuple[str, ...] = ()
    min_p: float = 0.0  # the local engines use none: sent explicitly so server defaults do not creep in
    typical_p: float = 1.0


@dataclass(frozen=True)
class Piece:
    """A streamed piece: text (may be empty), and, on the last one, why it ended and how many tokens it took."""

    text: str
    finish: str | None = None
    model: str | None = None
    tokens: int | None = None  # the server's own count of generated tokens, when it reports one


class TextClient:
    def __init__(self, server: ServerConfig, api_key: str | None) -> None:
        self.server = server
        self.http = Http(server, api_key)

    # ------------------------------------------------------------ what the server offers

    def probe(self, cancel: CancelToken | None = None) -> ServerOffer:
        """The server's dialect and models, or an HttpFailure saying exactly why not."""
        version = self._ollama_version(cancel)
        if version is not None:
            tags = self._json(self.http.get("/api/tags", cancel).body, "/api/tags")
            names = [m.get("name") or m.get("model") for m in tags.get("models") or [] if isinstance(m, dict)]
            return ServerOffer(Dialect.OLLAMA, sorted(str(m) for m in names if m), version)
        try:
            response = self.http.get("/v1/models", cancel)
        except HttpFailure as exc:
            if exc.reason is Reason.NOT_FOUND:
                raise self._not_text_server("/v1/models") from None
            raise
        data = self._json(response.body, "/v1/models")
        listed = data.get("data") if isinstance(data.get("data"), list) else data.get("models")
        if not isinstance(listed, list):
            raise self._not_text_server("/v1/models")
        models: list[str] = []
        dialect = Dialect.OPENAI
        for item in listed:
            if not isinstance(item, dict) or not (item.get("id") or item.get("name")):
                continue
            models.append(str(item.get("id") or item.get("name")))
            dialect = _OWNERS.get(str(item.get("owned_by", "")).lower(), dialect)
        return ServerOffer(dialect, models)

    def _ollama_version(self, cancel: CancelToken | None) -> str | None:
        try:
            response = self.http.get("/api/version", cancel)
        except HttpFailure as exc:
            if exc.reason in (Reason.UNREACHABLE, Reason.REFUSED, Reason.TIMEOUT, Reason.TLS, Reason.REDIRECT):
                raise
            return None  # 404, 401, ...: not Ollama (or not telling); /v1/models decides
        try:
            data = response.json()
        except ValueError:
            return None
        version = data.get("version") if isinstance(data, dict) else None
        return str(version) if isinstance(version, str) and version else None

    def _json(self, body: bytes, path: str) -> dict[str, Any]:
        try:
            data = json.loads(body.decode("utf-8", errors="replace"))
        except ValueError:
            raise self._not_text_server(path) from None
        if not isinstance(data, dict):
            raise self._not_text_server(path)
        return data

    def _not_text_server(self, path: str) -> HttpFailure:
        return HttpFailure(
            QT_TRANSLATE_NOOP(
                "Servers",
                "{name} answered, but not as an OpenAI-compatible text server: it has no model list at {path}. "
                "Is this the right address and port?",
            ).format(name=self.server.name, path=path),
            Reason.BAD_ANSWER,
        )

    # ------------------------------------------------------------ generating

    def stream(
        self, dialect: Dialect, model: str, prompt: str, sampling: Sampling, *, chat: bool, cancel: CancelToken
    ) -> Iterator[Piece]:
        """One generation, piece by piece as the server sends it. Stop (the cancel token) closes the connection,
        which ends the server's generation; a failure midway raises an HttpFailure after the pieces so far."""
        if dialect is Dialect.OLLAMA:
            path, payload = ollama_request(model, prompt, sampling, chat=chat)
        else:
            path, payload = _ENDPOINTS[chat], openai_request(dialect, model, prompt, sampling, chat=chat)
        with self.http.stream("POST", path, payload, cancel) as (_, content_type, chunks):
            if dialect is Dialect.OLLAMA:
                yield from self._ollama_pieces(chunks)
            elif content_type == "application/json":  # a server that ignores stream=true answers in one piece
                yield self._openai_piece(self._json(b"".join(chunks), path))
            else:
                yield from self._openai_pieces(chunks)

    def _openai_pieces(self, chunks: Iterator[bytes]) -> Iterator[Piece]:
        for event in iter_sse(chunks):
            data = event.data.strip()
            if not data:
                continue  # an empty event: nothing to write
            if data == "[DONE]":
                return
            try:
                obj = json.loads(data)
            except ValueError:
                log.warning("skipping an unreadable event from %s (%d characters)", self.server.name, len(data))
                continue
            if event.event == "error" or (isinstance(obj, dict) and "error" in obj):
                raise self._stream_error(obj)
            if isinstance(obj, dict):
                yield self._openai_piece(obj)

    @staticmethod
    def _openai_piece(obj: dict[str, Any]) -> Piece:
        choices = obj.get("choices") or []
        choice = choices[0] if choices and isinstance(choices[0], dict) else {}
        delta = choice.get("delta") if isinstance(choice.get("delta"), dict) else None
        message = choice.get("message") if isinstance(choice.get("message"), dict) else None
        text = (delta or message or {}).get("content") if (delta or message) else choice.get("text")
        usage = _dict(obj.get("usage"))
        tokens = usage.get("completion_tokens")
        return Piece(
            text=text if isinstance(text, str) else "",
            finish=str(choice["finish_reason"]) if choice.get("finish_reason") else None,
            model=str(obj["model"]) if obj.get("model") else None,
            tokens=tokens if isinstance(tokens, int) else None,
        )

    def _ollama_pieces(self, chunks: Iterator[bytes]) -> Iterator[Piece]:
        for line in iter_json_lines(chunks):
            try:
                obj = json.loads(line)
            except ValueError:
                log.warning("skipping an unreadable line from %s (%d characters)", self.server.name, len(line))
                continue
            if not isinstance(obj, dict):
                continue
            if "error" in obj:
                raise self._stream_error(obj)
            text = obj.get("response") if "response" in obj else _dict(obj.get("message")).get("content")
            done = bool(obj.get("done"))
            count = obj.get("eval_count")
            yield Piece(
                text=text if isinstance(text, str) else "",
                finish=str(obj.get("done_reason") or "stop") if done else None,
                model=str(obj["model"]) if obj.get("model") else None,
                tokens=count if done and isinstance(count, int) else None,
            )
            if done:
                return

    def _stream_error(self, obj: Any) -> HttpFailure:
        return HttpFailure(
            QT_TRANSLATE_NOOP("Servers", "{name} reported an error while writing: {detail}").format(
                name=self.server.name, detail=json_error_message(obj)[:300] or "-"
            ),
            Reason.HTTP,
        )


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


# ---------------------------------------------------------------- request bodies, per dialect


def openai_request(dialect: Dialect, model: str, prompt: str, s: Sampling, *, chat: bool) -> dict[str, Any]:
    body: dict[str, Any] = {"model": model}
    if chat:
        body["messages"] = [{"role": "user", "content": prompt}]
    else:
        body["prompt"] = prompt
    body.update(
        max_tokens=s.max_tokens,
        temperature=s.temperature,
        top_p=s.top_p,
        seed=s.seed,
        stream=True,
        stream_options={"include_usage": True},
    )
    if s.stop:
        body["stop"] = list(s.stop)
    if dialect is Dialect.VLLM:
        body.update(top_k=s.top_k if s.top_k > 0 else -1, min_p=s.min_p, repetition_penalty=s.repeat_penalty)
    else:
        body.update(top_k=s.top_k, min_p=s.min_p, typical_p=s.typical_p, repeat_penalty=s.repeat_penalty)
        if dialect is Dialect.OPENAI:
            body["repetition_penalty"] = s.repeat_penalty  # the servers that know one name ignore the other
    return body


def ollama_request(model: str, prompt: str, s: Sampling, *, chat: bool) -> tuple[str, dict[str, Any]]:
    options: dict[str, Any] = {
        "num_predict": s.max_tokens,
        "temperature": s.temperature,
        "top_p": s.top_p,
        "top_k": s.top_k,
        "min_p": s.min_p,
        "typical_p": s.typical_p,
        "repeat_penalty": s.repeat_penalty,
        "seed": s.seed,
    }
    if s.stop:
        options["stop"] = list(s.stop)
    if chat:
        return "/api/chat", {
            "model": model,
            "messages": [{"role": "user", "content": prompt}],
            "stream": True,
            "options": options,
        }
    # raw: the prompt goes to the model as it is (a continuation), not wrapped in the model's chat template
    return "/api/generate", {"model": model, "prompt": prompt, "raw": True, "stream": True, "options": options}
