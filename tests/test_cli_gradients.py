"""`python -m rnncore gradients`: the docs/ARCHITECTURE.md contract, clamping notes and bad input without tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from rnncore.cli import main
from rnncore.explain import bptt, spectral

REPO_ROOT = Path(__file__).resolve().parent.parent


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    status = main(["gradients", *args])
    out, err = capsys.readouterr()
    return status, out, err


def test_json_contract_through_the_real_entry_point():
    result = subprocess.run(
        [sys.executable, "-m", "rnncore", "gradients", "--arch", "lstm", "--steps", "30", "--json"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert set(record) == {"arch", "steps", "norms"}
    assert record["arch"] == "lstm" and record["steps"] == 30 and len(record["norms"]) == 30
    expected, _ = bptt.default_profile("lstm", steps=30)
    assert record["norms"] == pytest.approx(expected.norms, rel=1e-9)
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("arch", bptt.ARCHS)
def test_init_source_gives_the_library_numbers(capsys, arch):
    status, out, err = run_cli(capsys, "--arch", arch, "--steps", "20", "--source", "init", "--json")
    assert status == 0 and err == ""
    record = json.loads(out)
    expected = bptt.profile_at_init(arch, spectral.InitSettings(steps=20))
    assert record == {"arch": arch, "steps": 20, "norms": pytest.approx(expected.norms, rel=1e-12)}


def test_default_source_rnn_vanishes_at_fifty_steps(capsys):
    status, out, _ = run_cli(capsys, "--json")
    record = json.loads(out)
    assert status == 0 and record["arch"] == "rnn" and record["steps"] == 50
    assert record["norms"][0] / record["norms"][-1] < 1e-3


def test_init_options_reach_the_cell(capsys):
    status, out, _ = run_cli(
        capsys, "--source", "init", "--steps", "40", "--radius", "2", "--activation", "relu", "--n-a", "16", "--json"
    )
    norms = json.loads(out)["norms"]
    expected = bptt.profile_at_init("rnn", spectral.InitSettings(steps=40, radius=2.0, activation="relu", n_a=16))
    assert status == 0 and norms == pytest.approx(expected.norms, rel=1e-12)
    assert norms[0] > 1e3 * norms[-1]  # radius 2 with ReLU explodes


def test_steps_out_of_range_are_clamped_and_said(capsys):
    status, out, err = run_cli(capsys, "--source", "init", "--steps", "1000", "--json")
    assert status == 0
    assert json.loads(out)["steps"] == 200
    assert "steps = 1000" in err and "200" in err
    status, out, err = run_cli(capsys, "--source", "init", "--steps", "-5", "--json")
    assert status == 0 and json.loads(out)["steps"] == 2 and "steps = -5" in err


def test_text_output_lists_every_step(capsys):
    status, out, _ = run_cli(capsys, "--source", "init", "--steps", "12")
    assert status == 0
    assert "||dL/da<1>|| / ||dL/da<T>||" in out
    assert sum(line.startswith("t = ") for line in out.splitlines()) == 12


@pytest.mark.parametrize(
    "args",
    [
        ["--steps", "abc"],
        ["--arch", "birnn"],
        ["--radius", "nan", "--source", "init"],
        ["--activation", "softmax"],
        ["--source", "elsewhere"],
    ],
)
def test_bad_input_is_a_message_not_a_traceback(capsys, args):
    try:
        status = main(["gradients", *args])
    except SystemExit as exit_:  # argparse's own errors
        status = exit_.code
    _, err = capsys.readouterr()
    assert status == 2
    assert err.strip() and "Traceback" not in err


def test_trained_source_without_the_model_says_how_to_build_it(capsys, monkeypatch):
    monkeypatch.setattr(bptt, "trained_model_available", lambda arch: False)
    status, out, err = run_cli(capsys, "--source", "trained")
    assert status == 2 and out == ""
    assert err.startswith("error: no shipped sentiment-rnn: build it with")


@pytest.mark.skipif(not bptt.trained_model_available("lstm"), reason="shipped sentiment models not installed")
def test_trained_source_reads_the_notes_review_and_clamps_to_its_length(capsys):
    status, out, err = run_cli(capsys, "--arch", "lstm", "--steps", "3", "--json")
    assert status == 0 and f"used {bptt.REVIEW_STEPS}" in err
    record = json.loads(out)
    assert record["steps"] == bptt.REVIEW_STEPS
    assert record["norms"] == pytest.approx(bptt.profile_of_review("lstm", bptt.REVIEW_STEPS).norms, rel=1e-12)
