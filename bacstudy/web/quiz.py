"""Quiz pages: start a quiz, answer its questions, flag, submit, see and act on results.

Server-rendered forms (a reload or a new login resumes exactly where the
student was); static/quiz.js adds keyboard choice and picture clicks.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required
from werkzeug.wrappers import Response

from bacstudy.db.session import get_session
from bacstudy.decks import catalog
from bacstudy.errors import QuizRefused
from bacstudy.models import Quiz
from bacstudy.progress.charts import bar_chart, trend_chart
from bacstudy.quiz import attempts
from bacstudy.web.auth import signed_in_user
from bacstudy.web.clock import now
from bacstudy.web.lookup import deck_or_404

bp = Blueprint("quiz", __name__, url_prefix="/quiz")


def _quiz(quiz_id: int) -> Quiz:
    return attempts.get_quiz(get_session(), signed_in_user(), quiz_id)


def _int_field(name: str, default: int | None = None) -> int | None:
    value = request.form.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        abort(400, f"{name.replace('_', ' ').capitalize()} must be a whole number.")


@bp.get("/<slug>")
@login_required
def home(slug: str) -> str:
    db, user, deck = get_session(), signed_in_user(), deck_or_404(slug)
    past = attempts.history(db, user, deck)
    trend = trend_chart([result.percent for _quiz, result in past])
    return render_template(
        "quiz_home.html",
        deck=deck,
        tags=catalog.deck_tags(db, deck.id),
        unfinished=attempts.unfinished(db, user, deck),
        history=past,
        trend=trend,
        limits=(attempts.MIN_QUESTIONS, attempts.MAX_QUESTIONS),
    )


@bp.post("/<slug>/start")
@login_required
def start(slug: str) -> Response:
    db, deck = get_session(), deck_or_404(slug)
    mode = request.form.get("mode", "tutor")
    settings = attempts.QuizSettings(
        mode=mode,
        count=_int_field("count", 20) or 0,
        tags=tuple(request.form.getlist("tags")),
        # The form offers the limit for exams only; a value left there for a tutor quiz is moot.
        time_limit_minutes=_int_field("time_limit_minutes") if mode == "exam" else None,
        seed=_int_field("seed"),
    )
    quiz = attempts.start_quiz(db, signed_in_user(), deck, settings, now())
    db.commit()
    return redirect(url_for("quiz.question", quiz_id=quiz.id, position=1))


@bp.get("/run/<int:quiz_id>")
@login_required
def resume(quiz_id: int) -> Response:
    quiz = _quiz(quiz_id)
    if quiz.submitted_at is not None:
        return redirect(url_for("quiz.results", quiz_id=quiz.id))
    return redirect(url_for("quiz.question", quiz_id=quiz.id, position=attempts.first_open(quiz)))


@bp.get("/run/<int:quiz_id>/<int:position>")
@login_required
def question(quiz_id: int, position: int) -> str | Response:
    db, quiz = get_session(), _quiz(quiz_id)
    if quiz.submitted_at is None and attempts.time_is_up(quiz, now()):
        attempts.submit(db, quiz, now())
        db.commit()
        flash("Time is up. Your answers before the deadline were scored.")
    if quiz.submitted_at is not None:
        return redirect(url_for("quiz.results", quiz_id=quiz.id))
    current = attempts.question_at(quiz, position)
    scene = attempts.scene_of(db, quiz, current)
    return render_template(
        "quiz_question.html",
        quiz=quiz,
        question=current,
        scene=scene,
        show_feedback=quiz.mode == "tutor" and current.answer is not None,
        now=now(),
    )


@bp.post("/run/<int:quiz_id>/<int:position>/answer")
@login_required
def answer(quiz_id: int, position: int) -> Response:
    db, quiz = get_session(), _quiz(quiz_id)
    point = None
    if "x" in request.form or "y" in request.form:
        try:
            point = (float(request.form["x"]), float(request.form["y"]))
        except (KeyError, ValueError):
            abort(400, "A picture answer needs the x and y of the click.")
    try:
        attempts.answer_question(
            db, quiz, position, now(), option=request.form.get("option"), point=point
        )
    except QuizRefused as refused:
        if quiz.submitted_at is not None:  # the deadline passed: keep the automatic submission
            db.commit()
            flash(refused.message)
            return redirect(url_for("quiz.results", quiz_id=quiz.id))
        raise
    db.commit()
    if quiz.mode == "tutor":
        return redirect(url_for("quiz.question", quiz_id=quiz.id, position=position))
    return redirect(
        url_for("quiz.question", quiz_id=quiz.id, position=attempts.next_open(quiz, position))
    )


@bp.post("/run/<int:quiz_id>/<int:position>/flag")
@login_required
def flag(quiz_id: int, position: int) -> Response:
    db, quiz = get_session(), _quiz(quiz_id)
    attempts.toggle_flag(db, quiz, position)
    db.commit()
    return redirect(url_for("quiz.question", quiz_id=quiz.id, position=position))


@bp.post("/run/<int:quiz_id>/submit")
@login_required
def submit(quiz_id: int) -> Response:
    db, quiz = get_session(), _quiz(quiz_id)
    attempts.submit(db, quiz, now())
    db.commit()
    return redirect(url_for("quiz.results", quiz_id=quiz.id))


@bp.get("/run/<int:quiz_id>/results")
@login_required
def results(quiz_id: int) -> str | Response:
    quiz = _quiz(quiz_id)
    if quiz.submitted_at is None:
        return redirect(
            url_for("quiz.question", quiz_id=quiz.id, position=attempts.first_open(quiz))
        )
    result = attempts.result_of(quiz)
    chart = bar_chart([(t.topic.replace("-", " "), t.percent) for t in result.topics])
    return render_template("quiz_results.html", quiz=quiz, result=result, chart=chart)


@bp.post("/run/<int:quiz_id>/<any(retake, retest):action>")
@login_required
def again(quiz_id: int, action: str) -> Response:
    db, quiz = get_session(), _quiz(quiz_id)
    follow_up = (
        attempts.retake(db, quiz, now())
        if action == "retake"
        else attempts.retest_missed(db, quiz, now())
    )
    db.commit()
    return redirect(url_for("quiz.question", quiz_id=follow_up.id, position=1))


@bp.post("/run/<int:quiz_id>/study-missed")
@login_required
def study_missed(quiz_id: int) -> Response:
    db, quiz = get_session(), _quiz(quiz_id)
    moved = attempts.bring_missed_forward(db, quiz, now())
    db.commit()
    flash(
        f"{moved} missed card{'s' if moved != 1 else ''} brought forward: they are due now. "
        "Missed cards you have not studied yet wait among your new cards."
    )
    return redirect(url_for("study.review_page", slug=attempts.deck_slug(db, quiz)))
