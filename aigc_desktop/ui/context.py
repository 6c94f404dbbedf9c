"""The few shared objects every pane needs, passed in one bundle rather than through globals."""

from __future__ import annotations

from dataclasses import dataclass

from aigc_desktop.core.models.registry import ModelRegistry
from aigc_desktop.core.paths import AppPaths
from aigc_desktop.core.settings import Settings
from aigc_desktop.workers.queue import JobQueue


@dataclass
class AppContext:
    paths: AppPaths
    settings: Settings
    registry: ModelRegistry
    queue: JobQueue

    def save_settings(self) -> None:
        self.settings.save(self.paths)
