"""Names the user gives to what the app makes on disk (a trained model, a learned style): each becomes a folder name
and part of a registry id, so the same rules hold for all. Each caller words the refusals for its own thing (its own
translation context); the rules live here once."""

from __future__ import annotations

import re
from dataclasses import dataclass

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import Msg

MAX_NAME_CHARS = 80
# Characters that are unsafe in a folder name on some system (Windows is the strictest).
BAD_NAME_CHARS = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


@dataclass(frozen=True)
class NameMessages:
    """The refusals of check_folder_name, marked by the caller (QT_TRANSLATE_NOOP) and unformatted."""

    empty: Msg
    bad_chars: Msg  # {name}
    dot: Msg
    too_long: Msg  # {max}


def check_folder_name(name: str, messages: NameMessages) -> str:
    """The name stripped, or a UserError with the caller's message: empty, a character unsafe in a folder name, a
    leading dot (such folders are hidden and not listed), or too long."""
    name = name.strip()
    if not name:
        raise UserError(messages.empty)
    if BAD_NAME_CHARS.search(name):
        raise UserError(messages.bad_chars.format(name=name))
    if name.startswith("."):
        raise UserError(messages.dot)
    if len(name) > MAX_NAME_CHARS:
        raise UserError(messages.too_long.format(max=MAX_NAME_CHARS))
    return name
