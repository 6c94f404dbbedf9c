"""Errors the user should see as one clear sentence (dialog, status line or one stderr line), never as a traceback."""

from __future__ import annotations


class UserError(Exception):
    """Bad input or an unusable resource: the message is written for the user. Give it a marked `Msg`
    (core/i18n.py) so the window can show it in the user's language; `str()` is the English text."""

    @property
    def message(self) -> str:
        """The message as raised: a `Msg` when it was marked for translation, else plain text."""
        first = self.args[0] if self.args else ""
        return first if isinstance(first, str) else str(self)


class ModelNotFound(UserError):
    pass


class JobCancelled(Exception):
    """Raised at a natural boundary (token, step, sentence) after the user pressed Stop."""
