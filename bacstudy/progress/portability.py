"""A student's progress as a file: export (JSON, and the review log as CSV) and import.

Cards are named in exports by their stable source keys (deck, note, template,
ordinal), never by database ids, so a file exported here imports into another
bacstudy instance that has the same decks. An import is validated in full and
applied in one transaction: it replaces the importing student's progress and
touches nobody else's.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import datetime
from functools import cache
from typing import Any
from zoneinfo import available_timezones

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bacstudy.errors import ProgressImportError
from bacstudy.models import Card, CardFlags, CardState, Deck, Note, PersonalNote, ReviewLog, User
from bacstudy.study.scheduling import MemoryState, setting_problems, state_name

FORMAT = "bacstudy-progress"
VERSION = 1
MAX_IMPORT_BYTES = 5 * 1024 * 1024
CardKey = tuple[str, str, str, int]  # deck slug, note slug, template, ordinal
SETTING_KEYS = (
    "desired_retention",
    "learning_steps",
    "relearning_steps",
    "maximum_interval_days",
    "new_per_day",
    "reviews_per_day",
    "timezone",
)


def _card_keys(session: Session, deck: Deck | None = None) -> dict[int, CardKey]:
    query = (
        select(Card.id, Deck.slug, Note.slug, Card.template, Card.ordinal)
        .join(Card.note)
        .join(Note.deck)
    )
    if deck is not None:
        query = query.where(Deck.id == deck.id)
    return {row[0]: (row[1], row[2], row[3], row[4]) for row in session.execute(query)}


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _namer(session: Session) -> Callable[[int], dict[str, Any]]:
    """Turn card ids into the stable names an export uses."""
    keys = _card_keys(session)

    def named(card_id: int) -> dict[str, Any]:
        deck, note, template, ordinal = keys[card_id]
        return {"deck": deck, "note": note, "template": template, "ordinal": ordinal}

    return named


def _review_entries(
    session: Session, user: User, named: Callable[[int], dict[str, Any]]
) -> list[dict[str, Any]]:
    return [
        {
            **named(log.card_id),
            "rating": log.rating,
            "reviewed_at": _iso(log.reviewed_at),
            "duration_ms": log.duration_ms,
            "kind": log.kind,
            "state_before": log.state_before,
            "state_after": log.state_after,
        }
        for log in session.scalars(
            select(ReviewLog).where(ReviewLog.user_id == user.id).order_by(ReviewLog.id)
        )
    ]


def export_progress(session: Session, user: User, now: datetime) -> dict[str, Any]:
    named = _namer(session)
    flags = {
        f.card_id: f for f in session.scalars(select(CardFlags).where(CardFlags.user_id == user.id))
    }
    states = session.scalars(
        select(CardState).where(CardState.user_id == user.id).order_by(CardState.card_id)
    ).all()
    studied = {s.card_id for s in states}

    def flag_fields(card_id: int) -> dict[str, Any]:
        flag = flags.get(card_id)
        return {
            "suspended": bool(flag and flag.suspended),
            "buried_until": _iso(flag.buried_until) if flag else None,
        }

    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": now.isoformat(),
        "settings": {key: getattr(user, key) for key in SETTING_KEYS},
        "card_states": [
            {
                **named(s.card_id),
                "state": s.state,
                "step": s.step,
                "stability": s.stability,
                "difficulty": s.difficulty,
                "due": _iso(s.due),
                "last_review": _iso(s.last_review),
                **flag_fields(s.card_id),
            }
            for s in states
        ]
        + [
            {**named(card_id), "state": None, **flag_fields(card_id)}
            for card_id in sorted(flags)
            if card_id not in studied
        ],
        "review_log": _review_entries(session, user, named),
        "personal_notes": [
            {**named(n.card_id), "text": n.text, "updated_at": _iso(n.updated_at)}
            for n in session.scalars(
                select(PersonalNote)
                .where(PersonalNote.user_id == user.id)
                .order_by(PersonalNote.card_id)
            )
        ],
    }


REVIEW_LOG_COLUMNS = (
    "reviewed_at",
    "deck",
    "note",
    "template",
    "ordinal",
    "rating",
    "kind",
    "duration_ms",
    "state_before",
    "state_after",
    "stability_after",
    "difficulty_after",
    "due_after",
)


def review_log_csv(session: Session, user: User) -> str:
    """The review log as CSV, one answer a row, oldest first."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(REVIEW_LOG_COLUMNS)
    for entry in _review_entries(session, user, _namer(session)):
        before, after = entry["state_before"], entry["state_after"]
        writer.writerow(
            [
                entry["reviewed_at"],
                entry["deck"],
                entry["note"],
                entry["template"],
                entry["ordinal"],
                entry["rating"],
                entry["kind"],
                entry["duration_ms"],
                state_name(before["state"] if before else None),
                state_name(after["state"]),
                after["stability"],
                after["difficulty"],
                after["due"],
            ]
        )
    return out.getvalue()


