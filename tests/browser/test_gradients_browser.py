"""Real browser: open "Vanishing and exploding gradients", read the measured ratios, change the cells, train."""

from __future__ import annotations

import pytest

from rnncore.explain import bptt, spectral
from tests.browser.conftest import EXCEPTION, screenshot, wait_idle
from ui.gradients_ui import power_of_ten

pytestmark = pytest.mark.browser

LESSON = "Vanishing and exploding gradients"


def metric_value(page, label: str) -> str:
    metric = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return metric.locator('[data-testid="stMetricValue"]').inner_text().strip()


def open_lesson(page, app_url: str) -> None:
    from playwright.sync_api import expect

    page.goto(f"{app_url}/")
    wait_idle(page)
    page.locator('[data-testid="stSidebarNav"] a').filter(has_text=LESSON).click()
    expect(page.locator("h1")).to_have_text(LESSON)
    wait_idle(page)


def expected_default(arch: str) -> str:
    """What the page shows first: the trained agreement model when installed, else the cell at init."""
    profile, _ = bptt.default_profile(arch, steps=50)
    return power_of_ten(profile.log10_first_to_last)


def test_default_view_shows_the_measured_ratios(app_url, page):
    from playwright.sync_api import expect

    open_lesson(page, app_url)
    expect(page.locator(".js-plotly-plot").first).to_be_visible()
    for arch, name in (("rnn", "RNN"), ("lstm", "LSTM")):
        assert metric_value(page, f"{name}: first / last") == expected_default(arch)
    assert page.locator(EXCEPTION).count() == 0
    screenshot(page, "gradients_default")


def test_changing_the_cells_and_training_with_clipping(app_url, page):
    from playwright.sync_api import expect

    open_lesson(page, app_url)
    # segmented controls are radio groups named by their label
    page.get_by_role("radiogroup", name="Cells").get_by_role("radio", name="At initialisation").click()
    wait_idle(page)
    page.get_by_role("radiogroup", name="RNN activation").get_by_role("radio", name="relu").click()
    wait_idle(page)
    relu = bptt.profiles_at_init(spectral.InitSettings(activation="relu"))["rnn"]
    expect(
        page.locator('[data-testid="stMetric"]').filter(has_text="RNN: first / last").first
    ).to_contain_text(power_of_ten(relu.log10_first_to_last))

    page.get_by_role("button", name="Train the three runs").click()
    wait_idle(page)
    table = page.locator('[data-testid="stDataFrame"]').filter(has_text="clipping").last
    expect(table).to_be_visible()
    expect(page.locator(".js-plotly-plot").last).to_be_visible()
    assert page.locator(EXCEPTION).count() == 0
    page.get_by_text("A short training run, with and without clipping").scroll_into_view_if_needed()
    screenshot(page, "gradients_clipping_run")
