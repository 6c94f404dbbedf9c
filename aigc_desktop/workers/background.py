"""One short call off the GUI thread, with Stop: testing a server (network I/O with timeouts) from a dialog.

Not a JobQueue lane: a test neither loads a model nor should wait behind a generation. The call gets a CancelToken and
ends in exactly one of succeeded / failed / cancelled, delivered on the GUI thread; an exception it raises never
escapes the thread. The thread outlives the BackgroundCall when it must (a dialog closed mid-test deletes the call):
deleting the call cancels it, and the thread is kept until its run() has returned (Qt aborts on a QThread destroyed
while running).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QThread, Signal

from aigc_desktop.core.engines.base import CancelToken
from aigc_desktop.core.errors import JobCancelled, UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP

log = logging.getLogger(__name__)

CallFn = Callable[[CancelToken], object]


class _CallThread(QThread):
    """Runs the function once and ends (no event loop)."""

    succeeded = Signal(object)
    failed = Signal(object)  # the exception: a UserError keeps its marked message
    cancelled = Signal()

    def __init__(self, fn: CallFn, cancel: CancelToken) -> None:
        super().__init__()
        self._fn = fn
        self._cancel = cancel

    def run(self) -> None:
        try:
            result = self._fn(self._cancel)
        except JobCancelled:
            self.cancelled.emit()
        except UserError as exc:
            if self._cancel.cancelled:
                self.cancelled.emit()
            else:
                self.failed.emit(exc)
        except Exception as exc:  # a bug must not kill the thread silently nor take the app down
            log.exception("background call failed")
            message = QT_TRANSLATE_NOOP("Background", "Unexpected error: {error}: {reason} (details in the log file)")
            self.failed.emit(UserError(message.format(error=type(exc).__name__, reason=exc)))
        else:
            if self._cancel.cancelled:
                self.cancelled.emit()
            else:
                self.succeeded.emit(result)


class _Keeper(QObject):
    """Holds every call's thread until it has finished, on the GUI thread."""

    def __init__(self) -> None:
        super().__init__()
        self.threads: set[_CallThread] = set()

    def keep(self, thread: _CallThread) -> None:
        self.threads.add(thread)
        thread.finished.connect(self._release)  # queued to this (GUI) thread: runs once run() has returned

    def _release(self) -> None:
        thread = self.sender()
        if isinstance(thread, _CallThread):
            thread.wait()
            self.threads.discard(thread)


_keeper: _Keeper | None = None


def _keep(thread: _CallThread) -> None:
    global _keeper
    if _keeper is None:
        _keeper = _Keeper()
    _keeper.keep(thread)


class BackgroundCall(QObject):
    """`fn(cancel)` on its own thread. Signals arrive on the GUI thread; `done` follows whichever one ended it."""

    succeeded = Signal(object)
    failed = Signal(object)  # a UserError: show it with error_text
    cancelled = Signal()
    done = Signal()

    def __init__(self, fn: CallFn, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cancel_token = CancelToken()
        self._thread = _CallThread(fn, self.cancel_token)
        self._thread.setObjectName("background-call")
        for signal, relay in (
            (self._thread.succeeded, self.succeeded),
            (self._thread.failed, self.failed),
            (self._thread.cancelled, self.cancelled),
        ):
            signal.connect(relay)
            signal.connect(self.done)
        self.destroyed.connect(self.cancel_token.cancel)  # nobody listens any more: stop the work too

    def start(self) -> BackgroundCall:
        _keep(self._thread)
        self._thread.start()
        return self

    def cancel(self) -> None:
        """Ask the call to stop (the network code closes its socket); `cancelled` follows when it has."""
        self.cancel_token.cancel()

    @property
    def running(self) -> bool:
        return self._thread.isRunning()

    def wait(self, ms: int = 30000) -> bool:
        return self._thread.wait(ms)
