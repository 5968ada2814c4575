"""Seeded reviews with 1-5 stars where word order carries the meaning.

Five domains (films, books, restaurants, hotels, products), a broad lexicon of
interchangeable adjectives and aspect nouns, and frames for five phenomena:

- ``plain``: "The acting was superb." (the polar word decides)
- ``intensifier``: "absolutely wonderful" -> 5, "a bit dull" -> 2
- ``negation``: a negator over a positive word: "not good" -> 2, "I didn't enjoy
  the film at all." -> 1, "nothing to like" -> 1; also negators that end up
  positive ("I can't recommend it enough." -> 5)
- ``double_negation``: a negator over a negative word: "not bad" -> 3,
  "not boring at all" -> 4, "There wasn't a single dull moment." -> 5
- ``contrast``: two clauses of opposite polarity; the clause after "but" /
  "however" decides, and with "although" / "while" / "despite" / "even if" the
  main clause decides wherever it stands ("Although the food was cold, the staff
  were lovely." and "The staff were lovely, although the food was cold." -> 4);
  frames that put the deciding clause first are weighted so that "the last
  clause decides" is wrong on about a third of them.
  A review that weighs both sides lands one step from the middle (2 or 4), or
  on 3 when the deciding clause is itself neutral ("only average") or when
  neither side decides ("Some parts were gripping and others were dull.").

Stars follow the meaning: 1 strongly negative, 2 mildly negative, 3 mixed or
neutral, 4 mildly positive, 5 strongly positive.

Why a bag of words fails here: negators ("not", "didn't", "never", "nothing",
"no") appear about as often in positive as in negative reviews, and every
polar adjective appears both plain and negated, so neither the negator nor the
adjective alone tells the rating: only their order does.  Contrast reviews use
both orders equally, so the same two adjectives give either rating.

Splits: every frame has an id; the frames marked ``held_out`` produce only the
``test`` split, the others produce ``train`` and ``dev`` (dev uses a different
random stream, so it measures fit, while test measures new sentence shapes).
The course notes' example sentences (``COURSE_EXAMPLES``) are never produced,
so that the app's presets and the hand-written challenge set stay unseen.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

PHENOMENA = ("plain", "negation", "contrast", "intensifier", "double_negation")
SPLITS = ("train", "dev", "test")
STAR_VALUE = {1: -2, 2: -1, 3: 0, 4: 1, 5: 2}  # polarity value of a plain review with these stars

# Sentences from the course notes and the app's presets: never generated (see module docstring).
COURSE_EXAMPLES = (
    "I didn't enjoy the film at all.",
    "There is nothing to like in this movie.",
    "Not bad at all.",
)


def review_key(text: str) -> str:
    """The form two reviews are compared in: lowercase, single spaces, no final punctuation."""
    return re.sub(r"\s+", " ", text.lower()).strip().rstrip(".!?").strip()


_BLOCKED = frozenset(review_key(t) for t in COURSE_EXAMPLES)


# --------------------------------------------------------------------------- lexicon


@dataclass(frozen=True)
class Aspect:
    """Something a review talks about: "the acting", "the staff" (plural), of a kind
    that decides which specific adjectives fit it."""

    noun: str
    plural: bool = False
    kind: str = "*"


# Negator spellings (both forms are typed); named so that f-strings stay simple.
_DIDNT = ("didn't", "did not")
_DONT = ("don't", "do not")
_DONT_CAP = ("Don't", "Do not")
_DIDNT_DONT = ("did not", "didn't", "don't")
_WASNT = ("wasn't", "was not")
_WASNT_ISNT = ("was not", "wasn't", "is not", "isn't")
_CANT = ("can't", "cannot")
_COULDNT = ("couldn't", "could not")
_CANT_COULDNT = ("can't", "cannot", "couldn't")
_CANT_WAIT = ("Can't", "I can't", "We can't", "Cannot")
_NO_LETDOWN = ("did not disappoint", "didn't disappoint", "never disappoints", "never gets boring")
_LOW_HOPES = ("I wasn't expecting much", "I did not expect much", "My hopes were low")


@dataclass(frozen=True)
class Domain:
    """What one domain's reviews talk about and the phrases only it uses."""

    name: str
    things: tuple[str, ...]
    aspects: tuple[Aspect, ...]
    early_later: tuple[tuple[Aspect, Aspect], ...]  # ("the first half", "the ending") for "at first, but"
    again: tuple[str, ...]        # "watch it again"
    absorbed: tuple[str, ...]     # negated phrases that praise: "I couldn't put it down"
    worth: tuple[str, ...]        # "not worth ..."
    regret: tuple[str, ...]       # "I didn't regret ... for a moment"
    never_better: tuple[str, ...]  # "I have never {seen} a better {thing}"
    experience: tuple[str, ...]   # "every minute"
    fillers: tuple[str, ...]      # neutral sentences that carry no polarity
    closers_pos: tuple[str, ...]
    closers_neg: tuple[str, ...]


LEXICON = Path(__file__).resolve().parent / "lexicon.json"


def _polar(by_value: dict[str, list]) -> dict[int, list]:
    return {int(value): list(words) for value, words in by_value.items()}


def _aspect(record: dict) -> Aspect:
    return Aspect(record["noun"], record["plural"], record["kind"])


def _domain(record: dict) -> Domain:
    values = {}
    for name, value in record.items():
        if name == "aspects":
            values[name] = tuple(_aspect(a) for a in value)
        elif name == "early_later":
            values[name] = tuple((_aspect(a), _aspect(b)) for a, b in value)
        else:
            values[name] = value if isinstance(value, str) else tuple(value)
    return Domain(**values)


_LEX = json.loads(LEXICON.read_text(encoding="utf-8"))
# Adjectives by polarity value (-2..2) and the aspect kinds they fit ("*" = any).
_ADJECTIVES: dict[str, dict[int, list[str]]] = {kind: _polar(by) for kind, by in _LEX["adjectives"].items()}
# Experience verbs: past tense and base form with their polarity value.
_VERBS_POS = [tuple(v) for v in _LEX["verbs_pos"]]
_VERBS_NEG = [tuple(v) for v in _LEX["verbs_neg"]]
# How the reviewer felt, by polarity value: "I was disappointed", "I was not impressed".
_FEELINGS = _polar(_LEX["feelings"])
_STRONG_INTENSIFIERS_MILD = _LEX["intensifiers_mild"]
_STRONG_INTENSIFIERS_STRONG = _LEX["intensifiers_strong"]
_MODERATE_POS = _LEX["moderate_pos"]
_DOWNTONERS_NEG = _LEX["downtoners_neg"]
_SUBJECTS = _LEX["subjects"]
_OPENERS = _LEX["openers"]
# Things that happened, which carry the polarity without a polar adjective ("it broke after two days").
EVENTS: dict[str, dict[int, tuple[str, ...]]] = {
    domain: {value: tuple(events) for value, events in _polar(by).items()} for domain, by in _LEX["events"].items()
}
DOMAINS: tuple[Domain, ...] = tuple(_domain(record) for record in _LEX["domains"])






