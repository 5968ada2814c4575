"""The one cache of shipped checkpoints: each is loaded once per process and shared read-only.

Every reader of a shipped model (the command line, the lessons through ui/, the gradient views, the
benchmarks) goes through :func:`load_shipped`, so a checkpoint is never held twice in memory.
"""

from __future__ import annotations

from functools import lru_cache

from rnncore import checkpoint


@lru_cache(maxsize=32)
def load_shipped(stem: str):
    """A shipped checkpoint by name ("ner-birnn"), loaded once per process, read-only and in eval mode."""
    return checkpoint.load(stem)
