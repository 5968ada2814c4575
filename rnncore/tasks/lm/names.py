"""First names from many locales for the character-level language model ("sampling novel sequences").

Names come from Faker's person providers (read as data, no Faker instance, no randomness), in
Latin script: European locales, Turkish, Brazilian Portuguese, Nigerian (English, Yoruba, Igbo,
Hausa), Kenyan, Swahili, Zulu, Indian English, Indonesian and Japanese romaji.

Form: **lowercase**, NFC-normalised, accents kept ("josé", "zoë", "çağla").  Lowercase because
the lesson is about which letters follow which; a capital first letter would only add a
second copy of every initial.  Only names written entirely in ``NAME_ALPHABET`` (letters,
hyphen, apostrophe) are kept, so the model's vocabulary is fixed and known in advance.

Split: each distinct name goes to train, dev or test by a hash of the name (80/10/10), so a
name never appears in two splits and the split does not change when a locale is added.
Faker is needed only here, at training time: the app reads the training names from the
checkpoint JSON.
"""

from __future__ import annotations

import hashlib
import importlib
import unicodedata
from functools import cache

SPLITS = ("train", "dev", "test")

# Locales read for first names (all with Latin-script first names in faker 40.54).
NAME_LOCALES = (
    "en_US", "en_GB", "en_IE", "de_DE", "fr_FR", "es_ES", "es_MX", "it_IT", "pt_BR", "nl_NL", "pl_PL",
    "cs_CZ", "sk_SK", "sv_SE", "da_DK", "no_NO", "fi_FI", "hu_HU", "ro_RO", "hr_HR", "sl_SI", "tr_TR",
    "en_NG", "yo_NG", "ig_NG", "ha_NG", "en_KE", "sw", "zu_ZA", "en_IN", "id_ID", "ja_JP",
)

# Every character the names use (and no other): a-z, the accented letters of the locales above,
# hyphen and apostrophe.  tests/test_data_lm.py checks that each one occurs in some name.
NAME_ALPHABET = "'-abcdefghijklmnopqrstuvwxyzáâãäåæçèéêëíîïñòóôöøúûüýăčđęěğıľłňőřşšťůżžșț"

# Share of names (out of 100 hash buckets) in each split.
_SPLIT_BUCKETS = {"train": range(0, 80), "dev": range(80, 90), "test": range(90, 100)}


def _provider_names(locale: str) -> list[str]:
    """The locale's first names as Faker stores them (tuples, lists or weighted dicts)."""
    provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
    names: list[str] = []
    # Japanese stores kanji in first_names and romaji separately.
    attributes = ("first_romanized_names",) if locale == "ja_JP" else (
        "first_names", "first_names_male", "first_names_female", "first_names_nonbinary", "first_names_unisex")
    for attribute in attributes:
        names.extend(getattr(provider, attribute, ()) or ())
    return names


def clean_name(raw: str) -> str | None:
    """The name in lowercase NFC if every character is in ``NAME_ALPHABET``, else None
    (multi-word names such as "Ana María" and abbreviations such as "H.-Dieter" are left out)."""
    # Turkish dotted capital I lowercases to i + combining dot; a curly apostrophe is typed straight.
    name = unicodedata.normalize("NFC", raw.strip().replace("İ", "I").replace("\u2019", "'")).lower()
    if not name or any(c not in NAME_ALPHABET for c in name):
        return None
    return name


@cache
def names_by_locale() -> dict[str, tuple[str, ...]]:
    """Each locale's distinct cleaned first names, sorted (a name may appear in several locales)."""
    table = {}
    for locale in NAME_LOCALES:
        cleaned = {clean_name(raw) for raw in _provider_names(locale)}
        table[locale] = tuple(sorted(n for n in cleaned if n))
    return table


def split_of(name: str) -> str:
    """train / dev / test for a name, by a stable hash (not Python's salted ``hash``)."""
    bucket = int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:4], "big") % 100
    return next(split for split, buckets in _SPLIT_BUCKETS.items() if bucket in buckets)


@cache
def _split_names(split: str) -> tuple[str, ...]:
    every = sorted({name for names in names_by_locale().values() for name in names})
    return tuple(name for name in every if split_of(name) == split)


def name_lists(split: str = "train") -> list[str]:
    """The distinct names of a split, sorted; deterministic (no seed needed)."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, got {split!r}")
    return list(_split_names(split))
