"""The stats page, memory map and data page as a student with a history sees them."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import screenshot_path
from tests.test_progress import seed_history
from tests.web_helpers import PASSWORD

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("width", "height"), [(1200, 900), (375, 800)], ids=["desktop", "phone"])
def test_stats_page_renders_its_charts(
    browser, live_server, deck_source, width: int, height: int
) -> None:
    seed_history(live_server.app, deck_source.parent)
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(live_server.url + "/login")
    page.get_by_label("Username").fill("ana")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Stats").click()
    expect(page.get_by_role("heading", name="Your progress")).to_be_visible()
    reviews = page.locator("svg.columns").first
    expect(reviews).to_be_visible()
    assert reviews.locator("rect").count() == 30
    assert page.locator("svg.columns").first.bounding_box()["width"] > 250
    assert page.locator("svg.heatmap rect").count() == 365
    assert page.locator("svg.heatmap rect.heat-0").count() < 365
    expect(page.locator("table.retention tbody tr")).to_have_count(4)
    page.screenshot(path=str(screenshot_path(f"stats-{width}")), full_page=True)

    page.goto(live_server.url + "/stats/sample/memory-map")
    spots = page.locator(".memory-spot")
    expect(spots).to_have_count(3)
    assert spots.first.bounding_box()["width"] > 20
    page.screenshot(path=str(screenshot_path(f"memory-map-{width}")), full_page=True)
    spots.first.click()
    expect(page).to_have_url(live_server.url + "/study/sample?symbol=gaba-goose")

    page.goto(live_server.url + "/account/")
    expect(page.get_by_role("heading", name="Delete my account")).to_be_visible()
    page.screenshot(path=str(screenshot_path(f"account-{width}")), full_page=True)
    page.close()
