"""Errors the user should see as one clear sentence (dialog, status line or one stderr line), never as a traceback."""

from __future__ import annotations


class UserError(Exception):
    """Bad input or an unusable resource: the message is written for the user."""


class ModelNotFound(UserError):
    pass


class JobCancelled(Exception):
    """Raised at a natural boundary (token, step, sentence) after the user pressed Stop."""
