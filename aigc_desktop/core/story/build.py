"""Making a storyboard from text: one scene per paragraph (a blank line, or a line break, ends one), and the edits the
Story pane offers on scenes (merge, split, move, delete) as plain functions on the list, so the pane, the CLI and the
tests share them."""

from __future__ import annotations

import re

from aigc_desktop.core.story.board import Scene, Storyboard

MAX_SCENE_CHARS = 600  # a longer paragraph is split at sentence ends into scenes of about this size


def paragraphs(text: str) -> list[str]:
    """The text's paragraphs, stripped, none empty; a very long one is cut at sentence ends."""
    from aigc_desktop.core.audio.sentences import split_sentences

    result: list[str] = []
    for block in re.split(r"\n\s*\n|\n", text.replace("\r\n", "\n").replace("\u2029", "\n")):
        block = " ".join(block.split()) if not _is_cjk(block) else block.strip()
        if not block:
            continue
        if len(block) <= MAX_SCENE_CHARS:
            result.append(block)
            continue
        piece = ""
        for sentence in split_sentences(block):
            if piece and len(piece) + len(sentence) > MAX_SCENE_CHARS:
                result.append(piece.strip())
                piece = ""
            piece += sentence if _is_cjk(sentence) else sentence + " "
        if piece.strip():
            result.append(piece.strip())
    return result


def _is_cjk(text: str) -> bool:
    return sum(1 for ch in text if ord(ch) >= 0x2E80) > len(text) // 3


def storyboard_from_text(text: str) -> Storyboard:
    return Storyboard(scenes=[Scene(text=p, prompt=p[:300]) for p in paragraphs(text)])


def merge_with_next(board: Storyboard, index: int) -> None:
    """Scene `index` and the one after it become one scene (texts joined; the first keeps its picture and settings;
    its narration no longer matches the text, so it is dropped)."""
    if not 0 <= index < len(board.scenes) - 1:
        return
    first, second = board.scenes[index], board.scenes.pop(index + 1)
    joiner = "" if _is_cjk(first.text + second.text) else " "
    first.text = (first.text + joiner + second.text).strip()
    first.narration_id = None


def split_at(board: Storyboard, index: int, position: int) -> None:
    """Scene `index` split at character `position` of its text; the second half is a new scene after it with the
    same picture and motion and no narration."""
    scene = board.scenes[index]
    head, tail = scene.text[:position].strip(), scene.text[position:].strip()
    if not head or not tail:
        return
    scene.text, scene.narration_id = head, None
    board.scenes.insert(
        index + 1,
        Scene(text=tail, picture=scene.picture, picture_ref=scene.picture_ref, motion=scene.motion, prompt=tail[:300]),
    )


def move(board: Storyboard, index: int, to: int) -> None:
    if 0 <= index < len(board.scenes) and 0 <= to < len(board.scenes):
        board.scenes.insert(to, board.scenes.pop(index))


def delete(board: Storyboard, index: int) -> None:
    if 0 <= index < len(board.scenes):
        board.scenes.pop(index)
