"""What the hosted install resolves to: requirements.txt for Streamlit Community Cloud's platform.

    pip install uv==0.13.8        # once; the checks below that need it are skipped without it
    python -m scripts.hosted_install [--pip] [--uv PATH]

The host installs requirements.txt with ``uv pip install`` (and with pip if uv fails) on Linux x86_64,
Python 3.11. This machine cannot reach PyTorch's page of CPU wheels, which that file names, so the
checks resolve the same file as far as the machine allows and print what each found:

1. ``uv pip compile`` of requirements.txt for ``--python-platform x86_64-manylinux_2_28 --python-version
   3.11`` against PyPI, with PyPI's page of that one project replaced by a copy on loopback: an HTML page
   of links in the simple-index format, at the same path, listing the file of the same name
   (``torch-2.13.0+cpu-cp311-cp311-manylinux_2_28_x86_64.whl``) that this machine holds on disk. Every
   other package resolves from PyPI itself for the host's platform.
2. The same file as it is, with the real page unreachable: what uv does then (it must fail, not fall back
   to PyPI's CUDA build).
3. For contrast, ``torch==2.13.0`` with no ``+cpu`` and no page, for the same platform, from PyPI: the
   CUDA build and the packages it pulls in.
4. ``--pip``: ``pip install --dry-run --ignore-installed --report`` of requirements.txt on this machine
   (pip's own resolver; the wheel comes from the local find-links folder, the unreachable page costs
   retries: minutes here).
5. The Requires-Dist of the CPU wheel itself (the wheel's METADATA): what torch asks for on Linux.

Nothing is installed. Exit status 0 when every check that ran found the CPU build and no CUDA package.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import hashlib
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
REQUIREMENTS = REPO_ROOT / "requirements.txt"
PAGE = "https://download.pytorch.org/whl/cpu/torch/"
PLATFORM, PYTHON = "x86_64-manylinux_2_28", "3.11"
CUDA = re.compile(r"^(nvidia-|cuda-|triton\b|pytorch-triton)", re.IGNORECASE)
PIN = re.compile(r"^torch==(\S+?)\s*;", re.MULTILINE)


@dataclass
class Resolution:
    what: str
    command: str
    ok: bool | None = None  # None: not run
    packages: dict[str, str] = field(default_factory=dict)  # name -> version
    note: str = ""
    seconds: float = 0.0

    @property
    def torch(self) -> str:
        return self.packages.get("torch", "–")

    @property
    def cuda(self) -> list[str]:
        return sorted(name for name in self.packages if CUDA.match(name))


def cpu_pin() -> str:
    """The version requirements-app.txt pins torch to on Linux: "2.13.0+cpu"."""
    text = (REPO_ROOT / "requirements-app.txt").read_text(encoding="utf-8")
    return next(v for v in PIN.findall(text) if v.endswith("+cpu"))


def local_wheel(version: str) -> Path | None:
    """The CPU wheel for the host's platform among pip's find-links folders (PIP_FIND_LINKS, pip.conf)."""
    name = f"torch-{version}-cp311-cp311-manylinux_2_28_x86_64.whl"
    config = subprocess.run([sys.executable, "-m", "pip", "config", "list"], capture_output=True, text=True).stdout
    folders = re.findall(r"find-links='([^']+)'", config) + os.environ.get("PIP_FIND_LINKS", "").split()
    for folder in dict.fromkeys(f for entry in folders for f in entry.split()):
        candidate = Path(folder.removeprefix("file://")) / name
        if candidate.is_file():
            return candidate
    return None


def compiled(output: str) -> dict[str, str]:
    """``name==version`` lines of ``uv pip compile`` output."""
    found = {}
    for line in output.splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-]+)==(\S+)", line.strip())
        if match:
            found[match.group(1).lower().replace("_", "-")] = match.group(2)
    return found


def run(command: list[str], cwd: Path, env: dict | None = None) -> tuple[int, str, float]:
    start = time.monotonic()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env={**os.environ, **(env or {})})
    return done.returncode, done.stdout + done.stderr, time.monotonic() - start


# -- a loopback copy of the page ---------------------------------------------------------------------


@contextlib.contextmanager
def page_on_loopback(wheel: Path) -> Iterator[str]:
    """Serve ``/whl/cpu/torch/`` (one link, with the file's sha256, as a simple-index page has) and
    ``/whl/cpu/<wheel>`` on 127.0.0.1; yields the page's URL."""
    with tempfile.TemporaryDirectory(prefix="torch-page-") as name:
        root = Path(name)
        (root / "whl" / "cpu" / "torch").mkdir(parents=True)
        os.symlink(wheel, root / "whl" / "cpu" / wheel.name)
        digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
        href = f"/whl/cpu/{wheel.name.replace('+', '%2B')}#sha256={digest}"
        (root / "whl" / "cpu" / "torch" / "index.html").write_text(
            "<!DOCTYPE html>\n<html>\n  <body>\n    <h1>Links for torch</h1>\n"
            f'    <a href="{href}" data-requires-python="&gt;=3.10">{wheel.name}</a><br/>\n'
            "  </body>\n</html>\n", encoding="utf-8")
        handler = functools.partial(_QuietHandler, directory=str(root))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}/whl/cpu/torch/"
        finally:
            server.shutdown()
            thread.join()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def requirements_with_page(folder: Path, page: str) -> Path:
    """requirements.txt and requirements-app.txt copied to ``folder``, the page's URL replaced by ``page``."""
    text = REQUIREMENTS.read_text(encoding="utf-8")
    assert PAGE in text, f"requirements.txt no longer names {PAGE}"
    (folder / "requirements.txt").write_text(text.replace(PAGE, page), encoding="utf-8")
    shutil.copy(REPO_ROOT / "requirements-app.txt", folder / "requirements-app.txt")
    return folder / "requirements.txt"


