"""Each ``bacstudy`` command, run through the real click group against a real database."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from bacstudy import models
from bacstudy.accounts import password_matches
from bacstudy.db import migrate
from bacstudy.db.session import engine_for
from tests.conftest import Runner


def test_init_creates_the_schema_and_loads_decks(make_app, deck_source: Path) -> None:
    runner = Runner(make_app(upgrade=False))
    first = runner("init")
    assert first.exit_code == 0, first.output
    head = migrate.schema_status(engine_for(runner.app)).head
    assert f"upgraded from empty to revision {head}." in first.output
    assert "sample: 6 notes added, 0 updated, 0 retired; 11 cards added, 0 retired" in first.output
    second = runner("init")
    assert second.exit_code == 0
    assert f"is up to date (revision {head})." in second.output
    assert "sample: 0 notes added" in second.output


def test_init_reports_deck_errors_with_exit_1(make_app, deck_source: Path) -> None:
    (deck_source / "deck.yaml").write_text("id: sample\n")
    result = Runner(make_app(upgrade=False))("init")
    assert result.exit_code == 1
    assert f"{deck_source / 'deck.yaml'}:1: title: missing required field" in result.output


def test_validate_accepts_a_valid_deck(runner: Runner, deck_source: Path) -> None:
    for path in ([], [str(deck_source)], [str(deck_source / "deck.yaml")]):
        result = runner("decks", "validate", *path)
        assert result.exit_code == 0, result.output
        assert result.output == "ok: sample (3 notes, 1 scene(s), 3 symbol(s))\n"


def test_validate_lists_errors_as_file_line_message(runner: Runner, deck_source: Path) -> None:
    source = deck_source / "deck.yaml"
    source.write_text(
        source.read_text()
        .replace("    back: GABA-B\n", "")
        .replace("tags: [dosing]", "tags: [Dosing]")
    )
    result = runner("decks", "validate")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == f"{source}:34: notes[0].back: missing required field"
    assert lines[1] == (
        f"{source}:49: notes[1].tags[0]: 'Dosing' must be lowercase letters, digits and dashes"
    )
    assert lines[-1] == "2 error(s); nothing was loaded."


def test_validate_names_a_missing_folder(runner: Runner, tmp_path: Path) -> None:
    result = runner("decks", "validate", str(tmp_path / "nowhere"))
    assert result.exit_code == 1
    assert "nowhere:0: no such deck folder" in result.output


def test_sync_then_list(runner: Runner, deck_source: Path) -> None:
    empty = runner("decks", "list")
    assert empty.output == "No decks loaded yet: run `bacstudy decks sync`.\n"
    synced = runner("decks", "sync")
    assert synced.exit_code == 0
    assert synced.output.startswith("sample: 6 notes added")
    listed = runner("decks", "list")
    assert listed.exit_code == 0
    assert listed.output.startswith("sample\tSample deck\t6 notes\t11 cards\tsynced ")


def test_users_create_reads_the_password_from_stdin(app: Flask, runner: Runner) -> None:
    result = runner("users", "create", "ana", input="correct horse battery\n")
    assert result.exit_code == 0, result.output
    assert result.output == "Created user 'ana'.\n"
    with Session(engine_for(app)) as session:
        user = session.scalars(select(models.User)).one()
        assert user.username == "ana"
        assert user.password_hash.startswith("scrypt:")
        assert "correct horse" not in user.password_hash
        assert password_matches(user, "correct horse battery")
        assert not password_matches(user, "wrong horse battery")


@pytest.mark.parametrize(
    ("name", "password", "message"),
    [
        ("ana", "correct horse battery", "the username 'ana' is taken"),
        ("bo", "correct horse battery", "a username is 3 to 40 letters"),
        ("carla", "short", "a password needs at least 8 characters"),
    ],
)
def test_users_create_refuses_bad_input(
    app: Flask, runner: Runner, name: str, password: str, message: str
) -> None:
    assert runner("users", "create", "ana", input="correct horse battery\n").exit_code == 0
    result = runner("users", "create", name, input=password + "\n")
    assert result.exit_code == 1
    assert message in result.stderr
    with Session(engine_for(app)) as session:
        assert session.scalars(select(models.User.username)).all() == ["ana"]


def test_db_revision_writes_a_numbered_migration(
    runner: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scripts = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", scripts)
    existing = sorted(path.name[:4] for path in (scripts / "versions").glob("*.py"))
    head, expected = existing[-1], f"{len(existing) + 1:04d}"
    result = runner("db", "revision", "add nothing")
    assert result.exit_code == 0, result.output
    (written,) = (scripts / "versions").glob(f"{expected}_*.py")
    assert written.name == f"{expected}_add_nothing.py"
    body = written.read_text()
    assert f"down_revision: str | None = '{head}'" in body
    assert "op." not in body  # at head: nothing to migrate


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_prints_the_url_and_serves_pages(
    app: Flask, database_url: str, tmp_path: Path
) -> None:
    port = free_port()
    env = {
        **os.environ,
        "BACSTUDY_DATABASE_URL": database_url,
        "BACSTUDY_INSTANCE_PATH": str(tmp_path / "instance"),
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "bacstudy", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert server.stdout is not None
        first_line = server.stdout.readline()
        assert first_line.strip() == (
            f"bacstudy is running at http://127.0.0.1:{port}/  (Ctrl+C to stop)"
        )
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
            assert response.status == 200
            assert b"Learn pharmacology that sticks" in response.read()
    finally:
        server.terminate()
        server.wait(timeout=10)
        server.stdout.close()
