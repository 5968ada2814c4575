"""The three shapes of RNN in the notes, as models over rnncore's cells.

* :class:`Tagger` — many-to-many, T_x = T_y: one label per token (named entities).
* :class:`Classifier` — many-to-one: one label per sequence (stars, was/were).
* :class:`LanguageModel` — one-to-many: P(y<t> | y<1>..y<t-1>), scoring and sampling.
* :class:`rnncore.seq2seq.EncoderDecoder` — many-to-many, T_x != T_y: translation (registered here).

Each takes a dataclass :class:`ModelConfig`, saved beside the weights
(:mod:`rnncore.checkpoint`) and used to rebuild them.  Every model first maps
word ids to vectors with an embedding ``E`` of shape (V, n_e): the row
``E[id]`` equals ``E^T one_hot(id)``, the one-hot of the notes times a learned
matrix, without building the (T_x, V) matrix; the cell's ``x<t>`` is that row
(plus, for the tagger, features of the word's characters).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from rnncore.cells import make_cell
from rnncore.layers import Bidirectional, Recurrent, RecurrentOutput

ARCHS = ("rnn", "gru", "lstm", "birnn")


@dataclass
class ModelConfig:
    """Everything needed to rebuild a model's modules (not its weights).

    arch: "rnn", "gru", "lstm" or "birnn" (a bidirectional pair of vanilla RNN cells).
    vocab_size: rows of the embedding, <PAD> included.
    n_e: embedding size; n_a: hidden size per direction; n_y: output classes.
    n_char_vocab, n_char_e, n_char_filters: the tagger's character CNN (0 = none).
    n_features: extra per-token features (word shape) appended to x<t>.
    pooling: the classifier's summary of the states: "last" (the notes' many-to-one) or "mean".
    tie_weights: the language model's output layer reuses E (needs n_e == n_a).
    dropout: on embeddings and on states before the output layer.
    forget_bias: initial LSTM b_f.
    """

    arch: str
    vocab_size: int
    n_e: int
    n_a: int
    n_y: int
    n_char_vocab: int = 0
    n_char_e: int = 16
    n_char_filters: int = 0
    n_features: int = 0
    pooling: str = "last"
    tie_weights: bool = False
    dropout: float = 0.0
    forget_bias: float = 1.0

    def __post_init__(self):
        if self.arch not in ARCHS:
            raise ValueError(f"ModelConfig: arch must be one of {ARCHS}, got {self.arch!r}")
        if self.pooling not in ("last", "mean"):
            raise ValueError(f"ModelConfig: pooling must be 'last' or 'mean', got {self.pooling!r}")

    @classmethod
    def from_dict(cls, d: dict) -> ModelConfig:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in known})

    def to_dict(self) -> dict:
        return asdict(self)

    @property
    def n_x(self) -> int:
        """Size of each x<t> the cell reads."""
        return self.n_e + self.n_char_filters + self.n_features


def build_recurrent(arch: str, n_x: int, n_a: int, forget_bias: float = 1.0) -> nn.Module:
    """The recurrent layer for an architecture name; BRNN = two vanilla RNN cells."""
    if arch == "birnn":
        return Bidirectional(make_cell("rnn", n_x, n_a), make_cell("rnn", n_x, n_a))
    options = {"forget_bias": forget_bias} if arch == "lstm" else {}
    return Recurrent(make_cell(arch, n_x, n_a, **options))


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


class CharCNN(nn.Module):
    """Each word's characters -> one vector: embed, convolve (width 3), max over positions.

    Finds names never seen in training from their spelling (Lample et al., 2016;
    Ma and Hovy, 2016 use the same idea).

    Shape: chars (m, T_x, L) char ids, 0 = padding; returns (m, T_x, n_filters).
    """

    def __init__(self, n_chars: int, n_char_e: int, n_filters: int):
        super().__init__()
        self.embed = nn.Embedding(n_chars, n_char_e, padding_idx=0)
        self.conv = nn.Conv1d(n_char_e, n_filters, kernel_size=3, padding=1)

    def forward(self, chars: Tensor) -> Tensor:
        m, T_x, L = chars.shape
        e = self.embed(chars.reshape(m * T_x, L)).transpose(1, 2)  # (m T_x, n_char_e, L)
        h = torch.relu(self.conv(e))  # (m T_x, n_filters, L)
        h = h.masked_fill((chars.reshape(m * T_x, 1, L) == 0), 0.0)
        return h.max(dim=2).values.reshape(m, T_x, -1)  # (m, T_x, n_filters)


class _SequenceModel(nn.Module):
    """Shared front end: embedding (+ char CNN and features) -> recurrent layer."""

    def __init__(self, config: ModelConfig):
        super().__init__()
        self.config = config
        self.E = nn.Embedding(config.vocab_size, config.n_e, padding_idx=0)  # (V, n_e)
        self.char_cnn = (
            CharCNN(config.n_char_vocab, config.n_char_e, config.n_char_filters) if config.n_char_filters else None
        )
        self.recurrent = build_recurrent(config.arch, config.n_x, config.n_a, config.forget_bias)
        self.drop = nn.Dropout(config.dropout)

    @property
    def n_out(self) -> int:
        """Size of the states the output layer reads: n_a, or 2 n_a for the BRNN."""
        return self.recurrent.n_a

    def inputs(self, ids: Tensor, chars: Tensor | None = None, features: Tensor | None = None) -> Tensor:
        """x<t> for every token: [E[id], char CNN, features], (m, T_x, n_x)."""
        parts = [self.E(ids)]  # (m, T_x, n_e)
        if self.char_cnn is not None:
            parts.append(self.char_cnn(chars))  # (m, T_x, n_char_filters)
        if self.config.n_features:
            parts.append(features.to(parts[0].dtype))  # (m, T_x, n_features)
        return self.drop(torch.cat(parts, dim=2))

    def encode(
        self, ids: Tensor, lengths: Tensor | None = None, trace: bool = False, chars=None, features=None
    ) -> RecurrentOutput:
        return self.recurrent(self.inputs(ids, chars, features), lengths, trace=trace)


class Tagger(_SequenceModel):
    """Many-to-many (T_x = T_y): y_hat<t> = softmax(W_ya a<t> + b_y) for every token.

    With arch "birnn", a<t> = [a_fwd<t>, a_bwd<t>] and the tag at t sees the whole sentence.

    Shape: ids (m, T_x); chars (m, T_x, L); features (m, T_x, n_features); returns logits (m, T_x, n_y).
    """

    def __init__(self, config: ModelConfig):
        super().__init__(config)
        self.out = nn.Linear(self.n_out, config.n_y)  # W_ya: (n_y, n_a), b_y: (n_y,)

    def forward(self, ids, lengths=None, chars=None, features=None) -> Tensor:
        states = self.encode(ids, lengths, chars=chars, features=features).outputs  # (m, T_x, n_a)
        return self.out(self.drop(states))  # (m, T_x, n_y)


class Classifier(_SequenceModel):
    """Many-to-one: y_hat = softmax(W_ya a<T_x> + b_y), read from the final state.

    For the BRNN the summary is [a_fwd<T_x>, a_bwd<1>], each direction's last step.
    With pooling "mean" it is the mean of a<1>..a<T_x> instead.

    Shape: ids (m, T_x); returns logits (m, n_y).
    """

    def __init__(self, config: ModelConfig):
        super().__init__(config)
        self.out = nn.Linear(self.n_out, config.n_y)  # W_ya, b_y

    def summary(self, result: RecurrentOutput, lengths: Tensor) -> Tensor:
        if self.config.pooling == "mean":
            return result.outputs.sum(dim=1) / lengths[:, None].to(result.outputs.dtype)  # (m, n_a)
        state = result.state
        if self.config.arch == "birnn":
            fwd, bwd = state
            return torch.cat([fwd, bwd], dim=1)  # (m, 2 n_a)
        return state[0] if isinstance(state, tuple) else state  # (m, n_a)

    def forward(self, ids: Tensor, lengths: Tensor | None = None) -> Tensor:
        lengths = _full_lengths(ids, lengths)
        result = self.encode(ids, lengths)
        return self.out(self.drop(self.summary(result, lengths)))  # (m, n_y)

    @torch.no_grad()
    def prefix_probs(self, ids: Tensor) -> Tensor:
        """P(class) after reading each prefix x<1>..x<t> of one sequence: (T_x, n_y).

        Each prefix is run as a sequence of its own, so a bidirectional model's
        backward half starts at the prefix's last word, which is what it would see
        if the sentence stopped there.
        """
        T_x = ids.shape[-1]
        ids = ids.reshape(1, T_x).expand(T_x, T_x)  # (T_x, T_x): row t holds the whole sentence
        lengths = torch.arange(1, T_x + 1)
        return F.softmax(self(ids, lengths), dim=-1)  # (T_x, n_y)


class LanguageModel(_SequenceModel):
    """One-to-many: y_hat<t> = P(y<t> | y<1>..y<t-1>) over the vocabulary.

    The input at step t is the previous token (a <EOS> id stands in for the
    start, so the first word is predicted from a<1> with nothing read yet); the
    output layer reuses E when tie_weights (Press and Wolf, 2017).

    Shape: ids (m, T) input tokens; returns logits (m, T, V).
    """

    def __init__(self, config: ModelConfig):
        super().__init__(config)
        if config.arch == "birnn":
            raise ValueError("LanguageModel: a bidirectional model would see the word it must predict")
        if config.tie_weights and config.n_e != config.n_a:
            raise ValueError(f"LanguageModel: tie_weights needs n_e == n_a, got {config.n_e} and {config.n_a}")
        self.out = nn.Linear(config.n_a, config.vocab_size)  # W_ya: (V, n_a)
        if config.tie_weights:
            self.out.weight = self.E.weight

    def forward(self, ids: Tensor, lengths: Tensor | None = None, state0=None) -> Tensor:
        """Logits at every step; ``lengths`` is accepted like the other models' but not needed (see
        :meth:`states`): the logits after a row's end are padding's, which the losses ignore."""
        return self.output_layer(self.states(ids, state0))  # (m, T, V)

    def states(self, ids: Tensor, state0=None) -> Tensor:
        """a<t> at every step, with the output layer's dropout: (m, T, n_a).

        Every row runs to T: a<t> depends on x<1>..x<t> only, so the padding after a row's end cannot
        change a state before it. Torch's fused LSTM kernel backpropagates 15-20 times slower per
        token through packed rows of mixed lengths than through rows of one length (measured on
        29 rows of 91-363 words: 0.65-0.76 ms against 0.035 ms per token), and whole WikiText
        paragraphs are such rows.
        """
        x = self.inputs(ids)  # (m, T, n_e)
        return self.drop(self.recurrent(x, None, state0).outputs)  # (m, T, n_a)

    def output_layer(self, a: Tensor) -> Tensor:
        """W_ya a<t> + b_y for states of any leading shape (..., n_a) -> (..., V), <PAD> masked."""
        logits = self.out(a)
        logits[..., 0] = float("-inf")  # never predict <PAD>
        return logits

    @torch.no_grad()
    def token_log_probs(self, ids: list[int], start_id: int, end_id: int) -> list[float]:
        """log P(y<t> | y<1>..y<t-1>) for each token of ``ids`` followed by the end token."""
        inputs = torch.tensor([[start_id, *ids]])  # (1, T + 1)
        targets = torch.tensor([*ids, end_id])  # (T + 1,)
        log_p = F.log_softmax(self(inputs)[0], dim=-1)  # (T + 1, V)
        return log_p[torch.arange(len(targets)), targets].tolist()

    @torch.no_grad()
    def sample(
        self,
        start_id: int,
        end_id: int,
        max_len: int,
        temperature: float = 1.0,
        top_k: int = 0,
        seed: int = 0,
        prefix: list[int] | None = None,
        banned: tuple[int, ...] = (),
    ) -> tuple[list[int], list[Tensor]]:
        """Sample tokens until ``end_id`` or ``max_len``; returns the ids and each step's distribution.

        The logits are divided by ``temperature``; with ``top_k`` > 0 only the k largest survive.
        ``prefix`` tokens are read first and kept.
        """
        generator = torch.Generator().manual_seed(seed)
        state = None
        x = torch.tensor([[start_id, *(prefix or [])]])  # (1, T0)
        out: list[int] = list(prefix or [])
        dists: list[Tensor] = []
        for _ in range(max_len):
            logits, state = self._step(x, state)
            probs = sampling_distribution(logits, temperature, top_k, banned)  # (V,)
            next_id = int(torch.multinomial(probs, 1, generator=generator))
            dists.append(probs)
            if next_id == end_id:
                break
            out.append(next_id)
            x = torch.tensor([[next_id]])
        return out, dists

    def _step(self, x: Tensor, state):
        result = self.recurrent(self.inputs(x), None, state)
        logits = self.out(result.outputs[0, -1])  # (V,)
        logits[0] = float("-inf")
        return logits, result.state


def sampling_distribution(logits: Tensor, temperature: float, top_k: int, banned: tuple[int, ...] = ()) -> Tensor:
    """softmax(logits / temperature) over the top_k largest logits (all when top_k is 0)."""
    logits = logits.clone()
    if banned:
        logits[list(banned)] = float("-inf")
    logits = logits / max(temperature, 1e-4)
    if 0 < top_k < logits.numel():
        kth = torch.topk(logits, top_k).values[-1]
        logits[logits < kth] = float("-inf")
    return F.softmax(logits, dim=-1)


def _full_lengths(ids: Tensor, lengths: Tensor | None) -> Tensor:
    if lengths is None:
        return torch.full((ids.shape[0],), ids.shape[1], dtype=torch.long)
    return torch.as_tensor(lengths, dtype=torch.long)


class Forecaster(nn.Module):
    """Many-to-one regression for a time series: y_hat = W_ya a<T_x> + b_y, the next value from the
    T_x values before it, each x<t> a vector of n_features numbers (here the scaled value itself).

    There is no embedding (``vocab_size`` and ``n_e`` are 0): x<t> is the input as it is. For the BRNN
    the summary is [a_fwd<T_x>, a_bwd<1>], as in :class:`Classifier`.

    Shape: x (m, T_x, n_features); returns (m,) forecasts in the scaled units.
    """

    def __init__(self, config: ModelConfig):
        super().__init__()
        if config.n_features < 1 or config.vocab_size or config.n_e:
            raise ValueError("Forecaster: needs n_features >= 1 and no embedding (vocab_size = n_e = 0)")
        self.config = config
        self.recurrent = build_recurrent(config.arch, config.n_features, config.n_a, config.forget_bias)
        self.drop = nn.Dropout(config.dropout)
        self.out = nn.Linear(self.recurrent.n_a, 1)  # W_ya: (1, n_a), b_y: (1,)

    def summary(self, result: RecurrentOutput, lengths: Tensor) -> Tensor:
        state = result.state
        if self.config.arch == "birnn":
            return torch.cat(list(state), dim=1)  # (m, 2 n_a)
        return state[0] if isinstance(state, tuple) else state  # (m, n_a)

    def forward(self, x: Tensor) -> Tensor:
        lengths = torch.full((x.shape[0],), x.shape[1], dtype=torch.long)
        result = self.recurrent(x, lengths)
        return self.out(self.drop(self.summary(result, lengths)))[:, 0]  # (m,)


from rnncore.seq2seq import EncoderDecoder  # noqa: E402  (the T_x != T_y shape, in a module of its own)

MODELS = {cls.__name__: cls for cls in (Tagger, Classifier, LanguageModel, Forecaster, EncoderDecoder)}


ARCH_NAMES = {"rnn": "RNN", "gru": "GRU", "lstm": "LSTM", "birnn": "BRNN"}
"""How the lessons name each architecture: "birnn" is the notes' bidirectional RNN (BRNN)."""
