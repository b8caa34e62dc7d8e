"""The card browser: search a deck's cards by text and tag, see my state, suspend or unsuspend."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required
from werkzeug.wrappers import Response

from bacstudy.db.session import get_session
from bacstudy.decks import catalog
from bacstudy.study import set_aside
from bacstudy.study.browser import browse
from bacstudy.web.auth import signed_in_user
from bacstudy.web.clock import now
from bacstudy.web.lookup import deck_or_404

bp = Blueprint("browse", __name__)


@bp.get("/browse")
@login_required
def cards() -> str:
    db = get_session()
    decks = catalog.deck_summaries(db)
    if not decks:
        return render_template("browse.html", decks=[], deck=None, result=None, tags=[])
    slug = request.args.get("deck") or decks[0].slug
    deck = deck_or_404(slug)
    try:
        page = int(request.args.get("page", "1"))
    except ValueError:
        abort(400, "The page must be a number.")
    user = signed_in_user()
    result = browse(
        db,
        user.id,
        user.study_settings,
        deck,
        now(),
        text=request.args.get("q", ""),
        tag=request.args.get("tag", ""),
        page=page,
    )
    return render_template(
        "browse.html", decks=decks, deck=deck, result=result, tags=catalog.deck_tags(db, deck.id)
    )


@bp.post("/browse/cards/<int:card_id>/suspend")
@login_required
def suspend(card_id: int) -> Response:
    suspended = request.form.get("suspended") == "1"
    db = get_session()
    set_aside.set_suspended(db, signed_in_user(), card_id, suspended)
    db.commit()
    flash("Card suspended." if suspended else "Card unsuspended.")
    back = request.form.get("next", "")
    return redirect(back if back.startswith("/browse") else url_for("browse.cards"))
