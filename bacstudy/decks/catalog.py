"""Read-side queries of deck content: summaries, a deck's pages, a card's full content.

These walk the content relationships (note, symbols, scene) so that views and
other services receive plain dataclasses and never do.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from bacstudy.decks import scene_svg
from bacstudy.decks.faces import CardFace, cloze_plain, render_card
from bacstudy.errors import InvalidInput
from bacstudy.models import Card, Deck, Note, Scene, Symbol, Tag, note_tags


@dataclass(frozen=True)
class DeckSummary:
    slug: str
    title: str
    description: str
    notes: int
    cards: int
    synced_at: datetime


def deck_summaries(session: Session) -> list[DeckSummary]:
    """Every deck with its live (not retired) note and card counts."""
    note_counts = (
        select(Note.deck_id, func.count(Note.id).label("notes"))
        .where(Note.retired_at.is_(None))
        .group_by(Note.deck_id)
        .subquery()
    )
    card_counts = (
        select(Note.deck_id, func.count(Card.id).label("cards"))
        .join(Card, Card.note_id == Note.id)
        .where(Card.retired_at.is_(None))
        .group_by(Note.deck_id)
        .subquery()
    )
    rows = session.execute(
        select(Deck, func.coalesce(note_counts.c.notes, 0), func.coalesce(card_counts.c.cards, 0))
        .outerjoin(note_counts, note_counts.c.deck_id == Deck.id)
        .outerjoin(card_counts, card_counts.c.deck_id == Deck.id)
        .order_by(Deck.title)
    )
    return [
        DeckSummary(
            slug=deck.slug,
            title=deck.title,
            description=deck.description,
            notes=notes,
            cards=cards,
            synced_at=deck.synced_at,
        )
        for deck, notes, cards in rows
    ]


def deck_by_slug(session: Session, slug: str) -> Deck | None:
    return session.scalar(select(Deck).where(Deck.slug == slug))


def live_deck(session: Session, slug: str) -> Deck | None:
    """A deck with its live scenes, symbols and notes loaded, or None."""
    return session.scalar(
        select(Deck)
        .where(Deck.slug == slug)
        .options(
            selectinload(Deck.scenes).selectinload(Scene.symbols),
            selectinload(Deck.notes).selectinload(Note.cards),
            selectinload(Deck.notes).selectinload(Note.tags),
            selectinload(Deck.notes).selectinload(Note.symbols),
        )
    )


def scene_image(
    session: Session, deck_slug: str, scene_slug: str, highlight: str | None = None
) -> str | None:
    """A live scene's SVG, with the symbol ``highlight`` lit and the rest dimmed; None if absent."""
    scene = session.scalar(
        select(Scene)
        .join(Scene.deck)
        .where(Deck.slug == deck_slug, Scene.slug == scene_slug, Scene.retired_at.is_(None))
        .options(selectinload(Scene.symbols))
    )
    if scene is None or highlight is None:
        return scene.svg if scene else None
    if highlight not in {s.slug for s in scene.symbols if s.retired_at is None}:
        raise InvalidInput(f"The scene has no symbol {highlight!r}.")
    return scene_svg.highlight(scene.svg, highlight)


def deck_tags(session: Session, deck_id: int) -> list[tuple[str, int]]:
    """The tags of a deck's live notes with how many live cards carry each, by name."""
    rows = session.execute(
        select(Tag.name, func.count(Card.id))
        .join(note_tags, note_tags.c.tag_id == Tag.id)
        .join(Note, Note.id == note_tags.c.note_id)
        .join(Card, Card.note_id == Note.id)
        .where(Note.deck_id == deck_id, Note.retired_at.is_(None), Card.retired_at.is_(None))
        .group_by(Tag.name)
        .order_by(Tag.name)
    )
    return [(name, count) for name, count in rows]


@dataclass(frozen=True)
class CardContent:
    """Everything a card shows, whoever studies it: its faces, explanation, sources, scene."""

    card_id: int
    template: str
    ordinal: int
    note_slug: str
    face: CardFace
    explanation: str | None
    disagreement: str | None
    sources: list[dict[str, str]]
    scene_slug: str | None  # the scene of the note's symbols, if it has any
    symbol_labels: tuple[str, ...]


