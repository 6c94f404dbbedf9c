"""The shipped catalog, catalog checks, and whether a model fits a machine (with faked RAM, GPU memory and disk)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.models.catalog import DEFAULT_CATALOG, GpuUse, load_catalog
from aigc_desktop.core.models.fit import GIB, FitDevice, Hardware, Shortage, Verdict, check_fit, probe_hardware
from aigc_desktop.core.specs import ModelKind

ISSUE_MODELS = {
    "qwen2.5-0.5b-instruct-q4km": ("text", "Qwen/Qwen2.5-0.5B-Instruct-GGUF"),
    "qwen2.5-1.5b-instruct-q4km": ("text", "Qwen/Qwen2.5-1.5B-Instruct-GGUF"),
    "smollm2-1.7b-instruct-q4km": ("text", "bartowski/SmolLM2-1.7B-Instruct-GGUF"),
    "llama-3.2-1b-instruct-q4km": ("text", "bartowski/Llama-3.2-1B-Instruct-GGUF"),
    "llama-3.2-3b-instruct-q4km": ("text", "bartowski/Llama-3.2-3B-Instruct-GGUF"),
    "sd-turbo": ("image", "stabilityai/sd-turbo"),
    "sdxl-turbo": ("image", "stabilityai/sdxl-turbo"),
    "sd-1.5": ("image", "stable-diffusion-v1-5/stable-diffusion-v1-5"),
    "piper-en-us-lessac-medium": ("speech", "rhasspy/piper-voices"),
    "piper-zh-cn-huayan-medium": ("speech", "rhasspy/piper-voices"),
    "mms-tts-eng": ("speech", "facebook/mms-tts-eng"),
    "musicgen-small": ("music", "facebook/musicgen-small"),
}


def hw(ram: float = 16, free: float | None = None, vram: float | None = None, disk: float = 500) -> Hardware:
    return Hardware(
        ram_total=int(ram * GIB),
        ram_available=int((ram if free is None else free) * GIB),
        disk_free=int(disk * GIB),
        gpu_name="Test GPU" if vram else None,
        vram_total=int(vram * GIB) if vram else None,
    )


def test_the_shipped_catalog_has_the_models_the_issue_names() -> None:
    catalog = load_catalog(DEFAULT_CATALOG)
    by_id = {m.id: m for m in catalog.models}
    assert set(ISSUE_MODELS) <= set(by_id)
    for model_id, (kind, repo) in ISSUE_MODELS.items():
        m = by_id[model_id]
        assert (m.kind.value, m.repo) == (kind, repo)
        assert m.licence and m.languages and m.ram_gb > 0 and m.download_bytes > 0
    # GGUFs and the Piper voices carry their published sizes and sha256; the rest say their size is approximate.
    for model_id in ("qwen2.5-0.5b-instruct-q4km", "llama-3.2-1b-instruct-q4km", "piper-en-us-lessac-medium"):
        m = by_id[model_id]
        weights = [f for f in m.files if f.path.endswith((".gguf", ".onnx"))]
        assert weights and all(f.size and f.sha256 for f in weights)
    assert by_id["qwen2.5-0.5b-instruct-q4km"].files[0].size == 491_400_032
    assert not by_id["sdxl-turbo"].sizes_known and by_id["sdxl-turbo"].download_bytes > 6 * 10**9
    assert by_id["sd-1.5"].sizes_known and by_id["sd-1.5"].download_bytes == 2_134_208_928
    # fp16 weights are saved under the standard names, so a plain from_pretrained finds them
    assert {f.save_as for f in by_id["sd-turbo"].files} >= {"unet/diffusion_pytorch_model.safetensors"}
    assert by_id["piper-zh-cn-huayan-medium"].languages == ("zh",)


def write(tmp_path: Path, models: list[dict[str, Any]]) -> Path:
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps({"schema": 1, "models": models}), encoding="utf-8")
    return path


def entry(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "m",
        "name": "M",
        "kind": "text",
        "backend": "llama.cpp",
        "repo": "org/m",
        "files": [{"path": "m.gguf", "size": 10, "sha256": None}],
        "model_path": "m.gguf",
        "licence": "MIT",
        "languages": ["en"],
        "ram_gb": 1,
    }
    base.update(changes)
    return base


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"id": "Bad Id"}, "the id may only hold"),
        ({"kind": "video"}, "unknown kind"),
        ({"repo": "no-slash"}, "not a Hub repository id"),
        ({"files": []}, "no files"),
        ({"files": [{"path": "../m.gguf", "size": 1}]}, "would leave the model's folder"),
        ({"files": [{"path": "m.gguf", "save_as": "/abs/m.gguf", "size": 1}]}, "would leave the model's folder"),
        ({"files": [{"path": "m.gguf", "size": 1, "sha256": "XYZ"}]}, "64 lower-case hex"),
        ({"files": [{"path": "m.gguf", "size": -4}]}, "positive number of bytes"),
        ({"files": [{"path": "a.gguf", "save_as": "m.gguf"}, {"path": "m.gguf"}], "approx_bytes": 5}, "same name"),
        ({"files": [{"path": "m.gguf", "size": None}]}, "approx_bytes"),
        ({"model_path": "../x"}, "would leave the model's folder"),
        ({"gpu": "maybe"}, "'gpu' must be one of none, optional, recommended."),
        ({"ram_gb": "lots"}, "number of GB"),
    ],
)
def test_a_bad_catalog_entry_is_one_clear_error(tmp_path: Path, changes: dict[str, Any], says: str) -> None:
    with pytest.raises(UserError) as refused:
        load_catalog(write(tmp_path, [entry(**changes)]))
    assert says in str(refused.value)


def test_catalog_level_problems(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(UserError, match="lists 'm' twice"):
        load_catalog(write(tmp_path, [entry(), entry()]))
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(UserError, match="cannot be read"):
        load_catalog(tmp_path / "broken.json")
    with pytest.raises(UserError, match="is missing"):
        load_catalog(tmp_path / "absent.json")
    monkeypatch.setenv("AIGC_CATALOG", str(write(tmp_path, [entry()])))
    catalog = load_catalog()
    assert [m.id for m in catalog.models] == ["m"] and catalog.get("m").kind is ModelKind.TEXT
    with pytest.raises(UserError) as unknown:
        catalog.get("x")
    assert str(unknown.value) == "No model 'x' in the catalog. Catalog models: m."


def model(model_id: str) -> Any:
    return load_catalog(DEFAULT_CATALOG).get(model_id)


def test_a_small_gguf_fits_a_cpu_only_laptop() -> None:
    fit = check_fit(model("qwen2.5-0.5b-instruct-q4km"), hw(ram=8))
    assert (fit.verdict, fit.device, fit.short_of) == (Verdict.FITS, FitDevice.CPU, None)
    assert fit.reason == "Runs on the CPU: needs about 1.0 GB of RAM, this machine has 8.0 GB."


def test_a_gpu_with_enough_memory_runs_it_and_one_with_too_little_falls_back_to_the_cpu() -> None:
    sdxl = model("sdxl-turbo")
    on_gpu = check_fit(sdxl, hw(ram=32, vram=12))
    assert (on_gpu.verdict, on_gpu.device) == (Verdict.FITS, FitDevice.GPU)
    assert "needs about 8.0 GB of GPU memory, Test GPU has 12 GB" in on_gpu.reason
    small_gpu = check_fit(sdxl, hw(ram=32, vram=4))
    assert (small_gpu.verdict, small_gpu.device) == (Verdict.SLOW, FitDevice.CPU)
    assert "Test GPU has 4.0 GB of GPU memory, it needs 8.0 GB" in small_gpu.reason
    assert check_fit(sdxl, hw(ram=8, vram=4)).verdict is Verdict.NO  # neither the GPU nor the RAM is enough


def test_image_models_without_a_gpu_fit_but_are_called_slow() -> None:
    assert model("sd-turbo").gpu is GpuUse.RECOMMENDED
    fit = check_fit(model("sd-turbo"), hw(ram=24))
    assert fit.verdict is Verdict.SLOW and "each result takes minutes on the CPU" in fit.reason


def test_too_little_ram_free_right_now_is_tight_not_impossible() -> None:
    fit = check_fit(model("llama-3.2-3b-instruct-q4km"), hw(ram=8, free=2))
    assert fit.verdict is Verdict.TIGHT and fit.ok and "close other programs" in fit.reason
    too_small = check_fit(model("llama-3.2-3b-instruct-q4km"), hw(ram=2))
    assert too_small.verdict is Verdict.NO and not too_small.ok
    assert (too_small.device, too_small.short_of) == (FitDevice.NONE, Shortage.MEMORY)
    assert too_small.reason.startswith("Needs about 3.0 GB of RAM to run on the CPU; this machine has 2.0 GB")


def test_disk_space_counts_what_an_unfinished_download_already_has() -> None:
    qwen = model("qwen2.5-1.5b-instruct-q4km")  # 1.04 GiB
    assert check_fit(qwen, hw(disk=1.2)).verdict is Verdict.NO
    assert check_fit(qwen, hw(disk=1.2)).short_of is Shortage.DISK  # what the Catalog tab refuses to start
    assert "of disk space" in check_fit(qwen, hw(disk=1.2)).reason
    assert check_fit(qwen, hw(disk=1.2), already_downloaded=800 * 1024**2).verdict is Verdict.FITS


def test_the_hardware_probe_reads_this_machine_and_can_be_faked(paths: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    real = probe_hardware(paths.models_dir)
    assert real.ram_total > 0 and 0 < real.ram_available <= real.ram_total and real.disk_free > 0
    monkeypatch.setenv("AIGC_FAKE_HARDWARE", "ram_gb=8,free_ram_gb=3,vram_gb=6,disk_gb=40")
    fake = probe_hardware(paths.models_dir)
    assert (fake.ram_total, fake.ram_available, fake.vram_total, fake.disk_free) == (
        8 * GIB,
        3 * GIB,
        6 * GIB,
        40 * GIB,
    )
    assert fake.gpu_name and "8.0 GB RAM (3.0 GB free)" in fake.summary()
    monkeypatch.setenv("AIGC_FAKE_HARDWARE", "vram_gb=0")
    assert probe_hardware(paths.models_dir).vram_total is None
    assert "no GPU" in probe_hardware(paths.models_dir).summary()


def test_the_gpu_comes_from_nvidia_smi_without_loading_cuda(
    paths: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stand-in nvidia-smi on PATH answers as the real one does for an H100 (name, MiB)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    smi = bin_dir / "nvidia-smi"
    smi.write_text("#!/bin/sh\necho 'NVIDIA H100 80GB HBM3, 81559'\n", encoding="utf-8")
    smi.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.delenv("AIGC_FAKE_HARDWARE", raising=False)
    found = probe_hardware(paths.models_dir)
    assert found.gpu_name == "NVIDIA H100 80GB HBM3" and found.vram_total == 81559 * 1024**2
    assert check_fit(model("sdxl-turbo"), found).device is FitDevice.GPU
    smi.write_text("#!/bin/sh\necho 'NVIDIA-SMI has failed' >&2\nexit 9\n", encoding="utf-8")
    assert probe_hardware(paths.models_dir).gpu_name is None  # a broken driver means: no usable GPU