class _Reader:
    """Strict reading of an imported document, collecting every error with its place."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def fail(self, where: str, message: str) -> None:
        if len(self.errors) < 50:
            self.errors.append(f"{where}: {message}")

    def field(
        self, entry: dict, key: str, kinds: tuple[type, ...], where: str, optional: bool = False
    ) -> Any:
        if key not in entry or entry[key] is None:
            if not optional:
                self.fail(where, f"{key} is missing")
            return None
        value = entry[key]
        if isinstance(value, bool) and bool not in kinds or not isinstance(value, kinds):
            self.fail(where, f"{key} has the wrong type")
            return None
        if isinstance(value, str) and "\x00" in value:
            self.fail(where, f"{key} contains a NUL character")
            return None
        return value

    def moment(self, entry: dict, key: str, where: str, optional: bool = False) -> datetime | None:
        text = self.field(entry, key, (str,), where, optional)
        if text is None:
            return None
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            self.fail(where, f"{key} is not an ISO date and time")
            return None
        if moment.tzinfo is None:
            self.fail(where, f"{key} has no time zone")
            return None
        return moment

    def state(self, data: Any, where: str) -> dict | None:
        if not isinstance(data, dict):
            self.fail(where, "expected a card state")
            return None
        try:
            MemoryState.from_json(data)
        except (KeyError, TypeError, ValueError):
            self.fail(where, "not a valid card state")
            return None
        return data


def import_progress(session: Session, user: User, document: Any, now: datetime) -> dict[str, int]:
    """Replace the user's progress with ``document`` (see :func:`export_progress`), or change
    nothing and raise ProgressImportError with every problem found."""
    reader = _Reader()
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ProgressImportError(["this is not a bacstudy progress file"])
    if document.get("version") != VERSION:
        raise ProgressImportError([f"unsupported version {document.get('version')!r}"])
    ids = {key: card_id for card_id, key in _card_keys(session).items()}

    def card_of(entry: Any, where: str) -> int | None:
        if not isinstance(entry, dict):
            reader.fail(where, "expected an object")
            return None
        key = (entry.get("deck"), entry.get("note"), entry.get("template"), entry.get("ordinal"))
        if key not in ids:
            reader.fail(where, f"unknown card {key[0]}/{key[1]} {key[2]} {key[3]}")
            return None
        return ids[key]

    states, flags, logs, notes = [], [], [], []
    seen: set[int] = set()
    for i, entry in enumerate(_list(document, "card_states", reader)):
        where = f"card_states[{i}]"
        card_id = card_of(entry, where)
        if card_id is None:
            continue
        if card_id in seen:
            reader.fail(where, "the same card appears twice")
        seen.add(card_id)
        suspended = reader.field(entry, "suspended", (bool,), where, optional=True) or False
        buried = reader.moment(entry, "buried_until", where, optional=True)
        if suspended or buried:
            flags.append(
                CardFlags(
                    user_id=user.id, card_id=card_id, suspended=suspended, buried_until=buried
                )
            )
        if entry.get("state") is None:
            continue
        state = reader.state(
            {
                key: entry.get(key)
                for key in ("state", "step", "stability", "difficulty", "due", "last_review")
            },
            where,
        )
        if state is not None:
            memory = MemoryState.from_json(state)
            if memory.state not in (1, 2, 3) or memory.due.tzinfo is None:
                reader.fail(where, "not a valid card state")
                continue
            states.append(
                CardState(
                    user_id=user.id, card_id=card_id, version=1, **CardState.columns_of(memory)
                )
            )
    for i, entry in enumerate(_list(document, "review_log", reader)):
        where = f"review_log[{i}]"
        card_id = card_of(entry, where)
        rating = reader.field(entry, "rating", (int,), where) if isinstance(entry, dict) else None
        reviewed_at = reader.moment(entry, "reviewed_at", where) if card_id else None
        kind = reader.field(entry, "kind", (str,), where) if card_id else None
        duration = (
            reader.field(entry, "duration_ms", (int,), where, optional=True) if card_id else None
        )
        before = (
            reader.state(entry["state_before"], where)
            if card_id and entry.get("state_before") is not None
            else None
        )
        after = reader.state(entry.get("state_after"), where) if card_id else None
        if rating is not None and rating not in (1, 2, 3, 4):
            reader.fail(where, "rating must be 1 to 4")
        if kind is not None and kind not in ("new", "learning", "review", "relearning"):
            reader.fail(where, f"unknown kind {kind!r}")
        if card_id and rating and reviewed_at and kind and after:
            logs.append(
                ReviewLog(
                    user_id=user.id,
                    card_id=card_id,
                    rating=rating,
                    reviewed_at=reviewed_at,
                    duration_ms=duration,
                    kind=kind,
                    state_before=before,
                    state_after=after,
                )
            )
    for i, entry in enumerate(_list(document, "personal_notes", reader)):
        where = f"personal_notes[{i}]"
        card_id = card_of(entry, where)
        text = reader.field(entry, "text", (str,), where) if card_id else None
        updated = reader.moment(entry, "updated_at", where) if card_id else None
        if card_id and text and updated:
            notes.append(
                PersonalNote(user_id=user.id, card_id=card_id, text=text[:5000], updated_at=updated)
            )
    settings = document.get("settings")
    if not isinstance(settings, dict):
        reader.fail("settings", "expected an object")
        settings = {}
    for key in setting_problems(settings, _time_zones()):
        reader.fail(f"settings.{key}", "out of range or of the wrong type")
    if reader.errors:
        raise ProgressImportError(reader.errors)

    _delete_progress(session, user)
    for key in SETTING_KEYS:
        if key in settings:
            setattr(user, key, settings[key])
    session.add_all([*states, *flags, *logs, *notes])
    session.flush()
    return {"card_states": len(states), "review_log": len(logs), "personal_notes": len(notes)}


def _list(document: dict, key: str, reader: _Reader) -> list:
    value = document.get(key, [])
    if not isinstance(value, list):
        reader.fail(key, "expected a list")
        return []
    return value


@cache
def _time_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def _delete_progress(session: Session, user: User) -> None:
    for model in (ReviewLog, CardState, CardFlags, PersonalNote):
        session.execute(delete(model).where(model.user_id == user.id))
