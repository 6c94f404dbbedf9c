"""One model the app knows about, and where it came from."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from aigc_desktop.core.specs import ModelKind


class ModelSource(StrEnum):
    """Where a model came from. The values are what `aigc models list --json` prints and install notes store."""

    EMBEDDED = "embedded"  # shipped inside the app's packages
    DOWNLOADED = "downloaded"  # from the catalog, into the models folder
    IMPORTED = "imported"  # copied into the models folder by the user
    LINKED = "linked"  # used where it already was (never copied; removing only forgets it)
    LOCAL = "local"  # dropped into the models folder by hand (no install note)
    PATH = "path"  # given on the command line or picked in a dialog, outside the models folder
    BUILTIN = "builtin"  # a tool that needs no model file (engines.host.BUILTIN_MODELS)
    SERVER = "server"  # offered by a server the user added (core/servers); no file here
    STYLE = "style"  # a LoRA adapter learned from the user's texts, run over its base model (core/models/styles.py)


@dataclass(frozen=True)
class ModelEntry:
    id: str
    name: str
    kind: ModelKind
    backend: str  # "llama.cpp", "transformers", "diffusers", "piper", ...
    path: Path
    size_bytes: int
    licence: str
    source: ModelSource
    ready: bool = True  # False while an embedded model still has to be assembled from its package
    languages: tuple[str, ...] = ()
    instruct: bool | None = None  # text models: whether instructions work (base models only complete text)
    pickle_only: bool = False  # weights only in pickle files (.bin/.ckpt/.pt/.pth): listed, loaders refuse
    licence_file: Path | None = None  # the licence text shipped with the model, for the About/licence view
    # A style (core/models/styles.py): `path` is the base model's file or folder, `adapter` the LoRA the engine loads
    # over it (a GGUF LoRA for llama.cpp, a peft folder for transformers), `base_id` the base model's id.
    adapter: Path | None = None
    base_id: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind.value,
            "backend": self.backend,
            "path": str(self.path),
            "size_bytes": self.size_bytes,
            "licence": self.licence,
            "source": self.source.value,
            "ready": self.ready,
            "languages": list(self.languages),
            "instruct": self.instruct,
            "pickle_only": self.pickle_only,
            "licence_file": None if self.licence_file is None else str(self.licence_file),
            **({"adapter": str(self.adapter), "base_id": self.base_id} if self.adapter is not None else {}),
        }
