"""Tables for ``st.dataframe``, built as Arrow tables rather than pandas frames.

Streamlit sends a table to the browser in Arrow's format. A pandas frame is first converted by
pandas' own Arrow bridge, which inspects every column and writes pandas metadata; an Arrow table is
sent as it is. Measured on the entity page's token table: 1.1 ms against 0.09 ms, with several tables
redrawn on every edit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pyarrow as pa


def columns(data: Mapping[str, Sequence]) -> pa.Table:
    """One column per key, in the mapping's order (ranges and other sequences become lists)."""
    return pa.table({name: list(values) for name, values in data.items()})


def rows(records: Sequence[Mapping]) -> pa.Table:
    """One row per mapping; a key a row lacks, or None, is an empty cell."""
    return pa.Table.from_pylist(list(records))
