"""A fake ComfyUI on 127.0.0.1, for the image-server tests: ComfyUI is not on PyPI and needs torch and a checkpoint,
so it cannot run here. Built from ComfyUI's own source, and speaking exactly its protocol:

- server.py routes: GET /system_stats ({"system": {"comfyui_version", ...}, "devices": [...]}), GET /object_info
  (each node's "input" {"required": {name: [type-or-choices, options]}}, "output", "output_node", ...),
  POST /prompt ({"prompt_id", "number", "node_errors"} or 400 {"error": {type, message, details, extra_info},
  "node_errors": {id: {"errors": [...], "dependent_outputs", "class_type"}}}), POST /upload/image (multipart "image",
  "overwrite"; {"name", "subfolder", "type"}), GET /view, GET /history/{id}, GET /queue ({"queue_running",
  "queue_pending"}: [number, prompt_id, prompt, extra_data, outputs]), POST /queue {"delete"}, POST /interrupt, and
  GET /ws?clientId= (a "status" message on connect; a client that reconnects with its id gets the node that is
  running). Over the upload limit (--max-upload-size; aiohttp's client_max_size) the answer is aiohttp's 413 text.
- execution.py's events, sent to the prompt's client id: execution_start, execution_cached {nodes} (nodes whose
  inputs are unchanged since an earlier prompt: a repeat is answered from the cache), executing {node},
  progress {value, max, node} per sampling step, executed {output} for SaveImage, execution_success, then (main.py)
  the history entry is written and executing {node: null} sent; execution_error / execution_interrupted instead when
  a node fails or /interrupt is posted.
- Binary frames as server.py's send_image: a 4-byte big-endian event type 1, a 4-byte image type (1 = JPEG), then
  the JPEG, after every step when previews are on (ComfyUI's --preview-method).
- Validation as execution.py's validate_inputs: unknown node classes, missing required inputs ("Required input is
  missing"), values outside min/max, combo values not in the list ("Value not in list"), and LoadImage's check that
  the file exists ("Invalid image file").

The nodes run for real on small images (no diffusion model): KSampler makes deterministic noise from the seed, the
prompt and the checkpoint's name, blended into the encoded picture by `denoise` and only under a noise mask, so
seeds reproduce, img2img keeps the picture's colours and inpainting changes only the masked part. A test can hold the
queue (`hold`), slow the steps, drop a client's websocket at a step, or make KSampler fail.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import heapq
import io
import json
import socket
import struct
import threading
import time
import uuid
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import numpy as np
from fake_comfyui_nodes import object_info
from PIL import Image

_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


class Interrupted(Exception):
    pass


@dataclass
class FakeComfyUI:
    checkpoints: list[str] = field(default_factory=lambda: ["sd15.safetensors", "sdxl_base.safetensors"])
    upscalers: list[str] = field(default_factory=lambda: ["4x-UltraSharp.pth"])
    version: str = "0.3.40"
    missing_nodes: tuple[str, ...] = ()
    previews: bool = True
    step_delay_s: float = 0.0
    max_upload_bytes: int = 100 * 1024 * 1024  # ComfyUI's default --max-upload-size 100 (MB)
    drop_ws_at_step: int | None = None  # close the client's websocket once, after this sampling step
    fail_with: str | None = None  # KSampler raises this (an execution_error)
    root: Path = field(default_factory=lambda: Path("."))
    # what tests look at
    requests: list[tuple[str, str]] = field(default_factory=list)
    prompts: list[dict[str, Any]] = field(default_factory=list)
    events: dict[str, list[str]] = field(default_factory=dict)  # per client id: the event types sent (binary = "b")
    interrupts: int = 0
    deleted: list[str] = field(default_factory=list)
    hold: threading.Event = field(default_factory=threading.Event)  # set: the queue waits (a prompt stays pending)

    def start(self) -> FakeComfyUI:
        self.input_dir = self.root / "input"
        self.output_dir = self.root / "output"
        self.input_dir.mkdir(parents=True, exist_ok=True)
        self.output_dir.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._wake = threading.Condition(self._lock)
        self._queue: list[tuple[float, str, dict[str, Any], dict[str, Any], list[str]]] = []
        self._running: dict[str, tuple[float, str, dict[str, Any], dict[str, Any], list[str]]] = {}
        self.history: dict[str, dict[str, Any]] = {}
        self._sockets: dict[str, _ServerSocket] = {}
        self._cache: dict[str, Any] = {}  # node signature → outputs (ComfyUI's per-node cache)
        self._ui_cache: dict[str, Any] = {}
        self._number = 0
        self._interrupt = threading.Event()
        self._client_id: str | None = None
        self._last_node: str | None = None
        self._counter = 0
        self._closing = False
        fake = self

        class Bound(_Handler):
            owner = fake

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Bound)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True, name="fake-comfy").start()
        self._worker = threading.Thread(target=self._work, daemon=True, name="fake-comfy-queue")
        self._worker.start()
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def close(self) -> None:
        with self._lock:
            self._closing = True
            self._wake.notify_all()
        self.hold.clear()
        for sock in list(self._sockets.values()):
            sock.close()
        self._server.shutdown()
        self._server.server_close()

    def info(self) -> dict[str, Any]:
        inputs = sorted(p.name for p in self.input_dir.iterdir())
        found = object_info(list(self.checkpoints), list(self.upscalers), inputs)
        return {k: v for k, v in found.items() if k not in self.missing_nodes}

    def pending(self) -> list[str]:
        with self._lock:
            return [item[1] for item in self._queue]

    # ------------------------------------------------------------ /prompt

    def submit(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        prompt = body.get("prompt")
        if not isinstance(prompt, dict):
            return 400, {
                "error": {"type": "no_prompt", "message": "No prompt provided", "details": "", "extra_info": {}},
                "node_errors": {},
            }
        info = self.info()
        for node_id, node in prompt.items():
            if node.get("class_type") not in info:
                return 400, {
                    "error": {
                        "type": "invalid_prompt",
                        "message": f"Cannot execute because node {node.get('class_type')} does not exist.",
                        "details": f"Node ID '#{node_id}'",
                        "extra_info": {},
                    },
                    "node_errors": {},
                }
        outputs = [i for i, n in prompt.items() if info[n["class_type"]]["output_node"]]
        node_errors: dict[str, Any] = {}
        for node_id, node in prompt.items():
            errors = self._validate(node, info[node["class_type"]])
            if errors:
                node_errors[node_id] = {
                    "errors": errors,
                    "dependent_outputs": outputs,
                    "class_type": node["class_type"],
                }
        if node_errors:
            details = "\n".join(f"{e['message']}: {e['details']}" for n in node_errors.values() for e in n["errors"])
            error = {
                "type": "prompt_outputs_failed_validation",
                "message": "Prompt outputs failed validation",
                "details": details,
                "extra_info": {},
            }
            return 400, {"error": error, "node_errors": node_errors}
        self.prompts.append(prompt)
        prompt_id = str(uuid.uuid4())
        with self._lock:
            number = float(self._number)
            self._number += 1
            extra = {"client_id": body.get("client_id")}
            heapq.heappush(self._queue, (number, prompt_id, prompt, extra, outputs))
            self._status()
            self._wake.notify_all()
        return 200, {"prompt_id": prompt_id, "number": number, "node_errors": {}}

    def _validate(self, node: dict[str, Any], info: dict[str, Any]) -> list[dict[str, Any]]:
        errors: list[dict[str, Any]] = []
        inputs = node.get("inputs") or {}
        for name, spec in info["input"]["required"].items():
            if name not in inputs:
                errors.append(
                    {
                        "type": "required_input_missing",
                        "message": "Required input is missing",
                        "details": name,
                        "extra_info": {"input_name": name},
                    }
                )
                continue
            value = inputs[name]
            if isinstance(value, list):
                continue  # a link
            kind, options = spec[0], spec[1] if len(spec) > 1 else {}
            if node["class_type"] in ("LoadImage", "LoadImageMask") and name == "image":
                if not (self.input_dir / str(value)).is_file():
                    errors.append(
                        {
                            "type": "custom_validation_failed",
                            "message": "Custom validation failed for node",
                            "details": f"image - Invalid image file: {value}",
                            "extra_info": {},
                        }
                    )
            elif isinstance(kind, list) and value not in kind:
                listed = f"(list of length {len(kind)})" if len(kind) > 20 else str(kind)
                errors.append(
                    {
                        "type": "value_not_in_list",
                        "message": "Value not in list",
                        "details": f"{name}: '{value}' not in {listed}",
                        "extra_info": {},
                    }
                )
            elif kind in ("INT", "FLOAT"):
                if "min" in options and value < options["min"]:
                    errors.append(
                        {
                            "type": "value_smaller_than_min",
                            "details": name,
                            "extra_info": {},
                            "message": f"Value {value} smaller than min of {options['min']}",
                        }
                    )
                elif "max" in options and value > options["max"]:
                    errors.append(
                        {
                            "type": "value_bigger_than_max",
                            "details": name,
                            "extra_info": {},
                            "message": f"Value {value} bigger than max of {options['max']}",
                        }
                    )
        return errors

    # ------------------------------------------------------------ the queue and the executor

    def _status(self) -> None:
        remaining = len(self._queue) + len(self._running)
        self.send("status", {"status": {"exec_info": {"queue_remaining": remaining}}}, None)

    def _work(self) -> None:
        while True:
            with self._lock:
                while (not self._queue or self.hold.is_set()) and not self._closing:
                    self._wake.wait(0.02)
                if self._closing:
                    return
                item = heapq.heappop(self._queue)
                self._running[item[1]] = item
                self._status()
            self._execute(item)

    def _execute(self, item: tuple[float, str, dict[str, Any], dict[str, Any], list[str]]) -> None:
        _, prompt_id, prompt, extra, _outputs = item
        sid = extra.get("client_id")
        self._client_id = sid
        self._interrupt.clear()
        messages: list[Any] = []

        def message(event: str, data: dict[str, Any], broadcast: bool = False) -> None:
            data = {**data, "timestamp": int(time.time() * 1000)}
            messages.append([event, data])
            self.send(event, data, None if broadcast else sid)

        message("execution_start", {"prompt_id": prompt_id})
        signatures = {node_id: self._signature(prompt, node_id) for node_id in prompt}
        cached = sorted(n for n, sig in signatures.items() if sig in self._cache)
        message("execution_cached", {"nodes": cached, "prompt_id": prompt_id})
        results: dict[str, Any] = {n: self._cache[signatures[n]] for n in cached}
        ui: dict[str, Any] = {}
        executed: list[str] = list(cached)
        status = "success"
        try:
            for node_id in _order(prompt):
                if node_id in results:
                    if signatures[node_id] in self._ui_cache:  # an output node served from the cache: its ui again
                        ui[node_id] = self._ui_cache[signatures[node_id]]
                        self.send(
                            "executed",
                            {"node": node_id, "display_node": node_id, "output": ui[node_id], "prompt_id": prompt_id},
                            sid,
                        )
                    continue
                self._last_node = node_id
                self.send("executing", {"node": node_id, "display_node": node_id, "prompt_id": prompt_id}, sid)
                node = prompt[node_id]
                args = {k: results[v[0]][v[1]] if isinstance(v, list) else v for k, v in node["inputs"].items()}
                out, node_ui = self._run_node(node["class_type"], args, node_id, prompt_id, sid)
                results[node_id] = out
                self._cache[signatures[node_id]] = out
                executed.append(node_id)
                if node_ui is not None:
                    ui[node_id] = node_ui
                    self._ui_cache[signatures[node_id]] = node_ui
                    self.send(
                        "executed",
                        {"node": node_id, "display_node": node_id, "output": node_ui, "prompt_id": prompt_id},
                        sid,
                    )
            message("execution_success", {"prompt_id": prompt_id})
        except Interrupted:
            status = "error"
            message(
                "execution_interrupted",
                {
                    "prompt_id": prompt_id,
                    "node_id": self._last_node,
                    "node_type": prompt[str(self._last_node)]["class_type"],
                    "executed": executed,
                },
                broadcast=True,
            )
        except Exception as exc:  # a node failed: execution_error, as execution.py reports it
            status = "error"
            message(
                "execution_error",
                {
                    "prompt_id": prompt_id,
                    "node_id": self._last_node,
                    "node_type": prompt[str(self._last_node)]["class_type"],
                    "executed": executed,
                    "exception_message": str(exc),
                    "exception_type": type(exc).__name__,
                    "traceback": [],
                    "current_inputs": {},
                    "current_outputs": {},
                },
            )
        time.sleep(0.05)  # main.py writes the history only after execute() returned: a client must wait for it
        with self._lock:
            self._running.pop(prompt_id, None)
            self.history[prompt_id] = {
                "prompt": list(item),
                "outputs": ui,
                "status": {"status_str": status, "completed": status == "success", "messages": messages},
                "meta": {},
            }
            self._status()
        self._last_node = None
        self.send("executing", {"node": None, "prompt_id": prompt_id}, sid)
        self._client_id = None

    def _signature(self, prompt: dict[str, Any], node_id: str) -> str:
        node = prompt[node_id]
        parts: dict[str, Any] = {"class": node["class_type"]}
        for name, value in sorted(node["inputs"].items()):
            if isinstance(value, list):
                parts[name] = self._signature(prompt, str(value[0])) + f"/{value[1]}"
            elif node["class_type"] in ("LoadImage", "LoadImageMask") and name == "image":
                path = self.input_dir / str(value)  # IS_CHANGED: the file's content
                parts[name] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else str(value)
            else:
                parts[name] = value
        return json.dumps(parts, sort_keys=True)

    def _run_node(
        self, kind: str, a: dict[str, Any], node_id: str, prompt_id: str, sid: str | None
    ) -> tuple[list[Any], dict[str, Any] | None]:
        if kind == "CheckpointLoaderSimple":
            return [("model", a["ckpt_name"]), "clip", "vae"], None
        if kind == "CLIPTextEncode":
            return [("cond", a["text"])], None
        if kind == "EmptyLatentImage":
            return [{"size": (a["width"], a["height"]), "pixels": None, "mask": None}], None
        if kind == "EmptyImage":
            color = a["color"]
            rgb = ((color >> 16) & 255, (color >> 8) & 255, color & 255)
            return [Image.new("RGB", (a["width"], a["height"]), rgb)], None
        if kind == "LoadImage":
            with Image.open(self.input_dir / a["image"]) as picture:
                rgba = picture.convert("RGBA")
            alpha = np.asarray(rgba.getchannel("A"), dtype=np.float32) / 255.0
            return [rgba.convert("RGB"), 1.0 - alpha], None
        if kind == "LoadImageMask":
            with Image.open(self.input_dir / a["image"]) as picture:
                band = a["channel"][0].upper()
                if band not in picture.getbands():
                    return [np.zeros((64, 64), np.float32)], None
                mask = np.asarray(picture.getchannel(band), dtype=np.float32) / 255.0
            return [1.0 - mask if band == "A" else mask], None
        if kind == "VAEEncode":
            pixels = a["pixels"]
            w, h = pixels.width // 8 * 8, pixels.height // 8 * 8  # the VAE crops to multiples of 8
            return [{"size": (w, h), "pixels": pixels.crop((0, 0, w, h)), "mask": None}], None
        if kind == "SetLatentNoiseMask":
            return [{**a["samples"], "mask": a["mask"]}], None
        if kind == "KSampler":
            return [self._sample(a, node_id, prompt_id, sid)], None
        if kind == "VAEDecode":
            return [a["samples"]["result"]], None
        if kind == "UpscaleModelLoader":
            return [a["model_name"]], None
        if kind == "ImageUpscaleWithModel":
            factor = 4 if "4x" in a["upscale_model"].lower() else 2
            image = a["image"]
            return [image.resize((image.width * factor, image.height * factor), Image.Resampling.NEAREST)], None
        if kind == "ImageScale":
            return [a["image"].resize((a["width"], a["height"]), Image.Resampling.LANCZOS)], None
        if kind == "SaveImage":
            self._counter += 1
            name = f"{a['filename_prefix']}_{self._counter:05}_.png"
            a["images"].save(self.output_dir / name)
            return [], {"images": [{"filename": name, "subfolder": "", "type": "output"}]}
        raise RuntimeError(f"the fake cannot run {kind}")

    def _sample(self, a: dict[str, Any], node_id: str, prompt_id: str, sid: str | None) -> dict[str, Any]:
        latent = a["latent_image"]
        w, h = latent["size"]
        key = json.dumps(
            [
                a["seed"],
                a["model"][1],
                a["positive"][1],
                a["negative"][1],
                a["sampler_name"],
                a["scheduler"],
                a["steps"],
                a["cfg"],
            ]
        )
        rng = np.random.default_rng(int(hashlib.sha256(key.encode()).hexdigest()[:15], 16))
        noise = rng.integers(0, 256, (h // 8, w // 8, 3), dtype=np.uint8)
        made = np.asarray(Image.fromarray(noise, "RGB").resize((w, h), Image.Resampling.BICUBIC), dtype=np.float32)
        for step in range(1, a["steps"] + 1):
            if self.step_delay_s:
                time.sleep(self.step_delay_s)
            if self._interrupt.is_set():
                raise Interrupted()
            if self.fail_with is not None:
                raise RuntimeError(self.fail_with)
            self.send("progress", {"value": step, "max": a["steps"], "prompt_id": prompt_id, "node": node_id}, sid)
            if self.previews:
                preview = Image.fromarray(made.astype(np.uint8), "RGB").resize((max(w // 8, 1), max(h // 8, 1)))
                buffer = io.BytesIO()
                buffer.write(struct.pack(">I", 1))
                preview.save(buffer, format="JPEG", quality=95)
                self.send_bytes(1, buffer.getvalue(), sid)
            if self.drop_ws_at_step == step and sid in self._sockets:
                self.drop_ws_at_step = None
                self._sockets[sid].close()
        result = made
        if latent["pixels"] is not None:
            original = np.asarray(latent["pixels"], dtype=np.float32)
            result = original * (1.0 - a["denoise"]) + made * a["denoise"]
            if latent["mask"] is not None:
                mask = (
                    np.asarray(
                        Image.fromarray((latent["mask"] * 255).astype(np.uint8), "L").resize((w, h)), dtype=np.float32
                    )[..., None]
                    / 255.0
                )
                result = original * (1.0 - mask) + result * mask
        return {"result": Image.fromarray(np.clip(result, 0, 255).astype(np.uint8), "RGB")}

    # ------------------------------------------------------------ sending

    def send(self, event: str, data: dict[str, Any], sid: str | None) -> None:
        text = json.dumps({"type": event, "data": data}).encode()
        for client, sock in self._targets(sid):
            self.events.setdefault(client, []).append(event)
            sock.send(0x1, text)

    def send_bytes(self, event: int, data: bytes, sid: str | None) -> None:
        for client, sock in self._targets(sid):
            self.events.setdefault(client, []).append("b")
            sock.send(0x2, struct.pack(">I", event) + data)

    def _targets(self, sid: str | None) -> list[tuple[str, _ServerSocket]]:
        with self._lock:
            if sid is None:
                return list(self._sockets.items())
            return [(sid, self._sockets[sid])] if sid in self._sockets else []

    def interrupt(self) -> None:
        self.interrupts += 1
        self._interrupt.set()

    def delete(self, ids: list[str]) -> None:
        with self._lock:
            self.deleted.extend(ids)
            self._queue = [item for item in self._queue if item[1] not in ids]
            heapq.heapify(self._queue)
            self._status()

    def queue(self) -> dict[str, Any]:
        with self._lock:
            return {
                "queue_running": [list(i) for i in self._running.values()],
                "queue_pending": [list(i) for i in sorted(self._queue)],
            }


def _order(prompt: dict[str, Any]) -> list[str]:
    """The nodes in an order where every input is made first."""
    done: list[str] = []

    def visit(node_id: str) -> None:
        if node_id in done:
            return
        for value in prompt[node_id]["inputs"].values():
            if isinstance(value, list):
                visit(str(value[0]))
        done.append(node_id)

    for node_id in prompt:
        visit(node_id)
    return done


class _ServerSocket:
    """The server end of one websocket: unmasked frames out, the client's frames read (and dropped) until it goes."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self._lock = threading.Lock()
        self.closed = threading.Event()

    def send(self, opcode: int, payload: bytes) -> None:
        length = len(payload)
        if length < 126:
            head = struct.pack(">BB", 0x80 | opcode, length)
        elif length < 65536:
            head = struct.pack(">BBH", 0x80 | opcode, 126, length)
        else:
            head = struct.pack(">BBQ", 0x80 | opcode, 127, length)
        with self._lock:
            if self.closed.is_set():
                return
            try:
                self.sock.sendall(head + payload)
            except OSError:
                self.close()

    def close(self) -> None:
        if self.closed.is_set():
            return
        self.closed.set()
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)

    def serve(self) -> None:
        self.sock.settimeout(0.1)
        while not self.closed.is_set():
            try:
                data = self.sock.recv(4096)
            except TimeoutError:
                continue
            except OSError:
                break
            if not data or data[0] & 0x0F == 0x8:  # gone, or a close frame
                break
        self.close()


