"""Hosting measurements in one command; writes the README's hosting table.

    python -m benchmarks.hosting                  # everything (about 10 minutes on 2 cores)
    python -m benchmarks.hosting --only replicas,kill --no-readme
    python -m benchmarks.hosting --quick --no-readme   # small sizes: checks that every part runs

Parts, each printed as it ends:

- ``memory``: the server's RSS after every page with this machine's torch build, and server + training
  worker after a live run (benchmarks/memory.py);
- ``replicas``: a class of 60 websocket sessions (5 training a comparison) through nginx to 2 replicas,
  each session with the cookies a browser gets (benchmarks/replicas.py): edit latency, errors, RSS per
  replica, sessions that moved;
- ``kill``: the same class, replica 1 killed (SIGKILL) ``--kill-after`` seconds in: what its visitors
  met, and whether anyone on the other replica saw an error;
- ``class``: a class of 30 on one server, live training in the worker: websocket sessions only, and
  again with 3 of them in Chromium (benchmarks/class_load.py);
- ``closed``: how long a live run holds the turn after its tab is closed, reset or silently lost
  (benchmarks/closed_tab.py).

The table lands between ``<!-- hosting:start -->`` and ``<!-- hosting:end -->`` in README.md, with the
load average before and after each part: timings from a shared machine, never a pass/fail.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import subprocess
import sys
import time

from benchmarks import run_all
from tests.browser.harness import REPO_ROOT, percentile

START, END = "<!-- hosting:start -->", "<!-- hosting:end -->"
PARTS = ("memory", "replicas", "kill", "class", "closed")
INTERACTION_MS, RSS_MB = 300, 600  # docs/ARCHITECTURE.md


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def verdict(ok: bool) -> str:
    return "ok" if ok else "**over**"


def run_parts(parts: list[str], quick: bool, kill_after: float) -> list[str]:
    """Each part's markdown lines, measured now."""
    out: list[str] = []
    if "memory" in parts:
        from benchmarks import memory

        before = load()
        log("memory after every page")
        result = memory.measure(train=True)
        out += ["", f"**Memory with the CPU build** (`python -m benchmarks.memory --train`; load average {before} "
                f"before, {load()} after):", "", "| memory | measured |", "|---|---|"]
        out += [f"| {name} | {value} |" for name, value in result.rows()]
        print("\n".join(out[-len(result.rows()):]), flush=True)
    for part in ("replicas", "kill"):
        if part not in parts:
            continue
        from benchmarks import replicas

        students = 12 if quick else 60
        before = load()
        log(f"a class of {students} over 2 replicas{' with replica 1 killed' if part == 'kill' else ''}")
        result = replicas.measure_class(2, students, comparisons=2 if quick else 5,
                                        kill_after=kill_after if part == "kill" else None)
        rows = replicas.class_rows(result)
        ms = [x * 1000 for x in result.load.latencies]
        title = (f"**{students} sessions through nginx to 2 replicas** (`python -m benchmarks.replicas --class "
                 f"{students}`)" if part == "replicas" else
                 f"**The same class, replica 1 killed {kill_after:.0f} s in** (`python -m benchmarks.replicas --class "
                 f"{students} --kill-after {kill_after:.0f}`)")
        out += ["", f"{title}; load average {before} before, {load()} after; edit p95 "
                f"{percentile(ms, 95):.0f} ms against {INTERACTION_MS} ms: "
                f"{verdict(percentile(ms, 95) <= INTERACTION_MS)}:", "", "| through the balancer | measured |", "|---|---|"]
        out += [f"| {name} | {value} |" for name, value in rows]
        out += [f"| error | {e[:200]} |" for e in result.load.errors[:5]]
        print("\n".join(out[-len(rows):]), flush=True)
    if "class" in parts:
        from benchmarks import class_load

        students = 10 if quick else 30
        results = {}
        loads = {}
        for name, browsers in (("websocket sessions only", 0), ("with 3 in Chromium", 1 if quick else 3)):
            before = load()
            log(f"a class of {students} on one server, {name}")
            results[name] = class_load.measure(students=students, browsers=browsers, comparisons=2 if quick else 5)
            loads[name] = f"{before} → {load()}"
            class_load.print_result(results[name])
        ws = results["websocket sessions only"].latencies
        out += ["", f"**A class of {students} on one server, live training in the worker** (`python -m "
                f"benchmarks.class_load`; websocket-only edit p95 {percentile(ws, 95) * 1000:.0f} ms against "
                f"{INTERACTION_MS} ms: {verdict(percentile(ws, 95) * 1000 <= INTERACTION_MS)}):", "",
                "| class load | " + " | ".join(results) + " |", "|---|" + "---|" * len(results)]
        table = {name: dict(r.summary_rows()) for name, r in results.items()}
        for row in next(iter(table.values())):
            out.append(f"| {row} | " + " | ".join(t.get(row, "–") for t in table.values()) + " |")
        out.append("| load average before → after | " + " | ".join(loads.values()) + " |")
        for name, r in results.items():
            out += [f"| error ({name}) | {e[:200]} |" for e in r.errors[:5]]
    if "closed" in parts:
        from benchmarks import closed_tab
        from ui.compare_ui import UNREAD_LIMIT_S

        before = load()
        log("a tab gone during a live run")
        handovers = closed_tab.measure()
        out += ["", f"**A tab gone during a live run** (`python -m benchmarks.closed_tab`: the largest settings, "
                f"{closed_tab.LONG.replace('&', ', ')}, a second visitor in line; load average {before} before, "
                f"{load()} after). The run is given up {UNREAD_LIMIT_S:.0f} s after its page last read it, within one "
                "batch, and the next visitor's run starts; a silently lost connection first needs Streamlit to "
                "notice it (unanswered websocket pings):", "", "| gone | → the next visitor training, s |", "|---|---:|"]
        out += [f"| {closed_tab.DESCRIBED[h.how]} | {h.seconds:.1f} |" for h in handovers]
        print("\n".join(out[-len(handovers):]), flush=True)
    return out


