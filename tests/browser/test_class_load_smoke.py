"""A small class at once (benchmarks/class_load.py, scaled down): five sessions on one server, two of them
real browsers, one training a comparison and stopping it. Every edit comes back tagged, nothing raises,
the server keeps answering. Timings are printed by the benchmark, never asserted here."""

from __future__ import annotations

import pytest

from benchmarks.class_load import run_class
from tests.browser.harness import run_async
from ui.models_ui import is_shipped

pytestmark = pytest.mark.browser

EDITS = 2


def test_five_sessions_at_once(app_url):
    if not all(is_shipped(f"ner-{arch}") for arch in ("rnn", "gru", "lstm", "birnn")):
        pytest.skip("the entity taggers are not shipped yet")
    result = run_async(run_class(app_url, students=5, browsers=2, comparisons=1, edits=EDITS, ramp=1.0,
                                     stop_after=3.0, think=(0.0, 0.5)))
    assert not result.errors, result.errors
    assert len(result.latencies) == 2 * EDITS  # two websocket students, each edit answered and tagged
    assert len(result.browser_latencies) == 2 * EDITS  # two browsers, each edit drawn with its tags
    assert len(result.training) == 1 and len(result.training_started) == 1  # trained, answered, stopped
    assert result.health and result.health_failures == 0
    print("\n".join(f"{name}: {value}" for name, value in result.summary_rows()))
