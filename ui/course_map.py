"""The map of the course that the home page and the sidebar draw: tasks, RNN shapes, lessons, notation.

To add a lesson: add its ``st.Page`` line to ``PAGES`` in app.py, then a ``Lesson`` to ``LESSONS`` here
and, if it shows one of the three RNN shapes, set that shape's ``lesson`` to the same path
(tests/test_app_home.py checks that every page listed here is in app.py and opens).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class SequenceTask:
    task: str
    x: str  # input x
    y: str  # output y
    lesson: str = ""  # page path of the lesson that shows this task, if there is one


# The notes' table of sequence tasks (input x -> output y), in the notes' order.
SEQUENCE_TASKS: list[SequenceTask] = [
    SequenceTask("Speech transcription", "Audio waveform", "Text transcript"),
    SequenceTask("Melody generation", "Short seed melody, or nothing, or a texture prompt", "Music snippet"),
    SequenceTask("Sentiment analysis", "\u201cI didn't enjoy the film at all.\u201d", "Negative (\u2605\u2606\u2606\u2606\u2606)"),
    SequenceTask("Genomic pattern detection", "ACTGCTAGCGTTAGCTGA", "Segments that code for a protein"),
    SequenceTask("Language translation", "\u201cShall we go for a walk?\u201d", "\u201c\u6211\u4eec\u53bb\u6563\u6b65\u597d\u5417\uff1f\u201d",
                 "lessons/translation.py"),
    SequenceTask(
        "Entity tagging",
        "\u201cYesterday, Tom met Eliza in Paris.\u201d",
        "Tom \u2192 Person, Eliza \u2192 Person, Paris \u2192 Location",
    ),
    SequenceTask("Time series forecasting", "Historical temperature readings", "Predicted future temperature"),
]


@dataclass(frozen=True)
class RnnShape:
    name: str
    lengths: str  # how T_y relates to T_x, in LaTeX
    example: str  # one line: input -> output
    lesson: str  # page path of the lesson that shows it


RNN_SHAPES: list[RnnShape] = [
    RnnShape(
        "Many-to-many",
        r"T_y = T_x",
        "Entity tagging: one tag per word, \u201cTom\u201d \u2192 Person, \u201cParis\u201d \u2192 Location.",
        "lessons/named_entities.py",
    ),
    RnnShape(
        "Many-to-one",
        r"T_y = 1",
        "Sentiment: a whole review, \u201cI didn't enjoy the film at all.\u201d, becomes one star rating.",
        "lessons/sentiment.py",
    ),
    RnnShape(
        "One-to-many",
        r"T_x \le 1",
        "Generation: from a first word (or nothing) the network samples a sentence, word by word.",
        "lessons/language_model.py",
    ),
]


@dataclass(frozen=True)
class Lesson:
    title: str
    page: str  # path relative to the repository root, the same string as in app.py
    summary: str
    icon: str


# In course order.
LESSONS: list[Lesson] = [
    Lesson(
        "Words to vectors",
        "lessons/words_to_vectors.py",
        "Tokens x<1>..x<T_x>, vocabulary indices with <UNK>, the one-hot matrix, and why a standard "
        "network does not fit sequences.",
        ":material/grid_on:",
    ),
    Lesson(
        "Forward pass, step by step",
        "lessons/forward_pass.py",
        "The unrolled RNN on your sentence: a⟨t⟩ = tanh(W_aa a⟨t-1⟩ + W_ax x⟨t⟩ + b_a) and ŷ⟨t⟩ with the real "
        "vectors, the shapes (n_a, m, T_x), and the hidden states as a heatmap and a path.",
        ":material/start:",
    ),
    Lesson(
        "Architecture shapes",
        "lessons/architecture_shapes.py",
        "Many-to-many (T_x = T_y and T_x ≠ T_y), many-to-one and one-to-many, drawn side by side.",
        ":material/account_tree:",
    ),
    Lesson(
        "Named entities",
        "lessons/named_entities.py",
        "Many-to-many, T_y = T_x: a tag for every word, four architectures side by side, and what a "
        "left-to-right RNN cannot see that a BRNN can.",
        ":material/label:",
    ),
    Lesson(
        "Sentiment",
        "lessons/sentiment.py",
        "Many-to-one: a review becomes 1 to 5 stars; the rating word by word, and what a bag of words, "
        "blind to word order, misses.",
        ":material/star_half:",
    ),
    Lesson(
        "Language model",
        "lessons/language_model.py",
        "One-to-many: P(sentence) as a product of one-step predictions, sampling words and names with "
        "temperature and top-k, characters against words.",
        ":material/edit_note:",
    ),
    Lesson(
        "Translation",
        "lessons/translation.py",
        "Many-to-many, T_x ≠ T_y: an encoder reads your sentence, a decoder writes it in French (or English) "
        "word by word; greedy and beam search, the attention weights α⟨t,t'⟩, and BLEU by sentence length with "
        "and without attention.",
        ":material/translate:",
    ),
    Lesson(
        "Forecasting",
        "lessons/forecasting.py",
        "A real temperature series read left to right: the next days' forecast with the actual values, "
        "errors growing with the horizon, persistence and AR(p) beside the RNN, GRU and LSTM, your own series.",
        ":material/show_chart:",
    ),
    Lesson(
        "Vanishing and exploding gradients",
        "lessons/gradients.py",
        "||dL/da⟨t⟩|| at every step for RNN, GRU and LSTM, the spectral radius and the activation's slope, "
        "gradient clipping, and which of your words still reach the output.",
        ":material/trending_down:",
    ),
    Lesson(
        "GRU and LSTM gates",
        "lessons/gates.py",
        "Γu, Γr, Γf, Γo, c̃⟨t⟩ and c⟨t⟩ of trained cells as heatmaps over your sentence, the cell at one step "
        "with its values, and how the course's GRU differs from torch.nn.GRU.",
        ":material/tune:",
    ),
    Lesson(
        "Bidirectional RNN",
        "lessons/bidirectional.py",
        "Forward states computed 1 → T_x, backward states T_x → 1, and how much each direction adds to "
        "the tag of every word.",
        ":material/sync_alt:",
    ),
    Lesson(
        "Compare the cells",
        "lessons/compare.py",
        "RNN, GRU, LSTM and BRNN trained live, side by side, on “The cat(s), which already ate …, was/were "
        "full”: loss curves, accuracy against distance, parameters and training time.",
        ":material/compare_arrows:",
    ),
]


# The course notation (docs/ARCHITECTURE.md's table), as the sidebar shows it: (symbol in LaTeX, meaning).
NOTATION_ROWS: list[tuple[str, str]] = [
    (r"$x^{\langle t \rangle}$", "word t of the input, one-hot"),
    (r"$T_x,\ T_y$", "input and output lengths"),
    (r"$X^{(i)\langle t \rangle}$", "word t of example i"),
    (r"$m$", "examples in a batch"),
    (r"$n_x,\ n_a,\ n_y$", "input, hidden, output sizes"),
    (r"$a^{\langle t \rangle}$", "hidden state at step t"),
    (r"$W_{aa},\ W_{ax},\ b_a$", "RNN weights, shared by all steps"),
    (r"$\hat{y}^{\langle t \rangle}$", "prediction at step t"),
]
