"""What the end-to-end tests and the benchmarks share: the app's pages as app.py declares them, a
`streamlit run` server on a free port, and that server's memory.

The pages are read from app.py's ``PAGES`` list (parsed, never imported: importing app.py would run
Streamlit calls), so a lesson added there, or the folder of lessons renamed, is picked up here with no
edit. URL paths follow Streamlit's own rule (streamlit.source_util.page_icon_and_name).
"""

from __future__ import annotations

import ast
import asyncio
import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
APP = REPO_ROOT / "app.py"
SERVER_START_LIMIT_S = 180  # a hung server fails; a slow one only waits


@dataclass(frozen=True)
class AppPage:
    path: str  # relative to the repository root, as written in app.py: "lessons/named_entities.py"
    title: str
    url_path: str  # "" for the default page, else what follows the server's address: "named_entities"
    default: bool

    @property
    def file(self) -> Path:
        return REPO_ROOT / self.path

    @property
    def stem(self) -> str:
        return Path(self.path).stem


def _literal(node: ast.AST):
    return ast.literal_eval(node)


def _inferred_url_path(path: str) -> str:
    from streamlit.source_util import page_icon_and_name

    return page_icon_and_name(Path(path))[1]


def app_pages(app: Path = APP) -> list[AppPage]:
    """Every ``st.Page(...)`` in app.py's ``PAGES = [...]``, in order."""
    tree = ast.parse(app.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "PAGES" for t in node.targets):
            pages = []
            for call in node.value.elts:
                kwargs = {kw.arg: _literal(kw.value) for kw in call.keywords}
                path = _literal(call.args[0]) if call.args else kwargs["page"]
                default = bool(kwargs.get("default", False))
                url_path = (kwargs.get("url_path") or _inferred_url_path(path)).strip("/")
                title = kwargs.get("title") or url_path.replace("_", " ")
                pages.append(AppPage(path, title, "" if default else url_path, default))
            return pages
    raise LookupError(f"no PAGES list in {app}")


# -- the server ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, process: subprocess.Popen, log: Path, limit_s: float = SERVER_START_LIMIT_S) -> float:
    """Seconds until ``/_stcore/health`` answers 200; raises with the log's tail if the server dies or hangs."""
    start = time.monotonic()
    while time.monotonic() - start < limit_s:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return time.monotonic() - start
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"streamlit did not answer within {limit_s} s:\n{log.read_text()[-3000:]}")


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log: Path
    started: float  # time.monotonic() just before the process was started

    @property
    def pid(self) -> int:
        return self.process.pid


@contextlib.contextmanager
def streamlit_server(script: Path = APP, log: Path | None = None, extra_args: Sequence[str] = (),
                     cwd: Path | None = None, port: int | None = None,
                     env: dict[str, str] | None = None) -> Iterator[Server]:
    """``streamlit run script`` headless on a local port (free, unless ``port``); stopped (terminate, then
    kill) on exit. ``env``: variables added to this process's environment (STREAMLIT_SERVER_COOKIE_SECRET)."""
    port = port or free_port()
    log = log or Path(os.environ.get("TMPDIR", "/tmp")) / f"streamlit-{port}.log"
    env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false", "STREAMLIT_SERVER_HEADLESS": "true",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])),
           **(env or {})}
    command = [
        sys.executable, "-m", "streamlit", "run", str(script),
        "--server.headless", "true",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--server.fileWatcherType", "none",
        *extra_args,
    ]  # fmt: skip
    with log.open("w") as log_file:
        started = time.monotonic()
        process = subprocess.Popen(command, cwd=cwd or script.parent, env=env, stdin=subprocess.DEVNULL,
                                   stdout=log_file, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process, log)
        yield Server(url, process, log, started)
    finally:
        stop_process(process, timeout=15)


def stop_process(process: subprocess.Popen, timeout: float) -> None:
    """SIGTERM, then SIGKILL if the process has not exited within ``timeout`` seconds."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# -- memory ----------------------------------------------------------------------------------------


def _status_kib(pid: int, field: str) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise LookupError(f"{field} not in /proc/{pid}/status")


def rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` now, in MB (VmRSS)."""
    return _status_kib(pid, "VmRSS") / 1024


def peak_rss_mb(pid: int) -> float:
    """The most resident memory ``pid`` has had since it started, in MB (the kernel's VmHWM)."""
    return _status_kib(pid, "VmHWM") / 1024


def descendants(pid: int) -> list[int]:
    """``pid``'s children, their children, ... (a server's training worker), from /proc."""
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            with contextlib.suppress(OSError):
                children = [int(c) for c in (task / "children").read_text().split()]
                found += children
                todo += children
    return found


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds ``pid`` has used so far (from /proc/<pid>/stat); 0 once it is gone."""
    ticks = os.sysconf("SC_CLK_TCK")
    with contextlib.suppress(OSError):
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            # Fields after the command name (which may hold spaces): utime and stime are 14 and 15.
            after_name = stat.read().rsplit(")", 1)[1].split()
        return (int(after_name[11]) + int(after_name[12])) / ticks
    return 0.0


def family_cpu_seconds(pid: int) -> float:
    """CPU seconds of ``pid`` and of every process it started that is still running (its worker)."""
    return sum(cpu_seconds(member) for member in [pid, *descendants(pid)])


def pss_mb(pid: int) -> float:
    """Proportional set size of ``pid`` in MB: its private pages plus its share of pages it shares (the
    torch libraries a server and its worker both map count once between them, not twice as in RSS)."""
    with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
        for line in rollup:
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    raise LookupError(f"no Pss in /proc/{pid}/smaps_rollup")


def family_memory_mb(pid: int) -> tuple[float, float]:
    """(RSS, PSS) in MB of ``pid`` and every process it started, added up: RSS counts shared library pages
    once per process (an upper bound), PSS divides them (what the processes hold between them)."""
    rss = pss = 0.0
    for member in [pid, *descendants(pid)]:
        with contextlib.suppress(OSError, LookupError):
            rss, pss = rss + rss_mb(member), pss + pss_mb(member)
    return rss, pss


class RssSampler:
    """Samples a process's RSS every ``interval`` seconds in a thread; ``samples`` holds (seconds, MB)."""

    def __init__(self, pid: int, interval: float = 0.25):
        self.pid, self.interval = pid, interval
        self.samples: list[tuple[float, float]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._start = time.monotonic()

    def _run(self) -> None:
        while not self._stop.is_set():
            with contextlib.suppress(OSError, LookupError):
                self.samples.append((time.monotonic() - self._start, rss_mb(self.pid)))
            self._stop.wait(self.interval)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def peak(self) -> float:
        return max((mb for _, mb in self.samples), default=float("nan"))


def run_async(coroutine):
    """``asyncio.run(coroutine)`` in a thread of its own, returning its result or raising its error.

    Sync Playwright (the tests' session browser) keeps an event loop running in the main thread, where
    asyncio.run would refuse to start another.
    """
    box: dict = {}

    def target() -> None:
        try:
            box["result"] = asyncio.run(coroutine)
        except BaseException as error:  # handed to the caller
            box["error"] = error

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box.get("result")


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0..100) by linear interpolation between closest ranks; NaN when empty."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * q / 100
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)
