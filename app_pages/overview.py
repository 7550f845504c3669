"""Overview: key figures per cluster, national programmes, the clusters compared."""

import streamlit as st

from components.charts import show
from components.kpis import kpi_grid
from components.overview import (
    cluster_comparison,
    comparison_table,
    national_figures,
    provenance_table,
)
from envol import data, i18n
from envol.kpis import cluster_kpis, clusters_in_detail, national_kpis
from envol.text import plain_markdown

view = data.view()
T = i18n.translator(view.lang)
st.title(T("overview.title"))
if not view.clusters:
    st.info(T("filters.none"))
    st.stop()

kpis = view.q("kpis_by_cluster")
sources = view.q("sources_by_id")
snapshots = view.q("table_snapshots_by_table")
st.caption(T("overview.caption", snapshot=i18n.snapshot_label(view.version, view.latest,
                                                              view.lang)))
illustrative = int(kpis["illustrative_rows"].sum())
if illustrative:
    st.info(T("overview.illustrative", n=i18n.number(illustrative, view.lang)), icon="ℹ️")

shown = clusters_in_detail(kpis)
if len(shown) < len(kpis):
    st.info(T("overview.detail_capped", n=i18n.number(len(shown), view.lang),
              total=i18n.number(len(kpis), view.lang)))

cards = {}
for _, row in shown.iterrows():
    st.subheader(plain_markdown(f"{row['name']} · {row['region']}"))
    cards[row["cluster_id"]] = cluster_kpis(row, sources, snapshots, view.lang)
    kpi_grid(cards[row["cluster_id"]])

st.subheader(T("overview.national"))
national = national_kpis(view.q("survey_answers_by_question"), view.q("portage_by_year"),
                         view.q("targets_by_programme"), shown, sources, snapshots, view.lang)
national_figures(national)

st.subheader(T("overview.compare"))
left, right = st.columns([3, 2])
with left:
    show(cluster_comparison(shown, view.lang), name="envol-comparaison-poles", lang=view.lang,
         height=120 + 110 * len(shown))
with right:
    comparison_table(cards, shown, view.lang)

with st.expander(T("overview.where_from")):
    provenance_table(cards, national, dict(zip(shown["cluster_id"], shown["name"], strict=True)),
                     view.lang)
