"""User accounts: validation and password hashing, independent of any web framework."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from bacstudy.models import User

USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9_.-]{3,40}$")
MIN_PASSWORD_LENGTH = 8
# scrypt is Werkzeug's default; named here so the choice is visible and stable.
PASSWORD_METHOD = "scrypt"


class AccountError(ValueError):
    """A request to create or change an account that cannot be honoured; the message says why."""


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
