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
    result = run_cli(*SMALL, "--seed", "3", "--distances", "1", "--json")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    out = json.loads(lines[0])
    assert list(out) == list(ARCHS)
    expected = Comparison(CompareSettings(distance=2, epochs=1, n_a=8, seed=3)).run().summary()
    at_one = Comparison(CompareSettings(distance=1, epochs=1, n_a=8, seed=3, eval_distances=(1,))).run().summary()
    for arch in ARCHS:
        assert set(out[arch]) == {"accuracy", "seconds", "params", "by_distance", "model_by_distance"}
        assert out[arch]["model_by_distance"] == expected[arch]["by_distance"]
        # the sweep: each distance's own comparison, measured at that distance
        assert out[arch]["by_distance"] == {"1": at_one[arch]["accuracy"], "2": expected[arch]["accuracy"]}
        assert isinstance(out[arch]["params"], int) and out[arch]["seconds"] >= 0
        assert out[arch]["accuracy"] == expected[arch]["accuracy"]
        assert out[arch]["params"] == expected[arch]["params"]
    assert "distance  1 (1/2)" in result.stderr and "epoch 1/1" in result.stderr  # progress never in the JSON


@pytest.mark.parametrize("args", [["--no-sweep"], ["--task", "lookahead"]])
def test_no_sweep_trains_the_set_distance_alone(args, capsys):
    """Asked for, or for the lookahead task, whose clause comes after the deciding word."""
    assert main(["compare", *SMALL, *args, "--json", "--quiet"]) == 0
    out = json.loads(capsys.readouterr().out)
    for row in out.values():
        assert row["by_distance"] == {"2": row["accuracy"]}
        assert row["model_by_distance"]["2"] == row["accuracy"]


def test_a_sweep_saved_alone_holds_the_set_distance_models_too(tmp_path, capsys):
    assert main(["compare", *SMALL, "--distances", "1", "--quiet", "--json", "--save-sweep", str(tmp_path)]) == 0
    summary = json.loads(capsys.readouterr().out)
    for arch in ARCHS:
        for distance in ("1", "2"):
            _, meta = checkpoint.load(tmp_path / f"agreement-{arch}-d{distance}")
            assert meta["metrics"]["accuracy"] == summary[arch]["by_distance"][distance]


@pytest.mark.parametrize(("args", "message"), [
    (["--distances", "1,x"], "expected a distance, got 'x'"),
    (["--distances", "3,99"], "a distance must be between 0 and 60, got 99"),
    (["--distances", ","], "expected distances such as 1,3,10"),
    (["--distances", "1", "--no-sweep"], "need the sweep: drop --no-sweep"),
    (["--save-sweep", "somewhere", "--no-sweep"], "need the sweep: drop --no-sweep"),
    (["--task", "lookahead", "--distances", "1"], "are for the agreement task, not lookahead"),
])
def test_bad_sweep_options_fail_in_one_line(args, message):
    result = run_cli(*SMALL, *args)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_out_of_range_values_are_clamped_with_a_note(capsys):
    status = main(["compare", "--distance", "999", "--epochs", "1", "--hidden", "1", "--no-sweep", "--json", "--quiet"])
    captured = capsys.readouterr()
    assert status == 0
    assert "note: distance 999 is outside 0..60; using 60" in captured.err
    assert "note: n_a 1 is outside 2..128; using 2" in captured.err
    assert set(json.loads(captured.out)) == set(ARCHS)


def test_text_output_is_a_table(capsys):
    assert main(["compare", *SMALL, "--distances", "1", "--quiet"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].split() == ["arch", "accuracy@2", "seconds", "params"]
    assert [line.split()[0] for line in lines[1:5]] == list(ARCHS)
    assert lines[6] == "trained on clauses of 1..d words, held-out accuracy at d:"
    assert lines[7].split() == ["d", "1", "2"]
    assert [line.split()[0] for line in lines[8:]] == list(ARCHS)


def test_save_writes_the_record_and_loadable_models(tmp_path, capsys):
    record_path, models_dir, sweep_dir = tmp_path / "run.json", tmp_path / "models", tmp_path / "sweep"
    status = main(["compare", *SMALL, "--distances", "1", "--quiet", "--json", "--save", str(record_path),
                   "--save-models", str(models_dir), "--save-sweep", str(sweep_dir)])
    summary = json.loads(capsys.readouterr().out)
    assert status == 0
    record = json.loads(record_path.read_text())
    assert record["command"] == (
        f"python -m rnncore compare --task agreement --seed 0 --distance 2 --epochs 1 --hidden 8 "
        f"--save {record_path} --save-models {models_dir} --save-sweep {sweep_dir} --distances 1"
    )
    sweep = json.loads((sweep_dir / "sweep.json").read_text())
    assert sweep["command"] == record["command"] and sweep["distances"] == [1, 2]
    for arch in ARCHS:
        assert record["archs"][arch]["accuracy"] == summary[arch]["accuracy"]
        model, meta = checkpoint.load(models_dir / f"agreement-{arch}")
        assert meta["metrics"]["accuracy"] == summary[arch]["accuracy"]
        assert meta["metrics"]["params"] == summary[arch]["params"]
        assert meta["command"] == record["command"]
        assert model.config.arch == arch and model.config.pooling == "last"
        assert sweep["archs"][arch]["by_distance"] == summary[arch]["by_distance"]
        _, at_one = checkpoint.load(sweep_dir / f"agreement-{arch}-d1")  # the other distance's model
        assert at_one["metrics"]["accuracy"] == summary[arch]["by_distance"]["1"]
        assert at_one["settings"]["distance"] == 1
    assert not list(sweep_dir.glob("*-d2.json"))  # the set distance's models are in --save-models only


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
