"""Pages as a person sees them, in headless Chromium."""

from __future__ import annotations

import pytest

from tests.conftest import screenshot_path

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (375, 740)], ids=["desktop", "phone"])
def test_home_shows_the_decks(browser, live_server, width: int, height: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": height})
    response = page.goto(live_server.url + "/")
    assert response is not None and response.status == 200
    card = page.locator(".deck-card")
    assert card.count() == 1
    assert card.locator("h2").inner_text() == "Sample deck"
    box = card.bounding_box()
    assert box is not None and box["width"] > 200 and box["x"] + box["width"] <= width
    # The stylesheet is served by the app itself and applied.
    assert page.evaluate("getComputedStyle(document.body).margin") == "0px"
    page.screenshot(path=str(screenshot_path(f"home-{width}")), full_page=True)
    page.close()


def test_deck_page_and_a_mnemonic_card(browser, live_server) -> None:
    page = browser.new_page(viewport={"width": 1000, "height": 900})
    page.goto(live_server.url + "/decks/sample")
    scene = page.locator("img.scene").first
    scene.wait_for()
    assert page.evaluate("document.querySelector('img.scene').naturalWidth") > 0
    page.screenshot(path=str(screenshot_path("deck-sample")), full_page=True)
    page.locator(".symbols a", has_text="symbol-meaning").first.click()
    question = page.locator("section.front")
    assert "What does the highlighted symbol stand for?" in question.inner_text()
    highlighted = question.locator("img.scene")
    assert "highlight=" in (highlighted.get_attribute("src") or "")
    assert highlighted.evaluate("img => img.complete && img.naturalWidth > 0")
    page.screenshot(path=str(screenshot_path("card-symbol-meaning")), full_page=True)
    page.close()
