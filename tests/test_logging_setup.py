"""The log file: one per user, rotated when it is opened once it has grown past 2 MB, three older ones kept."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from aigc_desktop import logging_setup
from aigc_desktop.core.paths import AppPaths


def close_our_handlers() -> None:
    root = logging.getLogger()
    for h in list(root.handlers):
        if isinstance(h, logging_setup.StartRotatingFileHandler):
            root.removeHandler(h)
            h.close()


@pytest.fixture
def fresh_root() -> Iterator[None]:
    close_our_handlers()
    yield
    close_our_handlers()


def test_a_big_log_is_rotated_at_start_and_three_old_ones_are_kept(paths: AppPaths, fresh_root: None) -> None:
    log = paths.log_file
    log.parent.mkdir(parents=True, exist_ok=True)
    for generation in range(5):
        log.write_bytes(f"run {generation}\n".encode() * (logging_setup.MAX_BYTES // 6 + 1))
        assert logging_setup.setup_logging(paths) == log
        logging.getLogger("aigc_desktop").warning("started %d", generation)
        for h in logging.getLogger().handlers:
            h.flush()
        assert log.read_text(encoding="utf-8").endswith(f"started {generation}\n")
        assert log.stat().st_size < 200
        close_our_handlers()  # as the app ending: the next start opens (and maybe rotates) the file again
    backups = sorted(p.name for p in log.parent.iterdir() if p.name.startswith(log.name + "."))
    assert backups == [f"{log.name}.{n}" for n in (1, 2, 3)]
    assert Path(f"{log}.1").read_text(encoding="utf-8").startswith("run 4")  # the newest old log is .1
    assert Path(f"{log}.3").read_text(encoding="utf-8").startswith("run 2")


def test_a_small_log_is_appended_to(paths: AppPaths, fresh_root: None) -> None:
    log = paths.log_file
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text("earlier run\n", encoding="utf-8")
    logging_setup.setup_logging(paths)
    logging.getLogger("aigc_desktop").warning("now")
    for h in logging.getLogger().handlers:
        h.flush()
    text = log.read_text(encoding="utf-8")
    assert text.startswith("earlier run\n") and text.endswith("now\n")
    assert not Path(f"{log}.1").exists()
