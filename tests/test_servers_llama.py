"""Text jobs against the real llama.cpp server (llama-cpp-python's `llama_cpp.server`) with the embedded Gemma GGUF.

Greedy output over a freshly started server equals the local engine's, token for token, in English and Chinese. Only
a fresh server: llama-cpp-python's server keeps the previous request's KV cache and reuses the longest common prefix
(at least the BOS token), so it evaluates the rest of a later prompt in a batch of another shape than a fresh run,
and llama.cpp's CPU kernels round differently per batch shape — enough to flip a near-tie greedy token (measured
here: "Once upon a time" gives "…a man named John" fresh and "…a little girl named Lily" after another prompt). The
local engine rules this out with `_keep_whole_batches`; a server decides for itself, which is why Regenerate over a
llama.cpp server asks for the same text but cannot promise it (core/servers/openai_text.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from llama_server import LlamaServer, llama_server

from aigc_desktop.core.engines.base import CancelToken, RunContext
from aigc_desktop.core.engines.host import EngineHost
from aigc_desktop.core.engines.text_llama import LlamaCppEngine
from aigc_desktop.core.errors import JobCancelled
from aigc_desktop.core.models.entry import ModelEntry, ModelSource
from aigc_desktop.core.models.registry import ModelRegistry
from aigc_desktop.core.paths import AppPaths
from aigc_desktop.core.servers.config import ServerConfig, ServerKind, ServerStore, with_test_result
from aigc_desktop.core.servers.entries import model_id
from aigc_desktop.core.servers.http import HttpFailure, Reason
from aigc_desktop.core.servers.openai_text import Dialect, TextClient
from aigc_desktop.core.specs import JobResult, ModelKind
from aigc_desktop.core.text.job import TextChunk, TextOutput, TextParams, text_spec

pytestmark = [pytest.mark.integration, pytest.mark.timeout(600)]  # hang guards; nothing here times anything

EN_PROMPT = "The old lighthouse keeper opened the door and"
ZH_PROMPT = "春天的早晨，小镇上"
COUNTING = "1, 2, 3, 4, 5, 6, 7, 8,"  # greedy on a base model counts on until max_tokens: a long generation
RIGHT_KEY = "sk-right-key"


@pytest.fixture(scope="session")
def shared_server(gemma_gguf: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LlamaServer]:
    with llama_server(gemma_gguf, tmp_path_factory.mktemp("llama-server") / "server.log") as server:
        yield server


@pytest.fixture(scope="module")
def keyed_server(gemma_gguf: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LlamaServer]:
    log = tmp_path_factory.mktemp("llama-server-key") / "server.log"
    with llama_server(gemma_gguf, log, "--api_key", RIGHT_KEY) as server:
        yield server


@pytest.fixture(scope="module")
def local_engine(gemma_gguf: Path) -> Iterator[LlamaCppEngine]:
    engine = LlamaCppEngine()
    entry = ModelEntry("gemma", "Gemma", ModelKind.TEXT, "llama.cpp", gemma_gguf, 1, "", ModelSource.PATH)
    engine.load(entry, RunContext())
    yield engine
    engine.unload()


def add_server(paths: AppPaths, url: str, key: str | None = None, **kw: Any) -> str:
    """Add and test the server as `aigc servers add/test` do; the id of its (only) model."""
    store = ServerStore(paths)
    store.add(ServerConfig("llama", ServerKind.TEXT, url, **kw), key, replace_existing=True)
    server = store.get("llama")
    offer = TextClient(server, key).probe()
    assert offer.dialect is Dialect.LLAMA_CPP and len(offer.models) == 1
    store.update(with_test_result(server, offer.dialect.value, offer.models))
    return model_id("llama", offer.models[0])


def run(
    paths: AppPaths, model: str, prompt: str, params: TextParams, ctx: RunContext | None = None
) -> tuple[JobResult, list[TextChunk]]:
    chunks: list[TextChunk] = []
    ctx = ctx or RunContext(on_partial=chunks.append)
    host = EngineHost(ModelRegistry(paths))
    try:
        return host.run(text_spec(model, prompt, params, seed=11), ctx), chunks
    finally:
        host.unload_all()


@pytest.mark.parametrize("prompt", [EN_PROMPT, ZH_PROMPT], ids=["en", "zh"])
def test_greedy_over_a_fresh_server_equals_the_local_engine_token_for_token(
    prompt: str, gemma_gguf: Path, local_engine: LlamaCppEngine, paths: AppPaths, tmp_path: Path
) -> None:
    params = TextParams(max_new_tokens=24, greedy=True)
    with llama_server(gemma_gguf, tmp_path / "server.log") as fresh:
        over_server, chunks = run(paths, add_server(paths, fresh.url), prompt, params)
    local = local_engine.run(text_spec("gemma", prompt, params, seed=11), RunContext()).output
    remote = over_server.output
    assert isinstance(remote, TextOutput) and isinstance(local, TextOutput)
    assert remote.texts == local.texts and remote.texts[0].strip()
    assert remote.stopped_early == local.stopped_early == [False]
    # Both ran to the token budget. (The local engine counts one more: llama-cpp-python calls its stopping
    # criteria once more after the last token, text_llama.py's counter included.)
    assert remote.new_tokens == params.max_new_tokens
    assert "".join(c.text for c in chunks) == remote.texts[0]
    assert over_server.metrics["server"] == "llama" and over_server.metrics["dialect"] == "llama.cpp"
    assert str(over_server.metrics["server_model"]).endswith(gemma_gguf.name)  # the model the server reported


def test_stop_mid_stream_ends_the_servers_generation(shared_server: LlamaServer, paths: AppPaths) -> None:
    # The silence timeout is the hang guard: were the 2000-token count still running, the next request would wait
    # for it (the server serves one generation at a time, and interrupt_requests is off) and time out.
    model = add_server(paths, shared_server.url, timeout_s=90)
    cancel = CancelToken()
    chunks: list[TextChunk] = []

    def on_partial(chunk: Any) -> None:
        chunks.append(chunk)
        if len(chunks) == 3:
            cancel.cancel()

    ctx = RunContext(cancel=cancel, on_partial=on_partial)
    with pytest.raises(JobCancelled):
        run(paths, model, COUNTING, TextParams(max_new_tokens=2000, greedy=True, repetition_penalty=1.0), ctx)
    assert len(chunks) == 3
    after, _ = run(paths, model, EN_PROMPT, TextParams(max_new_tokens=4, greedy=True))
    assert after.output.new_tokens == 4 and after.output.texts[0]
    # The server itself says it was the client going away that ended the stream.
    assert "Disconnected from client" in shared_server.log_text()


def test_chat_runs_the_servers_chat_template_and_variants_get_their_seeds(
    shared_server: LlamaServer, paths: AppPaths
) -> None:
    model = add_server(paths, shared_server.url)
    # The embedded Gemma is a base model without a chat template: the server wraps the message in its fallback
    # template and the model ends its turn at once. What counts here is a complete, well-formed chat exchange.
    chat, chunks = run(paths, model, "Write one word: a colour.", TextParams(max_new_tokens=8, greedy=True, chat=True))
    assert isinstance(chat.output, TextOutput) and chat.output.stopped_early == [True]
    assert "".join(c.text for c in chunks) == chat.output.texts[0]
    variants, chunks = run(paths, model, EN_PROMPT, TextParams(max_new_tokens=6, temperature=0.9, n=2))
    assert len(variants.output.texts) == 2 and {c.index for c in chunks} == {0, 1}
    assert variants.metrics["seeds"] == [11, 12]


def test_a_wrong_api_key_gives_the_401_message(keyed_server: LlamaServer, paths: AppPaths) -> None:
    store = ServerStore(paths)
    store.add(ServerConfig("keyed", ServerKind.TEXT, keyed_server.url), "sk-wrong")
    with pytest.raises(HttpFailure) as caught:
        TextClient(store.get("keyed"), store.api_key("keyed")).probe()
    assert caught.value.reason is Reason.UNAUTHORIZED and caught.value.status == 401
    assert str(caught.value) == "keyed did not accept the API key (401 Unauthorized): check the key for this server."
    with pytest.raises(HttpFailure, match="keyed needs an API key"):
        TextClient(store.get("keyed"), None).probe()
    # A generation with the wrong key fails the same way, before any text.
    store.update(with_test_result(store.get("keyed"), "llama.cpp", ["m"]))
    with pytest.raises(HttpFailure, match="did not accept the API key"):
        run(paths, "server:keyed/m", EN_PROMPT, TextParams(max_new_tokens=2))
    store.set_api_key("keyed", RIGHT_KEY)
    result, _ = run(paths, "server:keyed/m", EN_PROMPT, TextParams(max_new_tokens=2, greedy=True))
    assert result.output.texts[0]


def test_the_servers_dialog_and_the_document_pane_against_the_real_server(
    qtbot: Any, window: Any, keyed_server: LlamaServer
) -> None:
    """Settings ▸ Servers tests the real server (a wrong key: the 401 message; the right one: its model listed), and
    Continue on the listed model streams the server's words at the cursor, recorded with the server's name. (Equal
    to the local engine's only on a fresh server: see the module's docstring; the tests above prove that.)"""
    from PySide6.QtGui import QTextCursor

    from aigc_desktop.ui.servers_dialog import ServersDialog

    window.menus.servers.trigger()
    dialog = window.findChild(ServersDialog)
    form = dialog.form
    dialog.add_button.click()
    form.name_edit.setText("llama")
    form.url_edit.setText(keyed_server.url)
    form.key_edit.setText("sk-wrong")

    def test() -> str:
        form.test_button.click()
        qtbot.waitUntil(lambda: form.call is None, timeout=60000)
        return str(form.result.text())

    assert test() == "llama did not accept the API key (401 Unauthorized): check the key for this server."
    form.key_edit.setText(RIGHT_KEY)
    result = test()
    assert result.startswith("The server answered. Models it offers: 1\n"), result
    form.save_button.click()
    served = ServerStore(window.ctx.paths).get("llama").models
    assert len(served) == 1

    pane = window.document_pane
    pane.model_selector.setCurrentIndex(pane.model_selector.findData(model_id("llama", served[0])))
    pane.controls.greedy.setChecked(True)
    pane.controls.max_new_tokens.setValue(12)
    pane.editor.setPlainText(EN_PROMPT)
    cursor = pane.editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    pane.editor.setTextCursor(cursor)
    assert pane.continue_writing() is not None
    qtbot.waitUntil(lambda: not window.document_model.running, timeout=120000)
    written = pane.editor.toPlainText()[len(EN_PROMPT) :]
    entry = window.session.project.history[-1]
    assert written.strip() and entry.metrics["texts"] == [written] and entry.metrics["new_tokens"] <= 12
    assert entry.metrics["server"] == "llama" and entry.metrics["server_model"]
