"""The playback benchmark (benchmarks/playback.py), scaled down: three tabs, one per player lesson, each
playing for a few seconds. The players move, and the server gets no websocket frame and runs no script
while they do. CPU seconds are printed by the benchmark, never asserted here."""

from __future__ import annotations

import pytest

from benchmarks import playback

pytestmark = pytest.mark.browser


def test_three_tabs_play_and_the_server_hears_nothing(browser):
    result = playback.measure(viewers=len(playback.LESSONS), window_s=4.0, browser=browser)
    assert not result.errors, result.errors
    # 0.9 s a step: each tab moves about 4 steps in 4 s; fewer than one per tab means a player is stuck
    assert result.steps_advanced >= len(playback.LESSONS)
    assert (result.frames_while_playing, result.runs_while_playing) == (0, 0)
    playback.print_result(result)
