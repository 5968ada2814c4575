"""Shared pieces of the model lessons: cached loaders, the architecture picker and the sentence box.

Models are loaded once per server process by :mod:`rnncore.shipped` and shared by every visitor, so
they are only ever read: :func:`rnncore.checkpoint.load` returns them in eval mode with gradients
off, and every rnncore.tasks.*.inference / rnncore.explain call runs under ``torch.no_grad``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import streamlit as st

from rnncore import checkpoint
from rnncore import shipped as shipped_models
from rnncore.explain import sampling
from rnncore.models import ARCH_NAMES
from rnncore.tasks.lm import inference as lm_inference
from ui import tables, text_ui
from ui.text_ui import Sentence


def stem_of(task: str, arch: str) -> str:
    """The shipped checkpoint's name: "ner-birnn", "lm-word-lstm"."""
    return f"{task}-{arch}"


def is_shipped(stem: str) -> bool:
    path = checkpoint.stem_path(stem)
    return path.with_suffix(".json").is_file() and path.with_suffix(".safetensors").is_file()


def shipped_model(stem: str):
    """(model, meta) of a shipped checkpoint from rnncore's one cache (:mod:`rnncore.shipped`), shared
    read-only by every visitor; the first visitor to need it sees a spinner while it loads."""
    if shipped_models.is_loaded(stem):
        return shipped_models.load_shipped(stem)
    with st.spinner("Loading the trained model (once per server)…"):
        return shipped_models.load_shipped(stem)


def bag_of_words():
    """The sentiment lesson's order-blind baseline as shipped (assets/models/bow-sentiment, built by
    ``python -m rnncore train bow`` from the same examples as the RNNs), loaded once per server and shared
    read-only; None when it is not shipped (fitting it needs the training corpora, which servers lack)."""
    from rnncore.tasks.sentiment.bow import BOW_STEM

    return shipped_bag_of_words(BOW_STEM) if is_shipped(BOW_STEM) else None


@st.cache_resource(show_spinner="Loading the bag-of-words baseline (once per server)…")
def shipped_bag_of_words(stem: str):
    from rnncore.tasks.sentiment.bow import BagOfWords

    return BagOfWords.load(stem)[0]


@st.cache_data(max_entries=1024, show_spinner=False)
def sample_view(stem: str, max_units: int, temperature: float, top_k: int, seed: int, prefix: str,
                top: int) -> sampling.SampleView:
    """One seeded sample of a shipped language model, kept as plain numbers, so that an edit elsewhere
    on the page (or a visitor asking for the same seed) does not sample again."""
    model, meta = shipped_model(stem)
    drawn = lm_inference.sample(model, meta, max_units, temperature, top_k, seed, prefix)
    return sampling.describe_sample(meta, drawn, top=top)


def available_archs(task: str, archs: Sequence[str]) -> list[str]:
    return [arch for arch in archs if is_shipped(stem_of(task, arch))]


def missing_models_note(task: str, archs: Sequence[str], available: Sequence[str]) -> None:
    """Say which checkpoints are missing and how to build them, instead of failing."""
    missing = [arch for arch in archs if arch not in available]
    if not missing:
        return
    names = ", ".join(f"`{stem_of(task, arch)}`" for arch in missing)
    train_task = "lm-" + task.split("-")[1] if task.startswith("lm-") else task
    st.warning(
        f"Not shipped yet: {names}. Build with `python -m rnncore train {train_task} --arch ARCH`; "
        "the page uses the models that exist.",
        icon=":material/hourglass_empty:",
    )


def shipped_arch_picker(task: str, archs: Sequence[str], preferred: str, key: str) -> tuple[list[str], str | None]:
    """The shipped architectures of ``task`` and the one chosen (``preferred`` first, if shipped);
    says which checkpoints are missing. ``(available, None)`` when none is shipped."""
    available = available_archs(task, archs)
    missing_models_note(task, archs, available)
    if not available:
        return available, None
    default = preferred if preferred in available else available[0]
    return available, arch_picker("Architecture", key, available, default)


