"""What a class pressing play costs the server: its CPU while every tab plays the time-step player.

``--viewers`` Chromium tabs (one context each, one server) open the three lessons that have the
player (forward pass, gates, bidirectional), in turn. Then, over two windows of the same length, the
server's CPU time (user + system, the server process and its training worker, from /proc) is read:

- idle: every tab open, nobody doing anything (Streamlit's own housekeeping);
- playing: every tab plays the player from t = 1 to T_x, and again from the start whenever it ends.

Also counted while playing: the steps the players advanced (so a player that did not move is seen),
the websocket frames the tabs sent and received, and the script runs the server finished. The player
runs in the page (ui/player.py), so playing should cost what idle costs: no frame, no run.
Never a pass/fail: CPU time on a shared machine only prints.

    python -m benchmarks.playback [--viewers 30] [--window 20]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import time
from dataclasses import dataclass, field

from benchmarks.class_load import CHROMIUM, CHROMIUM_ARGS
from tests.browser.harness import family_cpu_seconds, streamlit_server
from tests.browser.live import EXCEPTION, finished, open_app

LESSONS = ("forward_pass", "gates", "bidirectional")  # the pages that hold a player (ui/player.py)
POLL_S = 0.25  # how often each tab's player is looked at (and restarted once it has reached T_x)
WAIT_MS = 240_000


@dataclass
class PlaybackResult:
    viewers: int
    window_s: float
    idle_cpu_s: float = 0.0
    playing_cpu_s: float = 0.0
    steps_advanced: int = 0
    frames_while_playing: int = 0
    runs_while_playing: int = 0
    errors: list[str] = field(default_factory=list)

    def share(self, cpu_s: float) -> float:
        """CPU seconds as a share of one core over the window, in per cent."""
        return 100 * cpu_s / self.window_s

    def summary_rows(self) -> list[tuple[str, str]]:
        return [
            ("tabs, each on a player lesson", f"{self.viewers} ({', '.join(LESSONS)} in turn)"),
            ("window, each", f"{self.window_s:.0f} s"),
            ("server CPU, idle tabs", f"{self.idle_cpu_s:.2f} s ({self.share(self.idle_cpu_s):.1f}% of a core)"),
            ("server CPU, every tab playing",
             f"{self.playing_cpu_s:.2f} s ({self.share(self.playing_cpu_s):.1f}% of a core)"),
            ("steps the players advanced", f"{self.steps_advanced}"),
            ("websocket frames / script runs while playing",
             f"{self.frames_while_playing} / {self.runs_while_playing}"),
            ("errors", f"{len(self.errors)}" + (f": {'; '.join(self.errors[:3])}" if self.errors else "")),
        ]


class Tab:
    """One viewer: a Chromium context on one lesson, its player, its websocket frames counted."""

    def __init__(self, browser, url: str, lesson: str):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.page.set_default_timeout(WAIT_MS)
        self.frames = 0
        self.page.on("websocket", self._count)
        open_app(self.page, f"{url}/{lesson}")
        player = self.page.frame_locator("iframe").first
        self.root = player.locator("#player")
        self.play = player.get_by_role("button", name="Play")
        self.root.wait_for()
        self.last = self.current()

    def _count(self, websocket) -> None:
        def one(_payload) -> None:
            self.frames += 1

        websocket.on("framesent", one)
        websocket.on("framereceived", one)

    def current(self) -> int:
        return int(self.root.get_attribute("data-current"))

    def keep_playing(self) -> int:
        """Press Play if the player has stopped (at T_x it starts over); the steps moved since last look."""
        now = self.current()
        moved = now - self.last if now >= self.last else now  # after a restart, the steps from t = 1
        self.last = now
        if self.root.get_attribute("data-playing") != "true":
            self.play.click()
        return moved

    def close(self) -> None:
        self.context.close()


def measure(viewers: int = 30, window_s: float = 20.0, browser=None) -> PlaybackResult:
    """Start a server here (its CPU is read from /proc), open ``viewers`` tabs in ``browser`` (or in a
    Chromium of its own), time the two windows."""
    from playwright.sync_api import sync_playwright

    result = PlaybackResult(viewers, window_s)
    with contextlib.ExitStack() as stack:
        server = stack.enter_context(streamlit_server())
        url, pid = server.url, server.pid
        if browser is None:
            playwright = stack.enter_context(sync_playwright())
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            stack.callback(browser.close)
        tabs = [Tab(browser, url, LESSONS[i % len(LESSONS)]) for i in range(viewers)]
        for tab in tabs:
            stack.callback(tab.close)

        time.sleep(2.0)  # let the last page's run and its drawing finish before the idle window
        before = family_cpu_seconds(pid)
        time.sleep(window_s)
        result.idle_cpu_s = family_cpu_seconds(pid) - before

        frames, runs = sum(t.frames for t in tabs), sum(finished(t.page) for t in tabs)
        before, began = family_cpu_seconds(pid), time.monotonic()
        while time.monotonic() - began < window_s:
            for tab in tabs:
                result.steps_advanced += tab.keep_playing()
            time.sleep(POLL_S)
        result.playing_cpu_s = family_cpu_seconds(pid) - before
        result.frames_while_playing = sum(t.frames for t in tabs) - frames
        result.runs_while_playing = sum(finished(t.page) for t in tabs) - runs
        for i, tab in enumerate(tabs):
            if tab.page.locator(EXCEPTION).count():
                result.errors.append(f"tab {i}: an exception box")
    return result


def print_result(result: PlaybackResult) -> None:
    for name, value in result.summary_rows():
        print(f"{name:48s} {value}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--viewers", type=int, default=30, help="Chromium tabs, each playing (default 30)")
    parser.add_argument("--window", type=float, default=20.0, help="seconds of each window (default 20)")
    args = parser.parse_args()
    if args.viewers < 1 or args.window <= 0:
        parser.error("--viewers must be at least 1 and --window positive")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    print_result(measure(args.viewers, args.window))


if __name__ == "__main__":
    main()
