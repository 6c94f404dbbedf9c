"""One log file per user in the log dir; its path is what error dialogs point to."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from aigc_desktop.core.paths import AppPaths

_FORMAT = "%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"


def setup_logging(paths: AppPaths, level: int = logging.INFO) -> Path:
    paths.log_dir.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    root.setLevel(level)
    target = paths.log_file
    for h in list(root.handlers):
        if isinstance(h, logging.handlers.RotatingFileHandler):
            if Path(h.baseFilename) == target.resolve():
                return target
            root.removeHandler(h)
            h.close()
    handler = logging.handlers.RotatingFileHandler(target, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter(_FORMAT))
    root.addHandler(handler)
    return target
