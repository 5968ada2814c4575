"""Every benchmark in one command; writes the results table into README.md.

    python -m benchmarks.run_all                 # everything (about 20 minutes on 2 shared cores)
    python -m benchmarks.run_all --quick         # fewer repeats, a smaller class, a shorter soak
    python -m benchmarks.run_all --skip-load --skip-soak --no-readme

Measured in this one run, on this machine, each against docs/ARCHITECTURE.md's budget:

1. cold start: `streamlit run app.py` until the first page is drawn in Chromium, against a bare Streamlit
   app that imports torch (written to a temporary folder now), alternating, median of ``--repeats``;
2. every page of app.py's PAGES, opened from the sidebar in one browser session on a fresh server: first
   render, the server's RSS after it; then each page's edits (type a sentence, switch the architecture,
   or a plain rerun) timed in a websocket session (benchmarks/streamlit_client.py): the server's run;
3. inference latency of every shipped model (rnncore.tasks.*.inference, one torch thread as the app serves);
4. rnncore's training path against fused torch.nn (benchmarks/training_path.py);
5. the Compare lab's default run, wall time (benchmarks/compare_lab.py);
6. a class of thirty (benchmarks/class_load.py), with three of them in Chromium and again as websocket
   sessions only (Chromium's drawing shares this machine's cores with the server), thirty tabs playing
   the time-step player (benchmarks/playback.py: the server's CPU while they play), and a 500-rerun
   soak (benchmarks/soak.py).

The table lands between ``<!-- bench:start -->`` and ``<!-- bench:end -->`` in README.md. Ratios and
times are what this run measured on a shared machine: an "over" is a finding, never a failure (the
command exits 0 unless a benchmark itself broke).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tests.browser.harness import REPO_ROOT, app_pages, percentile, rss_mb, run_async, streamlit_server

README = REPO_ROOT / "README.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
WAIT_MS = 300_000

# docs/ARCHITECTURE.md's budgets
COLD_START_RATIO = 1.3
INTERACTION_MS = 300
RSS_MB = 600
TRAINING_RATIO = 1.5
COMPARE_S = 30
# A soak is "flat" when the server ends within this much of where it started, and its second half
# grows by less than this per 100 reruns (allocator noise is a few MB).
SOAK_GROWTH_MB, SOAK_SLOPE_MB = 20, 2.0

BARE_APP = '''import streamlit as st
import torch

st.title("Bare")
st.write(f"torch {torch.__version__}")
'''
EDIT_TEXTS = [
    "Yesterday, Ada Lovelace met Charles Babbage in London.",
    "The film was dull, but the music was lovely.",
    "He met with Apple representatives today.",
    "I didn't enjoy the dinner at all.",
    "Grace Hopper moved to Boston last spring.",
    "The cat, which already ate the fish, was full.",
]
SAMPLE_TEXT = "Sherlock Holmes and John Watson lived at 221B Baker Street in London."


@dataclass
class Row:
    what: str
    measured: str
    budget: str = "–"
    verdict: str = ""


def verdict(ok: bool) -> str:
    return "ok" if ok else "**over**"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# -- 1. cold start -----------------------------------------------------------------------------------------


def time_to_first_page(browser, script: Path, heading: str) -> float:
    """Seconds from starting `streamlit run script` to its first page drawn (heading visible, run over)."""
    from tests.browser.live import wait_runs, watch

    with streamlit_server(script, cwd=script.parent) as server:
        context = browser.new_context()
        page = context.new_page()
        page.set_default_timeout(WAIT_MS)
        watch(page)
        page.goto(f"{server.url}/")
        wait_runs(page, 0)
        page.locator("h1").filter(has_text=heading).first.wait_for()
        seconds = time.monotonic() - server.started
        context.close()
    return seconds


def cold_start(browser, repeats: int) -> tuple[list[float], list[float]]:
    app_heading = "RNN Lab"
    with tempfile.TemporaryDirectory() as folder:
        bare = Path(folder) / "bare_app.py"
        bare.write_text(BARE_APP, encoding="utf-8")
        apps, bares = [], []
        for k in range(repeats):  # alternate, so that a busy minute on the machine hits both
            order = [(REPO_ROOT / "app.py", app_heading, apps), (bare, "Bare", bares)]
            for script, heading, into in order if k % 2 == 0 else order[::-1]:
                into.append(time_to_first_page(browser, script, heading))
                log(f"cold start {script.name}: {into[-1]:.1f} s")
    return apps, bares


# -- 2. every page -------------------------------------------------------------------------------------


@dataclass
class PageResult:
    title: str
    url_path: str
    first_render_ms: float = float("nan")
    rss_after_mb: float = float("nan")
    edits: dict | None = None  # kind of edit -> list of seconds (the server's run)
    exceptions: int = 0


def walk_pages(browser, url: str, pid: int) -> list[PageResult]:
    """One browser session opens every page from the sidebar: first render and RSS after each."""
    from tests.browser.live import EXCEPTION, SETTLE_MS, SIDEBAR_NAV, finished, settle, wait_runs, watch

    results = []
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    watch(page)
    for app_page in app_pages():
        result = PageResult(app_page.title, app_page.url_path)
        start = time.perf_counter()
        before = finished(page)
        if app_page.default:
            page.goto(f"{url}/")
        else:
            page.locator(SIDEBAR_NAV).get_by_role("link", name=app_page.title, exact=True).click()
        wait_runs(page, before)
        if not app_page.default:
            page.wait_for_url(f"**/{app_page.url_path}*")
        settle(page)
        result.first_render_ms = (time.perf_counter() - start) * 1000 - SETTLE_MS
        result.rss_after_mb = rss_mb(pid)
        result.exceptions = page.locator(EXCEPTION).count()
        log(f"page {app_page.url_path or 'home'}: first render {result.first_render_ms:.0f} ms, "
            f"RSS {result.rss_after_mb:.0f} MB")
        results.append(result)
    context.close()
    return results


async def time_edits(url: str, results: list[PageResult], repeats: int) -> None:
    """Each page's edits in one websocket session, after the pages' first visits loaded everything."""
    from benchmarks.streamlit_client import StreamlitClient, choose, text_value

    async with StreamlitClient(url) as client:
        await client.open("")
        for result in results:
            opened = await client.open(result.url_path)
            edits: dict[str, list[float]] = {}
            boxes = opened.of_type("text_area")
            if boxes:
                box = boxes[0].id
                await client.run([text_value(box, EDIT_TEXTS[-1])])  # one warm-up edit
                runs = [await client.run([text_value(box, EDIT_TEXTS[k % len(EDIT_TEXTS)])]) for k in range(repeats)]
                edits["edit the sentence"] = [run.seconds for run in runs]
                result.exceptions += sum(bool(run.exceptions) for run in runs)
            pickers = [g for g in opened.of_type("button_group") if g.id.endswith("_arch")]
            if pickers:
                labels = [option.content for option in pickers[0].options]
                text = [text_value(boxes[0].id, EDIT_TEXTS[0])] if boxes else []
                runs = [await client.run([*text, choose(pickers[0].id, labels[k % len(labels)])])
                        for k in range(repeats)]
                edits["switch the architecture"] = [run.seconds for run in runs]
                result.exceptions += sum(bool(run.exceptions) for run in runs)
            if not edits:
                runs = [await client.run() for _ in range(repeats)]
                edits["rerun (the R key)"] = [run.seconds for run in runs]
                result.exceptions += sum(bool(run.exceptions) for run in runs)
            result.edits = edits
            log(f"edits {result.url_path or 'home'}: " + ", ".join(
                f"{kind} {statistics.median(s) * 1000:.0f} ms" for kind, s in edits.items()))


def pages_and_edits(browser, repeats: int) -> list[PageResult]:
    with streamlit_server() as server:
        results = walk_pages(browser, server.url, server.pid)
        run_async(time_edits(server.url, results, repeats))
    return results


# -- 3. inference ----------------------------------------------------------------------------------------


def inference(repeats: int) -> list[tuple[str, float, float]]:
    """(stem, load ms, median predict ms) for every shipped checkpoint, one torch thread."""
    import torch

    from rnncore import checkpoint
    from rnncore.tasks.lm import inference as lm_inference
    from rnncore.tasks.ner import inference as ner_inference
    from rnncore.tasks.sentiment import inference as sentiment_inference
    from rnncore.tasks.sentiment.bow import BagOfWords
    from rnncore.text import Vocab, tokenize

    torch.set_num_threads(1)  # as the app serves each visitor (ui.shell.configure_torch_threads)
    tokens = tokenize(SAMPLE_TEXT)
    out = []
    for path in sorted((REPO_ROOT / "assets" / "models").glob("*.json"), key=lambda p: p.stem):
        stem = path.stem
        start = time.perf_counter()
        bag_of_words = checkpoint.read_meta(stem).get("model") == BagOfWords.__name__
        model, meta = BagOfWords.load(stem) if bag_of_words else checkpoint.load(stem)
        load_ms = (time.perf_counter() - start) * 1000
        task = meta.get("task")
        if bag_of_words:
            def call(model=model):
                return model.predict_proba([SAMPLE_TEXT])
        elif task == "ner":
            def call(model=model, meta=meta):
                return ner_inference.tag_tokens(model, meta, [tokens])
        elif task == "sentiment":
            def call(model=model, meta=meta):
                return sentiment_inference.star_probs(model, meta, [tokens])
        elif task == "lm":
            def call(model=model, meta=meta):
                return lm_inference.score(model, meta, SAMPLE_TEXT)
        elif task == "translate":
            from rnncore.tasks.translate.inference import translator_of

            translator = translator_of(model, meta)
            text = SAMPLE_TEXT if meta["source"] == "en" else "Sherlock Holmes et John Watson habitaient au 221B Baker Street à Londres."

            def call(translator=translator, text=text):
                return translator.translate([text], beam=1)
        elif task == "agreement":
            ids = torch.tensor([Vocab.from_dict(meta["vocab"]).encode(tokenize("The cat, which already ate,"))])

            def call(model=model, ids=ids):
                with torch.no_grad():
                    return model(ids)
        elif task == "forecast":
            from rnncore.tasks.forecast.recipe import one_step
            from rnncore.tasks.forecast.series import Scaling

            scaling, window = Scaling(**meta["scaling"]), meta["window"]
            mean, std = meta["scaling"]["mean"], meta["scaling"]["std"]
            history = [mean + std * ((i % 7) - 3) / 3 for i in range(2 * window + 1)]  # W values either side

            def call(model=model, history=history, window=window, scaling=scaling, look_ahead=meta["look_ahead"]):
                with torch.no_grad():
                    return one_step(model, history, [window], window, scaling, look_ahead)
        else:
            continue
        call()
        seconds = []
        for _ in range(repeats):
            start = time.perf_counter()
            call()
            seconds.append(time.perf_counter() - start)
        out.append((stem, load_ms, statistics.median(seconds) * 1000))
    return out


# -- 4. and 5. training ----------------------------------------------------------------------------------


def training_path(repeats: int) -> list[tuple[str, float, float]]:
    import torch

    from benchmarks.training_path import measure

    torch.set_num_threads(1)
    return [(kind, *measure(kind, 32, 30, 64, 64, repeats)) for kind in ("rnn", "gru", "lstm")]


def compare_lab() -> tuple[float, dict]:
    import torch

    from benchmarks.compare_lab import timed_run
    from rnncore.tasks.agreement.compare import CompareSettings, Comparison

    torch.set_num_threads(1)
    Comparison(CompareSettings(distance=1, epochs=1, n_train=64, n_test=20)).run()  # warm-up
    comparison, wall = timed_run(CompareSettings(), threads=1)
    return wall, comparison.summary()


# -- the table -------------------------------------------------------------------------------------------


def fmt_ms(seconds: list[float]) -> str:
    return f"{statistics.median(seconds) * 1000:.0f} (max {max(seconds) * 1000:.0f})"


def tables(results: dict) -> str:
    main: list[Row] = []
    if "cold" in results:
        apps, bares = results["cold"]
        ratio = statistics.median(apps) / statistics.median(bares)
        main.append(Row("Cold start to the first page drawn: app / bare Streamlit + torch, median s",
                        f"{statistics.median(apps):.1f} / {statistics.median(bares):.1f} = {ratio:.2f}x",
                        f"{COLD_START_RATIO}x", verdict(ratio <= COLD_START_RATIO)))
    if "pages" in results:
        pages: list[PageResult] = results["pages"]
        worst = max((statistics.median(s), p.title, kind) for p in pages for kind, s in (p.edits or {}).items())
        main.append(Row("Slowest page edit, median ms (server run; per page below)",
                        f"{worst[0] * 1000:.0f} ({worst[1]}: {worst[2]})", f"{INTERACTION_MS} ms",
                        verdict(worst[0] * 1000 <= INTERACTION_MS)))
        last = pages[-1].rss_after_mb
        main.append(Row("Server RSS after every page has been visited, MB", f"{last:.0f}", f"{RSS_MB} MB",
                        verdict(last <= RSS_MB)))
    if "training" in results:
        for kind, ours, ref in results["training"]:
            ratio = ours / ref
            main.append(Row(f"Training step, rnncore / torch.nn, {kind.upper()} (m=32, T_x=30, n_x=n_a=64)",
                            f"{ours * 1e3:.1f} / {ref * 1e3:.1f} ms = {ratio:.2f}x", f"{TRAINING_RATIO}x",
                            verdict(ratio <= TRAINING_RATIO)))
    if "compare" in results:
        wall, summary = results["compare"]
        accuracies = ", ".join(f"{arch} {row['accuracy']:.2f}" for arch, row in summary.items())
        main.append(Row(f"Compare lab, default run (four cells, 1 thread), wall s; accuracy {accuracies}",
                        f"{wall:.1f}", f"{COMPARE_S} s", verdict(wall <= COMPARE_S)))
    if "load" in results:
        load = results["load"]
        ws, drawn = load.latencies, load.browser_latencies
        main.append(Row(f"Class of {load.students}, {load.comparisons} of them training a comparison: edit latency "
                        f"p50 / p95 ms, websocket sessions (server run) · {load.browsers} in Chromium (drawn)",
                        f"{percentile(ws, 50) * 1000:.0f} / {percentile(ws, 95) * 1000:.0f} · "
                        f"{percentile(drawn, 50) * 1000:.0f} / {percentile(drawn, 95) * 1000:.0f}",
                        f"{INTERACTION_MS} ms", verdict(percentile(load.all_latencies, 95) * 1000 <= INTERACTION_MS)))
        main.append(Row("Class: errors / health-check p95 ms / peak server RSS MB",
                        f"{len(load.errors)} / {percentile(load.health, 95) * 1000:.0f} / {load.rss_peak_mb:.0f}",
                        f"0 / – / {RSS_MB} MB", verdict(not load.errors and load.rss_peak_mb <= RSS_MB)))
    if "load_server" in results:  # the same class with no Chromium drawing on the server's two cores
        load = results["load_server"]
        ws = load.latencies
        main.append(Row(f"The same class as {load.students} websocket sessions, no browser on this machine "
                        f"({load.comparisons} training): edit latency p50 / p95 ms; errors; peak RSS MB",
                        f"{percentile(ws, 50) * 1000:.0f} / {percentile(ws, 95) * 1000:.0f}; {len(load.errors)}; "
                        f"{load.rss_peak_mb:.0f}", f"{INTERACTION_MS} ms; 0; {RSS_MB} MB",
                        verdict(percentile(ws, 95) * 1000 <= INTERACTION_MS and not load.errors
                                and load.rss_peak_mb <= RSS_MB)))
    if "playback" in results:
        play = results["playback"]
        main.append(Row(f"{play.viewers} tabs playing the time-step player: server CPU playing / idle, % of a "
                        f"core over {play.window_s:.0f} s; websocket frames, script runs",
                        f"{play.share(play.playing_cpu_s):.1f} / {play.share(play.idle_cpu_s):.1f}; "
                        f"{play.frames_while_playing}, {play.runs_while_playing}",
                        "as idle; 0, 0",
                        verdict(play.frames_while_playing == 0 and play.runs_while_playing == 0
                                and play.steps_advanced > 0 and not play.errors)))
    if "soak" in results:
        soak = results["soak"]
        growth, slope = soak.rss_end_mb - soak.rss_start_mb, soak.slope_mb_per_100()
        main.append(Row(f"Soak, {soak.reruns} reruns in one session across all pages: RSS start → end MB "
                        f"(second-half slope MB/100 reruns), exceptions",
                        f"{soak.rss_start_mb:.0f} → {soak.rss_end_mb:.0f} ({slope:+.1f}), {len(soak.exceptions)}",
                        f"flat (≤ {SOAK_GROWTH_MB} MB), ≤ {RSS_MB} MB",
                        verdict(growth <= SOAK_GROWTH_MB and slope <= SOAK_SLOPE_MB and soak.rss_max_mb <= RSS_MB
                                and not soak.exceptions)))

    lines = ["| measured | this run | budget | |", "|---|---:|---:|---|"]
    lines += [f"| {r.what} | {r.measured} | {r.budget} | {r.verdict} |" for r in main]
    if "pages" in results:
        lines += ["", f"Per page (first render: sidebar click to drawn, in Chromium; edits: the server's run, "
                  f"median and max of {results['edit_repeats']}; RSS of the server after the page):", "",
                  "| page | first render ms | edit | edit ms | budget | RSS after MB | budget |",
                  "|---|---:|---|---:|---|---:|---|"]
        for p in results["pages"]:
            kinds = list((p.edits or {}).items()) or [("–", None)]
            for k, (kind, seconds) in enumerate(kinds):
                edit_ok = seconds is None or statistics.median(seconds) * 1000 <= INTERACTION_MS
                head = (f"| {p.title} | {p.first_render_ms:.0f} |" if k == 0 else "| | |")
                tail = (f" {p.rss_after_mb:.0f} | {verdict(p.rss_after_mb <= RSS_MB)} |" if k == 0 else " | |")
                lines.append(f"{head} {kind} | {fmt_ms(seconds) if seconds else '–'} | "
                             f"{verdict(edit_ok) if seconds else ''} |{tail}")
    if "load" in results:
        lines += ["", "The class in detail (`python -m benchmarks.class_load`; students arrive over "
                  f"{results['load_settings']['ramp']:.0f} s and think {results['load_settings']['think'][0]:.0f}–"
                  f"{results['load_settings']['think'][1]:.0f} s before each of "
                  f"{results['load_settings']['edits']} sentences):", "",
                  "| class load | with 3 Chromium | websocket sessions only |", "|---|---|---|"]
        server_only = dict(results["load_server"].summary_rows()) if "load_server" in results else {}
        lines += [f"| {name} | {value} | {server_only.get(name, '–')} |" for name, value in results["load"].summary_rows()]
    if "playback" in results:
        lines += ["", "Playback in detail (`python -m benchmarks.playback`):", "", "| playback | measured |",
                  "|---|---|"]
        lines += [f"| {name} | {value} |" for name, value in results["playback"].summary_rows()]
    if "soak" in results:
        lines += ["", "The soak in detail (`python -m benchmarks.soak`):", "", "| soak | measured |", "|---|---|"]
        lines += [f"| {name} | {value} |" for name, value in results["soak"].summary_rows()]
    if "inference" in results:
        lines += ["", "Inference of each shipped model on the notes' 13-token sentence, one torch thread "
                  "(load: safetensors + JSON to an eval-mode model):", "",
                  "| model | load ms | inference ms |", "|---|---:|---:|"]
        lines += [f"| `{stem}` | {load:.0f} | {ms:.2f} |" for stem, load, ms in results["inference"]]
    return "\n".join(lines)


def machine_line() -> str:
    import streamlit
    import torch

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT, capture_output=True,
                            text=True).stdout.strip()
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"Measured {dt.date.today().isoformat()} at commit `{commit}` by `python -m benchmarks.run_all` on "
            f"{len(os.sched_getaffinity(0))} shared CPUs ({platform.machine()}, load average {load} at the end), "
            f"Python {platform.python_version()}, torch {torch.__version__}, Streamlit {streamlit.__version__}.")


def write_readme(block: str, start: str = START, end: str = END) -> None:
    """Replace what README.md holds between the markers ``start`` and ``end`` with ``block``."""
    text = README.read_text(encoding="utf-8")
    if start not in text or end not in text:
        raise SystemExit(f"README.md has no {start} ... {end} markers to write between")
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    README.write_text(f"{head}{start}\n{block}\n{end}{tail}", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, a class of 10, a 100-rerun soak")
    parser.add_argument("--skip-load", action="store_true", help="no class load")
    parser.add_argument("--skip-soak", action="store_true", help="no soak")
    parser.add_argument("--no-readme", action="store_true", help="print the table, leave README.md alone")
    parser.add_argument("--repeats", type=int, default=None, help="cold starts of each app (default 3, quick 1)")
    args = parser.parse_args()
    quick = args.quick
    repeats = args.repeats or (1 if quick else 3)
    edit_repeats = 3 if quick else 7

    from playwright.sync_api import sync_playwright

    results: dict = {"edit_repeats": edit_repeats}
    log(f"load average at start: {os.getloadavg()[0]:.1f} on {len(os.sched_getaffinity(0))} CPUs")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        results["cold"] = cold_start(browser, repeats)
        results["pages"] = pages_and_edits(browser, edit_repeats)
        browser.close()
    log("inference")
    results["inference"] = inference(10 if quick else 30)
    log("training path")
    results["training"] = training_path(10 if quick else 30)
    log("compare lab")
    results["compare"] = compare_lab()
    if not args.skip_load:
        from benchmarks import class_load

        log("class load")
        results["load_settings"] = {"ramp": class_load.RAMP_S, "think": class_load.THINK_S, "edits": 3}
        results["load"] = class_load.measure(students=10 if quick else 30, browsers=1 if quick else 3,
                                             comparisons=2 if quick else 5, edits=3)
        class_load.print_result(results["load"])
        # Three Chromiums drawing thirty-odd page updates share this machine's two cores with the server:
        # the same class as websocket sessions only shows the server's own latency.
        log("class load, websocket sessions only")
        results["load_server"] = class_load.measure(students=10 if quick else 30, browsers=0,
                                                    comparisons=2 if quick else 5, edits=3)
        class_load.print_result(results["load_server"])
        from benchmarks import playback

        log("playback")
        results["playback"] = playback.measure(viewers=10 if quick else 30, window_s=10 if quick else 20)
        playback.print_result(results["playback"])
    if not args.skip_soak:
        from benchmarks import soak

        log("soak")
        results["soak"] = soak.measure(reruns=100 if quick else 500)
        soak.print_result(results["soak"])

    block = machine_line() + "\n\n" + tables(results)
    print(block)
    (REPO_ROOT / "benchmarks" / "out").mkdir(exist_ok=True)
    (REPO_ROOT / "benchmarks" / "out" / "last_run.md").write_text(block + "\n", encoding="utf-8")
    (REPO_ROOT / "benchmarks" / "out" / "last_run.json").write_text(
        json.dumps({"argv": sys.argv, "quick": quick}, indent=1), encoding="utf-8")
    if not args.no_readme:
        write_readme(block)
        log("README.md updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
