"""Seeded named-entity corpus: sentences x<1>..x<T_x> with BIO tags y<1>..y<T_y> (T_y = T_x).

``generate_ner(n, seed, split)`` fills hand-written sentence frames ("{PER} flew from {CITY} to
{CITY} on {day}.") with person names from Faker's name lists in many locales, real places,
companies and organisations, and ordinary words, then tokenizes the finished sentence with
``rnncore.text.tokenize`` and aligns the entity character spans to the tokens, so the tokens are
exactly what a typed sentence gives at inference time.

Splits (``split`` in ``"train"``, ``"dev"``, ``"test"``)
    Frames, person first names, person last names and the less famous places and organisations are
    each partitioned by a stable hash into three disjoint sets (about 80 / 10 / 10 percent). Dev and
    test sentences therefore use frames and names the training split never shows; dev is a second
    held-out set for early stopping, so the test split stays untouched. A short list of anchor names
    (the course notes' "Tom", "Eliza", "Sherlock", "Holmes", "John", "Watson" and the issue's "Kenji",
    "Olga", "Ngozi", "Müller") and the most famous places and organisations always belong to train.

Annotation conventions (the challenge set in classroom.conll beside this file follows them)
    PER   people, including fictional characters and pets' names. The whole name is one span, with
          particles and hyphens ("Ruud van der Berg", "Jean-Luc", "O'Brien"). Titles and roles are
          outside: "Dr.", "Mrs.", "Professor", "Coach", "General" are O.
    LOC   cities, countries, regions, continents, rivers, lakes, mountains, streets, squares and
          landmarks. A capitalised head that belongs to the name is inside ("Baker Street",
          "Lake Victoria", "Eiffel Tower"); a house number ("221B") and a lowercase descriptive noun
          ("the Amazon rainforest") are outside.
    ORG   companies, institutions, parties, sports clubs, universities, newspapers and broadcasters.
          A place name inside an organisation's name is part of it ("Manchester United").
    MISC  nationalities and other group adjectives ("French", "Nigerian", "Yoruba"), languages,
          named events and competitions ("Olympics", "World Cup", "Tour de France"), prizes
          ("Nobel Prize") and named historical periods ("World War II").
    A leading "the" is never inside a span ("the United Nations", "the Netherlands"). A possessive
    "'s" after a name is O; inside a name that contains it ("McDonald's") it is part of the span.
    Days, months, "I" and sentence-initial words are O. Product names are avoided.

Deliberate ambiguity (``AMBIGUOUS``)
    Apple (ORG / fruit O), Amazon (ORG / LOC), Jordan (PER / LOC), Washington (PER / LOC), Paris
    (LOC / PER), Tesla (ORG / PER), May (PER / month O / modal O), Teddy (PER / teddy bear O). These
    words are removed from the general name and place lists, so every occurrence comes from the
    ambiguity frames, which use both senses equally often. In about two thirds of those sentences
    the words that decide the sense come after the ambiguous word, with a left context shared by
    both senses, so a left-to-right model cannot know the answer and a bidirectional one can.

Variety
    Non-entity slots draw from hand-written word lists and, for a share of slots, from English words
    of the most frequent 20,000 (wordfreq) whose suffix marks the part of speech, so the tagger meets
    thousands of ordinary words as O. About 5 percent of sentences (15 percent of ambiguity
    sentences) are typed all lowercase with their tags kept, and some lack the final full stop.

Faker and wordfreq are development-time dependencies: they are imported lazily by the generator.
"""

from __future__ import annotations

import functools
import hashlib
import random
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from rnncore.plaintext import read_sections
from rnncore.text import normalize, tokenize

LABELS = ("O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC")
ENTITY_TYPES = ("PER", "LOC", "ORG", "MISC")
SPLITS = ("train", "dev", "test")

AMBIGUITY_SHARE = 0.15  # share of sentences drawn from the ambiguity frames
LOWERCASE_SHARE = 0.08  # share of ordinary sentences typed all lowercase
AMBIGUOUS_LOWERCASE_SHARE = 0.15
NO_FINAL_STOP_SHARE = 0.08
PRONOUN_SHARE = 0.25  # ordinary sentences opening with a person where "He"/"She" replaces the name
OPENER_SHARE = 0.10  # "Yesterday, ..." put in front of an ordinary frame
RIGHT_DECIDED_SHARE = 0.65  # ambiguity sentences whose deciding words follow the ambiguous word
WORDFREQ_SHARE = 0.35  # filler slots that draw from the wordfreq lists instead of the hand lists


