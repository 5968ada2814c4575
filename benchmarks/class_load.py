"""A class at once: thirty students on one server, some in real browsers, the rest as websocket sessions.

Every student is a Streamlit session of its own. ``--browsers`` of them are Playwright contexts in one
headless Chromium (they draw the pages as a student's laptop would); the others speak the app's own
websocket protocol (benchmarks/streamlit_client.py): the server does the same work for them, but this
machine does not spend its two cores drawing thirty pages (measured here: with six real browsers and
one comparison an edit took 3 s at the median to be drawn). Each student opens the app, goes to "Named entities" and
types sentences of its own; ``--comparisons`` of them go to "Compare the cells" first and press Train
live. Measured, in one run:

- edit latency: from sending the edit (Ctrl+Enter in a browser) to the typed sentence's tags, p50 / p95
  / max; websocket sessions to the end of the server's run, browsers to the tags drawn on screen;
- errors: exception boxes, wrong results, timeouts, tracebacks in the server log;
- responsiveness: how long /_stcore/health takes to answer, sampled twice a second throughout;
- memory: the server's resident set, sampled 4 times a second (peak), and the kernel's high-water mark.

Never a pass/fail: timings on a shared machine only print.

    python -m benchmarks.class_load [--students 30] [--browsers 3] [--comparisons 5] [--edits 3] [--ramp 20]
                                    [--think 2 8] [--url URL]

Without --url it starts `streamlit run app.py` on a free port and stops it afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.streamlit_client import StreamlitClient, click, page_cookies, text_value
from tests.browser.harness import (
    RssSampler,
    app_pages,
    cpu_seconds,
    family_cpu_seconds,
    peak_rss_mb,
    percentile,
    rss_mb,
    run_async,
    streamlit_server,
)
from tests.browser.live import EXCEPTION, SETTLE_MS, SIDEBAR_NAV, arerun, asettle, await_runs, finished, watch

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]  # fmt: skip
WAIT_MS = 240_000  # a hang fails a student; a slow class only waits
RAMP_S = 20.0  # the class opens the app within this many seconds of the lecturer saying so
THINK_S = (2.0, 8.0)  # seconds a student reads the last result and types the next sentence
ENTITIES, COMPARE = "named_entities", "compare"
TEXT_KEY = "ner_text"  # the entity lesson's text box (lessons/named_entities.py)
TRAIN_KEY, STOP_KEY = "cmp_train", "cmp_stop"  # the Compare lab's buttons (lessons/compare.py)
TITLES = {page.url_path: page.title for page in app_pages()}
OUT = Path(__file__).resolve().parent / "out"  # ignored by git
FIRST_ANSWER = re.compile(r"Training live|In line for training")  # training, or waiting for the turn

# Every student types sentences of their own (seeded): a first name, a last name, a place.
FIRST = ["Ada", "Grace", "Alan", "Katherine", "Tim", "Margaret", "Claude", "Barbara", "Edsger", "Frances",
         "Dennis", "Radia", "Ken", "Hedy", "John", "Sophie", "Donald", "Karen", "Niklaus", "Lynn"]
LAST = ["Lovelace", "Hopper", "Turing", "Johnson", "Berners", "Hamilton", "Shannon", "Liskov", "Dijkstra",
        "Allen", "Ritchie", "Perlman", "Thompson", "Lamarr", "Backus", "Wilson", "Knuth", "Jones", "Wirth"]
PLACES = ["Paris", "London", "Berlin", "Madrid", "Boston", "Tokyo", "Lisbon", "Oslo", "Vienna", "Dublin"]
FRAMES = [
    "Yesterday, {f} {l} met a friend in {p}.",
    "{f} {l} moved to {p} last spring.",
    "The students asked {f} {l} about the trip to {p}.",
    "In {p}, {f} {l} gave a talk about recurrent networks.",
]


@dataclass
class Sentence:
    text: str
    marker: str  # a word the tagged sentence must show (the last name)


def sentences_for(student: int, count: int, seed: int = 0) -> list[Sentence]:
    rng = random.Random(seed * 1000 + student)
    out = []
    for _ in range(count):
        last = rng.choice(LAST)
        text = rng.choice(FRAMES).format(f=rng.choice(FIRST), l=last, p=rng.choice(PLACES))
        out.append(Sentence(f"{text} ({student}.{len(out)})", last))  # never the same text twice
    return out


@dataclass
class ClassResult:
    students: int
    browsers: int
    comparisons: int
    latencies: list[float] = field(default_factory=list)  # websocket sessions: edit sent -> run finished
    browser_latencies: list[float] = field(default_factory=list)  # browsers: Ctrl+Enter -> tags drawn
    during_training: list[float] = field(default_factory=list)  # websocket edits made while a comparison trained
    first_visits: list[float] = field(default_factory=list)  # seconds to the first page
    switches: list[float] = field(default_factory=list)  # seconds to the entity page
    training_started: list[float] = field(default_factory=list)  # Train live -> first progress (or "wait")
    training: list[float] = field(default_factory=list)  # Train live -> the run's results
    errors: list[str] = field(default_factory=list)
    health: list[float] = field(default_factory=list)
    health_failures: int = 0
    rss_start_mb: float = float("nan")
    rss_peak_mb: float = float("nan")
    rss_end_mb: float = float("nan")
    wall: float = 0.0
    cookies: dict[int, str] = field(default_factory=dict)  # student -> the cookie its first page load got
    failed: set[int] = field(default_factory=set)  # students that met an error
    dropped: set[int] = field(default_factory=set)  # students whose connection the server dropped
    reconnects: list[float] = field(default_factory=list)  # seconds from a drop to the next edit answered
    training_lost: list[int] = field(default_factory=list)  # trainers whose live run died with their server
    server_cpu_s: float = float("nan")  # CPU seconds the server process used during the class
    worker_cpu_s: float = float("nan")  # ... and its training worker (0 if none ran)

    def error(self, student: int, message: str) -> None:
        self.failed.add(student)
        self.errors.append(message)

    @property
    def all_latencies(self) -> list[float]:
        return self.latencies + self.browser_latencies

    def summary_rows(self) -> list[tuple[str, str]]:
        def ms(values: list[float], q: float) -> str:
            return f"{percentile(values, q) * 1000:.0f}" if values else "–"

        def s(values: list[float], q: float) -> str:
            return f"{percentile(values, q):.1f}" if values else "–"

        return [
            ("sessions: websocket + browser (of which comparing)",
             f"{self.students - self.browsers} + {self.browsers} ({self.comparisons})"),
            ("edit latency, websocket sessions: n, p50 / p95 / max ms",
             f"{len(self.latencies)}, {ms(self.latencies, 50)} / {ms(self.latencies, 95)} / {ms(self.latencies, 100)}"),
            ("  the same, edits made while comparisons trained",
             f"{len(self.during_training)}, {ms(self.during_training, 50)} / {ms(self.during_training, 95)} / "
             f"{ms(self.during_training, 100)}"),
            ("edit latency, real browsers (drawn): n, p50 / p95 / max ms",
             f"{len(self.browser_latencies)}, {ms(self.browser_latencies, 50)} / {ms(self.browser_latencies, 95)} / "
             f"{ms(self.browser_latencies, 100)}"),
            ("first page p50 / p95, ms", f"{ms(self.first_visits, 50)} / {ms(self.first_visits, 95)}"),
            ("switch to the entity page p50 / p95, ms", f"{ms(self.switches, 50)} / {ms(self.switches, 95)}"),
            ("comparison: Train live -> first answer p50 / max, s",
             f"{s(self.training_started, 50)} / {s(self.training_started, 100)}"),
            ("comparison: Train live -> results p50 / max, s", f"{s(self.training, 50)} / {s(self.training, 100)}"),
            ("/_stcore/health p50 / p95 / max ms (failures)",
             f"{ms(self.health, 50)} / {ms(self.health, 95)} / {ms(self.health, 100)} ({self.health_failures})"),
            ("server RSS start / peak / end, MB",
             f"{self.rss_start_mb:.0f} / {self.rss_peak_mb:.0f} / {self.rss_end_mb:.0f}"),
            ("server CPU / training worker CPU during the class, s (share of one core)",
             f"{self.server_cpu_s:.1f} ({self.server_cpu_s / self.wall:.0%}) / {self.worker_cpu_s:.1f} "
             f"({self.worker_cpu_s / self.wall:.0%})" if self.wall else "–"),
            ("errors", str(len(self.errors))),
            ("wall time, s", f"{self.wall:.0f}"),
        ]


class Training:
    """How many comparisons are training right now (edits made meanwhile are reported apart)."""

    def __init__(self) -> None:
        self.active = 0

    def __enter__(self) -> None:
        self.active += 1

    def __exit__(self, *exc) -> None:
        self.active -= 1


# -- websocket sessions ----------------------------------------------------------------------------


async def ws_student(url: str, index: int, edits: int, delay: float, training: Training, result: ClassResult,
                     seed: int, think: tuple[float, float], cookies: bool = False, reconnect: bool = False) -> None:
    """Open the app, go to the entity page, type ``edits`` sentences. ``cookies``: load the first page
    over HTTP first and send its cookies, as a browser does (what keeps a visitor on one replica behind
    nginx). ``reconnect``: when the server drops the connection, connect again with the same cookies
    and carry on from the same sentence, as Streamlit's page does (the new session starts afresh)."""
    import websockets

    await asyncio.sleep(delay)
    pause = random.Random(seed * 7919 + index)
    sentences = sentences_for(index, edits, seed)
    done, dropped_at = 0, None
    try:
        cookie = await asyncio.to_thread(page_cookies, url) if cookies else None
        result.cookies[index] = cookie or ""
        while done < len(sentences):
            try:
                async with StreamlitClient(url, cookies=cookie) as client:
                    opened = await client.open("")
                    if dropped_at is None:
                        result.first_visits.append(opened.seconds)
                    page = await client.open(ENTITIES)
                    if dropped_at is None:
                        result.switches.append(page.seconds)
                    if page.exceptions:
                        raise RuntimeError(f"the entity page raised on opening: {page.exceptions[0][:300]}")
                    box = page.widget_id("text_area", TEXT_KEY)
                    while done < len(sentences):
                        sentence = sentences[done]
                        if dropped_at is None:  # reading the last result, typing the next sentence
                            await asyncio.sleep(pause.uniform(*think))
                        busy = training.active > 0
                        run = await client.run([text_value(box, sentence.text)])
                        done += 1
                        if dropped_at is not None:
                            result.reconnects.append(time.monotonic() - dropped_at)
                            dropped_at = None
                        result.latencies.append(run.seconds)
                        if busy or training.active > 0:
                            result.during_training.append(run.seconds)
                        tagged = [h.body for h in run.of_type("html") if "ner-sentence" in h.body]
                        if run.exceptions:
                            result.error(index, f"student {index}: exception after typing: {run.exceptions[0][:300]}")
                        elif not any(sentence.marker in body for body in tagged):
                            result.error(index, f"student {index}: the tagged sentence lacks {sentence.marker!r}")
            except (websockets.ConnectionClosed, OSError):
                if not reconnect or dropped_at is not None:
                    raise
                result.dropped.add(index)
                dropped_at = time.monotonic()
                await asyncio.sleep(0.5)  # Streamlit's page retries after a short back-off too
    except Exception as error:  # a timeout or a crash is counted, and the others go on
        result.error(index, f"student {index}: {type(error).__name__}: {str(error)[:300]}")


