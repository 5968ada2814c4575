"""The command line's contract (docs/ARCHITECTURE.md): ner, sentiment, lm score/sample, onehot, train.

Each command runs as a user would run it, in a subprocess; the JSON it prints is compared with
rnncore's own functions on the same text.
"""

import json
import subprocess
import sys

import pytest

from rnncore.tasks.lm import inference as lm_inference
from rnncore.tasks.ner import inference as ner_inference
from rnncore.tasks.sentiment import inference as sentiment_inference
from rnncore.text import course_vocab, tokenize

NOTES_REVIEW = "I didn't enjoy the film at all."
HOSTILE = ["", "   ", "x" * 10_001, "😀🎉 東京 مرحبا", "<script>alert(1)</script>", "a\x00b\x1bc",
           "\u200b\u200b\u2060", "Tom\u200bmet\u200eAnna."]


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "rnncore", *args], input=stdin, capture_output=True,
                          text=True, timeout=300)


def json_lines(result: subprocess.CompletedProcess) -> list[dict]:
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def test_ner_json_contract_matches_the_library():
    result = run("ner", "--json", "Yesterday, Tom met Eliza in Paris.")
    assert result.returncode == 0, result.stderr
    (record,) = json_lines(result)
    assert set(record) == {"text", "tokens", "labels", "probs"}
    assert record == ner_inference.ner("Yesterday, Tom met Eliza in Paris.", "birnn")
    assert all(label == "O" or label[:2] in ("B-", "I-") for label in record["labels"])


def test_sentiment_reads_one_text_per_line_from_stdin():
    result = run("sentiment", "--json", "--arch", "gru", stdin=f"{NOTES_REVIEW}\nA wonderful, moving film.\n")
    assert result.returncode == 0, result.stderr
    records = json_lines(result)
    assert [r["text"] for r in records] == [NOTES_REVIEW, "A wonderful, moving film."]
    for record in records:
        assert record == sentiment_inference.sentiment(record["text"], "gru")
        assert 1 <= record["stars"] <= 5 and abs(sum(record["probs"]) - 1) < 1e-3


@pytest.mark.parametrize("command,record_of", [
    ("ner", lambda text: ner_inference.ner(text, ner_inference.NER_DEFAULT)),
    ("sentiment", lambda text: sentiment_inference.sentiment(text, sentiment_inference.SENTIMENT_DEFAULT)),
])
def test_without_arch_each_command_runs_its_default_model(command, record_of):
    text = "The food was delicious, although the service in Paris was slow."
    result = run(command, "--json", text)
    assert result.returncode == 0, result.stderr
    assert json_lines(result) == [record_of(text)]


def test_lm_score_is_the_sum_of_token_log_probs_with_eos():
    result = run("lm", "score", "--json", "The apple and pear salad", "")
    (record,) = json_lines(result)
    assert record["tokens"][-1] == "<EOS>" and len(record["tokens"]) == len(record["token_log_probs"]) == 6
    assert abs(record["log_prob"] - sum(record["token_log_probs"])) < 1e-3
    assert record == lm_inference.lm_score("The apple and pear salad")


def test_lm_sample_is_seeded_and_marks_new_names():
    first = run("lm", "sample", "--level", "char", "--n", "3", "--seed", "4", "--json")
    again = run("lm", "sample", "--level", "char", "--n", "3", "--seed", "4", "--json")
    assert first.returncode == 0, first.stderr
    assert first.stdout == again.stdout
    records = json_lines(first)
    assert len(records) == 3 and all(isinstance(r["new"], bool) and r["text"] for r in records)
    words = run("lm", "sample", "--n", "2", "--prefix", "The weather", "--temperature", "0.7", "--top-k", "5")
    assert words.returncode == 0 and all(line.startswith("The weather") for line in words.stdout.splitlines())


@pytest.mark.parametrize("args, message", [
    (["lm", "sample", "--n", "0"], "argument --n: a whole number must be between 1 and 100, got 0"),
    (["lm", "sample", "--temperature", "0"], "--temperature must be above 0"),
    (["lm", "sample", "--temperature", "nan"], "argument --temperature: expected a finite number, got nan"),
    (["lm", "sample", "--top-k", "-1"], "argument --top-k: a whole number must be between 0"),
    (["lm", "sample", "--seed", "99999999999999999999999"], "argument --seed: a seed must be between 0 and"),
    (["lm", "sample", "--seed", "-3"], "argument --seed: a seed must be between 0 and"),
    (["lm", "sample", "--n", "two"], "argument --n: expected a whole number, got 'two'"),
    (["compare", "--seed", "1e99"], "argument --seed: expected a seed, got '1e99'"),
    (["compare", "--threads", "99999999999999999999"], "argument --threads: a whole number must be between 1 and 256"),
    (["gradients", "--radius", "inf"], "argument --radius: expected a finite number, got inf"),
    (["gradients", "--steps", "10" * 15], "argument --steps: a whole number must be between -1,000,000 and 1,000,000"),
    (["train", "ner", "--seed", "18446744073709551617"], "argument --seed: a seed must be between 0 and"),
    (["ner", "--arch", "transformer"], "argument --arch: invalid choice"),
    (["train", "ner", "--data", "/no/such/file.conll"], "no such file"),
    (["train", "all", "--data", "rnncore/tasks/ner/classroom.conll"], "--data goes with one task"),
])
def test_bad_options_give_one_clear_line_and_exit_2(args, message):
    result = run(*args)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_onehot_json_uses_the_course_vocabulary():
    result = run("onehot", "--json", "Sherlock Holmes lived at 221B Baker Street.")
    (record,) = json_lines(result)
    vocab = course_vocab()
    assert record["tokens"] == tokenize("Sherlock Holmes lived at 221B Baker Street.")
    assert record["indices"][1] == vocab.id_of("holmes") and record["indices"][4] == vocab.unk_id == 10_000
    assert record["unknown"][4] and not record["unknown"][1]
    assert record["one_hot_nonzero"][1] == [1, vocab.id_of("holmes") - 1] and record["V"] == 10_000


