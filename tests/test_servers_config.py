"""The servers list and its keys, the URL checks, server models in the registry, and `aigc servers` / `aigc write
--server` as a user runs them (subprocesses, against a stub server)."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from server_stubs import Handler, Stub, completion_chunk, models_route, sse

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.models.entry import ModelSource
from aigc_desktop.core.models.registry import ModelRegistry
from aigc_desktop.core.paths import AppPaths
from aigc_desktop.core.servers.config import (
    ServerConfig,
    ServerKind,
    ServerStore,
    check_url,
    is_loopback,
    plain_http_warning,
    with_test_result,
)
from aigc_desktop.core.servers.entries import BACKENDS, model_id, parse_model_id
from aigc_desktop.core.specs import ModelKind

pytestmark = pytest.mark.timeout(120)  # hang guard for the subprocesses

REPO = Path(__file__).resolve().parent.parent
KEY = "sk-test-5e3ret-key"


# ---------------------------------------------------------------- URLs


@pytest.mark.parametrize(
    ("given", "saved"),
    [
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
        (" https://gpu-box:8000/v1/ ", "https://gpu-box:8000"),
        ("http://[::1]:11434/", "http://[::1]:11434"),
        ("https://example.org/proxy/llm/v1", "https://example.org/proxy/llm"),
        ("HTTP://LocalHost:5000", "http://localhost:5000"),
    ],
)
def test_urls_are_normalised(given: str, saved: str) -> None:
    assert check_url(given) == saved


@pytest.mark.parametrize(
    ("given", "says"),
    [
        ("http://user:pw@gpu-box:8000", "user name or password"),
        ("https://sk-abc@gpu-box", "user name or password"),
        ("http://gpu-box:8000/v1?key=sk-abc", "query"),
        ("ftp://gpu-box", "must start with http:// or https://"),
        ("gpu-box:8000", "must start with http:// or https://"),
        ("http://gpu-box:99999", "not a valid address"),
        ("http://", "must start with http:// or https://"),
    ],
)
def test_bad_urls_are_refused_and_never_echo_credentials(given: str, says: str) -> None:
    with pytest.raises(UserError) as caught:
        check_url(given)
    assert says in str(caught.value)
    assert "pw" not in str(caught.value) and "sk-abc" not in str(caught.value)


def test_plain_http_to_another_machine_is_flagged_loopback_is_not() -> None:
    for host in ("localhost", "127.0.0.1", "127.8.9.10", "[::1]", "api.localhost"):
        assert is_loopback(host.strip("[]")), host
        server = ServerConfig("s", ServerKind.TEXT, check_url(f"http://{host}:1"))
        assert not server.plain_http_remote and plain_http_warning(server) is None
    for url in ("http://192.168.1.20:8080", "http://gpu-box:8000", "http://10.0.0.2"):
        server = ServerConfig("box", ServerKind.TEXT, check_url(url))
        warning = plain_http_warning(server)
        assert server.plain_http_remote and warning is not None and "unencrypted" in warning
        assert warning.context == "Servers" and warning.values["name"] == "box"  # shown translated by the window
    assert not ServerConfig("s", ServerKind.TEXT, "https://gpu-box").plain_http_remote


# ---------------------------------------------------------------- the store and the key file


def test_keys_live_apart_in_an_owner_only_file(paths: AppPaths) -> None:
    store = ServerStore(paths)
    store.add(ServerConfig("box", ServerKind.TEXT, "https://gpu-box:8000/v1"), KEY)
    store.add(ServerConfig("open", ServerKind.TEXT, "http://127.0.0.1:8080"))
    assert KEY not in store.servers_file.read_text(encoding="utf-8")
    assert json.loads(store.keys_file.read_text(encoding="utf-8")) == {"box": KEY}
    if os.name == "posix":
        assert stat.S_IMODE(store.keys_file.stat().st_mode) == 0o600
        assert not [p for p in store.keys_file.parent.iterdir() if p.name.endswith(".partial")]
    assert store.api_key("box") == KEY and store.api_key("open") is None
    assert [s.name for s in store.servers()] == ["box", "open"] and store.get("box").url == "https://gpu-box:8000"

    tested = with_test_result(store.get("box"), "vllm", ["m1", "m2"])
    store.update(tested)
    assert store.get("box").models == ("m1", "m2") and store.api_key("box") == KEY  # a test keeps the key

    with pytest.raises(UserError, match="exists already"):
        store.add(ServerConfig("box", ServerKind.TEXT, "http://127.0.0.1:1"))
    store.remove("box")
    assert store.api_key("box") is None and KEY not in store.keys_file.read_text(encoding="utf-8")
    with pytest.raises(UserError, match=r"No server called “box”\. Servers: open\."):
        store.get("box")


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_a_key_file_others_can_read_is_made_owner_only_before_use(paths: AppPaths) -> None:
    store = ServerStore(paths)
    store.add(ServerConfig("box", ServerKind.TEXT, "https://gpu-box"), KEY)
    os.chmod(store.keys_file, 0o644)
    assert store.api_key("box") == KEY
    assert stat.S_IMODE(store.keys_file.stat().st_mode) == 0o600


def test_a_damaged_servers_file_hides_only_the_bad_entry(paths: AppPaths) -> None:
    store = ServerStore(paths)
    store.add(ServerConfig("good", ServerKind.TEXT, "http://127.0.0.1:1"))
    data = json.loads(store.servers_file.read_text(encoding="utf-8"))
    data["servers"].append({"name": "bad", "kind": "text", "url": "http://u:p@x"})
    data["servers"].append({"name": "worse"})
    store.servers_file.write_text(json.dumps(data), encoding="utf-8")
    assert [s.name for s in store.servers()] == ["good"]
    store.servers_file.write_text("{not json", encoding="utf-8")
    assert store.servers() == []


# ---------------------------------------------------------------- server models in the registry


def test_server_models_are_listed_from_the_last_test_and_resolved_by_id(paths: AppPaths) -> None:
    store = ServerStore(paths)
    store.add(ServerConfig("box", ServerKind.TEXT, "http://127.0.0.1:1", models=("Qwen/Qwen2.5-7B-Instruct",)))
    store.add(ServerConfig("pics", ServerKind.IMAGES, "http://127.0.0.1:2", models=("sdxl.safetensors",)))
    registry = ModelRegistry(paths)
    listed = registry.server_entries(ModelKind.TEXT)
    assert [e.id for e in listed] == ["server:box/Qwen/Qwen2.5-7B-Instruct"]
    entry = listed[0]
    assert (entry.kind, entry.backend, entry.source, entry.instruct) == (
        ModelKind.TEXT,
        "openai",
        ModelSource.SERVER,
        True,
    )
    (image,) = registry.server_entries(ModelKind.IMAGE)  # a ComfyUI server's checkpoints
    assert (image.id, image.kind, image.backend) == ("server:pics/sdxl.safetensors", ModelKind.IMAGE, "comfyui")
    assert all(e.source is not ModelSource.SERVER for e in registry.entries())  # local listings stay local
    # Any model of a known server resolves, listed or not; ids survive "/" and ":" in model names.
    assert registry.get("server:box/llama3:8b-text").instruct is False
    assert parse_model_id(model_id("box", "a/b:c")) == ("box", "a/b:c") and parse_model_id("gemma") is None
    with pytest.raises(UserError, match="No server called “gone”"):
        registry.get("server:gone/m")
    # Every kind of server runs jobs; a speech server's dialect picks its engine.
    assert set(BACKENDS) == set(ServerKind)
    store.add(ServerConfig("voices", ServerKind.SPEECH, "http://127.0.0.1:3", models=("joe",)))
    store.add(ServerConfig("piper", ServerKind.SPEECH, "http://127.0.0.1:4", dialect="piper-http", models=("joe",)))
    assert (registry.get("server:voices/joe").kind, registry.get("server:voices/joe").backend) == (
        ModelKind.SPEECH,
        "openai-speech",
    )
    assert registry.get("server:piper/joe").backend == "piper-http"


# ---------------------------------------------------------------- aigc servers / aigc write --server


def aigc(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aigc_desktop", *args],
        capture_output=True,
        text=True,
        timeout=90,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})},
        cwd=REPO,
        input=stdin if stdin is not None else "",
    )


@pytest.fixture
def stub() -> Iterator[Stub]:
    s = Stub().start()

    def models(h: Handler, body: Any) -> None:
        if h.headers.get("Authorization") != f"Bearer {KEY}":
            h.json(401, {"error": {"message": "Invalid API key"}})
        else:
            models_route("llamacpp", ("tiny-instruct",))(h, body)

    def complete(h: Handler, body: Any) -> None:
        h.start_stream()
        for piece in ("你好", "，", "world"):
            h.chunk(sse(completion_chunk(piece)))
        h.chunk(sse(completion_chunk("", "stop")))
        h.chunk(b"data: [DONE]\n\n")
        h.end_stream()

    s.route("GET", "/v1/models", models)
    s.route("POST", "/v1/completions", complete)
    yield s
    s.close()


def test_cli_servers_add_list_test_write_remove(stub: Stub, aigc_home: Path) -> None:
    added = aigc("servers", "add", "box", stub.url + "/v1", "--kind", "text", "--api-key-stdin", stdin=KEY + "\n")
    assert added.returncode == 0, added.stderr
    assert not added.stderr and KEY not in added.stdout

    tested = aigc("servers", "test", "box", "--json")
    assert tested.returncode == 0, tested.stderr
    report = json.loads(tested.stdout)
    assert report == {
        "name": "box",
        "ok": True,
        "dialect": "llama.cpp",
        "version": None,
        "models": ["tiny-instruct"],
        "notes": [],
        "plain_http_remote": False,
    }

    listed = aigc("servers", "list", "--json")
    (server,) = json.loads(listed.stdout)
    assert server["models"] == ["tiny-instruct"] and server["has_api_key"] is True and KEY not in listed.stdout

    wrote = aigc("write", "--server", "box", "--model", "tiny-instruct", "--prompt", "Hi", "--seed", "3")
    assert wrote.returncode == 0, wrote.stderr
    assert wrote.stdout == "你好，world\n"
    as_json = aigc("write", "--server", "box", "--model", "tiny-instruct", "--prompt", "Hi", "--seed", "3", "--json")
    out = json.loads(as_json.stdout)
    assert (out["model"], out["backend"], out["texts"], out["seed"]) == (
        "server:box/tiny-instruct",
        "openai",
        ["你好，world"],
        3,
    )
    sent = [r for r in stub.requests if r.path == "/v1/completions"]
    assert sent[-1].headers["Authorization"] == f"Bearer {KEY}" and sent[-1].body["seed"] == 3

    # The key is in no file but the key file: not the servers file, not the log.
    everything = [p for p in aigc_home.rglob("*") if p.is_file() and p.name != "server-keys.json"]
    assert everything and not [p for p in everything if KEY in p.read_text(encoding="utf-8", errors="replace")]

    removed = aigc("servers", "remove", "box")
    assert removed.returncode == 0 and json.loads(aigc("servers", "list", "--json").stdout) == []


def test_cli_test_says_why_not(stub: Stub) -> None:
    assert aigc("servers", "add", "box", stub.url, "--kind", "text").returncode == 0
    done = aigc("servers", "test", "box", "--json")
    assert done.returncode == 2
    assert json.loads(done.stdout)["reason"] == "unauthorized"
    assert done.stderr.strip() == "aigc: box needs an API key (401 Unauthorized): add the key for this server."


def one_line_error(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("aigc"), done.stderr
    return lines[0]


@pytest.mark.parametrize(
    "case",
    [
        "credentials in url",
        "query in url",
        "unknown kind",
        "key env unset",
        "empty stdin key",
        "duplicate",
        "test unknown",
        "remove unknown",
        "write without model",
        "write unknown server",
        "plain http remote",
        "nothing listening",
    ],
)
def test_cli_bad_input_is_one_line_and_exit_2(case: str) -> None:
    if case in ("duplicate", "write without model", "write unknown server", "nothing listening"):
        assert aigc("servers", "add", "box", "http://127.0.0.1:9", "--kind", "text").returncode == 0
    if case == "plain http remote":
        added = aigc("servers", "add", "far", "http://192.0.2.7:8080", "--kind", "text")
        assert added.returncode == 0 and "unencrypted" in added.stderr  # warned at once, when added
    args = {
        "credentials in url": ["servers", "add", "x", "http://me:secret@127.0.0.1:1", "--kind", "text"],
        "query in url": ["servers", "add", "x", "http://127.0.0.1:1/v1?api_key=secret", "--kind", "text"],
        "unknown kind": ["servers", "add", "x", "http://127.0.0.1:1", "--kind", "video"],
        "key env unset": [
            "servers",
            "add",
            "x",
            "http://127.0.0.1:1",
            "--kind",
            "text",
            "--api-key-env",
            "NO_SUCH_VAR",
        ],
        "empty stdin key": ["servers", "add", "x", "http://127.0.0.1:1", "--kind", "text", "--api-key-stdin"],
        "duplicate": ["servers", "add", "box", "http://127.0.0.1:2", "--kind", "text"],
        "test unknown": ["servers", "test", "nope"],
        "remove unknown": ["servers", "remove", "nope"],
        "write without model": ["write", "--server", "box", "--prompt", "x"],
        "write unknown server": ["write", "--server", "nope", "--model", "m", "--prompt", "x"],
        # Refused before anything is sent: 192.0.2.0/24 is a documentation range, no connection is ever tried.
        "plain http remote": ["write", "--server", "far", "--model", "m", "--prompt", "my secret draft"],
        "nothing listening": ["write", "--server", "box", "--model", "m", "--prompt", "x"],
    }[case]
    line = one_line_error(aigc(*args))
    assert "secret" not in line
    expected = {
        "credentials in url": "user name or password",
        "query in url": "query",
        "unknown kind": "invalid choice",
        "key env unset": "NO_SUCH_VAR is not set",
        "empty stdin key": "No API key on standard input",
        "duplicate": "exists already",
        "test unknown": "No server called “nope”",
        "remove unknown": "No server called “nope”",
        "write without model": "--server needs --model",
        "write unknown server": "No server called “nope”",
        "plain http remote": "Pass --yes",
        "nothing listening": "refused the connection",
    }[case]
    assert expected in line