# --------------------------------------------------------------------------- writer


def _article(phrase: str) -> str:
    """"a" or "an" before a phrase, by its first sound (good enough for this lexicon)."""
    word = phrase.split()[0].lower()
    vowel_sound = word[0] in "aeiou" and not word.startswith(("use", "uni", "one", "eu"))
    return "an" if vowel_sound or word in {"hour", "honest"} else "a"


def _plural(noun: str) -> str:
    """English plural of the things reviewed ("comedy" -> "comedies", "watch" -> "watches")."""
    irregular = {"mouse": "mice"}
    if noun in irregular:
        return irregular[noun]
    if noun.endswith("y") and noun[-2:-1] not in tuple("aeiou"):
        return noun[:-1] + "ies"
    if noun.endswith(("ch", "sh", "s", "x")):
        return noun + "es"
    return noun + "s"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


class _Writer:
    """Fills one frame: picks words for one domain with one random stream."""

    def __init__(self, rng: random.Random, domain: Domain):
        self.rng = rng
        self.domain = domain
        # One tense per review: "the rooms were clean" or "the rooms are clean".
        self.present = rng.random() < PRESENT_TENSE_RATE

    def pick(self, options):
        return options[self.rng.randrange(len(options))]

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    # nouns
    def thing(self) -> str:
        return self.pick(self.domain.things)

    def adj_thing(self, adj: str) -> str:
        """'lovely film', sometimes 'lovely little film' (people say it of good and bad things alike)."""
        little = "little " if self.chance(LITTLE_RATE) else ""
        return f"{adj} {little}{self.thing()}"

    def this_thing(self) -> str:
        return f"{self.pick(('this', 'the', 'this', 'this'))} {self.thing()}"

    def aspect(self, exclude: Aspect | tuple[Aspect, ...] = ()) -> Aspect:
        """An aspect of this domain other than the ones excluded (one or a tuple)."""
        excluded = exclude if isinstance(exclude, tuple) else (exclude,)
        while True:
            aspect = self.pick(self.domain.aspects)
            if aspect not in excluded:
                return aspect

    def be(self, aspect: Aspect) -> str:
        if self.present:
            return "are" if aspect.plural else "is"
        return "were" if aspect.plural else "was"

    def be_not(self, aspect: Aspect) -> str:
        """Negated copula, contracted or not (both are typed)."""
        if self.present:
            return self.pick(("aren't", "are not") if aspect.plural else ("isn't", "is not"))
        return self.pick(("weren't", "were not") if aspect.plural else ("wasn't", "was not"))

    # adjectives
    def adj(self, value: int, aspect: Aspect | None = None) -> str:
        """An adjective of exactly this polarity value that fits the aspect's kind."""
        general = _ADJECTIVES["*"].get(value, [])
        specific = _ADJECTIVES.get(aspect.kind, {}).get(value, []) if aspect and aspect.kind != "*" else []
        # Specific words half the time keep "the food was delicious" frequent without losing "good".
        pool = specific if specific and self.chance(0.5) else general
        return self.pick(pool)

    def adj_sign(self, sign: int, aspect: Aspect | None = None) -> str:
        """A mild or strong adjective of this sign."""
        return self.adj(sign * self.pick((1, 1, 2)), aspect)

    def intensified(self, star: int, aspect: Aspect | None = None) -> str:
        """An intensified adjective phrase whose meaning has these stars (1, 2, 4 or 5)."""
        if star in (5, 1):
            sign = 1 if star == 5 else -1
            if self.chance(0.5):
                return f"{self.pick(_STRONG_INTENSIFIERS_MILD)} {self.adj(sign, aspect)}"
            return f"{self.pick(_STRONG_INTENSIFIERS_STRONG)} {self.adj(2 * sign, aspect)}"
        if star == 4:
            return f"{self.pick(_MODERATE_POS)} {self.adj(1, aspect)}"
        if star == 2:
            return f"{self.pick(_DOWNTONERS_NEG)} {self.adj(-1, aspect)}"
        raise ValueError(f"no intensified phrase has {star} stars")

    # clauses for contrast
    def clause(self, sign: int, aspect: Aspect | None = None) -> str:
        """'the food was cold' with polarity sign -1, 0 or +1; sometimes negated ('the food wasn't good')
        or intensified, so that no single word gives the clause away."""
        aspect = aspect or self.aspect()
        if sign == 0:
            return f"the {aspect.noun} {self.be(aspect)} {self.pick(('only', 'just', 'merely', ''))} " \
                   f"{self.adj(0, aspect)}".replace("  ", " ")
        roll = self.rng.random()
        if roll < 0.15:
            return f"the {aspect.noun} {self.be_not(aspect)} {self.adj(-sign, aspect)}" if sign > 0 else \
                f"the {aspect.noun} {self.be_not(aspect)} {self.adj(1, aspect)}"
        if roll < 0.3:
            return f"the {aspect.noun} {self.be(aspect)} {self.intensified(3 + 2 * sign, aspect)}"
        return f"the {aspect.noun} {self.be(aspect)} {self.adj_sign(sign, aspect)}"

    def subject(self) -> str:
        return self.pick(_SUBJECTS) if self.chance(0.5) else "I"


# --------------------------------------------------------------------------- frames


@dataclass(frozen=True)
class Frame:
    """A sentence shape with slots; ``write(w, stars)`` fills it so that it means ``stars``."""

    frame_id: str
    phenomenon: str
    stars: tuple[int, ...]
    held_out: bool
    write: Callable[[_Writer, int], str]
    weight: float = 1.0  # how often it is chosen beside the other frames of its stars and phenomenon


FRAMES: list[Frame] = []


def _frame(frame_id: str, phenomenon: str, stars, held_out: bool = False, weight: float = 1.0):
    def register(write):
        FRAMES.append(Frame(frame_id, phenomenon, tuple(stars), held_out, write, weight))
        return write
    return register


ALL = (1, 2, 3, 4, 5)


# ---- plain: the polar word decides
@_frame("plain-01", "plain", ALL)
def _plain_01(w, s):
    a = w.aspect()
    return f"The {a.noun} {w.be(a)} {w.adj(STAR_VALUE[s], a)}."


@_frame("plain-02", "plain", ALL)
def _plain_02(w, s):
    return f"{_cap(w.this_thing())} {w.pick(('is', 'was'))} {w.adj(STAR_VALUE[s])}."


@_frame("plain-03", "plain", (1, 2, 4, 5))
def _plain_03(w, s):
    adj = w.adj(STAR_VALUE[s])
    return f"What {_article(adj)} {w.adj_thing(adj)}!"


@_frame("plain-04", "plain", ALL)
def _plain_04(w, s):
    a = w.aspect()
    b = w.aspect(exclude=a)
    return f"{_cap(w.adj(STAR_VALUE[s], a))} {a.noun}, {w.adj(STAR_VALUE[s], b)} {b.noun}."