def _split_of(key: str, salt: str) -> str:
    """Stable 80/10/10 assignment of a string to train/dev/test (md5, not Python's salted hash)."""
    bucket = int(hashlib.md5(f"{salt}:{key}".encode()).hexdigest(), 16) % 100
    if bucket < 80:
        return "train"
    return "dev" if bucket < 90 else "test"



# ---------------------------------------------------------------------------------------------
# Places, organisations and other names. "the|X" means: "the" is written before X and stays O.
# core: always in the training split. more: partitioned between train, dev and test.
# ---------------------------------------------------------------------------------------------

# ---------------------------------------------------------------------------------------------
# Names for the entity slots, ordinary words for the O slots (the wordfreq lists add thousands more),
# sentence frames and the ambiguity sentences: read once from lists.txt beside this file.
# ---------------------------------------------------------------------------------------------

LISTS = Path(__file__).resolve().parent / "lists.txt"


def _load_lists():
    """lists.txt as the generator uses it: gazetteer slot -> (type, {"core", "more"}), words, frames,
    neutral prefixes, and ambiguous word -> sense -> (tag, surface, right-decided, left-decided)."""
    gazetteer: dict[str, tuple[str, dict[str, list[str]]]] = {}
    words: dict[str, list[str]] = {}
    frames: dict[str, list[str]] = {}
    prefixes: list[str] = []
    ambiguous: dict[str, dict[str, tuple[str, str, list[str], list[str]]]] = {}
    for (kind, *key), entries in read_sections(LISTS).items():
        if kind == "gazetteer":
            slot, entity_type, part = key
            gazetteer.setdefault(slot, (entity_type, {"core": [], "more": []}))[1][part] = entries
        elif kind == "words":
            words[key[0]] = entries
        elif kind == "frames":
            frames[key[0]] = entries
        elif kind == "prefixes":
            prefixes = entries
        elif kind == "ambiguous":
            word, sense, tag, surface, side = key
            _, _, right, left = ambiguous.setdefault(word, {}).get(sense, (tag, surface, [], []))
            ambiguous[word][sense] = (tag, surface, entries, left) if side == "right" else (tag, surface, right, entries)
        else:
            raise ValueError(f"{LISTS}: unknown section [{kind} ...]")
    return gazetteer, words, frames, prefixes, ambiguous


GAZETTEER, WORDS, FRAMES, NEUTRAL_PREFIXES, AMBIGUOUS = _load_lists()





















# Slots that pick one of several gazetteer slots.
ENTITY_UNIONS = {
    "PLACE": ("CITY", "CITY", "COUNTRY", "REGION"),
    "LOC": ("CITY", "COUNTRY", "REGION", "RIVER", "MOUNTAIN", "LANDMARK"),
    "ANYORG": ("COMPANY", "ORG", "UNI", "MEDIA"),
}

# ---------------------------------------------------------------------------------------------
# Ordinary words for the O slots (hand-written; the wordfreq lists add thousands more).
# ---------------------------------------------------------------------------------------------


_IRREGULAR_PLURALS = {"leaf": "leaves", "shelf": "shelves", "wolf": "wolves", "scarf": "scarves",
                      "knife": "knives", "child": "children", "person": "people", "sheep": "sheep",
                      "deer": "deer", "goose": "geese", "fish": "fish", "mouse": "mice",
                      "potato": "potatoes", "tomato": "tomatoes", "hero": "heroes"}


def _plural(noun: str) -> str:
    head, _, last = noun.rpartition(" ")
    if last in _IRREGULAR_PLURALS:
        plural = _IRREGULAR_PLURALS[last]
    elif re.search(r"[^aeiou]y$", last):
        plural = last[:-1] + "ies"
    elif re.search(r"(s|x|z|ch|sh)$", last):
        plural = last + "es"
    else:
        plural = last + "s"
    return f"{head} {plural}" if head else plural


WORDS["nouns"] = [_plural(word) for word in WORDS["noun"]]
WORDS["animals"] = [_plural(word) for word in WORDS["animal"]]

# ---------------------------------------------------------------------------------------------
# Sentence frames. {UPPER} slots are entities, {lower} slots are O words, [text|TYPE] is an entity
# written into the frame, {a:slot} puts "a"/"an" before the word.
# ---------------------------------------------------------------------------------------------




