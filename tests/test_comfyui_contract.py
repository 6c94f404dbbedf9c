"""The ComfyUI contract: what the client relies on, checked with graphs that need no model (EmptyImage → SaveImage,
upload → LoadImage → SaveImage), so any ComfyUI can answer them.

Each test runs against the fake ComfyUI (tests/fake_comfyui.py) always, and against a real ComfyUI when
AIGC_TEST_COMFYUI_URL names one (e.g. http://127.0.0.1:8188; AIGC_TEST_COMFYUI_KEY for a server behind a bearer
token); without it the "real" cases are skipped. The same assertions on both keep the fake honest.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fake_comfyui import FakeComfyUI
from PIL import Image

from aigc_desktop.core.engines.base import CancelToken
from aigc_desktop.core.errors import UserError
from aigc_desktop.core.servers.comfyui import ComfyClient, Run
from aigc_desktop.core.servers.comfyui_graphs import SAMPLERS, SAVE_NODE, choices
from aigc_desktop.core.servers.config import ServerConfig, ServerKind

pytestmark = pytest.mark.timeout(300)
REAL_URL = os.environ.get("AIGC_TEST_COMFYUI_URL", "").strip()


@pytest.fixture(params=["fake", "real"])
def client(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ComfyClient]:
    if request.param == "real":
        if not REAL_URL:
            pytest.skip("set AIGC_TEST_COMFYUI_URL to a running ComfyUI to run the contract against it")
        server = ServerConfig("contract", ServerKind.IMAGES, REAL_URL, timeout_s=60.0)
        yield ComfyClient(server, os.environ.get("AIGC_TEST_COMFYUI_KEY") or None)
        return
    fake = FakeComfyUI(root=tmp_path / "comfy").start()
    try:
        yield ComfyClient(ServerConfig("contract", ServerKind.IMAGES, fake.url), None)
    finally:
        fake.close()


def save(source: list[Any]) -> dict[str, Any]:
    return {"class_type": "SaveImage", "inputs": {"images": source, "filename_prefix": "aigc-contract"}}


def run(client: ComfyClient, graph: dict[str, Any]) -> Run:
    return client.run(graph, CancelToken(), lambda value, maximum: None, lambda image: None)


def test_probe_finds_a_comfyui_with_the_core_nodes(client: ComfyClient) -> None:
    offer = client.probe()
    assert offer.version and offer.version != "?"
    info = client.object_info()
    for node in ("EmptyImage", "LoadImage", "SaveImage", "KSampler", "CheckpointLoaderSimple", "VAEEncode"):
        assert node in info, node
    # Every sampler and scheduler the app maps to exists on the server.
    for sampler, scheduler in SAMPLERS.values():
        assert sampler in choices(info, "KSampler", "sampler_name"), sampler
        assert scheduler in choices(info, "KSampler", "scheduler"), scheduler


def test_empty_image_to_save_image_comes_back_through_history_and_view(client: ComfyClient) -> None:
    graph = {
        "1": {"class_type": "EmptyImage", "inputs": {"width": 64, "height": 40, "batch_size": 1, "color": 0xFF00FF}},
        SAVE_NODE: save(["1", 0]),
    }
    first = run(client, graph)
    (image,) = first.images
    assert image.size == (64, 40) and image.convert("RGB").getpixel((10, 10)) == (255, 0, 255)
    again = run(client, graph)  # the same graph again: answered (from the cache) with the same picture
    assert again.prompt_id != first.prompt_id
    assert np.array_equal(np.asarray(again.images[0]), np.asarray(image))


def test_an_uploaded_image_comes_back_pixel_for_pixel(client: ComfyClient) -> None:
    rng = np.random.default_rng(5)
    picture = Image.fromarray(rng.integers(0, 256, (40, 56, 3), dtype=np.uint8), "RGB")
    name = client.upload(picture, "aigc-contract-upload.png", CancelToken())
    done = run(client, {"1": {"class_type": "LoadImage", "inputs": {"image": name}}, SAVE_NODE: save(["1", 0])})
    assert np.array_equal(np.asarray(done.images[0].convert("RGB")), np.asarray(picture))


def test_a_refused_graph_is_a_readable_message(client: ComfyClient) -> None:
    missing = {
        "1": {"class_type": "LoadImage", "inputs": {"image": "no-such-file-aigc.png"}},
        SAVE_NODE: save(["1", 0]),
    }
    with pytest.raises(UserError) as caught:
        run(client, missing)
    assert str(caught.value).startswith("contract refused the job: LoadImage: ")
    assert "Invalid image file: no-such-file-aigc.png" in str(caught.value)
    unknown = {"1": {"class_type": "NoSuchNodeAigc", "inputs": {}}, SAVE_NODE: save(["1", 0])}
    with pytest.raises(UserError, match="node NoSuchNodeAigc does not exist"):
        run(client, unknown)
