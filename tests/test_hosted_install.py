"""The dependency files: the host's requirements.txt gets the CPU build of torch, CI's install never
reads the line naming PyTorch's page (this machine cannot reach it; pip retries it for every package).
What the files resolve to for the host's platform is checked by ``python -m scripts.hosted_install``."""

from __future__ import annotations

import re
import sys

import torch

from scripts.hosted_install import PAGE, cpu_pin
from tests.conftest import REPO_ROOT


def lines(name: str) -> list[str]:
    text = (REPO_ROOT / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def test_the_hosts_file_names_the_cpu_page_and_the_apps_pins():
    assert lines("requirements.txt") == [f"--find-links {PAGE}", "-r requirements-app.txt"]
    assert cpu_pin() == f"{torch.__version__.split('+')[0]}+cpu"
    pins = [line for line in lines("requirements-app.txt") if line.startswith("torch")]
    assert pins == [f"torch=={cpu_pin()} ; sys_platform != \"darwin\"",
                    f"torch=={cpu_pin().split('+')[0]} ; sys_platform == \"darwin\""]


def test_tests_and_ci_install_the_same_pins_without_the_page():
    for name in ("requirements-dev.txt", "requirements-bench.txt"):
        for line in lines(name):
            assert "requirements.txt" not in line.split() and "download.pytorch.org" not in line, (name, line)
    assert "-r requirements-app.txt" in lines("requirements-dev.txt")
    assert "[tool.uv]" not in (REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8")


def test_this_machine_runs_the_cpu_build():
    if sys.platform == "linux":
        assert torch.__version__ == cpu_pin() and torch.version.cuda is None
    assert re.search(r"torch_source=\(--find-links \"\$TORCH_PAGE\"\)", (REPO_ROOT / "scripts/test.sh").read_text())
