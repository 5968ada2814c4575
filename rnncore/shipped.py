"""The one cache of shipped checkpoints: each is loaded once per process and shared read-only.

Every reader of a shipped recurrent model (the command line, the lessons through ui/, the gradient
views, the benchmarks) goes through :func:`load_shipped`, so a checkpoint is never held twice in
memory. The models come back in eval mode with gradients off (:func:`rnncore.checkpoint.load`); a
caller that needs to change one (a float64 copy for the gradient lesson) copies it first.
"""

from __future__ import annotations

import threading
from pathlib import Path

from torch import nn

from rnncore import checkpoint

_models: dict[Path, tuple[nn.Module, dict]] = {}  # keyed by the file, so another models folder is another entry
_lock = threading.Lock()  # two visitors opening a page at once must not load the same file twice


def load_shipped(stem: str) -> tuple[nn.Module, dict]:
    """``(model, meta)`` of a shipped checkpoint by name ("ner-birnn"), loaded once per process."""
    path = checkpoint.stem_path(stem).resolve()
    with _lock:
        if path not in _models:
            _models[path] = checkpoint.load(path)
        return _models[path]


def is_loaded(stem: str) -> bool:
    """Whether :func:`load_shipped` already holds ``stem`` (a page shows a spinner only the first time)."""
    return checkpoint.stem_path(stem).resolve() in _models


