"""The training loop and `train --data` on small corpora that the test writes."""

import json
import random

import pytest
import torch
import torch.nn.functional as F

from rnncore import checkpoint
from rnncore.models import Classifier, ModelConfig
from rnncore.tasks import train_task
from rnncore.training import TrainConfig, batches_by_tokens, batches_of, drop_words, fit


def test_fit_learns_a_toy_many_to_one_task_and_keeps_the_best_epoch():
    """Class = whether token 3 occurs anywhere: a trivially short dependency, learned to 100%."""
    gen = torch.Generator().manual_seed(0)
    ids = torch.randint(1, 6, (256, 6), generator=gen)
    y = (ids == 3).any(dim=1).long()
    data = list(zip(ids, y, strict=True))
    model = Classifier(ModelConfig("gru", 7, 8, 16, 2))

    def epoch(rng):
        return [{"ids": torch.stack([d[0] for d in b]), "y": torch.stack([d[1] for d in b])}
                for b in batches_of(data, 32, rng)]

    def accuracy(m):
        with torch.no_grad():
            return float((m(ids).argmax(1) == y).float().mean())

    history = fit(model, epoch, lambda m, b: F.cross_entropy(m(b["ids"]), b["y"]), accuracy,
                  TrainConfig(epochs=25, lr=1e-2, patience=25))
    assert accuracy(model) == history["best_dev"] >= 0.98
    assert history["epochs"][0]["loss"] > history["epochs"][-1]["loss"]


def test_fit_stops_when_asked():
    model = Classifier(ModelConfig("rnn", 5, 4, 4, 2))
    batch = {"ids": torch.ones(4, 3, dtype=torch.long), "y": torch.zeros(4, dtype=torch.long)}
    history = fit(model, lambda rng: [batch] * 5, lambda m, b: F.cross_entropy(m(b["ids"]), b["y"]),
                  lambda m: 0.0, TrainConfig(epochs=50), should_stop=lambda: True)
    assert len(history["epochs"]) == 1


def test_batches_by_tokens_hold_every_item_once_under_the_budget_with_little_padding():
    rng = random.Random(0)
    items = [list(range(rng.choice((1, 2, 3, 5, 8, 40, 90)))) for _ in range(500)]
    batches = batches_by_tokens(items, 128, random.Random(1))
    assert sorted(map(len, (i for b in batches for i in b))) == sorted(map(len, items))
    assert sum(len(b) for b in batches) == 500
    for batch in batches:
        assert len(batch) * max(map(len, batch)) <= 128
    padded = sum(len(b) * max(map(len, b)) for b in batches)
    assert padded < 1.05 * sum(map(len, items))  # neighbours have similar lengths
    # a batch holds a few long items or many short ones, so their units weigh alike in a batch's mean
    assert {len(b) for b in batches if max(map(len, b)) == 90} == {1}
    assert max(map(len, batches)) == sum(len(i) == 1 for i in items)  # all the one-unit items together
    # every epoch another order, and one item longer than the budget is a batch of its own
    assert batches != batches_by_tokens(items, 128, random.Random(2))
    assert batches_by_tokens([[0] * 300, [0]], 128, random.Random(0)) in ([[[0] * 300], [[0]]], [[[0]], [[0] * 300]])
    assert batches_by_tokens([], 128, random.Random(0)) == []


