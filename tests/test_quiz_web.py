"""Quiz pages through the test client: starting, answering, refusals, results, resuming."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import update
from sqlalchemy.orm import Session

from bacstudy import models
from bacstudy.db.session import engine_for
from bacstudy.resources import resource_dir
from tests.web_helpers import csrf_token, quiz_questions, sign_up


@pytest.fixture
def student(app: Flask, client, runner):
    assert runner("decks", "sync", str(resource_dir("cards"))).exit_code == 0
    sign_up(client)
    return client


def start(client, **form: str) -> int:
    data = {"mode": "tutor", "count": "6", "seed": "5", "csrf_token": csrf_token(client), **form}
    response = client.post("/quiz/baclofen/start", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    match = re.search(r"/quiz/run/(\d+)/1$", response.headers["Location"])
    assert match
    return int(match.group(1))


def answer(client, quiz_id: int, position: int, **form: str):
    return client.post(
        f"/quiz/run/{quiz_id}/{position}/answer", data={"csrf_token": csrf_token(client), **form}
    )


def reply_for(question: models.QuizQuestion, right: bool = True) -> dict[str, str]:
    if question.type == "hotspot":
        return {"x": "1199", "y": "1"} if not right else {"x": "-1", "y": "-1"}
    option = (
        question.correct
        if right
        else next(o["id"] for o in question.options if o["id"] != question.correct)
    )
    return {"option": option}


def test_quiz_home_says_quizzes_leave_the_schedule_alone(student) -> None:
    page = student.get("/quiz/baclofen").get_data(as_text=True)
    assert "do not change your flashcard schedule" in page
    assert 'name="tags" value="dosing"' in page
    assert "No finished quiz yet" in page


def test_tutor_quiz_gives_feedback_and_scores_by_topic(app: Flask, student) -> None:
    quiz_id = start(student)
    asked = quiz_questions(app, quiz_id)
    first = next(q for q in asked if q.type != "hotspot")
    page = answer(student, quiz_id, first.position, **reply_for(first, right=False))
    assert page.status_code == 302
    feedback = student.get(f"/quiz/run/{quiz_id}/{first.position}").get_data(as_text=True)
    assert "Not quite." in feedback
    assert "Right answer:" in feedback
    results = student.post(f"/quiz/run/{quiz_id}/submit", data={"csrf_token": csrf_token(student)})
    assert results.headers["Location"] == f"/quiz/run/{quiz_id}/results"
    html = student.get(f"/quiz/run/{quiz_id}/results").get_data(as_text=True)
    assert "Your result: 0 of 6 (0%)" in html
    assert '<svg class="chart"' in html and '<caption class="visually-hidden">' in html
    assert html.count("<em>not answered</em>") == 5
    assert "did not change your flashcard schedule" in html


def test_exam_answers_are_final_and_move_on(app: Flask, student) -> None:
    quiz_id = start(student, mode="exam")
    asked = quiz_questions(app, quiz_id)
    first = next(q for q in asked if q.type != "hotspot")
    response = answer(student, quiz_id, first.position, **reply_for(first))
    assert response.status_code == 302
    assert not response.headers["Location"].endswith(f"/{first.position}")
    again = answer(student, quiz_id, first.position, **reply_for(first, right=False))
    assert again.status_code == 409
    assert "cannot be changed" in again.get_data(as_text=True)
    assert quiz_questions(app, quiz_id)[first.position - 1].is_correct is True
    page = student.get(f"/quiz/run/{quiz_id}/{first.position}").get_data(as_text=True)
    assert "Correct!" not in page and "Answers are final in exam mode" in page


def test_answers_after_the_deadline_do_not_count(app: Flask, student) -> None:
    quiz_id = start(student, mode="exam", time_limit_minutes="5")
    with Session(engine_for(app)) as session:
        session.execute(
            update(models.Quiz)
            .where(models.Quiz.id == quiz_id)
            .values(deadline=datetime.now(UTC) - timedelta(seconds=1))
        )
        session.commit()
    first = next(q for q in quiz_questions(app, quiz_id) if q.type != "hotspot")
    response = answer(student, quiz_id, first.position, **reply_for(first))
    assert response.headers["Location"] == f"/quiz/run/{quiz_id}/results"
    assert all(q.answer is None and q.is_correct is False for q in quiz_questions(app, quiz_id))
    assert "Time is up" in student.get(f"/quiz/run/{quiz_id}/results").get_data(as_text=True)


def test_refusals_change_nothing(app: Flask, student, client) -> None:
    quiz_id = start(student)
    first = next(q for q in quiz_questions(app, quiz_id) if q.options)
    assert answer(student, quiz_id, first.position, option="zz").status_code == 400
    assert answer(student, quiz_id, 99, option="a").status_code == 404
    assert student.get(f"/quiz/run/{quiz_id}/99").status_code == 404
    other = app.test_client()
    sign_up(other, "bob")
    assert answer(other, quiz_id, first.position, option=first.correct).status_code == 404
    assert other.get(f"/quiz/run/{quiz_id}/results").status_code == 404
    assert (
        other.post(
            f"/quiz/run/{quiz_id}/submit", data={"csrf_token": csrf_token(other)}
        ).status_code
        == 404
    )
    assert all(q.answer is None for q in quiz_questions(app, quiz_id))
    bad = student.post(
        "/quiz/baclofen/start",
        data={"mode": "exam", "count": "500", "csrf_token": csrf_token(student)},
    )
    assert bad.status_code == 400 and "Choose 5 to 100" in bad.get_data(as_text=True)
    assert (
        student.post(
            "/quiz/baclofen/start", data={"count": "x", "csrf_token": csrf_token(student)}
        ).status_code
        == 400
    )


def test_an_unfinished_quiz_resumes_after_a_new_login(app: Flask, student) -> None:
    quiz_id = start(student)
    first = next(q for q in quiz_questions(app, quiz_id) if q.type != "hotspot")
    answer(student, quiz_id, first.position, **reply_for(first))
    student.post("/logout", data={"csrf_token": csrf_token(student)})
    student.post(
        "/login",
        data={
            "username": "ana",
            "password": "correct horse battery",
            "csrf_token": csrf_token(student),
        },
    )
    home = student.get("/quiz/baclofen").get_data(as_text=True)
    assert "Resume the tutor quiz" in home and "(1 of 6 answered)" in home
    resumed = student.get(f"/quiz/run/{quiz_id}")
    open_position = next(q.position for q in quiz_questions(app, quiz_id) if q.answer is None)
    assert resumed.headers["Location"] == f"/quiz/run/{quiz_id}/{open_position}"


def test_retake_retest_and_study_missed(app: Flask, student) -> None:
    quiz_id = start(student)
    student.post(f"/quiz/run/{quiz_id}/submit", data={"csrf_token": csrf_token(student)})
    retake = student.post(f"/quiz/run/{quiz_id}/retake", data={"csrf_token": csrf_token(student)})
    retake_id = int(re.search(r"/quiz/run/(\d+)/1", retake.headers["Location"]).group(1))
    assert [q.prompt for q in quiz_questions(app, retake_id)] == [
        q.prompt for q in quiz_questions(app, quiz_id)
    ]
    retest = student.post(f"/quiz/run/{quiz_id}/retest", data={"csrf_token": csrf_token(student)})
    assert retest.status_code == 302
    study = student.post(
        f"/quiz/run/{quiz_id}/study-missed", data={"csrf_token": csrf_token(student)}
    )
    assert study.headers["Location"] == "/study/baclofen"
    assert "brought forward" in student.get("/study/baclofen").get_data(as_text=True)
    history = student.get("/quiz/baclofen").get_data(as_text=True)
    assert "0%" in history


def test_flag_for_review_and_the_trend_of_attempts(app: Flask, student) -> None:
    quiz_id = start(student)
    flagged = student.post(f"/quiz/run/{quiz_id}/2/flag", data={"csrf_token": csrf_token(student)})
    assert flagged.headers["Location"] == f"/quiz/run/{quiz_id}/2"
    assert quiz_questions(app, quiz_id)[1].flagged is True
    page = student.get(f"/quiz/run/{quiz_id}/2").get_data(as_text=True)
    assert "Unflag" in page and "nav-q current flagged" in page.replace(" answered", "")
    student.post(f"/quiz/run/{quiz_id}/2/flag", data={"csrf_token": csrf_token(student)})
    assert quiz_questions(app, quiz_id)[1].flagged is False
    student.post(f"/quiz/run/{quiz_id}/submit", data={"csrf_token": csrf_token(student)})
    assert "chart-trend-title" not in student.get("/quiz/baclofen").get_data(as_text=True)
    second = start(student, seed="6")
    first = next(q for q in quiz_questions(app, second) if q.type != "hotspot")
    answer(student, second, first.position, **reply_for(first))
    student.post(f"/quiz/run/{second}/submit", data={"csrf_token": csrf_token(student)})
    home = student.get("/quiz/baclofen").get_data(as_text=True)
    assert "Oldest first: 0%, 17%" in home
