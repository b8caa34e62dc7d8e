"""Every error answers with a page or JSON naming the problem, never a traceback."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.wrappers import Response

from bacstudy.db.session import get_session
from bacstudy.errors import DomainError


def wants_json() -> bool:
    """JSON for API paths and clients that prefer it; HTML for browsers."""
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return request.path.startswith("/api/") or best == "application/json"


def json_error(code: int, message: str) -> tuple[Response, int]:
    return jsonify(error={"code": code, "message": message}), code


def register(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[Response | str, int]:
        code = error.code or 500
        message = error.description or ""
        if wants_json():
            return json_error(code, message)
        return render_template("error.html", code=code, title=error.name, message=message), code

    @app.errorhandler(DomainError)
    def domain_error(error: DomainError) -> tuple[Response | str, int]:
        """A refused action: nothing of the request is kept, and the reason is given."""
        get_session().rollback()
        if wants_json():
            return json_error(error.status, error.message)
        return render_template(
            "error.html", code=error.status, title="Not possible", message=error.message
        ), error.status

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception) -> tuple[Response | str, int]:
        # Logged with its traceback for us; the user gets a plain 500 page.
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        return http_error(InternalServerError())