# How often each sense is drawn, per word (the senses of a word sum to 1).
SENSE_WEIGHTS = {"may": {"month": 0.45, "person": 0.45, "modal": 0.10}}

# Anchor names always in the training split (the course notes' and the issue's examples).
ANCHOR_NAMES: dict[str, tuple[list[str], list[str]]] = {
    "en_GB": (["Tom", "Eliza", "Sherlock", "John"], ["Holmes", "Watson"]),
    "ja_JP": (["Kenji"], []),
    "ru_RU": (["Olga"], []),
    "ig_NG": (["Ngozi"], []),
    "de_DE": ([], ["Müller"]),
}

# ---------------------------------------------------------------------------------------------
# Person names from Faker
# ---------------------------------------------------------------------------------------------

# locale -> (first-name attributes, last-name attributes, transliterate Cyrillic?)
NAME_LOCALES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "en_US": (("first_names_male", "first_names_female"), ("last_names",)),
    "en_GB": (("first_names_male", "first_names_female"), ("last_names",)),
    "en_IE": (("first_names_male", "first_names_female"), ("last_names",)),
    "en_IN": (("first_names_male", "first_names_female"), ("last_names",)),
    "de_DE": (("first_names_male", "first_names_female"), ("last_names",)),
    "fr_FR": (("first_names_male", "first_names_female"), ("last_names",)),
    "es_ES": (("first_names_male", "first_names_female"), ("last_names",)),
    "es_MX": (("first_names_male", "first_names_female"), ("last_names",)),
    "it_IT": (("first_names_male", "first_names_female"), ("last_names",)),
    "pt_BR": (("first_names_male", "first_names_female"), ("last_names",)),
    "nl_NL": (("first_names_male", "first_names_female"), ("last_names",)),
    "pl_PL": (("first_names_male", "first_names_female"), ("unisex_last_names",)),
    "sv_SE": (("first_names_male", "first_names_female"), ("last_names",)),
    "fi_FI": (("first_names_male", "first_names_female"), ("last_names",)),
    "cs_CZ": (("first_names_male", "first_names_female"), ("last_names",)),
    "hu_HU": (("first_names_male", "first_names_female"), ("last_names",)),
    "tr_TR": (("first_names_male", "first_names_female"), ("last_names",)),
    "ru_RU": (("first_names_male", "first_names_female"), ("last_names_male", "last_names_female")),
    "uk_UA": (("first_names_male", "first_names_female"), ("last_names",)),
    "ja_JP": (("first_romanized_names_male", "first_romanized_names_female"), ("last_romanized_names",)),
    "zh_TW": (("first_romanized_names_male", "first_romanized_names_female"), ("last_romanized_names",)),
    "vi_VN": (("first_names_male", "first_names_female", "first_names_unisex"), ("last_names",)),
    "id_ID": (("first_names_male", "first_names_female"), ("last_names",)),
    "yo_NG": (("first_names_male", "first_names_female"), ("last_names",)),
    "ig_NG": (("first_names_male", "first_names_female"), ("last_names",)),
    "ha_NG": (("first_names_male", "first_names_female"), ("last_names",)),
    "sw": (("first_names_male", "first_names_female"), ("last_names",)),
    "zu_ZA": (("first_names_male", "first_names_female"), ("last_names",)),
    "tw_GH": (("first_names_male", "first_names_female"), ("last_names",)),
    "en_KE": (("first_names_male", "first_names_female"), ("last_names",)),
}

# Particles put before a surname in a share of names, per locale (lowercase ones stay inside PER).
PARTICLES = {"nl_NL": (0.3, ("van", "van de", "van der", "de", "van den", "ter")),
             "de_DE": (0.05, ("von",)), "fr_FR": (0.05, ("de",)), "pt_BR": (0.15, ("da", "dos", "de")),
             "es_ES": (0.04, ("de la", "del")), "it_IT": (0.05, ("Di", "De"))}
DOUBLE_SURNAME = {"es_ES": 0.3, "es_MX": 0.3, "pt_BR": 0.15, "de_DE": 0.03, "fr_FR": 0.03}

_CYRILLIC = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґ",
                     ["a", "b", "v", "g", "d", "e", "yo", "zh", "z", "i", "y", "k", "l", "m", "n", "o",
                      "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e",
                      "yu", "ya", "i", "yi", "ye", "g"], strict=True))
