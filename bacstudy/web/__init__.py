"""The web layer: one blueprint per feature, each thin (parse the request, call the domain,
commit, render), plus the request's clock (``clock``), fetch-or-404 (``lookup``) and the
error pages (``errors``)."""

from __future__ import annotations

from flask import Flask, abort, current_app, render_template, request
from flask_wtf.csrf import CSRFProtect
from werkzeug.wrappers import Response

from bacstudy.db import migrate
from bacstudy.db.session import engine_for

_SCHEMA_OK = "bacstudy.schema_ok"

csrf = CSRFProtect()


def init_app(app: Flask) -> None:
    from bacstudy.decks.faces import cloze_plain
    from bacstudy.web import (
        account,
        auth,
        browse,
        decks,
        errors,
        main,
        quiz,
        settings,
        stats,
        study,
    )

    app.config.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    app.before_request(_refuse_oversized)  # before CSRF, which would read the body first
    csrf.init_app(app)
    auth.init_app(app)
    for blueprint in (
        main.bp,
        decks.bp,
        study.bp,
        quiz.bp,
        browse.bp,
        stats.bp,
        settings.bp,
        account.bp,
    ):
        app.register_blueprint(blueprint)
    errors.register(app)
    app.before_request(_refuse_nul_characters)
    app.before_request(_require_current_schema)
    app.add_template_filter(cloze_plain, "cloze_plain")


def _refuse_oversized() -> None:
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit and (request.content_length or 0) > limit:
        abort(413, f"The request is larger than {limit // (1024 * 1024)} MB.")


def _refuse_nul_characters() -> None:
    """NUL never belongs in text, and PostgreSQL refuses it: answer 400 before any query."""
    values = [request.path, *request.args.keys(), *request.args.values()]
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        values += [*request.form.keys(), *request.form.values()]
    if request.is_json and b"\\u0000" in request.get_data():
        values.append("\x00")
    if any("\x00" in value for value in values):
        abort(400, "The request contains a NUL character.")


def _require_current_schema() -> tuple[str, int] | tuple[Response, int] | None:
    """Answer 503 with the fix while the database is behind the code.

    Checked until the first success, then remembered: a database only moves forward.
    """
    from bacstudy.web import errors

    if current_app.extensions.get(_SCHEMA_OK) or request.endpoint == "static":
        return None
    status = migrate.schema_status(engine_for(current_app))
    if status.up_to_date:
        current_app.extensions[_SCHEMA_OK] = True
        return None
    message = status.outdated_message()
    if errors.wants_json():
        return errors.json_error(503, message)
    return render_template(
        "error.html", code=503, title="Database needs an upgrade", message=message
    ), 503
