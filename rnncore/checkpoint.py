"""Checkpoints: ``<stem>.safetensors`` (weights) beside ``<stem>.json`` (everything else).

The JSON holds the model class and its config (:class:`~rnncore.models.ModelConfig`, or the class's own
``config_class``),
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


class CheckpointError(ValueError):
    """A checkpoint that cannot be used: a file missing, unreadable, or weights that do not fit its JSON.
    The message names the file and what is wrong; nothing from the file was executed."""


def save(model: nn.Module, stem: str | Path, half: bool = False, **meta) -> Path:
    """Write the weights and a JSON of the model's class, config and ``meta``; returns the JSON path.

    ``half`` stores the weights as float16 (half the bytes); they are widened back to float32 on load,
    so only the rounding of the stored numbers changes. The JSON records which was used.
    """
    path = stem_path(stem)
    path.parent.mkdir(parents=True, exist_ok=True)
    tensors = {name: t.detach().contiguous().clone() for name, t in model.state_dict().items()}
    tensors = _drop_tied(model, tensors)
    if half:
        tensors = {name: t.half() if t.is_floating_point() else t for name, t in tensors.items()}
    save_file(tensors, str(path.with_suffix(".safetensors")))
    record = {"model": type(model).__name__, "config": model.config.to_dict(),
              "weights_dtype": "float16" if half else "float32", **meta}
    json_path = path.with_suffix(".json")
    json_path.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return json_path


def read_meta(stem: str | Path) -> dict:
    """The JSON half alone (metrics, vocabulary, command), without building the model."""
    path = stem_path(stem).with_suffix(".json")
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CheckpointError(f"{path.name}: the file is missing") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise CheckpointError(f"{path.name}: not a readable JSON file ({err})") from None
    if not isinstance(meta, dict):
        raise CheckpointError(f"{path.name}: expected a JSON object, found {type(meta).__name__}")
    return meta


def load(stem: str | Path) -> tuple[nn.Module, dict]:
    """Rebuild the model from its JSON, load its weights, and return it in eval mode with the JSON.

    Raises :class:`CheckpointError` naming the file for a missing, truncated or mismatched checkpoint.
    """
    meta = read_meta(stem)
    name = stem_path(stem).name
    cls = MODELS.get(meta.get("model"))
    if cls is None:
        raise CheckpointError(f"{name}.json: unknown model class {meta.get('model')!r}; expected one of {sorted(MODELS)}")
    try:
        model = cls(getattr(cls, "config_class", ModelConfig).from_dict(meta["config"]))
    except (KeyError, TypeError, ValueError) as err:
        raise CheckpointError(f"{name}.json: its config does not describe a model ({err})") from None
    weights = stem_path(stem).with_suffix(".safetensors")
    if not weights.is_file():
        raise CheckpointError(f"{weights.name}: the file is missing")
    try:
        tensors = load_file(str(weights))
    except Exception as err:  # safetensors reports a truncated or foreign file with its own error types
        raise CheckpointError(f"{weights.name}: not a readable safetensors file ({type(err).__name__}: {err})") from None
    tensors = {k: t.float() if t.is_floating_point() else t for k, t in tensors.items()}
    try:
        missing, unexpected = model.load_state_dict(tensors, strict=False)
    except RuntimeError as err:
        first = str(err).strip().splitlines()[-1].strip()
        raise CheckpointError(f"{weights.name}: the weights do not fit {name}.json ({first})") from None
    tied = {key for key in missing if _is_tied(model, key)}
    if set(missing) - tied or unexpected:
        raise CheckpointError(f"{weights.name}: the weights do not fit {name}.json "
                              f"(missing {sorted(set(missing) - tied)}, unexpected {sorted(unexpected)})")
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
    """What a checkpoint's JSON says about its model: size, held-out scores, sources, how it was trained.

    ``metrics`` maps "source/split" ("news/test", "web/dev", ...) and "classroom" to that set's scores,
    and "baseline" to the same keys for the baseline the training command computed beside the model.
    """

    arch: str
    params: int
    metrics: dict
    sources: list
    epochs: int  # epochs actually run (early stopping may end before the limit)
    minutes: float | None
    command: str

    def score(self, key: str, name: str, baseline: bool = False):
        """metrics[key][name] (or the baseline's), None when the checkpoint has no such figure."""
        table = self.metrics.get("baseline", {}) if baseline else self.metrics
        return table.get(key, {}).get(name)

    def source(self, name: str) -> dict:
        return next((s for s in self.sources if s.get("name") == name), {})


def checkpoint_facts(meta: dict) -> CheckpointFacts:
    training = meta.get("training", {})
    return CheckpointFacts(
        arch=meta["config"]["arch"],
        params=int(meta["params"]),
        metrics=dict(meta.get("metrics", {})),
        sources=list(meta.get("sources", [])),
        epochs=len(training.get("history", [])),
        minutes=training.get("minutes"),
        command=str(training.get("command", "")),
    )
