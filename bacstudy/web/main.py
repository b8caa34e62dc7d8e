"""Home: the decks a student can study."""

from __future__ import annotations

from flask import Blueprint, render_template

from bacstudy.db import get_session
from bacstudy.decks.catalog import deck_summaries

bp = Blueprint("main", __name__)


@bp.get("/")
def home() -> str:
    return render_template("home.html", decks=deck_summaries(get_session()))
