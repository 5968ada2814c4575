"""Real browser: "Compare the cells" opens on the cached results, trains live, and Stop really stops."""

from __future__ import annotations

import json
import re

import pytest

from rnncore import ASSETS
from tests.browser.conftest import EXCEPTION, screenshot, wait_idle

pytestmark = pytest.mark.browser

LESSON = "Compare the cells"
NAMES = {"rnn": "RNN", "gru": "GRU", "lstm": "LSTM", "birnn": "BRNN"}


def metric_value(page, label: str) -> str:
    metric = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return metric.locator('[data-testid="stMetricValue"]').inner_text().strip()


def open_lab(page, app_url: str) -> None:
    from playwright.sync_api import expect

    page.goto(f"{app_url}/")
    wait_idle(page)
    page.locator('[data-testid="stSidebarNav"] a').filter(has_text=LESSON).click()
    expect(page.locator("h1").first).to_have_text(LESSON)
    wait_idle(page)


def test_cached_results_then_a_live_run_that_stop_ends(app_url, page):
    from playwright.sync_api import expect

    record = json.loads((ASSETS / "compare" / "default.json").read_text())
    distance, epochs = record["settings"]["distance"], record["settings"]["epochs"]
    open_lab(page, app_url)
    expect(page.get_by_text(f"Held-out accuracy at distance {distance}").first).to_be_visible()
    for arch, run in record["archs"].items():
        assert metric_value(page, f"{NAMES[arch]} accuracy") == f"{run['accuracy']:.3f}"
    expect(page.locator(".js-plotly-plot").first).to_be_visible()

    page.get_by_test_id("stMainBlockContainer").get_by_role("button", name="Train live").click()
    # a progress bar per architecture, redrawn after every epoch while the script runs
    expect(page.get_by_text(re.compile(rf"RNN: epoch 1/{epochs}"))).to_be_visible()
    expect(page.get_by_text("Training live", exact=False)).to_be_visible()
    screenshot(page, "compare_training_live")
    # the lab's own Stop (Streamlit's header shows another "Stop" while a script runs)
    page.get_by_test_id("stMainBlockContainer").get_by_role("button", name="Stop").click()

    stopped = page.get_by_text(re.compile(r"Your run \(stopped early, \d+ epochs in all"))
    expect(stopped).to_be_visible()
    wait_idle(page)
    done = int(re.search(r"(\d+) epochs in all", stopped.inner_text()).group(1))
    assert 1 <= done < len(record["archs"]) * epochs  # it really stopped before the end
    # the partial results are measured and drawn
    expect(page.locator('[data-testid="stMetric"]').filter(has_text="LSTM accuracy")).to_be_visible()
    expect(page.locator(".js-plotly-plot").first).to_be_visible()
    expect(page.get_by_test_id("stMainBlockContainer").get_by_role("button", name="Continue")).to_be_enabled()
    assert page.locator(EXCEPTION).count() == 0
    screenshot(page, "compare_stopped")

    # nothing trains once stopped: the count stays put across a rerun
    page.wait_for_timeout(2000)
    assert int(re.search(r"(\d+) epochs in all", stopped.inner_text()).group(1)) == done


def test_the_sweep_over_training_distances_is_drawn(app_url, page):
    from playwright.sync_api import expect

    sweep = json.loads((ASSETS / "compare" / "sweep" / "sweep.json").read_text())
    open_lab(page, app_url)
    heading = page.get_by_role("heading", name="Can each cell learn it at all?")
    heading.scroll_into_view_if_needed()
    expect(heading).to_be_visible()
    expect(page.get_by_text("The vanilla RNN learns clauses of up to", exact=False)).to_be_visible()
    plot = page.locator(".js-plotly-plot").filter(has_text="Can each cell learn it?")
    plot.scroll_into_view_if_needed()
    expect(plot).to_be_visible()
    # one line per cell, each with a marker per distance of the sweep
    assert plot.locator("g.trace.scatter").count() == len(sweep["archs"])
    assert plot.locator("g.trace.scatter").first.locator("path.point").count() == len(sweep["distances"])
    assert page.locator(EXCEPTION).count() == 0
    screenshot(page, "compare_sweep")


def test_training_at_every_distance_draws_each_finished_run_on_the_sweep(app_url, page):
    from playwright.sync_api import expect

    sweep = json.loads((ASSETS / "compare" / "sweep" / "sweep.json").read_text())
    page.goto(f"{app_url}/compare?cmp_distance=2&cmp_epochs=1&cmp_hidden=8&cmp_batch=64&cmp_seed=5")
    wait_idle(page)
    expect(page.locator("h1").first).to_have_text(LESSON)
    page.get_by_test_id("stMainBlockContainer").get_by_role("button", name="Train at every distance").click()
    expect(page.get_by_text(re.compile(r"Training at every distance.*run \d of 8"))).to_be_visible()
    caption = page.get_by_text("Open markers: your runs with your settings (n_a 8, epochs 1, batch size 64, seed 5)")
    expect(caption).to_be_visible(timeout=240_000)
    wait_idle(page)
    plot = page.locator(".js-plotly-plot").filter(has_text="Can each cell learn it?")
    plot.scroll_into_view_if_needed()
    # four lines of the shipped sweep, and four marker traces: one open marker per distance trained
    assert plot.locator("g.trace.scatter").count() == 2 * len(sweep["archs"])
    assert plot.locator("g.trace.scatter").last.locator("path.point").count() == len(sweep["distances"])
    assert page.locator(EXCEPTION).count() == 0
    screenshot(page, "compare_sweep_live")
