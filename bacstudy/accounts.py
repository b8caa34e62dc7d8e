"""User accounts: sign-up rules, password hashing, login sessions, guessing limits, deletion."""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from bacstudy.errors import AccountError, TooManyAttempts
from bacstudy.models import LoginFailure, LoginSession, User

USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9_.-]{3,40}$")
MIN_PASSWORD_LENGTH = 8
# scrypt is Werkzeug's default; named here so the choice is visible and stable.
PASSWORD_METHOD = "scrypt"


def create_user(session: Session, username: str, password: str, now: datetime) -> User:
    if not USERNAME_PATTERN.match(username):
        raise AccountError("a username is 3 to 40 letters, digits, dots, dashes or underscores")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise AccountError(f"the username {username!r} is taken")
    user = User(
        username=username,
        password_hash=generate_password_hash(password, method=PASSWORD_METHOD),
        created_at=now,
    )
    session.add(user)
    session.flush()
    return user


def password_matches(user: User, password: str) -> bool:
    return check_password_hash(user.password_hash, password)


def user_by_name(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username))


def start_login_session(session: Session, user: User, now: datetime) -> str:
    """Record a new signed-in browser and return its id: random, never reused."""
    token = secrets.token_urlsafe(32)
    session.add(LoginSession(id=token, user_id=user.id, created_at=now))
    session.flush()
    return token


def user_of_login_session(session: Session, token: str) -> User | None:
    login = session.get(LoginSession, token)
    return login.user if login is not None else None


def end_login_session(session: Session, token: str) -> None:
    session.execute(delete(LoginSession).where(LoginSession.id == token))


@cache
def _dummy_hash() -> str:
    """A real hash of a random password: checking against it costs the same as a real check,
    so a login attempt takes as long whether or not the username exists. Made on first use,
    not at import, so the command line starts quickly."""
    return generate_password_hash(secrets.token_hex(16), method=PASSWORD_METHOD)


# Guessing limit: this many failed logins for one username within the window lock it
# until the oldest of them leaves the window.
MAX_FAILURES = 10
FAILURE_WINDOW = timedelta(minutes=15)


def authenticate(session: Session, username: str, password: str, now: datetime) -> User | None:
    """The user with these credentials, or None; raises TooManyAttempts while guessing is locked.

    Failures are recorded (flushed, for the caller to commit) so the limit holds across
    processes and restarts.
    """
    username = username[:200]
    recent = session.scalars(
        select(LoginFailure.at)
        .where(LoginFailure.username == username, LoginFailure.at > now - FAILURE_WINDOW)
        .order_by(LoginFailure.at)
    ).all()
    if len(recent) >= MAX_FAILURES:
        raise TooManyAttempts(recent[-MAX_FAILURES] + FAILURE_WINDOW - now)
    session.execute(delete(LoginFailure).where(LoginFailure.at <= now - FAILURE_WINDOW))
    user = user_by_name(session, username)
    if user is None:
        check_password_hash(_dummy_hash(), password)
    elif password_matches(user, password):
        session.execute(delete(LoginFailure).where(LoginFailure.username == username))
        return user
    session.add(LoginFailure(username=username, at=now))
    session.flush()
    return None


def delete_account(session: Session, user: User) -> None:
    """Remove the user and, through ON DELETE CASCADE, every row that belongs to them."""
    session.execute(delete(User).where(User.id == user.id))
    session.expunge(user)
