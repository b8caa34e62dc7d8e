"""Home: the decks, and for a signed-in student what is waiting in each today."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from bacstudy.db.session import get_session
from bacstudy.study.queue import decks_today
from bacstudy.web.auth import signed_in_user
from bacstudy.web.clock import now

bp = Blueprint("main", __name__)


@bp.get("/")
def home() -> str:
    user = signed_in_user() if current_user.is_authenticated else None
    return render_template("home.html", decks=decks_today(get_session(), user, now()))
