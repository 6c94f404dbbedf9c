"""Image jobs on a ComfyUI server, through the real code path (registry id server:NAME/CKPT → EngineHost → engine →
client → HTTP and websocket), against the fake ComfyUI of tests/fake_comfyui.py (built from ComfyUI's source: it
cannot run here)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fake_comfyui import FakeComfyUI
from PIL import Image
from server_stubs import Stub

from aigc_desktop.core.engines.base import CancelToken, RunContext
from aigc_desktop.core.engines.host import EngineHost
from aigc_desktop.core.errors import JobCancelled, UserError
from aigc_desktop.core.image.job import ImageMode, ImageOutput, ImageParams, ImagePreview, image_spec
from aigc_desktop.core.models.registry import ModelRegistry
from aigc_desktop.core.paths import AppPaths
from aigc_desktop.core.servers.comfyui import ComfyClient, node_errors_text
from aigc_desktop.core.servers.comfyui_graphs import modes_from_features
from aigc_desktop.core.servers.config import ServerConfig, ServerKind, ServerStore
from aigc_desktop.core.servers.http import HttpFailure, Reason
from aigc_desktop.core.servers.probing import probe
from aigc_desktop.core.specs import JobResult, JobSpec, ModelKind

pytestmark = pytest.mark.timeout(120)

MODEL = "server:box/sd15.safetensors"


@pytest.fixture
def comfy(tmp_path: Path) -> Iterator[FakeComfyUI]:
    fake = FakeComfyUI(root=tmp_path / "comfy").start()
    yield fake
    fake.close()


def add_server(paths: AppPaths, fake: FakeComfyUI, name: str = "box", *, replace: bool = False) -> ServerConfig:
    store = ServerStore(paths)
    store.add(ServerConfig(name, ServerKind.IMAGES, fake.url), replace_existing=replace)
    report = probe(store.get(name), None)
    store.update(report.server)
    return report.server


@pytest.fixture
def server(paths: AppPaths, comfy: FakeComfyUI) -> ServerConfig:
    return add_server(paths, comfy)


class Seen:
    def __init__(self) -> None:
        self.progress: list[tuple[float | None, str]] = []
        self.previews: list[ImagePreview] = []
        self.cancel = CancelToken()

    def ctx(self) -> RunContext:
        return RunContext(
            cancel=self.cancel,
            on_progress=lambda f, m: self.progress.append((f, str(m))),
            on_partial=lambda p: self.previews.append(p) if isinstance(p, ImagePreview) else None,
        )


def run(host: EngineHost, spec: JobSpec, seen: Seen | None = None) -> tuple[JobResult, ImageOutput]:
    result = host.run(spec, (seen or Seen()).ctx())
    assert isinstance(result.output, ImageOutput)
    return result, result.output


def txt2img(seed: int = 7, **params: Any) -> JobSpec:
    base = {"steps": 4, "width": 72, "height": 64, **params}
    return image_spec(MODEL, "a red fox", ImageParams(**base), seed, negative_prompt="blurry")


def picture(size: tuple[int, int] = (72, 64)) -> Image.Image:
    rng = np.random.default_rng(3)
    return Image.fromarray(rng.integers(0, 256, (size[1], size[0], 3), dtype=np.uint8), "RGB")


# ---------------------------------------------------------------- the test (probe)


def test_probe_lists_checkpoints_and_the_modes_its_nodes_allow(paths: AppPaths, comfy: FakeComfyUI) -> None:
    store = ServerStore(paths)
    store.add(ServerConfig("box", ServerKind.IMAGES, comfy.url))
    report = probe(store.get("box"), None)
    assert report.dialect == "comfyui" and report.version == "0.3.40" and report.notes == []
    assert report.models == ["sd15.safetensors", "sdxl_base.safetensors"]
    assert report.server.features == ("txt2img", "img2img", "inpaint", "outpaint", "upscale")
    store.update(report.server)
    entries = ModelRegistry(paths).server_entries(ModelKind.IMAGE)
    assert [(e.id, e.backend) for e in entries] == [
        ("server:box/sd15.safetensors", "comfyui"),
        ("server:box/sdxl_base.safetensors", "comfyui"),
    ]

    comfy.upscalers = []
    comfy.missing_nodes = ("SetLatentNoiseMask",)
    report = probe(store.get("box"), None)
    assert modes_from_features(report.server.features) == {ImageMode.TXT2IMG, ImageMode.IMG2IMG}
    notes = [str(n) for n in report.notes]
    assert "No inpaint: the server lacks the node(s) SetLatentNoiseMask." in notes
    assert any(n.startswith("No upscale: the server has no upscale model") for n in notes)


def test_probe_says_not_comfyui_or_too_old(paths: AppPaths, comfy: FakeComfyUI) -> None:
    other = Stub().start()  # answers 404 to everything, like a text server asked for /system_stats
    try:
        with pytest.raises(HttpFailure, match="not as a ComfyUI server") as caught:
            probe(ServerConfig("x", ServerKind.IMAGES, other.url), None)
        assert caught.value.reason is Reason.BAD_ANSWER
    finally:
        other.close()
    comfy.version = "0.1.3"
    with pytest.raises(HttpFailure, match=r"runs ComfyUI 0\.1\.3, which is too old: update it to 0\.2\.0"):
        probe(ServerConfig("box", ServerKind.IMAGES, comfy.url), None)
    comfy.version = ""  # before the version was reported at all
    with pytest.raises(HttpFailure, match="too old"):
        probe(ServerConfig("box", ServerKind.IMAGES, comfy.url), None)


# ---------------------------------------------------------------- text to image


def test_text_to_image_on_the_server_with_progress_previews_and_provenance(
    server: ServerConfig, host: EngineHost, comfy: FakeComfyUI
) -> None:
    seen = Seen()
    result, out = run(host, txt2img(scheduler="dpmpp_2m_karras"), seen)
    assert [im.size for im in out.images] == [(72, 64)] and out.seeds == [7] and out.steps == 4
    assert str(out.method) == "ComfyUI 0.3.40 on box: sd15.safetensors"
    assert result.metrics["server"] == "box" and result.metrics["server_model"] == "sd15.safetensors"
    # Only ComfyUI's core nodes, with our sampler in its names and the seed passed through.
    (graph,) = comfy.prompts
    assert {n["class_type"] for n in graph.values()} == {
        "CheckpointLoaderSimple", "CLIPTextEncode", "EmptyLatentImage", "KSampler", "VAEDecode", "SaveImage",
    }  # fmt: skip
    sampler = next(n["inputs"] for n in graph.values() if n["class_type"] == "KSampler")
    assert (sampler["sampler_name"], sampler["scheduler"], sampler["seed"], sampler["steps"]) == (
        "dpmpp_2m", "karras", 7, 4,
    )  # fmt: skip
    # Progress from `progress` events, one preview per step from the binary frames.
    assert [m for _, m in seen.progress if m.startswith("Step")] == ["Step 1/4", "Step 2/4", "Step 3/4", "Step 4/4"]
    assert [(p.step, p.total_steps, p.image.size) for p in seen.previews] == [(s, 4, (9, 8)) for s in (1, 2, 3, 4)]
    # The event sequence the client followed, as ComfyUI sends it to one client id.
    (events,) = [e for e in comfy.events.values() if "execution_start" in e]
    kinds = [e for e in events if e != "status"]
    assert kinds[:2] == ["execution_start", "execution_cached"]
    assert kinds[-3:] == ["executing", "executed", "execution_success"]  # SaveImage ran; the client then went
    assert kinds.count("progress") == 4 and kinds.count("b") == 4
    # The result is what the server saved (fetched from /history + /view).
    saved = Image.open(next((comfy.root / "output").iterdir())).convert("RGB")
    assert np.array_equal(np.asarray(saved), np.asarray(out.images[0]))


def test_same_seed_same_pixels_a_repeat_is_cached_and_batches_use_seed_plus_index(
    server: ServerConfig, host: EngineHost, comfy: FakeComfyUI
) -> None:
    first, a = run(host, txt2img(seed=11))
    again, b = run(host, txt2img(seed=11).replay())
    assert np.array_equal(np.asarray(a.images[0]), np.asarray(b.images[0]))
    assert first.metrics["cached"] == 0 and again.metrics["cached"] == 1  # execution_cached named the SaveImage node
    assert any("cache" in str(n) for n in b.notes)
    _, other = run(host, txt2img(seed=12))
    assert not np.array_equal(np.asarray(a.images[0]), np.asarray(other.images[0]))
    _, batch = run(host, txt2img(seed=11, batch=2))
    assert batch.seeds == [11, 12]
    assert np.array_equal(np.asarray(batch.images[1]), np.asarray(other.images[0]))  # image 2 regenerates alone


# ---------------------------------------------------------------- images in


def test_inpaint_uploads_image_and_mask_and_keeps_the_unmasked_pixels(
    server: ServerConfig, host: EngineHost, comfy: FakeComfyUI, tmp_path: Path
) -> None:
    init = picture()
    mask = Image.new("L", init.size, 0)
    mask.paste(255, (16, 8, 48, 40))
    init.save(tmp_path / "init.png")
    mask.save(tmp_path / "mask.png")
    params = ImageParams(mode="inpaint", steps=3, strength=0.9, width=72, height=64)
    spec = image_spec(
        MODEL, "a hat", params, 5, init_image=str(tmp_path / "init.png"), mask_image=str(tmp_path / "mask.png")
    )
    _, out = run(host, spec)
    assert sum(1 for r in comfy.requests if r == ("POST", "/upload/image")) == 2
    (graph,) = comfy.prompts
    classes = {n["class_type"]: n["inputs"] for n in graph.values()}
    assert classes["LoadImageMask"]["channel"] == "red" and classes["KSampler"]["denoise"] == 0.9
    got, before = np.asarray(out.images[0]), np.asarray(init)
    outside = np.asarray(mask) == 0
    assert np.array_equal(got[outside], before[outside])  # put back exactly
    assert np.abs(got[~outside].astype(int) - before[~outside]).mean() > 10  # repainted


def test_img2img_and_upscale(server: ServerConfig, host: EngineHost, comfy: FakeComfyUI, tmp_path: Path) -> None:
    init = picture()
    init.save(tmp_path / "init.png")
    spec = image_spec(
        MODEL, "oil", ImageParams(mode="img2img", steps=2, strength=0.3, width=72, height=64), 1,
        init_image=str(tmp_path / "init.png"),
    )  # fmt: skip
    _, out = run(host, spec)
    diff = np.abs(np.asarray(out.images[0]).astype(int) - np.asarray(init)).mean()
    assert 0 < diff < 60  # strength 0.3: the picture shows through
    up = image_spec(MODEL, "", ImageParams(mode="upscale", upscale_factor=2), 1, init_image=str(tmp_path / "init.png"))
    result, big = run(host, up)
    assert big.images[0].size == (144, 128)  # the ×4 model, then scaled to exactly ×2
    assert "upscaled with 4x-UltraSharp.pth" in [str(n) for n in big.notes]
    assert result.metrics["server_model"] == "4x-UltraSharp.pth"


def test_a_model_added_on_the_server_after_loading_is_used(
    paths: AppPaths, comfy: FakeComfyUI, host: EngineHost, tmp_path: Path
) -> None:
    comfy.upscalers = []
    add_server(paths, comfy)
    run(host, txt2img())  # loaded while the server had no upscale model
    comfy.upscalers = ["RealESRGAN_x2.pth"]
    add_server(paths, comfy, replace=True)  # tested again: the Generate tab now offers upscale
    picture().save(tmp_path / "init.png")
    up = image_spec(MODEL, "", ImageParams(mode="upscale"), 1, init_image=str(tmp_path / "init.png"))
    result, out = run(host, up)
    assert out.images[0].size == (144, 128) and result.metrics["server_model"] == "RealESRGAN_x2.pth"


def test_a_mode_the_server_does_not_offer_is_refused_with_the_reason(
    paths: AppPaths, comfy: FakeComfyUI, host: EngineHost, tmp_path: Path
) -> None:
    comfy.upscalers = []
    add_server(paths, comfy)
    picture().save(tmp_path / "init.png")
    up = image_spec(MODEL, "", ImageParams(mode="upscale"), 1, init_image=str(tmp_path / "init.png"))
    with pytest.raises(UserError, match=r"box cannot do upscale\. No upscale: the server has no upscale model"):
        host.run(up, RunContext())
    assert comfy.prompts == []


# ---------------------------------------------------------------- Stop


def test_stop_while_running_interrupts_and_while_queued_removes_it(
    server: ServerConfig, host: EngineHost, comfy: FakeComfyUI
) -> None:
    comfy.step_delay_s = 0.05
    seen = Seen()
    seen_steps: list[str] = []

    def progress(fraction: float | None, message: str) -> None:
        seen_steps.append(str(message))
        if str(message) == "Step 2/40":
            seen.cancel.cancel()

    with pytest.raises(JobCancelled):
        host.run(txt2img(steps=40), RunContext(cancel=seen.cancel, on_progress=progress))
    assert comfy.interrupts == 1 and "Step 40/40" not in seen_steps

    comfy.hold.set()  # the server is busy with others: ours waits in its queue
    queued = CancelToken()

    def stop_when_queued(fraction: float | None, message: str) -> None:
        if str(message).startswith("Queued on box"):
            queued.cancel()

    with pytest.raises(JobCancelled):
        host.run(txt2img(seed=99), RunContext(cancel=queued, on_progress=stop_when_queued))
    assert len(comfy.deleted) == 1 and comfy.pending() == [] and comfy.interrupts == 1


# ---------------------------------------------------------------- what goes wrong


def test_node_errors_become_a_readable_message(server: ServerConfig, host: EngineHost, comfy: FakeComfyUI) -> None:
    run(host, txt2img())  # loaded: the engine knows the server's checkpoints
    comfy.checkpoints = ["other.safetensors"]  # the checkpoint was removed on the server since
    with pytest.raises(UserError) as caught:
        host.run(txt2img(seed=3), RunContext())
    assert str(caught.value) == (
        "box refused the job: CheckpointLoaderSimple: Value not in list "
        "(ckpt_name: 'sd15.safetensors' not in ['other.safetensors'])"
    )
    unknown = node_errors_text(
        b'{"error": {"type": "invalid_prompt", "message": "Cannot execute because node Foo does not exist.", '
        b'"details": "Node ID \'#1\'", "extra_info": {}}, "node_errors": {}}'
    )
    assert unknown == "Cannot execute because node Foo does not exist.: Node ID '#1'"


def test_an_upload_over_the_limit_names_the_limit(
    server: ServerConfig, host: EngineHost, comfy: FakeComfyUI, tmp_path: Path
) -> None:
    comfy.max_upload_bytes = 2 * 1024 * 1024
    picture((1024, 1024)).save(tmp_path / "big.png")  # ~3 MB of noise as PNG
    spec = image_spec(
        MODEL, "", ImageParams(mode="img2img", width=1024, height=1024), 1, init_image=str(tmp_path / "big.png")
    )
    with pytest.raises(HttpFailure, match=r"box refused an image of 3\.\d MB: over its upload limit of 2\.0 MB") as e:
        host.run(spec, RunContext())
    assert e.value.status == 413 and "--max-upload-size" in str(e.value)


def test_a_node_that_fails_on_the_server_is_named(server: ServerConfig, host: EngineHost, comfy: FakeComfyUI) -> None:
    comfy.fail_with = "CUDA out of memory. Tried to allocate 2.00 GiB"
    with pytest.raises(UserError, match="box could not run the job: KSampler failed: CUDA out of memory"):
        host.run(txt2img(), RunContext())


def test_a_dropped_websocket_loses_nothing(server: ServerConfig, host: EngineHost, comfy: FakeComfyUI) -> None:
    comfy.drop_ws_at_step = 2
    comfy.step_delay_s = 0.02
    seen = Seen()
    result, out = run(host, txt2img(steps=6), seen)
    assert result.metrics["reconnects"] == 1
    saved = Image.open(next((comfy.root / "output").iterdir())).convert("RGB")
    assert np.array_equal(np.asarray(saved), np.asarray(out.images[0]))
    # After the reconnect the rest of the steps still came (same client id).
    assert "Step 6/6" in [m for _, m in seen.progress]


def test_a_result_finished_while_disconnected_comes_from_history(server: ServerConfig, comfy: FakeComfyUI) -> None:
    """The websocket drops at the last step and the server finishes before the client is back: /history has it."""
    comfy.drop_ws_at_step = 3
    client = ComfyClient(server, None)
    graph_spec = txt2img(steps=3)
    from aigc_desktop.core.servers.comfyui_graphs import diffusion_graph

    graph = diffusion_graph(
        ImageMode.TXT2IMG, "sd15.safetensors", "a red fox", "", ImageParams.from_spec(graph_spec), 1
    )
    done = client.run(graph, CancelToken(), lambda v, m: None, lambda im: None)
    assert done.images and done.images[0].size == (72, 64) and done.reconnects <= 1