_UKRAINIAN = {"г": "h", "и": "y", "е": "e", "є": "ye", "ї": "yi", "і": "i", "й": "y"}
_NAME_RE = re.compile(r"^[^\W\d_]+(?:[-' ][^\W\d_]+)*$")
_LATIN_RE = re.compile(r"^[A-Za-z\u00C0-\u024F\u1E00-\u1EFF'\- ]+$")


def _transliterate(name: str, ukrainian: bool) -> str:
    """Cyrillic -> Latin letters (a simple BGN-like scheme): "Ольга" -> "Olga"."""
    out = []
    for char in name:
        lower = char.lower()
        latin = (_UKRAINIAN.get(lower) if ukrainian else None)
        latin = _CYRILLIC.get(lower, char) if latin is None else latin
        out.append(latin.capitalize() if char != lower else latin)
    return "".join(out)


def _faker_names(locale: str, attributes: tuple[str, ...]) -> list[str]:
    import importlib

    provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
    names: list[str] = []
    for attribute in attributes:
        values = getattr(provider, attribute, ())
        names.extend(values.keys() if isinstance(values, dict) else values)
    if locale in ("ru_RU", "uk_UA"):
        names = [_transliterate(name, ukrainian=locale == "uk_UA") for name in names]
    # zh_TW's romanized names are written in capitals ("CHE-WEI"): write them as names are typed.
    return [name.title() if name.isupper() and len(name) > 1 else name for name in names]


def _blocked_name_words() -> set[str]:
    """Strings that must not be drawn as person names: the ambiguous words (their senses are
    controlled), months and days, single-word places and organisations, and ordinary words that
    fill the O slots (so that "Rose"/"rose" or "Bill"/"bill" never contradict each other)."""
    blocked = {word.lower() for word in AMBIGUOUS} | {"may", "the", "i"}
    blocked |= {w.lower() for w in WORDS["day"] + WORDS["days"] + WORDS["month"]}
    for _, (_, parts) in GAZETTEER.items():
        for entry in parts["core"] + parts["more"]:
            blocked.add(entry.split("|")[-1].lower())
    for key in ("noun", "adj", "adv", "verbed", "subject", "food", "job", "relative", "thing",
                "animal", "place", "sport", "staff", "orgnoun", "nature", "compass", "stage"):
        blocked |= {w.lower() for w in WORDS[key]}
    return blocked


@dataclass(frozen=True)
class NamePool:
    """Person names of one split: locale -> first names and last names (disjoint across splits)."""

    first: dict[str, tuple[str, ...]]
    last: dict[str, tuple[str, ...]]

    def all_first(self) -> set[str]:
        return {name for names in self.first.values() for name in names}

    def all_last(self) -> set[str]:
        return {name for names in self.last.values() for name in names}


@functools.cache
def name_pool(split: str) -> NamePool:
    """The person names a split may use, drawn once from Faker's lists and partitioned by a stable
    hash of the name (first and last names separately), so no test name is ever a training name."""
    _check_split(split)
    blocked = _blocked_name_words()
    anchors_first = {n for first, _ in ANCHOR_NAMES.values() for n in first}
    anchors_last = {n for _, last in ANCHOR_NAMES.values() for n in last}
    first: dict[str, tuple[str, ...]] = {}
    last: dict[str, tuple[str, ...]] = {}
    for locale, (first_attrs, last_attrs) in NAME_LOCALES.items():
        anchor_first, anchor_last = ANCHOR_NAMES.get(locale, ([], []))
        for attrs, anchors, all_anchors, out in ((first_attrs, anchor_first, anchors_first, first),
                                                 (last_attrs, anchor_last, anchors_last, last)):
            chosen = []
            for raw in list(anchors) + _faker_names(locale, attrs):
                name = unicodedata.normalize("NFC", raw.strip())
                if not _usable_name(name, blocked) or name in chosen:
                    continue
                home = "train" if name in all_anchors else _name_split(name)
                if home == split:
                    chosen.append(name)
            out[locale] = tuple(sorted(chosen))
    return NamePool(first=first, last=last)


def _name_split(name: str) -> str | None:
    """The split a name belongs to. One salt for first and last names, so a string ("Thomas") has
    one home whichever way it is used; a name of several words ("Jose Luis") is kept only when every
    word belongs to the same split, so no word of a held-out name is ever a training name."""
    homes = {_split_of(word, "person") for word in name.split()}
    return homes.pop() if len(homes) == 1 else None


