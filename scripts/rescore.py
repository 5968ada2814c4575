"""Measure a shipped checkpoint's held-out figures again on its weights as shipped, and rewrite its JSON.

For when the evaluation changes but the training does not (e.g. figures first measured on the float32
weights before they were stored as float16): retraining would cost minutes per model and change nothing
else. Only "metrics" is rewritten; "training" gains the command that did it.

    python -m scripts.rescore ner-lstm sentiment-lstm --data-dir DATA
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from pathlib import Path

from rnncore import checkpoint
from rnncore.training import DATA_PLACEHOLDER


def fresh_metrics(stem: str, model, meta: dict, data_dir: Path) -> dict:
    seed = int(meta["training"].get("seed", 0))
    if meta["task"] == "ner":
        from rnncore.tasks.ner import recipe

        return recipe.evaluate(model, meta, recipe.sources(data_dir, (), seed))
    if meta["task"] == "sentiment":
        from rnncore.tasks.sentiment import recipe

        splits, _, _ = recipe.sources(data_dir, (), seed)
        # the bag of words' figures do not depend on these weights: kept as its fit wrote them
        return {**recipe.evaluate(model, splits), "baseline": meta["metrics"]["baseline"]}
    raise SystemExit(f"{stem}: rescoring knows ner and sentiment checkpoints, not {meta['task']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stems", nargs="+")
    parser.add_argument("--data-dir", type=Path, required=True)
    args = parser.parse_args(argv)
    for stem in args.stems:
        model, meta = checkpoint.load(stem)
        path = checkpoint.stem_path(stem).with_suffix(".json")
        record = json.loads(path.read_text(encoding="utf-8"))
        record["metrics"] = fresh_metrics(stem, model, meta, args.data_dir)
        record["training"]["rescored"] = f"python -m scripts.rescore {shlex.quote(stem)} --data-dir {DATA_PLACEHOLDER}"
        path.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"{stem}: rescored", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
