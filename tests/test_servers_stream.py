"""Text jobs on a server, against stub servers that produce on demand what real ones do only sometimes: keep-alive
comments, empty events, a character split across chunks, no [DONE], an error midway, a dropped connection, silence,
redirects, TLS trouble, and the dialects (vLLM's and Ollama's parameter names)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from server_stubs import Handler, Stub, completion_chunk, models_route, self_signed, sse

from aigc_desktop.core.engines.base import CancelToken, RunContext
from aigc_desktop.core.engines.host import EngineHost
from aigc_desktop.core.engines.text_openai import StreamInterrupted
from aigc_desktop.core.errors import JobCancelled
from aigc_desktop.core.models.registry import ModelRegistry
from aigc_desktop.core.paths import AppPaths
from aigc_desktop.core.servers.config import ServerConfig, ServerKind, ServerStore
from aigc_desktop.core.servers.http import HttpFailure, Reason
from aigc_desktop.core.servers.openai_text import Dialect, TextClient
from aigc_desktop.core.servers.sse import SseEvent, iter_json_lines, iter_sse
from aigc_desktop.core.specs import JobResult
from aigc_desktop.core.text.job import TextChunk, TextOutput, TextParams, text_spec

pytestmark = pytest.mark.timeout(60)  # a hang guard only: every stub answers (or is given up) in well under a second

MODEL = "server:stub/stub-model"


@pytest.fixture
def stub() -> Iterator[Stub]:
    s = Stub().start()
    yield s
    s.close()


def add(paths: AppPaths, url: str, key: str | None = None, **kw: Any) -> ServerConfig:
    server = ServerConfig("stub", ServerKind.TEXT, url, **kw)
    store = ServerStore(paths)
    store.add(server, key, replace_existing=True)
    return store.get(server.name)  # as saved: the URL normalised


def run(
    paths: AppPaths, params: TextParams | None = None, cancel: CancelToken | None = None, seed: int = 5
) -> tuple[JobResult, list[TextChunk]]:
    chunks: list[TextChunk] = []
    host = EngineHost(ModelRegistry(paths))
    ctx = RunContext(cancel=cancel or CancelToken(), on_partial=chunks.append)
    spec = text_spec(MODEL, "Once upon a time", params or TextParams(max_new_tokens=16), seed=seed)
    try:
        return host.run(spec, ctx), chunks
    finally:
        host.unload_all()


def streamed(chunks: list[Any]) -> str:
    return "".join(c.text for c in chunks)


# ---------------------------------------------------------------- the SSE reader alone


STREAM = (
    "\ufeff: keep-alive\r\n\r\n"  # a byte-order mark first, then a comment
    'data: {"a": "春天"}\r\n\r\n'
    "event: ping\ndata:\n\n"  # an event with empty data still counts (the client skips it)
    "data: line one\ndata: line two\n\n"
    "data: x\r\r"
    'data: {"last": "🙂"}'  # no blank line before the end: dispatched anyway
).encode()


def test_sse_reader_gives_the_same_events_wherever_the_bytes_are_split() -> None:
    whole = list(iter_sse([STREAM]))
    assert whole == [
        SseEvent('{"a": "春天"}'),
        SseEvent("", "ping"),
        SseEvent("line one\nline two"),
        SseEvent("x"),
        SseEvent('{"last": "🙂"}'),
    ]
    for cut in range(1, len(STREAM)):
        assert list(iter_sse([STREAM[:cut], STREAM[cut:]])) == whole, cut
    assert list(iter_sse([bytes([b]) for b in STREAM])) == whole


def test_json_lines_survive_split_characters() -> None:
    data = '{"response": "你好"}\n\n{"done": true}\n'.encode()
    assert list(iter_json_lines([data[:16], data[16:17], data[17:]])) == ['{"response": "你好"}', '{"done": true}']


# ---------------------------------------------------------------- streams a real server seldom produces on demand


def test_keepalives_empty_chunks_a_split_character_and_no_done(stub: Stub, paths: AppPaths) -> None:
    text = "春天的早晨 🙂"
    encoded = [sse(completion_chunk(piece)) for piece in ("春天", "的早晨", " 🙂")]
    raw = b"".join(encoded)
    split_inside = raw.index("🙂".encode()) + 2  # the cut falls inside the emoji's four bytes

    def route(h: Handler, body: Any) -> None:
        h.start_stream()
        h.chunk(b": ping - keep-alive\n\n")
        h.chunk(sse(completion_chunk("")))  # an empty piece
        h.chunk(b"data: \n\n")  # an empty event
        h.chunk(sse({"choices": []}))  # a chunk with no choice at all
        h.chunk(raw[:split_inside])
        h.chunk(raw[split_inside:])
        h.chunk(sse(completion_chunk("", "stop")))
        h.end_stream()  # and no "data: [DONE]"

    stub.route("POST", "/v1/completions", route)
    add(paths, stub.url, dialect="llama.cpp")
    result, chunks = run(paths)
    output = result.output
    assert isinstance(output, TextOutput)
    assert output.texts == [text] and streamed(chunks) == text
    assert output.stopped_early == [True] and output.new_tokens == 3
    assert result.metrics["server"] == "stub" and result.metrics["server_model"] == "stub-model"


def test_an_error_in_the_middle_keeps_what_arrived(stub: Stub, paths: AppPaths) -> None:
    def route(h: Handler, body: Any) -> None:
        h.start_stream()
        h.chunk(sse(completion_chunk("Hello")))
        h.chunk(sse(completion_chunk(" there")))
        h.chunk(sse({"error": {"message": "CUDA out of memory", "code": 500}}))
        h.end_stream()

    stub.route("POST", "/v1/completions", route)
    add(paths, stub.url, dialect="llama.cpp")
    chunks: list[TextChunk] = []
    with pytest.raises(StreamInterrupted) as caught:
        host = EngineHost(ModelRegistry(paths))
        host.run(text_spec(MODEL, "x", TextParams(), seed=1), RunContext(on_partial=chunks.append))
    assert caught.value.texts == ["Hello there"] and streamed(chunks) == "Hello there"
    message = str(caught.value)
    assert (
        "stub reported an error while writing: CUDA out of memory" in message and "(11 characters) is kept" in message
    )


def test_a_dropped_connection_keeps_what_arrived(stub: Stub, paths: AppPaths) -> None:
    def route(h: Handler, body: Any) -> None:
        h.start_stream()
        h.chunk(sse(completion_chunk("Half a")))
        h.drop()

    stub.route("POST", "/v1/completions", route)
    add(paths, stub.url, dialect="llama.cpp")
    with pytest.raises(StreamInterrupted) as caught:
        run(paths)
    assert caught.value.texts == ["Half a"]
    assert "The connection to stub dropped in the middle of its answer." in str(caught.value)
    assert isinstance(caught.value.__cause__, HttpFailure) and caught.value.__cause__.reason is Reason.DROPPED


def test_a_server_that_accepts_and_never_answers_times_out(stub: Stub, paths: AppPaths) -> None:
    stub.route("POST", "/v1/completions", lambda h, body: h.hang())
    add(paths, stub.url, dialect="llama.cpp", timeout_s=0.3)
    with pytest.raises(HttpFailure) as caught:
        run(paths)
    assert caught.value.reason is Reason.TIMEOUT
    assert str(caught.value) == "stub sent nothing for 0.3 s; the request was given up."


def test_silence_after_some_text_times_out_and_keeps_the_text(stub: Stub, paths: AppPaths) -> None:
    def route(h: Handler, body: Any) -> None:
        h.start_stream()
        h.chunk(sse(completion_chunk("Once")))
        h.hang()

    stub.route("POST", "/v1/completions", route)
    add(paths, stub.url, dialect="llama.cpp", timeout_s=0.3)
    with pytest.raises(StreamInterrupted) as caught:
        run(paths)
    assert caught.value.texts == ["Once"] and "sent nothing for 0.3 s" in str(caught.value)


def test_stop_closes_the_connection_while_the_server_is_silent(stub: Stub, paths: AppPaths) -> None:
    cancel = CancelToken()

    def route(h: Handler, body: Any) -> None:
        h.start_stream()
        h.chunk(sse(completion_chunk("Once")))
        h.hang()  # returns when the client closes: that is what the test waits for

    stub.route("POST", "/v1/completions", route)
    add(paths, stub.url, dialect="llama.cpp")  # the default silence timeout (120 s): only Stop can end this

    chunks: list[TextChunk] = []

    def on_partial(chunk: Any) -> None:
        chunks.append(chunk)
        cancel.cancel()  # Stop, as soon as the first words arrive

    host = EngineHost(ModelRegistry(paths))
    with pytest.raises(JobCancelled):
        host.run(text_spec(MODEL, "x", TextParams(), seed=1), RunContext(cancel=cancel, on_partial=on_partial))
    assert stub.disconnected.wait(10), "the server never saw the client go"
    assert streamed(chunks) == "Once"


def test_variants_use_one_seed_each_and_every_parameter_is_sent(stub: Stub, paths: AppPaths) -> None:
    def route(h: Handler, body: Any) -> None:
        h.start_stream()
        h.chunk(sse(completion_chunk(f"seed {body['seed']}", "length")))
        h.chunk(b"data: [DONE]\n\n")
        h.end_stream()

    stub.route("POST", "/v1/completions", route)
    add(paths, stub.url, dialect="llama.cpp")
    params = TextParams(
        max_new_tokens=7, temperature=0.6, top_p=0.9, top_k=12, repetition_penalty=1.3, n=2, stop=("\n",)
    )
    result, chunks = run(paths, params, seed=41)
    assert result.output.texts == ["seed 41", "seed 42"] and result.metrics["seeds"] == [41, 42]
    assert [c.index for c in chunks] == [0, 1]
    first = stub.requests[0].body
    assert first == {
        "model": "stub-model",
        "prompt": "Once upon a time",
        "max_tokens": 7,
        "temperature": 0.6,
        "top_p": 0.9,
        "seed": 41,
        "stream": True,
        "stream_options": {"include_usage": True},
        "stop": ["\n"],
        "top_k": 12,
        "min_p": 0.0,
        "typical_p": 1.0,
        "repeat_penalty": 1.3,
    }


def test_greedy_and_chat_go_to_the_chat_endpoint_with_argmax_settings(stub: Stub, paths: AppPaths) -> None:
    def route(h: Handler, body: Any) -> None:
        h.start_stream()
        h.chunk(sse({"model": "stub-model", "choices": [{"index": 0, "delta": {"role": "assistant"}}]}))
        h.chunk(sse({"model": "stub-model", "choices": [{"index": 0, "delta": {"content": "A title"}}]}))
        h.chunk(
            sse({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}], "usage": {"completion_tokens": 3}})
        )
        h.chunk(b"data: [DONE]\n\n")
        h.end_stream()

    stub.route("POST", "/v1/chat/completions", route)
    add(paths, stub.url, dialect="llama.cpp")
    result, _ = run(paths, TextParams(greedy=True, chat=True))
    assert result.output.texts == ["A title"] and result.output.new_tokens == 3
    body = stub.requests[0].body
    assert body["messages"] == [{"role": "user", "content": "Once upon a time"}] and "prompt" not in body
    assert (body["temperature"], body["top_p"], body["top_k"]) == (0.0, 1.0, 1)


@pytest.mark.parametrize(
    ("owned_by", "dialect", "penalty_names", "top_k_off"),
    [
        ("vllm", Dialect.VLLM, {"repetition_penalty"}, -1),
        ("llamacpp", Dialect.LLAMA_CPP, {"repeat_penalty"}, 0),
        ("openai", Dialect.OPENAI, {"repeat_penalty", "repetition_penalty"}, 0),
    ],
)
def test_each_dialect_gets_its_parameter_names(
    stub: Stub, paths: AppPaths, owned_by: str, dialect: Dialect, penalty_names: set[str], top_k_off: int
) -> None:
    stub.route("GET", "/v1/models", models_route(owned_by))

    def route(h: Handler, body: Any) -> None:
        h.start_stream()
        h.chunk(sse(completion_chunk("ok", "stop")))
        h.end_stream()

    stub.route("POST", "/v1/completions", route)
    add(paths, stub.url)  # never tested: the engine asks the server which dialect it speaks
    result, _ = run(paths, TextParams(top_k=0))
    assert result.metrics["dialect"] == dialect.value
    body = stub.requests[-1].body
    assert {k for k in body if "penalty" in k} == penalty_names and body["top_k"] == top_k_off
    assert body["seed"] == 5 and body["min_p"] == 0.0


def test_ollama_runs_natively_with_every_option(stub: Stub, paths: AppPaths) -> None:
    stub.route("GET", "/api/version", lambda h, b: h.json(200, {"version": "0.6.2"}))
    stub.route(
        "GET", "/api/tags", lambda h, b: h.json(200, {"models": [{"name": "qwen2.5:7b"}, {"name": "llama3:8b"}]})
    )

    def route(h: Handler, body: Any) -> None:
        key = "response" if h.path == "/api/generate" else "message"
        h.start_stream("application/x-ndjson")
        for piece in ("你", "好"):
            value = piece if key == "response" else {"role": "assistant", "content": piece}
            line = json.dumps({"model": body["model"], key: value, "done": False}, ensure_ascii=False).encode()
            h.chunk(line[:-3])
            h.chunk(line[-3:] + b"\n")
        h.chunk(json.dumps({"model": body["model"], "done": True, "done_reason": "length", "eval_count": 2}).encode())
        h.end_stream()

    stub.route("POST", "/api/generate", route)
    stub.route("POST", "/api/chat", route)
    offer = TextClient(add(paths, stub.url), None).probe()
    assert (offer.dialect, offer.models, offer.version) == (Dialect.OLLAMA, ["llama3:8b", "qwen2.5:7b"], "0.6.2")
    result, _ = run(paths, TextParams(max_new_tokens=9, temperature=0.5, top_k=7, repetition_penalty=1.2))
    assert result.output.texts == ["你好"] and result.output.new_tokens == 2 and result.output.stopped_early == [False]
    generate = stub.requests[-1]
    assert generate.path == "/api/generate" and generate.body["raw"] is True and generate.body["stream"] is True
    assert generate.body["options"] == {
        "num_predict": 9,
        "temperature": 0.5,
        "top_p": 0.95,
        "top_k": 7,
        "min_p": 0.0,
        "typical_p": 1.0,
        "repeat_penalty": 1.2,
        "seed": 5,
    }
    chat, _ = run(paths, TextParams(chat=True))
    assert chat.output.texts == ["你好"] and stub.requests[-1].path == "/api/chat"


# ---------------------------------------------------------------- test: what a server offers, or exactly why not


def probe_error(server: ServerConfig, key: str | None = None) -> HttpFailure:
    with pytest.raises(HttpFailure) as caught:
        TextClient(server, key).probe()
    return caught.value


def test_probe_lists_models_and_names_every_way_it_can_fail(stub: Stub, paths: AppPaths, tmp_path: Path) -> None:
    stub.route("GET", "/v1/models", models_route("me", ("a", "b")))
    ok = TextClient(add(paths, stub.url + "/v1"), None).probe()
    assert (ok.dialect, ok.models) == (Dialect.LLAMA_CPP, ["a", "b"])

    html = Stub().start()
    html.route("GET", "/v1/models", lambda h, b: h.raw(200, "text/html", b"<html>ComfyUI</html>"))
    try:
        failure = probe_error(add(paths, html.url))
        assert failure.reason is Reason.BAD_ANSWER and "not as an OpenAI-compatible text server" in str(failure)
    finally:
        html.close()

    empty = Stub().start()
    try:
        failure = probe_error(add(paths, empty.url))  # 404 everywhere
        assert failure.reason is Reason.BAD_ANSWER and "/v1/models" in str(failure)
    finally:
        empty.close()

    locked = Stub().start()
    locked.route("GET", "/v1/models", lambda h, b: h.json(403, {"error": {"message": "IP not allowed"}}))
    try:
        failure = probe_error(add(paths, locked.url))
        assert (
            failure.reason is Reason.FORBIDDEN and str(failure) == "stub denied access (403 Forbidden): IP not allowed"
        )
    finally:
        locked.close()

    port = Stub().start()
    closed_url = port.url
    port.close()
    failure = probe_error(add(paths, closed_url))
    assert failure.reason is Reason.REFUSED and "refused the connection" in str(failure)

    failure = probe_error(add(paths, "https" + stub.url.removeprefix("http")))  # TLS to a plain-http server
    assert failure.reason is Reason.TLS and "is it an http:// server" in str(failure)


def test_tls_is_verified_unless_turned_off(paths: AppPaths, tmp_path: Path) -> None:
    secure = Stub(tls=self_signed(tmp_path))
    secure.start()
    secure.route("GET", "/v1/models", models_route())
    try:
        failure = probe_error(add(paths, secure.url))
        assert failure.reason is Reason.TLS and "could not be verified" in str(failure)
        assert TextClient(add(paths, secure.url, verify_tls=False), None).probe().models == ["stub-model"]
    finally:
        secure.close()


def test_redirects_to_another_host_are_not_followed_with_the_key(paths: AppPaths) -> None:
    other = Stub(host="127.0.0.2").start()
    other.route("GET", "/v1/models", models_route())
    home = Stub().start()
    home.route("GET", "/v1/models", lambda h, b: h.raw(307, "text/plain", b"", {"Location": other.url + "/v1/models"}))
    home.route("GET", "/v2/models", lambda h, b: h.raw(308, "text/plain", b"", {"Location": "/v1/models-real"}))
    home.route("GET", "/v1/models-real", models_route())
    try:
        failure = probe_error(add(paths, home.url, key="sk-secret"), key="sk-secret")
        assert failure.reason is Reason.REDIRECT and other.url in str(failure)
        assert other.requests == []  # nothing reached the other host: neither the key nor anything else
        # On the same server a redirect is followed, key and all.
        client = TextClient(add(paths, home.url), "sk-secret")
        assert client.http.get("/v2/models").json()["data"][0]["id"] == "stub-model"
        assert home.requests[-1].path == "/v1/models-real"
        assert home.requests[-1].headers["Authorization"] == "Bearer sk-secret"
    finally:
        other.close()
        home.close()


def test_the_key_is_sent_as_a_bearer_token_and_401_says_so(stub: Stub, paths: AppPaths) -> None:
    def route(h: Handler, body: Any) -> None:
        if h.headers.get("Authorization") == "Bearer right":
            models_route()(h, body)
        else:
            h.json(401, {"error": {"message": "Invalid API key"}})

    stub.route("GET", "/v1/models", route)
    assert TextClient(add(paths, stub.url), "right").probe().models == ["stub-model"]
    wrong = probe_error(add(paths, stub.url), "wrong")
    assert wrong.reason is Reason.UNAUTHORIZED and str(wrong) == (
        "stub did not accept the API key (401 Unauthorized): check the key for this server."
    )
    assert "needs an API key" in str(probe_error(add(paths, stub.url)))


def test_stop_while_connecting_or_before_any_answer_is_a_cancel_not_an_error(stub: Stub, paths: AppPaths) -> None:
    stub.route("POST", "/v1/completions", lambda h, body: h.hang())
    add(paths, stub.url, dialect="llama.cpp")
    cancel = CancelToken()
    timer = threading.Timer(0.2, cancel.cancel)
    timer.start()
    try:
        with pytest.raises(JobCancelled):
            run(paths, cancel=cancel)
    finally:
        timer.cancel()
    assert stub.disconnected.wait(10)


def test_a_key_fixed_in_settings_counts_from_the_next_job_with_the_model_still_loaded(
    stub: Stub, paths: AppPaths
) -> None:
    def route(h: Handler, body: Any) -> None:
        if h.headers.get("Authorization") != "Bearer right":
            h.json(401, {"error": {"message": "Invalid API key"}})
            return
        h.start_stream()
        h.chunk(sse(completion_chunk("ok", "stop")))
        h.end_stream()

    stub.route("POST", "/v1/completions", route)
    add(paths, stub.url, key="wrong", dialect="llama.cpp")
    host = EngineHost(ModelRegistry(paths))  # one lane's host: the engine stays loaded between the jobs
    spec = text_spec(MODEL, "x", TextParams(), seed=1)
    try:
        with pytest.raises(HttpFailure, match="did not accept the API key"):
            host.run(spec, RunContext())
        ServerStore(paths).set_api_key("stub", "right")
        assert host.loaded_models() == [MODEL]
        assert host.run(spec.replay(), RunContext()).output.texts == ["ok"]
    finally:
        host.unload_all()


def test_stop_ends_a_connect_to_a_host_that_never_answers_it(paths: AppPaths) -> None:
    """A listener whose backlog is full drops further SYNs (Linux): a connect to it waits, as one to a silent host on
    the network does. Stop must end that wait, not the connect timeout (an hour here)."""
    import socket

    from aigc_desktop.core.servers.http import Http

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = [socket.socket() for _ in range(4)]
    for filler in fillers:
        filler.setblocking(False)
        filler.connect_ex(("127.0.0.1", port))
    cancel = CancelToken()
    outcome: list[BaseException] = []

    def connect() -> None:
        try:
            Http(ServerConfig("silent", ServerKind.TEXT, f"http://127.0.0.1:{port}"), None, connect_timeout_s=3600).get(
                "/v1/models", cancel
            )
        except BaseException as exc:  # the test looks at what ended it
            outcome.append(exc)

    thread = threading.Thread(target=connect, daemon=True)
    thread.start()
    try:
        thread.join(0.3)
        assert thread.is_alive(), "the connect should still be waiting on the silent listener"
        cancel.cancel()
        thread.join(30)  # a hang guard only
        assert not thread.is_alive(), "Stop did not end the connect"
        assert len(outcome) == 1 and isinstance(outcome[0], JobCancelled)
    finally:
        cancel.cancel()
        for s in (*fillers, listener):
            s.close()
