"""Real browser: the time-step player plays, pauses, steps and scrubs in the page itself, and on the
forward pass, gates and bidirectional lessons playing sends the server nothing (no websocket message, no
script run). Screenshots: tests/screenshots/player_<lesson>.png.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import EXCEPTION, WAIT_LIMIT_MS, screenshot
from tests.browser.live import finished, open_app
from ui import player

pytestmark = pytest.mark.browser

TOKENS = ["Yesterday", ",", "Tom", "met", "Eliza", "in", "Paris", "."]
LESSONS = {"forward_pass": "Forward pass", "gates": "gates", "bidirectional": "Bidirectional"}


def steps() -> player.Steps:
    T = len(TOKENS)
    return player.Steps(tokens=TOKENS, rows=[player.row("a⟨{t-1}⟩", [[t / 10, -t / 10] for t in range(T)], "prev"),
                                             player.row("a⟨{t}⟩", [[(t + 1) / 10, -(t + 1) / 10] for t in range(T)],
                                                        "state")],
                        equations=[f"step {t}" for t in range(1, T + 1)], outputs=[f"out {t}" for t in range(1, T + 1)])


def current(frame) -> int:
    return int(frame.locator("#player").get_attribute("data-current"))


def test_the_player_steps_plays_and_takes_keys(browser):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 900, "height": 600})
    page = context.new_page()
    try:
        page.set_content(player.player_html(steps(), start=2))
        root = page.locator("#player")
        expect(root).to_have_attribute("data-current", "2")
        expect(page.locator(".chip.current")).to_have_text("2,")  # its number, then the token
        expect(page.locator(".name.prev")).to_have_text("a⟨1⟩")
        expect(page.locator(".name.state")).to_have_text("a⟨2⟩")
        expect(page.locator(".chip.later")).to_have_count(len(TOKENS) - 2)  # not read yet

        page.get_by_role("button", name="Step forward").click()
        expect(root).to_have_attribute("data-current", "3")
        expect(page.locator(".chip.current")).to_contain_text("Tom")
        expect(page.locator("#eq")).to_have_text("step 3")
        expect(page.locator(".nums").last).to_have_text("[ 0.300, -0.300]")
        page.get_by_role("button", name="Step back").click()
        page.get_by_role("button", name="Step back").click()
        expect(root).to_have_attribute("data-current", "1")
        page.get_by_role("button", name="Step back").click()  # t stays within 1..T_x
        expect(root).to_have_attribute("data-current", "1")

        root.focus()
        for _ in range(3):
            page.keyboard.press("ArrowRight")
        expect(root).to_have_attribute("data-current", "4")
        page.keyboard.press("ArrowLeft")
        expect(root).to_have_attribute("data-current", "3")

        scrub = page.get_by_role("slider", name="Time step t")
        scrub.fill("7")
        expect(root).to_have_attribute("data-current", "7")

        page.get_by_role("button", name="Play").click()  # from 7: 8, then it stops at T_x
        expect(root).to_have_attribute("data-playing", "true")
        expect(root).to_have_attribute("data-current", str(len(TOKENS)), timeout=5_000)
        expect(root).to_have_attribute("data-playing", "false", timeout=5_000)
        page.get_by_role("button", name="Play").click()  # at the end, play starts over from t = 1
        expect(root).to_have_attribute("data-current", "2", timeout=5_000)
        page.get_by_role("button", name="Pause").click()
        stopped = current(page)
        page.wait_for_timeout(2 * player.INTERVAL_MS)
        assert current(page) == stopped
    finally:
        context.close()


@pytest.mark.parametrize("lesson", list(LESSONS))
def test_playing_costs_the_server_nothing(browser, app_url, lesson):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(WAIT_LIMIT_MS)
    frames = {"sent": 0, "received": 0}

    def count(websocket):
        websocket.on("framesent", lambda _payload: frames.__setitem__("sent", frames["sent"] + 1))
        websocket.on("framereceived", lambda _payload: frames.__setitem__("received", frames["received"] + 1))

    page.on("websocket", count)
    try:
        open_app(page, f"{app_url}/{lesson}")
        assert page.locator(EXCEPTION).count() == 0
        frame = page.frame_locator("iframe").first
        root = frame.locator("#player")
        expect(root).to_have_attribute("data-current", "1")
        runs, sent, received = finished(page), frames["sent"], frames["received"]

        frame.get_by_role("button", name="Play").click()
        expect(root).to_have_attribute("data-current", "3", timeout=10_000)
        frame.get_by_role("button", name="Pause").click()
        frame.get_by_role("button", name="Step forward").click()
        expect(root).to_have_attribute("data-current", "4")
        root.press("ArrowLeft")
        expect(root).to_have_attribute("data-current", "3")
        page.wait_for_timeout(500)
        assert (finished(page), frames["sent"], frames["received"]) == (runs, sent, received)
        screenshot(page, f"player_{lesson}")
    finally:
        context.close()
