"""Server memory after every page, with the torch build this machine has (the hosted one: +cpu).

    python -m benchmarks.memory [--train]

Starts `streamlit run app.py`, opens every page of app.py in one websocket session (the server does
what a tab's visit makes it do: models load into its cache, figures are built) and prints the server's
RSS and PSS after each; ``--train`` then presses Train live on the Compare lab with its default
settings and prints the server and its training worker after the run (the worker is a process of its
own, started on the first live run). Also printed: which torch build the server runs, whether any CUDA
library is mapped into it, and what the torch installation holds on disk. Never a pass/fail.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.streamlit_client import StreamlitClient, click
from tests.browser.harness import (
    app_pages,
    descendants,
    family_memory_mb,
    pss_mb,
    rss_mb,
    run_async,
    streamlit_server,
)

RSS_BUDGET_MB = 600  # docs/ARCHITECTURE.md: after every page has been visited
CUDA_LIBRARY = re.compile(r"lib(cuda|cudart|cublas|cudnn|nccl|nvrtc|cusparse|cufft|curand)[^/]*\.so", re.IGNORECASE)


@dataclass
class PageMemory:
    title: str
    rss_mb: float
    pss_mb: float
    exceptions: list[str]


@dataclass
class MemoryResult:
    torch_version: str
    cuda_built: str  # torch.version.cuda, "None" for the CPU build
    torch_disk_mb: float
    fresh_rss_mb: float = float("nan")
    pages: list[PageMemory] = field(default_factory=list)
    cuda_libraries: list[str] = field(default_factory=list)  # CUDA libraries mapped into the server
    trained: bool = False
    after_training: tuple[float, float] = (float("nan"), float("nan"))  # server RSS, worker RSS
    family_after_training: tuple[float, float] = (float("nan"), float("nan"))  # server + worker: RSS, PSS

    def rows(self) -> list[tuple[str, str]]:
        last = self.pages[-1]
        rows = [
            ("torch build in the server", f"{self.torch_version} (CUDA: {self.cuda_built}); CUDA libraries mapped: "
                                          f"{len(self.cuda_libraries)}; torch on disk {self.torch_disk_mb:.0f} MB"),
            ("server RSS fresh (health answered, no page yet), MB", f"{self.fresh_rss_mb:.0f}"),
            ("server RSS after every page has been visited, MB (PSS)",
             f"{last.rss_mb:.0f} ({last.pss_mb:.0f}) of {RSS_BUDGET_MB}"),
            ("after each page, RSS MB", " · ".join(f"{p.title} {p.rss_mb:.0f}" for p in self.pages)),
            ("exceptions on the pages", "; ".join(f"{p.title}: {e[:120]}" for p in self.pages for e in p.exceptions) or "0"),
        ]
        if self.trained:
            rows.append(("after a live run (Compare lab, default settings): server / training worker RSS MB; "
                         "both together RSS (PSS)",
                         f"{self.after_training[0]:.0f} / {self.after_training[1]:.0f}; "
                         f"{self.family_after_training[0]:.0f} ({self.family_after_training[1]:.0f})"))
        return rows


def torch_build() -> tuple[str, str, float]:
    import torch

    folder = Path(torch.__file__).parent
    size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
    return torch.__version__, str(torch.version.cuda), size / 2**20


def mapped_cuda_libraries(pid: int) -> list[str]:
    with open(f"/proc/{pid}/maps", encoding="utf-8", errors="replace") as maps:
        paths = {line.split()[-1] for line in maps if "/" in line}
    return sorted(p for p in paths if CUDA_LIBRARY.search(os.path.basename(p)))


async def walk(url: str, pid: int, result: MemoryResult, train: bool) -> None:
    async with StreamlitClient(url) as client:
        for page in app_pages():
            run = await client.open(page.url_path)
            result.pages.append(PageMemory(page.title, rss_mb(pid), pss_mb(pid), run.exceptions))
        if train:
            lab = await client.open("compare")
            run = await client.run([click(lab.widget_id("button", "cmp_train"))])
            result.trained = "Your run (" in run.text() and not run.exceptions
            await asyncio.sleep(1.0)
            workers = [child for child in descendants(pid) if "spawn_main" in _cmdline(child)]
            result.after_training = (rss_mb(pid), sum(rss_mb(w) for w in workers) if workers else float("nan"))
            result.family_after_training = family_memory_mb(pid)


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def measure(train: bool = True) -> MemoryResult:
    result = MemoryResult(*torch_build())
    with streamlit_server() as server:
        result.fresh_rss_mb = rss_mb(server.pid)
        run_async(walk(server.url, server.pid, result, train))
        result.cuda_libraries = mapped_cuda_libraries(server.pid)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", action="store_true", help="also one live run on the Compare lab")
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    result = measure(args.train)
    print("| memory | measured |\n|---|---|")
    for name, value in result.rows():
        print(f"| {name} | {value} |")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