async def ws_trainer(url: str, index: int, training: Training, result: ClassResult,
                     stop_after: float | None, cookies: bool = False, reconnect: bool = False) -> None:
    """Open the Compare lab, press Train live, wait for the results (or press Stop after ``stop_after`` s).
    ``reconnect``: a connection the server drops is the run lost with its server, counted, not an error."""
    import websockets

    try:
        cookie = await asyncio.to_thread(page_cookies, url) if cookies else None
        result.cookies[index] = cookie or ""
        async with StreamlitClient(url, cookies=cookie) as client:
            result.first_visits.append((await client.open("")).seconds)
            lab = await client.open(COMPARE)
            if lab.exceptions:
                raise RuntimeError(f"the Compare lab raised on opening: {lab.exceptions[0][:300]}")
            train, stop = lab.widget_id("button", TRAIN_KEY), lab.widget_id("button", STOP_KEY)
            with training:
                first_answer: list[float] = []
                answered = asyncio.Event()

                def on_answer(seconds: float) -> None:
                    first_answer.append(seconds)
                    answered.set()

                task = asyncio.create_task(client.run([click(train)], until=FIRST_ANSWER, on_text=on_answer))
                if stop_after is not None:  # Stop, ``stop_after`` seconds after the lab first answered
                    await asyncio.wait([task, asyncio.create_task(answered.wait())],
                                       return_when=asyncio.FIRST_COMPLETED)
                    await asyncio.sleep(stop_after)
                    if not task.done():
                        await client.send([click(stop)])  # the running script gives way to the Stop run
                run = await task
            result.training_started += first_answer[:1]
            result.training.append(run.seconds)
            if run.exceptions:
                result.error(index, f"comparison {index}: exception: {run.exceptions[0][:300]}")
            elif "Your run (" not in run.text():
                result.error(index, f"comparison {index}: no results after training")
    except websockets.ConnectionClosed as error:
        if reconnect:
            result.dropped.add(index)
            result.training_lost.append(index)
        else:
            result.error(index, f"comparison {index}: {type(error).__name__}: {str(error)[:300]}")
    except Exception as error:
        result.error(index, f"comparison {index}: {type(error).__name__}: {str(error)[:300]}")


