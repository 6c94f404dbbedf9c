"""The user's settings as one observable object: every change goes through it, is saved at once and announced.

Widgets read `settings.values` and listen to `changed(name)`; nobody writes the dataclass behind its back, so the
window, the panes and the Models window can never disagree about (say) whether AI text is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from copy import deepcopy
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from aigc_desktop.core.models.entry import ModelEntry
from aigc_desktop.core.models.safety import set_pickle_consent
from aigc_desktop.core.paths import AppPaths
from aigc_desktop.core.settings import Settings


class AppSettings(QObject):
    changed = Signal(str)  # the name of the Settings field that changed

    def __init__(self, paths: AppPaths, values: Settings | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.paths = paths
        self._values = values if values is not None else Settings.load(paths)

    @property
    def values(self) -> Settings:
        """The current settings, to read. Change them with `set` and the helpers below."""
        return self._values

    def set(self, name: str, value: Any) -> None:
        """Change one field, save, and announce it (nothing happens when the value is the same)."""
        if getattr(self._values, name) == value:
            return
        self._values = replace(self._values, **{name: value})
        self._values.save(self.paths)
        self.changed.emit(name)

    def default_model(self, key: str) -> str | None:
        return self._values.default_models.get(key)

    def set_default_model(self, key: str, model_id: str | None) -> None:
        """The model a pane (or the music tab: "music") preselects; None forgets it."""
        models = {k: v for k, v in self._values.default_models.items() if k != key}
        if model_id is not None:
            models[key] = model_id
        self.set("default_models", models)

    def _edit(self, name: str, mutate: Callable[[Settings], None]) -> None:
        """Apply one of core's in-place edits to a copy, then `set` the field it changed."""
        copy = deepcopy(self._values)
        mutate(copy)
        self.set(name, getattr(copy, name))

    def add_recent(self, path: Path) -> None:
        self._edit("recent_projects", lambda s: s.add_recent(path))

    def forget_recent(self, path: Path) -> None:
        self.set("recent_projects", [r for r in self._values.recent_projects if r != str(path)])

    def set_pickle_consent(self, entry: ModelEntry, allowed: bool) -> None:
        self._edit("pickle_allowed", lambda s: set_pickle_consent(s, entry, allowed))
