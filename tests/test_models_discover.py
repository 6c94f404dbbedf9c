"""Finding models other apps keep (Hugging Face cache, LM Studio, ComfyUI, the web UI) in fake home folders."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_models_import import diffusers_folder, gguf_file, piper_voice, sd_checkpoint, transformers_folder

from aigc_desktop.core.models.discover import A1111, COMFYUI, HF_CACHE, LM_STUDIO, USER_FOLDER, discover
from aigc_desktop.core.models.importer import import_model
from aigc_desktop.core.models.registry import ModelRegistry
from aigc_desktop.core.paths import AppPaths
from aigc_desktop.core.specs import ModelKind

COMMIT = "0123456789abcdef0123456789abcdef01234567"


def hf_cache_repo(cache: Path, repo: str, build: str) -> Path:
    """A repository in the Hugging Face cache layout: files in blobs/, symlinked from snapshots/<commit>/."""
    root = cache / f"models--{repo.replace('/', '--')}"
    staging = root / "staging"
    if build == "transformers":
        transformers_folder(staging, "llama", ["LlamaForCausalLM"])
    else:
        gguf_file(staging / "chat-Q4_K_M.gguf")
        gguf_file(staging / "mmproj-chat-f16.gguf")  # a vision projector: not a language model
    snapshot = root / "snapshots" / COMMIT
    snapshot.mkdir(parents=True)
    (root / "blobs").mkdir()
    for i, f in enumerate(sorted(staging.iterdir())):
        blob = root / "blobs" / f"blob{i}"
        f.rename(blob)
        (snapshot / f.name).symlink_to(os.path.relpath(blob, snapshot))
    staging.rmdir()
    (root / "refs").mkdir()
    (root / "refs" / "main").write_text(COMMIT)
    (root / "snapshots" / "older").mkdir()  # a stale snapshot: refs/main says which one counts
    return snapshot


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for var in ("HF_HOME", "HF_HUB_CACHE"):
        monkeypatch.delenv(var, raising=False)
    home = tmp_path / "home"
    cache = home / ".cache" / "huggingface" / "hub"
    hf_cache_repo(cache, "org/tiny-llama", "transformers")
    hf_cache_repo(cache, "org/chat-GGUF", "gguf")
    gguf_file(home / ".lmstudio" / "models" / "lmstudio-community" / "Qwen-GGUF" / "qwen-Q4_K_M.gguf")
    gguf_file(home / ".lmstudio" / "models" / "lmstudio-community" / "Qwen-GGUF" / "mmproj-qwen-f16.gguf")
    sd_checkpoint(home / "ComfyUI" / "models" / "checkpoints" / "dreamshaper.safetensors")
    diffusers_folder(home / "ComfyUI" / "models" / "diffusers" / "tiny-pipe")
    ckpt = home / "stable-diffusion-webui" / "models" / "Stable-diffusion" / "old-model.ckpt"
    ckpt.parent.mkdir(parents=True)
    ckpt.write_bytes(b"\x80\x02 a pickle checkpoint")
    return home


def test_models_of_other_apps_are_found(home: Path, paths: AppPaths, tmp_path: Path) -> None:
    extra = tmp_path / "my-voices"
    piper_voice(extra / "voices")
    found = discover(ModelRegistry(paths), home=home, extra=[extra])
    summary = {(m.found_in, m.name, m.kind, m.backend) for m in found}
    assert summary == {
        (HF_CACHE, "org/tiny-llama", ModelKind.TEXT, "transformers"),
        (HF_CACHE, "org/chat-GGUF · chat-Q4_K_M.gguf", ModelKind.TEXT, "llama.cpp"),
        (LM_STUDIO, "qwen-Q4_K_M", ModelKind.TEXT, "llama.cpp"),
        (COMFYUI, "dreamshaper", ModelKind.IMAGE, "diffusers-single-file"),
        (COMFYUI, "tiny-pipe", ModelKind.IMAGE, "diffusers"),
        (A1111, "old-model", ModelKind.IMAGE, "diffusers-single-file"),
        (USER_FOLDER, "en_US-test-medium", ModelKind.SPEECH, "piper"),
    }
    by_name = {m.name: m for m in found}
    assert by_name["old-model"].pickle_only and not by_name["dreamshaper"].pickle_only
    assert by_name["org/tiny-llama"].path.name == COMMIT  # the snapshot refs/main names
    assert by_name["org/tiny-llama"].size_bytes > 0  # symlinked blobs count with their real size
    assert all(not m.in_use_as for m in found)


def test_a_found_model_used_in_place_or_copied_is_marked_in_use(home: Path, paths: AppPaths) -> None:
    registry = ModelRegistry(paths)
    found = {m.name: m for m in discover(registry, home=home)}
    [linked] = import_model(registry, found["qwen-Q4_K_M"].path, link=True, found_in=LM_STUDIO)
    # Copying out of the Hugging Face cache follows its symlinks: the copy holds real files.
    [copied] = import_model(registry, found["org/tiny-llama"].path, name="tiny llama")
    assert copied.path.is_dir() and not (copied.path / "model.safetensors").is_symlink()
    assert (copied.path / "model.safetensors").stat().st_size == found["org/tiny-llama"].path.joinpath(
        "model.safetensors"
    ).stat().st_size
    again = {m.name: m for m in discover(registry, home=home)}
    assert again["qwen-Q4_K_M"].in_use_as == linked.id
    assert again["org/tiny-llama"].in_use_as == copied.id
    assert again["dreamshaper"].in_use_as == ""
    # The copy inside the models folder is not offered as something "found elsewhere".
    assert all(not m.path.resolve().is_relative_to(paths.models_dir.resolve()) for m in again.values())


def test_hf_home_and_hf_hub_cache_are_honoured(
    tmp_path: Path, paths: AppPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "elsewhere" / "hub"
    hf_cache_repo(cache, "org/chat-GGUF", "gguf")
    monkeypatch.setenv("HF_HUB_CACHE", str(cache))
    assert [m.name for m in discover(ModelRegistry(paths), home=tmp_path / "empty")] == [
        "org/chat-GGUF · chat-Q4_K_M.gguf"
    ]
    monkeypatch.delenv("HF_HUB_CACHE")
    monkeypatch.setenv("HF_HOME", str(cache.parent))
    assert len(discover(ModelRegistry(paths), home=tmp_path / "empty")) == 1


def test_nothing_found_is_an_empty_list(tmp_path: Path, paths: AppPaths, monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("HF_HOME", "HF_HUB_CACHE"):
        monkeypatch.delenv(var, raising=False)
    assert discover(ModelRegistry(paths), home=tmp_path / "nobody") == []