# -- real browsers ---------------------------------------------------------------------------------


async def open_app(context, url: str, result: ClassResult):
    page = await context.new_page()
    page.set_default_timeout(WAIT_MS)
    watch(page)
    start = time.perf_counter()
    await page.goto(f"{url}/")
    await await_runs(page, 0)
    await page.locator("h1").first.wait_for()
    result.first_visits.append(time.perf_counter() - start)
    return page


async def go_to(page, title: str) -> float:
    """Click the page in the sidebar; seconds until its run is over and drawn."""
    link = page.locator(SIDEBAR_NAV).get_by_role("link", name=title, exact=True)
    start = time.perf_counter()
    await arerun(page, link.click, settle_ms=0)
    await page.locator("h1").filter(has_text=re.compile(rf"^{re.escape(title)}$")).first.wait_for()
    await asettle(page)
    return time.perf_counter() - start - SETTLE_MS / 1000


async def browser_student(browser, url: str, index: int, edits: int, delay: float, result: ClassResult,
                          seed: int, think: tuple[float, float]) -> None:
    """In a real browser: open the app, go to the entity lesson, type sentences, wait for their tags."""
    await asyncio.sleep(delay)
    pause = random.Random(seed * 7919 + index)
    context = await browser.new_context(viewport={"width": 1280, "height": 800})
    step = "opening the app"
    try:
        page = await open_app(context, url, result)
        step = "going to the entity page"
        result.switches.append(await go_to(page, TITLES[ENTITIES]))
        if found := await page.locator(EXCEPTION).all_inner_texts():
            raise RuntimeError(f"the entity page raised on opening: {found[0][:300]}")
        box = page.locator('[data-testid="stTextArea"] textarea').first
        for k, sentence in enumerate(sentences_for(index, edits, seed)):
            await asyncio.sleep(pause.uniform(*think))
            step = f"typing sentence {k + 1}"
            await box.fill(sentence.text)
            start = time.perf_counter()
            await arerun(page, lambda: box.press("Control+Enter"), settle_ms=0)
            step = f"waiting for the tags of sentence {k + 1}"
            await page.locator(".ner-sentence").first.filter(has_text=sentence.marker).wait_for()
            result.browser_latencies.append(time.perf_counter() - start)
            if found := await page.locator(EXCEPTION).all_inner_texts():
                result.errors.append(f"browser {index}: exception after typing: {found[0][:300]}")
    except Exception as error:
        result.errors.append(f"browser {index}, {step}: {type(error).__name__}: {str(error)[:300]}"
                             + await diagnose(context, index))
    finally:
        await context.close()


