"""Cards a student sets aside (buried until tomorrow, suspended) and their own notes on cards.

Marks live apart from the FSRS state, so setting a card aside never changes
its schedule. The caller commits.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bacstudy.errors import NotFound
from bacstudy.models import Card, CardFlags, Note, PersonalNote, Presentation, User

MAX_PERSONAL_NOTE = 5000


def live_card(session: Session, card_id: int) -> Card:
    card = session.scalar(
        select(Card)
        .join(Card.note)
        .where(Card.id == card_id, Card.retired_at.is_(None), Note.retired_at.is_(None))
    )
    if card is None:
        raise NotFound("There is no such card.")
    return card


def shown_card_id(session: Session, user: User, token: str) -> int:
    """The card shown to ``user`` under ``token``; another student's token does not exist."""
    presentation = session.get(Presentation, token)
    if presentation is None or presentation.user_id != user.id:
        raise NotFound("This card was not shown to you.")
    return presentation.card_id


def _flags(session: Session, user: User, card_id: int) -> CardFlags:
    live_card(session, card_id)
    flags = session.get(CardFlags, (user.id, card_id))
    if flags is None:
        flags = CardFlags(user_id=user.id, card_id=card_id, suspended=False)
        session.add(flags)
    return flags


def bury(session: Session, user: User, card_id: int, now: datetime) -> datetime:
    """Hide a card until the next study day starts; return when that is."""
    until = user.study_settings.calendar.day_of(now).end
    _flags(session, user, card_id).buried_until = until
    session.flush()
    return until


def set_suspended(session: Session, user: User, card_id: int, suspended: bool) -> None:
    _flags(session, user, card_id).suspended = suspended
    session.flush()


def save_personal_note(
    session: Session, user: User, card_id: int, text: str, now: datetime
) -> None:
    """Set (or, with empty text, remove) the user's own note on a card."""
    live_card(session, card_id)
    note = session.get(PersonalNote, (user.id, card_id))
    if not text:
        if note is not None:
            session.delete(note)
    elif note is None:
        session.add(PersonalNote(user_id=user.id, card_id=card_id, text=text, updated_at=now))
    else:
        note.text, note.updated_at = text, now
    session.flush()
