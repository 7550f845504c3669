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
