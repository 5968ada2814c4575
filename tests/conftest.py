"""Shared test helpers: the repository root and a factory for Streamlit AppTests.

Pages are run with ``streamlit.testing.v1.AppTest`` from absolute paths, with a generous timeout
because the first run in a process imports torch (a timeout here means "hung", never "slow").
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

REPO_ROOT = Path(__file__).resolve().parent.parent


def fresh_python(code: str, timeout: float = 300) -> list[str]:
    """Run ``code`` in a new Python process at the repository root (nothing imported yet, as a
    server starts); returns the words it printed."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout,
                          cwd=REPO_ROOT, check=True)
    return done.stdout.split()
APPTEST_TIMEOUT = 60


def make_app_test(relative_path: str, query_params: dict[str, str] | None = None) -> AppTest:
    """An AppTest of ``relative_path`` (from the repository root), run once, with optional URL params."""
    at = AppTest.from_file(str(REPO_ROOT / relative_path), default_timeout=APPTEST_TIMEOUT)
    at.query_params.update(query_params or {})
    return at.run()


@pytest.fixture
def app_test() -> Callable[..., AppTest]:
    """``app_test("lessons/words_to_vectors.py", {"w2v_text": "..."})`` -> an AppTest that has run."""
    return make_app_test