class _Handler(BaseHTTPRequestHandler):
    owner: FakeComfyUI

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _json(self, status: int, data: Any) -> None:
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _plain(self, status: int, text: str = "") -> None:
        body = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        fake = self.owner
        parts = urlsplit(self.path)
        fake.requests.append(("GET", parts.path))
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if parts.path == "/ws":
            self._websocket(query.get("clientId") or uuid.uuid4().hex)
        elif parts.path == "/system_stats":
            system = {
                "os": "posix",
                "ram_total": 1 << 34,
                "ram_free": 1 << 33,
                "python_version": "3.12.3",
                "pytorch_version": "2.5.1",
                "embedded_python": False,
                "argv": ["main.py"],
            }
            if fake.version:
                system["comfyui_version"] = fake.version
            self._json(
                200,
                {
                    "system": system,
                    "devices": [{"name": "cuda:0 NVIDIA H200", "type": "cuda", "index": 0, "vram_total": 1 << 37}],
                },
            )
        elif parts.path == "/object_info":
            self._json(200, fake.info())
        elif parts.path.startswith("/history/"):
            prompt_id = parts.path.removeprefix("/history/")
            with fake._lock:
                entry = fake.history.get(prompt_id)
            self._json(200, {prompt_id: entry} if entry is not None else {})
        elif parts.path == "/queue":
            self._json(200, fake.queue())
        elif parts.path == "/view":
            folder = {"output": fake.output_dir, "input": fake.input_dir}.get(query.get("type", "output"))
            name = query.get("filename", "")
            if folder is None or "/" in name or ".." in name or not (folder / name).is_file():
                self._plain(404)
                return
            body = (folder / name).read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            self._plain(404, "404: Not Found")

    def do_POST(self) -> None:
        fake = self.owner
        path = urlsplit(self.path).path
        fake.requests.append(("POST", path))
        length = int(self.headers.get("Content-Length") or 0)
        if length > fake.max_upload_bytes:  # aiohttp's client_max_size: 413 (the body read and dropped first, so
            self.rfile.read(length)  # the client is never cut off while still sending it)
            self._plain(413, f"Maximum request body size {fake.max_upload_bytes} exceeded, actual body size {length}")
            self.close_connection = True
            return
        raw = self.rfile.read(length)
        if path == "/upload/image":
            self._upload(raw)
            return
        body = json.loads(raw or b"{}")
        if path == "/prompt":
            status, answer = fake.submit(body)
            self._json(status, answer)
        elif path == "/queue":
            fake.delete([str(i) for i in body.get("delete") or []])
            self._plain(200)
        elif path == "/interrupt":
            fake.interrupt()
            self._plain(200)
        else:
            self._plain(404, "404: Not Found")

    def _upload(self, raw: bytes) -> None:
        message = BytesParser(policy=HTTP).parsebytes(
            f"Content-Type: {self.headers.get('Content-Type')}\r\n\r\n".encode() + raw
        )
        fields = {part.get_param("name", header="content-disposition"): part for part in message.iter_parts()}
        image = fields.get("image")
        if image is None or not image.get_filename():
            self._plain(400)
            return
        name = str(image.get_filename())
        (self.owner.input_dir / name).write_bytes(image.get_payload(decode=True))
        self._json(200, {"name": name, "subfolder": "", "type": "input"})

    def _websocket(self, sid: str) -> None:
        key = self.headers.get("Sec-WebSocket-Key", "")
        accept = base64.b64encode(hashlib.sha1(key.encode() + _GUID).digest()).decode()
        self.send_response(101, "Switching Protocols")
        self.send_header("Upgrade", "websocket")
        self.send_header("Connection", "Upgrade")
        self.send_header("Sec-WebSocket-Accept", accept)
        self.end_headers()
        self.wfile.flush()
        fake = self.owner
        sock = _ServerSocket(self.connection)
        with fake._lock:
            old = fake._sockets.pop(sid, None)
            fake._sockets[sid] = sock
        if old is not None:
            old.close()
        remaining = len(fake._queue) + len(fake._running)
        fake.events.setdefault(sid, []).append("status")
        sock.send(
            0x1,
            json.dumps(
                {"type": "status", "data": {"status": {"exec_info": {"queue_remaining": remaining}}, "sid": sid}}
            ).encode(),
        )
        if fake._client_id == sid and fake._last_node is not None:  # a reconnect while its prompt runs
            fake.send("executing", {"node": fake._last_node}, sid)
        sock.serve()
        with fake._lock:
            if fake._sockets.get(sid) is sock:
                del fake._sockets[sid]
        self.close_connection = True