@_frame("plain-05", "plain", ALL)
def _plain_05(w, s):
    a = w.aspect()
    return f"{w.pick(('I thought', 'I felt', 'We thought', 'In my view'))} the {a.noun} {w.be(a)} " \
           f"{w.adj(STAR_VALUE[s], a)}."


@_frame("plain-06", "plain", ALL)
def _plain_06(w, s):
    adj = w.adj(STAR_VALUE[s])
    return f"{w.pick(_OPENERS)}, {_article(adj)} {w.adj_thing(adj)}."


@_frame("plain-07", "plain", ALL)
def _plain_07(w, s):
    a = w.aspect()
    b = w.aspect(exclude=a)
    return f"The {a.noun} {w.be(a)} {w.adj(STAR_VALUE[s], a)} and the {b.noun} {w.be(b)} " \
           f"{w.adj(STAR_VALUE[s], b)}."


@_frame("plain-08", "plain", ALL)
def _plain_08(w, s):
    return f"{w.pick(('I found', 'We found', 'My friends found'))} {w.this_thing()} {w.adj(STAR_VALUE[s])}."


@_frame("plain-09", "plain", ALL, held_out=True)
def _plain_09(w, s):
    adj = w.adj(STAR_VALUE[s])
    return f"{w.pick(('It was', 'This is', 'It is'))} {_article(adj)} {adj} {w.thing()} " \
           f"{w.pick(('from start to finish', 'from beginning to end', 'through and through'))}."


@_frame("plain-10", "plain", ALL)
def _plain_10(w, s):
    if s == 3:
        return f"{w.subject()} thought {w.this_thing()} was {w.adj(0)}."
    verbs = [v for v in _VERBS_POS + _VERBS_NEG if v[2] == STAR_VALUE[s]]
    past = w.pick(verbs)[0]
    return f"{w.subject()} {past} {w.pick((w.this_thing(), 'it'))}."


@_frame("plain-11", "plain", ALL)
def _plain_11(w, s):
    adj = w.adj(STAR_VALUE[s])
    return w.pick((f"{_cap(w.adj_thing(adj))}.", f"{_cap(adj)}.", f"{_cap(adj)} overall."))


@_frame("plain-12", "plain", (3,))
def _plain_12(w, s):
    a = w.aspect()
    b = w.aspect(exclude=a)
    first, second = w.pick(((1, -1), (-1, 1)))
    return f"The {a.noun} {w.be(a)} {w.adj(first, a)} and the {b.noun} {w.be(b)} {w.adj(second, b)}."


@_frame("plain-13", "plain", (1, 4, 5))
def _plain_13(w, s):
    base = {5: ("love", "adore"), 4: ("enjoy", "like"), 1: ("hate", "loathe")}[s]
    who = w.pick(("You will", "You'll", "Anyone would", "I know you will", "Most people will",
                  "Kids will", "Fans will"))
    return f"{who} {w.pick(base)} {w.this_thing()}."


@_frame("plain-14", "plain", ALL, held_out=True)
def _plain_14(w, s):
    a = w.aspect()
    return f"{_cap(w.this_thing())} was {w.adj(STAR_VALUE[s])}, and the {a.noun} {w.be(a)} " \
           f"{w.adj(STAR_VALUE[s], a)} too."


@_frame("plain-15", "plain", (3,))
def _plain_15(w, s):
    a = w.aspect()
    return w.pick((
        f"It had its {w.pick(('good', 'nice', 'strong'))} and {w.pick(('bad', 'weak', 'poor'))} moments.",
        f"Some of the {w.pick(('time', 'parts'))} it was {w.adj(1)}, some of the time it was {w.adj(-1)}.",
        f"Parts were {w.adj(1)} and parts were {w.adj(-1)}.",
        f"The {a.noun} {w.be(a)} {w.adj(0, a)}, nothing more and nothing less.",
    ))


@_frame("plain-16", "plain", ALL)
def _plain_16(w, s):
    a = w.aspect()
    return f"{w.pick(_OPENERS)}, the {a.noun} {w.be(a)} {w.adj(STAR_VALUE[s], a)}."


@_frame("plain-17", "plain", ALL, held_out=True)
def _plain_17(w, s):
    a = w.aspect()
    adj = w.adj(STAR_VALUE[s])
    detail = w.adj(STAR_VALUE[s], a)
    with_part = f"{detail} {a.noun}" if a.plural else f"{_article(detail)} {detail} {a.noun}"
    return f"{_cap(_article(adj))} {w.adj_thing(adj)} with {with_part}."


@_frame("plain-18", "plain", (1, 5))
def _plain_18(w, s):
    verb = w.pick(("loved", "enjoyed", "adored")) if s == 5 else w.pick(("hated", "loathed"))
    return f"{w.subject()} {verb} {w.pick(w.domain.experience)}."


@_frame("plain-19", "plain", ALL)
def _plain_19(w, s):
    a = w.aspect()
    return f"The {a.noun} {w.pick(('seemed', 'looked', 'felt'))} {w.adj(STAR_VALUE[s], a)} to me."


@_frame("plain-20", "plain", (1, 5))
def _plain_20(w, s):
    best = "best" if s == 5 else "worst"
    have = w.pick(("I have ever", "I've ever", "we have ever", "I have"))
    tail = w.pick(("", "", " in years", " this year", " in a long time"))
    if w.chance(0.3):
        return f"One of the {best} {_plural(w.thing())} {have} {w.pick(w.domain.never_better)}{tail}."
    start = w.pick((f"This is the {best}", f"The {best}", f"Easily the {best}", f"Probably the {best}"))
    return f"{start} {w.thing()} {have} {w.pick(w.domain.never_better)}{tail}."


@_frame("plain-21", "plain", (1, 2, 4, 5))
def _plain_21(w, s):
    who = w.pick(("I was", "We were", "I was", "My wife was", "Everyone was", "I felt"))
    return f"{who} {w.pick(_FEELINGS[STAR_VALUE[s]])}{w.pick(('', ' with it', f' with the {w.aspect().noun}'))}."


@_frame("plain-26", "plain", (1, 2))
def _plain_26(w, s):
    # "disappointed" mostly comes negated in praise ("I was not disappointed"): here it is plain
    how = w.pick(("really ", "deeply ", "bitterly ")) if s == 1 else w.pick(("", "a bit ", "rather ", "slightly "))
    who = w.pick(("I was", "We were", "I was", "Everyone was", "I felt"))
    return f"{who} {how}disappointed {w.pick(('by', 'with'))} {w.this_thing()}."


