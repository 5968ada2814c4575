"""benchmarks.run_all's inference table covers every shipped checkpoint, whatever its model class."""

from __future__ import annotations

from benchmarks.run_all import inference
from rnncore import checkpoint


def test_every_shipped_checkpoint_is_timed():
    rows = inference(repeats=1)
    assert [stem for stem, _, _ in rows] == sorted(p.stem for p in checkpoint.MODELS_DIR.glob("*.json"))
    assert all(load_ms > 0 and predict_ms > 0 for _, load_ms, predict_ms in rows)
