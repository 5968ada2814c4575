"""The app shell that app.py draws around every page: CPU threads for torch, the heap, and the shared
sidebar."""

from __future__ import annotations

import functools
import gc

import streamlit as st

from rnncore.checkpoint import CheckpointError
from rnncore.threads import available_cpus
from ui import projector, responsive
from ui.course_map import NOTATION_ROWS

WORDS_TO_VECTORS = "lessons/words_to_vectors.py"


@functools.cache
def configure_torch_threads() -> int:
    """Set torch's intra-op threads once per process, before any torch work: one thread.

    Every visitor's script runs in a thread of its own, and the lessons' matrices are tiny
    (n_a <= 128), so the CPUs are better spent on several visitors at once than on splitting one
    small product: measured with AppTest on 2 busy cores, an edit on the entity page took 307 ms
    with 2 threads and 94 ms with 1; sentiment's word-by-word view 2-5 s against 0.15-0.33 s.
    More threads than CPUs would be worse still. Cached, so reruns do not touch it again.
    """
    import torch  # here rather than at module level: the shell itself needs no torch

    threads = min(1, available_cpus())
    torch.set_num_threads(threads)
    return threads


@functools.cache
def freeze_startup_heap() -> int:
    """Move the objects of the libraries every lesson imports out of the cycle collector's reach, once.

    Streamlit runs a full ``gc.collect()`` after every script run (``runner.postScriptGC``, kept on
    so that a visitor's garbage is returned at once). With torch, pandas and Streamlit loaded that
    walks about 220,000 objects that live as long as the process: measured on the entity page, 110 ms
    of the server's 160 ms of CPU per edit, and the reason thirty students queued. Frozen (Python's
    ``gc.freeze``), those module-level objects are skipped; everything created afterwards (models,
    figures, visitors' state) is collected as before, and reference counting frees frozen objects
    as usual. The edit then costs about 40 ms of CPU. Returns how many objects were frozen.
    """
    import pandas  # noqa: F401  the lessons' tables; imported here so that its objects are frozen too
    import torch  # noqa: F401

    gc.collect()  # garbage made by the imports must not be frozen with them
    gc.freeze()
    return gc.get_freeze_count()


def render_sidebar() -> None:
    """The sidebar every page shares: the projector switch, what the app is, and the course notation."""
    responsive.page_styles()
    projector.sidebar_switch()
    with st.sidebar:
        st.markdown(
            "**RNN Lab** teaches recurrent neural networks in the notation of the course notes: "
            "type a sentence and follow it from words to vectors, through RNN, GRU and LSTM cells, "
            "to a prediction. Everything runs on this server, on models trained here."
        )
        with st.expander("Course notation", icon=":material/functions:"):
            st.markdown(
                "\n".join(["| symbol | meaning |", "|---|---|"] + [f"| {sym} | {text} |" for sym, text in NOTATION_ROWS])
            )
        st.page_link(WORDS_TO_VECTORS, label="Where the notation starts", icon=":material/school:")


def run_page(page) -> None:
    """Run the visitor's lesson; a shipped checkpoint that cannot be used ends that lesson with a note.

    A checkpoint missing, truncated or not matching its JSON (:class:`rnncore.checkpoint.CheckpointError`,
    whose message names the file and what is wrong; nothing from the file was executed) is a fault of
    the deployment, not of the visitor: the lesson says which file and what is wrong instead of showing
    an exception type, and every other lesson keeps working (the failed load is not cached, so a fixed
    file is picked up by the next visit).
    """
    try:
        page.run()
    except CheckpointError as error:
        st.error(
            f"**A trained model of this lesson cannot be used**: {error}. Nothing from that file was run; the "
            "other lessons work as usual. Whoever runs this server can rebuild the file with "
            "`python -m rnncore train TASK --arch ARCH` (README: *Rebuilding the shipped models*).",
            icon=":material/broken_image:",
        )
