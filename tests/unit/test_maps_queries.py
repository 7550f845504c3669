"""The maps page's named queries on tiny lakes built from literal rows: exact rows expected."""

from __future__ import annotations

import datetime as dt

import pytest

from envol import store
from envol.queries import parameters, run_query
from tests.conftest import make_lake

D = dt.date
SOURCES = [dict(source_id="A1", title="Un"), dict(source_id="A2", title="Deux"),
           dict(source_id="A3", title="Trois")]
CLUSTERS = [dict(cluster_id="c1", name="Zeta", region="R1", hq_city="Marseille", lat=43.3,
                 lon=5.4, source_id="A1"),
            dict(cluster_id="c2", name="alpha", region="R2", source_id="A2")]
COMPTOIRS = [
    dict(comptoir_id="k1", cluster_id="c1", country_iso3="MEX", city="Querétaro", lat=20.6,
         lon=-100.4, status="operational", opened_on=D(2010, 12, 15), min_members=4,
         capacity_firms=6, budget_eur=250_000.0, local_principals="EADS;Cessna",
         local_sector_jobs=23_000, illustrative=True, source_id="A1"),
    dict(comptoir_id="k2", cluster_id="c1", country_iso3="BRA", city="São Paulo",
         status="opening", opened_on=D(2011, 6, 30), source_id="A2"),
    dict(comptoir_id="k3", cluster_id="c2", country_iso3="MAR", city="Casablanca",
         status="planned", source_id="A2"),
]
MEMBERS = [
    dict(member_id="m1", cluster_id="c1", name="Bravo", size_class="sme", comptoir_id="k1",
         comptoir_stage="hosted", headcount=80, revenue_eur=8e6, source_id="A1"),
    dict(member_id="m2", cluster_id="c1", name="alpha", size_class="micro", comptoir_id="k1",
         comptoir_stage="exporting", revenue_eur=1e6, export_revenue_eur=2e5, illustrative=True,
         source_id="A3"),
    dict(member_id="m3", cluster_id="c1", name="Charlie", size_class="micro", comptoir_id="k1",
         comptoir_stage="candidate", source_id="A2"),
    dict(member_id="m4", cluster_id="c2", name="Delta", size_class="midcap", comptoir_id="k1",
         comptoir_stage="selected", source_id="A2"),
    dict(member_id="m5", cluster_id="c1", name="Echo", size_class="large", source_id="A1"),
    dict(member_id="m6", cluster_id="c2", name="Fox", size_class="sme", comptoir_id="k3",
         comptoir_stage="hosted", source_id="A2"),
]
VIE = [
    dict(posting_id="v1", cluster_id="c2", country_iso3="CHN", status="in_post",
         start_on=D(2010, 3, 1), source_id="A2"),
    dict(posting_id="v2", cluster_id="c2", country_iso3="CHN", city="Shanghai",
         host_company="Airbus", status="to_recruit", source_id="A3"),
    dict(posting_id="v3", cluster_id="c2", country_iso3="CAN", city="Montréal",
         status="completed", start_on=D(2009, 1, 5), end_on=D(2010, 1, 4), firms_served=3,
         source_id="A2"),
    dict(posting_id="v4", cluster_id="c1", country_iso3="DEU", status="to_recruit",
         source_id="A1"),
]


@pytest.fixture(scope="module")
def lake(tmp_path_factory):
    con = make_lake(tmp_path_factory.mktemp("maps"), dict(
        sources=SOURCES, clusters=CLUSTERS, comptoirs=COMPTOIRS, members=MEMBERS,
        vie_postings=VIE))
    yield con
    con.close()


def records(df, columns=None):
    df = df[columns] if columns else df
    out = df.astype(object).where(df.notna(), None).to_dict("records")
    return [{k: (list(v) if hasattr(v, "tolist") and not isinstance(v, str) else v)
             for k, v in r.items()} for r in out]


def test_parameters():
    assert parameters("comptoirs_by_country") == {"version", "clusters"}
    assert parameters("comptoir_members_by_stage") == {"version", "comptoir_id"}
    assert parameters("vie_postings_by_country") == {"version", "clusters"}
    assert parameters("vie_postings_by_start") == {"version", "clusters", "first", "rows"}


def test_comptoirs_by_country_exact_rows(lake):
    df = run_query(lake, "comptoirs_by_country", version=store.current_version(lake),
                   clusters=["c1", "c2"])
    got = records(df, ["comptoir_id", "cluster_name", "country_iso3", "city", "status",
                       "min_members", "capacity_firms", "budget_eur", "local_principals",
                       "local_sector_jobs", "illustrative", "firms_hosted", "firms_exporting",
                       "hq_city", "hq_lat", "hq_lon", "sources"])
    assert got == [
        # Clusters by name (alpha before Zeta), then country.
        dict(comptoir_id="k3", cluster_name="alpha", country_iso3="MAR", city="Casablanca",
             status="planned", min_members=None, capacity_firms=None, budget_eur=None,
             local_principals=None, local_sector_jobs=None, illustrative=False,
             firms_hosted=1, firms_exporting=0, hq_city=None, hq_lat=None, hq_lon=None,
             sources=["A2"]),
        dict(comptoir_id="k2", cluster_name="Zeta", country_iso3="BRA", city="São Paulo",
             status="opening", min_members=None, capacity_firms=None, budget_eur=None,
             local_principals=None, local_sector_jobs=None, illustrative=False,
             firms_hosted=0, firms_exporting=0, hq_city="Marseille", hq_lat=43.3, hq_lon=5.4,
             sources=["A2"]),
        # Hosted = hosted or exporting (m1, m2), not candidate/selected; sources of the
        # comptoir row and of its hosted firms.
        dict(comptoir_id="k1", cluster_name="Zeta", country_iso3="MEX", city="Querétaro",
             status="operational", min_members=4, capacity_firms=6, budget_eur=250_000.0,
             local_principals="EADS;Cessna", local_sector_jobs=23_000, illustrative=True,
             firms_hosted=2, firms_exporting=1, hq_city="Marseille", hq_lat=43.3, hq_lon=5.4,
             sources=["A1", "A3"]),
    ]
    assert df.loc[df["comptoir_id"] == "k1", "opened_on"].item() == D(2010, 12, 15) or str(
        df.loc[df["comptoir_id"] == "k1", "opened_on"].item()).startswith("2010-12-15")


