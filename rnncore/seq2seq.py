r"""The encoder-decoder of the notes' many-to-many shape with T_x != T_y (machine translation), with and
without attention, and its two decoders: greedy and beam search.

The encoder reads x<1>..x<T_x> and keeps every state a<t'> (for a bidirectional encoder
a<t'> = [a_fwd<t'>, a_bwd<t'>]); its summary, [a_fwd<T_x>, a_bwd<1>], sets the decoder's first state

.. math::
    s^{\langle 0 \rangle} = \tanh(W_s [\overrightarrow{a}^{\langle T_x \rangle}, \overleftarrow{a}^{\langle 1 \rangle}] + b_s)

The decoder is an RNN of its own that writes y<1>..y<T_y> one token at a time, each fed back as the
next input (y<0> is <SOS>), until it writes <EOS>:

.. math::
    s^{\langle t \rangle} &= \mathrm{cell}(s^{\langle t-1 \rangle}, [E_y y^{\langle t-1 \rangle}, \bar{c}]) \\
    \tilde{s}^{\langle t \rangle} &= \tanh(W_o [s^{\langle t \rangle}, c^{\langle t \rangle}] + b_o) \\
    \hat{y}^{\langle t \rangle} &= \mathrm{softmax}(W_y \tilde{s}^{\langle t \rangle} + b_y)
        = P(y^{\langle t \rangle} \mid y^{\langle 1 \rangle}, \dots, y^{\langle t-1 \rangle}, x)

Without attention the context is the summary at every step, c<t> = c̄ (Cho et al., 2014: the summary is
read at every step, as input and by the output layer), so the whole sentence must fit one vector. With
attention (Luong et al., 2015, global attention with the "general" score) the decoder looks back at
every a<t'> at every step:

.. math::
    e^{\langle t, t' \rangle} &= s^{\langle t \rangle \top} W_\alpha a^{\langle t' \rangle} \\
    \alpha^{\langle t, t' \rangle} &= \frac{\exp e^{\langle t, t' \rangle}}{\sum_{t''=1}^{T_x} \exp e^{\langle t, t'' \rangle}} \\
    c^{\langle t \rangle} &= \sum_{t'=1}^{T_x} \alpha^{\langle t, t' \rangle} a^{\langle t' \rangle}

and then its input is E_y y<t-1> alone. The score reads s<t> (Luong) rather than s<t-1> (Bahdanau),
so that in training, where every y<t-1> is known (teacher forcing), the decoder's states come from one
pass of the fast recurrent layer and attention for every t in one batched product. Here "c<t>" is the
notes' attention context; the LSTM's memory cell, inside the cells, keeps its own name.

The output layer reuses the target embedding (``tie_weights``: W_y = E_y, Press and Wolf, 2017), so
s̃<t> has the embedding's size n_e.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from rnncore.cells import make_cell
from rnncore.layers import Bidirectional, Recurrent, lengths_mask

SEQ2SEQ_ARCHS = ("gru", "lstm", "rnn")


@dataclass
class Seq2SeqConfig:
    """Everything needed to rebuild an :class:`EncoderDecoder`'s modules (not its weights).

    arch: the cell of both encoder and decoder, "gru", "lstm" or "rnn".
    source_vocab_size, target_vocab_size: rows of E_x and E_y (and of W_y), <PAD> included.
    n_e: embedding size of both languages, and of s̃<t>.
    n_a: encoder state per direction; a<t'> has 2 n_a numbers when bidirectional.
    n_s: decoder state s<t>.
    attention: c<t> from attention over a<1>..a<T_x>, or the fixed summary c̄.
    bidirectional: the encoder reads both ways.
    tie_weights: W_y = E_y.
    dropout: on embeddings and on s̃<t> while training.
    """

    arch: str
    source_vocab_size: int
    target_vocab_size: int
    n_e: int = 128
    n_a: int = 128
    n_s: int = 256
    attention: bool = True
    bidirectional: bool = True
    tie_weights: bool = True
    dropout: float = 0.1
    forget_bias: float = 1.0

    def __post_init__(self):
        if self.arch not in SEQ2SEQ_ARCHS:
            raise ValueError(f"Seq2SeqConfig: arch must be one of {SEQ2SEQ_ARCHS}, got {self.arch!r}")

    @classmethod
    def from_dict(cls, d: dict) -> Seq2SeqConfig:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in known})

    def to_dict(self) -> dict:
        return asdict(self)

    @property
    def n_enc(self) -> int:
        """Size of each encoder state a<t'>."""
        return self.n_a * (2 if self.bidirectional else 1)


