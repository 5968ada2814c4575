"""`python -m rnncore translate`, as a user runs it (subprocess): the JSON contract, standard input, bad
input, combinations that are not shipped, exit codes; the JSON equals rnncore's own translation."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from rnncore.tasks.translate import inference

STEMS = ["translate-en-fr-gru-attention", "translate-en-fr-gru", "translate-fr-en-gru-attention"]
KEYS = {"text", "translation", "source_tokens", "output_tokens", "log_prob", "T_x", "T_y", "source", "target",
        "model", "beam", "ended_with_eos", "unknown_source_tokens", "output_unknown"}


@pytest.fixture(autouse=True)
def shipped_translation_models():
    missing = [stem for stem in STEMS if not inference.is_shipped(stem)]
    if missing:
        pytest.skip(f"translation models not shipped yet: {missing} (python -m rnncore train translate --data-dir DIR)")


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "rnncore", "translate", *args], input=stdin, capture_output=True,
                          text=True, timeout=300)


def json_lines(result: subprocess.CompletedProcess) -> list[dict]:
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def test_default_is_english_to_french_with_attention_and_matches_the_library():
    result = run("--json", "Shall we go for a walk?")
    assert result.returncode == 0, result.stderr
    (record,) = json_lines(result)
    assert set(record) == KEYS
    assert record["model"] == "translate-en-fr-gru-attention" and (record["source"], record["target"]) == ("en", "fr")
    assert record == inference.translate("Shall we go for a walk?")
    assert record["T_x"] == len(record["source_tokens"]) == 7 and record["T_y"] == len(record["output_tokens"])
    assert record["log_prob"] < 0 and record["translation"]


def test_plain_text_output_is_the_translation_one_line_per_input():
    result = run(stdin="Do you want to sing with me?\nI am very tired.\n")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines == [inference.translate(t)["translation"] for t in ("Do you want to sing with me?", "I am very tired.")]


def test_french_to_english_reads_the_notes_example():
    result = run("--source", "fr", "--json", "Voulez-vous chanter avec moi?")
    assert result.returncode == 0, result.stderr
    (record,) = json_lines(result)
    assert record["model"] == "translate-fr-en-gru-attention" and record["target"] == "en"
    assert record["source_tokens"] == ["Voulez", "-vous", "chanter", "avec", "moi", "?"]
    assert record == inference.translate("Voulez-vous chanter avec moi?", source="fr")


def test_no_attention_and_beam_width():
    greedy = json_lines(run("--no-attention", "--beam", "1", "--json", "Where is the train station?"))[0]
    beam = json_lines(run("--no-attention", "--beam", "4", "--json", "Where is the train station?"))[0]
    assert greedy["model"] == beam["model"] == "translate-en-fr-gru"
    assert (greedy["beam"], beam["beam"]) == (1, 4)
    assert greedy == inference.translate("Where is the train station?", attention=False, beam=1)
    assert beam == inference.translate("Where is the train station?", attention=False, beam=4)


@pytest.mark.parametrize("args", [["--source", "fr", "--no-attention"], ["--arch", "lstm"]])
def test_a_combination_that_is_not_shipped_ends_in_one_line(args):
    result = run(*args, "Bonjour.")
    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and "is not shipped" in result.stderr
    assert "translate-en-fr-gru-attention" in result.stderr  # says what is shipped


@pytest.mark.parametrize("args", [["--beam", "0"], ["--beam", "99999999999999999999"], ["--source", "de"]])
def test_bad_options_end_in_one_line(args):
    result = run(*args, "Hello.")
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_bad_input_gives_a_result_or_one_clear_line():
    hostile = ["", "   ", "x " * 5000, "😀🎉 👍🏽", "<script>alert(1)</script>", "a\x00b\x1bc", "\u200b\u200b\u2060",
               "Tom\u200bis\u200ehere.", "مرحبا 東京"]
    result = run("--json", stdin="\n".join(hostile) + "\n")
    assert "Traceback" not in result.stderr
    assert result.returncode == 2  # some lines were bad
    records = json_lines(result)
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(records) + len(errors) == len(hostile)
    assert all(line.startswith("error: ") for line in errors)
    assert {r["text"] for r in records} == {"<script>alert(1)</script>", "a b c", "Tom ishere.", "مرحبا 東京"}
    assert any("too long" in line for line in errors) and any("empty text" in line for line in errors)
    assert any("only punctuation or symbols" in line for line in errors)  # the emoji line


def test_ten_thousand_characters_in_one_argument():
    result = run("x" * 10_000)
    assert result.returncode in (0, 2) and "Traceback" not in result.stderr
    assert result.returncode == 0 or len(result.stderr.strip().splitlines()) == 1
