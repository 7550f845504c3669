"""The overview's detail cap: at EU scale thousands of clusters are selected by default."""

from __future__ import annotations

import pandas as pd

from envol.kpis import DETAIL_MAX, clusters_in_detail, national_kpis


def kpis(members: list[int]) -> pd.DataFrame:
    names = [f"Pôle {chr(65 + i)}" for i in range(len(members))]  # already in name order
    return pd.DataFrame({"cluster_id": [f"c{i}" for i in range(len(members))], "name": names,
                         "members": members})


def test_few_clusters_are_all_detailed_in_name_order():
    df = kpis([5, 1, 9])
    assert clusters_in_detail(df) is df
    assert clusters_in_detail(kpis([1] * DETAIL_MAX))["cluster_id"].tolist() == [
        f"c{i}" for i in range(DETAIL_MAX)]


def test_beyond_the_cap_the_largest_are_detailed_still_in_name_order():
    df = kpis([3, 50, 7, 50, 1, 20, 8, 0])
    shown = clusters_in_detail(df, limit=4)
    # 50, 50, 20 then 8; ties broken by name; kept in the query's (name) order.
    assert shown["cluster_id"].tolist() == ["c1", "c3", "c5", "c6"]


def test_national_cards_show_targets_of_the_detailed_clusters_only():
    empty = pd.DataFrame(columns=["survey_id", "question_id", "answer", "respondents", "base",
                                  "share", "source_id"])
    portage = pd.DataFrame(columns=["year", "supported", "review_days_mean", "sources"])
    targets = pd.DataFrame({
        "target_id": ["t1", "t2", "t3"], "cluster_id": ["c0", "c1", None],
        "programme": ["comptoirs", "comptoirs", "comptoirs"], "metric": ["jobs"] * 3,
        "value_low": [100.0, 200.0, 300.0], "value_high": [None] * 3,
        "start_year": [2021] * 3, "end_year": [2030] * 3, "source_id": ["S1"] * 3})
    sources = pd.DataFrame({"source_id": ["S1"], "title": ["T"], "outlet": ["O"],
                            "author": [None], "published_on": [None],
                            "date_is_approximate": [False]})
    snapshots = pd.DataFrame(columns=["table_name"])
    cards = national_kpis(empty, portage, targets, kpis([1, 2]).head(1), sources, snapshots,
                          "en")
    assert [c.key for c in cards] == ["target.t1", "target.t3"]


def test_long_source_lists_become_one_table_with_formatted_dates():
    import datetime as dt

    from envol.kpis import source_rows

    sources = pd.DataFrame({
        "source_id": ["S1", "EU-x"], "title": ["Un *titre*", "Rapport"],
        "outlet": ["Les Echos", None], "author": [None, None],
        "published_on": [dt.date(2011, 1, 15), dt.date(2025, 3, 2)],
        "date_is_approximate": [True, False], "note": [None, "n"]})
    rows = source_rows(sources, "fr")
    assert list(rows.columns) == ["Source", "Titre", "Média", "Auteur", "Date", "Note"]
    assert rows["Date"].tolist() == ["≈\u202f2011", "02/03/2025"]
    assert rows["Titre"].tolist() == ["Un *titre*", "Rapport"]  # plain text, shown verbatim
    assert source_rows(sources, "en")["Date"].tolist() == ["≈\u202f2011", "2025-03-02"]


def test_query_cache_keys_on_the_values_of_long_selections(default_lake, default_version):
    from envol import data

    one = data.query("kpis_by_cluster", version=default_version, clusters=["pegase"])
    other = data.query("kpis_by_cluster", version=default_version, clusters=["astech"])
    again = data.query("kpis_by_cluster", version=default_version, clusters=["pegase"])
    assert one["cluster_id"].tolist() == again["cluster_id"].tolist() == ["pegase"]
    assert other["cluster_id"].tolist() == ["astech"]
    many = [f"c{i}" for i in range(5000)] + ["pegase"]
    assert data.query("kpis_by_cluster", version=default_version,
                      clusters=many)["cluster_id"].tolist() == ["pegase"]


def test_provenance_lists_cited_sources_then_the_tables_snapshots():
    import datetime as dt

    from envol.kpis import provenance

    sources = pd.DataFrame({
        "source_id": [f"EU-{i}" for i in range(3000)] + ["S1"],
        "title": ["Rapport"] * 3000 + ["Pégase"], "outlet": [None] * 3000 + ["Les Echos"],
        "author": [None] * 3001, "published_on": [dt.date(2025, 1, 1)] * 3000
        + [dt.date(2011, 1, 15)], "date_is_approximate": [False] * 3000 + [True]})
    snapshots = pd.DataFrame({
        "table_name": ["members", "targets"], "snapshot_id": [4, 7],
        "snapshot_time": [dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.UTC)] * 2,
        "author": ["Envol", "ana"], "file_name": ["m.csv", "t.csv"]})
    lines = provenance(["S1", "nowhere"], ("targets",), sources, snapshots, "en").split("\n")
    assert len(lines) == 3
    assert "Pégase" in lines[0] and "Les Echos" in lines[0] and "S1" in lines[0]
    assert lines[1] == "- nowhere"
    assert "targets" in lines[2] and "t\\.csv" in lines[2] and "m\\.csv" not in lines[2]
