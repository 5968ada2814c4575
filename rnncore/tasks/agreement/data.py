"""Seeded sentences with a long-range dependency: subject-verb agreement across a clause.

The notes' example: "The cat, which already ate ..., was full" against "The cats,
which already ate ..., were full".  Whether the verb is *was* or *were* is decided
by one word, the subject, read long before the verb; everything in between is a
distractor clause of exactly ``distance`` words.  The clause mixes neutral words
with singular and plural nouns ("near the dogs", "with a bird"), so that "the
last noun seen" is right only half the time and a model must carry the subject's
number across the clause.

A model reads the sentence up to the comma before the verb and chooses the verb
(many-to-one)::

    x<1> .. x<T_x> = the cat , which already ate <distance words> ,
    y              = was (0) | were (1)

so the subject is read ``distance + 5`` steps before the last input.

A second task, ``lookahead``, is one that only a bidirectional model can solve:
the word to label comes *before* the word that decides its label ("he said ,
teddy roosevelt ..." against "he said , teddy bears ..."), and the label is read
at the position of "teddy".  A left-to-right model has not yet seen the deciding
word there; the backward half of a BRNN has.

Every word is in one small, fixed vocabulary (:func:`vocab`); every random choice
takes a seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import torch
from torch import Tensor

from rnncore.text import Vocab

TASKS = ("agreement", "lookahead")

# Subjects and their plurals; the same nouns appear, in either number, inside the clause.
NOUNS = (
    ("cat", "cats"),
    ("dog", "dogs"),
    ("bird", "birds"),
    ("child", "children"),
    ("mouse", "mice"),
    ("fox", "foxes"),
    ("horse", "horses"),
    ("teacher", "teachers"),
)

# The fixed frame around the clause: "the <noun> , which already ate <clause> ,"
FRAME_BEFORE_CLAUSE = ("which", "already", "ate")

# Clause pieces.  Foods read as what was eaten; places, times and manners pad the clause;
# "{noun}" slots take any noun, singular or plural, at random.
FOODS = ("fish", "milk", "cheese", "bread", "rice", "apples", "eggs", "soup", "cake", "grapes")
PLACES = ("garden", "kitchen", "table", "park", "barn", "house", "river", "field")
TIMES = ("morning", "evening", "lunch", "dinner", "noon")
ADVERBS = ("slowly", "quickly", "again", "today", "quietly", "happily", "there", "too")
PHRASES = (
    ("the", "{food}"),
    ("some", "{food}"),
    ("a", "bowl", "of", "{food}"),
    ("and", "some", "{food}"),
    ("in", "the", "{place}"),
    ("near", "the", "{place}"),
    ("on", "the", "{place}"),
    ("after", "{time}"),
    ("before", "{time}"),
    ("with", "the", "{noun}"),
    ("near", "the", "{noun}"),
    ("like", "the", "{noun}"),
    ("that", "the", "{noun}", "left"),
    ("while", "the", "{noun}", "watched"),
    ("and", "then",),
    ("{adverb}",),
)
LABELS = ("was", "were")
VERB_ENDINGS = ("full", ".")

# The lookahead task: label "teddy" as a person (1) or not (0); the next word decides.
LOOKAHEAD_OPENERS = (("he", "said", ","), ("she", "said", ","), ("yesterday", ","), ("they", "think"))
LOOKAHEAD_PERSON = ("roosevelt",)
LOOKAHEAD_THING = ("bears",)
LOOKAHEAD_LABELS = ("not a person", "person")
LOOKAHEAD_WORD = "teddy"


# How a saved model reads a sentence (stored in its checkpoint JSON).
INPUT_FORMAT = {
    "agreement": (
        "rnncore.text.tokenize(sentence) up to and including the comma before the verb, e.g. "
        "'The cat, which already ate the fish,'; ids from the checkpoint's vocab (lowercase lookups, "
        "<PAD> = 0, unknown words -> <UNK>); Classifier(ids (1, T_x)) -> logits over labels [was, were]"
    ),
    "lookahead": (
        "rnncore.text.tokenize(sentence); ids from the checkpoint's vocab; the label is read from the "
        "state at the word 'teddy': out(encode(ids).outputs[:, position]) -> [not a person, person]"
    ),
}


def _all_words() -> list[str]:
    words: list[str] = ["the", ","]
    for singular, plural in NOUNS:
        words += [singular, plural]
    words += list(FRAME_BEFORE_CLAUSE)
    for phrase in PHRASES:
        words += [w for w in phrase if not w.startswith("{")]
    words += list(FOODS + PLACES + TIMES + ADVERBS + LABELS + VERB_ENDINGS)
    for opener in LOOKAHEAD_OPENERS:
        words += list(opener)
    words += [LOOKAHEAD_WORD, *LOOKAHEAD_PERSON, *LOOKAHEAD_THING]
    return list(dict.fromkeys(words))  # first occurrence order, no duplicates


def vocab() -> Vocab:
    """The tasks' vocabulary: <PAD> = 0, then every word in a fixed order, then <UNK>.

    Fixed (not built from data), so a model trained with any seed or distance reads the same ids.
    """
    return Vocab.from_words(_all_words(), lowercase=True)


@dataclass(frozen=True)
class Example:
    """One sentence: the tokens the model reads, its label, and where the label is read.

    tokens: x<1>..x<T_x> (for agreement: up to the comma before the verb).
    label: 0 or 1 (agreement: was / were; lookahead: not a person / person).
    position: 0-based index of the step whose state decides (agreement: the last, T_x - 1).
    distance: the clause length the example was made with.
    """

    tokens: tuple[str, ...]
    label: int
    position: int
    distance: int


def _fill(slot: str, rng: random.Random) -> str:
    if slot == "{food}":
        return rng.choice(FOODS)
    if slot == "{place}":
        return rng.choice(PLACES)
    if slot == "{time}":
        return rng.choice(TIMES)
    if slot == "{adverb}":
        return rng.choice(ADVERBS)
    if slot == "{noun}":
        return rng.choice(rng.choice(NOUNS))  # singular or plural, at random
    return slot


def clause(distance: int, rng: random.Random) -> list[str]:
    """Exactly ``distance`` distractor words, phrase by phrase (a one-word phrase fills the rest)."""
    words: list[str] = []
    while len(words) < distance:
        room = distance - len(words)
        phrase = rng.choice([p for p in PHRASES if len(p) <= room])
        words += [_fill(w, rng) for w in phrase]
    return words


def steps_after_subject(distance: int) -> int:
    """How many steps the subject is read before the last input: ", which already ate" + clause + ","."""
    return 1 + len(FRAME_BEFORE_CLAUSE) + distance + 1


def agreement_example(distance: int, rng: random.Random, label: int | None = None) -> Example:
    """``the <noun> , which already ate <distance words> ,`` -> was (0) / were (1)."""
    if distance < 0:
        raise ValueError(f"agreement_example: distance must be >= 0, got {distance}")
    label = rng.randrange(2) if label is None else label
    subject = rng.choice(NOUNS)[label]
    tokens = ["the", subject, ",", *FRAME_BEFORE_CLAUSE, *clause(distance, rng), ","]
    return Example(tuple(tokens), label, len(tokens) - 1, distance)


def lookahead_example(distance: int, rng: random.Random, label: int | None = None) -> Example:
    """``<opener> teddy roosevelt|bears <distance words>``, labelled at "teddy": person (1) or not (0).

    The deciding word follows the labelled one, so a left-to-right reader is at chance there.
    """
    label = rng.randrange(2) if label is None else label
    opener = list(rng.choice(LOOKAHEAD_OPENERS))
    decider = rng.choice(LOOKAHEAD_PERSON if label == 1 else LOOKAHEAD_THING)
    tokens = [*opener, LOOKAHEAD_WORD, decider, *clause(distance, rng)]
    return Example(tuple(tokens), label, len(opener), distance)


MAKERS = {"agreement": agreement_example, "lookahead": lookahead_example}


def generate(task: str, n: int, distances: range | list[int] | int, seed: int) -> list[Example]:
    """``n`` examples, balanced labels (alternating), each with a distance drawn from ``distances``."""
    if task not in MAKERS:
        raise ValueError(f"unknown task {task!r}; expected one of {TASKS}")
    rng = random.Random(f"{task}-{seed}")
    choices = [distances] if isinstance(distances, int) else list(distances)
    make = MAKERS[task]
    return [make(rng.choice(choices), rng, label=i % 2) for i in range(n)]


@dataclass
class Batch:
    """Padded ids, lengths, labels and label positions of a list of examples.

    ids: (m, T_x) word ids, 0 = <PAD> after each row's end; lengths: (m,); y: (m,); position: (m,).
    """

    ids: Tensor
    lengths: Tensor
    y: Tensor
    position: Tensor

    def __len__(self) -> int:
        return self.ids.shape[0]

    def take(self, rows: Tensor) -> Batch:
        """The given rows, trimmed to their own longest length."""
        lengths = self.lengths[rows]
        T_x = int(lengths.max())
        return Batch(self.ids[rows, :T_x], lengths, self.y[rows], self.position[rows])


def encode(examples: list[Example], vocabulary: Vocab | None = None) -> Batch:
    vocabulary = vocabulary or vocab()
    T_x = max(len(e.tokens) for e in examples)
    ids = torch.zeros(len(examples), T_x, dtype=torch.long)  # (m, T_x)
    for i, e in enumerate(examples):
        ids[i, : len(e.tokens)] = torch.tensor(vocabulary.encode(e.tokens))
    lengths = torch.tensor([len(e.tokens) for e in examples])  # (m,)
    y = torch.tensor([e.label for e in examples])  # (m,)
    position = torch.tensor([e.position for e in examples])  # (m,)
    return Batch(ids, lengths, y, position)


def sentence_text(example: Example, task: str = "agreement") -> str:
    """The example as a person would write it, with the answer: "The cat, which ..., was full."."""
    words = list(example.tokens)
    if task == "agreement":
        words += [LABELS[example.label], *VERB_ENDINGS]
    text = " ".join(words).replace(" ,", ",").replace(" .", ".")
    return text[:1].upper() + text[1:]


