"""The one project model: document, canvas layers, audio clips, the storyboard and the history of generations.

The panes edit it, the store saves it. It holds decoded media (PIL images, numpy samples) so panes never parse files.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.specs import JobSpec
from aigc_desktop.core.story.board import Storyboard

if TYPE_CHECKING:  # an empty project needs neither: the window paints before numpy and PIL are imported
    import numpy as np
    from PIL import Image


UNTITLED = QT_TRANSLATE_NOOP("Project", "Untitled")


def new_id() -> str:
    return uuid.uuid4().hex


@dataclass
class AiSpan:
    """A range of document characters an AI wrote, with the spec that wrote it."""

    start: int
    end: int
    spec_id: str


@dataclass
class Document:
    html: str = ""  # rich text as the editor serialises it
    text: str = ""  # plain text of the same document (search, CLI, export)
    ai_spans: list[AiSpan] = field(default_factory=list)


@dataclass
class Layer:
    name: str
    image: Image.Image  # RGBA
    id: str = field(default_factory=new_id)
    visible: bool = True
    opacity: float = 1.0
    x: int = 0
    y: int = 0
    spec_id: str | None = None  # provenance: the generation that made it, if any

    def __post_init__(self) -> None:
        if self.image.mode != "RGBA":
            self.image = self.image.convert("RGBA")


@dataclass
class Canvas:
    width: int = 1024
    height: int = 1024
    layers: list[Layer] = field(default_factory=list)  # bottom first


@dataclass
class Clip:
    name: str
    samples: np.ndarray  # float32, shape (frames,) mono or (frames, channels)
    sample_rate: int
    id: str = field(default_factory=new_id)
    spec_id: str | None = None

    def __post_init__(self) -> None:
        import numpy as np

        self.samples = np.ascontiguousarray(self.samples, dtype=np.float32)

    @property
    def duration_s(self) -> float:
        return len(self.samples) / float(self.sample_rate) if self.sample_rate else 0.0


class HistoryStatus(StrEnum):
    FINISHED = "finished"
    FAILED = "failed"
    CANCELLED = "cancelled"  # stopped by the user: what was made until then is kept


@dataclass
class HistoryEntry:
    """One generation: the spec it ran (seed resolved), what came of it, and where its output lives in the project."""

    spec: JobSpec
    status: HistoryStatus
    started_at: float
    seconds: float
    model_licence: str = ""
    output_refs: list[str] = field(default_factory=list)  # ids of layers/clips, or "document" for text
    summary: str = ""  # a short human line: first words of the text, "2 images", "12.3 s of speech"...
    metrics: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.status = HistoryStatus(self.status)  # a project file holds the plain string


@dataclass
class Project:
    name: str = UNTITLED  # a Msg: the window shows it translated until the project is saved under a name
    document: Document = field(default_factory=Document)
    canvas: Canvas = field(default_factory=Canvas)
    clips: list[Clip] = field(default_factory=list)
    history: list[HistoryEntry] = field(default_factory=list)
    id: str = field(default_factory=new_id)
    story: Storyboard = field(default_factory=Storyboard)
    created_at: float = field(default_factory=time.time)

    def find_layer(self, layer_id: str) -> Layer | None:
        return next((layer for layer in self.canvas.layers if layer.id == layer_id), None)

    def find_clip(self, clip_id: str) -> Clip | None:
        return next((clip for clip in self.clips if clip.id == clip_id), None)

    def find_history(self, spec_id: str) -> HistoryEntry | None:
        return next((h for h in self.history if h.spec.id == spec_id), None)