@_frame("plain-22", "plain", (2, 4, 5))
def _plain_22(w, s):
    if s == 2:
        return w.pick((f"{w.pick(('It', 'The ' + w.aspect().noun))} could have been {w.pick(('a lot', 'much', 'far'))} "
                       f"better.", f"I have {w.pick(w.domain.never_better)} better.",
                       f"I have {w.pick(w.domain.never_better)} much better {_plural(w.thing())}."))
    if s == 4:
        return w.pick((f"{_cap(w.this_thing())} lived up to the hype.", f"It was worth {w.pick(w.domain.worth)}.",
                       f"There is a lot to {w.pick(('like', 'enjoy', 'admire'))} in {w.this_thing()}.",
                       f"I would recommend {w.pick(('it', w.this_thing()))}."))
    return w.pick((f"{_cap(w.this_thing())} more than lived up to the hype.",
                   f"It was well worth {w.pick(w.domain.worth)}.",
                   f"There is so much to {w.pick(('like', 'enjoy', 'love'))} about {w.this_thing()}.",
                   f"I would {w.pick(('happily', 'definitely', 'gladly'))} recommend {w.this_thing()} to anyone.",
                   f"I will {w.pick(('definitely', 'certainly', 'happily'))} {w.pick(w.domain.again)}."))


@_frame("plain-23", "plain", (1, 2))
def _plain_23(w, s):
    a = w.aspect()
    if s == 1:
        return w.pick(("Everything went wrong.", "Everything that could go wrong went wrong.",
                       f"I {w.pick(('really ', 'deeply ', ''))}regret {w.pick(w.domain.regret)}.",
                       f"We complained about the {a.noun} {w.pick(('twice', 'three times', 'all week'))}."))
    return w.pick((f"I regret {w.pick(w.domain.regret)} a little.", f"We had to complain about the {a.noun}.",
                   f"I have a few complaints about the {a.noun}.", "A few things went wrong."))


@_frame("plain-24", "plain", (2, 4))
def _plain_24(w, s):
    event = w.pick(EVENTS[w.domain.name][1 if s == 4 else -1])
    return _cap(f"{w.pick(('', '', 'honestly, ', 'well, ', 'basically, '))}{event}.")


@_frame("plain-25", "plain", (1, 5))
def _plain_25(w, s):
    sign = 1 if s == 5 else -1
    first = w.pick(EVENTS[w.domain.name][sign])
    second = w.pick([e for e in EVENTS[w.domain.name][sign] if e != first])
    adjective = w.adj(2 * sign)
    return w.pick((_cap(f"{first} and {second}."), f"{_cap(adjective)}: {first}."))


# ---- intensifier: degree words move the rating toward the ends
@_frame("intensifier-01", "intensifier", (1, 2, 4, 5))
def _int_01(w, s):
    a = w.aspect()
    return f"The {a.noun} {w.be(a)} {w.intensified(s, a)}."


@_frame("intensifier-02", "intensifier", (1, 2, 4, 5))
def _int_02(w, s):
    return f"{_cap(w.this_thing())} {w.pick(('is', 'was'))} {w.intensified(s)}."


@_frame("intensifier-03", "intensifier", (1, 4, 5))
def _int_03(w, s):
    options = {5: [("really", "enjoyed"), ("absolutely", "loved"), ("really", "loved"), ("truly", "loved"),
                   ("thoroughly", "enjoyed"), ("really", "liked"), ("genuinely", "loved")],
               4: [("quite", "liked"), ("mostly", "enjoyed"), ("fairly", "enjoyed"), ("generally", "liked"),
                   ("rather", "liked"), ("pretty much", "enjoyed")],
               1: [("really", "hated"), ("absolutely", "hated"), ("really", "disliked"), ("truly", "loathed"),
                   ("utterly", "hated"), ("thoroughly", "disliked")]}[s]
    adverb, verb = w.pick(options)
    return f"{w.subject()} {adverb} {verb} {w.pick((w.this_thing(), 'it'))}."


@_frame("intensifier-04", "intensifier", (1, 2, 4, 5))
def _int_04(w, s):
    a = w.aspect()
    return f"{w.pick(('I found', 'We found'))} the {a.noun} {w.intensified(s, a)}."


@_frame("intensifier-05", "intensifier", (1, 2, 4, 5), held_out=True)
def _int_05(w, s):
    phrase = w.intensified(s)
    return f"{_cap(_article(phrase))} {phrase} {w.thing()}."


@_frame("intensifier-06", "intensifier", (1, 2, 4, 5))
def _int_06(w, s):
    return f"The whole {w.thing()} was {w.intensified(s)}."


@_frame("intensifier-07", "intensifier", (1, 2, 4, 5))
def _int_07(w, s):
    a = w.aspect()
    b = w.aspect(exclude=a)
    return f"The {a.noun} {w.be(a)} {w.intensified(s, a)}, and so {w.be(b)} the {b.noun}."


@_frame("intensifier-08", "intensifier", (1, 2, 4, 5))
def _int_08(w, s):
    return f"{_cap(w.intensified(s))}{w.pick(('.', '!', ' overall.', ' all round.'))}"


@_frame("intensifier-09", "intensifier", (1, 2, 4, 5), held_out=True)
def _int_09(w, s):
    a = w.aspect()
    return f"{w.subject()} thought the {a.noun} {w.be(a)} {w.intensified(s, a)}."


@_frame("intensifier-10", "intensifier", (1, 2, 4, 5))
def _int_10(w, s):
    a = w.aspect()
    b = w.aspect(exclude=a)
    return f"The {a.noun} {w.be(a)} {w.intensified(s, a)} and the {b.noun} {w.be(b)} {w.intensified(s, b)}."


@_frame("intensifier-11", "intensifier", (1, 2, 4, 5))
def _int_11(w, s):
    a = w.aspect()
    return f"{w.pick(_OPENERS)}, the {a.noun} {w.be(a)} {w.intensified(s, a)}."


# ---- negation: a negator over a positive word (and a few negated phrases that praise)
def _at_all(w) -> str:
    return w.pick((" at all", " at all", " in any way", " one bit"))


@_frame("negation-01", "negation", (1, 2))
def _neg_01(w, s):
    a = w.aspect()
    tail = _at_all(w) if s == 1 else ""
    return f"The {a.noun} {w.be_not(a)} {w.adj(w.pick((1, 1, 2)), a)}{tail}."


@_frame("negation-02", "negation", (1, 2, 3))
def _neg_02(w, s):
    negator = w.pick(("didn't", "did not"))
    obj = w.pick((w.this_thing(), "it"))
    if s == 3:
        return f"{w.subject()} {negator} {w.pick(('love', 'adore'))} {obj}, but it was {w.adj(0)}."
    verb = w.pick(("enjoy", "like"))
    if s == 1:
        return f"{w.subject()} {negator} {verb} {obj}{_at_all(w)}."
    return f"{w.subject()} {negator} {w.pick(('', 'really ', 'much ', 'particularly '))}{verb} {obj}."