def machine_line(started: str) -> str:
    import streamlit
    import torch

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT, capture_output=True,
                            text=True).stdout.strip()
    nginx = subprocess.run(["/usr/sbin/nginx", "-v"], capture_output=True, text=True).stderr.strip()
    return (f"Measured {dt.date.today().isoformat()} at commit `{commit}` by `python -m benchmarks.hosting` on "
            f"{len(os.sched_getaffinity(0))} shared CPUs ({platform.machine()}; load average {started} at the start, "
            f"{load()} at the end), Python {platform.python_version()}, torch {torch.__version__}, Streamlit "
            f"{streamlit.__version__}, {nginx.replace('nginx version: ', '')}.")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(PARTS), help=f"comma-separated parts of {', '.join(PARTS)}")
    parser.add_argument("--quick", action="store_true", help="small classes: checks that every part runs")
    parser.add_argument("--kill-after", type=float, default=25.0, help="kill: seconds into the class")
    parser.add_argument("--no-readme", action="store_true", help="print the table, leave README.md alone")
    parser.add_argument("--note", default="", help="a sentence for the table's first line (other load, ...)")
    args = parser.parse_args()
    parts = [p for p in args.only.split(",") if p]
    unknown = set(parts) - set(PARTS)
    if unknown:
        parser.error(f"unknown parts: {', '.join(sorted(unknown))}")
    started = load()
    lines = run_parts(parts, args.quick, args.kill_after)
    block = machine_line(started) + (f" {args.note}" if args.note else "") + "\n" + "\n".join(lines)
    print(block)
    (REPO_ROOT / "benchmarks" / "out").mkdir(exist_ok=True)
    (REPO_ROOT / "benchmarks" / "out" / "hosting.md").write_text(block + "\n", encoding="utf-8")
    if not args.no_readme and not args.quick:
        run_all.write_readme(block, START, END)
        log("README.md updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
