"""Guards against a known-bad Qt binding: PySide6 6.12.0 drops a reference to True on every Signal.emit, and a
long streaming session (one emit per token) then aborts the interpreter with 'bool_dealloc'."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    carries = Signal(object, object, str)
    bare = Signal()


def test_signal_emits_do_not_leak_or_steal_references(qapp) -> None:  # type: ignore[no-untyped-def]
    e = _Emitter()
    e.carries.connect(lambda *_: None)
    e.bare.connect(lambda: None)
    before = sys.getrefcount(True)
    for _ in range(500):
        e.carries.emit(1, None, "x")
        e.bare.emit()
    assert abs(sys.getrefcount(True) - before) < 20
