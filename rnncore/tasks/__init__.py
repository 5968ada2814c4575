"""The tasks rnncore trains and serves, one package each: ner, sentiment, lm (words and characters),
forecast, translate (English <-> French encoder-decoders), agreement (the Compare lab). Each owns its data sources, recipe, training, metrics and inference; the
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
    # one word model: an epoch over the real corpora is 15-17 CPU minutes at V = 10,000, so the recipe's
    # limit buys two epochs; the GRU and RNN would double the rebuild for a comparison no lesson makes
    + [("lm-word", "lstm")]
    + [("lm-char", arch) for arch in ("lstm", "gru", "rnn")]
    + [("forecast-temperature", arch) for arch in ("lstm", "gru", "rnn", "birnn")]
    + [(f"forecast-{series}", arch) for series in ("sunspots", "passengers") for arch in ("lstm", "gru", "rnn")]
    + [("translate-en-fr", "gru-attention"), ("translate-en-fr", "gru"), ("translate-fr-en", "gru-attention")]
)


def jobs(task: str, arch: str | None = None) -> list[tuple[str, str]]:
    """The shipped (task, arch) pairs that ``train TASK [--arch ARCH]`` rebuilds: "all", one task, or a
    family ("forecast" is every series' forecasters, "lm" both levels, "translate" both directions); ARCH
    names one model exactly, so for translation ``--arch gru`` is the GRU without attention and
    ``--arch gru-attention`` the one with it: each shipped file can be rebuilt alone."""
    return [(t, a) for t, a in SHIPPED if (task in ("all", t) or t.startswith(task + "-")) and arch in (None, a)]


def train_task(task: str, arch: str, out_dir: Path | None = None, seed: int = 0, data_dir: Path | None = None,
               data: Sequence[Path] = (), progress: Progress | None = print_progress,
               argv: Sequence[str] | None = None, cfg: TrainConfig | None = None) -> dict:
    """Train one shipped model (task in ner, sentiment, lm-word, lm-char) into ``out_dir/<task>-<arch>``,
    from the real corpora under ``data_dir`` (laid out as the README's Data section lists them) or from
    the user's own ``data`` files."""
    out = (out_dir or checkpoint.MODELS_DIR) / f"{task}-{arch}"
    if task == "ner":
        from rnncore.tasks.ner.recipe import train_ner

        return train_ner(arch, out, seed, data_dir, data, cfg, progress, argv)
    if task == "sentiment":
        from rnncore.tasks.sentiment.recipe import train_sentiment

        return train_sentiment(arch, out, seed, data_dir, data, cfg, progress, argv)
    if task in ("lm-word", "lm-char"):
        from rnncore.tasks.lm.recipe import train_lm

        return train_lm(arch, task.split("-")[1], out, seed, data_dir, data, cfg, progress, argv)
    if task.startswith("translate-"):
        from rnncore.tasks.translate.recipe import train_translation

        source, target = task.removeprefix("translate-").split("-")
        return train_translation(source, target, arch, out, seed, data_dir, data, cfg, progress, argv)
    if task.startswith("forecast-"):
        from rnncore.tasks.forecast.recipe import train_forecaster

        return train_forecaster(task.removeprefix("forecast-"), arch, out, seed, data_dir, data, cfg, progress, argv)
    raise ValueError(f"unknown task {task!r}; expected one of {sorted({t for t, _ in SHIPPED})}")
