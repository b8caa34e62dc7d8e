"""Your data: download your progress (JSON) and review log (CSV), import, delete the account."""

from __future__ import annotations

import json

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import login_required, logout_user
from werkzeug.wrappers import Response

from bacstudy import accounts
from bacstudy.db.session import get_session
from bacstudy.errors import ProgressImportError
from bacstudy.progress import portability
from bacstudy.web.auth import signed_in_user
from bacstudy.web.clock import now

bp = Blueprint("account", __name__, url_prefix="/account")


@bp.get("/")
@login_required
def data() -> str:
    return render_template("account.html", limit_mb=portability.MAX_IMPORT_BYTES // (1024 * 1024))


@bp.get("/progress.json")
@login_required
def progress_json() -> Response:
    user = signed_in_user()
    body = json.dumps(portability.export_progress(get_session(), user, now()), indent=1)
    response = Response(body, mimetype="application/json")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="bacstudy-progress-{user.username}.json"'
    )
    return response


@bp.get("/review-log.csv")
@login_required
def review_log() -> Response:
    user = signed_in_user()
    response = Response(portability.review_log_csv(get_session(), user), mimetype="text/csv")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="bacstudy-review-log-{user.username}.csv"'
    )
    return response


@bp.post("/import")
@login_required
def import_progress() -> tuple[str, int] | Response:
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        abort(400, "Choose a progress file (.json) to import.")
    raw = upload.stream.read(portability.MAX_IMPORT_BYTES + 1)
    if len(raw) > portability.MAX_IMPORT_BYTES:
        abort(413, f"The file is larger than {portability.MAX_IMPORT_BYTES // (1024 * 1024)} MB.")
    if request.form.get("confirm") != "replace":
        abort(400, "Tick the box to confirm that the import replaces your current progress.")
    try:
        document = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        abort(400, f"The file is not valid JSON: {error}.")
    db = get_session()
    try:
        counts = portability.import_progress(db, signed_in_user(), document, now())
    except ProgressImportError as error:
        db.rollback()
        return render_template(
            "account.html",
            errors=error.errors,
            limit_mb=portability.MAX_IMPORT_BYTES // (1024 * 1024),
        ), 400
    db.commit()
    flash(
        f"Imported {counts['card_states']} card states, {counts['review_log']} answers and "
        f"{counts['personal_notes']} personal notes."
    )
    return redirect(url_for("account.data"))


@bp.post("/delete")
@login_required
def delete() -> tuple[str, int] | Response:
    user = signed_in_user()
    if not accounts.password_matches(user, request.form.get("password", "")):
        return render_template(
            "account.html",
            delete_error="That is not your password.",
            limit_mb=portability.MAX_IMPORT_BYTES // (1024 * 1024),
        ), 400
    db = get_session()
    accounts.delete_account(db, user)
    db.commit()
    logout_user()
    session.clear()
    flash("Your account and all its data are deleted.")
    return redirect(url_for("main.home"))