async def diagnose(context, index: int) -> str:
    """Where a stuck browser was: URL, script state, runs seen; a screenshot in benchmarks/out/."""
    try:
        page = context.pages[-1]
        state = await page.evaluate("""() => document.querySelector('[data-testid="stApp"]')
            ?.getAttribute('data-test-script-state')""")
        OUT.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(OUT / f"class_load_browser_{index}.png"))
        return f" [url {page.url}, script state {state}, runs finished {finished(page)}]"
    except Exception as error:  # the diagnosis must not hide the error it describes
        return f" [no diagnosis: {error}]"


# -- the class -------------------------------------------------------------------------------------


def probe_health(url: str, stop: threading.Event, result: ClassResult, interval: float = 0.5) -> None:
    while not stop.is_set():
        start = time.perf_counter()
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=30) as response:
                response.read()
            result.health.append(time.perf_counter() - start)
        except OSError:
            result.health_failures += 1
        stop.wait(interval)


async def run_class(url: str, students: int = 30, browsers: int = 3, comparisons: int = 5, edits: int = 3,
                    pid: int | None = None, ramp: float = RAMP_S, seed: int = 0, stop_after: float | None = None,
                    think: tuple[float, float] = THINK_S, cookies: bool = False,
                    reconnect: bool = False) -> ClassResult:
    """``comparisons`` websocket students train; ``browsers`` students type in Chromium; the rest type
    over the websocket. Typing students arrive over ``ramp`` seconds and wait ``think`` seconds (seeded)
    before each of their ``edits`` sentences. ``stop_after``: the trainers press Stop after that many seconds.
    ``cookies``, ``reconnect``: see :func:`ws_student` (a class behind benchmarks/replicas.py's nginx)."""
    result = ClassResult(students, browsers, comparisons)
    training = Training()
    rng = random.Random(seed)
    typists = range(comparisons, students)
    in_browser = set(list(typists)[:browsers])
    delays = {k: rng.uniform(0, ramp) for k in typists}
    stop = threading.Event()
    prober = threading.Thread(target=probe_health, args=(url, stop, result), daemon=True)
    sampler = RssSampler(pid) if pid else None
    if pid:
        result.rss_start_mb = rss_mb(pid)
    start = time.perf_counter()
    prober.start()
    if sampler:
        sampler.__enter__()
    try:
        tasks = [ws_trainer(url, k, training, result, stop_after, cookies, reconnect) for k in range(comparisons)]
        tasks += [ws_student(url, k, edits, delays[k], training, result, seed, think, cookies, reconnect)
                  for k in typists if k not in in_browser]
        if in_browser:
            from playwright.async_api import async_playwright

            async with async_playwright() as playwright:
                chromium = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                tasks += [browser_student(chromium, url, k, edits, delays[k], result, seed, think)
                          for k in in_browser]
                try:
                    await asyncio.gather(*tasks)
                finally:
                    await chromium.close()
        else:
            await asyncio.gather(*tasks)
    finally:
        stop.set()
        prober.join()
        if sampler:
            sampler.__exit__(None, None, None)
    result.wall = time.perf_counter() - start
    if pid:
        result.rss_peak_mb = sampler.peak
        result.rss_end_mb = rss_mb(pid)
    return result


