"""Every model the app can offer: the embedded ones, those in the models folder, and paths given directly."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

from aigc_desktop.core.errors import ModelNotFound, UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.models import embedded, installed, styles
from aigc_desktop.core.models.detect import DetectedModel, detect_model
from aigc_desktop.core.models.entry import ModelEntry, ModelSource
from aigc_desktop.core.paths import AppPaths
from aigc_desktop.core.servers import entries as servers
from aigc_desktop.core.specs import ModelKind

log = logging.getLogger(__name__)

ProgressFn = Callable[[float | None, str], None]

# What the licence column says of a model that does not name its licence.
UNKNOWN_LICENCE = QT_TRANSLATE_NOOP("ModelRegistry", "unknown")
# Deep enough for "text/qwen/Qwen2-0.5B-Instruct" style trees; bounds the walk in a huge tree.
MAX_SCAN_DEPTH = 8
_SKIP_DIRS = frozenset({"__pycache__", "node_modules"})


class ModelRegistry:
    """Looks on disk on every call: the user may drop a model into the folder while the app runs."""

    def __init__(self, paths: AppPaths) -> None:
        self._paths = paths

    @property
    def paths(self) -> AppPaths:
        return self._paths

    @property
    def models_dir(self) -> Path:
        return self._paths.models_dir

    def entries(self, kind: ModelKind | None = None) -> list[ModelEntry]:
        found = [*embedded.embedded_entries(self.models_dir), *self._local_entries(), *self._linked_entries()]
        if kind in (None, ModelKind.TEXT):  # styles run over a text model listed above: after them
            found += styles.style_entries(self.models_dir, found)
        return [e for e in found if kind is None or e.kind == kind]

    def server_entries(self, kind: ModelKind | None = None) -> list[ModelEntry]:
        """The models of the user's servers, as their last test listed them (no network; core/servers)."""
        return servers.server_entries(self._paths, kind)

    def get(self, model_id_or_path: str) -> ModelEntry:
        """The model with this id, or the model at this path; a clear UserError otherwise."""
        wanted = model_id_or_path.strip()
        if servers.is_server_model(wanted):
            return servers.entry_for_id(self._paths, wanted)
        known = self.entries()
        for entry in known:
            if entry.id == wanted:
                return entry
        if wanted:
            path = Path(wanted).expanduser()
            if path.exists():
                return self._entry_for_path(path, known)
        installed = ", ".join(e.id for e in known) or "none"
        raise ModelNotFound(
            QT_TRANSLATE_NOOP(
                "ModelRegistry", "No model '{wanted}' (neither an installed id nor a path). Installed: {installed}."
            ).format(wanted=wanted, installed=installed)
        )

    def materialize(self, entry: ModelEntry, on_progress: ProgressFn | None = None) -> ModelEntry:
        """The model ready to load: assembles the embedded GGUF on first use; ready entries pass through."""
        if entry.ready:
            return entry
        if entry.source is ModelSource.STYLE:  # the base file must be ready; the adapter always is
            base = self.materialize(self.get(entry.base_id), on_progress)
            return replace(entry, path=base.path, ready=base.ready)
        if entry.source is ModelSource.EMBEDDED and entry.id == embedded.GEMMA_ID:
            return embedded.materialize_gemma(self.models_dir, on_progress)
        raise UserError(
            QT_TRANSLATE_NOOP(
                "ModelRegistry", "{name} is not ready and this app does not know how to prepare it."
            ).format(name=entry.name)
        )

    def default_for(self, kind: ModelKind) -> ModelEntry | None:
        """The model to preselect: an embedded one when there is one, else the first found on disk."""
        candidates = self.entries(kind)
        usable = [e for e in candidates if not e.pickle_only]
        # sorted() is stable: within each group the listing order stays.
        ranked = sorted(usable or candidates, key=lambda e: e.source is not ModelSource.EMBEDDED)
        return ranked[0] if ranked else None

    # ------------------------------------------------------------ local folder

    def _local_entries(self) -> list[ModelEntry]:
        root = self.models_dir
        if not root.is_dir():
            return []
        skip = embedded.embedded_dir(root)
        # Style folders are listed by style_entries (over their base), not as models of their own.
        entries = [
            self._installed_entry(root, found) for found in _scan(root, skip) if found.backend != styles.STYLE_BACKEND
        ]
        return sorted(entries, key=lambda e: e.id.lower())

    def _installed_entry(self, root: Path, found: DetectedModel) -> ModelEntry:
        """A model in the folder; one the app downloaded or imported takes its id, name and licence from the install
        note beside it (installed.py), the rest are named by their path."""
        entry = self._to_entry(found, _local_id(root, found.path), ModelSource.LOCAL)
        note = installed.install_info_for(root, found.path)
        if note is None:
            return entry
        info = note[1]
        return replace(
            entry,
            id=info.id,
            name=info.name or entry.name,
            source=info.source,
            licence=info.licence or entry.licence,
            languages=info.languages or entry.languages,
        )

    def _linked_entries(self) -> list[ModelEntry]:
        """Models used where they already were (Hugging Face cache, LM Studio, ...), recorded by installed.add_link."""
        linked = (installed.linked_entry(link, self._to_entry) for link in installed.linked_models(self.models_dir))
        return [entry for entry in linked if entry is not None]

    def _entry_for_path(self, path: Path, known: list[ModelEntry]) -> ModelEntry:
        resolved = path.resolve()
        for entry in known:  # a path to something already listed is that entry (same id everywhere)
            if entry.path.resolve() == resolved:
                return entry
        found = detect_model(resolved)
        if found is None:
            raise UserError(
                QT_TRANSLATE_NOOP("ModelRegistry", "{path} is not a model this app can load.").format(path=path)
            )
        return self._to_entry(found, str(resolved), ModelSource.PATH)

    @staticmethod
    def _to_entry(found: DetectedModel, model_id: str, source: ModelSource) -> ModelEntry:
        return ModelEntry(
            id=model_id,
            name=found.name,
            kind=found.kind,
            backend=found.backend,
            path=found.path,
            size_bytes=found.size_bytes,
            licence=found.licence or UNKNOWN_LICENCE,
            source=source,
            ready=True,
            languages=found.languages,
            instruct=found.instruct,
            pickle_only=found.pickle_only,
            licence_file=found.licence_file,
        )


def _local_id(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def _scan(root: Path, skip: Path) -> Iterator[DetectedModel]:
    """Models under `root`, not looking inside a folder that is itself a model, nor into `skip`."""
    visited: set[Path] = set()

    def walk(folder: Path, depth: int) -> Iterator[DetectedModel]:
        real = folder.resolve()
        if real in visited:  # a symlink loop, or the same folder linked twice
            return
        visited.add(real)
        try:
            children = sorted(folder.iterdir(), key=lambda p: p.name)
        except OSError as exc:
            log.warning("cannot list %s: %s", folder, exc)
            return
        subfolders: list[Path] = []
        for child in children:
            # hidden, half-written (".x.partial"), or the embedded folder
            if child.name.startswith(".") or child == skip:
                continue
            if child.is_dir():
                subfolders.append(child)
            else:
                found = detect_model(child)
                if found is not None:
                    yield found
        for sub in subfolders:
            if sub.name in _SKIP_DIRS:
                continue
            found = detect_model(sub)
            if found is not None:
                yield found
            elif depth < MAX_SCAN_DEPTH:
                yield from walk(sub, depth + 1)

    yield from walk(root, 1)
