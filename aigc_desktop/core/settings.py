"""User settings: a small JSON file in the config dir. A damaged file never stops the app (defaults are used)."""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from aigc_desktop.core import atomic
from aigc_desktop.core.paths import AppPaths

log = logging.getLogger(__name__)
MAX_RECENT = 10


@dataclass
class Settings:
    recent_projects: list[str] = field(default_factory=list)
    default_models: dict[str, str] = field(default_factory=dict)  # pane -> model id
    autosave_seconds: int = 30
    interest_keywords: list[str] = field(default_factory=list)
    window_geometry: str = ""  # Qt's saveGeometry() as hex, restored by the window
    show_ai: bool = True  # View > Show AI-generated: tint AI text and suffix AI layers/clips
    pickle_allowed: list[str] = field(default_factory=list)  # model paths whose pickle weights the user allowed
    model_search_paths: list[str] = field(default_factory=list)  # extra folders Models > Import searches
    # Tokens of context the Document pane lets a text model read (its memory budget); 0 picks one from this machine.
    text_context_tokens: int = 0
    language: str = ""  # "zh_CN" or "en"; "" follows the system's locale (View > Language changes it)

    def add_recent(self, path: Path) -> None:
        p = str(Path(path).resolve())
        self.recent_projects = [p, *[r for r in self.recent_projects if r != p]][:MAX_RECENT]

    @classmethod
    def load(cls, paths: AppPaths) -> Settings:
        try:
            raw = json.loads(paths.settings_file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError) as exc:
            log.warning("settings file unreadable, using defaults: %s", exc)
            return cls()
        if not isinstance(raw, dict):
            return cls()
        known = {f.name for f in fields(cls)}
        values: dict[str, Any] = {}
        defaults = cls()
        for name in known & raw.keys():
            if isinstance(raw[name], type(getattr(defaults, name))):
                values[name] = raw[name]
        return cls(**values)

    def save(self, paths: AppPaths) -> None:
        """Atomic write: a crash mid-write leaves the previous settings."""
        target = paths.settings_file
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            atomic.write_json(target, asdict(self))
        except OSError as exc:
            log.warning("could not save settings: %s", exc)
