r"""The four architectures trained side by side on a long-range dependency.

``Comparison(settings)`` builds the data (:mod:`rnncore.tasks.agreement.data`) and one
:class:`~rnncore.models.Classifier` per architecture (rnn, gru, lstm, birnn), all
with the same budget: the same hidden size n_a, or (``budget="params"``) the hidden
size that gives each about as many parameters as the LSTM.  ``run(progress,
should_stop)`` trains them in turns, one epoch of each architecture at a time, so
that every loss curve grows together and a stop leaves all four at the same point;
after each epoch it calls ``progress(event)`` and asks ``should_stop()``.  All the
state (models, optimisers, curves, timings) lives on the object, so a caller that is
interrupted between epochs keeps the partial results.

Training minimises the cross-entropy of the label

.. math::
    \mathcal{L} = -\frac{1}{m} \sum_{i=1}^{m} \log \hat{y}_{y_i}, \quad
    \hat{y} = \mathrm{softmax}(W_{ya} a^{\langle T_x \rangle} + b_y)

with Adam and gradient clipping by norm, on sentences whose clause has 1 to D words;
accuracy is measured on held-out sentences at exactly D words (and at several other
distances for the accuracy-against-distance figure).  The hyperparameters are shared,
not tuned per architecture: this is a demonstration, not a benchmark.

Seeded: the same settings give the same data, initial weights, batch order and
hence the same curves (on the same machine and thread count).
"""

from __future__ import annotations

import math
import pickle
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields, replace

import torch
import torch.nn.functional as F
from torch import Tensor

from rnncore.models import ARCHS, Classifier, ModelConfig, count_parameters
from rnncore.optim import Adam
from rnncore.tasks.agreement import data as agreement
from rnncore.tasks.agreement.data import Batch
from rnncore.threads import torch_threads

# Bounds enforced in Python whatever the widgets allow: they keep a live run bounded for one visitor.
LIMITS: dict[str, tuple[int, int]] = {
    "distance": (0, 60),
    "epochs": (1, 40),
    "n_a": (2, 128),
    "batch_size": (8, 256),
    "n_train": (64, 6000),
    "n_test": (20, 2000),
}


class Abandoned(RuntimeError):
    """An epoch given up part-way because nobody reads the run (see :meth:`Comparison.train_epoch`)."""


BUDGETS = ("n_a", "params")


@dataclass(frozen=True)
class CompareSettings:
    """Everything that decides a comparison; equal settings give equal results.

    distance: words in the distractor clause of the held-out sentences; training clauses have
        ``min_train_distance``..distance words.
    n_a: hidden size (per direction for the BRNN); with budget "params", the LSTM's, and the
        other cells get the n_a that gives them about as many parameters.
    gru_update_bias: initial GRU b_u.  -1 mirrors the LSTM's b_f = +1 (ModelConfig.forget_bias):
        both gated cells start by keeping about 73% of their memory per step (sigmoid(1) = 0.73).
    The defaults were measured to show the lesson (see benchmarks/compare_lab.py): at distance
    30, LSTM and GRU reach 1.00 held-out accuracy in 1-4 epochs for seeds 0..11 while the vanilla
    RNN stays near 0.5 (it needs 8-15 epochs, when it learns at all).
    """

    task: str = "agreement"
    distance: int = 30
    seed: int = 0
    epochs: int = 6
    n_a: int = 32
    budget: str = "params"
    batch_size: int = 32
    lr: float = 0.005
    clip: float = 1.0
    n_e: int = 16
    n_train: int = 2000
    n_test: int = 400
    min_train_distance: int = 1
    gru_update_bias: float | None = -1.0
    archs: tuple[str, ...] = ARCHS
    eval_distances: tuple[int, ...] = (1, 2, 3, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["archs"], d["eval_distances"] = list(self.archs), list(self.eval_distances)
        return d

    @classmethod
    def from_dict(cls, d: dict) -> CompareSettings:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in d.items() if k in known}
        for key in ("archs", "eval_distances"):
            if key in values:
                values[key] = tuple(values[key])
        return cls(**values)


