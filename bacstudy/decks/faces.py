"""What each card shows: its question and answer sides, from a note's fields and the template.

Pure functions over plain values, so the study pages, the quiz and the Anki
export all phrase a card the same way. Text from deck sources is escaped
here; the returned HTML is safe to insert as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape, unescape

from bacstudy.decks.source import CLOZE_PATTERN

_TAG = re.compile(r"<[^>]+>")
SYMBOL_MEANING_PROMPT = "What does the highlighted symbol stand for?"


@dataclass(frozen=True)
class CardFace:
    front_html: str
    back_html: str
    # The scene symbol to highlight, and whether the scene belongs on the question side
    # (symbol cards ask about the picture) or only on the answer side.
    highlight_symbol: str | None = None
    scene_on_front: bool = False


def render_card(
    note_type: str,
    fields: dict[str, str],
    template: str,
    ordinal: int,
    symbols: tuple[str, ...] = (),
) -> CardFace:
    """The two sides of card (``template``, ``ordinal``); ``symbols`` are the note's scene links."""
    first_symbol = symbols[0] if symbols else None
    if template == "basic":
        return CardFace(escape(fields["front"]), escape(fields["back"]), first_symbol)
    if template == "reversed":
        return CardFace(escape(fields["back"]), escape(fields["front"]), first_symbol)
    if template == "cloze":
        return CardFace(
            cloze_side(fields["text"], ordinal, reveal=False),
            cloze_side(fields["text"], ordinal, reveal=True),
            first_symbol,
        )
    if template == "symbol-meaning":
        return CardFace(
            escape(SYMBOL_MEANING_PROMPT),
            f"<strong>{escape(fields['label'])}</strong><br>{escape(fields['meaning'])}",
            first_symbol,
            scene_on_front=True,
        )
    if template == "symbol-pick":
        return CardFace(
            f"Which symbol in the scene stands for: {escape(fields['meaning'])}",
            f"<strong>{escape(fields['label'])}</strong>",
            first_symbol,
        )
    raise ValueError(f"unknown card template {template!r}")


def cloze_side(text: str, ordinal: int, *, reveal: bool) -> str:
    """Cloze text with deletion ``ordinal`` hidden (or revealed and marked); others shown plain."""
    parts: list[str] = []
    position = 0
    for match in CLOZE_PATTERN.finditer(text):
        parts.append(escape(text[position : match.start()]))
        number, answer, hint = int(match.group(1)), match.group(2), match.group(3)
        if number != ordinal:
            parts.append(escape(answer))
        elif reveal:
            parts.append(f'<mark class="cloze">{escape(answer)}</mark>')
        else:
            parts.append(f'<span class="cloze">[{escape(hint) if hint else "…"}]</span>')
        position = match.end()
    parts.append(escape(text[position:]))
    return "".join(parts)


def cloze_plain(text: str) -> str:
    """A cloze text as a plain sentence, every deletion filled in (for lists; not HTML)."""
    return CLOZE_PATTERN.sub(lambda match: match.group(2), text)


def plain_text(face_html: str) -> str:
    """A rendered card side as plain text: tags dropped, entities decoded."""
    return unescape(_TAG.sub("", face_html))


def cloze_answer(text: str, ordinal: int) -> str:
    """The plain text hidden by deletion ``ordinal`` (all its parts, joined), for quizzes."""
    return " … ".join(
        match.group(2) for match in CLOZE_PATTERN.finditer(text) if int(match.group(1)) == ordinal
    )