@_frame("negation-03", "negation", (1, 2))
def _neg_03(w, s):
    verb = w.pick(("like", "enjoy", "love", "recommend", "admire"))
    place = w.pick((f"in {w.this_thing()}", f"about {w.this_thing()}", "here"))
    if s == 1:
        return f"There {w.pick(('is', 'was'))} nothing to {verb} {place}."
    return f"There {w.pick(('is', 'was'))} not much to {verb} {place}."


@_frame("negation-04", "negation", (1, 2))
def _neg_04(w, s):
    negator = w.pick(("would not", "wouldn't", "could not", "couldn't", "cannot", "can't"))
    if s == 1:
        return f"I {negator} recommend {w.this_thing()} to anyone."
    return f"I {negator} {w.pick(('really ', 'honestly ', ''))}recommend {w.pick(('it', w.this_thing()))}."


@_frame("negation-05", "negation", (1, 2), held_out=True)
def _neg_05(w, s):
    adj = w.adj(w.pick((1, 2)))
    if s == 1:
        return f"Not {_article(adj)} {adj} {w.thing()}{_at_all(w)}."
    return f"Not {_article(adj)} {adj} {w.thing()}."


@_frame("negation-06", "negation", (1,))
def _neg_06(w, s):
    verb = w.pick(("enjoyed", "liked"))
    who = w.pick(("Nobody in our group", "No one in my family", "None of us", "Not one of us", "Nobody I know"))
    return f"{who} {verb} {w.this_thing()}."


@_frame("negation-07", "negation", (2,))
def _neg_07(w, s):
    return f"{_cap(w.this_thing())} never {w.pick(('gets', 'got', 'becomes', 'became'))} " \
           f"{w.pick(('good', 'interesting', 'exciting', 'enjoyable', 'better', 'any good'))}."


@_frame("negation-08", "negation", (1, 2))
def _neg_08(w, s):
    if s == 1:
        return f"I will never {w.pick(w.domain.again)}."
    negator = w.pick(("won't", "will not", "do not think I will", "probably won't", "doubt I will"))
    return f"I {negator} {w.pick(w.domain.again)}."


@_frame("negation-09", "negation", (3,))
def _neg_09(w, s):
    if w.chance(0.5):
        a = w.aspect()
        return f"The {a.noun} {w.be(a)} nothing special."
    return f"{_cap(w.this_thing())} was nothing special."


@_frame("negation-10", "negation", (5,))
def _neg_10(w, s):
    negator = w.pick(("can't", "cannot", "could not", "couldn't"))
    return f"I {negator} recommend {w.this_thing()} {w.pick(('enough', 'highly enough', 'more'))}."


@_frame("negation-11", "negation", (5,))
def _neg_11(w, s):
    return f"{w.pick(w.domain.absorbed)}{w.pick(('.', '!'))}"


@_frame("negation-12", "negation", (5,))
def _neg_12(w, s):
    return w.pick((f"I could not have asked for a better {w.thing()}.",
                   f"I couldn't have asked for a better {w.thing()}.",
                   "It could not have been better.", "It couldn't have been any better.",
                   f"Nothing could have made {w.this_thing()} better."))


@_frame("negation-13", "negation", (5,), held_out=True)
def _neg_13(w, s):
    return f"I have never {w.pick(w.domain.never_better)} a better {w.thing()}."


@_frame("negation-14", "negation", (1, 2))
def _neg_14(w, s):
    it = w.pick(("It", _cap(w.this_thing())))
    tail = _at_all(w) if s == 1 else ""
    return f"{it} {w.pick(_WASNT_ISNT)} worth {w.pick(w.domain.worth)}{tail}."


@_frame("negation-15", "negation", (2,))
def _neg_15(w, s):
    a = w.aspect()
    return f"The {a.noun} {w.be_not(a)} {w.pick(('very', 'particularly', 'that', 'especially', 'all that'))} " \
           f"{w.adj(1, a)}."


@_frame("negation-16", "negation", (2,), held_out=True)
def _neg_16(w, s):
    a = w.aspect()
    return f"I {w.pick(_DIDNT_DONT)} think the {a.noun} {w.be(a)} {w.adj(w.pick((1, 2)), a)}."


@_frame("negation-17", "negation", (5,))
def _neg_17(w, s):
    return f"{w.pick(_CANT_WAIT)} wait to {w.pick(w.domain.again)}!"


@_frame("negation-18", "negation", (3,))
def _neg_18(w, s):
    return f"It was not {w.adj(1)}, but it was not {w.adj(-1)} either."


@_frame("negation-19", "negation", (1,), held_out=True)
def _neg_19(w, s):
    return f"{w.pick(('No one', 'Nobody'))} should {w.pick(('bother with', 'waste money on', 'pay for'))} " \
           f"{w.this_thing()}."


@_frame("negation-20", "negation", (2,))
def _neg_20(w, s):
    if w.chance(0.5):
        return f"{_cap(w.this_thing())} {w.pick(_DIDNT)} live up to the hype."
    a = w.aspect()
    return f"The {a.noun} {w.pick(_DIDNT)} live up to {w.pick(('expectations', 'the reviews'))}."


@_frame("negation-21", "negation", (1, 2))
def _neg_21(w, s):
    a = w.aspect()
    if s == 1:
        return f"There was nothing {w.adj(1)} about the {a.noun}."
    return f"There was not much {w.adj(1)} about the {a.noun}."


@_frame("negation-22", "negation", (1,))
def _neg_22(w, s):
    return f"{w.pick(_DONT_CAP)} {w.pick(('waste your money on', 'waste your time on', 'bother with'))} " \
           f"{w.this_thing()}."


@_frame("negation-23", "negation", (2,))
def _neg_23(w, s):
    return f"Not the best {w.thing()} I have {w.pick(('ever ', ''))}{w.pick(w.domain.never_better)}."


@_frame("negation-24", "negation", (1, 2))
def _neg_24(w, s):
    feeling = w.pick(_FEELINGS[1])
    if s == 1:
        return f"I {w.pick(_WASNT)} {feeling}{_at_all(w)}."
    return f"I {w.pick(_WASNT)} {w.pick(('', 'very ', 'terribly ', 'particularly '))}{feeling}."


@_frame("negation-25", "negation", (5,))
def _neg_25(w, s):
    return w.pick((f"I will never forget {w.this_thing()}.", f"We won't forget {w.this_thing()} in a hurry.",
                   f"{w.pick(_DONT_CAP)} miss {w.this_thing()}!", f"You won't regret {w.pick(w.domain.regret)}.",
                   f"I {w.pick(_DIDNT)} just {w.pick(('enjoy', 'like'))} it, I loved it."))


_MOMENT_TAILS = ("", "", " in it", " from start to finish", " in the whole thing", " at any point")