def test_fused_adam_is_asked_for_and_takes_the_same_steps_as_the_loop(monkeypatch):
    asked = []
    adam = torch.optim.Adam

    def spy(params, **options):
        asked.append(options.get("fused"))
        return adam(params, **options)

    monkeypatch.setattr(torch.optim, "Adam", spy)

    def trained(fused):
        torch.manual_seed(0)
        model = Classifier(ModelConfig("lstm", 7, 4, 6, 2))
        batch = {"ids": torch.randint(1, 7, (8, 5), generator=torch.Generator().manual_seed(1)),
                 "y": torch.tensor([0, 1] * 4)}
        fit(model, lambda rng: [batch] * 5, lambda m, b: F.cross_entropy(m(b["ids"]), b["y"]), lambda m: 0.0,
            TrainConfig(epochs=1, lr=1e-2, fused_adam=fused))
        return model.state_dict()

    loop, fused = trained(False), trained(True)
    assert asked == [None, True]
    torch.manual_seed(0)
    start = Classifier(ModelConfig("lstm", 7, 4, 6, 2)).state_dict()
    assert any(not torch.equal(weight, start[name]) for name, weight in loop.items())  # it trained
    for name, weight in loop.items():
        assert torch.allclose(weight, fused[name], atol=1e-6), name


def test_drop_words_replaces_only_real_words():
    ids = torch.tensor([[5, 6, 0, 0]])
    dropped = drop_words(ids, 99, 1.0)
    assert dropped.tolist() == [[99, 99, 0, 0]]
    assert torch.equal(drop_words(ids, 99, 0.0), ids)


def write_conll(path, sentences):
    lines = []
    for tokens, tags in sentences:
        lines += [f"{t} {g}" for t, g in zip(tokens, tags, strict=True)] + [""]
    path.write_text("\n".join(lines), encoding="utf-8")


def test_train_ner_on_user_conll_file(tmp_path):
    rng = random.Random(0)
    names = ["Anna", "Boris", "Chen", "Dara", "Emil", "Fatima"]
    places = ["Oslo", "Lima", "Kyoto", "Cairo"]
    sentences = []
    for _ in range(120):
        name, place = rng.choice(names), rng.choice(places)
        sentences.append(([name, "lives", "in", place, "."], ["B-PER", "O", "O", "B-LOC", "O"]))
    data = tmp_path / "mine.conll"
    write_conll(data, sentences)
    cfg = TrainConfig(epochs=12, batch_size=16, lr=1e-2, seed=1)
    meta = train_task("ner", "gru", tmp_path, seed=1, data=[data], progress=None, argv=["train", "ner"], cfg=cfg)
    assert meta["metrics"]["mine/test"]["entity_f1"] >= 0.9 and meta["metrics"]["mine/test"]["sentences"] == 12
    assert meta["sources"][0]["name"] == "mine" and meta["sources"][0]["train"] == 96
    saved = json.loads((tmp_path / "ner-gru.json").read_text())
    assert saved["training"]["command"] == "python -m rnncore train ner"
    model, meta = checkpoint.load(tmp_path / "ner-gru")
    assert meta["labels"][0] == "O" and not model.training


@pytest.mark.parametrize("argv, recorded", [
    (["train", "ner", "--data-dir", "/home/me/corpora", "--arch", "lstm"],
     "python -m rnncore train ner --data-dir DATA --arch lstm"),
    (["train", "sentiment", "--data-dir=/tmp/x y"], "python -m rnncore train sentiment --data-dir=DATA"),
    (["train", "ner", "--data", "my file.conll"], "python -m rnncore train ner --data 'my file.conll'"),
])
def test_recorded_command_names_the_corpora_folder_data(argv, recorded):
    from rnncore.training import command_line

    assert command_line(argv) == recorded


def test_a_corpora_folder_from_the_environment_is_written_into_the_command(monkeypatch, tmp_path):
    from rnncore.cli import main
    from rnncore.tasks.sentiment import bow

    seen = []
    monkeypatch.setenv("RNNLAB_DATA", str(tmp_path))
    monkeypatch.setattr("sys.argv", ["rnncore", "train", "bow"])
    monkeypatch.setattr(bow, "train_bag_of_words", lambda out, seed, data_dir, data, argv: seen.append(
        (data_dir, argv)) or {"metrics": {}, "seconds": 0.0})
    assert main(["train", "bow"]) == 0
    assert seen == [(tmp_path, ["train", "bow", "--data-dir", str(tmp_path)])]
