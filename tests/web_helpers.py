"""Helpers for driving the web app through Flask's test client, CSRF tokens included."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from bacstudy import models
from bacstudy.db.session import engine_for

PASSWORD = "correct horse battery"


def csrf_token(client: FlaskClient) -> str:
    page = client.get("/login").get_data(as_text=True)
    match = re.search(r'<meta name="csrf-token" content="([^"]+)"', page)
    assert match, "no CSRF token on the page"
    return match.group(1)


def sign_up(client: FlaskClient, username: str = "ana", password: str = PASSWORD) -> None:
    response = client.post(
        "/signup",
        data={
            "username": username,
            "password": password,
            "confirm": password,
            "csrf_token": csrf_token(client),
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)


def post_json(client: FlaskClient, url: str, body: Any) -> Any:
    return client.post(
        url, json=body, headers={"X-CSRFToken": csrf_token(client), "Accept": "application/json"}
    )


def quiz_questions(app: Flask, quiz_id: int) -> list[models.QuizQuestion]:
    """A quiz's questions as stored, in order (tests read the right answers from here)."""
    with Session(engine_for(app)) as session:
        return list(
            session.scalars(
                select(models.QuizQuestion)
                .where(models.QuizQuestion.quiz_id == quiz_id)
                .order_by(models.QuizQuestion.position)
            )
        )