def arch_picker(label: str, key: str, archs: Sequence[str], default: str, help: str | None = None) -> str:
    """One architecture, kept in the URL under ``key``; anything else in the URL falls back to ``default``."""
    choice = st.segmented_control(
        label,
        options=list(archs),
        default=default,
        format_func=lambda arch: ARCH_NAMES.get(arch, arch),
        required=True,
        key=key,
        bind="query-params",
        help=help,
    )
    return choice if choice in archs else default


@dataclass(frozen=True)
class Column:
    """One figure of the held-out table: its heading, the metrics key ("news/test", "classroom") and score."""

    label: str
    key: str
    score: str


def held_out_rows(metas: dict[str, dict], columns: Sequence[Column], baseline: str | None = None) -> list[dict]:
    """One row per shipped architecture (and one for the baseline its training command computed), each
    figure read from the checkpoint's JSON; a figure a checkpoint lacks is left empty."""
    rows = []
    for arch, meta in metas.items():
        facts = checkpoint.checkpoint_facts(meta)
        rows.append({"model": ARCH_NAMES.get(arch, arch), "parameters": facts.params,
                     **{c.label: facts.score(c.key, c.score) for c in columns}, "epochs": facts.epochs,
                     "minutes": facts.minutes})
    if baseline and metas:
        facts = checkpoint.checkpoint_facts(next(iter(metas.values())))
        rows.append({"model": baseline, "parameters": None,
                     **{c.label: facts.score(c.key, c.score, baseline=True) for c in columns}, "epochs": None,
                     "minutes": None})
    return rows


def held_out_table(metas: dict[str, dict], columns: Sequence[tuple[str, str, str]], baseline: str) -> None:
    """The model lessons' held-out table: one row per checkpoint and one for its baseline, each
    (heading, metrics key, score) in ``columns`` read from the JSON."""
    figures = [Column(*column) for column in columns]
    checkpoint_metrics_table(held_out_rows(metas, figures, baseline=baseline), scores=[c.label for c in figures])


def sources_caption(meta: dict, unit: str) -> str:
    """Where the held-out figures come from, per source, from the checkpoint's JSON."""
    parts = [f"{s['name']}: {s.get('what', '')}, {s.get('test', 0):,} test and {s.get('dev', 0):,} dev {unit} held "
             f"out, {s.get('train', 0):,} trained on ({s.get('share', 0):.0%} of the training mix)"
             for s in meta.get("sources", [])]
    return "; ".join(parts)


def checkpoint_metrics_table(rows: Sequence[dict], scores: Sequence[str]) -> None:
    """The model lessons' comparison table, one row a model: "parameters" with thousands separators,
    every column named in ``scores`` to three decimals, the other columns as they come."""
    score = st.column_config.NumberColumn(format="%.3f")
    st.dataframe(
        tables.rows(rows),
        hide_index=True,
        width="stretch",
        column_config={
            "parameters": st.column_config.NumberColumn(format="localized"),
            "minutes": st.column_config.NumberColumn("training minutes", format="%.1f"),
            **{column: score for column in scores},
        },
    )


@dataclass(frozen=True)
class Preset:
    text: str
    note: str = ""  # why it is here, shown as the button's tooltip


def sentence_box(key: str, presets: Sequence[Preset], limit: int, label: str = "Your sentence",
                 caption: str = "Examples") -> Sentence:
    """A text box preset to ``presets[0]``, every preset one click away, the text kept in the URL and
    cut to ``limit`` characters with a note (:func:`ui.text_ui.sentence_input`)."""
    return text_ui.sentence_input(key, [p.text for p in presets], limit, label, caption,
                                  [p.note for p in presets], button_key="preset")


def empty_hint() -> None:
    st.info("Type a sentence above, or click one of the examples.", icon=":material/edit:")


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:&=])")


def md_escape(text: str) -> str:
    """User text for st.markdown: every character markdown (or Streamlit's $math$) could read is
    backslash-escaped, so a token shows as itself and can never become a link, emphasis or formula."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def clamp_number(value, low, high, default):
    """A number from a widget (or a URL), forced into [low, high]; None or garbage gives ``default``."""
    try:
        number = type(default)(value)
    except (TypeError, ValueError, OverflowError):
        return default
    if number != number:  # NaN
        return default
    return min(max(number, low), high)
