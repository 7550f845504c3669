"""The maps page's figures built from literal DataFrames (no Streamlit run needed)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from components.charts import style
from components.maps import (
    _clicked,
    comptoir_hover,
    comptoir_map,
    timeline_window,
    vie_counts,
    vie_status_bars,
    vie_timeline,
)

D = dt.date


def comptoir(**kw) -> dict:
    row = dict(comptoir_id="k1", cluster_id="c1", cluster_name="Pégase", country_iso3="MEX",
               city="Querétaro", lat=20.6, lon=-100.4, status="operational",
               opened_on=D(2010, 12, 15), min_members=4, capacity_firms=None, budget_eur=None,
               local_principals="EADS;Cessna", local_sector_jobs=23_000, illustrative=True,
               firms_hosted=4, firms_exporting=0, hq_city="Marseille", hq_lat=43.3, hq_lon=5.4,
               sources=["S1"])
    return row | kw


def test_comptoir_map_places_colours_sizes_and_links_to_the_home_base():
    df = pd.DataFrame([comptoir(),
                       comptoir(comptoir_id="k2", country_iso3="MAR", city="Casablanca",
                                lat=33.6, lon=-7.6, status="opening", firms_hosted=0)])
    fig = style(comptoir_map(df, "en"), lang="en")
    lines, operational, opening, home = fig.data
    assert lines.mode == "lines" and list(lines.lat) == [43.3, 20.6, None, 43.3, 33.6, None]
    assert operational.name == "operational" and operational.marker.color == "#009E73"
    assert opening.name == "opening" and opening.marker.color == "#E69F00"
    assert operational.marker.size[0] > opening.marker.size[0]  # 4 hosted vs 0
    assert list(operational.text) == ["Querétaro (4)"] and list(opening.text) == ["Casablanca (0)"]
    assert opening.textposition == ("middle left",)  # east of the Atlantic: label to the left
    assert home.marker.symbol == "star" and list(home.text) == ["Pégase (Marseille)"]
    lon = fig.layout.geo.lonaxis.range
    assert lon[0] < -100.4 and lon[1] > 5.4
    assert fig.layout.template.layout.geo.projection.type == "natural earth"
    assert fig.layout.template.layout.geo.showcountries is True


def test_a_comptoir_without_coordinates_sits_at_its_country_centre():
    df = pd.DataFrame([comptoir(lat=None, lon=None, hq_lat=None, hq_lon=None)])
    (trace,) = comptoir_map(df, "fr").data
    assert list(trace.locations) == ["MEX"] and trace.locationmode == "ISO-3"
    assert trace.lat is None


def test_hover_lists_every_figure_and_escapes_lake_text():
    row = pd.Series(comptoir(city="<img src=x onerror=alert(1)>", status="opening",
                             opened_on=D(2011, 6, 30), local_sector_jobs=None))
    hover = comptoir_hover(row, "fr")
    assert "&lt;img src=x onerror=alert(1)&gt;" in hover and "<img" not in hover
    assert "Ouverture prévue le 30/06/2011" in hover
    assert "Entreprises hébergées : 4 (capacité –, minimum du GIE 4)" in hover
    assert "Emplois locaux du secteur : non communiqué" in hover
    assert "Donneurs d'ordres locaux : EADS, Cessna" in hover
    assert "ville illustrative" in hover


def test_a_click_on_the_map_names_a_comptoir():
    ids = ["k1", "k2"]
    assert _clicked({"selection": {"points": [{"customdata": ["k2", "MAR", "…"]}]}}, ids) == "k2"
    assert _clicked({"selection": {"points": [{"customdata": [None, "FRA", "…"]}]}}, ids) is None
    assert _clicked({"selection": {"points": []}}, ids) is None
    assert _clicked(None, ids) is None


def test_vie_bars_and_timeline():
    by_country = pd.DataFrame([dict(country_iso3="CHN", in_post=1, to_recruit=1, completed=0,
                                    postings=2)])
    bars = vie_status_bars(by_country, "fr")
    assert [t.name for t in bars.data] == ["en poste", "à recruter", "terminé"]
    assert [list(t.x) for t in bars.data] == [[1], [1], [0]]
    assert list(bars.data[0].y) == ["Chine"]
    postings = pd.DataFrame([
        dict(posting_id="v1", country_iso3="CHN", city=None, host_company=None,
             status="in_post", start_on=D(2010, 3, 1), end_on=None),
        dict(posting_id="v2", country_iso3="CHN", city=None, host_company=None,
             status="completed", start_on=D(2008, 1, 1), end_on=D(2009, 1, 1)),
        dict(posting_id="v3", country_iso3="DEU", city="Hambourg", host_company="Airbus",
             status="to_recruit", start_on=None, end_on=None),
    ])
    fig = vie_timeline(postings, "en")
    # Earliest first, undated left out, same place told apart by posting id.
    assert list(fig.layout.yaxis.categoryarray) == ["China · v2", "China · v1"]
    by_name = {t.name: t for t in fig.data}
    assert set(by_name) == {"in post", "completed"}
    assert list(by_name["completed"].x)[:2] == [D(2008, 1, 1), D(2009, 1, 1)]
    assert list(by_name["in post"].x)[:2] == [D(2010, 3, 1), D(2010, 3, 1)]  # no end: a dot
    assert fig.layout.xaxis.tickformat == "%Y-%m"


def test_timeline_draws_the_postings_that_started_last():
    """The window of `vie_postings_by_start` (dated first, by start date) the timeline reads:
    every dated posting up to the limit, else the last ones to start."""
    assert timeline_window(5, limit=60) == {"first": 0, "rows": 5}
    assert timeline_window(60, limit=60) == {"first": 0, "rows": 60}
    assert timeline_window(200_000, limit=60) == {"first": 199_940, "rows": 60}
    assert timeline_window(0, limit=60) == {"first": 0, "rows": 0}
    by_country = pd.DataFrame({"postings": [4, 3], "dated": [1, 0]})
    assert vie_counts(by_country) == (7, 1)