def _usable_name(name: str, blocked: set[str]) -> bool:
    if not _NAME_RE.match(name) or not _LATIN_RE.match(name) or len(name) < 2:
        return False
    if name.lower() in blocked or name.count(" ") > 1 or name != name.strip():
        return False
    if not all(word[0].isupper() for word in name.split()) or len(name.lower()) != len(name):
        return False
    return all(token[0].isalpha() for token in tokenize(name))


# ---------------------------------------------------------------------------------------------
# Ordinary words from wordfreq, by suffix
# ---------------------------------------------------------------------------------------------

_SENSITIVE = re.compile(
    r"sex|porn|rape|nude|naked|kill|murder|suicid|terror|drug|cocaine|heroin|abort|racis|nazi|fuck|"
    r"shit|bitch|whore|slave|masturbat|molest|prostitut|genocid|tortur|virgin|circumcis|erot|orgasm|"
    r"penis|vagin|breast|bomb|weapon|assault|abus|hate|ejacul|fornicat|castrat|mutilat|extermin|"
    r"christian|islam|jew|catholic|hindu|buddh|protestant|bibl|olymp|atlantic|pacific|baltic|celtic|"
    r"arabic|nordic|slavic|germanic|victorian|hispanic|yiddish|cornish|flemish|amish|kurdish|"
    r"english|british|spanish|irish|swedish|danish|finnish|polish|turkish|scottish|welsh")
_SUFFIX_CLASSES = {
    "noun": re.compile(r"(tion|sion|ment|ness|ity|ance|ence|ship|hood|ery)$"),
    "adj": re.compile(r"(ous|ful|ive|able|ible|ical|ional|less)$"),
}


@functools.cache
def wordfreq_words() -> dict[str, tuple[str, ...]]:
    """Frequent English words sorted into noun / adj / adv / verbed by their suffix."""
    from wordfreq import top_n_list

    top = [w for w in top_n_list("en", 20000) if re.fullmatch(r"[a-z]{4,}", w)]
    known = set(top)
    blocked = _blocked_name_words() | {w.lower() for (_, (_, parts)) in GAZETTEER.items()
                                       for entry in parts["core"] + parts["more"]
                                       for w in entry.split("|")[-1].split()}
    usable = [w for w in top if w not in blocked and not _SENSITIVE.search(w)]
    classes: dict[str, list[str]] = {"noun": [], "adj": [], "adv": [], "verbed": []}
    for word in usable:
        if _SUFFIX_CLASSES["noun"].search(word):
            classes["noun"].append(word)
        elif _SUFFIX_CLASSES["adj"].search(word) and len(word) >= 6:
            classes["adj"].append(word)
        elif word.endswith("ly") and (word[:-2] in known or word[:-3] + "y" in known) and len(word) >= 6:
            classes["adv"].append(word)
        elif word.endswith("ed") and (word[:-2] in known or word[:-1] in known) and len(word) >= 6:
            classes["verbed"].append(word)
    return {key: tuple(words) for key, words in classes.items()}


# ---------------------------------------------------------------------------------------------
# Frames, their splits, and rendering
# ---------------------------------------------------------------------------------------------

_SLOT = re.compile(r"\{(?:(a):)?(\w+)\}|\[([^\]|]+)\|(PER|LOC|ORG|MISC)\]")


def _check_split(split: str) -> None:
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, got {split!r}")


def _partition(items: list[str], salt: str) -> dict[str, list[str]]:
    """Deterministic 80/10/10 split of a list that keeps every split non-empty when it can:
    items are ordered by a stable hash, then every 10th goes to test and every 10th + 5 to dev
    (lists of fewer than 4 items stay in train)."""
    ordered = sorted(items, key=lambda item: hashlib.md5(f"{salt}:{item}".encode()).hexdigest())
    out: dict[str, list[str]] = {split: [] for split in SPLITS}
    for index, item in enumerate(ordered):
        if len(ordered) < 4:
            out["train"].append(item)
        elif index % 10 == 0:
            out["test"].append(item)
        elif index % 10 == 5 or (index == 1 and len(ordered) < 6):
            out["dev"].append(item)
        else:
            out["train"].append(item)
    return out


@functools.cache
def frames(split: str) -> dict[str, tuple[str, ...]]:
    """The ordinary frames of a split, per domain; frames of different splits never overlap."""
    _check_split(split)
    return {domain: tuple(_partition(block, f"frame-{domain}")[split]) for domain, block in FRAMES.items()}