@dataclass
class Encoded:
    """The encoder's result for a batch of sources.

    a: every state a<t'>, (m, T_x, n_enc), zeros at padding; summary: c̄, (m, n_enc);
    mask: (m, T_x), True at real tokens; keys: W_alpha a<t'>, (m, T_x, n_s) (None without attention).
    """

    a: Tensor
    summary: Tensor
    mask: Tensor
    keys: Tensor | None

    def select(self, rows: Tensor) -> Encoded:
        """The sources of ``rows``, in that order (a source repeated once per beam)."""
        return Encoded(*(t[rows] if t is not None else None for t in (self.a, self.summary, self.mask, self.keys)))


@dataclass
class Step:
    """One decoder step for every row: log P(y<t> | y<1>..y<t-1>, x) (m, V_y), the new state, α<t,·> (m, T_x)."""

    log_probs: Tensor
    state: Tensor | tuple[Tensor, Tensor]
    alpha: Tensor


@dataclass
class Decoded:
    """A translation: the output ids y<1>..y<T_y> (without <EOS>), log P of each step (the last one the
    <EOS>, if written), the attention weights α<t,t'> (T_y + 1, T_x) of each step (zeros without
    attention), and whether it ended with <EOS> (else the length cap stopped it)."""

    ids: list[int]
    step_log_probs: list[float]
    alphas: Tensor
    finished: bool

    @property
    def log_prob(self) -> float:
        return float(sum(self.step_log_probs))


