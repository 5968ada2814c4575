"""How long one edit takes to re-render on each model lesson (budget in docs/ARCHITECTURE.md: under 300 ms).

Each page runs under Streamlit's AppTest in this process with the shipped checkpoints: one run to
load the models into st.cache_resource (and fit the bag-of-words baseline), then edits as a visitor
makes them, each timed from the widget change to the end of the script's rerun. AppTest's own
overhead (building and parsing the page's messages) is included, the browser's drawing and the
network are not. Prints the median and the slowest of each kind of edit; never asserts a time.

    python -m benchmarks.interaction_latency [--repeats 7] [--threads N]

By default torch uses the threads app.py sets (ui.shell.configure_torch_threads: the CPUs this
process may use); --threads overrides it, e.g. --threads 1 to compare.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import torch
from streamlit.testing.v1 import AppTest

from ui.models_ui import is_shipped
from ui.shell import configure_torch_threads

REPO = Path(__file__).resolve().parent.parent
TIMEOUT = 300

NER_TEXTS = [
    "He met with Apple representatives today.",
    "Sherlock Holmes and John Watson lived at 221B Baker Street in London.",
    "Teddy Roosevelt was a great president.",
]
REVIEWS = [
    "The plot was dull, but the acting was superb.",
    "I didn't enjoy the film at all.",
    "The room was tiny, but it was spotless and the staff were lovely.",
]
LM_TEXTS = ["The apple and pear salad", "The cat sat on the mat.", "The food was good and the room was clean."]


def timed(at: AppTest, edit: Callable[[AppTest], object]) -> float:
    start = time.perf_counter()
    edit(at).run()
    seconds = time.perf_counter() - start
    if at.exception:
        raise RuntimeError(f"the page raised: {[e.message for e in at.exception]}")
    return seconds


def measure(page: str, edits: dict[str, Callable[[AppTest, int], object]], repeats: int) -> dict[str, list[float]]:
    at = AppTest.from_file(str(REPO / page), default_timeout=TIMEOUT)
    start = time.perf_counter()
    at.run()
    first = time.perf_counter() - start
    results = {"first run (loads models)": [first]}
    for name, edit in edits.items():
        timed(at, lambda at, edit=edit: edit(at, 0))  # one warm-up per kind of edit
        results[name] = [timed(at, lambda at, edit=edit, i=i: edit(at, i + 1)) for i in range(repeats)]
    return results


def ner_edits() -> dict:
    archs = ["lstm", "birnn", "rnn", "gru"]
    return {
        "edit the sentence": lambda at, i: at.text_area(key="ner_text").input(NER_TEXTS[i % len(NER_TEXTS)]),
        "switch the architecture": lambda at, i: at.segmented_control(key="ner_arch").set_value(archs[i % 4]),
    }


def sentiment_edits() -> dict:
    archs = ["gru", "lstm", "birnn", "rnn"]
    return {
        "edit the review": lambda at, i: at.text_area(key="sent_text").input(REVIEWS[i % len(REVIEWS)]),
        "switch the architecture": lambda at, i: at.segmented_control(key="sent_arch").set_value(archs[i % 4]),
    }


def lm_edits() -> dict:
    return {
        "edit the first sentence": lambda at, i: at.text_area(key="lm_text").input(LM_TEXTS[i % len(LM_TEXTS)]),
        "change the seed (word samples)": lambda at, i: at.number_input(key="lm_seed").set_value(i + 1),
        "switch to characters": lambda at, i: at.segmented_control(key="lm_level").set_value(
            "char" if i % 2 == 0 else "word"
        ),
        "change the temperature": lambda at, i: at.slider(key="lm_temp").set_value([0.5, 1.5, 1.0][i % 3]),
    }


PAGES = {
    "Named entities": ("lessons/named_entities.py", ner_edits, ["ner-rnn", "ner-gru", "ner-lstm", "ner-birnn"]),
    "Sentiment": ("lessons/sentiment.py", sentiment_edits, [f"sentiment-{a}" for a in ("rnn", "gru", "lstm", "birnn")]),
    "Language model": (
        "lessons/language_model.py",
        lm_edits,
        [f"lm-{level}-{a}" for level in ("word", "char") for a in ("rnn", "gru", "lstm")],
    ),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--threads", type=int, default=0, help="torch threads (default: as app.py sets them)")
    args = parser.parse_args()
    threads = configure_torch_threads()
    if args.threads:
        torch.set_num_threads(args.threads)
        threads = args.threads
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"torch threads: {threads}; load average (1 min) at start: {load:.1f} on {os.cpu_count()} CPUs")
    print(f"{'page':<16} {'edit':<34} {'median ms':>10} {'slowest ms':>11}  budget 300 ms")
    for title, (page, edits, stems) in PAGES.items():
        missing = [stem for stem in stems if not is_shipped(stem)]
        if missing:
            print(f"{title:<16} skipped: not shipped yet: {', '.join(missing)}")
            continue
        for name, seconds in measure(page, edits(), args.repeats).items():
            median, slowest = statistics.median(seconds) * 1000, max(seconds) * 1000
            verdict = "" if name.startswith("first") else ("within" if median < 300 else "OVER")
            print(f"{title:<16} {name:<34} {median:>10.0f} {slowest:>11.0f}  {verdict}")


if __name__ == "__main__":
    main()
