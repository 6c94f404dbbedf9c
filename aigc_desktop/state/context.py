"""The few app-wide objects every window, pane and dialog needs, passed in one bundle rather than through globals."""

from __future__ import annotations

from dataclasses import dataclass, field

from aigc_desktop.core.engines.host import EngineHost
from aigc_desktop.core.models.registry import ModelRegistry
from aigc_desktop.core.paths import AppPaths
from aigc_desktop.state.servers import ServersModel
from aigc_desktop.state.settings import AppSettings
from aigc_desktop.workers.queue import JobQueue


@dataclass
class AppContext:
    paths: AppPaths
    settings: AppSettings
    registry: ModelRegistry
    queue: JobQueue
    servers: ServersModel = field(init=False)

    def __post_init__(self) -> None:
        # Every pane's job passes the queue: the plain-http check there covers text, images and speech alike.
        self.servers = ServersModel(self.paths)
        self.queue.gate = self.servers.gate

    @classmethod
    def start(cls, paths: AppPaths) -> AppContext:
        """The app's objects for `paths`: its settings, its model registry, and a job queue whose lanes run engines
        on that registry."""
        registry = ModelRegistry(paths)
        return cls(paths, AppSettings(paths), registry, JobQueue(lambda lane: EngineHost(registry)))
