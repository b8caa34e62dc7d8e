"""Home: the decks, and for a signed-in student what is waiting in each today."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from flask import Blueprint, render_template
from flask_login import current_user

from bacstudy import study
from bacstudy.db import get_session
from bacstudy.decks import catalog
from bacstudy.web.auth import signed_in_user

bp = Blueprint("main", __name__)


@dataclass(frozen=True)
class DeckToday:
    summary: catalog.DeckSummary
    counts: study.QueueCounts | None
    tags: list[tuple[str, int]]


@bp.get("/")
def home() -> str:
    db = get_session()
    summaries = catalog.deck_summaries(db)
    decks = []
    for summary in summaries:
        deck = catalog.deck_by_slug(db, summary.slug)
        assert deck is not None
        counts = None
        if current_user.is_authenticated:
            scope = study.StudyScope(user=signed_in_user(), deck=deck, now=datetime.now(UTC))
            counts = study.queue_counts(db, scope)
        decks.append(DeckToday(summary, counts, catalog.deck_tags(db, deck.id)))
    return render_template("home.html", decks=decks)
