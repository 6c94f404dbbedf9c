"""A ComfyUI server: what it offers, and one graph run on it with progress, previews, Stop and its results.

The protocol, as ComfyUI's server.py and execution.py speak it:
- `GET /system_stats` → {"system": {"comfyui_version"}}; `GET /object_info` → every node with its inputs (the
  checkpoints are CheckpointLoaderSimple's `ckpt_name` choices).
- `POST /upload/image` (multipart: image, overwrite) → {"name"}; the graph's LoadImage names it. Over the server's
  `--max-upload-size` aiohttp answers 413.
- `GET /ws?clientId=ID`, opened BEFORE the prompt is sent so no event is missed. For a prompt sent with that
  client_id: execution_start, execution_cached {nodes}, executing {node}, progress {value, max}, executed {output},
  then execution_success (or executing {node: null}), execution_error or execution_interrupted. Binary frames are
  previews: a 4-byte big-endian event type (1 = preview image), a 4-byte image type (1 JPEG, 2 PNG) and the image
  (type 4 adds a length-prefixed JSON header before the image).
- `POST /prompt` {prompt, client_id} → {prompt_id} or 400 {error, node_errors}.
- The results are read from `GET /history/{prompt_id}` (written just after execution_success) and `GET /view`: never
  from the websocket alone, so a websocket that drops midway (it is reopened with the same client id) or a prompt
  served from the cache loses nothing.
- Stop: `POST /queue {"delete": [id]}` while it waits, `POST /interrupt` once it runs (only when it is ours that
  runs: an interrupt stops whatever the server is running).
"""

from __future__ import annotations

import io
import json
import logging
import re
import struct
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from PIL import Image

from aigc_desktop.core.engines.base import CancelToken
from aigc_desktop.core.errors import JobCancelled, UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.servers.comfyui_graphs import SAVE_NODE, ServerModes, server_modes
from aigc_desktop.core.servers.config import ServerConfig
from aigc_desktop.core.servers.http import CONNECT_TIMEOUT_S, Http, HttpFailure, Reason
from aigc_desktop.core.servers.websocket import BINARY, WebSocket

log = logging.getLogger(__name__)

DIALECT = "comfyui"
MIN_VERSION = (0, 2, 0)  # execution_success and prompt ids on every event (ComfyUI 0.2, Sep 2024)
PREVIEW_IMAGE, PREVIEW_IMAGE_WITH_METADATA = 1, 4
_WAIT_S = 0.2  # how often Stop is checked while the server is silent
_CHECK_EVERY_S = 3.0  # while silent (queued behind others, loading a model): ask /history and /queue this often
_RECONNECTS = 5
_HISTORY_WAIT_S = 30.0  # after success: how long the history entry may take to appear


@dataclass(frozen=True)
class ComfyOffer:
    version: str
    modes: ServerModes


@dataclass
class Run:
    """What a run reported besides its images."""

    prompt_id: str = ""
    cached: bool = False  # the server answered from its cache (the same graph ran before)
    reconnects: int = 0
    images: list[Image.Image] = field(default_factory=list)


ProgressFn = Callable[[int, int], None]
PreviewFn = Callable[[Image.Image], None]


