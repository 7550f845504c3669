"""KPI cards: a value, an optional detail line, and the provenance behind a help icon."""

from __future__ import annotations

import streamlit as st

from envol.kpis import KpiValue

CARD_HEIGHT = 128  # px: cards of one row line up whether or not they carry a detail line


def kpi_grid(values: list[KpiValue], *, per_row: int = 4) -> None:
    for start in range(0, len(values), per_row):
        cols = st.columns(per_row)
        for col, kpi in zip(cols, values[start:start + per_row], strict=False):
            with col:
                st.metric(kpi.label, kpi.value, delta=kpi.detail or None, delta_color="off",
                          delta_arrow="off", help=kpi.provenance or None, border=True,
                          height=CARD_HEIGHT)
