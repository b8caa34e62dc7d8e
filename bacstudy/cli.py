"""The ``bacstudy`` command.

Commands run inside an app context and use the same session helper as a
request; each command that writes commits exactly once. Only click is imported
up front: the app, Flask and the database load when a command runs, so
``bacstudy --help`` answers at once.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import click

if TYPE_CHECKING:
    from flask import Flask

    from bacstudy.decks.source import DeckSource


class AppLoader(Protocol):
    """What the group's context object provides: Flask's ScriptInfo fits (the tests use it)."""

    def load_app(self) -> Flask: ...


class _DefaultApp:
    """The app from the environment, built on first use and kept for the command."""

    def __init__(self) -> None:
        self._app: Flask | None = None

    def load_app(self) -> Flask:
        if self._app is None:
            from bacstudy import create_app

            self._app = create_app()
        return self._app


def in_app_context(command: Callable[..., None]) -> Callable[..., None]:
    """Run ``command`` inside the app's context (what Flask's ``with_appcontext`` does)."""

    @wraps(command)
    def run(*args: Any, **kwargs: Any) -> None:
        loader: AppLoader = click.get_current_context().find_root().obj
        with loader.load_app().app_context():
            command(*args, **kwargs)

    return run


@click.group("bacstudy")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Study pharmacology from mnemonic flashcards.

    Configuration comes from BACSTUDY_* environment variables (see the README).
    """
    # A caller (the tests) may hand in its own loader, such as Flask's ScriptInfo.
    if ctx.obj is None:
        ctx.obj = _DefaultApp()


def _database_label() -> str:
    from flask import current_app
    from sqlalchemy.engine import make_url

    return make_url(current_app.config["DATABASE_URL"]).render_as_string(hide_password=True)


def _decks_path(path: str | None) -> Path:
    from flask import current_app

    return Path(path) if path else Path(current_app.config["DECKS_PATH"])


def _load_or_exit(path: Path) -> list[DeckSource]:
    from bacstudy.decks.parse import load_decks
    from bacstudy.errors import DeckInvalid

    try:
        return load_decks(path)
    except DeckInvalid as invalid:
        for error in invalid.errors:
            click.echo(str(error), err=True)
        click.echo(f"{len(invalid.errors)} error(s); nothing was loaded.", err=True)
        sys.exit(1)


def _sync(path: Path) -> None:
    from bacstudy.db.session import get_session
    from bacstudy.decks.sync import sync_decks
    from bacstudy.web.clock import now

    decks = _load_or_exit(path)
    session = get_session()
    reports = sync_decks(session, decks, now())
    session.commit()
    for report in reports:
        click.echo(str(report))


@click.command("init")
@click.option(
    "--decks",
    "decks_path",
    type=click.Path(),
    help="Deck sources (default: the configured cards/ folder).",
)
@in_app_context
def init_command(decks_path: str | None) -> None:
    """Create or upgrade the database, then load the decks."""
    from flask import current_app

    from bacstudy.db import migrate
    from bacstudy.db.session import engine_for

    engine = engine_for(current_app)
    before = migrate.schema_status(engine)
    migrate.upgrade(engine)
    if before.up_to_date:
        click.echo(f"Database {_database_label()} is up to date (revision {before.head}).")
    else:
        click.echo(
            f"Database {_database_label()} upgraded from {before.current or 'empty'} "
            f"to revision {before.head}."
        )
    _sync(_decks_path(decks_path))


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64))
@in_app_context
def serve_command(host: str, port: int, threads: int) -> None:
    """Serve the app with Waitress."""
    from flask import current_app
    from waitress.server import create_server

    from bacstudy.db import migrate
    from bacstudy.db.session import engine_for

    status = migrate.schema_status(engine_for(current_app))
    if not status.up_to_date:
        click.echo(status.outdated_message(), err=True)
        sys.exit(1)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    server = create_server(app, host=host, port=port, threads=threads)
    shown_host = f"[{host}]" if ":" in host else host
    # Printed once the socket listens, so the URL works the moment it is shown.
    click.echo(f"bacstudy is running at http://{shown_host}:{port}/  (Ctrl+C to stop)")
    try:
        server.run()
    except KeyboardInterrupt:
        click.echo("Stopped.")