def distances_with(distances, distance: int) -> tuple[int, ...]:
    """``distances`` forced into the distance limits, with ``distance`` added, in order, once each."""
    low, high = LIMITS["distance"]
    return tuple(sorted({min(max(int(d), low), high) for d in distances} | {distance}))


def clamp(settings: CompareSettings) -> tuple[CompareSettings, list[str]]:
    """The settings with every bounded value forced into :data:`LIMITS`, and a note per change."""
    changes: dict = {}
    notes: list[str] = []
    for name, (low, high) in LIMITS.items():
        value = getattr(settings, name)
        bounded = min(max(int(value), low), high)
        if bounded != value:
            changes[name] = bounded
            notes.append(f"{name} {value} is outside {low}..{high}; using {bounded}")
    if settings.task not in agreement.TASKS:
        raise ValueError(f"unknown task {settings.task!r}; expected one of {agreement.TASKS}")
    if settings.budget not in BUDGETS:
        raise ValueError(f"budget must be one of {BUDGETS}, got {settings.budget!r}")
    unknown = [a for a in settings.archs if a not in ARCHS]
    if unknown or not settings.archs:
        raise ValueError(f"archs must be a non-empty subset of {ARCHS}, got {settings.archs!r}")
    if not (0 < settings.lr <= 1 and math.isfinite(settings.lr)):
        raise ValueError(f"lr must be in (0, 1], got {settings.lr}")
    distance = changes.get("distance", settings.distance)
    eval_distances = distances_with(settings.eval_distances, distance)
    if eval_distances != settings.eval_distances:
        changes["eval_distances"] = eval_distances
    min_train = min(max(settings.min_train_distance, 0), distance)
    if min_train != settings.min_train_distance:
        changes["min_train_distance"] = min_train
    return replace(settings, **changes), notes


def recurrent_parameters(arch: str, n_x: int, n_a: int) -> int:
    """Weights and biases of the recurrent layer: RNN n_a(n_a + n_x) + n_a, GRU 3x, LSTM 4x, BRNN 2x RNN."""
    one = n_a * (n_a + n_x) + n_a
    return {"rnn": one, "gru": 3 * one, "lstm": 4 * one, "birnn": 2 * one}[arch]


def model_parameters(arch: str, V: int, n_e: int, n_a: int, n_y: int) -> int:
    """All parameters of a Classifier: E (V, n_e), the recurrent layer, W_ya and b_y."""
    n_out = 2 * n_a if arch == "birnn" else n_a
    return V * n_e + recurrent_parameters(arch, n_e, n_a) + n_out * n_y + n_y


def hidden_sizes(settings: CompareSettings, V: int, n_y: int = 2) -> dict[str, int]:
    """n_a per architecture: all equal, or each the largest giving at most the LSTM's parameter count."""
    if settings.budget == "n_a":
        return {arch: settings.n_a for arch in settings.archs}
    target = model_parameters("lstm", V, settings.n_e, settings.n_a, n_y)
    sizes = {}
    for arch in settings.archs:
        n_a = 1
        while model_parameters(arch, V, settings.n_e, n_a + 1, n_y) <= target and n_a < 4 * LIMITS["n_a"][1]:
            n_a += 1
        sizes[arch] = n_a
    return sizes


@dataclass
class CompareData:
    """Training batch, held-out batches by distance, and the vocabulary."""

    vocab: object
    train: Batch
    test: dict[int, Batch]
    examples: list = field(repr=False, default_factory=list)  # the first few training sentences, for display


