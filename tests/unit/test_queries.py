"""Each named query against tiny lakes built from literal rows: exact rows expected."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import pytest

from envol import links, store
from envol.queries import QueryError, load_sql, parameters, query_names, run_query
from tests.conftest import make_lake, rows_table

SOURCES = [dict(source_id="A1", title="Article", outlet="Journal", author="Ann",
                published_on=dt.date(2011, 1, 2)),
           dict(source_id="A2", title="Autre", outlet=None)]
CLUSTERS = [dict(cluster_id="c1", name="Zeta", region="R1", reported_members=3,
                 reported_jobs=1000, source_id="A1"),
            dict(cluster_id="c2", name="alpha", region="R2", source_id="A2")]
COMPTOIRS = [dict(comptoir_id="k1", cluster_id="c1", country_iso3="MAR", city="Casablanca",
                  status="operational", illustrative=True, source_id="A1"),
             dict(comptoir_id="k2", cluster_id="c1", country_iso3="MEX", city="Querétaro",
                  status="opening", source_id="A2")]
MEMBERS = [
    dict(member_id="m1", cluster_id="c1", name="Un", size_class="sme", comptoir_id="k1",
         comptoir_stage="hosted", illustrative=True, source_id="A1"),
    dict(member_id="m2", cluster_id="c1", name="Deux", size_class="micro", comptoir_id="k1",
         comptoir_stage="candidate", source_id="A2"),
    dict(member_id="m3", cluster_id="c1", name="Trois", size_class="large", source_id="A1"),
    dict(member_id="m4", cluster_id="c2", name="Quatre", size_class="midcap",
         comptoir_id="k2", comptoir_stage="exporting", source_id="A2"),
]
VIE = [dict(posting_id="v1", cluster_id="c2", country_iso3="CHN", status="in_post",
            source_id="A2"),
       dict(posting_id="v2", cluster_id="c2", country_iso3="DEU", status="to_recruit",
            source_id="A2"),
       dict(posting_id="v3", cluster_id="c2", country_iso3="DEU", status="completed",
            source_id="A2")]
SURVEY = [dict(survey_id="s", survey_name="S", year=2016, question_id="q", question="Q?",
               answer="oui", respondents=1, base=4, source_id="A1"),
          dict(survey_id="s", survey_name="S", year=2016, question_id="q", question="Q?",
               answer="non", respondents=3, base=4, source_id="A1")]
SPONSORSHIPS = [
    dict(sponsorship_id="p1", sponsor="G", sme_name="Un", member_id="m1", year=2009,
         stage="supported", review_days=20, source_id="A1"),
    dict(sponsorship_id="p2", sponsor="H", sme_name="X", year=2009, stage="reviewed",
         review_days=40, illustrative=True, source_id="A2"),
    dict(sponsorship_id="p3", sponsor="G", sme_name="Y", year=2010, stage="requested",
         source_id="A2"),
]
TARGETS = [dict(target_id="t1", cluster_id="c1", programme="comptoirs", metric="jobs",
                value_low=100, start_year=2011, end_year=2020, source_id="A1"),
           dict(target_id="t2", cluster_id="c2", programme="vie", metric="jobs", value_low=5,
                source_id="A1"),
           dict(target_id="t3", cluster_id=None, programme="portage", metric="firms_supported",
                value_low=10, source_id="A2")]
ALL = dict(sources=SOURCES, clusters=CLUSTERS, comptoirs=COMPTOIRS, members=MEMBERS,
           vie_postings=VIE, survey_results=SURVEY, sponsorships=SPONSORSHIPS, targets=TARGETS)


@pytest.fixture(scope="module")
def lake(tmp_path_factory):
    con = make_lake(tmp_path_factory.mktemp("tiny"), ALL)
    yield con
    con.close()


def records(df):
    return df.astype(object).where(df.notna(), None).to_dict("records")


def test_every_query_file_has_a_header_comment():
    for name in query_names():
        first = load_sql(name).splitlines()[0]
        assert first.startswith("-- ") and len(first) > 20, name


def test_lake_queries_pin_a_version():
    for name in query_names():
        sql = load_sql(name)
        if "FROM lake." in sql.replace("JOIN lake.", "FROM lake.") and "snapshots()" not in sql:
            assert "AT (VERSION => $version)" in sql, name


def test_runner_refuses_unknown_names_and_missing_parameters(lake):
    with pytest.raises(QueryError):
        run_query(lake, "../etc/passwd")
    with pytest.raises(QueryError):
        run_query(lake, "no_such_query")
    with pytest.raises(QueryError, match="version"):
        run_query(lake, "kpis_by_cluster", clusters=["c1"])
    assert parameters("kpis_by_cluster") == {"version", "clusters"}


def test_kpis_by_cluster_exact_rows(lake):
    v = store.current_version(lake)
    df = run_query(lake, "kpis_by_cluster", version=v, clusters=["c1", "c2"])
    got = records(df[["cluster_id", "name", "members", "smes", "jobs", "comptoirs",
                      "comptoirs_operational", "firms_hosted", "vie_in_post", "vie_to_recruit",
                      "portage_supported", "illustrative_rows"]])
    assert got == [
        dict(cluster_id="c2", name="alpha", members=1, smes=0, jobs=None, comptoirs=0,
             comptoirs_operational=0, firms_hosted=1, vie_in_post=1, vie_to_recruit=1,
             portage_supported=0, illustrative_rows=0),
        dict(cluster_id="c1", name="Zeta", members=3, smes=2, jobs=1000, comptoirs=2,
             comptoirs_operational=1, firms_hosted=1, vie_in_post=0, vie_to_recruit=0,
             portage_supported=1, illustrative_rows=2),
    ]
    c1 = df.set_index("cluster_id").loc["c1"]
    assert list(c1["member_sources"]) == ["A1", "A2"]
    assert list(c1["hosted_sources"]) == ["A1"]
    assert list(c1["portage_sources"]) == ["A1"]
    assert list(c1["cluster_sources"]) == ["A1"]


def test_kpis_filter_by_cluster_and_empty_selection(lake):
    v = store.current_version(lake)
    assert run_query(lake, "kpis_by_cluster", version=v, clusters=["c2"])["cluster_id"].tolist() \
        == ["c2"]
    assert run_query(lake, "kpis_by_cluster", version=v, clusters=[]).empty


def test_clusters_by_name_sorted_case_insensitively(lake):
    df = run_query(lake, "clusters_by_name", version=store.current_version(lake))
    assert records(df) == [dict(cluster_id="c2", name="alpha", region="R2"),
                           dict(cluster_id="c1", name="Zeta", region="R1")]


def test_sources_by_id(lake):
    df = run_query(lake, "sources_by_id", version=store.current_version(lake))
    assert df["source_id"].tolist() == ["A1", "A2"]
    assert df.loc[0, "published_on"] == dt.date(2011, 1, 2) or str(df.loc[0, "published_on"]
                                                                   ).startswith("2011-01-02")


def test_portage_by_year(lake):
    df = run_query(lake, "portage_by_year", version=store.current_version(lake))
    got = records(df[["year", "requests", "supported", "matched", "review_days_mean",
                      "sponsors", "illustrative_rows"]])
    assert got == [dict(year=2009, requests=2, supported=1, matched=0, review_days_mean=30.0,
                        sponsors=2, illustrative_rows=1),
                   dict(year=2010, requests=1, supported=0, matched=0, review_days_mean=None,
                        sponsors=1, illustrative_rows=0)]


def test_survey_answers_by_question(lake):
    df = run_query(lake, "survey_answers_by_question", version=store.current_version(lake))
    assert records(df[["answer", "respondents", "base", "share"]]) == [
        dict(answer="oui", respondents=1, base=4, share=0.25),
        dict(answer="non", respondents=3, base=4, share=0.75)]


def test_targets_by_programme_keeps_national_rows(lake):
    df = run_query(lake, "targets_by_programme", version=store.current_version(lake),
                   clusters=["c1"])
    assert df["target_id"].tolist() == ["t1", "t3"]


def test_snapshot_queries_and_as_of(lake):
    v = store.current_version(lake)
    snaps = run_query(lake, "snapshots_by_time", version=v)
    assert snaps["table_name"].tolist() == ["targets", "sponsorships", "survey_results",
                                            "vie_postings", "members", "comptoirs", "clusters",
                                            "sources"]
    assert snaps["snapshot_id"].iloc[0] == v
    assert set(snaps["author"]) == {"test"}
    assert snaps.loc[snaps["table_name"] == "members", "row_count"].item() == 4
    per_table = run_query(lake, "table_snapshots_by_table", version=v)
    assert len(per_table) == 8
    members_v = int(snaps.loc[snaps["table_name"] == "members", "snapshot_id"].item())
    # As of the members commit, later tables have no snapshot yet.
    early = run_query(lake, "table_snapshots_by_table", version=members_v)
    assert set(early["table_name"]) == {"sources", "clusters", "comptoirs", "members"}
    # An "as of" date resolves over this same list (envol.links.version_at, tested there).
    day = snaps["snapshot_time"].max().tz_convert("UTC").date()
    assert links.version_at(day, snaps) == v
    assert links.version_at(dt.date(2000, 1, 1), snaps) is None


def test_as_of_reads_the_old_state_after_a_replace(tmp_path):
    con = make_lake(tmp_path, dict(sources=SOURCES, clusters=CLUSTERS))
    v1 = store.current_version(con)
    store.commit_table(con, "clusters", rows_table("clusters", CLUSTERS[:1]), mode="replace",
                       author="ana", note="one cluster", file_name="c.csv", sha256="1" * 64)
    v2 = store.current_version(con)
    assert v2 > v1
    old = run_query(con, "clusters_by_name", version=v1)
    new = run_query(con, "clusters_by_name", version=v2)
    assert old["cluster_id"].tolist() == ["c2", "c1"]
    assert new["cluster_id"].tolist() == ["c1"]
    con.close()


def test_kpis_of_one_cluster_are_the_same_filtered_or_not(lake):
    # The cluster filter is applied to every table before aggregating (a lake holds thousands
    # of clusters): a cluster's figures must not depend on which other clusters are selected.
    v = store.current_version(lake)
    both = records(run_query(lake, "kpis_by_cluster", version=v, clusters=["c1", "c2"]))
    for i, cid in enumerate(["c2", "c1"]):
        alone = records(run_query(lake, "kpis_by_cluster", version=v, clusters=[cid]))
        assert [{k: list(x) if hasattr(x, "tolist") else x for k, x in r.items()}
                for r in alone] == [{k: list(x) if hasattr(x, "tolist") else x
                                     for k, x in both[i].items()}]


def test_list_columns_come_back_as_python_lists(lake):
    # One numpy array per cell made every cache hit unpickle thousands of arrays.
    v = store.current_version(lake)
    df = run_query(lake, "kpis_by_cluster", version=v, clusters=["c1", "c2"])
    cell = df.set_index("cluster_id").loc["c1", "member_sources"]
    assert isinstance(cell, list) and cell == ["A1", "A2"]
    assert df.set_index("cluster_id").loc["c2", "portage_sources"] == []


@pytest.mark.parametrize("sql", [
    "SELECT i, 'n' || i AS s, DATE '2011-06-30' + (i % 9)::INTEGER AS d FROM range(30000) t(i)",
    # a column NULL in the first piece only: the pieces' dtypes differ, the frame is still .df()'s
    "SELECT i, CASE WHEN i >= 20000 THEN i END AS x, CASE WHEN i >= 20000 THEN 'y' END AS y "
    "FROM range(30000) t(i)",
    "SELECT i FROM range(7) t(i)",  # one piece
    "SELECT i FROM range(0) t(i)",
])
def test_large_results_become_the_same_frame_a_piece_at_a_time(sql):
    from envol.queries import PIECE_VECTORS, _frame

    con = duckdb.connect()
    assert PIECE_VECTORS * 2048 < 30000  # the first two run in several pieces
    pd.testing.assert_frame_equal(_frame(con, sql, {}), con.execute(sql).df())
