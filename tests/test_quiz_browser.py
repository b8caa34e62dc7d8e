"""A complete tutor quiz in headless Chromium: keyboard for options, a click for the picture."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from bacstudy import models
from bacstudy.db.session import engine_for
from tests.conftest import screenshot_path, sign_up_in_browser
from tests.web_helpers import quiz_questions

pytestmark = pytest.mark.browser


def centre_of(app, slug: str) -> tuple[float, float]:
    """A point inside the symbol's hotspot, in scene units."""
    with Session(engine_for(app)) as session:
        symbol = session.scalars(select(models.Symbol).where(models.Symbol.slug == slug)).one()
    shape, c = symbol.hotspot["shape"], symbol.hotspot["coords"]
    if shape == "rect":
        return c[0] + c[2] / 2, c[1] + c[3] / 2
    if shape == "circle":
        return c[0], c[1]
    return sum(c[0::2]) / len(c[0::2]), sum(c[1::2]) / len(c[1::2])


def test_complete_tutor_quiz_with_a_picture_question(browser, live_server) -> None:
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    sign_up_in_browser(page, live_server.url, "quinn")
    page.get_by_role("link", name="Quiz").click()
    expect(page.get_by_text("do not change your flashcard schedule")).to_be_visible()
    page.get_by_label("Questions").fill("5")
    page.get_by_label("Seed").fill("3")
    page.get_by_role("button", name="Start quiz").click()
    expect(page).to_have_url(re.compile(r"/quiz/run/\d+/1$"))
    quiz_id = int(re.search(r"/quiz/run/(\d+)/", page.url).group(1))
    questions = quiz_questions(live_server.app, quiz_id)
    total = len(questions)  # the small sample deck runs out before 5
    assert total >= 3
    assert {q.type for q in questions} >= {"hotspot", "true-false"}

    for question in questions:
        expect(page.locator(".quiz-prompt")).to_have_text(question.prompt)
        if question.type == "hotspot":
            cx, cy = centre_of(live_server.app, question.correct)
            button = page.locator(".scene-click")
            width = float(button.get_attribute("data-width"))
            height = float(button.get_attribute("data-height"))
            page.wait_for_function(
                "() => document.querySelector('.scene-click img').naturalWidth > 0"
            )
            box = button.locator("img").bounding_box()
            page.mouse.click(
                box["x"] + cx / width * box["width"], box["y"] + cy / height * box["height"]
            )
            page.screenshot(path=str(screenshot_path("quiz-hotspot-feedback")), full_page=True)
        else:
            index = [o["id"] for o in question.options].index(question.correct)
            key = "ABCDE"[index] if question.position % 2 else str(index + 1)
            page.keyboard.press(key)
            page.keyboard.press("Enter")
        expect(page.locator(".feedback h3")).to_have_text("Correct!")
        if question.position < len(questions):
            page.keyboard.press("Enter")  # on to the next question

    page.get_by_role("button", name="Finish quiz").click()
    expect(
        page.get_by_role("heading", name=f"Your result: {total} of {total} (100%)")
    ).to_be_visible()
    expect(page.locator("svg.chart")).to_be_visible()
    page.screenshot(path=str(screenshot_path("quiz-results")), full_page=True)
    assert all(q.is_correct for q in quiz_questions(live_server.app, quiz_id))
    page.close()
