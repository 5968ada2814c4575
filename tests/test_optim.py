"""rnncore.optim.Adam: the same weights as torch.optim.Adam, without importing torch._dynamo."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from rnncore.models import Classifier, ModelConfig
from rnncore.optim import Adam
from tests.conftest import fresh_python


def train_steps(make_optimizer, weight_decay: float, steps: int = 25) -> dict[str, torch.Tensor]:
    torch.manual_seed(3)
    model = Classifier(ModelConfig(arch="lstm", vocab_size=30, n_e=8, n_a=12, n_y=2, pooling="last"))
    X = torch.randint(1, 30, (16, 9))  # (m, T_x)
    y = torch.randint(0, 2, (16,))  # (m,)
    optimizer = make_optimizer(model.parameters(), weight_decay)
    for _ in range(steps):
        optimizer.zero_grad(set_to_none=True)
        F.cross_entropy(model(X), y).backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
    return {name: p.detach().clone() for name, p in model.named_parameters()}


@pytest.mark.parametrize("weight_decay", [0.0, 1e-3])
def test_adam_gives_torch_adams_weights(weight_decay):
    ours = train_steps(lambda params, wd: Adam(params, lr=0.01, weight_decay=wd), weight_decay)
    torchs = train_steps(lambda params, wd: torch.optim.Adam(params, lr=0.01, weight_decay=wd, foreach=False),
                         weight_decay)
    for name in torchs:
        torch.testing.assert_close(ours[name], torchs[name], rtol=1e-6, atol=1e-7, msg=name)
    start = train_steps(lambda params, wd: Adam(params, lr=0.01, weight_decay=wd), weight_decay, steps=0)
    assert any(not torch.equal(start[n], ours[n]) for n in ours)  # it did move the weights


def test_adam_skips_parameters_without_gradients_and_rejects_none():
    W = torch.nn.Parameter(torch.ones(3))
    frozen = torch.nn.Parameter(torch.ones(2))
    optimizer = Adam([W, frozen], lr=0.1)
    W.grad = torch.tensor([1.0, -1.0, 0.0])
    optimizer.step()  # first step: the update is lr * sign(dW) (bias-corrected moments)
    torch.testing.assert_close(W.detach(), torch.tensor([0.9, 1.1, 1.0]))
    assert torch.equal(frozen.detach(), torch.ones(2))
    with pytest.raises(ValueError):
        Adam([torch.zeros(2)])


def test_live_training_in_the_server_does_not_import_torch_dynamo():
    code = (
        "import sys\n"
        "from dataclasses import replace\n"
        "from rnncore.tasks.agreement.compare import Comparison, CompareSettings\n"
        "from rnncore.tasks.sentiment.bow import BagOfWords\n"
        "Comparison(replace(CompareSettings(), epochs=1, n_train=64, n_test=20, distance=2,"
        " eval_distances=(2,))).run()\n"
        "BagOfWords(epochs=2).fit(['good film', 'bad film'], [5, 1])\n"
        "print('torch._dynamo' in sys.modules)\n"
    )
    assert fresh_python(code)[-1] == "False"