class ComfyClient:
    def __init__(self, server: ServerConfig, api_key: str | None) -> None:
        self.server = server
        self._api_key = api_key
        self.http = Http(server, api_key)

    # ------------------------------------------------------------ what the server offers

    def probe(self, cancel: CancelToken | None = None) -> ComfyOffer:
        version = self.version(cancel)
        return ComfyOffer(version, server_modes(self.object_info(cancel)))

    def version(self, cancel: CancelToken | None = None) -> str:
        try:
            stats = self.http.get("/system_stats", cancel).json()
        except HttpFailure as exc:
            if exc.reason in (Reason.NOT_FOUND, Reason.HTTP):
                raise self._not_comfyui() from None
            raise
        except ValueError:
            raise self._not_comfyui() from None
        system = stats.get("system") if isinstance(stats, dict) else None
        if not isinstance(system, dict) or "devices" not in stats:
            raise self._not_comfyui()
        version = str(system.get("comfyui_version") or "").strip()
        if not version:
            raise self._too_old("?")
        parsed = _version_tuple(version)
        if parsed is not None and parsed < MIN_VERSION:
            raise self._too_old(version)
        return version

    def object_info(self, cancel: CancelToken | None = None) -> dict[str, Any]:
        try:
            info = self.http.get("/object_info", cancel).json()
        except ValueError:
            raise self._not_comfyui() from None
        if not isinstance(info, dict) or ("KSampler" not in info and "SaveImage" not in info):
            raise self._not_comfyui()
        return info

    def _not_comfyui(self) -> HttpFailure:
        return HttpFailure(
            QT_TRANSLATE_NOOP(
                "ComfyUI",
                "{name} answered, but not as a ComfyUI server (no /system_stats or /object_info as ComfyUI has "
                "them). Is this the right address and port (ComfyUI listens on 8188 by default)?",
            ).format(name=self.server.name),
            Reason.BAD_ANSWER,
        )

    def _too_old(self, version: str) -> HttpFailure:
        return HttpFailure(
            QT_TRANSLATE_NOOP(
                "ComfyUI", "{name} runs ComfyUI {version}, which is too old: update it to {minimum} or newer."
            ).format(name=self.server.name, version=version, minimum=".".join(map(str, MIN_VERSION))),
            Reason.BAD_ANSWER,
        )

    # ------------------------------------------------------------ inputs

    def upload(self, image: Image.Image, name: str, cancel: CancelToken) -> str:
        """Upload a PNG as `name`; the name the server stored it under (what LoadImage takes)."""
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        png = buffer.getvalue()
        boundary = uuid.uuid4().hex
        body = b"".join(
            [
                f'--{boundary}\r\nContent-Disposition: form-data; name="image"; filename="{name}"\r\n'.encode(),
                b"Content-Type: image/png\r\n\r\n",
                png,
                f'\r\n--{boundary}\r\nContent-Disposition: form-data; name="overwrite"\r\n\r\ntrue\r\n'.encode(),
                f"--{boundary}--\r\n".encode(),
            ]
        )
        try:
            answer = self.http.post(
                "/upload/image", None, cancel, raw=(body, f"multipart/form-data; boundary={boundary}")
            )
        except HttpFailure as exc:
            if exc.status == 413:
                raise self._too_large(len(body), exc.body) from None
            raise
        try:
            stored = answer.json()["name"]
        except (ValueError, KeyError, TypeError):
            raise self._not_comfyui() from None
        return str(stored)

    def _too_large(self, size: int, body: bytes) -> HttpFailure:
        # aiohttp's text: "Maximum request body size 104857600 exceeded, actual body size 123456789"
        found = re.search(rb"size (\d+) exceeded", body)
        limit = f"{int(found.group(1)) / 1024**2:.1f} MB" if found else "?"
        return HttpFailure(
            QT_TRANSLATE_NOOP(
                "ComfyUI",
                "{name} refused an image of {size}: over its upload limit of {limit}. Use a smaller picture, or "
                "start ComfyUI with a larger --max-upload-size.",
            ).format(name=self.server.name, size=f"{size / 1024**2:.1f} MB", limit=limit),
            Reason.HTTP,
            413,
        )

    # ------------------------------------------------------------ running a graph

    def run(
        self,
        graph: dict[str, Any],
        cancel: CancelToken,
        on_progress: ProgressFn,
        on_preview: PreviewFn,
        on_queued: Callable[[], None] = lambda: None,
    ) -> Run:
        """Queue `graph`, follow it to the end and return its SaveImage images. Stop removes it from the queue or
        interrupts it and raises JobCancelled."""
        client_id = uuid.uuid4().hex
        ws = WebSocket(self.server, self._api_key, "/ws?" + urlencode({"clientId": client_id}))
        ws.connect()
        run = Run()
        self._await_status(ws, cancel)
        try:
            run.prompt_id = self._submit(graph, client_id, cancel)
            on_queued()
            self._follow(ws, run, cancel, on_progress, on_preview)
        except JobCancelled:
            if run.prompt_id:
                self.stop(run.prompt_id)
            raise
        finally:
            ws.close()
        run.images = self._results(run.prompt_id, cancel)
        return run

    def _await_status(self, ws: WebSocket, cancel: CancelToken) -> None:
        """Wait for the server's first "status" message: it is sent once the server has registered this client id,
        so the events of a prompt sent after it all reach this socket (a fast prompt could otherwise finish before)."""
        deadline = time.monotonic() + CONNECT_TIMEOUT_S
        while time.monotonic() < deadline:
            cancel.check()
            message = ws.receive(_WAIT_S)
            if message is not None and message.opcode != BINARY and '"status"' in message.text:
                return
        log.info("%s sent no status on connecting; going on", self.server.name)

    def _submit(self, graph: dict[str, Any], client_id: str, cancel: CancelToken) -> str:
        try:
            answer = self.http.post("/prompt", {"prompt": graph, "client_id": client_id}, cancel)
        except HttpFailure as exc:
            if exc.status == 400:
                raise UserError(
                    QT_TRANSLATE_NOOP("ComfyUI", "{name} refused the job: {detail}").format(
                        name=self.server.name, detail=node_errors_text(exc.body) or exc.message
                    )
                ) from None
            raise
        try:
            prompt_id = answer.json()["prompt_id"]
        except (ValueError, KeyError, TypeError):
            raise self._not_comfyui() from None
        return str(prompt_id)

    def _follow(
        self, ws: WebSocket, run: Run, cancel: CancelToken, on_progress: ProgressFn, on_preview: PreviewFn
    ) -> None:
        last_check = time.monotonic()
        while True:
            cancel.check()  # run() takes the prompt off the server
            try:
                message = ws.receive(_WAIT_S) if ws.connected else None
            except HttpFailure as exc:
                if exc.reason is not Reason.DROPPED:
                    raise
                message = None
            if not ws.connected:
                if self._finished(run.prompt_id, cancel):
                    return
                self._reconnect(ws, run, cancel)
                last_check = time.monotonic()
                continue
            if message is None:
                if time.monotonic() - last_check >= _CHECK_EVERY_S:
                    last_check = time.monotonic()
                    if self._finished(run.prompt_id, cancel):
                        return
                continue
            if message.opcode == BINARY:
                preview = _preview_image(message.data)
                if preview is not None:
                    on_preview(preview)
                continue
            if self._event(message.text, run, on_progress):
                return

    def _event(self, text: str, run: Run, on_progress: ProgressFn) -> bool:
        """Handle one JSON event; True when the prompt has finished."""
        try:
            event = json.loads(text)
        except ValueError:
            return False
        kind = _dict(event).get("type")
        data = _dict(_dict(event).get("data"))
        if data.get("prompt_id") not in (None, run.prompt_id):
            return False  # another prompt (broadcast events)
        if kind == "progress":
            value, maximum = data.get("value"), data.get("max")
            if isinstance(value, int) and isinstance(maximum, int) and maximum > 0:
                on_progress(value, maximum)
        elif kind == "execution_cached":
            run.cached = SAVE_NODE in (data.get("nodes") or [])
        elif kind == "execution_success" or (kind == "executing" and data.get("node") is None and data):
            return data.get("prompt_id") == run.prompt_id
        elif kind == "execution_error" and data.get("prompt_id") == run.prompt_id:
            raise UserError(
                QT_TRANSLATE_NOOP("ComfyUI", "{name} could not run the job: {node} failed: {detail}").format(
                    name=self.server.name,
                    node=str(data.get("node_type") or data.get("node_id") or "?"),
                    detail=" ".join(str(data.get("exception_message") or "").split())[:300] or "-",
                )
            )
        elif kind == "execution_interrupted" and data.get("prompt_id") == run.prompt_id:
            raise UserError(
                QT_TRANSLATE_NOOP(
                    "ComfyUI", "{name} stopped the job: it was cancelled on the server (not from this app)."
                ).format(name=self.server.name)
            )
        return False

    def _reconnect(self, ws: WebSocket, run: Run, cancel: CancelToken) -> None:
        """Open the websocket again with the same client id; when that fails, the loop keeps asking /history."""
        for attempt in range(_RECONNECTS):
            cancel.check()
            try:
                ws.connect()
            except HttpFailure:
                time.sleep(min(0.2 * 2**attempt, 2.0))
                continue
            run.reconnects += 1
            log.info("reconnected to %s's websocket (prompt %s)", self.server.name, run.prompt_id)
            return
        time.sleep(_WAIT_S)  # still down: the next turn asks /history again

    def _finished(self, prompt_id: str, cancel: CancelToken) -> bool:
        """Whether the prompt is done (in the history); an error when the server no longer knows it at all."""
        entry = self._history(prompt_id, cancel)
        if entry is not None:
            return True
        queue = self._queue(cancel)
        if prompt_id in queue[0] or prompt_id in queue[1]:
            return False
        if self._history(prompt_id, cancel) is not None:  # finished between the two questions
            return True
        raise UserError(
            QT_TRANSLATE_NOOP(
                "ComfyUI", "{name} no longer knows the job (was the server restarted?). Nothing came back."
            ).format(name=self.server.name)
        )

    def _history(self, prompt_id: str, cancel: CancelToken) -> dict[str, Any] | None:
        try:
            data = self.http.get(f"/history/{prompt_id}", cancel).json()
        except ValueError:
            return None
        entry = data.get(prompt_id) if isinstance(data, dict) else None
        return entry if isinstance(entry, dict) else None

    def _queue(self, cancel: CancelToken) -> tuple[list[str], list[str]]:
        """(running, pending) prompt ids; each queue item is [number, prompt_id, prompt, extra_data, outputs]."""
        try:
            data = self.http.get("/queue", cancel).json()
        except ValueError:
            return [], []

        def ids(key: str) -> list[str]:
            items = data.get(key) if isinstance(data, dict) else None
            return [str(i[1]) for i in items or [] if isinstance(i, list) and len(i) > 1]

        return ids("queue_running"), ids("queue_pending")

    def _results(self, prompt_id: str, cancel: CancelToken) -> list[Image.Image]:
        deadline = time.monotonic() + _HISTORY_WAIT_S
        entry = self._history(prompt_id, cancel)
        while entry is None and time.monotonic() < deadline:  # written just after execution_success
            time.sleep(0.05)
            entry = self._history(prompt_id, cancel)
        if entry is None:
            raise UserError(
                QT_TRANSLATE_NOOP("ComfyUI", "{name} finished the job but kept no record of its images.").format(
                    name=self.server.name
                )
            )
        status = _dict(entry.get("status"))
        if status.get("status_str") == "error":
            raise UserError(
                QT_TRANSLATE_NOOP("ComfyUI", "{name} could not run the job: {detail}").format(
                    name=self.server.name, detail=_history_error(status) or "-"
                )
            )
        refs = _dict(_dict(entry.get("outputs")).get(SAVE_NODE)).get("images") or []
        images: list[Image.Image] = []
        for ref in refs:
            if not isinstance(ref, dict) or not ref.get("filename"):
                continue
            query = urlencode(
                {"filename": ref["filename"], "subfolder": ref.get("subfolder", ""), "type": ref.get("type", "output")}
            )
            body = self.http.get(f"/view?{query}", cancel).body
            try:
                with Image.open(io.BytesIO(body)) as picture:
                    images.append(picture.convert("RGBA" if picture.mode in ("RGBA", "LA") else "RGB"))
            except (OSError, ValueError):
                raise self._not_comfyui() from None
        if not images:
            raise UserError(
                QT_TRANSLATE_NOOP("ComfyUI", "{name} finished the job but returned no image.").format(
                    name=self.server.name
                )
            )
        return images

    # ------------------------------------------------------------ Stop

    def stop(self, prompt_id: str) -> None:
        """Take the prompt off the queue, or interrupt it if it is the one running. Best effort: a server that
        cannot be reached any more has nothing of ours running."""
        token = CancelToken()  # the job's own token is cancelled already
        try:
            running, pending = self._queue(token)
            if prompt_id in pending:
                self.http.post("/queue", {"delete": [prompt_id]}, token)
            if prompt_id in running or not (running or pending):
                # Newer servers interrupt only the named prompt; older ones ignore the body and interrupt what runs,
                # which is ours (checked above) — or nothing, when it has just ended.
                self.http.post("/interrupt", {"prompt_id": prompt_id}, token)
        except (HttpFailure, JobCancelled) as exc:
            log.info("could not stop prompt %s on %s: %s", prompt_id, self.server.name, exc)