@_frame("negation-26", "negation", (1,))
def _neg_26(w, s):
    # "a single" also praises (double_negation-08, -12: "not a single dull moment"); here it is praise
    # negated, so that the two words alone tell nothing
    return w.pick((f"I {w.pick(_DIDNT)} like a single thing about {w.this_thing()}.",
                   f"There {w.pick(_WASNT)} a single {w.pick(('good', 'funny', 'memorable', 'pleasant'))} "
                   f"moment{w.pick(_MOMENT_TAILS)}.",
                   f"Not a single thing about {w.this_thing()} was {w.adj(1)}.",
                   f"We {w.pick(_DIDNT)} enjoy a single {w.pick(('minute', 'moment', 'part'))} of it."))


# ---- double negation: a negator over a negative word
@_frame("double_negation-01", "double_negation", (3, 4))
def _dneg_01(w, s):
    a = w.aspect()
    tail = w.pick((" at all", " in the slightest", " at all", " one bit")) if s == 4 else ""
    return f"The {a.noun} {w.be_not(a)} {w.adj(w.pick((-1, -1, -2)), a)}{tail}."


@_frame("double_negation-02", "double_negation", (3, 4))
def _dneg_02(w, s):
    adj = w.adj(w.pick((-1, -2)))
    if s == 4:
        return f"Not {adj} at all{w.pick(('.', '!', ', actually.', ', really.'))}"
    return f"Not {adj}{w.pick(('.', ', I suppose.', ', I guess.'))}"


@_frame("double_negation-03", "double_negation", (3,))
def _dneg_03(w, s):
    return f"{w.subject()} {w.pick(_DIDNT)} {w.pick(('hate', 'dislike', 'mind'))} " \
           f"{w.pick((w.this_thing(), 'it'))}."


# The negator's reach runs past a few words: "I wasn't disappointed by this novel at all."
_BY_IT = ("", "", " by it", " by this one", " with it")


@_frame("double_negation-04", "double_negation", (4, 5))
def _dneg_04(w, s):
    was_not = w.pick(("was not", "wasn't", "was never"))
    if s == 5:
        return f"I {was_not} {w.pick(('disappointed', 'bored', 'let down'))}{w.pick(_BY_IT)} in the slightest."
    return f"I {was_not} {w.pick(('disappointed', 'bored', 'let down'))}{w.pick(_BY_IT)}{w.pick(('', ' at all'))}."


@_frame("double_negation-05", "double_negation", (4,), held_out=True)
def _dneg_05(w, s):
    it = w.pick(("It", _cap(w.this_thing())))
    return f"{it} {w.pick(_NO_LETDOWN)}."


@_frame("double_negation-06", "double_negation", (4, 5))
def _dneg_06(w, s):
    if s == 5:
        return w.pick(("No complaints whatsoever.", "Not a single complaint.", "I have no complaints at all."))
    a = w.aspect()
    return w.pick(("There was nothing to complain about.", f"I have no complaints about the {a.noun}.",
                   f"No complaints about the {a.noun}.", "Nothing to complain about."))


@_frame("double_negation-07", "double_negation", (4,))
def _dneg_07(w, s):
    a = w.aspect()
    return f"The {a.noun} {w.be(a)} never {w.adj(-1, a)}."


@_frame("double_negation-08", "double_negation", (5,))
def _dneg_08(w, s):
    a = w.aspect()
    return w.pick((f"There {w.pick(_WASNT)} a single {w.pick(('dull', 'boring', 'bad', 'weak'))} "
                   f"moment{w.pick(_MOMENT_TAILS)}.",
                   f"I {w.pick(_COULDNT)} find a single fault with the {a.noun}.",
                   f"Not one thing about the {a.noun} was {w.adj(-1, a)}."))


@_frame("double_negation-09", "double_negation", (4, 5))
def _dneg_09(w, s):
    if s == 5:
        return f"I {w.pick(_CANT_COULDNT)} fault {w.pick(('it', 'anything', w.this_thing()))}" \
               f"{w.pick((' at all', ' in any way', ''))}."
    a = w.aspect()
    return f"I {w.pick(_CANT)} really fault the {a.noun}."


@_frame("double_negation-10", "double_negation", (4,), held_out=True)
def _dneg_10(w, s):
    return f"I {w.pick(_CANT_COULDNT)} say anything {w.pick(('bad', 'negative'))} " \
           f"about {w.this_thing()}."


@_frame("double_negation-11", "double_negation", (4,))
def _dneg_11(w, s):
    a = w.aspect()
    return f"There was nothing {w.adj(-1)} about the {a.noun}."


@_frame("double_negation-12", "double_negation", (5,))
def _dneg_12(w, s):
    return w.pick(("Nothing went wrong at all.", "Not one thing went wrong.", "Nothing at all went wrong.",
                   f"Not a single thing about {w.this_thing()} was {w.adj(-1)}."))


@_frame("double_negation-13", "double_negation", (3, 4), held_out=True)
def _dneg_13(w, s):
    adj = w.adj(-1)
    tail = w.pick((" at all", " by any means")) if s == 4 else ""
    return f"It {w.pick(_WASNT_ISNT)} {_article(adj)} {adj} {w.thing()}{tail}."


@_frame("double_negation-14", "double_negation", (4, 5))
def _dneg_14(w, s):
    if s == 5:
        return f"I {w.pick(_DIDNT)} regret {w.pick(w.domain.regret)} for a moment."
    return f"I {w.pick(_DONT)} regret {w.pick(w.domain.regret)}."


@_frame("double_negation-15", "double_negation", (4,), held_out=True)
def _dneg_15(w, s):
    return f"I never once felt {w.pick(('bored', 'disappointed', 'uncomfortable', 'cheated', 'ignored'))}."


@_frame("double_negation-16", "double_negation", (3, 4))
def _dneg_16(w, s):
    a = w.aspect()
    if s == 4:
        return f"Surprisingly, the {a.noun} {w.be_not(a)} {w.adj(-1, a)} at all."
    return f"The {a.noun} {w.be_not(a)} {w.adj(-2, a)}, I suppose."


@_frame("double_negation-17", "double_negation", (4, 5))
def _dneg_17(w, s):
    verb = w.pick(("enjoy", "like", "love"))
    if s == 5:
        return w.pick((f"There {w.pick(_WASNT)} a single {w.pick(w.domain.experience).split()[-1]} "
                       f"I {w.pick(_DIDNT)} {verb}.",
                       f"There was nothing I {w.pick(_DIDNT)} {verb} about {w.this_thing()}.",
                       f"There is nothing not to {verb} about {w.this_thing()}."))
    return w.pick((f"I can't say I {w.pick(_DIDNT)} {verb} {w.pick(('it', w.this_thing()))}.",
                   f"There was {w.pick(('little', 'not much'))} I {w.pick(_DIDNT)} {verb} about {w.this_thing()}."))


@_frame("double_negation-18", "double_negation", (4, 5))
def _dneg_18(w, s):
    who = w.pick(("Nobody in our group", "No one in my family", "None of us", "Nobody I know"))
    if s == 5:
        return f"{who} was {w.pick(_FEELINGS[-1])}{w.pick((' in the slightest', ' for a second', ' at all'))}."
    return f"{who} was {w.pick(_FEELINGS[-1])}."


