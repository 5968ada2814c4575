"""Soak: five hundred reruns in one session, switching across every page, watching the server's memory.

One Streamlit session (benchmarks/streamlit_client.py: the app's own websocket protocol, the messages a
browser tab sends) walks app.py's PAGES in order, again and again: open the page, then type a new
sentence into its first text box (a page without one is rerun as the R key does) ``--edits`` times,
until ``--reruns`` script runs are done. Every text is new, so caches keyed on text see new keys.

The server's resident memory is read after every page: "start" is after one warm-up walk (every model
and cache a visit loads is then loaded), "end" after the last rerun; the slope over the second half
says whether memory keeps growing. Exceptions on any page are counted. Never a pass/fail.

    python -m benchmarks.soak [--reruns 500] [--edits 4] [--url URL]
"""

from __future__ import annotations

import argparse
import os
import time
from dataclasses import dataclass, field

from benchmarks.streamlit_client import StreamlitClient, text_value
from tests.browser.harness import app_pages, rss_mb, run_async, streamlit_server

SENTENCES = [
    "Yesterday, {name} met a friend in Paris.",
    "The film was dull, but the music was lovely.",
    "The cat, which already ate the fish, was full.",
    "{name} moved to London last spring.",
    "I didn't enjoy the dinner at all.",
]
NAMES = ["Ada Lovelace", "Grace Hopper", "Alan Turing", "Hedy Lamarr", "Claude Shannon"]


@dataclass
class SoakResult:
    reruns: int = 0
    page_visits: int = 0
    exceptions: list[str] = field(default_factory=list)
    rss_before_mb: float = float("nan")  # fresh server, before the warm-up walk
    rss_start_mb: float = float("nan")  # after the warm-up walk
    rss_end_mb: float = float("nan")
    trace: list[tuple[int, float]] = field(default_factory=list)  # (reruns so far, RSS MB) after every page
    wall: float = 0.0

    @property
    def rss_max_mb(self) -> float:
        return max((mb for _, mb in self.trace), default=float("nan"))

    def slope_mb_per_100(self) -> float:
        """Least-squares slope of RSS against reruns over the second half of the walk, MB per 100 reruns."""
        half = [(x, y) for x, y in self.trace if x >= self.reruns / 2]
        if len(half) < 2:
            return float("nan")
        n = len(half)
        mean_x, mean_y = sum(x for x, _ in half) / n, sum(y for _, y in half) / n
        sxx = sum((x - mean_x) ** 2 for x, _ in half)
        return 100 * sum((x - mean_x) * (y - mean_y) for x, y in half) / sxx if sxx else float("nan")

    def summary_rows(self) -> list[tuple[str, str]]:
        return [
            ("reruns in one session / page visits", f"{self.reruns} / {self.page_visits}"),
            ("server RSS fresh / after warm-up walk (start) / end / max, MB",
             f"{self.rss_before_mb:.0f} / {self.rss_start_mb:.0f} / {self.rss_end_mb:.0f} / {self.rss_max_mb:.0f}"),
            ("RSS end - start, MB", f"{self.rss_end_mb - self.rss_start_mb:+.0f}"),
            ("RSS slope over the second half, MB per 100 reruns", f"{self.slope_mb_per_100():+.1f}"),
            ("exceptions", str(len(self.exceptions))),
            ("wall time, s", f"{self.wall:.0f}"),
        ]


async def walk(url: str, pid: int | None, reruns: int, edits: int, result: SoakResult) -> None:
    pages = [page.url_path for page in app_pages()]
    counter = 0
    async with StreamlitClient(url) as client:

        async def visit(url_path: str, budget: int | None) -> None:
            nonlocal counter
            runs = [await client.open(url_path)]
            result.page_visits += 1
            for _ in range(edits):
                if budget is not None and result.reruns + len(runs) >= budget:
                    break
                boxes = runs[-1].of_type("text_area")
                counter += 1
                sentence = SENTENCES[counter % len(SENTENCES)].format(name=NAMES[counter % len(NAMES)])
                widgets = [text_value(boxes[0].id, f"{sentence} ({counter})")] if boxes else []
                runs.append(await client.run(widgets))
            for run in runs:
                result.exceptions += [f"{url_path or 'home'}: {e[:300]}" for e in run.exceptions]
            if budget is not None:
                result.reruns += len(runs)
                if pid:
                    result.trace.append((result.reruns, rss_mb(pid)))

        for url_path in pages:  # the warm-up walk: every page's models and caches load here
            await visit(url_path, None)
        if pid:
            result.rss_start_mb = rss_mb(pid)
            result.trace.append((0, result.rss_start_mb))
        while result.reruns < reruns:
            for url_path in pages:
                if result.reruns >= reruns:
                    break
                await visit(url_path, reruns)
    if pid:
        result.rss_end_mb = rss_mb(pid)


def measure(reruns: int = 500, edits: int = 4, url: str | None = None) -> SoakResult:
    result = SoakResult()
    start = time.perf_counter()
    if url:
        run_async(walk(url, None, reruns, edits, result))
    else:
        with streamlit_server() as server:
            result.rss_before_mb = rss_mb(server.pid)
            run_async(walk(server.url, server.pid, reruns, edits, result))
    result.wall = time.perf_counter() - start
    return result


def print_result(result: SoakResult) -> None:
    print("| soak | measured |")
    print("|---|---|")
    for name, value in result.summary_rows():
        print(f"| {name} | {value} |")
    if result.trace:
        step = max(1, len(result.trace) // 12)
        print("RSS after reruns: " + ", ".join(f"{n}: {mb:.0f}" for n, mb in result.trace[::step]))
    for error in result.exceptions[:10]:
        print(f"EXCEPTION {error}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reruns", type=int, default=500)
    parser.add_argument("--edits", type=int, default=4, help="reruns on each page after opening it")
    parser.add_argument("--url", default=None, help="use a running server (no RSS then)")
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    print_result(measure(args.reruns, args.edits, args.url))


if __name__ == "__main__":
    main()