@click.group("decks")
def decks_group() -> None:
    """Validate, load and list decks."""


@decks_group.command("validate")
@click.argument("path", required=False, type=click.Path())
@in_app_context
def decks_validate(path: str | None) -> None:
    """Check deck sources; print every error as file:line: message (exit 1 if any)."""
    for deck in _load_or_exit(_decks_path(path)):
        symbols = sum(len(scene.symbols) for scene in deck.scenes)
        click.echo(
            f"ok: {deck.id} ({len(deck.notes)} notes, {len(deck.scenes)} scene(s), "
            f"{symbols} symbol(s))"
        )


@decks_group.command("sync")
@click.argument("path", required=False, type=click.Path())
@in_app_context
def decks_sync(path: str | None) -> None:
    """Load deck sources into the database in one transaction, keeping all progress."""
    _sync(_decks_path(path))


@decks_group.command("list")
@in_app_context
def decks_list() -> None:
    """List the decks in the database."""
    from bacstudy.db.session import get_session
    from bacstudy.decks.catalog import deck_summaries

    summaries = deck_summaries(get_session())
    if not summaries:
        click.echo("No decks loaded yet: run `bacstudy decks sync`.")
    for deck in summaries:
        click.echo(
            f"{deck.slug}\t{deck.title}\t{deck.notes} notes\t{deck.cards} cards\t"
            f"synced {deck.synced_at:%Y-%m-%d %H:%M} UTC"
        )


@click.group("users")
def users_group() -> None:
    """Manage accounts."""


@users_group.command("create")
@click.argument("name")
@in_app_context
def users_create(name: str) -> None:
    """Create an account; the password is asked for (or read from the first line of stdin)."""
    from bacstudy.accounts import create_user
    from bacstudy.db.session import get_session
    from bacstudy.errors import AccountError
    from bacstudy.web.clock import now

    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    session = get_session()
    try:
        user = create_user(session, name, password, now())
    except AccountError as error:
        click.echo(f"Cannot create user: {error}.", err=True)
        sys.exit(1)
    session.commit()
    click.echo(f"Created user {user.username!r}.")


@click.group("export")
def export_group() -> None:
    """Export decks to other tools."""


@export_group.command("anki")
@click.argument("deck")
@click.option(
    "-o",
    "--output",
    "output",
    required=True,
    type=click.Path(dir_okay=False),
    help="Where to write the .apkg file.",
)
@in_app_context
def export_anki(deck: str, output: str) -> None:
    """Write DECK as an Anki package that updates earlier imports instead of duplicating."""
    from bacstudy.db.session import get_session
    from bacstudy.decks.catalog import deck_summaries, live_deck
    from bacstudy.export.anki import write_apkg
    from bacstudy.web.clock import now

    row = live_deck(get_session(), deck)
    if row is None:
        known = ", ".join(summary.slug for summary in deck_summaries(get_session())) or "none"
        click.echo(f"Error: there is no deck {deck!r} (decks: {known}).", err=True)
        sys.exit(2)
    try:
        summary = write_apkg(row, Path(output), now())
    except OSError as error:
        click.echo(f"Error: cannot write {output}: {error.strerror or error}.", err=True)
        sys.exit(2)
    click.echo(
        f"Wrote {output}: {summary.notes} notes, {summary.cards} cards, "
        f"{len(summary.media)} images."
    )


@click.group("db")
def db_group() -> None:
    """Schema migrations (for developers)."""


@db_group.command("revision")
@in_app_context
@click.argument("message")
def db_revision(message: str) -> None:
    """Write a new migration from the difference between the models and the database."""
    from flask import current_app

    from bacstudy.db import migrate
    from bacstudy.db.session import engine_for

    path = migrate.new_revision(engine_for(current_app), message)
    click.echo(f"Wrote {path}; read it before you commit it.")


for _command in (init_command, serve_command, decks_group, users_group, export_group, db_group):
    main.add_command(_command)
