"""Sources page pieces: the source list, snapshots per table, the dictionary, CSV templates."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import streamlit as st

from envol import i18n
from envol.kpis import describe_source, provenance, source_rows
from envol.schema import Table
from envol.text import plain_markdown

LIST_MAX = 20  # beyond this many sources, one table rather than a sentence per source
SOURCES_MAX = 20  # sources listed under a chart at most (a chart at EU scale has 3,000)


def where_from(source_lists: Iterable[Iterable[str]], tables: tuple[str, ...],
               sources: pd.DataFrame, snapshots: pd.DataFrame, lang: str) -> None:
    """The sources (one list per row of a query) and snapshots behind a chart, folded away:
    the first `SOURCES_MAX` sources by id, then how many more (the sources page lists all).
    Used under the maps' and the funnels' figures."""
    ids = sorted({s for row in source_lists for s in row})
    with st.expander(i18n.t("overview.where_from", lang)):
        st.markdown(provenance(ids[:SOURCES_MAX], tables, sources, snapshots, lang))
        if len(ids) > SOURCES_MAX:
            st.caption(i18n.t("maps.more_sources", lang,
                              n=i18n.number(len(ids) - SOURCES_MAX, lang),
                              total=i18n.number(len(ids), lang)))


def source_list(sources: pd.DataFrame, lang: str) -> None:
    if len(sources) > LIST_MAX:  # a lake of thousands of clusters cites thousands of reports
        st.caption(i18n.t("sources.count", lang, n=i18n.number(len(sources), lang)))
        st.dataframe(source_rows(sources, lang), hide_index=True)
        return
    for _, s in sources.iterrows():
        st.markdown("- " + describe_source(s, lang))
        if isinstance(s.get("note"), str) and s["note"]:
            st.caption(plain_markdown(s["note"]))


def snapshot_table(snapshots: pd.DataFrame, lang: str) -> None:
    T = i18n.translator(lang)
    shown = pd.DataFrame({
        T("col.table"): snapshots["table_name"],
        T("col.snapshot"): snapshots["snapshot_id"],
        T("col.committed_at"): [i18n.timestamp(x, lang) for x in snapshots["snapshot_time"]],
        T("col.author"): snapshots["author"],
        T("col.file"): snapshots["file_name"],
        T("col.rows"): [i18n.number(x, lang) for x in snapshots["row_count"]],
    })
    st.dataframe(shown, hide_index=True)


def dictionary_tabs(rows: list[dict], tables: dict[str, Table], lang: str) -> None:
    """One tab per table: its columns (type, required, accepted values, aliases) and template."""
    T = i18n.translator(lang)
    # One pass over the dictionary for all the tabs (this page reruns at every click).
    by_table = {r["table"]: [] for r in rows}
    for r in rows:
        by_table[r["table"]].append({T(f"col.{k}"): ("✓" if v else "") if k == "required" else v
                                     for k, v in r.items() if k != "table"})
    for tab, (name, table) in zip(st.tabs([t.label(lang) for t in tables.values()]),
                                  tables.items(), strict=True):
        with tab:
            st.caption(f"`{name}` · " + (table.doc_fr if lang == "fr" else table.doc_en))
            part = pd.DataFrame(by_table.get(name, []))
            st.dataframe(part, hide_index=True, height=36 * (len(part) + 1) + 4)
            st.download_button(
                T("sources.template", table=name), data=table.template_csv().encode("utf-8"),
                file_name=f"envol_modele_{name}.csv", mime="text/csv",
                key=f"sources_template_{name}", icon=":material/download:")