def card_content(card: Card) -> CardContent:
    note = card.note
    symbols = tuple(symbol.slug for symbol in note.symbols)
    return CardContent(
        card_id=card.id,
        template=card.template,
        ordinal=card.ordinal,
        note_slug=note.slug,
        face=render_card(note.type, note.fields, card.template, card.ordinal, symbols),
        explanation=note.explanation,
        disagreement=note.disagreement,
        sources=note.sources,
        scene_slug=note.symbols[0].scene.slug if note.symbols else None,
        symbol_labels=tuple(symbol.label for symbol in note.symbols),
    )


def preview_card(session: Session, deck_slug: str, card_id: int) -> CardContent | None:
    """A live card of the deck, as it shows, or None."""
    card = session.scalar(
        select(Card)
        .join(Card.note)
        .join(Note.deck)
        .where(Deck.slug == deck_slug, Card.id == card_id, Card.retired_at.is_(None))
        .options(selectinload(Card.note).selectinload(Note.symbols).selectinload(Symbol.scene))
    )
    return card_content(card) if card is not None else None


class CardLink(NamedTuple):
    """One card of a note, enough to link to its preview and name its template."""

    id: int
    template: str
    ordinal: int


@dataclass(frozen=True)
class NoteOutline:
    """A note as the deck page lists it: the fact in one line, its sources and its cards."""

    slug: str
    summary: str
    sources: list[dict[str, str]]
    disagreement: str | None
    cards: list[CardLink]


@dataclass(frozen=True)
class SymbolOutline:
    slug: str
    label: str
    meaning: str
    ours: bool
    hotspot: dict[str, Any]
    mnemonic_cards: list[CardLink]  # the symbol's own cards (what it stands for, which it is)
    facts: list[NoteOutline]  # the notes it encodes


@dataclass(frozen=True)
class SceneOutline:
    slug: str
    title: str
    width: float
    height: float
    symbols: list[SymbolOutline]


@dataclass(frozen=True)
class DeckOutline:
    slug: str
    title: str
    description: str
    scenes: list[SceneOutline]
    topics: dict[str, list[NoteOutline]]  # by each note's first tag

    @property
    def note_count(self) -> int:
        return sum(len(notes) for notes in self.topics.values())

    @property
    def symbol_count(self) -> int:
        return sum(len(scene.symbols) for scene in self.scenes)


def note_summary(note: Note) -> str:
    """One line for a note in a list: its question and answer, or its cloze sentence."""
    if note.type == "cloze":
        return cloze_plain(note.fields["text"])
    return f"{note.fields['front']} — {note.fields['back']}"


def _card_links(note: Note) -> list[CardLink]:
    return [CardLink(c.id, c.template, c.ordinal) for c in note.cards if c.retired_at is None]


def _note_outline(note: Note) -> NoteOutline:
    return NoteOutline(
        slug=note.slug,
        summary=note_summary(note),
        sources=note.sources,
        disagreement=note.disagreement,
        cards=_card_links(note),
    )


def deck_outline(session: Session, slug: str) -> DeckOutline | None:
    """The deck's live content for its pages: scenes with their symbols, notes by topic."""
    deck = session.scalar(
        select(Deck)
        .where(Deck.slug == slug)
        .options(
            selectinload(Deck.scenes)
            .selectinload(Scene.symbols)
            .selectinload(Symbol.notes)
            .selectinload(Note.cards),
            selectinload(Deck.notes).selectinload(Note.cards),
            selectinload(Deck.notes).selectinload(Note.tags),
        )
    )
    if deck is None:
        return None
    topics: dict[str, list[NoteOutline]] = defaultdict(list)
    for note in deck.notes:
        if note.retired_at is None and note.type != "symbol":
            topics[note.tags[0].name if note.tags else "other"].append(_note_outline(note))
    scenes = []
    for scene in deck.scenes:
        if scene.retired_at is not None:
            continue
        symbols = []
        for symbol in scene.symbols:
            if symbol.retired_at is not None:
                continue
            notes = [note for note in symbol.notes if note.retired_at is None]
            own = next((note for note in notes if note.type == "symbol"), None)
            symbols.append(
                SymbolOutline(
                    slug=symbol.slug,
                    label=symbol.label,
                    meaning=symbol.meaning,
                    ours=symbol.ours,
                    hotspot=symbol.hotspot,
                    mnemonic_cards=_card_links(own) if own else [],
                    facts=[_note_outline(note) for note in notes if note.type != "symbol"],
                )
            )
        scenes.append(SceneOutline(scene.slug, scene.title, scene.width, scene.height, symbols))
    return DeckOutline(deck.slug, deck.title, deck.description, scenes, dict(topics))
