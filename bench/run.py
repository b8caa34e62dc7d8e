"""Study-path latency benchmark: how long the server takes per answered card.

Run from the repository root (after installing with the test extras):

    python bench/run.py [--answers 150] [--database-url URL]

It builds a fresh instance with the full baclofen deck, signs up a student and
answers cards through the same JSON API the browser uses (answer + next card
in one request), with Flask's test client so only server work is timed. It
prints medians and percentiles and appends a row to bench/RESULTS.md. Shared
2-core machines are noisy: compare medians and ratios, not single runs.
"""

from __future__ import annotations

import argparse
import platform
import re
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bacstudy import create_app  # noqa: E402
from bacstudy.db import migrate  # noqa: E402
from bacstudy.db.base import make_engine  # noqa: E402
from bacstudy.db.session import engine_for  # noqa: E402
from bacstudy.decks.parse import load_decks  # noqa: E402
from bacstudy.decks.sync import sync_decks  # noqa: E402
from bacstudy.resources import resource_dir  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def run(database_url: str | None, answers: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        config = {"INSTANCE_PATH": folder}
        schema = None
        if database_url:
            schema = f"bench_{int(time.time())}"
            with make_engine(database_url).begin() as connection:
                connection.execute(text(f"CREATE SCHEMA {schema}"))
            config["DATABASE_URL"] = f"{database_url}?options=-csearch_path%3D{schema}"
        app = create_app(config)
        engine = engine_for(app)
        migrate.upgrade(engine)
        from sqlalchemy.orm import Session

        with Session(engine) as session:
            sync_decks(session, load_decks(resource_dir("cards")), datetime.now(UTC))
            session.commit()
        client = app.test_client()
        page = client.get("/signup").get_data(as_text=True)
        token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
        client.post(
            "/signup",
            data={
                "username": "bench",
                "password": "bench-password",
                "confirm": "bench-password",
                "csrf_token": token,
            },
        )
        with engine.begin() as connection:  # enough new cards for every answer
            connection.execute(text("UPDATE users SET new_per_day = 9999"))
        # Logging in starts a new session, so the page after it carries a new token.
        page = client.get("/").get_data(as_text=True)
        token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
        client_headers = {"X-CSRFToken": token, "Accept": "application/json"}
        start = time.perf_counter()
        data = client.get("/api/study/baclofen/next").get_json()
        assert "counts" in data, data
        first_card = (time.perf_counter() - start) * 1000
        timings = []
        ratings = [3, 3, 1, 4, 2, 3]
        for i in range(answers):
            if data.get("done"):
                break
            body = {
                "token": data["card"]["token"],
                "rating": ratings[i % len(ratings)],
                "duration_ms": 3000,
            }
            start = time.perf_counter()
            response = client.post("/api/study/baclofen/answer", json=body, headers=client_headers)
            timings.append((time.perf_counter() - start) * 1000)
            data = response.get_json()
            assert "counts" in data, data
        engine.dispose()
        if schema:
            with make_engine(database_url).begin() as connection:
                connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    return {
        "first card ms": first_card,
        "answers": len(timings),
        "median ms": statistics.median(timings),
        "p90 ms": percentile(timings, 0.9),
        "max ms": max(timings),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--answers", type=int, default=150)
    parser.add_argument(
        "--database-url",
        default=None,
        help="PostgreSQL URL to measure as well (SQLite is always measured)",
    )
    args = parser.parse_args()
    rows = [("SQLite", run(None, args.answers))]
    if args.database_url:
        rows.append(("PostgreSQL", run(args.database_url, args.answers)))
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M")
    lines = []
    for name, result in rows:
        line = (
            f"| {stamp} | {name} | {result['answers']} | {result['median ms']:.1f} | "
            f"{result['p90 ms']:.1f} | {result['max ms']:.1f} | "
            f"{result['first card ms']:.1f} | {platform.python_version()} |"
        )
        print(line)
        lines.append(line)
    results = REPO / "bench" / "RESULTS.md"
    with results.open("a", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