# ---------------------------------------------------------------- reading what the server says


def node_errors_text(body: bytes) -> str:
    """A 400 from /prompt in words: each node's class and what is wrong with it."""
    try:
        data = json.loads(body.decode("utf-8", errors="replace"))
    except ValueError:
        return ""
    if not isinstance(data, dict):
        return ""
    parts: list[str] = []
    errors = data.get("node_errors")
    for info in errors.values() if isinstance(errors, dict) else []:
        if not isinstance(info, dict):
            continue
        for error in info.get("errors") or []:
            if isinstance(error, dict):
                details = str(error.get("details") or "").strip()
                text = str(error.get("message") or "").strip() + (f" ({details})" if details else "")
                parts.append(f"{info.get('class_type', '?')}: {text}")
    if not parts:
        top = data.get("error")
        if isinstance(top, dict):
            details = str(top.get("details") or "").strip()
            parts.append(str(top.get("message") or "") + (f": {details}" if details else ""))
        elif top:
            parts.append(str(top))
    return "; ".join(" ".join(p.split()) for p in parts)[:600]


def _history_error(status: dict[str, Any]) -> str:
    for message in status.get("messages") or []:
        if isinstance(message, list) and len(message) == 2 and message[0] == "execution_error":
            data = message[1] if isinstance(message[1], dict) else {}
            return f"{data.get('node_type', '?')}: {data.get('exception_message', '')}".strip()
    return ""


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _preview_image(frame: bytes) -> Image.Image | None:
    """A step preview from a binary frame, or None for any other binary event."""
    if len(frame) < 8:
        return None
    event = struct.unpack(">I", frame[:4])[0]
    if event == PREVIEW_IMAGE:
        data = frame[8:]
    elif event == PREVIEW_IMAGE_WITH_METADATA:
        length = struct.unpack(">I", frame[4:8])[0]
        data = frame[8 + length :]
    else:
        return None
    try:
        with Image.open(io.BytesIO(data)) as picture:
            return picture.convert("RGB")
    except (OSError, ValueError):
        return None


def _version_tuple(version: str) -> tuple[int, ...] | None:
    found = re.match(r"v?(\d+)\.(\d+)(?:\.(\d+))?", version.strip())
    if found is None:
        return None
    return tuple(int(part or 0) for part in found.groups())
