"""bacstudy: spaced-repetition study of pharmacology from mnemonic flashcards.

Importing the package costs nothing: :func:`create_app` imports Flask and the
web layer when it is called, so pure modules (``study.scheduling``,
``quiz.generate``, ``progress.stats``) load without them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app from ``BACSTUDY_*`` environment variables, overridden by ``config``."""
    import os
    from pathlib import Path

    from flask import Flask

    from bacstudy import web
    from bacstudy.config import (
        default_database_url,
        is_on,
        load_or_create_secret_key,
        settings_from,
    )
    from bacstudy.db import session
    from bacstudy.db.base import make_engine
    from bacstudy.resources import resource_dir

    settings = settings_from(os.environ, config)
    app = Flask(
        __name__,
        instance_path=str(Path(settings["INSTANCE_PATH"]).resolve())
        if settings.get("INSTANCE_PATH")
        else None,
        instance_relative_config=True,
        template_folder=str(resource_dir("templates")),
        static_folder=str(resource_dir("static")),
    )
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    app.config.update(settings)
    app.config.setdefault("DATABASE_URL", default_database_url(instance))
    app.config.setdefault("DECKS_PATH", str(resource_dir("cards")))
    # No request needs more than a progress import (5 MB); larger ones get a 413 at once.
    # Behind HTTPS the session cookie must never travel over plain HTTP.
    app.config["SESSION_COOKIE_SECURE"] = is_on(app.config.get("SECURE_COOKIES", ""))
    if app.config.get("MAX_CONTENT_LENGTH") is None:  # Flask's own default is None
        app.config["MAX_CONTENT_LENGTH"] = 8 * 1024 * 1024
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = load_or_create_secret_key(instance)

    session.init_app(app, make_engine(app.config["DATABASE_URL"]))
    web.init_app(app)
    return app
