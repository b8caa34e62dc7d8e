"""The review screen and its small JSON API (used by static/study.js).

Views parse the request, call ``bacstudy.study`` and answer; every answer
returns the next card in the same response, so the browser needs one round
trip per card.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Blueprint, abort, jsonify, render_template, request, url_for
from flask_login import login_required
from werkzeug.wrappers import Response

from bacstudy import scheduling, study
from bacstudy.card_faces import render_card
from bacstudy.db import get_session
from bacstudy.models import Card, PersonalNote, Presentation
from bacstudy.web.auth import signed_in_user
from bacstudy.web.lookup import deck_or_404

bp = Blueprint("study", __name__)

BUTTON_LABELS = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}
MAX_DURATION_MS = 60 * 60 * 1000
MAX_PERSONAL_NOTE = 5000


def _now() -> datetime:
    return datetime.now(UTC)


def _scope(slug: str, source: Any) -> study.StudyScope:
    """The queue to study, narrowed by ``tag`` or ``symbol`` from the query or JSON body."""
    tag, symbol = source.get("tag"), source.get("symbol")
    return study.StudyScope(
        user=signed_in_user(),
        deck=deck_or_404(slug),
        now=_now(),
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


def _card_payload(scope: study.StudyScope, card: Card, presentation: Presentation) -> dict:
    db = get_session()
    note = card.note
    symbols = tuple(symbol.slug for symbol in note.symbols)
    face = render_card(note.type, note.fields, card.template, card.ordinal, symbols)
    scene = note.symbols[0].scene if note.symbols else None
    scene_url = (
        url_for(
            "decks.scene_image",
            slug=scope.deck.slug,
            scene_slug=scene.slug,
            highlight=face.highlight_symbol,
        )
        if scene
        else None
    )
    personal = db.get(PersonalNote, (scope.user.id, card.id))
    back_html = render_template(
        "_card_back.html",
        face=face,
        note=note,
        card=card,
        scene_url=scene_url,
        personal_note=personal,
    )
    return {
        "token": presentation.token,
        "card_id": card.id,
        "front_html": face.front_html,
        "front_scene_url": scene_url if face.scene_on_front else None,
        "back_html": back_html,
        "buttons": [
            {
                "rating": rating,
                "label": label,
                "interval": scheduling.format_interval(
                    timedelta(seconds=presentation.intervals[str(rating)])
                ),
            }
            for rating, label in BUTTON_LABELS.items()
        ],
    }


def _next_payload(scope: study.StudyScope, card: Card | None = None) -> dict:
    """Present the next card (or ``card``) and describe it, with the queue counts."""
    db = get_session()
    card = card or study.next_card(db, scope)
    counts = study.queue_counts(db, scope)
    payload: dict[str, Any] = {
        "counts": {"new": counts.new, "learning": counts.learning, "review": counts.review}
    }
    if card is None:
        payload["done"] = True
    else:
        scheduler = scheduling.make_scheduler(scope.settings, fuzz=True)
        presentation = study.present(db, scope.user, card, scope.now, scheduler)
        payload.update(done=False, card=_card_payload(scope, card, presentation))
    db.commit()
    return payload


@bp.get("/api/study/<slug>/next")
@login_required
def next_card(slug: str) -> Response:
    return jsonify(_next_payload(_scope(slug, request.args)))


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
    study.answer(get_session(), scope.user, token, rating, scope.now, duration)
    return jsonify(_next_payload(scope))


@bp.post("/api/study/<slug>/undo")
@login_required
def undo(slug: str) -> Response:
    body = _json_body()
    scope = _scope(slug, body)
    card = study.undo_last(get_session(), scope.user)
    return jsonify(_next_payload(scope, card))


def _shown_card_id(token: str) -> int:
    presentation = get_session().get(Presentation, token)
    if presentation is None or presentation.user_id != signed_in_user().id:
        abort(404, "This card was not shown to you.")
    return presentation.card_id


@bp.post("/api/study/<slug>/<any(bury, suspend):action>")
@login_required
def set_aside(slug: str, action: str) -> Response:
    """Bury the shown card until tomorrow, or suspend it until unsuspended."""
    body = _json_body()
    scope = _scope(slug, body)
    card_id = _shown_card_id(_token(body))
    if action == "bury":
        study.bury(get_session(), scope.user, card_id, scope.now)
    else:
        study.set_suspended(get_session(), scope.user, card_id, True)
    return jsonify(_next_payload(scope))


@bp.post("/api/cards/<int:card_id>/my-note")
@login_required
def save_personal_note(card_id: int) -> Response:
    text = _json_body().get("text")
    if not isinstance(text, str) or len(text) > MAX_PERSONAL_NOTE:
        abort(400, f"A personal note is text of at most {MAX_PERSONAL_NOTE} characters.")
    db = get_session()
    study.save_personal_note(db, signed_in_user(), card_id, text.strip(), _now())
    db.commit()
    return jsonify(saved=True, text=text.strip())
