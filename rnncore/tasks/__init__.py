"""The tasks rnncore trains and serves, one package each: ner, sentiment, lm (words and characters),
agreement (the Compare lab). Each owns its data sources, recipe, training, metrics and inference; the
shared pieces (cells, layers, models, checkpoint, text, encoding, the training loop) sit below them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rnncore import checkpoint
from rnncore.training import Progress, TrainConfig, print_progress

SHIPPED = (
    [("ner", arch) for arch in ("birnn", "lstm", "gru", "rnn")]
    + [("sentiment", arch) for arch in ("lstm", "gru", "rnn", "birnn")]
    + [("lm-word", arch) for arch in ("lstm", "gru", "rnn")]
    + [("lm-char", arch) for arch in ("lstm", "gru", "rnn")]
)


def train_task(task: str, arch: str, out_dir: Path | None = None, seed: int = 0, data: Path | None = None,
               progress: Progress | None = print_progress, argv: Sequence[str] | None = None,
               cfg: TrainConfig | None = None) -> dict:
    """Train one shipped model (task in ner, sentiment, lm-word, lm-char) into ``out_dir/<task>-<arch>``."""
    out = (out_dir or checkpoint.MODELS_DIR) / f"{task}-{arch}"
    if task == "ner":
        from rnncore.tasks.ner.recipe import train_ner


        return train_ner(arch, out, seed, data, cfg, progress, argv)
    if task == "sentiment":
        from rnncore.tasks.sentiment.recipe import train_sentiment

        return train_sentiment(arch, out, seed, data, cfg, progress, argv)
    if task in ("lm-word", "lm-char"):
        from rnncore.tasks.lm.recipe import train_lm

        return train_lm(arch, task.split("-")[1], out, seed, data, cfg, progress, argv)
    raise ValueError(f"unknown task {task!r}; expected ner, sentiment, lm-word, lm-char or all")
