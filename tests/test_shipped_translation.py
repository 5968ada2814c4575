"""The shipped translation models, without the corpus they were trained on: each checkpoint's JSON holds
its whole record (config, vocabularies, splits, command, history, metrics per split for greedy and beam,
the baseline's), the classroom translations in it are what the shipped weights decode, their BLEU is
recomputed, and the default model meets its targets on the held-out test split."""

from __future__ import annotations

import pytest

from rnncore.checkpoint import read_meta
from rnncore.shipped import load_shipped
from rnncore.tasks.translate import inference, metrics
from rnncore.tasks.translate.recipe import HALF_TOLERANCE, read_classroom, side
from rnncore.text import course_vocab

STEMS = ["translate-en-fr-gru-attention", "translate-en-fr-gru", "translate-fr-en-gru-attention"]
DEFAULT = "translate-en-fr-gru-attention"


def needs(*stems: str) -> None:
    """Skip unless these checkpoints are shipped: each model is tested as soon as it is trained."""
    missing = [stem for stem in stems if not inference.is_shipped(stem)]
    if missing:
        pytest.skip(f"translation models not shipped yet: {missing} (python -m rnncore train translate --data-dir DIR)")


@pytest.mark.parametrize("stem", STEMS)
def test_the_json_records_how_the_model_was_made_and_scored(stem):
    needs(stem)
    meta = read_meta(stem)
    assert meta["task"] == "translate" and stem == f"translate-{meta['source']}-{meta['target']}-{meta['variant']}"
    assert meta["config"]["attention"] == meta["attention"] == stem.endswith("-attention")
    training = meta["training"]
    command = training["command"].split()
    assert command[:4] == ["python", "-m", "rnncore", "train"]
    assert command[4] in ("translate", f"translate-{meta['source']}-{meta['target']}")
    assert "--data-dir" in command and command[command.index("--data-dir") + 1] in ("DIR", "DATA")
    assert not any(word.startswith(("/", "~")) or "=/" in word for word in command)  # no machine's paths
    assert training["threads"] == 1 and 0 < training["cpu_minutes"] and 0 < training["minutes"]
    assert len(training["history"]) == training["epochs"] or len(training["history"]) < training["epochs"]
    source = meta["sources"][0]
    assert source["pairs"] == 73_566
    assert source["train"]["pairs"] + source["dev"]["pairs"] + source["test"]["pairs"] + sum(
        source["dropped_from_held_out_because_their_french_is_in_train"].values()) == source["pairs"]
    english = meta["vocab"]["source" if meta["source"] == "en" else "target"]["tokens"]
    assert english[: len(course_vocab())] == course_vocab().tokens  # the app's ids
    for split in ("dev", "test"):
        for system in ("greedy", "beam", "word_by_word"):
            scores = meta["metrics"][split][system]
            assert scores["pairs"] == source[split]["pairs"] and 0 < scores["bleu"] < 100 and 0 < scores["chrf"] < 100
            assert sum(b["pairs"] for b in scores["bleu_by_length"].values()) == scores["pairs"]
        assert meta["metrics"][split]["beam"]["beam"] == meta["decoding"]["beam"]
    if meta["weights_dtype"] == "float16":
        check = meta["weights_check"]
        assert abs(check["greedy_dev_bleu_float16"] - check["greedy_dev_bleu_float32"]) <= (
            HALF_TOLERANCE * check["greedy_dev_bleu_float32"])


@pytest.mark.parametrize("stem", STEMS)
def test_the_classroom_translations_are_what_the_shipped_weights_decode(stem):
    needs(stem)
    model, meta = load_shipped(stem)
    translator = inference.shipped_translator(stem)
    record = meta["metrics"]["classroom"]
    rows = record["translations"]
    sources = [row["source"] for row in rows]
    greedy = translator.translate(sources, beam=1)
    beam = translator.translate(sources, beam=meta["decoding"]["beam"])
    assert [t.text for t in greedy] == [row["greedy"] for row in rows]
    assert [t.text for t in beam] == [row["beam"] for row in rows]
    assert [round(t.log_prob, 4) for t in greedy] == pytest.approx([row["greedy_log_prob"] for row in rows], abs=2e-4)
    pairs = read_classroom()
    references = [side(p, meta["target"]) for p in pairs]
    lengths = [len(side(p, meta["source"]).split()) for p in pairs]
    assert metrics.scores([t.text for t in greedy], references, lengths) == record["greedy"]
    assert metrics.scores([t.text for t in beam], references, lengths) == record["beam"]
    assert record["beam"]["bleu"] > 20  # a model that wrote one sentence for every source would score near 0
    assert len({t.text for t in greedy}) == len(sources)


def test_the_default_model_meets_its_targets_on_held_out_pairs():
    needs(DEFAULT)
    test = read_meta(DEFAULT)["metrics"]["test"]
    assert test["greedy"]["bleu"] >= 20 and test["beam"]["bleu"] >= 20
    assert test["beam"]["bleu"] >= 2 * test["word_by_word"]["bleu"]
    assert test["beam"]["bleu"] >= test["greedy"]["bleu"] - 0.5


def test_attention_helps_on_held_out_pairs():
    needs(DEFAULT, "translate-en-fr-gru")
    with_attention = read_meta(DEFAULT)["metrics"]
    plain = read_meta("translate-en-fr-gru")["metrics"]
    for split in ("dev", "test"):
        assert with_attention[split]["beam"]["bleu"] > plain[split]["beam"]["bleu"]
        assert plain[split]["beam"]["bleu"] > plain[split]["word_by_word"]["bleu"]
    assert with_attention["test"]["word_by_word"] == plain["test"]["word_by_word"]  # one baseline, one split


def test_the_notes_examples():
    needs(DEFAULT, "translate-fr-en-gru-attention")
    assert "sing" in inference.translate("Voulez-vous chanter avec moi?", source="fr")["translation"]
    record = inference.translate("Shall we go for a walk?")
    assert record["T_x"] == 7 and record["source_tokens"][-2:] == ["walk", "?"] and record["ended_with_eos"]
