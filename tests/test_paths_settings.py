from __future__ import annotations

from pathlib import Path

import pytest

from aigc_desktop.core.paths import HOME_ENV, app_paths
from aigc_desktop.core.settings import MAX_RECENT, Settings


def test_home_variable_moves_every_folder(aigc_home: Path) -> None:
    p = app_paths().ensure()
    for folder in (p.data_dir, p.config_dir, p.log_dir, p.cache_dir, p.models_dir, p.projects_dir):
        assert folder.is_dir() and aigc_home in folder.parents


def test_default_locations_follow_platformdirs(monkeypatch: pytest.MonkeyPatch) -> None:
    import platformdirs

    monkeypatch.delenv(HOME_ENV)
    p = app_paths()
    assert p.data_dir == Path(platformdirs.user_data_dir("aigc-desktop", appauthor=False))
    assert p.projects_dir == p.data_dir / "projects"
    assert p.log_dir == Path(platformdirs.user_log_dir("aigc-desktop", appauthor=False))


def test_settings_round_trip_and_recent_list(paths) -> None:  # type: ignore[no-untyped-def]
    s = Settings()
    for i in range(MAX_RECENT + 3):
        s.add_recent(Path(f"/tmp/p{i}.aigc"))
    s.add_recent(Path("/tmp/p5.aigc"))
    s.interest_keywords = ["山水", "poetry"]
    s.save(paths)
    again = Settings.load(paths)
    assert again.recent_projects[0] == str(Path("/tmp/p5.aigc").resolve())
    assert len(again.recent_projects) == MAX_RECENT
    assert again.interest_keywords == ["山水", "poetry"]


def test_damaged_settings_fall_back_to_defaults(paths) -> None:  # type: ignore[no-untyped-def]
    paths.settings_file.write_text("{not json", encoding="utf-8")
    assert Settings.load(paths) == Settings()
    paths.settings_file.write_text('{"autosave_seconds": "soon", "recent_projects": ["a"]}', encoding="utf-8")
    loaded = Settings.load(paths)
    assert loaded.autosave_seconds == 30 and loaded.recent_projects == ["a"]
