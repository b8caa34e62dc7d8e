"""One clock per request (and per CLI command): read once, the same moment everywhere after.

Tests pin it with ``create_app({"CLOCK": lambda: moment})``; every view and
command reads :func:`now` and hands it to the domain, which never reads a clock.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import current_app, g


def utc_now() -> datetime:
    return datetime.now(UTC)


def now() -> datetime:
    """The current request's moment, timezone-aware UTC."""
    if "now" not in g:
        g.now = current_app.config.get("CLOCK", utc_now)()
    moment: datetime = g.now
    return moment
