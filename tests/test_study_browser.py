"""A student's first session, keyboard only, in headless Chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bacstudy import models
from bacstudy.db.session import engine_for
from tests.conftest import screenshot_path, sign_up_in_browser

pytestmark = pytest.mark.browser


def review_count(app) -> int:
    with Session(engine_for(app)) as session:
        return session.scalar(select(func.count(models.ReviewLog.id))) or 0


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (375, 760)], ids=["desktop", "phone"])
def test_sign_up_study_three_cards_undo_one_and_log_out(
    browser, live_server, width: int, height: int
) -> None:
    page = browser.new_page(viewport={"width": width, "height": height})
    sign_up_in_browser(page, live_server.url, "ana")
    expect(page.get_by_role("heading", name="Your decks")).to_be_visible()
    expect(page.locator(".deck-card .count-new")).to_have_text("11 new")

    page.get_by_role("link", name="Study", exact=True).click()
    prompt = page.locator(".card-front .prompt")
    expect(prompt).to_have_text("Which receptor does baclofen stimulate?")
    expect(page.locator(".count-new")).to_have_text("11")

    # Card 1: reveal with Space, see the highlighted mnemonic, rate Good with 3.
    page.keyboard.press("Space")
    back = page.locator(".card-back")
    expect(back).to_be_visible()
    expect(back.locator(".answer")).to_have_text("GABA-B")
    scene = back.locator("img.scene")
    expect(scene).to_have_attribute("src", re.compile(r"highlight=gaba-goose"))
    expect(back).to_contain_text("Mechanism of Action")
    page.wait_for_function("() => document.querySelector('.card-back img.scene').naturalWidth > 0")
    expect(page.locator(".rating-3 .interval")).to_have_text("10m")
    page.screenshot(path=str(screenshot_path(f"study-answer-{width}")), full_page=True)
    page.keyboard.press("3")

    # Cards 2 and 3: Enter reveals, 1 and 4 rate.
    expect(prompt).to_have_text("Maximum daily oral dose")
    page.keyboard.press("Enter")
    expect(back).to_be_visible()
    page.keyboard.press("1")
    expect(prompt).not_to_have_text("Maximum daily oral dose")
    third_prompt = prompt.inner_text()
    page.keyboard.press("Space")
    expect(back).to_be_visible()
    page.keyboard.press("4")
    expect(prompt).not_to_have_text(third_prompt)
    assert review_count(live_server.app) == 3

    # Undo brings the third card back, exactly as it was before.
    page.keyboard.press("z")
    expect(prompt).to_have_text(third_prompt)
    expect(back).to_be_hidden()
    assert review_count(live_server.app) == 2
    expect(page.locator(".progress")).to_have_attribute("aria-valuenow", re.compile(r"\d+"))
    page.screenshot(path=str(screenshot_path(f"study-front-{width}")), full_page=True)

    page.get_by_role("button", name="Log out").click()
    expect(page.locator(".nav").get_by_role("link", name="Log in")).to_be_visible()
    page.goto(live_server.url + "/study/sample")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    page.close()


def test_scene_explorer_tap_and_guided_walk(browser, live_server) -> None:
    page = browser.new_page(viewport={"width": 1100, "height": 800})
    page.goto(live_server.url + "/decks/sample/explore")
    panel = page.locator(".symbol-panel")
    page.locator('.hotspot[data-symbol="b-bee"]').click()
    expect(panel.locator(".symbol-label")).to_have_text("(B) Bee")
    expect(panel.locator(".symbol-meaning")).to_have_text("the B subtype")
    expect(panel.locator(".symbol-notes a")).to_have_text(
        ["Which receptor does baclofen stimulate? — GABA-B"]
    )
    expect(page.locator("img.scene")).to_have_attribute("src", re.compile("highlight=b-bee"))
    page.keyboard.press("ArrowRight")
    expect(panel.locator(".symbol-label")).to_have_text("Receptor Dragonist")
    expect(panel.locator(".symbol-ours")).to_be_visible()
    expect(panel.locator(".walk-position")).to_have_text("Symbol 3 of 3")
    page.screenshot(path=str(screenshot_path("explore-1100")), full_page=True)
    page.keyboard.press("Escape")
    expect(panel.locator(".panel-empty")).to_be_visible()
    page.close()


def test_study_page_in_dark_mode(browser, live_server) -> None:
    context = browser.new_context(viewport={"width": 800, "height": 900}, color_scheme="dark")
    page = context.new_page()
    sign_up_in_browser(page, live_server.url, "dana")
    page.goto(live_server.url + "/study/sample")
    expect(page.locator(".card-front .prompt")).not_to_be_empty()
    page.keyboard.press("Space")
    expect(page.locator(".card-back")).to_be_visible()
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(21, 25, 28)"
    page.screenshot(path=str(screenshot_path("study-dark-800")), full_page=True)
    context.close()


def test_no_page_scrolls_sideways_on_a_phone(browser, live_server) -> None:
    page = browser.new_page(viewport={"width": 375, "height": 760})
    sign_up_in_browser(page, live_server.url, "pia")
    pages = [
        "/",
        "/study/sample",
        "/decks/sample",
        "/decks/sample/explore",
        "/browse",
        "/settings",
        "/quiz/sample",
        "/stats/",
        "/stats/sample/memory-map",
        "/account/",
    ]
    too_wide = []
    for path in pages:
        page.goto(live_server.url + path)
        if page.evaluate("document.documentElement.scrollWidth > window.innerWidth"):
            too_wide.append(path)
    assert too_wide == []
    page.close()
