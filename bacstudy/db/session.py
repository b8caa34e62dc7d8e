"""The web and CLI glue: one session per request (or command), closed when it ends."""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

_EXTENSION_KEY = "bacstudy.db"


def init_app(app: Flask, engine: Engine) -> None:
    """Bind ``engine`` to ``app``: a session per request, closed when the request ends."""
    app.extensions[_EXTENSION_KEY] = sessionmaker(bind=engine, expire_on_commit=False)
    app.teardown_appcontext(_close_session)


def engine_for(app: Flask) -> Engine:
    factory: sessionmaker[Session] = app.extensions[_EXTENSION_KEY]
    engine = factory.kw["bind"]
    assert isinstance(engine, Engine)
    return engine


def get_session() -> Session:
    """The session of the current request or CLI command; uncommitted work is rolled back."""
    if "db_session" not in g:
        g.db_session = current_app.extensions[_EXTENSION_KEY]()
    session: Session = g.db_session
    return session


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()
