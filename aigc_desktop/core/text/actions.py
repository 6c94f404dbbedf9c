"""Writing actions: each a visible, editable preset of prompt template + parameters.

Every action has an instruction template for instruction-tuned (chat) models and, where a plain completion prompt
does the job, a completion template that base models such as the embedded Gemma-3-270M can follow. An action with no
completion template is unavailable on a base model, and says why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

BASE_MODEL_REASON = (
    "needs an instruction-tuned (chat) model; the selected model is a base model that can only continue text. "
    "Install an -Instruct model to use it."
)


@dataclass(frozen=True)
class TextAction:
    id: str
    label: str
    instruct_template: str  # {text} = the selection (or the prompt), {keywords} = the interest profile
    completion_template: str | None  # None: base models cannot do it
    params: dict[str, Any] = field(default_factory=dict)  # overrides of the pane's controls
    needs_text: bool = True

    def available(self, instruct: bool) -> tuple[bool, str]:
        if instruct or self.completion_template is not None:
            return True, ""
        return False, f"“{self.label}” {BASE_MODEL_REASON}"

    def template_for(self, instruct: bool) -> str:
        if instruct or self.completion_template is None:
            return self.instruct_template
        return self.completion_template


def render(template: str, text: str, keywords: list[str]) -> str:
    """Fill a template; unknown braces stay as typed so users can edit templates freely."""
    if not text.strip():
        template = template.replace("\n\n{text}", "")
    return template.replace("{text}", text.strip()).replace("{keywords}", ", ".join(keywords) or "anything")


ACTIONS: tuple[TextAction, ...] = (
    TextAction(
        "poem",
        "Poem",
        "Write a short poem about the following. Reply with the poem only.\n\n{text}",
        "A short poem about {text}\n\n",
        {"max_new_tokens": 120, "temperature": 0.9},
    ),
    TextAction(
        "title",
        "Title / headline",
        "Write one short headline for the following text. Reply with the headline only.\n\n{text}",
        "Article:\n{text}\n\nHeadline:",
        # beam search gives several strong, distinct candidates for short outputs
        {"num_beams": 5, "n": 3, "max_new_tokens": 16, "stop": ["\n"], "greedy": True},
    ),
    TextAction(
        "slogan",
        "Slogan",
        "Write a catchy slogan of at most ten words for the following. Reply with the slogan only.\n\n{text}",
        "Product: {text}\nCatchy slogan:",
        {"n": 3, "max_new_tokens": 20, "stop": ["\n"], "temperature": 1.0},
    ),
    TextAction(
        "summary",
        "Summary",
        "Summarise the following text in two or three sentences.\n\n{text}",
        "{text}\n\nTL;DR:",
        {"max_new_tokens": 120, "temperature": 0.3},
    ),
    TextAction(
        "expand",
        "Expand",
        "Expand the following into a richer, more detailed paragraph, keeping its voice and language.\n\n{text}",
        None,
        {"max_new_tokens": 300},
    ),
    TextAction(
        "rewrite",
        "Rewrite",
        "Rewrite the following text to read more clearly, keeping its meaning and language.\n\n{text}",
        None,
        {"max_new_tokens": 300, "temperature": 0.7},
    ),
    TextAction(
        "translate",
        "Translate zh↔en",
        "Translate the following text. If it is Chinese, translate it into English; otherwise translate it into "
        "Simplified Chinese. Reply with the translation only.\n\n{text}",
        None,
        {"max_new_tokens": 400, "temperature": 0.2},
    ),
    TextAction(
        "brainstorm",
        "Brainstorm from my interests",
        "I am interested in: {keywords}. Brainstorm five fresh ideas for pieces I could write, one per line, "
        "each with a one-sentence pitch.\n\n{text}",
        None,
        {"max_new_tokens": 300, "temperature": 1.0},
        needs_text=False,
    ),
)

ACTIONS_BY_ID = {a.id: a for a in ACTIONS}