def test_comptoirs_by_country_follows_the_cluster_filter(lake):
    v = store.current_version(lake)
    assert run_query(lake, "comptoirs_by_country", version=v, clusters=["c2"]
                     )["comptoir_id"].tolist() == ["k3"]
    assert run_query(lake, "comptoirs_by_country", version=v, clusters=[]).empty


def test_comptoir_members_by_stage_exact_rows(lake):
    df = run_query(lake, "comptoir_members_by_stage", version=store.current_version(lake),
                   comptoir_id="k1")
    assert records(df, ["member_id", "cluster_id", "name", "size_class", "comptoir_stage",
                        "headcount", "revenue_eur", "export_revenue_eur", "illustrative",
                        "source_id"]) == [
        dict(member_id="m2", cluster_id="c1", name="alpha", size_class="micro",
             comptoir_stage="exporting", headcount=None, revenue_eur=1e6,
             export_revenue_eur=2e5, illustrative=True, source_id="A3"),
        dict(member_id="m1", cluster_id="c1", name="Bravo", size_class="sme",
             comptoir_stage="hosted", headcount=80, revenue_eur=8e6, export_revenue_eur=None,
             illustrative=False, source_id="A1"),
        dict(member_id="m4", cluster_id="c2", name="Delta", size_class="midcap",
             comptoir_stage="selected", headcount=None, revenue_eur=None,
             export_revenue_eur=None, illustrative=False, source_id="A2"),
        dict(member_id="m3", cluster_id="c1", name="Charlie", size_class="micro",
             comptoir_stage="candidate", headcount=None, revenue_eur=None,
             export_revenue_eur=None, illustrative=False, source_id="A2"),
    ]
    none = run_query(lake, "comptoir_members_by_stage", version=store.current_version(lake),
                     comptoir_id="k2")
    assert none.empty


def test_vie_postings_by_country_exact_rows(lake):
    df = run_query(lake, "vie_postings_by_country", version=store.current_version(lake),
                   clusters=["c1", "c2"])
    assert records(df) == [
        dict(country_iso3="CHN", in_post=1, to_recruit=1, completed=0, postings=2, dated=1,
             cities=["Shanghai"], host_companies=["Airbus"], cluster_names=["alpha"],
             sources=["A2", "A3"]),
        dict(country_iso3="CAN", in_post=0, to_recruit=0, completed=1, postings=1, dated=1,
             cities=["Montréal"], host_companies=[], cluster_names=["alpha"], sources=["A2"]),
        dict(country_iso3="DEU", in_post=0, to_recruit=1, completed=0, postings=1, dated=0,
             cities=[], host_companies=[], cluster_names=["Zeta"], sources=["A1"]),
    ]
    only_c1 = run_query(lake, "vie_postings_by_country", version=store.current_version(lake),
                        clusters=["c1"])
    assert only_c1["country_iso3"].tolist() == ["DEU"]


def test_vie_postings_by_start_exact_rows(lake):
    df = run_query(lake, "vie_postings_by_start", version=store.current_version(lake),
                   clusters=["c1", "c2"], first=0, rows=100)
    got = records(df, ["posting_id", "cluster_name", "country_iso3", "city", "host_company",
                       "status", "firms_served", "source_id"])
    assert got == [
        dict(posting_id="v3", cluster_name="alpha", country_iso3="CAN", city="Montréal",
             host_company=None, status="completed", firms_served=3, source_id="A2"),
        dict(posting_id="v1", cluster_name="alpha", country_iso3="CHN", city=None,
             host_company=None, status="in_post", firms_served=None, source_id="A2"),
        # Undated last, by country.
        dict(posting_id="v2", cluster_name="alpha", country_iso3="CHN", city="Shanghai",
             host_company="Airbus", status="to_recruit", firms_served=None, source_id="A3"),
        dict(posting_id="v4", cluster_name="Zeta", country_iso3="DEU", city=None,
             host_company=None, status="to_recruit", firms_served=None, source_id="A1"),
    ]
    starts = [None if v is None or str(v) == "NaT" else str(v)[:10]
              for v in df["start_on"].astype(object)]
    assert starts == ["2009-01-05", "2010-03-01", None, None]


def test_vie_postings_by_start_reads_one_window_of_that_order(lake):
    """`first` and `rows` cut the same order into pages: every window is that slice of it."""
    everything = ["v3", "v1", "v2", "v4"]
    for first in range(6):
        for rows in range(6):
            df = run_query(lake, "vie_postings_by_start", version=store.current_version(lake),
                           clusters=["c1", "c2"], first=first, rows=rows)
            assert df["posting_id"].tolist() == everything[first:first + rows], (first, rows)
