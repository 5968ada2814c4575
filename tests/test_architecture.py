"""The layout docs/ARCHITECTURE.md describes, checked on the source: imports point one way.

lessons -> ui -> rnncore; inside rnncore, cli -> explain -> tasks -> the shared pieces, a task only
importing its own package and the shared pieces. rnncore never imports Streamlit, never reads tests/,
and nothing in the repository points to a file outside it.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = {"rnncore", "rnncore.text", "rnncore.encoding", "rnncore.cells", "rnncore.layers", "rnncore.models",
          "rnncore.seq2seq",
          "rnncore.optim", "rnncore.checkpoint", "rnncore.metrics", "rnncore.plaintext", "rnncore.shipped",
          "rnncore.threads", "rnncore.training", "rnncore.turns", "rnncore.corpora", "rnncore.workers"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at any depth of the file (lazy imports inside functions count)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names
                      if (ROOT / (node.module + "." + alias.name).replace(".", "/")).with_suffix(".py").exists()}
    return found


def layer(module: str) -> str:
    if module == "rnncore.__main__":
        return "cli"
    if module in SHARED:
        return "shared"
    for prefix in ("rnncore.tasks", "rnncore.explain", "rnncore.cli"):
        if module == prefix or module.startswith(prefix + "."):
            return prefix.split(".")[1]
    top = module.split(".")[0]
    return top if top in ("ui", "lessons", "tests", "benchmarks", "scripts", "app") else "outside"


ALLOWED = {  # layer -> layers of this repository it may import
    "shared": {"shared"},
    "tasks": {"shared", "tasks"},
    "explain": {"shared", "tasks", "explain"},
    "cli": {"shared", "tasks", "explain", "cli"},
    "ui": {"shared", "tasks", "explain", "ui"},
    "lessons": {"shared", "tasks", "explain", "ui"},
}
SOURCES = sorted(p for folder in ("rnncore", "ui", "lessons") for p in (ROOT / folder).rglob("*.py"))


def task_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[2] if len(parts) > 2 and parts[1] == "tasks" else None


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_point_one_way(path):
    here = module_name(path)
    own = layer(here)
    ours = [m for m in imported_modules(path) if layer(m) != "outside"]
    wrong = [m for m in ours if layer(m) not in ALLOWED[own]]
    assert wrong == [], f"{here} ({own}) imports {wrong}"
    if own == "tasks" and task_of(here):  # one task never reaches into another: what they share sits below them
        others = [m for m in ours if layer(m) == "tasks" and task_of(m) not in (None, task_of(here))]
        assert others == [], f"{here} imports another task: {others}"


@pytest.mark.parametrize("path", sorted((ROOT / "rnncore").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_rnncore_never_imports_streamlit_nor_reads_tests(path):
    modules = imported_modules(path)
    assert not any(m == "streamlit" or m.startswith("streamlit.") for m in modules)
    assert not re.search(r"""["'/]tests/|/ "tests"|"tests" /""", path.read_text(encoding="utf-8"))


def test_nothing_points_outside_the_repository():
    """A clone is complete: no path into ../shared, no design notes that live elsewhere."""
    pattern = re.compile(r"\.\./shared|shared/(seeds|data|DESIGN|MODELS)|\bDESIGN\.md\b|\bMODELS\.md\b")
    offenders = []
    for path in ROOT.rglob("*"):
        if ".git" in path.parts or ".venv" in path.parts or not path.is_file() or path.suffix not in {
                ".py", ".md", ".toml", ".txt", ".sh", ".json", ".cfg", ".yml", ".yaml"}:
            continue
        if path == Path(__file__):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if pattern.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:80]}")
    assert offenders == []
