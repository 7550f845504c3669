"""Maps page pieces: the comptoirs map and its detail panel, the VIE postings map, bars, timeline
and table. Figures are drawn through `components.charts.show` by the page (offline outlines)."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from envol import i18n
from envol.geo import MARKERS_MAX, STATUSES, bounds, country_name, label_sides
from envol.kpis import provenance
from envol.schema import COMPTOIRS, MEMBERS, VIE_POSTINGS
from envol.text import plain_html, plain_markdown

# Okabe-Ito colours, as in the rest of the app: green = working, orange = on its way.
STATUS_COLOURS = {"operational": "#009E73", "opening": "#E69F00", "planned": "#56B4E9",
                  "closed": "#7F7F7F"}
VIE_COLOURS = {"in_post": "#009E73", "to_recruit": "#E69F00", "completed": "#7F7F7F"}
BADGE_COLOURS = {"operational": "green", "opening": "orange", "planned": "blue",
                 "closed": "gray"}
HOME_COLOUR = "#0072B2"
PLACE_COLOUR = "#CC79A7"  # a place holds comptoirs of every status: not a status colour
PICK_KEY, CLICKED_KEY = "maps_comptoir", "maps_comptoir_clicked"
CARD_HEIGHT = 128  # px, as the overview's cards
# A map pane and a side pane side by side on a 1920 px screen; on a laptop (1366 px) the side
# pane wraps under the map, so the map keeps its size.
MAP_WIDTH, SIDE_WIDTH, MAP_HEIGHT = 900, 440, 600
# Degrees of longitude per degree of latitude framed by the comptoirs map, so that the natural
# earth projection fills the MAP_WIDTH × MAP_HEIGHT pane (below its legend).
MAP_ASPECT = 1.9
LABEL_SIZE = 15  # px, the places map's labels


def two_panes():
    """A wide pane for a map or chart and a narrow side pane, side by side when the screen is
    wide enough, the side pane wrapping under the first otherwise."""
    with st.container(horizontal=True, gap="large"):
        return st.container(width=MAP_WIDTH), st.container(width=SIDE_WIDTH)


def _missing(x: object) -> bool:
    return x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x))


def _status(value: str, lang: str) -> str:
    return COMPTOIRS.column("status").enum_label(value, lang)


def _principals(value: object) -> str:
    return "" if _missing(value) else ", ".join(p.strip() for p in str(value).split(";")
                                                if p.strip())


def _opening(row: pd.Series, lang: str) -> str:
    """"Opened on 15/12/2010", or "Opening planned for 30/06/2011" while not operational."""
    T = i18n.translator(lang)
    if _missing(row["opened_on"]) or pd.isna(row["opened_on"]):
        return T("maps.h_no_date")
    key = "maps.h_opened" if row["status"] in ("operational", "closed") else "maps.h_planned"
    return T(key, date=i18n.date(row["opened_on"], lang))


def _fmt(value: object, fmt, missing: str = "–") -> str:
    """`fmt(value)`, or `missing` when the value is empty."""
    return missing if _missing(value) or pd.isna(value) else fmt(value)


def comptoir_hover(row: pd.Series, lang: str) -> str:
    """The hover label of one comptoir: every figure the issue lists, one per line."""
    T = i18n.translator(lang)
    nr = T("overview.not_reported")
    country = country_name(row["country_iso3"], lang)
    city = f"<b>{plain_html(row['city'])}</b> · {plain_html(country)}"
    if row["illustrative"]:
        city += f" <i>({T('maps.h_illustrative')})</i>"
    num = lambda v, missing="–": _fmt(v, lambda x: i18n.number(x, lang), missing)  # noqa: E731
    lines = [
        city,
        T("maps.h_status", v=_status(row["status"], lang)),
        _opening(row, lang),
        T("maps.h_hosted", n=num(row["firms_hosted"]), cap=num(row["capacity_firms"]),
          min=num(row["min_members"])),
        T("maps.h_budget", v=_fmt(row["budget_eur"], lambda v: i18n.money(v, lang), nr)),
        T("maps.h_principals", v=plain_html(_principals(row["local_principals"])) or nr),
        T("maps.h_jobs", v=num(row["local_sector_jobs"], nr)),
        T("maps.h_cluster", cluster=plain_html(row["cluster_name"]),
          ids=plain_html(", ".join(row["sources"]))),
    ]
    return "<br>".join(lines)


def _size(hosted: float) -> float:
    """Marker diameter (px): the area grows with the number of firms hosted."""
    return 14 + 7 * math.sqrt(max(float(hosted), 0.0))


def comptoir_map(comptoirs: pd.DataFrame, lang: str) -> go.Figure:
    """A marker per comptoir at its city (at its country's centre when it has no coordinates),
    coloured by status, sized by firms hosted, labelled with city and count; each cluster's
    head office in France as a star, linked to its comptoirs.
    customdata = [comptoir_id, country_iso3, hover]."""
    T = i18n.translator(lang)
    fig = go.Figure()
    placed = comptoirs.dropna(subset=["lat", "lon"])
    homes = placed.dropna(subset=["hq_lat", "hq_lon"])
    if not homes.empty:
        lat, lon = [], []
        for hq_lat, hq_lon, c_lat, c_lon in zip(homes["hq_lat"], homes["hq_lon"], homes["lat"],
                                                homes["lon"], strict=True):
            lat += [hq_lat, c_lat, None]
            lon += [hq_lon, c_lon, None]
        fig.add_scattergeo(lat=lat, lon=lon, mode="lines", hoverinfo="skip", showlegend=False,
                           line={"width": 1.4, "color": "rgba(0,114,178,0.45)", "dash": "dot"})
    for status in STATUS_COLOURS:
        # A comptoir without coordinates is drawn at its country's centre (from the outlines).
        part = comptoirs[comptoirs["status"] == status]
        with_coords = part["lat"].notna() & part["lon"].notna()
        for rows, at_centre in ((part[with_coords], False), (part[~with_coords], True)):
            if rows.empty:
                continue
            where = ({"locations": rows["country_iso3"], "locationmode": "ISO-3"} if at_centre
                     else {"lat": rows["lat"], "lon": rows["lon"]})
            records = rows.to_dict("records")  # dicts: iterrows builds a Series per row
            fig.add_scattergeo(
                **where, mode="markers+text", name=_status(status, lang), legendgroup=status,
                showlegend=not at_centre or not with_coords.any(),
                text=[T("maps.marker_label", city=plain_html(r["city"]),
                        n=i18n.number(r["firms_hosted"], lang)) for r in records],
                textposition=["middle left" if not at_centre and r["lon"] > -30
                              else "middle right" for r in records],
                textfont={"size": 15, "color": "#1b1f24"},
                marker={"size": [_size(n) for n in rows["firms_hosted"]], "opacity": 0.95,
                        "color": STATUS_COLOURS[status],
                        "line": {"width": 2, "color": "white"}},
                customdata=[[r["comptoir_id"], r["country_iso3"], comptoir_hover(r, lang)]
                            for r in records],
                hovertemplate="%{customdata[2]}<extra></extra>",
            )
    hq = homes.drop_duplicates("cluster_id")
    if not hq.empty:
        fig.add_scattergeo(
            lat=hq["hq_lat"], lon=hq["hq_lon"], mode="markers+text", name=T("maps.home"),
            text=[T("maps.home_label", cluster=plain_html(r["cluster_name"]),
                    city=plain_html(r["hq_city"]))
                  for _, r in hq.iterrows()],
            textposition="middle right", textfont={"size": 15, "color": HOME_COLOUR},
            marker={"symbol": "star", "size": 20, "color": HOME_COLOUR,
                    "line": {"width": 1, "color": "white"}},
            customdata=[[None, "FRA", f"<b>{plain_html(r['cluster_name'])}</b> · "
                         f"{plain_html(r['hq_city'])}<br>{T('maps.home')}"]
                        for _, r in hq.iterrows()],
            hovertemplate="%{customdata[2]}<extra></extra>",
        )
    return _framed(fig, _box(placed if len(placed) == len(comptoirs) else None, hq))


def grouped(comptoirs: pd.DataFrame) -> bool:
    """Whether the comptoirs map draws one marker per place rather than per comptoir."""
    return len(comptoirs) > MARKERS_MAX


def _place_name(row: dict, lang: str) -> str:
    country = country_name(row["country_iso3"], lang)
    return country if _missing(row["city"]) else f"{row['city']}, {country}"


def place_hover(row: dict, lang: str) -> str:
    """The hover label of one place (a row of `comptoir_places`): its comptoirs by status,
    the firms they host, what a click does."""
    T = i18n.translator(lang)
    head = f"<b>{plain_html(_place_name(row, lang))}</b>"
    if row["illustrative"]:
        head += f" <i>({T('maps.h_illustrative')})</i>"
    lines = [head, T("maps.hp_comptoirs", n=i18n.number(row["comptoirs"], lang),
                     clusters=i18n.number(row["clusters"], lang))]
    lines += [T("maps.h_count", label=_status(s, lang), n=i18n.number(row[s], lang))
              for s in STATUSES if row[s]]
    lines += [T("maps.hp_hosted", n=i18n.number(row["firms_hosted"], lang)), T("maps.hp_click")]
    return "<br>".join(lines)


def places_map(places: pd.DataFrame, hq: pd.DataFrame, lang: str) -> go.Figure:
    """Many comptoirs: a marker per place (`envol.geo.comptoir_places`: per city, or per
    country when the cities are too many), sized by the firms its comptoirs host, labelled
    with its number of comptoirs; the head offices as stars, one per city
    (`envol.geo.head_offices`), without the links.
    customdata = [the place's comptoir hosting the most firms, country_iso3, hover]."""
    T = i18n.translator(lang)
    most = max(int(places["firms_hosted"].max()), 1)
    fig = go.Figure()
    with_coords = places["lat"].notna() & places["lon"].notna()
    box = _box(places if with_coords.all() else None, hq)
    for rows, at_centre in ((places[with_coords], False), (places[~with_coords], True)):
        if rows.empty:
            continue
        where = ({"locations": rows["country_iso3"], "locationmode": "ISO-3"} if at_centre
                 else {"lat": rows["lat"], "lon": rows["lon"]})
        records = rows.to_dict("records")
        sizes = (14 + 40 * (rows["firms_hosted"] / most) ** 0.5).round(1).tolist()
        text = [T("maps.place_label", n=i18n.number(r["comptoirs"], lang),
                  place=plain_html(country_name(r["country_iso3"], lang)
                                   if _missing(r["city"]) else r["city"]))
                for r in records]
        if at_centre:
            sides = ["right"] * len(records)
        else:
            sides = _label_sides(records, sizes, text, box)
            text = [t if side else "" for t, side in zip(text, sides, strict=True)]
        fig.add_scattergeo(
            **where, mode="markers+text", legendgroup="places",
            name=T("maps.places_city" if places["city"].notna().any() else "maps.places_country"),
            showlegend=not at_centre or not with_coords.any(),
            text=text, textposition=[f"middle {side or 'right'}" for side in sides],
            textfont={"size": LABEL_SIZE, "color": "#1b1f24"},
            marker={"size": sizes,
                    "opacity": 0.9, "color": PLACE_COLOUR, "line": {"width": 2, "color": "white"}},
            customdata=[[r["largest"], r["country_iso3"], place_hover(r, lang)] for r in records],
            hovertemplate="%{customdata[2]}<extra></extra>",
        )
    if not hq.empty:
        fig.add_scattergeo(
            lat=hq["hq_lat"], lon=hq["hq_lon"], mode="markers", name=T("maps.homes"),
            marker={"symbol": "star", "size": 14, "color": HOME_COLOUR,
                    "line": {"width": 1, "color": "white"}},
            customdata=[[None, None, T("maps.h_homes", city=f"<b>{plain_html(c)}</b>",
                                       n=i18n.number(n, lang))]
                        for c, n in zip(hq["hq_city"], hq["clusters"], strict=True)],
            hovertemplate="%{customdata[2]}<extra></extra>",
        )
    return _framed(fig, box)


def _label_sides(records: list[dict], sizes: list[float], text: list[str],
                 box: dict[str, list[float]]) -> list[str | None]:
    """`envol.geo.label_sides` for places drawn at their coordinates, on the MAP_WIDTH ×
    MAP_HEIGHT pane that `box` frames, the places hosting the most firms first (a flat
    approximation of the projection, which is enough to keep labels apart)."""
    (lat0, lat1), (lon0, lon1) = box["lat"], box["lon"]
    x = [(r["lon"] - lon0) / (lon1 - lon0) * MAP_WIDTH for r in records]
    y = [(r["lat"] - lat0) / (lat1 - lat0) * MAP_HEIGHT for r in records]
    order = sorted(range(len(records)), key=lambda i: (-sizes[i], i))
    picked = label_sides([x[i] for i in order], [y[i] for i in order],
                         [sizes[i] / 2 for i in order],
                         [LABEL_SIZE * 0.55 * len(text[i]) for i in order],
                         ["left" if records[i]["lon"] > -30 else "right" for i in order],
                         frame=MAP_WIDTH, height=LABEL_SIZE * 1.2)
    sides: list[str | None] = [None] * len(records)
    for i, side in zip(order, picked, strict=True):
        sides[i] = side
    return sides


def _box(points: pd.DataFrame | None, hq: pd.DataFrame) -> dict[str, list[float]]:
    """The ranges that frame a comptoirs map's `points` (lat, lon) and head offices (hq_lat,
    hq_lon), or the world when `points` is None (some are drawn at their country's centre)."""
    if points is None:
        return bounds([], [])
    return bounds(list(points["lat"]) + list(hq["hq_lat"]),
                  list(points["lon"]) + list(hq["hq_lon"]), aspect=MAP_ASPECT)


def _framed(fig: go.Figure, box: dict[str, list[float]]) -> go.Figure:
    """Frame a comptoirs map on `box` (`_box`), the legend on top."""
    fig.update_geos(lataxis_range=box["lat"], lonaxis_range=box["lon"])
    fig.update_layout(legend={"itemsizing": "constant", "orientation": "h", "y": 1.0,
                              "yanchor": "bottom", "x": 0},
                      margin={"l": 0, "r": 0, "t": 30, "b": 0})
    return fig


def grouped_note(comptoirs: pd.DataFrame, places: pd.DataFrame, lang: str) -> None:
    """What the grouped map draws and leaves out."""
    T = i18n.translator(lang)
    per_city = places["city"].notna().any()
    st.caption(T("maps.grouped_note", n=i18n.number(len(comptoirs), lang),
                 clusters=i18n.number(comptoirs["cluster_id"].nunique(), lang),
                 limit=i18n.number(MARKERS_MAX, lang),
                 places=T("maps.n_cities" if per_city else "maps.n_countries",
                          n=i18n.number(len(places), lang))))


def _clicked(event: object, ids: list[str]) -> str | None:
    """The comptoir of the first point selected on the map, if any."""
    try:
        points = event["selection"]["points"]  # type: ignore[index]
    except (KeyError, TypeError):
        return None
    for p in points or []:
        data = p.get("customdata") or []
        if data and data[0] in ids:
            return data[0]
    return None


def comptoir_picker(comptoirs: pd.DataFrame, lang: str, event: object = None) -> str:
    """The comptoir shown in detail: a select box, also set by clicking a marker on the map.
    A click counts once (the map keeps its selection across reruns; the select box may have
    been changed since). Defaults to the first operational comptoir."""
    T = i18n.translator(lang)
    ids = list(comptoirs["comptoir_id"])
    clicked = _clicked(event, ids)
    if clicked and clicked != st.session_state.get(CLICKED_KEY):
        st.session_state[PICK_KEY] = clicked
    st.session_state[CLICKED_KEY] = clicked
    if st.session_state.get(PICK_KEY) not in ids:
        working = comptoirs.loc[comptoirs["status"] == "operational", "comptoir_id"]
        st.session_state[PICK_KEY] = working.iloc[0] if not working.empty else ids[0]
    # Comptoirs of several clusters share cities: the label then names the cluster too.
    key = "maps.pick_label_cluster" if comptoirs["cluster_id"].nunique() > 1 else "maps.pick_label"
    countries = {iso: country_name(iso, lang) for iso in comptoirs["country_iso3"].unique()}
    statuses = {s: _status(s, lang) for s in comptoirs["status"].unique()}
    labels = {cid: T(key, city=city, country=countries[iso], status=statuses[status],
                     cluster=cluster)
              for cid, city, iso, status, cluster in zip(
                  ids, comptoirs["city"], comptoirs["country_iso3"], comptoirs["status"],
                  comptoirs["cluster_name"], strict=True)}
    return st.selectbox(T("maps.pick"), options=ids, key=PICK_KEY, help=T("maps.pick_help"),
                        format_func=labels.__getitem__)


def comptoir_detail(row: pd.Series, lang: str) -> None:
    """One comptoir (a row of `comptoirs_by_country`): status and opening date, firms hosted
    against the GIE minimum, local jobs, then capacity, budget and local principals."""
    T = i18n.translator(lang)
    nr = T("overview.not_reported")
    num = lambda v, missing="–": _fmt(v, lambda x: i18n.number(x, lang), missing)  # noqa: E731
    st.badge(_status(row["status"], lang), color=BADGE_COLOURS[row["status"]])
    st.text(_opening(row, lang))
    hosted, jobs = st.columns(2)
    with hosted:
        st.metric(T("maps.k_hosted"), num(row["firms_hosted"]), border=True,
                  delta=T("maps.k_gie_min", n=num(row["min_members"])), delta_color="off",
                  delta_arrow="off", height=CARD_HEIGHT)
    with jobs:
        st.metric(T("maps.k_jobs"), num(row["local_sector_jobs"]), border=True,
                  delta=nr if _missing(row["local_sector_jobs"]) else None, delta_color="off",
                  delta_arrow="off", height=CARD_HEIGHT)
    st.text(T("maps.k_capacity", v=num(row["capacity_firms"], nr)))
    st.text(T("maps.h_budget", v=_fmt(row["budget_eur"], lambda v: i18n.money(v, lang), nr)))
    st.text(T("maps.h_principals", v=_principals(row["local_principals"]) or nr))


def comptoir_sources(row: pd.Series, members: pd.DataFrame, sources: pd.DataFrame,
                     snapshots: pd.DataFrame, lang: str) -> None:
    """The articles and snapshots behind one comptoir and its firms."""
    st.subheader(i18n.t("maps.detail_sources", lang))
    ids = sorted(set(row["sources"]) | set(members["source_id"].dropna()))
    st.markdown(provenance(ids, ("comptoirs", "members"), sources, snapshots, lang))


def firms_table(members: pd.DataFrame, row: pd.Series, lang: str) -> None:
    """The member firms of one comptoir: size, stage, staff, revenue, export, illustrative."""
    T = i18n.translator(lang)
    st.subheader(T("maps.firms", city=plain_markdown(row["city"])))
    if members.empty:
        st.info(T("maps.no_firms"))
        return
    size, stage = MEMBERS.column("size_class"), MEMBERS.column("comptoir_stage")
    shown = pd.DataFrame({
        T("maps.col_firm"): members["name"],
        T("maps.col_size"): [size.enum_label(v, lang) for v in members["size_class"]],
        T("maps.col_stage"): [stage.enum_label(v, lang) for v in members["comptoir_stage"]],
        T("maps.col_headcount"): [i18n.number(v, lang) for v in members["headcount"]],
        T("maps.col_revenue"): [i18n.money(v, lang, short=True) for v in members["revenue_eur"]],
        T("maps.col_export"): [i18n.money(v, lang, short=True)
                               for v in members["export_revenue_eur"]],
        T("maps.col_illustrative"): members["illustrative"].astype(bool),
        T("col.source_id"): members["source_id"],
    })
    st.dataframe(shown, hide_index=True, height=36 * (len(shown) + 1) + 4)
    n = int(members["illustrative"].sum())
    if n:
        st.caption(T("maps.firms_illustrative", n=i18n.number(n, lang),
                     total=i18n.number(len(members), lang)))


def illustrative_note(comptoirs: pd.DataFrame, lang: str) -> None:
    if comptoirs["illustrative"].any():
        st.caption(i18n.t("maps.illustrative", lang))


HOVER_LIST_MAX = 12  # names in one line of a hover label at most (a country can have 2,400)


def _some(values, lang: str, limit: int = HOVER_LIST_MAX) -> str:
    """"a, b, c", or the first `limit` values and how many more."""
    values = list(values)
    text = ", ".join(values[:limit])
    if len(values) > limit:
        text += " " + i18n.t("maps.h_more", lang, n=i18n.number(len(values) - limit, lang))
    return text


def vie_map(by_country: pd.DataFrame, lang: str) -> go.Figure:
    """Countries shaded by number of VIE postings, the count written on each; hover gives the
    split by status, cities and host companies, clusters and sources (each list cut at
    `HOVER_LIST_MAX` names, with how many more)."""
    T = i18n.translator(lang)
    status = VIE_POSTINGS.column("status")
    hover = []
    for _, r in by_country.iterrows():
        lines = [f"<b>{plain_html(country_name(r['country_iso3'], lang))}</b> · "
                 + T("maps.vie_total", n=i18n.number(r["postings"], lang))]
        lines += [T("maps.h_count", label=status.enum_label(s, lang),
                    n=i18n.number(r[s], lang)) for s in VIE_COLOURS]
        extra = [*r["cities"], *r["host_companies"]]
        if extra:
            lines.append(plain_html(_some(extra, lang)))
        lines.append(plain_html(_some(r["cluster_names"], lang)) + " · "
                     + plain_html(_some(r["sources"], lang)))
        hover.append("<br>".join(lines))
    fig = go.Figure()
    fig.add_choropleth(
        locations=by_country["country_iso3"], locationmode="ISO-3", z=by_country["postings"],
        zmin=0, zmax=max(int(by_country["postings"].max()), 1),
        colorscale=[[0, "#d6e6f4"], [1, "#3a8dc8"]], showscale=False,
        marker={"line": {"color": "white", "width": 0.8}},
        customdata=[[h] for h in hover], hovertemplate="%{customdata[0]}<extra></extra>",
        name=T("maps.vie_postings"))
    fig.add_scattergeo(
        locations=by_country["country_iso3"], locationmode="ISO-3", mode="text",
        text=[f"<b>{i18n.number(n, lang)}</b>" for n in by_country["postings"]],
        textfont={"size": 17, "color": "#10243a"}, hoverinfo="skip", showlegend=False)
    fig.update_geos(lataxis_range=[-58, 84], lonaxis_range=[-170, 180])
    fig.update_layout(margin={"l": 0, "r": 0, "t": 10, "b": 0}, showlegend=False)
    return fig


def vie_status_bars(by_country: pd.DataFrame, lang: str) -> go.Figure:
    """Horizontal stacked bars: per country, postings in post, to recruit, completed."""
    T = i18n.translator(lang)
    status = VIE_POSTINGS.column("status")
    names = [country_name(c, lang) for c in by_country["country_iso3"]]
    fig = go.Figure()
    for s, colour in VIE_COLOURS.items():
        values = by_country[s]
        fig.add_bar(y=names, x=values, name=status.enum_label(s, lang), orientation="h",
                    marker_color=colour, text=[i18n.number(v, lang) if v else "" for v in values],
                    textposition="inside", insidetextanchor="middle",
                    textfont={"color": "white", "size": 15},
                    hovertemplate="%{y} · " + T("maps.h_count", label=status.enum_label(s, lang),
                                                 n="%{x}") + "<extra></extra>")
    fig.update_layout(barmode="stack", height=120 + 48 * len(by_country),
                      yaxis={"autorange": "reversed", "automargin": True},
                      legend={"traceorder": "normal"},
                      # A tick per posting while there are few (thousands of ticks made one
                      # black smear and slowed the browser).
                      xaxis={"title": T("maps.vie_postings"), "automargin": True,
                             **({"dtick": 1} if by_country["postings"].max() <= 10 else {})})
    return fig


def _posting_labels(postings: pd.DataFrame, lang: str) -> list[str]:
    """"Country · city · host" per posting, made unique with the posting id where needed."""
    labels = [" · ".join(plain_html(v) for v in (country_name(iso, lang), city, host)
                         if not _missing(v))
              for iso, city, host in zip(postings["country_iso3"], postings["city"],
                                         postings["host_company"], strict=True)]
    seen = Counter(labels)
    return [f"{label} · {plain_html(pid)}" if seen[label] > 1 else label
            for label, pid in zip(labels, postings["posting_id"], strict=True)]


TIMELINE_MAX = 60  # postings drawn on the timeline at most (a lake can hold 200,000)


def vie_counts(by_country: pd.DataFrame) -> tuple[int, int]:
    """(postings, dated postings) of the selected clusters, from the per-country rows."""
    return int(by_country["postings"].sum()), int(by_country["dated"].sum())


def timeline_window(dated: int, limit: int = TIMELINE_MAX) -> dict[str, int]:
    """Which postings, in the query's order (by start date, undated last), the timeline draws:
    every dated one up to `limit`, else the `limit` that started last (the missions of the
    moment). Parameters `first` and `rows` of `vie_postings_by_start`."""
    return {"first": max(0, dated - limit), "rows": min(dated, limit)}


def timeline_note(dated: int, drawn: int, lang: str) -> None:
    if drawn < dated:
        st.caption(i18n.t("maps.vie_timeline_capped", lang, n=i18n.number(drawn, lang),
                          total=i18n.number(dated, lang)))


def vie_timeline(postings: pd.DataFrame, lang: str) -> go.Figure:
    """Each dated posting (rows by start date, earliest on top) as a line from its start to
    its end, a dot when it has no end yet, coloured by status."""
    status = VIE_POSTINGS.column("status")
    dated = postings[postings["start_on"].notna()].sort_values("start_on", kind="stable")
    labels = _posting_labels(dated, lang)
    fig = go.Figure()
    for s, colour in VIE_COLOURS.items():
        x, y = [], []
        for label, state, start, end in zip(labels, dated["status"], dated["start_on"],
                                             dated["end_on"], strict=True):
            if state != s:
                continue
            x += [start, start if pd.isna(end) else end, None]
            y += [label, label, None]
        if x:
            fig.add_scatter(x=x, y=y, mode="lines+markers", name=status.enum_label(s, lang),
                            line={"color": colour, "width": 8},
                            marker={"size": 12, "color": colour},
                            hovertemplate="%{y} · %{x}<extra></extra>")
    fig.update_layout(height=140 + 36 * len(labels),
                      yaxis={"autorange": "reversed", "automargin": True,
                             "categoryorder": "array", "categoryarray": labels},
                      xaxis={"type": "date", "automargin": True,
                             "tickformat": "%m/%Y" if lang == "fr" else "%Y-%m",
                             "hoverformat": "%d/%m/%Y" if lang == "fr" else "%Y-%m-%d"})
    return fig


def undated_note(undated: int, lang: str) -> None:
    if undated:
        st.caption(i18n.t("maps.vie_undated", lang, n=i18n.number(undated, lang)))


TABLE_PAGE = 100  # postings per page of the table (a lake can hold 200,000)
PAGE_KEY = "maps_vie_page"


def vie_table_page(total: int, lang: str) -> dict[str, int]:
    """The table's page: past `TABLE_PAGE` postings, a page number and a note saying which rows
    are shown. Returns which rows to read (parameters `first` and `rows` of
    `vie_postings_by_start`): only that page is read, formatted and sent to the browser."""
    if total <= TABLE_PAGE:
        return {"first": 0, "rows": TABLE_PAGE}
    T = i18n.translator(lang)
    pages = -(-total // TABLE_PAGE)
    if not 1 <= st.session_state.get(PAGE_KEY, 1) <= pages:  # fewer rows since
        st.session_state[PAGE_KEY] = 1
    with st.container(horizontal=True, vertical_alignment="bottom", gap="medium"):
        page = int(st.number_input(T("maps.vie_page", pages=i18n.number(pages, lang)),
                                   min_value=1, max_value=pages, step=1, key=PAGE_KEY,
                                   width=200))
        first = (page - 1) * TABLE_PAGE
        st.caption(T("maps.vie_rows", first=i18n.number(first + 1, lang),
                     last=i18n.number(min(first + TABLE_PAGE, total), lang),
                     total=i18n.number(total, lang)))
    return {"first": first, "rows": TABLE_PAGE}


def vie_table(postings: pd.DataFrame, lang: str) -> None:
    """The postings given, one row each, in their order (a page of `vie_postings_by_start`).
    The table scrolls past 15 rows."""
    T = i18n.translator(lang)
    status = VIE_POSTINGS.column("status")

    def day(v: object) -> str:
        return "–" if pd.isna(v) else i18n.date(_as_date(v), lang)

    def each(column: str, fmt) -> list[str]:
        """Each distinct value formatted once."""
        done: dict = {}
        return [done[v] if v in done else done.setdefault(v, fmt(None if _missing(v) or
                                                                  pd.isna(v) else v))
                for v in postings[column].tolist()]

    shown = pd.DataFrame({
        T("col.cluster"): postings["cluster_name"],
        T("maps.col_country"): each("country_iso3", lambda c: country_name(c, lang)),
        T("maps.col_city"): each("city", lambda v: _fmt(v, str)),
        T("maps.col_host"): each("host_company", lambda v: _fmt(v, str)),
        T("maps.col_status"): each("status", lambda s: status.enum_label(s, lang)),
        T("maps.col_start"): each("start_on", day),
        T("maps.col_end"): each("end_on", day),
        T("maps.col_firms_served"): each("firms_served", lambda v: i18n.number(v, lang)),
        T("col.source_id"): postings["source_id"],
    }, index=postings.index)
    st.dataframe(shown, hide_index=True, height=36 * (min(len(shown), 15) + 1) + 4)


def _as_date(v: object) -> dt.date:
    return v.date() if isinstance(v, (pd.Timestamp, dt.datetime)) else v  # type: ignore[return-value]