def make_data(settings: CompareSettings) -> CompareData:
    """Seeded sentences: training clauses of min_train_distance..distance words, tests at each distance.

    The held-out sentences come from a different seed stream than the training ones.
    """
    vocabulary = agreement.vocab()
    train_distances = range(settings.min_train_distance, settings.distance + 1)
    train_examples = agreement.generate(settings.task, settings.n_train, train_distances, seed=settings.seed)
    test = {
        d: agreement.encode(agreement.generate(settings.task, settings.n_test, d, seed=10_000 + 97 * settings.seed + d),
                            vocabulary)
        for d in settings.eval_distances
    }
    # Only a few sentences are kept as text: a live run lives in a visitor's session, so keep it small.
    return CompareData(vocabulary, agreement.encode(train_examples, vocabulary), test, train_examples[:4])


_SEED_LOCK = threading.Lock()  # torch's global generator is shared by every thread (Streamlit sessions)


def build_model(arch: str, V: int, n_a: int, settings: CompareSettings, n_y: int = 2) -> Classifier:
    """A many-to-one Classifier (pooling "last") with weights drawn from a seed of its own."""
    config = ModelConfig(arch=arch, vocab_size=V, n_e=settings.n_e, n_a=n_a, n_y=n_y, pooling="last")
    with _SEED_LOCK, torch.random.fork_rng(devices=[]):
        torch.manual_seed(settings.seed * 1000 + ARCHS.index(arch))
        model = Classifier(config)
    if arch == "gru" and settings.gru_update_bias is not None:
        torch.nn.init.constant_(model.recurrent.cell.b_u, settings.gru_update_bias)
    return model


def logits_of(model: Classifier, batch: Batch, task: str) -> Tensor:
    """y-hat logits read where the task puts its label: the last step (agreement) or the labelled word.

    For the lookahead task the state at the labelled word is a<t> (for the BRNN [a_fwd<t>, a_bwd<t>]).
    """
    if task == "agreement":
        return model(batch.ids, batch.lengths)  # (m, n_y)
    states = model.encode(batch.ids, batch.lengths).outputs  # (m, T_x, n_a)
    at_label = states[torch.arange(len(batch)), batch.position]  # (m, n_a)
    return model.out(at_label)  # (m, n_y)


@torch.no_grad()
def accuracy(model: Classifier, batch: Batch, task: str, chunk: int = 512) -> float:
    was_training = model.training
    model.eval()
    correct = 0
    for start in range(0, len(batch), chunk):
        rows = torch.arange(start, min(start + chunk, len(batch)))
        part = batch.take(rows)
        correct += int((logits_of(model, part, task).argmax(dim=1) == part.y).sum())
    model.train(was_training)
    return correct / len(batch)


@dataclass
class Progress:
    """What ``progress`` receives after each epoch of one architecture."""

    arch: str
    epoch: int  # epochs this architecture has finished, 1-based
    epochs: int
    loss: float  # mean training loss over the epoch
    train_accuracy: float
    val_accuracy: float  # held-out accuracy at the set distance
    seconds: float  # this architecture's training time so far
    fraction: float  # share of the whole comparison done, 0..1


@dataclass
class ArchRun:
    """One architecture's model, optimiser and record."""

    arch: str
    n_a: int
    model: Classifier
    optimizer: Adam
    generator: torch.Generator
    params: int
    epochs_done: int = 0
    seconds: float = 0.0
    loss_curve: list[tuple[float, float]] = field(default_factory=list)  # (epochs, loss) every few batches
    epoch_loss: list[float] = field(default_factory=list)
    train_accuracy: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
    accuracy_by_distance: dict[int, float] = field(default_factory=dict)


