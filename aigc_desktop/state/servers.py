"""The user's servers as one observable object: the Servers dialog changes them here, the model selectors listen to
`changed`, and the job queue asks `gate` before any job goes to a server.

It wraps core's ServerStore (servers.json and the owner-only key file): keys go in and out of that file only, never
through a signal, a setting or a log line. A test of a server (probing.probe: network I/O) runs on a BackgroundCall,
never on the GUI thread.

Plain http to another machine: before the FIRST job sent to such a server in this run of the app, `ask` (set by the
window: a confirmation dialog) is asked with plain_http_warning's text; declined, the job is refused before anything
is sent. The consent is per server and address: an edited address asks again.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from aigc_desktop.core.engines.base import CancelToken
from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP, Msg
from aigc_desktop.core.paths import AppPaths
from aigc_desktop.core.servers import probing
from aigc_desktop.core.servers.config import ServerConfig, ServerKind, ServerStore, plain_http_warning
from aigc_desktop.core.servers.entries import parse_model_id
from aigc_desktop.core.specs import JobSpec
from aigc_desktop.workers.background import BackgroundCall

# (server, the warning's text) -> whether the user agreed to send over plain http.
Asker = Callable[[ServerConfig, Msg], bool]


class ServersModel(QObject):
    changed = Signal()  # a server was added, edited, tested or removed: model lists refresh

    def __init__(self, paths: AppPaths, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = ServerStore(paths)
        self.ask: Asker | None = None  # no window (tests, scripts): nothing goes over plain http to another machine
        self._consents: set[tuple[str, str]] = set()

    # ------------------------------------------------------------ the list

    def servers(self, kind: ServerKind | None = None) -> list[ServerConfig]:
        return self.store.servers(kind)

    def get(self, name: str) -> ServerConfig:
        return self.store.get(name)

    def has_key(self, name: str) -> bool:
        return self.store.has_api_key(name)

    def save(
        self, server: ServerConfig, api_key: str | None, *, original: str | None = None, clear_key: bool = False
    ) -> ServerConfig:
        """Add `server`, or replace the one called `original` (which may be renamed). `api_key` None keeps the
        stored key (unless `clear_key`). Returns the server as saved (its address normalised); a UserError says
        why it cannot be saved."""
        names = [s.name for s in self.servers()]
        if server.name in names and server.name != original:
            raise UserError(
                QT_TRANSLATE_NOOP("Servers", "A server called “{name}” exists already.").format(name=server.name)
            )
        kept = self.store.api_key(original) if original is not None and not clear_key else None
        key = api_key if api_key else kept
        if original is not None and original != server.name:
            self.store.add(server, key)  # first: a refused address leaves the old entry as it was
            self.store.remove(original)
        else:
            self.store.add(server, key, replace_existing=original is not None)
        saved = self.store.get(server.name)
        self.changed.emit()
        return saved

    def record_test(self, server: ServerConfig) -> ServerConfig:
        """Keep what a test of a saved server found (its dialect and models: what the model lists show)."""
        self.store.update(server)
        self.changed.emit()
        return self.store.get(server.name)

    def remove(self, name: str) -> None:
        self.store.remove(name)
        self._consents = {c for c in self._consents if c[0] != name}
        self.changed.emit()

    # ------------------------------------------------------------ testing

    def start_test(
        self, server: ServerConfig, api_key: str | None, stored_key_of: str | None = None, parent: QObject | None = None
    ) -> BackgroundCall:
        """Test `server` off the GUI thread with `api_key`, or (None) the key stored for `stored_key_of`. The call's
        `succeeded` carries a probing.TestReport; `failed` a UserError (HttpFailure) saying exactly why not."""
        store = self.store

        def run(cancel: CancelToken) -> probing.TestReport:
            key = api_key if api_key else (store.api_key(stored_key_of) if stored_key_of else None)
            return probing.probe(server, key, cancel)

        return BackgroundCall(run, parent).start()

    # ------------------------------------------------------------ before a job leaves the machine

    def gate(self, spec: JobSpec) -> Msg | None:
        """The job queue's check: None lets the job go; a message says why nothing was sent."""
        ref = parse_model_id(spec.model_id)
        if ref is None:
            return None
        try:
            server = self.store.get(ref[0])
        except UserError:
            return None  # the engine says that no such server exists, as for any unknown model
        warning = plain_http_warning(server)
        consent = (server.name, server.url)
        if warning is None or consent in self._consents:
            return None
        if self.ask is not None and self.ask(server, warning):
            self._consents.add(consent)
            return None
        return QT_TRANSLATE_NOOP(
            "Servers", "Nothing was sent to {name}: sending over plain http was not confirmed."
        ).format(name=server.name)