# -- the checks ----------------------------------------------------------------------------------------


def uv_compile(uv: str, requirements: Path, what: str, shown: str) -> Resolution:
    command = [uv, "pip", "compile", str(requirements), "--python-platform", PLATFORM, "--python-version", PYTHON,
               "--no-config", "--no-header", "--no-annotate", "--quiet"]
    # No retries of an unreachable host: one failed lookup is the answer here.
    code, output, seconds = run(command, requirements.parent, {"UV_HTTP_RETRIES": "0"})
    result = Resolution(what, shown, packages=compiled(output) if code == 0 else {}, seconds=seconds)
    if code != 0:
        result.note = "uv failed: " + " ".join(line.strip() for line in output.strip().splitlines()[-3:])[:400]
    return result


def check_uv(uv: str, wheel: Path | None, version: str) -> list[Resolution]:
    results = []
    with tempfile.TemporaryDirectory(prefix="hosted-install-") as name:
        folder = Path(name)
        shown = f"uv pip compile requirements.txt --python-platform {PLATFORM} --python-version {PYTHON}"
        if wheel is None:
            results.append(Resolution("requirements.txt, the page on loopback", shown, None,
                                      note=f"no torch-{version} wheel for the host's platform on this machine"))
        else:
            with page_on_loopback(wheel) as page:
                mirrored = folder / "mirrored"
                mirrored.mkdir()
                result = uv_compile(uv, requirements_with_page(mirrored, page),
                                    "requirements.txt, PyTorch's page replaced by a loopback copy", shown)
            result.ok = result.torch == version and not result.cuda
            results.append(result)
        as_is = folder / "as-is"
        as_is.mkdir()
        shutil.copy(REQUIREMENTS, as_is / "requirements.txt")
        shutil.copy(REPO_ROOT / "requirements-app.txt", as_is / "requirements-app.txt")
        result = uv_compile(uv, as_is / "requirements.txt", "requirements.txt as it is, the page unreachable", shown)
        result.ok = not result.packages or (result.torch == version and not result.cuda)  # failing is the safe answer
        results.append(result)
        plain = folder / "plain.txt"
        plain.write_text(f"torch=={version.split('+')[0]}\n", encoding="utf-8")
        result = uv_compile(uv, plain, f"for contrast: torch=={version.split('+')[0]} from PyPI, no +cpu, no page",
                            f"uv pip compile (torch=={version.split('+')[0]}) --python-platform {PLATFORM}")
        results.append(result)  # ok stays None: this one is meant to show the CUDA build
    return results


def check_pip(version: str) -> Resolution:
    with tempfile.TemporaryDirectory(prefix="hosted-install-pip-") as name:
        report = Path(name) / "report.json"
        command = [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet",
                   "--report", str(report), "-r", str(REQUIREMENTS)]
        code, output, seconds = run(command, REPO_ROOT)
        shown = "pip install --dry-run --ignore-installed --report - -r requirements.txt (this machine)"
        result = Resolution("requirements.txt with pip on this machine (Linux x86_64, CPython 3.11)", shown,
                            seconds=seconds)
        if code != 0:
            result.ok, result.note = False, "pip failed: " + output.strip().splitlines()[-1][:300]
            return result
        installs = json.loads(report.read_text(encoding="utf-8"))["install"]
        result.packages = {item["metadata"]["name"].lower().replace("_", "-"): item["metadata"]["version"]
                           for item in installs}
        torch_item = next(item for item in installs if item["metadata"]["name"] == "torch")
        result.note = (f"torch from {torch_item['download_info']['url']}; "
                       f"{output.count('Retrying')} retries of the unreachable page")
        result.ok = result.torch == version and not result.cuda
        return result


def wheel_requirements(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        metadata = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        text = archive.read(metadata).decode("utf-8")
    return [line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("Requires-Dist:")]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uv", default=shutil.which("uv"), help="the uv binary (default: uv on PATH)")
    parser.add_argument("--pip", action="store_true", help="also resolve with pip on this machine (minutes here)")
    args = parser.parse_args()
    version = cpu_pin()
    wheel = local_wheel(version)
    results: list[Resolution] = []
    if args.uv:
        uv_version = subprocess.run([args.uv, "--version"], capture_output=True, text=True).stdout.strip()
        print(f"{uv_version}; resolving for {PLATFORM}, Python {PYTHON}")
        results += check_uv(args.uv, wheel, version)
    else:
        print("uv is missing (pip install uv==0.13.8): the uv checks are skipped")
    if args.pip:
        results.append(check_pip(version))
    print("\n| resolution | torch | CUDA packages | packages | s | |")
    print("|---|---|---|---:|---:|---|")
    for r in results:
        verdict = {True: "ok", False: "**wrong**", None: ""}[r.ok]
        cuda = f"{len(r.cuda)} ({', '.join(r.cuda[:4])}{', ...' if len(r.cuda) > 4 else ''})" if r.cuda else "none"
        print(f"| {r.what} | {r.torch} | {cuda if r.packages else '–'} | {len(r.packages) or '–'} | "
              f"{r.seconds:.1f} | {verdict} |")
    for r in results:
        print(f"\n{r.what}:\n  $ {r.command}")
        if r.packages:
            print("  " + " ".join(f"{n}=={v}" for n, v in sorted(r.packages.items())))
        if r.note:
            print(f"  {r.note}")
    if wheel is not None:
        print(f"\nRequires-Dist of {wheel.name}:\n  " + "\n  ".join(wheel_requirements(wheel)))
    return 0 if all(r.ok is not False for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