class Comparison:
    """Trains the chosen architectures in turns on the same data; see the module docstring."""

    points_per_epoch = 8  # loss-curve points per epoch

    def __init__(self, settings: CompareSettings | None = None):
        self.settings, self.notes = clamp(settings or CompareSettings())
        self.data = make_data(self.settings)
        V = len(self.data.vocab)
        self.sizes = hidden_sizes(self.settings, V)
        self.runs: dict[str, ArchRun] = {}
        for arch in self.settings.archs:
            model = build_model(arch, V, self.sizes[arch], self.settings)
            self.runs[arch] = ArchRun(
                arch=arch,
                n_a=self.sizes[arch],
                model=model,
                optimizer=Adam(model.parameters(), lr=self.settings.lr),
                generator=torch.Generator().manual_seed(self.settings.seed * 1000 + 500 + ARCHS.index(arch)),
                params=count_parameters(model),
            )
        self.stopped = False
        self.evaluated = False
        self.threads = torch.get_num_threads()  # intra-op threads of the latest training

    # -- state ---------------------------------------------------------------------------------------
    @property
    def finished(self) -> bool:
        return all(run.epochs_done >= self.settings.epochs for run in self.runs.values())

    @property
    def fraction(self) -> float:
        total = self.settings.epochs * len(self.runs)
        return sum(run.epochs_done for run in self.runs.values()) / total

    # -- training ------------------------------------------------------------------------------------
    def train_epoch(self, run: ArchRun, abandon: Callable[[], bool] | None = None) -> tuple[float, float]:
        """One pass over the training sentences in a seeded order; returns (mean loss, accuracy).

        ``abandon`` is asked before every batch; a True puts this architecture back as it was before the
        epoch (weights, optimiser moments, its generator, curves) and raises :class:`Abandoned`: a run
        that nobody reads gives its CPU back within one batch, and what it keeps is a run stopped
        between epochs, which continues exactly as if it had never been interrupted.
        """
        before = pickle.dumps(run, protocol=pickle.HIGHEST_PROTOCOL) if abandon is not None else None
        settings, train = self.settings, self.data.train
        model = run.model
        model.train()
        order = torch.randperm(len(train), generator=run.generator)
        batches = list(order.split(settings.batch_size))
        every = max(1, len(batches) // self.points_per_epoch)
        total_loss, correct, chunk_losses = 0.0, 0, []
        start = time.perf_counter()
        for k, rows in enumerate(batches):
            if abandon is not None and abandon():
                vars(run).update(vars(pickle.loads(before)))  # the model, its optimiser and generator together
                raise Abandoned(f"{run.arch}: abandoned after {k} of {len(batches)} batches of epoch "
                                f"{run.epochs_done + 1}, put back to the epoch's start")
            batch = train.take(rows)
            logits = logits_of(model, batch, settings.task)  # (m, n_y)
            loss = F.cross_entropy(logits, batch.y)
            run.optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), settings.clip)
            run.optimizer.step()
            value = float(loss.detach())
            total_loss += value * len(rows)
            correct += int((logits.argmax(dim=1) == batch.y).sum())
            chunk_losses.append(value)
            if (k + 1) % every == 0 or k + 1 == len(batches):
                x = run.epochs_done + (k + 1) / len(batches)
                run.loss_curve.append((round(x, 4), sum(chunk_losses) / len(chunk_losses)))
                chunk_losses = []
        run.seconds += time.perf_counter() - start
        run.epochs_done += 1
        mean_loss, train_acc = total_loss / len(train), correct / len(train)
        run.epoch_loss.append(mean_loss)
        run.train_accuracy.append(train_acc)
        run.val_accuracy.append(accuracy(model, self.data.test[settings.distance], settings.task))
        return mean_loss, train_acc

    def run(
        self,
        progress: Callable[[Progress], None] | None = None,
        should_stop: Callable[[], bool] | None = None,
        evaluate: bool = True,
        threads: int | None = 1,
        abandon: Callable[[], bool] | None = None,
    ) -> Comparison:
        """Train every architecture to ``settings.epochs``, one epoch of each in turn.

        ``progress`` is called after each architecture's epoch (a caller may update a display,
        or be interrupted there: the state is complete at that point); ``should_stop`` is
        asked before each epoch, and a True ends the run early (``self.stopped``).
        Can be called again after a stop to continue.  ``threads``: see :func:`torch_threads`.
        ``abandon``: asked before every batch; True ends the run within one batch, the epoch under way
        undone (see :meth:`train_epoch`), as a stopped run (``self.stopped``), not evaluated (the
        accuracy at every distance is measured when someone asks: :meth:`summary`, :meth:`evaluate`).
        """
        with torch_threads(threads):
            self.threads = torch.get_num_threads()
            return self._run(progress, should_stop, evaluate, abandon)

    def _run(self, progress, should_stop, evaluate, abandon=None) -> Comparison:
        self.stopped = abandoned = False
        self.evaluated = False  # the weights are about to change; earlier measurements go stale
        while not self.finished:
            for run in self.runs.values():
                if run.epochs_done >= self.settings.epochs:
                    continue
                if should_stop is not None and should_stop():
                    self.stopped = True
                    break
                try:
                    loss, train_acc = self.train_epoch(run, abandon)
                except Abandoned:
                    self.stopped = abandoned = True
                    break
                if progress is not None:
                    progress(Progress(run.arch, run.epochs_done, self.settings.epochs, loss, train_acc,
                                      run.val_accuracy[-1], run.seconds, self.fraction))
            if self.stopped:
                break
        if evaluate and not abandoned:  # nobody is reading: measuring every distance would only delay the turn
            self.evaluate()
        return self

    def evaluate(self) -> dict[str, dict[int, float]]:
        """Held-out accuracy of every model at every evaluation distance (whatever training reached)."""
        for run in self.runs.values():
            run.accuracy_by_distance = {
                d: accuracy(run.model, batch, self.settings.task) for d, batch in self.data.test.items()
            }
        self.evaluated = True
        return {arch: run.accuracy_by_distance for arch, run in self.runs.items()}

    # -- results -------------------------------------------------------------------------------------
    def mark_stopped(self) -> None:
        """Record that training ended before ``settings.epochs`` (a Stop, or an interrupted caller),
        and measure what the models learnt so far."""
        self.stopped = not self.finished
        self.evaluate()

    def accuracy_at_distance(self, arch: str) -> float:
        """Held-out accuracy at the set distance (after the latest epoch; chance-level before any)."""
        run = self.runs[arch]
        if self.settings.distance in run.accuracy_by_distance:
            return run.accuracy_by_distance[self.settings.distance]
        if run.val_accuracy:  # the same sentences and the same weights: the same number
            return run.val_accuracy[-1]
        return accuracy(run.model, self.data.test[self.settings.distance], self.settings.task)

    def summary(self) -> dict[str, dict]:
        """The CLI contract: {arch: {"accuracy", "seconds", "params", "by_distance"}}: held-out accuracy at
        the set distance, training seconds, parameters, and held-out accuracy at every evaluation distance
        ({"1": 0.98, ..., "30": 0.51}; measured once training has ended)."""
        if not self.evaluated:
            self.evaluate()
        return {
            arch: {"accuracy": self.accuracy_at_distance(arch), "seconds": round(run.seconds, 3),
                   "params": run.params,
                   "by_distance": {str(d): a for d, a in sorted(run.accuracy_by_distance.items())}}
            for arch, run in self.runs.items()
        }

    def record(self) -> dict:
        """Everything a page needs to redraw the run without training: settings, curves, accuracies."""
        settings = self.settings
        return {
            "settings": settings.to_dict(),
            "notes": list(self.notes),
            "stopped": self.stopped,
            "labels": list(agreement.LABELS if settings.task == "agreement" else agreement.LOOKAHEAD_LABELS),
            "threads": self.threads,
            "examples": [agreement.sentence_text(e, settings.task) for e in self.data.examples],
            "archs": {
                arch: {
                    "n_a": run.n_a,
                    "params": run.params,
                    "epochs_done": run.epochs_done,
                    "seconds": round(run.seconds, 3),
                    "accuracy": self.accuracy_at_distance(arch),
                    "loss_curve": [list(p) for p in run.loss_curve],
                    "epoch_loss": run.epoch_loss,
                    "train_accuracy": run.train_accuracy,
                    "val_accuracy": run.val_accuracy,
                    "accuracy_by_distance": {str(d): a for d, a in sorted(run.accuracy_by_distance.items())},
                }
                for arch, run in self.runs.items()
            },
        }