@functools.cache
def ambiguity_frames(split: str) -> dict[tuple[str, str], tuple[tuple[str, ...], tuple[str, ...]]]:
    """(word, sense) -> (right-decided continuations, left-decided frames) of a split."""
    _check_split(split)
    out = {}
    for word, senses in AMBIGUOUS.items():
        for sense, (_, _, right, left) in senses.items():
            out[(word, sense)] = (tuple(_partition(right, f"amb-r-{word}-{sense}")[split]),
                                  tuple(_partition(left, f"amb-l-{word}-{sense}")[split]))
    return out


@functools.cache
def gazetteer(split: str) -> dict[str, tuple[str, ...]]:
    """slot -> entries of a split: the core entries go to train, the others are partitioned."""
    _check_split(split)
    out = {}
    for slot, (_, parts) in GAZETTEER.items():
        entries = [e for e in parts["more"] if e not in parts["core"]]
        held = [e for e in entries if _split_of(e, f"gaz-{slot}") == split]
        out[slot] = tuple((parts["core"] if split == "train" else []) + held)
    return out


@dataclass(frozen=True)
class NerExample:
    """One generated sentence: its text, tokens x<t>, BIO tags y<t> and where it came from."""

    text: str
    tokens: list[str]
    tags: list[str]
    frame: str
    domain: str  # a FRAMES domain, or "ambiguity"
    ambiguous: tuple[str, str] | None = None  # (word, sense) for ambiguity sentences


Piece = tuple[str, str | None]  # (text, entity type or None for O)