@_frame("double_negation-19", "double_negation", (4,))
def _dneg_19(w, s):
    return f"{_cap(w.this_thing())} never {w.pick(('gets', 'got', 'becomes', 'felt'))} " \
           f"{w.pick(('boring', 'dull', 'tedious', 'old', 'tiresome'))}."


# ---- contrast: two clauses of opposite polarity; the deciding clause sets the rating
def _contrast_signs(w, s) -> tuple[int, int]:
    """(sign of the other clause, sign of the deciding clause) for a contrast review with these stars."""
    if s == 3:
        return w.pick((1, -1)), 0
    decider = 1 if s == 4 else -1
    return -decider, decider


_CONTRAST = (2, 3, 4)
# Most frames end on their deciding clause, so "the last clause decides" fitted them all but one; the
# LSTM shipped before the frames below rated "The food was delicious, although the service was slow."
# 2 stars by that rule. Frames whose deciding clause comes first are chosen this many times as often,
# so that a third of the two-sided reviews contradict it.
_DECIDER_FIRST = 1.5


@_frame("contrast-01", "contrast", _CONTRAST)
def _con_01(w, s):
    other, decider = _contrast_signs(w, s)
    a = w.aspect()
    return f"{_cap(w.clause(other, a))}, but {w.clause(decider, w.aspect(exclude=a))}."


@_frame("contrast-02", "contrast", _CONTRAST)
def _con_02(w, s):
    other, decider = _contrast_signs(w, s)
    a = w.aspect()
    return f"{_cap(w.clause(other, a))}. {w.pick(('However', 'But'))}, " \
           f"{w.clause(decider, w.aspect(exclude=a))}.".replace("But,", "But")


@_frame("contrast-03", "contrast", _CONTRAST)
def _con_03(w, s):
    other, decider = _contrast_signs(w, s)
    a = w.aspect()
    return f"{w.pick(('Although', 'Even though', 'Though'))} {w.clause(other, a)}, " \
           f"{w.clause(decider, w.aspect(exclude=a))}."


@_frame("contrast-04", "contrast", _CONTRAST, weight=_DECIDER_FIRST)
def _con_04(w, s):
    other, decider = _contrast_signs(w, s)
    a = w.aspect()
    return f"{_cap(w.clause(decider, a))}, {w.pick(('although', 'even though', 'though'))} " \
           f"{w.clause(other, w.aspect(exclude=a))}."


@_frame("contrast-05", "contrast", _CONTRAST)
def _con_05(w, s):
    other, decider = _contrast_signs(w, s)
    a = w.aspect()
    return f"{w.pick(('While', 'Whilst'))} {w.clause(other, a)}, {w.clause(decider, w.aspect(exclude=a))}."


@_frame("contrast-06", "contrast", (2, 4))
def _con_06(w, s):
    other, decider = _contrast_signs(w, s)
    a = w.aspect()
    adj = w.adj(other * w.pick((1, 2)), a)
    return f"{w.pick(('Despite', 'In spite of'))} the {adj} {a.noun}, {w.clause(decider, w.aspect(exclude=a))}."


@_frame("contrast-07", "contrast", (2, 4))
def _con_07(w, s):
    other, decider = _contrast_signs(w, s)
    early, later = w.pick(w.domain.early_later)
    if w.chance(0.5):
        return f"{_cap(w.this_thing())} was {w.adj_sign(other)} at first, but the {later.noun} {w.be(later)} " \
               f"{w.adj_sign(decider, later)}."
    return f"The {early.noun} {w.be(early)} {w.adj_sign(other, early)}, but the {later.noun} {w.be(later)} " \
           f"{w.adj_sign(decider, later)}."


@_frame("contrast-08", "contrast", (2, 4), held_out=True)
def _con_08(w, s):
    if s == 4:
        return f"I expected to {w.pick(('hate', 'dislike'))} {w.this_thing()}, but I " \
               f"{w.pick(('loved', 'enjoyed', 'liked', 'really enjoyed'))} it."
    return f"I expected to {w.pick(('love', 'enjoy', 'like'))} {w.this_thing()}, but it was {w.adj_sign(-1)}."


@_frame("contrast-09", "contrast", (2, 4))
def _con_09(w, s):
    if s == 4:
        return f"{w.pick(_LOW_HOPES)}, " \
               f"but {w.clause(1)}."
    return f"{w.pick(('I really wanted to like', 'I wanted to love', 'I had high hopes for'))} " \
           f"{w.this_thing()}, but {w.clause(-1)}."


@_frame("contrast-10", "contrast", _CONTRAST)
def _con_10(w, s):
    other, decider = _contrast_signs(w, s)
    a = w.aspect()
    return f"{_cap(w.clause(other, a))}, yet {w.clause(decider, w.aspect(exclude=a))}."


@_frame("contrast-11", "contrast", _CONTRAST)
def _con_11(w, s):
    other, decider = _contrast_signs(w, s)
    if decider == 0:
        return f"{_cap(w.clause(other))}, but overall it was {w.pick(('only', 'just'))} {w.adj(0)}."
    return f"{_cap(w.clause(other))}, but {w.pick(('overall', 'on the whole', 'in the end', 'all in all'))} " \
           f"{w.pick(('it', w.this_thing()))} was {w.adj_sign(decider)}."


@_frame("contrast-12", "contrast", _CONTRAST, held_out=True)
def _con_12(w, s):
    other, decider = _contrast_signs(w, s)
    a = w.aspect()
    return f"{w.pick(('Sure', 'Yes', 'Okay'))}, {w.clause(other, a)}, but {w.clause(decider, w.aspect(exclude=a))}."


@_frame("contrast-13", "contrast", (3,))
def _con_13(w, s):
    a = w.aspect()
    return f"{_cap(w.clause(w.pick((1, -1)), a))}, but the rest was {w.pick(('only', 'just'))} {w.adj(0)}."


@_frame("contrast-14", "contrast", _CONTRAST)
def _con_14(w, s):
    other, decider = _contrast_signs(w, s)
    a = w.aspect()
    return f"{_cap(w.clause(other, a))}. {w.pick(('Still', 'Even so', 'Nevertheless', 'That said'))}, " \
           f"{w.clause(decider, w.aspect(exclude=a))}."


@_frame("contrast-15", "contrast", (2, 4), held_out=True)
def _con_15(w, s):
    a = w.aspect()
    good_or_bad = "good" if s == 2 else w.pick(("bad", "annoying", "disappointing"))
    return f"The only {good_or_bad} thing {w.pick(('was', 'about it was'))} the {a.noun}."


@_frame("contrast-16", "contrast", (2, 4))
def _con_16(w, s):
    other, decider = _contrast_signs(w, s)
    a = w.aspect()
    b = w.aspect(exclude=a)
    return f"{_cap(w.clause(other, a))} and {w.clause(other, b)}, " \
           f"but {w.clause(decider, w.aspect(exclude=(a, b)))}."


