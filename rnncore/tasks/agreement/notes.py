"""The notes' example on the shipped agreement models: "The cat, which already ate ..., was full" stretched
to any length, and whether those models are installed.
"""

from __future__ import annotations

import random

NOTES_LABEL = 0  # "was": the notes' subject is "the cat", singular


FRAME_STEPS = 7  # "the cat , which already ate" + the closing ","; the clause fills the rest


def agreement_stem(arch: str) -> str:
    return f"agreement-{arch}"


def agreement_model_available(arch: str) -> bool:
    """True when assets/models/agreement-<arch>.{json,safetensors} are both there."""
    from rnncore.checkpoint import stem_path

    path = stem_path(agreement_stem(arch))
    return path.with_suffix(".json").is_file() and path.with_suffix(".safetensors").is_file()


def notes_example(steps: int, seed: int = 0) -> list[str]:
    """The notes' example, "the cat , which already ate ... ,", with a seeded clause making it exactly ``steps`` tokens.

    The agreement models read up to the comma and answer with the verb: "was" (the cat is singular).
    """
    from rnncore.tasks.agreement import data as agreement

    if steps < FRAME_STEPS:
        raise ValueError(f"the notes' example needs at least {FRAME_STEPS} steps, got {steps}")
    rng = random.Random(f"notes-example-{seed}")
    return [
        "the",
        "cat",
        ",",
        *agreement.FRAME_BEFORE_CLAUSE,
        *agreement.clause(steps - FRAME_STEPS, rng),
        ",",
    ]
