"""Which model a writing action runs on.

Actions that need instructions (summary, expand, rewrite, shorten, translate, brainstorm: `TextAction.wants_instruct`)
are worth little on a base model, so by default they run on an instruction-tuned one even while the Document writes
with a base model (the embedded Gemma): the Document's own model when it is instruction-tuned, else the largest
instruction-tuned model installed here — the embedded SmolLM2 135M Instruct until the user installs a bigger one
(size stands for ability: the same family's larger models follow instructions better, and a bigger file is what a user
installs on purpose). Models on servers are never picked automatically (they may be slow, paid or far away); the user
can choose one. The other actions (poem, title, slogan) have completion frames a base model follows, so they run on
the Document's model. A model the user chose in the Actions tab is used for every action, whatever it is: a base
model then shows which actions it cannot run, and why.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from aigc_desktop.core.models.entry import ModelEntry, ModelSource
from aigc_desktop.core.specs import ModelKind
from aigc_desktop.core.text.actions import TextAction


class Why(StrEnum):
    """Why an action runs on the model it runs on (the Actions tab says it)."""

    CHOSEN = "chosen"  # the user chose it in the Actions tab
    DOCUMENT = "document"  # the Document's model
    INSTRUCT = "instruct"  # the Document's model is a base model; this is the largest instruction-tuned one here
    NONE = "none"  # no text model at all


@dataclass(frozen=True)
class ActionModel:
    entry: ModelEntry | None
    why: Why

    @property
    def instruct(self) -> bool:
        return bool(self.entry is not None and self.entry.instruct)


def best_instruct_model(entries: Iterable[ModelEntry]) -> ModelEntry | None:
    """The largest instruction-tuned text model on this machine (not on a server, not refused as pickle-only)."""
    usable = [
        e
        for e in entries
        if e.kind is ModelKind.TEXT and e.instruct and not e.pickle_only and e.source is not ModelSource.SERVER
    ]
    # Ties: one the user installed before a built-in one, then by id, so the choice never depends on listing order.
    return max(usable, key=lambda e: (e.size_bytes, e.source is not ModelSource.EMBEDDED, e.id), default=None)


def action_model(
    action: TextAction, entries: Iterable[ModelEntry], document_model: str | None, chosen: str | None
) -> ActionModel:
    """The model `action` runs on. `entries`: the text models (local and servers'); `document_model`: the
    Document's model id; `chosen`: the one the user chose in the Actions tab ("" or None: automatic). A chosen model
    that is no longer installed counts as no choice."""
    listed = [e for e in entries if e.kind is ModelKind.TEXT]
    by_id = {e.id: e for e in listed}
    if chosen and chosen in by_id:
        return ActionModel(by_id[chosen], Why.CHOSEN)
    document = by_id.get(document_model) if document_model else None
    if action.wants_instruct and not (document is not None and document.instruct):
        best = best_instruct_model(listed)
        if best is not None:
            return ActionModel(best, Why.INSTRUCT)
    if document is not None:
        return ActionModel(document, Why.DOCUMENT)
    return ActionModel(None, Why.NONE)
