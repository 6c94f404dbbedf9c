"""Reading a server's stream from the raw bytes as they arrive: Server-Sent Events and JSON lines.

The bytes of one HTTP chunk end anywhere: inside a line, inside a "\\r\\n", inside a multi-byte UTF-8 character. Both
readers decode incrementally (a character split across chunks comes out whole) and keep an unfinished line for the
next chunk. The SSE reader follows the WHATWG event-stream rules: lines end in \\n, \\r\\n or \\r; a line starting
with ":" is a comment (servers send them as keep-alives); `data:` lines accumulate until a blank line dispatches the
event; a leading byte-order mark is dropped. Unlike the spec, an event still pending when the stream ends is
dispatched rather than dropped: a server that closes right after its last `data:` line lost nothing.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class SseEvent:
    data: str
    event: str = "message"
    id: str | None = None


class _Lines:
    """Bytes in, complete text lines out (without their ending)."""

    def __init__(self, universal: bool) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._universal = universal  # SSE: \r alone also ends a line; JSON lines: only \n
        self._buffer = ""
        self._started = False

    def feed(self, chunk: bytes, final: bool = False) -> list[str]:
        text = self._decoder.decode(chunk, final)
        if not self._started and text:
            self._started = True
            text = text.removeprefix("\ufeff")
        self._buffer += text
        lines: list[str] = []
        buffer = self._buffer
        start = 0
        while True:
            at = buffer.find("\n", start)
            cr = buffer.find("\r", start) if self._universal else -1
            if cr >= 0 and (at < 0 or cr < at):
                if cr + 1 == len(buffer) and not final:
                    break  # a "\r" at the end may be the first half of "\r\n": wait for the next chunk
                lines.append(buffer[start:cr])
                start = cr + 2 if buffer.startswith("\n", cr + 1) else cr + 1
                continue
            if at < 0:
                break
            lines.append(buffer[start:at].removesuffix("\r"))
            start = at + 1
        self._buffer = buffer[start:]
        if final and self._buffer:
            lines.append(self._buffer)
            self._buffer = ""
        return lines


class SseReader:
    def __init__(self) -> None:
        self._lines = _Lines(universal=True)
        self._data: list[str] = []
        self._event = ""
        self._id: str | None = None

    def feed(self, chunk: bytes) -> list[SseEvent]:
        return self._take(self._lines.feed(chunk))

    def close(self) -> list[SseEvent]:
        """The stream ended: whatever is complete, plus an event whose blank line never came."""
        events = self._take(self._lines.feed(b"", final=True))
        if self._data:
            events.append(self._dispatch())
        return events

    def _take(self, lines: list[str]) -> list[SseEvent]:
        events: list[SseEvent] = []
        for line in lines:
            if not line:
                if self._data:
                    events.append(self._dispatch())
                self._event = ""
                continue
            if line.startswith(":"):
                continue  # a comment: keep-alive pings
            name, colon, value = line.partition(":")
            if colon and value.startswith(" "):
                value = value[1:]
            if name == "data":
                self._data.append(value)
            elif name == "event":
                self._event = value
            elif name == "id" and "\0" not in value:
                self._id = value
            # "retry" and unknown fields: nothing to do for a one-shot stream
        return events

    def _dispatch(self) -> SseEvent:
        event = SseEvent("\n".join(self._data), self._event or "message", self._id)
        self._data = []
        self._event = ""
        return event


def iter_sse(chunks: Iterable[bytes]) -> Iterator[SseEvent]:
    reader = SseReader()
    for chunk in chunks:
        yield from reader.feed(chunk)
    yield from reader.close()


def iter_json_lines(chunks: Iterable[bytes]) -> Iterator[str]:
    """Ollama's streams: one JSON object per line; blank lines skipped."""
    lines = _Lines(universal=False)
    for chunk in chunks:
        for line in lines.feed(chunk):
            if line.strip():
                yield line
    for line in lines.feed(b"", final=True):
        if line.strip():
            yield line
