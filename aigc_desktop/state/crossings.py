"""Prompts for the Canvas and the Music tab drafted from the Document's text: the state behind Illustrate and Score
(ui/crossings.py shows them).

A draft runs the IMAGE_PROMPT or MUSIC_PROMPT action (core/text/actions.py) through the model's chat template, on the
model the Actions tab would use for it (core/text/action_model.py: the model chosen there, else the Document's model
when it follows instructions, else the largest instruction-tuned one installed, the embedded SmolLM2 at least). It
is a text generation like any other: queued on the text lane, recorded in the History. Without an instruction-tuned
model (only a base model, or none) the prompt is the text itself, condensed (core/text/prompt_draft.py), and the note
that comes with every draft says so; a failed or empty answer falls back the same way, and says why.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP, Msg
from aigc_desktop.core.project.model import HistoryStatus
from aigc_desktop.core.specs import JobResult, ModelKind
from aigc_desktop.core.text.action_model import ActionModel, action_model
from aigc_desktop.core.text.actions import TextAction, render
from aigc_desktop.core.text.counting import is_chinese
from aigc_desktop.core.text.job import TextOutput, TextParams, text_spec
from aigc_desktop.core.text.prompt_draft import SOURCE_CHARS, clean_draft, condense
from aigc_desktop.state.context import AppContext
from aigc_desktop.state.session import ProjectSession
from aigc_desktop.workers.jobs import Job, JobHandler

SETTINGS_KEY = "actions"  # the Actions tab's chosen model (ui/document/actions_tab.py) drafts too
DRAFTED = QT_TRANSLATE_NOOP("PromptDrafts", "Drafted by {model} from your text. Edit it as you like.")
# As the Actions tab says it (SmolLM2 runs on Chinese text, but poorly): image and music models want English anyway.
DRAFTED_FROM_CHINESE = QT_TRANSLATE_NOOP(
    "PromptDrafts",
    "Drafted by {model}, which was trained on English: drafts from Chinese text may be weak. Edit it as you like.",
)
NO_TEXT_MODEL = QT_TRANSLATE_NOOP(
    "PromptDrafts",
    "No text model is installed to draft a prompt, so this is your text itself, shortened. Edit it as you like.",
)
BASE_ONLY = QT_TRANSLATE_NOOP(
    "PromptDrafts",
    "{model} is a base model: it continues text but cannot write a prompt, so this is your text itself, shortened. "
    "Install an instruction-tuned (chat) model for drafts. Edit it as you like.",
)
FAILED = QT_TRANSLATE_NOOP(
    "PromptDrafts", "{model} could not draft a prompt ({reason}), so this is your text itself, shortened."
)
EMPTY = QT_TRANSLATE_NOOP(
    "PromptDrafts", "{model} gave no usable prompt, so this is your text itself, shortened. Edit it as you like."
)


@dataclass(frozen=True)
class Draft:
    """A prompt for another pane and where it came from."""

    action: str  # IMAGE_PROMPT.id or MUSIC_PROMPT.id
    source: str  # the author's text it was drafted from
    prompt: str
    note: Msg  # how it was made (shown beside it, in the interface language)
    spec_id: str | None = None  # the text generation that drafted it; None: the condensed text


class PromptDrafts(QObject):
    drafted = Signal(object)  # a Draft, when one is ready (at once for the condensed text)

    def __init__(self, ctx: AppContext, session: ProjectSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.session = session

    def runs_on(self, action: TextAction, document_model: str | None) -> ActionModel:
        """The model that drafts `action`'s prompt, by the Actions tab's rules."""
        registry = self.ctx.registry
        models = [*registry.entries(ModelKind.TEXT), *registry.server_entries(ModelKind.TEXT)]
        usable = [e for e in models if not e.pickle_only]
        return action_model(action, usable, document_model, self.ctx.settings.default_model(SETTINGS_KEY))

    def draft(self, action: TextAction, source: str, document_model: str | None) -> Job | None:
        """Queue the draft of `action`'s prompt from `source`; `drafted` brings it. None when no instruction-tuned
        model can draft it: the condensed text is emitted at once."""
        source = source.strip()
        if not source:
            raise UserError(QT_TRANSLATE_NOOP("PromptDrafts", "Select some text, or put the cursor in a paragraph."))
        runs_on = self.runs_on(action, document_model)
        entry = runs_on.entry
        if entry is None or not runs_on.instruct:
            note = NO_TEXT_MODEL if entry is None else BASE_ONLY.format(model=entry.name)
            self.drafted.emit(Draft(action.id, source, condense(source), note))
            return None
        chinese = is_chinese(source)
        prompt = render(action.template_for(True, chinese), source[:SOURCE_CHARS], [], chinese)
        params = TextParams(chat=True, **action.params_for(True, chinese))
        spec = text_spec(entry.id, prompt, params, None, mode="action", action=action.id)
        weak = chinese and bool(entry.languages) and "zh" not in entry.languages
        handler = _Drafting(self, action, source, entry.name, DRAFTED_FROM_CHINESE if weak else DRAFTED)
        return self.ctx.queue.submit(spec, title=action.label, handler=handler)

    def cancel(self, job: Job) -> None:
        self.ctx.queue.cancel(job.id)


@dataclass(eq=False)
class _Drafting(JobHandler):
    drafts: PromptDrafts
    action: TextAction
    source: str
    model_name: str
    drafted_note: Msg  # DRAFTED, or DRAFTED_FROM_CHINESE for Chinese text on a model trained on English
    started_at: float = field(default_factory=time.time)

    def finished(self, job: Job, result: JobResult | None) -> None:
        if result is None:  # a load task: the run follows
            return
        output = result.output
        answer = output.texts[0] if isinstance(output, TextOutput) and output.texts else ""
        prompt = clean_draft(answer)
        self.drafts.session.record(
            result.spec,
            HistoryStatus.FINISHED,
            started_at=self.started_at,
            seconds=result.seconds,
            summary=prompt[:80],
            metrics={**dict(result.metrics), "texts": [answer]},
        )
        if prompt:
            note = self.drafted_note.format(model=self.model_name)
            draft = Draft(self.action.id, self.source, prompt, note, result.spec.id)
        else:
            draft = Draft(self.action.id, self.source, condense(self.source), EMPTY.format(model=self.model_name))
        self.drafts.drafted.emit(draft)

    def failed(self, job: Job, message: str) -> None:
        note = FAILED.format(model=self.model_name, reason=message)
        self.drafts.drafted.emit(Draft(self.action.id, self.source, condense(self.source), note))

    def cancelled(self, job: Job) -> None:
        if job.refused:  # never sent (a plain-http server not confirmed): the text itself, and why
            note = FAILED.format(model=self.model_name, reason=job.refused)
            self.drafts.drafted.emit(Draft(self.action.id, self.source, condense(self.source), note))
