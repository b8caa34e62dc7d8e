"""Accounts in the browser: sign up, log in, log out (Flask-Login, Flask-WTF forms).

The session cookie carries only a login-session id. A fresh random id is
issued at every login (after the pre-login session is cleared), and logging
out deletes it on the server, so a copied cookie stops working.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, Flask, flash, redirect, render_template, request, session, url_for
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import Field, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from bacstudy import accounts
from bacstudy.db.session import get_session
from bacstudy.errors import AccountError, TooManyAttempts
from bacstudy.models import User
from bacstudy.web.clock import now

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Please log in to study."


class Student(UserMixin):
    """The signed-in user as Flask-Login sees it: identified by the login-session id."""

    def __init__(self, user: User, login_id: str):
        self.user = user
        self.login_id = login_id

    def get_id(self) -> str:
        return self.login_id


@login_manager.user_loader
def _load_student(login_id: str) -> Student | None:
    user = accounts.user_of_login_session(get_session(), login_id)
    return Student(user, login_id) if user is not None else None


@login_manager.unauthorized_handler
def _unauthorized() -> Response | tuple[Response, int]:
    """Browsers go to the login page and come back; API clients get a 401 they can act on."""
    from bacstudy.web.errors import json_error, wants_json

    if wants_json():
        return json_error(401, "Log in first.")
    flash(login_manager.login_message)
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    app.register_blueprint(bp)


def signed_in_user() -> User:
    """The signed-in account (views behind ``login_required`` only)."""
    student: Student = current_user
    return student.user


class SignupForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired(), Length(3, 40)])
    password = PasswordField(
        "Password", validators=[DataRequired(), Length(min=accounts.MIN_PASSWORD_LENGTH)]
    )
    confirm = PasswordField(
        "Repeat password", validators=[DataRequired(), EqualTo("password", "The passwords differ.")]
    )


class LoginForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired()])
    password = PasswordField("Password", validators=[DataRequired()])


def _sign_in(user: User) -> None:
    db = get_session()
    session.clear()  # nothing from before the login survives it
    login_user(Student(user, accounts.start_login_session(db, user, now())))
    db.commit()


def _safe_next(target: str | None) -> str:
    """Only same-site paths are followed after login (no open redirect)."""
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and not urlsplit(target).netloc
    ):
        return target
    return url_for("main.home")


def _form_page(template: str, form: FlaskForm, status: int | None = None) -> tuple[str, int]:
    """A form page: 400 once a submitted form is refused, 200 when first shown."""
    if status is None:
        status = 400 if form.is_submitted() else 200
    return render_template(template, form=form), status


def _refuse(field: Field, message: str) -> None:
    field.errors = [*field.errors, message]


@bp.route("/signup", methods=["GET", "POST"])
def signup() -> Response | tuple[str, int]:
    form = SignupForm()
    if form.validate_on_submit():
        try:
            user = accounts.create_user(
                get_session(), form.username.data or "", form.password.data or "", now()
            )
        except AccountError as error:
            _refuse(form.username, str(error).capitalize() + ".")
            return _form_page("signup.html", form)
        _sign_in(user)
        flash(f"Welcome, {user.username}! Your account is ready.")
        return redirect(url_for("main.home"))
    return _form_page("signup.html", form)


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response | tuple[str, int]:
    form = LoginForm()
    if form.validate_on_submit():
        db = get_session()
        try:
            user = accounts.authenticate(
                db, form.username.data or "", form.password.data or "", now()
            )
        except TooManyAttempts as locked:
            _refuse(form.password, str(locked).capitalize() + ".")
            return _form_page("login.html", form, locked.status)
        if user is not None:
            _sign_in(user)
            return redirect(_safe_next(request.args.get("next")))
        db.commit()  # keep the failure on record
        _refuse(form.password, "Unknown username or wrong password.")
    return _form_page("login.html", form)


@bp.post("/logout")
def logout() -> Response:
    if current_user.is_authenticated:
        db = get_session()
        accounts.end_login_session(db, current_user.get_id())
        db.commit()
    logout_user()
    session.clear()
    flash("You are logged out.")
    return redirect(url_for("main.home"))
