"""The review screen and its small JSON API (used by static/study.js).

Views parse the request, call ``bacstudy.study`` and answer; every answer
returns the next card in the same response, so the browser needs one round
trip per card.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, jsonify, render_template, request, url_for
from flask_login import login_required
from werkzeug.wrappers import Response

from bacstudy.db.session import get_session
from bacstudy.study import answering, scheduling, set_aside
from bacstudy.study.answering import StudyStep
from bacstudy.study.queue import StudyScope
from bacstudy.web.auth import signed_in_user
from bacstudy.web.clock import now
from bacstudy.web.lookup import deck_or_404

bp = Blueprint("study", __name__)

BUTTON_LABELS = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}
MAX_DURATION_MS = 60 * 60 * 1000


def _scope(slug: str, source: Any) -> StudyScope:
    """The queue to study, narrowed by ``tag`` or ``symbol`` from the query or JSON body."""
    tag, symbol = source.get("tag"), source.get("symbol")
    return StudyScope(
        user=signed_in_user(),
        deck=deck_or_404(slug),
        now=now(),
        tag=tag if isinstance(tag, str) and tag else None,
        symbol=symbol if isinstance(symbol, str) and symbol else None,
    )


@bp.get("/study/<slug>")
@login_required
def review_page(slug: str) -> str:
    scope = _scope(slug, request.args)
    return render_template("study.html", deck=scope.deck, tag=scope.tag, symbol=scope.symbol)


def _json_body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        abort(400, "Send a JSON object.")
    return body


def _step_json(deck_slug: str, step: StudyStep) -> dict[str, Any]:
    counts = step.counts
    payload: dict[str, Any] = {
        "counts": {"new": counts.new, "learning": counts.learning, "review": counts.review},
        "done": step.card is None,
    }
    shown = step.card
    if shown is None:
        return payload
    content = shown.content
    scene_url = (
        url_for(
            "decks.scene_image",
            slug=deck_slug,
            scene_slug=content.scene_slug,
            highlight=content.face.highlight_symbol,
        )
        if content.scene_slug
        else None
    )
    payload["card"] = {
        "token": shown.token,
        "card_id": content.card_id,
        "front_html": content.face.front_html,
        "front_scene_url": scene_url if content.face.scene_on_front else None,
        "back_html": render_template("_card_back.html", shown=shown, scene_url=scene_url),
        "buttons": [
            {
                "rating": rating,
                "label": label,
                "interval": scheduling.format_interval(shown.intervals[rating]),
            }
            for rating, label in BUTTON_LABELS.items()
        ],
    }
    return payload


def _respond(scope: StudyScope, step: StudyStep) -> Response:
    get_session().commit()
    return jsonify(_step_json(scope.deck.slug, step))


@bp.get("/api/study/<slug>/next")
@login_required
def next_card(slug: str) -> Response:
    scope = _scope(slug, request.args)
    return _respond(scope, answering.show_next(get_session(), scope))


def _rating(body: dict[str, Any]) -> int:
    rating = body.get("rating")
    if isinstance(rating, bool) or not isinstance(rating, int) or rating not in BUTTON_LABELS:
        abort(400, "The rating must be 1 (again), 2 (hard), 3 (good) or 4 (easy).")
    return rating


def _duration(body: dict[str, Any]) -> int | None:
    duration = body.get("duration_ms")
    if duration is None:
        return None
    if isinstance(duration, bool) or not isinstance(duration, int) or duration < 0:
        abort(400, "duration_ms must be a whole number of milliseconds.")
    return min(duration, MAX_DURATION_MS)


def _token(body: dict[str, Any]) -> str:
    token = body.get("token")
    if not isinstance(token, str) or not token or len(token) > 64:
        abort(400, "The card token is missing.")
    return token


@bp.post("/api/study/<slug>/answer")
@login_required
def answer(slug: str) -> Response:
    body = _json_body()
    rating, token, duration = _rating(body), _token(body), _duration(body)
    scope = _scope(slug, body)
    db = get_session()
    answering.answer(db, scope.user, token, rating, scope.now, duration)
    return _respond(scope, answering.show_next(db, scope))


@bp.post("/api/study/<slug>/undo")
@login_required
def undo(slug: str) -> Response:
    scope = _scope(slug, _json_body())
    db = get_session()
    card = answering.undo_last(db, scope.user)
    return _respond(scope, answering.show_next(db, scope, card))


@bp.post("/api/study/<slug>/<any(bury, suspend):action>", endpoint="set_aside")
@login_required
def set_card_aside(slug: str, action: str) -> Response:
    """Bury the shown card until tomorrow, or suspend it until unsuspended."""
    body = _json_body()
    scope = _scope(slug, body)
    db = get_session()
    card_id = set_aside.shown_card_id(db, scope.user, _token(body))
    if action == "bury":
        set_aside.bury(db, scope.user, card_id, scope.now)
    else:
        set_aside.set_suspended(db, scope.user, card_id, True)
    return _respond(scope, answering.show_next(db, scope))


@bp.post("/api/cards/<int:card_id>/my-note")
@login_required
def save_personal_note(card_id: int) -> Response:
    text = _json_body().get("text")
    if not isinstance(text, str) or len(text) > set_aside.MAX_PERSONAL_NOTE:
        abort(400, f"A personal note is text of at most {set_aside.MAX_PERSONAL_NOTE} characters.")
    db = get_session()
    set_aside.save_personal_note(db, signed_in_user(), card_id, text.strip(), now())
    db.commit()
    return jsonify(saved=True, text=text.strip())
