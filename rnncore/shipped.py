"""The one cache of shipped checkpoints: each is loaded once per process and shared read-only.

Every reader of a shipped recurrent model (the command line, the lessons through ui/, the gradient
views, the benchmarks) goes through :func:`load_shipped`, so a checkpoint is never held twice in
memory. The models come back in eval mode with gradients off (:func:`rnncore.checkpoint.load`); a
caller that needs to change one (a float64 copy for the gradient lesson) copies it first.
"""

from __future__ import annotations

import threading

from torch import nn

from rnncore import checkpoint

_models: dict[str, tuple[nn.Module, dict]] = {}
_lock = threading.Lock()  # two visitors opening a page at once must not load the same file twice


def load_shipped(stem: str) -> tuple[nn.Module, dict]:
    """``(model, meta)`` of a shipped checkpoint by name ("ner-birnn"), loaded once per process."""
    with _lock:
        if stem not in _models:
            _models[stem] = checkpoint.load(stem)
        return _models[stem]


def is_loaded(stem: str) -> bool:
    """Whether :func:`load_shipped` already holds ``stem`` (a page shows a spinner only the first time)."""
    return stem in _models


def forget(stem: str | None = None) -> None:
    """Drop one cached checkpoint (or all): after a file is rebuilt, or in tests that swap files."""
    with _lock:
        if stem is None:
            _models.clear()
        else:
            _models.pop(stem, None)
