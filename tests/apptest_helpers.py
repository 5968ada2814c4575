"""Reading a page's result back from Streamlit's AppTest, shared by the page tests."""

from __future__ import annotations

import pandas as pd


def assert_clean(at) -> None:
    """The run raised nothing and showed no error box."""
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def table(at, column: str) -> pd.DataFrame:
    """The one table on the page with this column."""
    found = [df.value for df in at.dataframe if column in df.value.columns]
    assert len(found) == 1, f"{len(found)} tables with column {column!r}"
    return found[0]
