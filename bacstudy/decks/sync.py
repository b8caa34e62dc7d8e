"""Bring the database's content rows in line with parsed decks, without losing progress.

Rows are matched by the sources' stable ids and updated in place, so card ids
(and every user's card states and review logs that point at them) survive an
edit. Whatever disappeared from the source is retired, never deleted; it
comes back, with its progress, if it reappears. The caller owns the session
and commits once, so a sync is all-or-nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bacstudy import models
from bacstudy.decks import source


@dataclass
class SyncReport:
    deck: str
    notes_added: int = 0
    notes_updated: int = 0
    notes_retired: int = 0
    cards_added: int = 0
    cards_retired: int = 0

    def __str__(self) -> str:
        return (
            f"{self.deck}: {self.notes_added} notes added, {self.notes_updated} updated, "
            f"{self.notes_retired} retired; {self.cards_added} cards added, "
            f"{self.cards_retired} retired"
        )


def sync_decks(session: Session, decks: list[source.DeckSource], now: datetime) -> list[SyncReport]:
    """Sync every deck in ``decks``; decks absent from the list are left as they are."""
    tags = _TagCache(session)
    return [_sync_deck(session, deck, now, tags) for deck in decks]


class _TagCache:
    """Tags are shared by all decks; create each name once per sync."""

    def __init__(self, session: Session):
        self.session = session
        self.by_name = {tag.name: tag for tag in session.scalars(select(models.Tag))}

    def get(self, name: str) -> models.Tag:
        if name not in self.by_name:
            self.by_name[name] = models.Tag(name=name)
            self.session.add(self.by_name[name])
        return self.by_name[name]


def _sync_deck(
    session: Session, deck: source.DeckSource, now: datetime, tags: _TagCache
) -> SyncReport:
    report = SyncReport(deck=deck.id)
    row = session.scalar(select(models.Deck).where(models.Deck.slug == deck.id))
    if row is None:
        row = models.Deck(slug=deck.id)
        session.add(row)
    row.title, row.description, row.synced_at = deck.title, deck.description, now
    row.documents = [{"id": d.id, "file": d.file, "title": d.title} for d in deck.documents]
    session.flush()

    symbols = _sync_scenes(session, row, deck, now)
    documents = {d.id: d for d in deck.documents}
    existing = {
        note.slug: note
        for note in session.scalars(
            select(models.Note)
            .where(models.Note.deck_id == row.id)
            .options(
                selectinload(models.Note.cards),
                selectinload(models.Note.tags),
                selectinload(models.Note.symbols),
            )
        )
    }
    for position, note in enumerate(deck.all_notes()):
        note_row = existing.pop(note.id, None)
        if note_row is None:
            note_row = models.Note(deck=row, slug=note.id, cards=[], tags=[], symbols=[])
            session.add(note_row)
            report.notes_added += 1
        changed = _apply_note(note_row, note, documents, position, symbols, tags)
        if changed and note_row.id is not None:
            report.notes_updated += 1
        if changed or note_row.id is None:
            note_row.updated_at = now
        note_row.retired_at = None
        _sync_cards(note_row, note.card_templates(), now, report)
    for note_row in existing.values():
        if note_row.retired_at is None:
            note_row.retired_at = now
            report.notes_retired += 1
        _sync_cards(note_row, [], now, report)
    session.flush()
    return report


def _sync_scenes(
    session: Session, row: models.Deck, deck: source.DeckSource, now: datetime
) -> dict[str, models.Symbol]:
    """Upsert scenes and symbols; return the live symbols by id, for linking notes."""
    scenes = {
        scene.slug: scene
        for scene in session.scalars(
            select(models.Scene)
            .where(models.Scene.deck_id == row.id)
            .options(selectinload(models.Scene.symbols))
        )
    }
    live: dict[str, models.Symbol] = {}
    for position, scene in enumerate(deck.scenes):
        scene_row = scenes.pop(scene.id, None) or models.Scene(deck=row, slug=scene.id, symbols=[])
        session.add(scene_row)
        scene_row.title, scene_row.image = scene.title, scene.image
        scene_row.width, scene_row.height, scene_row.svg = scene.width, scene.height, scene.svg
        scene_row.position, scene_row.retired_at = position, None
        old_symbols = {symbol.slug: symbol for symbol in scene_row.symbols}
        for symbol_position, symbol in enumerate(scene.symbols):
            symbol_row = old_symbols.pop(symbol.id, None)
            if symbol_row is None:
                symbol_row = models.Symbol(slug=symbol.id)
                scene_row.symbols.append(symbol_row)
            symbol_row.label, symbol_row.meaning, symbol_row.ours = (
                symbol.label,
                symbol.meaning,
                symbol.ours,
            )
            symbol_row.hotspot = symbol.hotspot.to_json()
            symbol_row.position, symbol_row.retired_at = symbol_position, None
            live[symbol.id] = symbol_row
        _retire(old_symbols.values(), now)
    for scene_row in scenes.values():
        _retire([scene_row, *scene_row.symbols], now)
    return live


def _retire(rows: object, now: datetime) -> None:
    for item in rows:  # type: ignore[attr-defined]
        if item.retired_at is None:
            item.retired_at = now


def _apply_note(
    row: models.Note,
    note: source.NoteSource,
    documents: dict[str, source.Document],
    position: int,
    symbols: dict[str, models.Symbol],
    tags: _TagCache,
) -> bool:
    """Copy the source note onto its row; return whether its content changed."""
    content = {
        "type": note.type,
        "fields": dict(note.fields),
        "sources": [
            {
                "document": documents[ref.document].file,
                "title": documents[ref.document].title,
                "section": ref.section,
            }
            for ref in note.sources
        ],
        "explanation": note.explanation,
        "disagreement": note.disagreement,
        "wrong_answers": list(note.wrong_answers),
    }
    changed = any(getattr(row, key, None) != value for key, value in content.items())
    for key, value in content.items():
        setattr(row, key, value)
    row.position = position
    wanted_tags = [tags.get(name) for name in sorted(note.tags)]
    wanted_symbols = [symbols[symbol_id] for symbol_id in note.symbols]
    if {t.name for t in row.tags} != set(note.tags):
        row.tags, changed = wanted_tags, True
    if {s.slug for s in row.symbols} != set(note.symbols):
        row.symbols, changed = wanted_symbols, True
    return changed


def _sync_cards(
    row: models.Note, templates: list[tuple[str, int]], now: datetime, report: SyncReport
) -> None:
    existing = {(card.template, card.ordinal): card for card in row.cards}
    for template, ordinal in templates:
        card = existing.pop((template, ordinal), None)
        if card is None:
            row.cards.append(models.Card(template=template, ordinal=ordinal))
            report.cards_added += 1
        else:
            card.retired_at = None
    for card in existing.values():
        if card.retired_at is None:
            card.retired_at = now
            report.cards_retired += 1
