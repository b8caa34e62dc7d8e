"""The card browser's query: a deck's live cards with one student's state on each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bacstudy.decks.faces import plain_text, render_card
from bacstudy.models import Card, CardFlags, CardState, Deck, Note
from bacstudy.study import scheduling
from bacstudy.study.scheduling import MemoryState


@dataclass(frozen=True)
class BrowseRow:
    card: Card
    question: str  # plain text of the question side
    state: MemoryState | None
    retrievability: float | None
    suspended: bool
    buried_until: datetime | None

    @property
    def state_name(self) -> str:
        return scheduling.state_name(self.state.state if self.state else None).capitalize()


@dataclass(frozen=True)
class BrowsePage:
    rows: list[BrowseRow]
    total: int
    page: int
    pages: int


def browse(
    session: Session,
    user_id: int,
    settings: scheduling.StudySettings,
    deck: Deck,
    now: datetime,
    text: str = "",
    tag: str = "",
    page: int = 1,
    per_page: int = 50,
) -> BrowsePage:
    """Live cards of ``deck`` matching ``text`` (in any field) and ``tag``, in deck order."""
    cards = session.scalars(
        select(Card)
        .join(Card.note)
        .where(Note.deck_id == deck.id, Card.retired_at.is_(None), Note.retired_at.is_(None))
        .order_by(Note.position, Card.template, Card.ordinal)
        .options(
            selectinload(Card.note).selectinload(Note.tags),
            selectinload(Card.note).selectinload(Note.symbols),
        )
    ).all()
    needle = text.strip().lower()
    matching = [
        card
        for card in cards
        if (not tag or tag in {t.name for t in card.note.tags})
        and (not needle or needle in " ".join(card.note.fields.values()).lower())
    ]
    pages = max(1, -(-len(matching) // per_page))
    page = min(max(1, page), pages)
    shown = matching[(page - 1) * per_page : page * per_page]
    ids = [card.id for card in shown]
    states = {
        row.card_id: row
        for row in session.scalars(
            select(CardState).where(CardState.user_id == user_id, CardState.card_id.in_(ids))
        )
    }
    flags = {
        row.card_id: row
        for row in session.scalars(
            select(CardFlags).where(CardFlags.user_id == user_id, CardFlags.card_id.in_(ids))
        )
    }
    exact = scheduling.make_scheduler(settings, fuzz=False)
    rows = []
    for card in shown:
        row = states.get(card.id)
        state = row.memory if row else None
        face = render_card(card.note.type, card.note.fields, card.template, card.ordinal)
        card_flags = flags.get(card.id)
        rows.append(
            BrowseRow(
                card=card,
                question=plain_text(face.front_html),
                state=state,
                retrievability=(
                    scheduling.retrievability(exact, state, card.id, now)
                    if state and state.last_review
                    else None
                ),
                suspended=bool(card_flags and card_flags.suspended),
                buried_until=(
                    card_flags.buried_until
                    if card_flags and card_flags.buried_until and card_flags.buried_until > now
                    else None
                ),
            )
        )
    return BrowsePage(rows=rows, total=len(matching), page=page, pages=pages)