class _Generator:
    """Draws sentences for one split from one random stream."""

    def __init__(self, split: str, rng: random.Random):
        self.split = split
        self.rng = rng
        self.names = name_pool(split)
        self.locales = [loc for loc in NAME_LOCALES if self.names.first[loc] and self.names.last[loc]]
        self.gaz = gazetteer(split)
        self.extra = wordfreq_words()
        self.frames = [(domain, frame) for domain, items in frames(split).items() for frame in items]
        self.ambiguity = ambiguity_frames(split)

    # -- slot fillers ---------------------------------------------------------------------------
    def person(self, form: str) -> list[Piece]:
        rng = self.rng
        locale = rng.choice(self.locales)
        first = rng.choice(self.names.first[locale])
        if form == "PER":
            form = rng.choices(("FIRST", "FULL", "LAST", "TITLED"), weights=(40, 42, 6, 12))[0]
        if form == "FIRST":
            return [(first, "PER")]
        last = self.surname(locale)
        if form == "LAST":
            return [(last, "PER")]
        if form == "TITLED":  # "Dr. Okafor" or "Dr. Ada Okafor": the title stays O
            name = f"{first} {last}" if rng.random() < 0.3 else last
            return [(rng.choice(WORDS["title"]) + " ", None), (name, "PER")]
        return [(f"{first} {last}", "PER")]

    def surname(self, locale: str) -> str:
        rng = self.rng
        last = rng.choice(self.names.last[locale])
        if rng.random() < DOUBLE_SURNAME.get(locale, 0.0):
            other = rng.choice(self.names.last[locale])
            last = f"{last}-{other}" if locale in ("de_DE", "fr_FR") else f"{last} {other}"
        share, particles = PARTICLES.get(locale, (0.0, ()))
        if particles and rng.random() < share:
            last = f"{rng.choice(particles)} {last}"
        return last

    def gazetteer_entry(self, slot: str) -> list[Piece]:
        entry = self.rng.choice(self.gaz[slot])
        entity_type = GAZETTEER[slot][0]
        article, _, name = entry.rpartition("|")
        return ([(article + " ", None)] if article else []) + [(name, entity_type)]

    def word(self, slot: str) -> str:
        rng = self.rng
        if slot in self.extra and rng.random() < WORDFREQ_SHARE:
            return rng.choice(self.extra[slot])
        if slot == "nouns" and rng.random() < WORDFREQ_SHARE:
            return _plural(rng.choice(self.extra["noun"]))
        if slot == "num":
            return str(rng.choice((rng.randint(2, 12), rng.randint(2, 12), rng.randint(13, 99),
                                   rng.randint(100, 900))))
        if slot == "small":  # counts of hours, days and years
            return str(rng.randint(2, 20))
        if slot == "hour":
            return str(rng.randint(1, 12))
        if slot == "year":
            return str(rng.randint(1890, 2025))
        if slot == "score":
            return f"{rng.randint(0, 5)}-{rng.randint(0, 4)}"
        if slot == "house":
            return str(rng.randint(1, 240)) + rng.choice(("", "", "", "A", "B"))
        if slot == "ordinal":
            n = rng.randint(11, 19)
            return f"{n}th"
        return rng.choice(WORDS[slot])

    def fill(self, template: str, word_pieces: list[Piece] | None = None) -> list[Piece]:
        """Turn a frame into pieces; "{W}"/"{W_FULL}" become word_pieces (the ambiguous word)."""
        pieces: list[Piece] = []
        position = 0
        for match in _SLOT.finditer(template):
            if match.start() > position:
                pieces.append((template[position:match.start()], None))
            position = match.end()
            article, slot, literal, literal_type = match.groups()
            if literal is not None:
                pieces.append((literal, literal_type))
            elif slot == "W":
                pieces.extend(word_pieces or [])
            elif slot in ("W_FULL", "W_SURNAMED"):
                word = word_pieces[0][0] if word_pieces else ""
                other = self.person("FIRST" if slot == "W_FULL" else "LAST")[0][0]
                pieces.append((f"{other} {word}" if slot == "W_FULL" else f"{word} {other}", "PER"))
            elif slot in ("PER", "FIRST", "FULL", "LAST", "TITLED"):
                pieces.extend(self.person(slot))
            elif slot in GAZETTEER:
                entity = self.gazetteer_entry(slot)
                if article:  # "an Ecuadorian family": the article goes before, outside the span
                    entity.insert(0, (_indefinite_article(entity[0][0]) + " ", None))
                pieces.extend(entity)
            elif slot in ENTITY_UNIONS:
                pieces.extend(self.gazetteer_entry(self.rng.choice(ENTITY_UNIONS[slot])))
            else:
                word = self.word(slot)
                if article:
                    word = _indefinite_article(word) + " " + word
                pieces.append((word, None))
        if position < len(template):
            pieces.append((template[position:], None))
        return pieces

    # -- sentences ------------------------------------------------------------------------------
    def ordinary(self) -> tuple[list[Piece], str, str, bool]:
        domain, frame = self.rng.choice(self.frames)
        template = frame
        if frame.startswith(_PERSON_STARTS) and self.rng.random() < PRONOUN_SHARE:
            # "He flew to ..." as well as "Ada flew to ...": a capitalised pronoun opens many sentences
            template = self.rng.choice(("He", "She")) + frame[frame.index("}") + 1:]
        pieces = self.fill(template)
        if _takes_opener(frame) and self.rng.random() < OPENER_SHARE:
            opener = self.fill(self.rng.choice(WORDS["opener"]) + " ")
            first_text, first_type = pieces[0]
            if first_type is None:
                pieces[0] = (first_text[:1].lower() + first_text[1:], None)
            pieces = opener + pieces
        return pieces, frame, domain, self.rng.random() < LOWERCASE_SHARE

    def ambiguous_sentence(self) -> tuple[list[Piece], str, tuple[str, str], bool]:
        rng = self.rng
        word = rng.choice(sorted(AMBIGUOUS))
        senses = AMBIGUOUS[word]
        weights = SENSE_WEIGHTS.get(word, {})
        # a sense whose few frames all went to train (May as a modal verb) is absent from dev/test
        present = [s for s in senses if any(self.ambiguity[(word, s)])]
        sense = rng.choices(present, weights=[weights.get(s, 1.0) for s in present])[0]
        entity_type, surface, _, _ = senses[sense]
        right, left = self.ambiguity[(word, sense)]
        tag = None if entity_type == "O" else entity_type
        if right and (not left or rng.random() < RIGHT_DECIDED_SHARE):
            frame = rng.choice(right)
            prefix = rng.choice(NEUTRAL_PREFIXES) if rng.random() < 0.5 else ""
            if sense == "modal":
                prefix = ""  # a question starting "May I ...?" only works sentence-initially
            template = f"{prefix} {frame}" if prefix else frame
        else:
            frame = rng.choice(left)
            template = frame
        pieces = self.fill(template, [(surface, tag)])
        lowercase = rng.random() < AMBIGUOUS_LOWERCASE_SHARE
        return pieces, frame, (word, sense), lowercase

    def example(self) -> NerExample:
        ambiguous = None
        if self.rng.random() < AMBIGUITY_SHARE:
            pieces, frame, ambiguous, lowercase = self.ambiguous_sentence()
            domain = "ambiguity"
        else:
            pieces, frame, domain, lowercase = self.ordinary()
        drop_stop = self.rng.random() < NO_FINAL_STOP_SHARE
        text, spans = _assemble(pieces, lowercase=lowercase, drop_final_stop=drop_stop)
        tokens, tags = align(text, spans)
        return NerExample(text, tokens, tags, frame, domain, ambiguous)


