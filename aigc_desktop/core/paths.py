"""Where the app keeps things: platformdirs locations, or one folder when AIGC_DESKTOP_HOME is set.

Tests and portable installs set AIGC_DESKTOP_HOME so nothing touches the real user folders.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "aigc-desktop"
HOME_ENV = "AIGC_DESKTOP_HOME"
PROJECT_SUFFIX = ".aigc"
ARCHIVE_SUFFIX = ".aigcz"  # one file with the project and its assets (core/project/archive.py)


@dataclass(frozen=True)
class AppPaths:
    data_dir: Path
    config_dir: Path
    log_dir: Path
    cache_dir: Path

    @property
    def models_dir(self) -> Path:
        return self.data_dir / "models"

    @property
    def projects_dir(self) -> Path:
        return self.data_dir / "projects"

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.json"

    @property
    def log_file(self) -> Path:
        return self.log_dir / "aigc-desktop.log"

    def ensure(self) -> AppPaths:
        for d in (self.data_dir, self.config_dir, self.log_dir, self.cache_dir, self.models_dir, self.projects_dir):
            d.mkdir(parents=True, exist_ok=True)
        return self


def app_paths() -> AppPaths:
    """The folders in force now (re-read each call so tests can switch AIGC_DESKTOP_HOME)."""
    home = os.environ.get(HOME_ENV, "").strip()
    if home:
        root = Path(home).expanduser().resolve()
        return AppPaths(root / "data", root / "config", root / "logs", root / "cache")
    return AppPaths(
        Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
        Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
        Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
        Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)),
    )