@pytest.mark.parametrize("command", [["ner"], ["sentiment"], ["lm", "score"], ["onehot"]])
def test_hostile_lines_give_a_result_or_a_clear_message_never_a_traceback(command):
    result = run(*command, "--json", stdin="\n".join(HOSTILE) + "\n")
    assert "Traceback" not in result.stderr
    assert result.returncode == 2  # the empty and the too-long lines are refused...
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 4 and all(line.startswith("error: ") for line in errors)
    assert "empty text" in errors[0] and "too long" in errors[2] and "nothing visible" in errors[3]
    records = json_lines(result)  # ...and the other lines still get their result, invisible characters dropped
    assert [r["text"] for r in records] == ["😀🎉 東京 مرحبا", "<script>alert(1)</script>", "a b c", "Tom metAnna."]
    if "tokens" in records[0]:
        assert records[-1]["tokens"][:3] == ["Tom", "metAnna", "."] and "\u200b" not in "".join(records[-1]["tokens"])


TINY_REVIEWS = [(5, "a wonderful film"), (5, "great and moving"), (4, "a good film"), (4, "nice enough story"),
                (3, "an average film"), (3, "okay I suppose"), (2, "a dull film"), (2, "weak and slow"),
                (1, "an awful film"), (1, "terrible, just terrible")] * 3


def test_train_bow_writes_a_baseline_that_reproduces_its_metrics(tmp_path):
    from rnncore.tasks.sentiment.bow import BagOfWords
    from rnncore.tasks.sentiment.recipe import read_classroom, sources, star_figures

    data = tmp_path / "reviews.tsv"
    data.write_text("# stars<TAB>text\n" + "".join(f"{stars}\t{text}\n" for stars, text in TINY_REVIEWS),
                    encoding="utf-8")
    result = run("train", "bow", "--data", str(data), "--out", str(tmp_path / "models"), "--seed", "2")
    assert result.returncode == 0, result.stderr
    assert "bow-sentiment:" in result.stdout and "Traceback" not in result.stderr
    model, meta = BagOfWords.load(tmp_path / "models" / "bow-sentiment")
    splits, phrases, _ = sources(None, [data], 2)  # the same 80/10/10 cut of the user's file
    test = splits["reviews"]["test"]
    assert meta["reviews"] == len(splits["reviews"]["train"]) == 24 and len(test) == 3 and not phrases
    assert set(meta["metrics"]) == {"reviews/test", "reviews/dev", "classroom"}
    assert meta["metrics"]["reviews/test"] == star_figures([r[1] for r in test], model.predict([r[0] for r in test]))
    classroom = read_classroom()
    assert meta["metrics"]["classroom"]["reviews"] == len(classroom) > 50
    assert meta["config"]["seed"] == 2 and meta["parameters"] == 5 * len(model.vocab) + 5
    assert set(model.vocab) <= {w.lower() for _, text in TINY_REVIEWS for w in tokenize(text)}
    assert meta["command"] == f"python -m rnncore train bow --data {data} --out {tmp_path / 'models'} --seed 2"
    assert model.predict(["a wonderful film", "terrible, just terrible"]) == [5, 1]


def test_train_bow_has_no_architecture():
    result = run("train", "bow", "--arch", "lstm")
    assert result.returncode == 2 and "no architecture" in result.stderr and "Traceback" not in result.stderr


def test_train_all_includes_the_bag_of_words(monkeypatch, tmp_path):
    from rnncore import checkpoint, tasks, threads
    from rnncore.cli import main
    from rnncore.cli import train as train_command
    from rnncore.tasks.sentiment import bow

    calls = []
    monkeypatch.setattr(threads, "set_threads", lambda: 1)
    monkeypatch.setattr(tasks, "train_task", lambda task, arch, *a, **k: calls.append(f"{task}-{arch}")
                        or {"metrics": {}})
    monkeypatch.setattr(bow, "train_bag_of_words", lambda out, *a, **k: calls.append(out)
                        or {"metrics": {}, "seconds": 0.0})
    monkeypatch.setattr(train_command, "rebuild_compare_lab", lambda: calls.append("compare") or 0)
    assert main(["train", "all", "--out", str(tmp_path), "--data-dir", str(tmp_path)]) == 0
    assert calls == [f"{t}-{a}" for t, a in tasks.SHIPPED] + [tmp_path / "bow-sentiment", "compare"]
    calls.clear()
    assert main(["train", "bow", "--data-dir", str(tmp_path)]) == 0
    assert calls == [checkpoint.MODELS_DIR / "bow-sentiment"]
