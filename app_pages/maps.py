"""Maps: Pégase's comptoirs abroad (status, firms hosted, home base; one marker per place when
they are thousands), one comptoir in detail, and the VIE postings by country (map, status split,
timeline, table a page at a time)."""

import streamlit as st

from components.charts import show
from components.maps import (
    MAP_HEIGHT,
    comptoir_detail,
    comptoir_map,
    comptoir_picker,
    comptoir_sources,
    firms_table,
    grouped,
    grouped_note,
    illustrative_note,
    places_map,
    timeline_note,
    timeline_window,
    two_panes,
    undated_note,
    vie_counts,
    vie_map,
    vie_status_bars,
    vie_table,
    vie_table_page,
    vie_timeline,
)
from components.sources import where_from
from envol import data, geo, i18n

view = data.view()
T = i18n.translator(view.lang)
st.title(T("maps.title"))
if not view.clusters:
    st.info(T("filters.none"))
    st.stop()
st.caption(T("maps.caption", snapshot=i18n.snapshot_label(view.version, view.latest, view.lang)))
sources = view.q("sources_by_id")
snapshots = view.q("table_snapshots_by_table")

st.header(T("maps.comptoirs"))
comptoirs = view.q("comptoirs_by_country")
if comptoirs.empty:
    st.info(T("maps.no_comptoirs"))
else:
    # Past geo.MARKERS_MAX comptoirs, one marker per place, with a note saying so.
    places = geo.comptoir_places(comptoirs) if grouped(comptoirs) else None
    st.caption(T("maps.comptoirs_caption" if places is None else "maps.comptoirs_caption_grouped"))
    on_map, in_detail = two_panes()
    with on_map:
        fig = (comptoir_map(comptoirs, view.lang) if places is None else
               places_map(places, geo.head_offices(comptoirs), view.lang))
        clicked = show(fig, name="envol-carte-comptoirs", lang=view.lang, height=MAP_HEIGHT,
                       key="maps_comptoir_map", on_select="rerun", selection_mode="points")
        if places is not None:
            grouped_note(comptoirs, places, view.lang)
        illustrative_note(comptoirs, view.lang)
        where_from(comptoirs["sources"], ("comptoirs", "members", "clusters"), sources,
                   snapshots, view.lang)
    with in_detail:
        st.subheader(T("maps.detail"))
        picked = comptoir_picker(comptoirs, view.lang, clicked)
        comptoir = comptoirs.set_index("comptoir_id").loc[picked]
        comptoir_detail(comptoir, view.lang)
    members = view.q("comptoir_members_by_stage", comptoir_id=picked)
    firms, their_sources = two_panes()
    with firms:
        if data.scope().member_rows:
            firms_table(members, comptoir, view.lang)
        else:  # a viewer: the query layer returns no member row anyway
            st.info(T("access.member_rows_hidden"), icon=":material/lock:")
    with their_sources:
        comptoir_sources(comptoir, members, sources, snapshots, view.lang)

st.header(T("maps.vie"))
by_country = view.q("vie_postings_by_country")
if by_country.empty:
    st.info(T("maps.vie_none"))
    st.stop()
st.caption(T("maps.vie_caption"))
on_map, by_status = two_panes()
with on_map:
    show(vie_map(by_country, view.lang), name="envol-carte-vie", lang=view.lang, height=440)
with by_status:
    show(vie_status_bars(by_country, view.lang), name="envol-vie-statuts", lang=view.lang)
where_from(by_country["sources"], ("vie_postings",), sources, snapshots, view.lang)

st.subheader(T("maps.vie_timeline"))
total, dated = vie_counts(by_country)
if dated:
    drawn = view.q("vie_postings_by_start", **timeline_window(dated))
    show(vie_timeline(drawn, view.lang), name="envol-vie-calendrier", lang=view.lang)
    timeline_note(dated, len(drawn), view.lang)
    undated_note(total - dated, view.lang)
else:
    st.info(T("maps.vie_no_dates"))

st.subheader(T("maps.vie_table"))
vie_table(view.q("vie_postings_by_start", **vie_table_page(total, view.lang)), view.lang)
