"""The stats page and the scene as a memory map."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import login_required

from bacstudy.db.session import get_session
from bacstudy.decks import catalog
from bacstudy.models import Deck
from bacstudy.progress import queries
from bacstudy.progress.charts import bar_chart, calendar_heatmap, column_chart
from bacstudy.web.auth import signed_in_user
from bacstudy.web.clock import now
from bacstudy.web.lookup import deck_or_404

bp = Blueprint("stats", __name__, url_prefix="/stats")
PERIODS = (30, 90, 365)


def _deck(slug: str | None) -> Deck | None:
    """The deck asked for, or the first one (None while there is no deck)."""
    if slug:
        return deck_or_404(slug)
    db = get_session()
    summaries = catalog.deck_summaries(db)
    return catalog.deck_by_slug(db, summaries[0].slug) if summaries else None


@bp.get("/")
@login_required
def overview() -> str:
    try:
        days = int(request.args.get("days", "30"))
    except ValueError:
        abort(400, "days must be 30, 90 or 365.")
    if days not in PERIODS:
        abort(400, "days must be 30, 90 or 365.")
    db, deck = get_session(), _deck(request.args.get("deck"))
    view = queries.stats_overview(db, signed_in_user(), deck, now(), days)
    return render_template(
        "stats.html",
        deck=deck,
        decks=catalog.deck_summaries(db),
        periods=PERIODS,
        stats=view,
        per_day_chart=column_chart(
            [(d.strftime("%d %b"), n) for d, n in view.per_day],
            f"Reviews per day, last {days} days",
            "reviews",
        ),
        heatmap=calendar_heatmap(
            [(d.strftime("%a %d %b %Y"), d.weekday(), n) for d, n in view.year]
        ),
        forecast_chart=column_chart(
            [(d.strftime("%d %b"), n) for d, n in view.forecast],
            "Reviews due in the next 30 days",
            "forecast",
            colour="#3182ce",
        ),
        mastery_chart=bar_chart(
            [(m.tag.replace("-", " "), m.percent) for m in view.mastery], "Mastery by topic"
        ),
    )


def recall_colour(recall: float | None) -> str:
    """Red (forgotten) through amber to green (known); grey for never studied."""
    if recall is None:
        return "#9aa6ae"
    if recall >= 0.9:
        return "#2f9e44"
    if recall >= 0.8:
        return "#74b816"
    if recall >= 0.7:
        return "#f59f00"
    return "#e03131"


@bp.get("/<slug>/memory-map")
@login_required
def memory_map(slug: str) -> str:
    deck = deck_or_404(slug)
    view = queries.memory_map(get_session(), signed_in_user(), deck, now())
    if view is None:
        abort(404, "This deck has no mnemonic scene.")
    return render_template("memory_map.html", deck=deck, map=view, colour=recall_colour)