# Frames opening with a bare person slot and a verb, where "He"/"She" can stand instead of the name.
_PERSON_STARTS = tuple(f"{{{slot}}} {word}" for slot in ("PER", "FIRST", "FULL")
                       for word in ("was", "is", "has", "won", "works", "took", "called", "met", "moved",
                                    "booked", "scored", "started", "fixed", "sent", "bought", "said",
                                    "wrote", "lives", "plays", "invested", "sold", "finished", "painted",
                                    "explained", "drew", "grew", "asked", "got", "collected", "studies",
                                    "wants", "cycled", "ran", "broke", "passed", "always", "recommended"))


def _indefinite_article(word: str) -> str:
    """"a"/"an" by the first letter, with the usual exceptions ("a European", "an hour")."""
    lower = word.lower()
    if lower.startswith(("eu", "uni", "use", "usu", "one")):
        return "a"
    return "an" if lower[:1] in "aeiou" or lower.startswith(("hour", "honest")) else "a"


_NO_OPENER_STARTS = ('"', "I ", "I'", "Yesterday", "Last ", "On ", "In ", "Next ", "After ", "Every ",
                     "During ", "Breaking", "Happy", "Welcome", "Thanks", "Tell ", "Write ", "Take ",
                     "Homework", "According", "Speaking", "From ", "Training")


def _takes_opener(frame: str) -> bool:
    """A statement that can follow "Yesterday," without sounding wrong."""
    return frame.endswith(".") and not frame.startswith(_NO_OPENER_STARTS)


def _assemble(pieces: list[Piece], lowercase: bool, drop_final_stop: bool) -> tuple[str, list]:
    """Join pieces into a sentence and record each entity's character span (start, end, type)."""
    pieces = [(text, kind) for text, kind in pieces if text]
    if pieces and pieces[0][0][:1].islower():
        text0, kind0 = pieces[0]
        pieces[0] = (text0[:1].upper() + text0[1:], kind0)
    if drop_final_stop and pieces and pieces[-1][1] is None and pieces[-1][0].endswith("."):
        pieces[-1] = (pieces[-1][0][:-1], None)
    text = ""
    spans = []
    for piece, kind in pieces:
        piece = piece.lower() if lowercase else piece
        if kind is not None:
            spans.append((len(text), len(text) + len(piece), kind))
        text += piece
    return text.rstrip(), spans


def align(text: str, spans: list[tuple[int, int, str]]) -> tuple[list[str], list[str]]:
    """Tokenize text with rnncore.text.tokenize and give each token the BIO tag of the entity span
    (start, end, type) it lies in. A token that crosses a span boundary is a bug in a frame."""
    text = normalize(text)
    tokens = tokenize(text)
    tags = []
    cursor = 0
    open_span = None
    for token in tokens:
        start = text.find(token, cursor)
        if start < 0:
            raise ValueError(f"token {token!r} not found in {text!r}")
        end = cursor = start + len(token)
        span = next((s for s in spans if s[0] < end and start < s[1]), None)
        if span is None:
            tags.append("O")
            open_span = None
            continue
        if start < span[0] or end > span[1]:
            raise ValueError(f"token {token!r} crosses the entity boundary in {text!r}")
        tags.append(("I-" if open_span == span else "B-") + span[2])
        open_span = span
    return tokens, tags


def generate_ner_examples(n: int, seed: int, split: str = "train") -> list[NerExample]:
    """n sentences with their frame and, for ambiguity sentences, the (word, sense) drawn."""
    _check_split(split)
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    generator = _Generator(split, random.Random(f"ner:{split}:{seed}"))
    return [generator.example() for _ in range(n)]


def generate_ner(n: int, seed: int, split: str = "train") -> list[tuple[list[str], list[str]]]:
    """n (tokens, BIO tags) pairs; the same (n, seed, split) always gives the same sentences.

    >>> tokens, tags = generate_ner(1, seed=0)[0]
    >>> len(tokens) == len(tags) and set(tags) <= set(LABELS)
    True
    """
    return [(ex.tokens, ex.tags) for ex in generate_ner_examples(n, seed, split)]


