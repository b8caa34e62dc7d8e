"""A student's study settings: daily limits, retention, steps, maximum interval, time zone."""

from __future__ import annotations

from functools import cache
from zoneinfo import available_timezones

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import Field, FloatField, IntegerField, SelectField
from wtforms.validators import InputRequired, NumberRange, ValidationError
from wtforms.widgets import TextInput

from bacstudy.db.session import get_session
from bacstudy.study import scheduling
from bacstudy.web.auth import signed_in_user

bp = Blueprint("settings", __name__)
LIMITS = scheduling.LIMITS


@cache
def _time_zones() -> list[tuple[str, str]]:
    return [(zone, zone) for zone in sorted(available_timezones())]


class StepsField(Field):
    """Learning steps typed as in Anki ("1m 10m"), stored as minutes."""

    widget = TextInput()
    data: tuple[int, ...] | None

    def process_formdata(self, valuelist: list[str]) -> None:
        text = valuelist[0] if valuelist else ""
        self.raw = text
        try:
            self.data = scheduling.parse_steps(text)
        except ValueError as error:
            self.data = None
            raise ValueError(str(error)) from None

    def _value(self) -> str:
        if self.data is None:
            return getattr(self, "raw", "")
        return scheduling.format_steps(self.data)


def _steps_in_range(_form: FlaskForm, field: StepsField) -> None:
    if field.data is None:
        return
    if len(field.data) > LIMITS.max_steps or any(
        step > LIMITS.max_step_minutes for step in field.data
    ):
        raise ValidationError(f"Use at most {LIMITS.max_steps} steps of at most 7 days each.")


class SettingsForm(FlaskForm):
    new_per_day = IntegerField(
        "New cards per day", validators=[InputRequired(), NumberRange(*LIMITS.new_per_day)]
    )
    reviews_per_day = IntegerField(
        "Maximum reviews per day",
        validators=[InputRequired(), NumberRange(*LIMITS.reviews_per_day)],
    )
    desired_retention = FloatField(
        "Desired retention", validators=[InputRequired(), NumberRange(*LIMITS.desired_retention)]
    )
    learning_steps = StepsField("Learning steps", validators=[_steps_in_range])
    relearning_steps = StepsField("Relearning steps", validators=[_steps_in_range])
    maximum_interval_days = IntegerField(
        "Maximum interval (days)",
        validators=[InputRequired(), NumberRange(*LIMITS.maximum_interval_days)],
    )
    timezone = SelectField("Time zone", validators=[InputRequired()])

    def validate_learning_steps(self, field: StepsField) -> None:
        if field.data == ():
            raise ValidationError("FSRS needs at least one learning step.")


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def edit() -> str | Response | tuple[str, int]:
    user = signed_in_user()
    form = SettingsForm(obj=user)
    form.timezone.choices = _time_zones()
    if form.validate_on_submit():
        form.populate_obj(user)
        user.learning_steps = list(form.learning_steps.data or ())
        user.relearning_steps = list(form.relearning_steps.data or ())
        get_session().commit()
        flash("Settings saved.")
        return redirect(url_for("settings.edit"))
    return render_template("settings.html", form=form), 400 if form.errors else 200
