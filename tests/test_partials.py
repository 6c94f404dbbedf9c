from __future__ import annotations

import time
import types

import numpy as np
import pytest

from aigc_desktop.core.audio.job import AudioChunk
from aigc_desktop.core.text.job import TextChunk
from aigc_desktop.workers.partials import PartialBatcher


@pytest.fixture(params=["real clock", "booted 0 s ago", "booted 5 s ago"])
def clock(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """The batcher must not depend on how long the machine has been up: run it on the real monotonic clock and on
    one that reads as on a machine booted a moment ago (the clock starts near zero; flush_s is far longer)."""
    if request.param == "real clock":
        return
    start = 0.0 if request.param == "booted 0 s ago" else 5.0
    origin = time.monotonic()
    fake = types.SimpleNamespace(monotonic=lambda: start + (time.monotonic() - origin))
    monkeypatch.setattr("aigc_desktop.workers.partials.time", fake)


@pytest.mark.usefixtures("clock")
def test_text_pieces_are_joined_in_order_and_other_payloads_pass_at_once() -> None:
    sent: list[object] = []
    batch = PartialBatcher(sent.append, flush_s=3600)
    batch(TextChunk(0, "a"))  # the first piece goes at once (nothing was sent yet)
    batch(TextChunk(0, "b"))
    batch(TextChunk(0, "c"))
    batch(TextChunk(1, "x"))
    assert sent == [TextChunk(0, "a")]
    sentence = AudioChunk(0, np.zeros(4, np.float32), 16000)
    batch(sentence)  # not text: held text goes first, then it, in order
    assert sent == [TextChunk(0, "a"), TextChunk(0, "bc"), TextChunk(1, "x"), sentence]
    batch(TextChunk(1, "y"))
    batch.flush()
    assert sent[-1] == TextChunk(1, "y")


def test_with_no_delay_every_piece_goes_through() -> None:
    sent: list[object] = []
    batch = PartialBatcher(sent.append, flush_s=0)
    for piece in "abc":
        batch(TextChunk(0, piece))
    assert [c.text for c in sent] == ["a", "b", "c"]  # type: ignore[attr-defined]
