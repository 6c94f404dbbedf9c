"""One log file per user in the log dir; its path is what error dialogs point to.

The file is rotated when it is opened (over 2 MB: log.1, log.2, log.3 keep the older ones), not while the app runs:
a session logs a few lines per job, and logging.handlers would import the socket module before the first paint."""

from __future__ import annotations

import logging
from pathlib import Path

from aigc_desktop.core.paths import AppPaths

_FORMAT = "%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"
MAX_BYTES = 2_000_000
BACKUPS = 3


class StartRotatingFileHandler(logging.FileHandler):
    """Appends to `path`, after moving it to path.1 (path.1 to path.2, …) when it has grown past MAX_BYTES."""

    def __init__(self, path: Path) -> None:
        rotate(path)
        super().__init__(path, encoding="utf-8")


def rotate(path: Path) -> None:
    try:
        if path.stat().st_size <= MAX_BYTES:
            return
        for n in range(BACKUPS - 1, 0, -1):
            older = path.with_name(f"{path.name}.{n}")
            if older.exists():
                older.replace(path.with_name(f"{path.name}.{n + 1}"))
        path.replace(path.with_name(f"{path.name}.1"))
    except OSError:  # no file yet, or a backup that cannot move: keep appending rather than lose the log
        return


def setup_logging(paths: AppPaths, level: int = logging.INFO) -> Path:
    paths.log_dir.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    root.setLevel(level)
    target = paths.log_file
    for h in list(root.handlers):
        if isinstance(h, StartRotatingFileHandler):
            if Path(h.baseFilename) == target.resolve():
                return target
            root.removeHandler(h)
            h.close()
    handler = StartRotatingFileHandler(target)
    handler.setFormatter(logging.Formatter(_FORMAT))
    root.addHandler(handler)
    return target
