"""Fixtures after Flask's tutorial: ``app``, ``client``, ``runner``; a fresh database per test.

Database tests run on SQLite and, when BACSTUDY_TEST_DATABASE_URL is set, on
PostgreSQL too, each in a schema of its own that is dropped afterwards.
"""

from __future__ import annotations

import os
import shutil
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from flask import Flask
from flask.cli import ScriptInfo
from sqlalchemy import text
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from bacstudy import create_app, models
from bacstudy.cli import main
from bacstudy.db import migrate
from bacstudy.db.base import make_engine
from bacstudy.db.session import engine_for
from bacstudy.decks.parse import load_decks
from bacstudy.decks.sync import sync_decks

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO.parent / "shared" / "seeds"
POSTGRES_URL = os.environ.get("BACSTUDY_TEST_DATABASE_URL")
# CI sets this: there, a missing component is a failure, not a skip.
REQUIRE_ALL = os.environ.get("BACSTUDY_TEST_REQUIRE_ALL") == "1"


def skip_or_fail(reason: str) -> None:
    """Skip locally when a component is missing; in CI, where everything must run, fail."""
    if REQUIRE_ALL:
        pytest.fail(f"required component missing in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a new, empty database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.sqlite3'}"
        return
    if not POSTGRES_URL:
        skip_or_fail("BACSTUDY_TEST_DATABASE_URL is not set; PostgreSQL tests skipped")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    separator = "&" if "?" in POSTGRES_URL else "?"
    yield f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"
    with admin.begin() as connection:
        connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


def edit_deck(deck: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in a test deck's source; fail if the fixture lost it."""
    source = deck / "deck.yaml"
    text = source.read_text()
    assert old in text, f"fixture no longer contains {old!r}"
    source.write_text(text.replace(old, new, 1))


@pytest.fixture
def deck_source(tmp_path: Path) -> Path:
    """A writable copy of the valid sample deck, inside a cards folder of its own."""
    target = tmp_path / "cards" / "sample"
    shutil.copytree(FIXTURES / "valid", target)
    return target


@pytest.fixture
def make_app(database_url: str, tmp_path: Path) -> Iterator:
    """Build apps on the test database; each is disposed of at the end."""
    apps: list[Flask] = []

    def build(*, upgrade: bool = True, **overrides: object) -> Flask:
        config = {
            "DATABASE_URL": database_url,
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "DECKS_PATH": str(tmp_path / "cards"),
            "TESTING": True,
            **overrides,
        }
        app = create_app(config)
        if upgrade:
            migrate.upgrade(engine_for(app))
        apps.append(app)
        return app

    yield build
    for app in apps:
        engine_for(app).dispose()


@pytest.fixture
def app(make_app) -> Flask:
    return make_app()


@pytest.fixture
def client(app: Flask):
    return app.test_client()


class Runner:
    """Invokes the real ``bacstudy`` command group against the test app."""

    def __init__(self, app: Flask):
        self.app = app

    def __call__(self, *args: str, input: str | None = None) -> Result:
        info = ScriptInfo(create_app=lambda: self.app)
        return CliRunner().invoke(main, list(args), obj=info, input=input)


@pytest.fixture
def runner(app: Flask) -> Runner:
    return Runner(app)


CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "test-artifacts"
# The machine has no outside network: keep Chromium from trying to reach it.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    if not CHROMIUM.exists():
        skip_or_fail(f"{CHROMIUM} is missing (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class LiveServer:
    def __init__(self, url: str, app: Flask):
        self.url = url
        self.app = app


@pytest.fixture
def live_server(tmp_path: Path, deck_source: Path) -> Iterator[LiveServer]:
    """The app on a fresh SQLite database with the sample deck, served on a free local port."""
    app = create_app(
        {"INSTANCE_PATH": str(tmp_path / "live"), "DECKS_PATH": str(deck_source.parent)}
    )
    engine = engine_for(app)
    migrate.upgrade(engine)
    with Session(engine) as session:
        sync_decks(session, load_decks(deck_source.parent), datetime.now(UTC))
        session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(f"http://127.0.0.1:{server.server_port}", app)
    server.shutdown()
    thread.join()
    engine.dispose()


def screenshot_path(name: str) -> Path:
    """Where a browser test leaves its screenshot for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / f"{name}.png"


def sign_up_in_browser(page, base_url: str, username: str) -> None:
    """Create an account through the real sign-up form; the browser is then signed in."""
    page.goto(base_url + "/signup")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill("correct horse battery")
    page.get_by_label("Repeat password").fill("correct horse battery")
    page.get_by_role("button", name="Sign up").click()


def review_state(
    user_id: int, card_id: int, due: datetime, last_review: datetime, stability: float = 30.0
) -> models.CardState:
    """A card state in review, for tests that need progress to exist."""
    return models.CardState(
        user_id=user_id,
        card_id=card_id,
        state=2,
        step=None,
        stability=stability,
        difficulty=5.0,
        due=due,
        last_review=last_review,
    )