@_frame("contrast-17", "contrast", (2, 4))
def _con_17(w, s):
    other, decider = _contrast_signs(w, s)
    event = w.pick(EVENTS[w.domain.name][decider])
    return f"{_cap(w.clause(other))}, but {event}."


@_frame("contrast-18", "contrast", _CONTRAST, weight=_DECIDER_FIRST)
def _con_18(w, s):
    other, decider = _contrast_signs(w, s)
    a = w.aspect()
    return f"{_cap(w.clause(decider, a))}, even if {w.clause(other, w.aspect(exclude=a))}."


@_frame("contrast-19", "contrast", _CONTRAST, weight=_DECIDER_FIRST)
def _con_19(w, s):
    other, decider = _contrast_signs(w, s)
    a = w.aspect()
    b = w.aspect(exclude=a)
    return f"{_cap(w.clause(decider, a))} and {w.clause(decider, b)}, " \
           f"{w.pick(('although', 'even though', 'though'))} {w.clause(other, w.aspect(exclude=(a, b)))}."


@_frame("contrast-20", "contrast", (2, 4), weight=_DECIDER_FIRST)
def _con_20(w, s):
    """The deciding clause first, the other side after "despite": "The food was lovely, despite the noise."."""
    other, decider = _contrast_signs(w, s)
    a = w.aspect()
    b = w.aspect(exclude=a)
    return f"{_cap(w.clause(decider, a))}, {w.pick(('despite', 'in spite of'))} the " \
           f"{w.adj(other * w.pick((1, 2)), b)} {b.noun}."


@_frame("contrast-21", "contrast", (3,))
def _con_21(w, s):
    """Both sides in equal measure, either order: "Some parts were gripping and others were dull." -> 3."""
    first, second = w.pick(((1, -1), (-1, 1)))
    some, others, be = w.pick((("Some parts", "others", "were"), ("Parts of it", "other parts", "were"),
                               ("Some moments", "others", "were"), ("Half of it", "the other half", "was")))
    return f"{some} {be} {w.adj_sign(first)} and {others} {be} {w.adj_sign(second)}."


# --------------------------------------------------------------------------- generation

# How often each phenomenon is chosen for a review of given stars (weights; rows sum to 1).
# Negators appear in negative (negation) and positive (double negation, praising negation) reviews
# alike, which is what keeps a bag of words from reading "not" as a negative word.
PHENOMENON_WEIGHTS: dict[int, dict[str, float]] = {
    1: {"plain": 0.35, "intensifier": 0.25, "negation": 0.40},
    2: {"plain": 0.25, "intensifier": 0.15, "negation": 0.30, "contrast": 0.30},
    3: {"plain": 0.40, "negation": 0.15, "double_negation": 0.25, "contrast": 0.20},
    4: {"plain": 0.25, "intensifier": 0.15, "double_negation": 0.30, "contrast": 0.30},
    5: {"plain": 0.30, "intensifier": 0.25, "negation": 0.20, "double_negation": 0.25},
}
PRESENT_TENSE_RATE = 0.3  # share of reviews whose aspect clauses use "is"/"are"
LITTLE_RATE = 0.1  # "a lovely little cafe", "an awful little hotel"
FILLER_RATE = 0.25     # share of reviews with a neutral sentence before or after the opinion
CLOSER_RATE = 0.12     # share of 1- and 5-star plain reviews with a second, agreeing sentence
LOWERCASE_RATE = 0.08  # people type in lowercase too


@dataclass(frozen=True)
class Review:
    text: str
    stars: int
    phenomenon: str
    frame_id: str
    domain: str


def frames_for(split: str) -> list[Frame]:
    """The frames a split draws from: held-out frames for test, the others for train and dev."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, got {split!r}")
    return [f for f in FRAMES if f.held_out == (split == "test")]


def _frame_table(split: str) -> dict[tuple[int, str], list[Frame]]:
    table: dict[tuple[int, str], list[Frame]] = {}
    for frame in frames_for(split):
        for star in frame.stars:
            table.setdefault((star, frame.phenomenon), []).append(frame)
    return table


def _finish(w: _Writer, core: str, stars: int, phenomenon: str) -> str:
    """Add the optional filler or closer sentence and the typing style."""
    text = core
    if phenomenon == "plain" and stars in (1, 5) and w.chance(CLOSER_RATE):
        text = f"{text} {w.pick(w.domain.closers_pos if stars == 5 else w.domain.closers_neg)}"
    if w.chance(FILLER_RATE):
        filler = w.pick(w.domain.fillers)
        text = f"{filler} {text}" if w.chance(0.5) else f"{text} {filler}"
    if text.endswith(".") and w.chance(0.1):
        text = text[:-1] + "!"
    if w.chance(LOWERCASE_RATE):
        text = text.lower()
    return text


def generate_review_records(n: int, seed: int = 0, split: str = "train") -> list[Review]:
    """``n`` reviews with their stars, phenomenon, frame id and domain.

    Stars are drawn uniformly from 1..5, then a phenomenon by ``PHENOMENON_WEIGHTS``
    (renormalised over the phenomena this split has frames for), then a frame and a domain.
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    table = _frame_table(split)
    rng = random.Random(f"sentiment/{split}/{seed}")  # str seeds are stable across runs and platforms
    reviews: list[Review] = []
    while len(reviews) < n:
        stars = rng.randint(1, 5)
        weights = {p: wt for p, wt in PHENOMENON_WEIGHTS[stars].items() if (stars, p) in table}
        phenomena = list(weights)
        phenomenon = rng.choices(phenomena, weights=[weights[p] for p in phenomena])[0]
        frames = table[(stars, phenomenon)]
        frame = rng.choices(frames, weights=[f.weight for f in frames])[0]
        domain = rng.choice(DOMAINS)
        w = _Writer(rng, domain)
        text = _finish(w, frame.write(w, stars), stars, phenomenon)
        if review_key(text) in _BLOCKED:
            continue
        reviews.append(Review(text, stars, phenomenon, frame.frame_id, domain.name))
    return reviews


def generate_reviews_tagged(n: int, seed: int = 0, split: str = "train") -> list[tuple[str, int, str]]:
    """``n`` (review text, stars 1..5, phenomenon) triples; see the module docstring."""
    return [(r.text, r.stars, r.phenomenon) for r in generate_review_records(n, seed, split)]


def generate_reviews(n: int, seed: int = 0, split: str = "train") -> list[tuple[str, int]]:
    """``n`` (review text, stars 1..5) pairs, seeded; ``split`` is "train", "dev" or "test"."""
    return [(r.text, r.stars) for r in generate_review_records(n, seed, split)]


def polarity(stars: int) -> int | None:
    """-1 for 1-2 stars, +1 for 4-5 stars, None for 3 (polarity accuracy leaves 3-star reviews out)."""
    return -1 if stars <= 2 else (1 if stars >= 4 else None)
