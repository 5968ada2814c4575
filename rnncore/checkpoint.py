"""Checkpoints: ``<stem>.safetensors`` (weights) beside ``<stem>.json`` (everything else).

The JSON holds the model class and its :class:`~rnncore.models.ModelConfig`,
and whatever the trainer adds: vocabulary, label names, the exact training
command, held-out metrics.  Weights are safetensors, never pickle: a hosted
app must not run code from a file it loads.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file
from torch import nn

from rnncore import ASSETS
from rnncore.models import MODELS, ModelConfig

MODELS_DIR = ASSETS / "models"


def stem_path(stem: str | Path) -> Path:
    """A bare name such as "ner-birnn" means the shipped file in assets/models."""
    path = Path(stem)
    return path if path.parent != Path(".") or path.is_absolute() else MODELS_DIR / path


def save(model: nn.Module, stem: str | Path, **meta) -> Path:
    """Write the weights and a JSON of the model's class, config and ``meta``; returns the JSON path."""
    path = stem_path(stem)
    path.parent.mkdir(parents=True, exist_ok=True)
    tensors = {name: t.detach().contiguous().clone() for name, t in model.state_dict().items()}
    tensors = _drop_tied(model, tensors)
    save_file(tensors, str(path.with_suffix(".safetensors")))
    record = {"model": type(model).__name__, "config": model.config.to_dict(), **meta}
    json_path = path.with_suffix(".json")
    json_path.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return json_path


def read_meta(stem: str | Path) -> dict:
    """The JSON half alone (metrics, vocabulary, command), without building the model."""
    return json.loads(stem_path(stem).with_suffix(".json").read_text(encoding="utf-8"))


def load(stem: str | Path) -> tuple[nn.Module, dict]:
    """Rebuild the model from its JSON, load its weights, and return it in eval mode with the JSON."""
    meta = read_meta(stem)
    cls = MODELS.get(meta.get("model"))
    if cls is None:
        raise ValueError(f"{stem}: unknown model class {meta.get('model')!r}; expected one of {sorted(MODELS)}")
    model = cls(ModelConfig.from_dict(meta["config"]))
    tensors = load_file(str(stem_path(stem).with_suffix(".safetensors")))
    missing, unexpected = model.load_state_dict(tensors, strict=False)
    tied = {name for name in missing if _is_tied(model, name)}
    if set(missing) - tied or unexpected:
        raise ValueError(f"{stem}: weights do not fit the config (missing {missing}, unexpected {unexpected})")
    model.eval()
    for p in model.parameters():
        p.requires_grad_(False)
    return model, meta


def _is_tied(model: nn.Module, name: str) -> bool:
    return name == "out.weight" and getattr(model.config, "tie_weights", False)


def _drop_tied(model: nn.Module, tensors: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """safetensors refuses shared storage; a tied output weight is rebuilt from E on load."""
    return {name: t for name, t in tensors.items() if not _is_tied(model, name)}


@dataclass(frozen=True)
class CheckpointFacts:
    """What a checkpoint's JSON says about its model: size, held-out scores, how it was trained."""

    arch: str
    params: int
    test: dict  # metrics on the held-out test split (frames and names never seen in training)
    challenge: dict  # metrics on the hand-written classroom set beside each task (rnncore/tasks/*/classroom.*) ({} if none)
    epochs: int  # epochs actually run (early stopping may end before the limit)
    command: str


def checkpoint_facts(meta: dict) -> CheckpointFacts:
    metrics = meta.get("metrics", {})
    training = meta.get("training", {})
    return CheckpointFacts(
        arch=meta["config"]["arch"],
        params=int(meta["params"]),
        test=dict(metrics.get("test", {})),
        challenge=dict(metrics.get("challenge", {})),
        epochs=len(training.get("history", [])),
        command=str(training.get("command", "")),
    )
