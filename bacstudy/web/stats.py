"""The stats page and the scene as a memory map."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, abort, render_template, request
from flask_login import login_required

from bacstudy import progress, stats
from bacstudy.charts import bar_chart, calendar_heatmap, column_chart
from bacstudy.db import get_session
from bacstudy.decks import catalog
from bacstudy.models import Deck
from bacstudy.web.auth import signed_in_user
from bacstudy.web.lookup import deck_or_404

bp = Blueprint("stats", __name__, url_prefix="/stats")
PERIODS = (30, 90, 365)


def _deck(slug: str | None) -> Deck | None:
    db = get_session()
    if slug:
        return deck_or_404(slug)
    summaries = catalog.deck_summaries(db)
    return catalog.deck_by_slug(db, summaries[0].slug) if summaries else None


@bp.get("/")
@login_required
def overview() -> str:
    db, user, now = get_session(), signed_in_user(), datetime.now(UTC)
    try:
        days = int(request.args.get("days", "30"))
    except ValueError:
        abort(400, "days must be 30, 90 or 365.")
    if days not in PERIODS:
        abort(400, "days must be 30, 90 or 365.")
    deck = _deck(request.args.get("deck"))
    answers = progress.answers(db, user)
    today = stats.study_date(now, user.timezone)
    per_day = stats.reviews_per_day(answers, today, days, user.timezone)
    year = stats.reviews_per_day(answers, today, 365, user.timezone)
    cards = progress.memories(db, user, deck, now) if deck else []
    upcoming = stats.forecast(cards, today, 30, user.timezone)
    mastery = stats.mastery_by_tag(cards)
    return render_template(
        "stats.html",
        deck=deck,
        decks=catalog.deck_summaries(db),
        days=days,
        periods=PERIODS,
        total_answers=len(answers),
        per_day=per_day,
        per_day_chart=column_chart(
            [(d.strftime("%d %b"), n) for d, n in per_day],
            f"Reviews per day, last {days} days",
            "reviews",
        ),
        heatmap=calendar_heatmap([(d.strftime("%a %d %b %Y"), d.weekday(), n) for d, n in year]),
        streak=stats.streak(answers, today, user.timezone),
        studied_days=sum(1 for _, n in year if n),
        retention=stats.true_retention(answers, today, user.timezone),
        forecast=upcoming,
        forecast_chart=column_chart(
            [(d.strftime("%d %b"), n) for d, n in upcoming],
            "Reviews due in the next 30 days",
            "forecast",
            colour="#3182ce",
        ),
        by_state=stats.counts_by_state(cards),
        average_recall=stats.average_retrievability(cards),
        mastery=mastery,
        mastery_chart=bar_chart(
            [(m.tag.replace("-", " "), m.percent) for m in mastery], "Mastery by topic"
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
    db, user, now = get_session(), signed_in_user(), datetime.now(UTC)
    deck = deck_or_404(slug, with_content=True)
    scenes = [scene for scene in deck.scenes if scene.retired_at is None]
    if not scenes:
        abort(404, "This deck has no mnemonic scene.")
    by_card = {card.card_id: card for card in progress.memories(db, user, deck, now)}
    symbols = progress.memory_map(db, deck, by_card)
    return render_template(
        "memory_map.html", deck=deck, scene=scenes[0], symbols=symbols, colour=recall_colour
    )
