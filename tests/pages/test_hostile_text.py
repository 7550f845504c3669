"""Hostile text through the components, in AppTest: every Markdown element holds the escaped
form of the data (`envol.text.plain_markdown`) and reads back as the original characters."""

from __future__ import annotations

import pandas as pd
from streamlit.testing.v1 import AppTest

from envol.text import markdown_text, plain_markdown
from tests.hostile import CORPUS


def _components(corpus):
    import pandas as pd
    import streamlit as st

    from components.board import plain_table
    from components.sources import source_list
    from components.upload import same_file_warning

    listed = corpus[:20]  # beyond 20 sources, the list is a table
    n = len(listed)
    source_list(pd.DataFrame({"source_id": [f"S{i}" for i in range(n)], "title": listed,
                              "outlet": listed, "author": listed, "published_on": [None] * n,
                              "date_is_approximate": [False] * n, "note": listed}), "fr")
    same_file_warning(pd.DataFrame({"snapshot_id": [1], "author": [" · ".join(corpus)],
                                    "snapshot_time": [pd.Timestamp("2026-11-24 14:03")]}), "fr")
    st.table(plain_table(pd.DataFrame({corpus[0]: corpus}, index=corpus)), hide_index=True)


def test_components_escape_every_value_and_it_reads_back_verbatim():
    at = AppTest.from_function(_components, args=(CORPUS,))
    at.run()
    assert not at.exception
    items = [m.value for m in at.markdown]
    assert len(items) == 20
    for value, md in zip(CORPUS[:20], items, strict=True):
        assert md.startswith("- ") and plain_markdown(value) in md
        assert f"« {value} », {value}, {value}" in markdown_text(md)
    assert [c.value for c in at.caption] == [plain_markdown(v) for v in CORPUS[:20]]
    (warning,) = [w.value for w in at.warning]
    assert plain_markdown(" · ".join(CORPUS)) in warning
    assert f"par {' · '.join(CORPUS)}" in markdown_text(warning)
    shown = at.table[0].value
    assert list(shown.columns) == [plain_markdown(CORPUS[0])]
    assert list(shown.iloc[:, 0]) == [plain_markdown(v) for v in CORPUS]
    assert [markdown_text(v) for v in shown.iloc[:, 0]] == CORPUS
    assert isinstance(shown, pd.DataFrame)
