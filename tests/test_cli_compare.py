"""`python -m rnncore compare`: docs/ARCHITECTURE.md's JSON contract, clamping notes, saving, clear errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from rnncore import checkpoint
from rnncore.cli import main
from rnncore.models import ARCHS
from rnncore.tasks.agreement.compare import CompareSettings, Comparison

REPO_ROOT = Path(__file__).resolve().parent.parent
SMALL = ["--distance", "2", "--epochs", "1", "--hidden", "8"]


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "rnncore", "compare", *args],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=600,
    )


def test_json_contract_and_numbers_equal_rnncore_compare():
    result = run_cli(*SMALL, "--seed", "3", "--json")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    out = json.loads(lines[0])
    assert list(out) == list(ARCHS)
    expected = Comparison(CompareSettings(distance=2, epochs=1, n_a=8, seed=3)).run().summary()
    for arch in ARCHS:
        assert set(out[arch]) == {"accuracy", "seconds", "params", "by_distance"}
        assert out[arch]["by_distance"] == expected[arch]["by_distance"]
        assert isinstance(out[arch]["params"], int) and out[arch]["seconds"] >= 0
        assert out[arch]["accuracy"] == expected[arch]["accuracy"]
        assert out[arch]["params"] == expected[arch]["params"]
    assert "epoch 1/1" in result.stderr  # progress goes to stderr, never into the JSON


def test_out_of_range_values_are_clamped_with_a_note(capsys):
    status = main(["compare", "--distance", "999", "--epochs", "1", "--hidden", "1", "--json", "--quiet"])
    captured = capsys.readouterr()
    assert status == 0
    assert "note: distance 999 is outside 0..60; using 60" in captured.err
    assert "note: n_a 1 is outside 2..128; using 2" in captured.err
    assert set(json.loads(captured.out)) == set(ARCHS)


def test_text_output_is_a_table(capsys):
    assert main(["compare", *SMALL, "--quiet"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].split() == ["arch", "accuracy@2", "seconds", "params"]
    assert [line.split()[0] for line in lines[1:]] == list(ARCHS)


def test_save_writes_the_record_and_loadable_models(tmp_path, capsys):
    record_path, models_dir = tmp_path / "run.json", tmp_path / "models"
    status = main(["compare", *SMALL, "--quiet", "--json", "--save", str(record_path),
                   "--save-models", str(models_dir)])
    summary = json.loads(capsys.readouterr().out)
    assert status == 0
    record = json.loads(record_path.read_text())
    assert record["command"] == (
        f"python -m rnncore compare --task agreement --seed 0 --distance 2 --epochs 1 --hidden 8 "
        f"--save {record_path} --save-models {models_dir}"
    )
    for arch in ARCHS:
        assert record["archs"][arch]["accuracy"] == summary[arch]["accuracy"]
        model, meta = checkpoint.load(models_dir / f"agreement-{arch}")
        assert meta["metrics"]["accuracy"] == summary[arch]["accuracy"]
        assert meta["metrics"]["params"] == summary[arch]["params"]
        assert meta["command"] == record["command"]
        assert model.config.arch == arch and model.config.pooling == "last"


@pytest.mark.parametrize(
    "args, message",
    [
        (["--distance", "far"], "--distance: expected a whole number, got 'far'"),
        (["--task", "translation"], "invalid choice"),
        (["--threads", "0"], "--threads: a whole number must be between 1 and 256, got 0"),
    ],
)
def test_bad_arguments_fail_cleanly(args, message):
    result = run_cli(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
