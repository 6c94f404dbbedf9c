"""Testing a server of any kind: what it offers, or exactly why not.

One probe per kind of server, so the Settings dialog (on a worker) and `aigc servers test` run the same code. A probe
does network I/O: never call it on the GUI thread. Each kind's probe lives beside its client and is imported only when
that kind is tested.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from aigc_desktop.core.engines.base import CancelToken
from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP, Msg
from aigc_desktop.core.servers.config import ServerConfig, ServerKind, with_test_result


@dataclass(frozen=True)
class TestReport:
    """What a test found. `server` is the config with the result folded in (dialect, models): save it."""

    server: ServerConfig
    dialect: str
    models: list[str]
    version: str | None = None
    notes: list[Msg] = field(default_factory=list)  # what the user should know (e.g. a mode the server cannot offer)


Probe = Callable[[ServerConfig, str | None, CancelToken | None], TestReport]


def _probe_text(server: ServerConfig, api_key: str | None, cancel: CancelToken | None) -> TestReport:
    from aigc_desktop.core.servers.openai_text import TextClient

    offer = TextClient(server, api_key).probe(cancel)
    return TestReport(
        with_test_result(server, offer.dialect.value, offer.models), offer.dialect.value, offer.models, offer.version
    )


def _probe_speech(server: ServerConfig, api_key: str | None, cancel: CancelToken | None) -> TestReport:
    from aigc_desktop.core.servers.speech import SpeechClient

    offer = SpeechClient(server, api_key).probe(cancel)
    dialect = offer.dialect.value
    return TestReport(with_test_result(server, dialect, offer.voices), dialect, offer.voices, notes=offer.notes)


def _probe_images(server: ServerConfig, api_key: str | None, cancel: CancelToken | None) -> TestReport:
    from aigc_desktop.core.image.job import ImageMode
    from aigc_desktop.core.servers.comfyui import DIALECT, ComfyClient

    offer = ComfyClient(server, api_key).probe(cancel)
    found = offer.modes
    features = tuple(mode.value for mode in ImageMode if mode in found.modes)  # what the Generate tab offers
    tested = with_test_result(server, DIALECT, found.checkpoints, features)
    return TestReport(tested, DIALECT, found.checkpoints, offer.version, list(found.notes))


# One line per kind of server; a kind missing here cannot be tested (nor run) yet.
PROBES: dict[ServerKind, Probe] = {
    ServerKind.TEXT: _probe_text,
    ServerKind.IMAGES: _probe_images,
    ServerKind.SPEECH: _probe_speech,
}


def probe(server: ServerConfig, api_key: str | None, cancel: CancelToken | None = None) -> TestReport:
    """Test `server`; an HttpFailure (or UserError) says why it cannot be used."""
    run = PROBES.get(server.kind)
    if run is None:
        raise UserError(
            QT_TRANSLATE_NOOP("Servers", "This app cannot test {kind} servers yet.").format(kind=server.kind.value)
        )
    return run(server, api_key, cancel)