class EncoderDecoder(nn.Module):
    """Encoder-decoder translation model (module docstring for the equations).

    Shape: x (m, T_x) source ids, 0 = padding at the end; x_lengths (m,); y_in (m, T_y) the decoder's
    inputs <SOS>, y<1>..y<T_y - 1>; forward returns logits (m, T_y, V_y) and α (m, T_y, T_x).
    """

    config_class = Seq2SeqConfig  # what rnncore.checkpoint.load rebuilds the config with

    def __init__(self, config: Seq2SeqConfig):
        super().__init__()
        c = config
        if c.tie_weights and c.n_e <= 0:
            raise ValueError("EncoderDecoder: tie_weights needs n_e > 0")
        self.config = c
        options = {"forget_bias": c.forget_bias} if c.arch == "lstm" else {}
        self.E_x = nn.Embedding(c.source_vocab_size, c.n_e, padding_idx=0)  # (V_x, n_e)
        if c.bidirectional:
            self.encoder = Bidirectional(make_cell(c.arch, c.n_e, c.n_a, **options),
                                         make_cell(c.arch, c.n_e, c.n_a, **options))
        else:
            self.encoder = Recurrent(make_cell(c.arch, c.n_e, c.n_a, **options))
        self.W_s = nn.Linear(c.n_enc, c.n_s)  # s<0> from the summary: (n_s, n_enc)
        self.E_y = nn.Embedding(c.target_vocab_size, c.n_e, padding_idx=0)  # (V_y, n_e)
        n_in = c.n_e if c.attention else c.n_e + c.n_enc
        self.decoder = Recurrent(make_cell(c.arch, n_in, c.n_s, **options))
        self.W_alpha = nn.Linear(c.n_enc, c.n_s, bias=False) if c.attention else None  # (n_s, n_enc)
        self.W_o = nn.Linear(c.n_s + c.n_enc, c.n_e)  # s~<t> from [s<t>, c<t>]: (n_e, n_s + n_enc)
        self.out = nn.Linear(c.n_e, c.target_vocab_size)  # W_y: (V_y, n_e), b_y: (V_y,)
        if c.tie_weights:
            self.out.weight = self.E_y.weight
        self.drop = nn.Dropout(c.dropout)

    # -- encoder ---------------------------------------------------------------------------------------
    def encode(self, x: Tensor, x_lengths: Tensor | None = None, trace: bool = False) -> Encoded:
        m, T_x = x.shape
        x_lengths = torch.full((m,), T_x, dtype=torch.long) if x_lengths is None else torch.as_tensor(x_lengths)
        result = self.encoder(self.drop(self.E_x(x)), x_lengths, trace=trace)  # outputs (m, T_x, n_enc)
        a = result.outputs  # (m, T_x, n_enc)
        state = result.state
        if self.config.bidirectional:
            fwd, bwd = state
            summary = torch.cat([_hidden(fwd), _hidden(bwd)], dim=1)  # (m, 2 n_a): [a_fwd<T_x>, a_bwd<1>]
        else:
            summary = _hidden(state)  # (m, n_a): a<T_x>
        mask = lengths_mask(x_lengths, T_x)  # (m, T_x)
        keys = self.W_alpha(a) if self.W_alpha is not None else None  # (m, T_x, n_s)
        return Encoded(a, summary, mask, keys)

    def initial_state(self, enc: Encoded):
        """s<0> = tanh(W_s c̄ + b_s); an LSTM decoder's memory cell starts at zero."""
        s0 = torch.tanh(self.W_s(enc.summary))  # (m, n_s)
        return (s0, torch.zeros_like(s0)) if self.config.arch == "lstm" else s0

    # -- attention and output ----------------------------------------------------------------------------
    def attend(self, s: Tensor, enc: Encoded) -> tuple[Tensor, Tensor]:
        """c<t> and α<t,t'> for decoder states s (m, T_y, n_s): returns (m, T_y, n_enc) and (m, T_y, T_x)."""
        if self.W_alpha is None:
            m, T_y = s.shape[:2]
            context = enc.summary[:, None, :].expand(m, T_y, enc.summary.shape[1])  # (m, T_y, n_enc): c<t> = c̄
            return context, s.new_zeros(m, T_y, enc.a.shape[1])
        e = torch.bmm(s, enc.keys.transpose(1, 2))  # (m, T_y, T_x): e<t,t'> = s<t>^T W_alpha a<t'>
        e = e.masked_fill(~enc.mask[:, None, :], float("-inf"))
        alpha = F.softmax(e, dim=2)  # (m, T_y, T_x), each row sums to 1 over t'
        context = torch.bmm(alpha, enc.a)  # (m, T_y, n_enc)
        return context, alpha

    def logits(self, s: Tensor, context: Tensor) -> Tensor:
        s_tilde = torch.tanh(self.W_o(torch.cat([s, context], dim=-1)))  # (m, T_y, n_e)
        return self.out(self.drop(s_tilde))  # (m, T_y, V_y)

    def decoder_inputs(self, y_prev: Tensor, enc: Encoded) -> Tensor:
        x = self.drop(self.E_y(y_prev))  # (m, T_y, n_e)
        if self.config.attention:
            return x
        summary = enc.summary[:, None, :].expand(x.shape[0], x.shape[1], enc.summary.shape[1])  # (m, T_y, n_enc)
        return torch.cat([x, summary], dim=2)  # (m, T_y, n_e + n_enc)

    # -- training: every y<t-1> known (teacher forcing) -------------------------------------------------
    def decode_teacher_forced(self, x: Tensor, x_lengths: Tensor, y_in: Tensor, y_lengths: Tensor | None = None
                              ) -> tuple[Tensor, Tensor, Tensor]:
        """Decoder states s<1>..s<T_y> when y<t-1> is the reference's, in one pass: (m, T_y, n_s), with
        the contexts c<t> (m, T_y, n_enc) and α (m, T_y, T_x)."""
        enc = self.encode(x, x_lengths)
        s = self.decoder(self.decoder_inputs(y_in, enc), y_lengths, self.initial_state(enc)).outputs  # (m, T_y, n_s)
        context, alpha = self.attend(s, enc)
        return s, context, alpha

    def forward(self, x: Tensor, x_lengths: Tensor, y_in: Tensor, y_lengths: Tensor | None = None
                ) -> tuple[Tensor, Tensor]:
        """Logits of every y<t> given the reference's y<1>..y<t-1>: (m, T_y, V_y), and α (m, T_y, T_x)."""
        s, context, alpha = self.decode_teacher_forced(x, x_lengths, y_in, y_lengths)
        return self.logits(s, context), alpha

    def loss(self, x: Tensor, x_lengths: Tensor, y_in: Tensor, y_out: Tensor, y_lengths: Tensor,
             label_smoothing: float = 0.0, reduction: str = "mean") -> Tensor:
        """Cross-entropy of the reference y<1>..y<T_y> <EOS> (teacher forcing), over real tokens only:
        the output layer, the largest product of a step, never sees a padded position."""
        s, context, _ = self.decode_teacher_forced(x, x_lengths, y_in, y_lengths)
        real = y_out > 0  # (m, T_y)
        logits = self.logits(s[real], context[real])  # (N, V_y), N real target tokens
        return F.cross_entropy(logits, y_out[real], label_smoothing=label_smoothing, reduction=reduction)

    # -- inference: one step at a time, each output fed back ----------------------------------------------
    def step(self, y_prev: Tensor, state, enc: Encoded, banned: tuple[int, ...] = ()) -> Step:
        """One decoder step for every row: y_prev (m,) ids of y<t-1>, state s<t-1>."""
        x_t = self.decoder_inputs(y_prev[:, None], enc)[:, 0]  # (m, n_x)
        state = self.decoder.cell(x_t, state)
        s = state[0] if isinstance(state, tuple) else state  # (m, n_s)
        context, alpha = self.attend(s[:, None, :], enc)  # (m, 1, n_enc), (m, 1, T_x)
        logits = self.logits(s[:, None, :], context)[:, 0]  # (m, V_y)
        logits[:, [0, *banned]] = float("-inf")  # never <PAD> (nor <SOS>, ...)
        return Step(F.log_softmax(logits, dim=-1), state, alpha[:, 0])

    @torch.no_grad()
    def greedy(self, x: Tensor, x_lengths: Tensor | None, sos_id: int, eos_id: int, max_len: int | list[int],
               banned: tuple[int, ...] = ()) -> list[Decoded]:
        """Each step writes its most probable token, for every row of a batch, until <EOS>. After
        ``max_len`` words (an int, or one cap per row) only <EOS> may follow: the length cap."""
        enc = self.encode(x, x_lengths)
        m, T_x = x.shape
        caps = [max_len] * m if isinstance(max_len, int) else list(max_len)
        state = self.initial_state(enc)
        y_prev = torch.full((m,), sos_id, dtype=torch.long)
        ids: list[list[int]] = [[] for _ in range(m)]
        logps: list[list[float]] = [[] for _ in range(m)]
        alphas: list[list[Tensor]] = [[] for _ in range(m)]
        finished = [False] * m
        done = [False] * m
        for t in range(max(caps) + 1):
            step = self.step(y_prev, state, enc, (sos_id, *banned))
            best = step.log_probs.argmax(dim=1)  # (m,)
            for i in range(m):
                if done[i]:
                    continue
                token = eos_id if t == caps[i] else int(best[i])
                logps[i].append(float(step.log_probs[i, token]))
                alphas[i].append(step.alpha[i])
                if token == eos_id:
                    done[i], finished[i] = True, t < caps[i]
                else:
                    ids[i].append(token)
            if all(done):
                break
            y_prev, state = best, step.state
        return [Decoded(ids[i], logps[i], torch.stack(alphas[i]), finished[i]) for i in range(m)]

    @torch.no_grad()
    def beam_search(self, x: Tensor, x_lengths: Tensor | None, sos_id: int, eos_id: int, max_len: int | list[int],
                    beam: int = 4, length_penalty: float = 1.0, banned: tuple[int, ...] = ()) -> list[list[Decoded]]:
        """Beam search for every source of a batch: the ``beam`` most probable partial translations of each
        are kept at every step (one row each); a hypothesis that writes <EOS> among the ``beam`` best
        candidates is finished, and a source's search stops when ``beam`` of them are. After ``max_len``
        words (an int, or one cap per row) only <EOS> may follow. Returns each source's finished
        hypotheses, best first by log P / (T_y + 1) ** length_penalty (0: raw log P, which favours short
        outputs). With beam = 1 this is the greedy decoder."""
        m, T_x = x.shape
        K = beam
        caps = [max_len] * m if isinstance(max_len, int) else list(max_len)
        enc = self.encode(x, x_lengths)
        rows = torch.arange(m).repeat_interleave(K)  # (m K,): row r searches for source r // K
        enc_rows = enc.select(rows)
        state = self.initial_state(enc_rows)  # every beam of a source starts alike ...
        scores = torch.full((m, K), float("-inf"))
        scores[:, 0] = 0.0  # ... and only the first is alive at first
        hyps = [[([], [], [])] * K for _ in range(m)]  # (ids, step log-probs, alphas) per live source and beam
        live = list(range(m))
        y_prev = torch.full((m * K,), sos_id, dtype=torch.long)
        finished: list[list[Decoded]] = [[] for _ in range(m)]
        for t in range(max(caps) + 1):
            step = self.step(y_prev, state, enc_rows, (sos_id, *banned))
            V = step.log_probs.shape[1]
            log_p = step.log_probs.reshape(len(live), K, V)  # (L, K, V_y)
            capped = [j for j, i in enumerate(live) if t >= caps[i]]
            if capped:  # at the cap only <EOS> may be written
                end = log_p[capped, :, eos_id].clone()
                log_p[capped] = float("-inf")
                log_p[capped, :, eos_id] = end
            total = (scores[:, :, None] + log_p).reshape(len(live), K * V)  # (L, K V_y)
            top = torch.topk(total, min(2 * K, K * V), dim=1)
            values, flat = top.values.tolist(), top.indices
            chosen = log_p.reshape(len(live), K * V).gather(1, flat).tolist()
            flat = flat.tolist()
            next_live, gather, next_scores, next_hyps, next_y = [], [], [], [], []
            for j, i in enumerate(live):
                alive = []
                for rank, (score, index) in enumerate(zip(values[j], flat[j], strict=True)):
                    if score == float("-inf"):
                        break
                    b, token = divmod(index, V)
                    ids, logps, alphas = hyps[j][b]
                    logps = [*logps, chosen[j][rank]]
                    alphas = [*alphas, step.alpha[j * K + b]]
                    if token == eos_id:
                        if rank < K:
                            finished[i].append(Decoded(list(ids), logps, torch.stack(alphas), t < caps[i]))
                    elif len(alive) < K:
                        alive.append((b, token, score, ([*ids, token], logps, alphas)))
                if len(finished[i]) >= K or not alive:
                    continue  # this source is done
                alive += [(alive[0][0], alive[0][1], float("-inf"), alive[0][3])] * (K - len(alive))  # dead rows
                next_live.append(i)
                gather += [j * K + b for b, _, _, _ in alive]
                next_scores.append([score for _, _, score, _ in alive])
                next_hyps.append([hyp for _, _, _, hyp in alive])
                next_y += [token for _, token, _, _ in alive]
            if not next_live:
                break
            index = torch.tensor(gather)
            live, hyps, scores = next_live, next_hyps, torch.tensor(next_scores)
            state = tuple(s[index] for s in step.state) if isinstance(step.state, tuple) else step.state[index]
            enc_rows = enc_rows.select(index)
            y_prev = torch.tensor(next_y)

        def rank(d: Decoded) -> float:
            return d.log_prob / (len(d.step_log_probs) ** length_penalty if length_penalty else 1.0)

        return [sorted(found, key=rank, reverse=True) for found in finished]


def _hidden(state) -> Tensor:
    """a of a state (an LSTM's state is (a, c))."""
    return state[0] if isinstance(state, tuple) else state