def server_errors(log: Path) -> list[str]:
    text = log.read_text(errors="replace") if log.exists() else ""
    return [line for line in text.splitlines() if "Traceback" in line or "Uncaught app execution" in line]


async def warm_up(url: str) -> None:
    """The lecturer opens both pages before class: models load once per server, not during the class."""
    async with StreamlitClient(url) as client:
        await client.open("")
        await client.open(ENTITIES)
        await client.open(COMPARE)


def measure(students: int = 30, browsers: int = 3, comparisons: int = 5, edits: int = 3, url: str | None = None,
            ramp: float = RAMP_S, seed: int = 0, stop_after: float | None = None,
            think: tuple[float, float] = THINK_S) -> ClassResult:
    """Start a server (unless ``url``), warm it up as a lecturer would, then run the class."""
    if url:
        run_async(warm_up(url))
        return run_async(run_class(url, students, browsers, comparisons, edits, None, ramp, seed, stop_after,
                                     think))
    with streamlit_server() as server:
        run_async(warm_up(server.url))
        server_before, family_before = cpu_seconds(server.pid), family_cpu_seconds(server.pid)
        result = run_async(run_class(server.url, students, browsers, comparisons, edits, server.pid, ramp, seed,
                                       stop_after, think))
        result.server_cpu_s = cpu_seconds(server.pid) - server_before
        result.worker_cpu_s = family_cpu_seconds(server.pid) - family_before - result.server_cpu_s
        result.rss_peak_mb = max(result.rss_peak_mb, peak_rss_mb(server.pid))
        result.errors += [f"server log: {line}" for line in server_errors(server.log)]
    return result


def print_result(result: ClassResult) -> None:
    print("| class load | measured |")
    print("|---|---|")
    for name, value in result.summary_rows():
        print(f"| {name} | {value} |")
    for error in result.errors[:20]:
        print(f"ERROR {error}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--browsers", type=int, default=3, help="students in real Chromium contexts")
    parser.add_argument("--comparisons", type=int, default=5)
    parser.add_argument("--edits", type=int, default=3, help="sentences each typing student enters")
    parser.add_argument("--ramp", type=float, default=RAMP_S, help="students arrive over this many seconds")
    parser.add_argument("--think", type=float, nargs=2, default=THINK_S, metavar=("MIN", "MAX"),
                        help="seconds a student reads and types before each sentence")
    parser.add_argument("--stop-after", type=float, default=None, help="trainers press Stop after S seconds")
    parser.add_argument("--url", default=None, help="use a running server (no RSS then)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    result = measure(args.students, args.browsers, args.comparisons, args.edits, args.url, args.ramp, args.seed,
                     args.stop_after, tuple(args.think))
    print_result(result)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
