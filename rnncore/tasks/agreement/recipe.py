"""How the shipped agreement models and the Compare lab's cached record are made and written.

The Compare lab's default run (:class:`rnncore.tasks.agreement.compare.Comparison` with default
settings) is trained once by :data:`SHIPPED_COMMAND`; its record (curves, accuracy by distance) becomes
assets/compare/default.json, which the page draws without training, and its four models become
assets/models/agreement-<arch>, which the gradient lesson reads. The same command trains the comparison
at every distance of the sweep (:mod:`rnncore.tasks.agreement.sweep`); its record becomes
assets/compare/sweep/sweep.json and the models of the other distances assets/compare/sweep/agreement-<arch>-d<D>.
"""

from __future__ import annotations

import json
from pathlib import Path

SHIPPED_COMMAND = ("python -m rnncore compare --save assets/compare/default.json --save-models assets/models "
                   "--save-sweep assets/compare/sweep")
SWEEP_RECORD = "sweep.json"  # in the --save-sweep directory, beside the models of the other distances


def save_record(comparison, path: Path, command: str) -> None:
    import torch

    record = comparison.record() | {"command": command, "torch": torch.__version__}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")


def sweep_stem(arch: str, distance: int, task: str = "agreement") -> str:
    return f"{task}-{arch}-d{distance}"


def save_sweep(sweep, directory: Path, command: str, with_set_distance: bool = False) -> None:
    """The sweep's record, and the models of every distance but the set one (whose models
    :func:`save_models` writes), or of every distance with ``with_set_distance``."""
    import torch

    task = sweep.settings.task
    for distance, comparison in sweep.comparisons.items():
        if distance != sweep.settings.distance or with_set_distance:
            save_models(comparison, directory, command, stem=lambda arch, d=distance: sweep_stem(arch, d, task))
    record = sweep.record() | {"command": command, "torch": torch.__version__}
    directory.mkdir(parents=True, exist_ok=True)
    (directory / SWEEP_RECORD).write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")


def save_models(comparison, directory: Path, command: str, stem=None) -> None:
    """Each cell's model as directory/<task>-<arch> (or ``stem(arch)``), with its settings and metrics."""
    from rnncore import checkpoint
    from rnncore.tasks.agreement import data as agreement

    settings = comparison.settings
    labels = agreement.LABELS if settings.task == "agreement" else agreement.LOOKAHEAD_LABELS
    for arch, arch_run in comparison.runs.items():
        checkpoint.save(
            arch_run.model,
            directory / (stem(arch) if stem else f"{settings.task}-{arch}"),
            task=settings.task,
            vocab=comparison.data.vocab.to_dict(),
            labels=list(labels),
            input=agreement.INPUT_FORMAT[settings.task],
            example=agreement.sentence_text(comparison.data.examples[0], settings.task),
            command=command,
            settings=settings.to_dict(),
            metrics={
                "accuracy": comparison.accuracy_at_distance(arch),
                "distance": settings.distance,
                "accuracy_by_distance": {str(d): a for d, a in sorted(arch_run.accuracy_by_distance.items())},
                "params": arch_run.params,
                "seconds": round(arch_run.seconds, 3),
                "epochs": arch_run.epochs_done,
                "n_test_per_distance": settings.n_test,
            },
        )
