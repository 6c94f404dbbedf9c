"""A server's models as registry entries: id "server:NAME/MODEL", backend by the server's kind (and, where one kind
has several engines, by the dialect its last test found: a speech server is Piper's or an OpenAI-style one).

Listing reads only the servers file (the models the last test found): the model selectors refresh often and must
never wait on the network. An id names any model of a known server, listed or not, so `aigc write --server NAME
--model MODEL` and Regenerate work without a fresh test.
"""

from __future__ import annotations

from pathlib import Path

from aigc_desktop.core.errors import ModelNotFound
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.models.entry import ModelEntry, ModelSource
from aigc_desktop.core.paths import AppPaths
from aigc_desktop.core.servers.config import ServerConfig, ServerKind, ServerStore
from aigc_desktop.core.specs import ModelKind

PREFIX = "server:"
# (model kind, engine backend) per kind of server.
BACKENDS: dict[ServerKind, tuple[ModelKind, str]] = {
    ServerKind.TEXT: (ModelKind.TEXT, "openai"),
    ServerKind.IMAGES: (ModelKind.IMAGE, "comfyui"),  # a ComfyUI server's checkpoints
    ServerKind.SPEECH: (ModelKind.SPEECH, "openai-speech"),
}
# A dialect with an engine of its own: (kind, dialect) -> backend, else the kind's backend above.
DIALECT_BACKENDS: dict[tuple[ServerKind, str], str] = {(ServerKind.SPEECH, "piper-http"): "piper-http"}
# Words in a model's name that mark a base model (completion only); anything else a server serves is taken to follow
# instructions, as nearly every model people serve does.
_BASE_MARKS = ("-base", "_base", ":text", "-text", "-pt", "pretrain")


def model_id(server: str, model: str) -> str:
    return f"{PREFIX}{server}/{model}"


def parse_model_id(model_id: str) -> tuple[str, str] | None:
    """(server name, model name) of a server model id; None for any other id."""
    if not model_id.startswith(PREFIX):
        return None
    server, slash, model = model_id[len(PREFIX) :].partition("/")
    if not server or not slash or not model:
        return None
    return server, model


def is_server_model(model_id: str) -> bool:
    return parse_model_id(model_id) is not None


def server_entry(server: ServerConfig, model: str) -> ModelEntry:
    kind, backend = BACKENDS[server.kind]
    backend = DIALECT_BACKENDS.get((server.kind, server.dialect), backend)
    lowered = model.lower()
    return ModelEntry(
        id=model_id(server.name, model),
        name=model,
        kind=kind,
        backend=backend,
        path=Path(),  # nothing on disk: callers tell server entries by source (or by id) before touching a path
        size_bytes=0,
        licence="",
        source=ModelSource.SERVER,
        instruct=not any(mark in lowered for mark in _BASE_MARKS),
    )


def server_entries(paths: AppPaths, kind: ModelKind | None = None) -> list[ModelEntry]:
    entries: list[ModelEntry] = []
    for server in ServerStore(paths).servers():
        if kind is not None and BACKENDS[server.kind][0] is not kind:
            continue
        entries.extend(server_entry(server, model) for model in server.models)
    return entries


def entry_for_id(paths: AppPaths, wanted: str) -> ModelEntry:
    ref = parse_model_id(wanted)
    if ref is None:
        raise ModelNotFound(QT_TRANSLATE_NOOP("Servers", "“{id}” is not a server model id.").format(id=wanted))
    return server_entry(ServerStore(paths).get(ref[0]), ref[1])
