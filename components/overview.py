"""Overview pieces: national figures, the clusters compared, the provenance table."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from components.kpis import kpi_grid
from envol import i18n
from envol.kpis import KpiValue
from envol.text import plain_html

COMPARED = ("members", "smes", "firms_hosted")


def national_figures(values: list[KpiValue]) -> None:
    kpi_grid(values, per_row=3)


def cluster_comparison(kpis: pd.DataFrame, lang: str) -> go.Figure:
    """Grouped horizontal bars: one group per cluster, one bar per counted figure."""
    fig = go.Figure()
    for key in COMPARED:
        label = i18n.t(f"kpi.{key}", lang)
        fig.add_bar(y=[plain_html(n) for n in kpis["name"]], x=kpis[key], name=label,
                    orientation="h",
                    text=[i18n.number(v, lang) for v in kpis[key]], textposition="outside",
                    cliponaxis=False, hovertemplate=f"%{{y}} · {label} : %{{x:,}}<extra></extra>")
    fig.update_layout(barmode="group", bargap=0.2, yaxis={"autorange": "reversed"})
    return fig


def comparison_frame(cards: dict[str, list[KpiValue]], kpis: pd.DataFrame,
                     lang: str) -> pd.DataFrame:
    """Clusters side by side (one column each): the overview cards' values, then the R&D
    projects figures, formatted exactly as on the cards (also the board pack's table)."""
    names = dict(zip(kpis["cluster_id"], kpis["name"], strict=True))
    rows: dict[str, list[str]] = {}
    for values in cards.values():
        for k in values:
            rows.setdefault(k.label, []).append(k.value)
    for key in ("labelled_projects", "funded_projects", "public_funding_eur"):
        fmt = (lambda v: i18n.money(v, lang, short=True)) if key.endswith("_eur") else (
            lambda v: i18n.number(v, lang))
        rows[i18n.t(f"kpi.{key}", lang)] = [fmt(v) for v in kpis[key]]
    return pd.DataFrame(rows, index=[names[c] for c in cards]).T


def comparison_table(cards: dict[str, list[KpiValue]], kpis: pd.DataFrame, lang: str) -> None:
    table = comparison_frame(cards, kpis, lang)
    st.dataframe(table, height=36 * (len(table) + 1) + 4)


def provenance_table(cards: dict[str, list[KpiValue]], national: list[KpiValue],
                     names: dict[str, str], lang: str) -> None:
    T = i18n.translator(lang)
    rows = [{T("col.cluster"): names[cid], T("col.kpi"): k.label, T("col.value"): k.value,
             T("col.source_id"): ", ".join(k.source_ids)}
            for cid, values in cards.items() for k in values]
    rows += [{T("col.cluster"): "—", T("col.kpi"): k.label, T("col.value"): k.value,
              T("col.source_id"): ", ".join(k.source_ids)} for k in national]
    st.dataframe(pd.DataFrame(rows), hide_index=True)
