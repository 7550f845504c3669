"""The benchmark's pandas baselines of the maps, funnels and board queries: the same rows as the
SQL (bench.baselines.same_rows, what `make bench` checks before timing) on the default data, a
small generated scale and a literal-row lake full of inconsistent funnels; exact values there."""

from __future__ import annotations

import inspect

import pandas as pd
import pytest

from bench.baselines import BASELINES, Tutorial, same_rows
from envol import scale, store
from envol.queries import parameters, run_query
from tests.conftest import make_lake
from tests.unit.test_funnel_queries import ALL as INCONSISTENT

NEW = ["comptoir_members_by_stage", "comptoir_funnel_by_comptoir", "comptoir_funnel_by_stage",
       "funnel_problems_by_row", "portage_funnel_by_stage", "portage_reviews_by_days"]
BY_CLUSTERS = ["comptoir_funnel_by_comptoir", "comptoir_funnel_by_stage",
               "funnel_problems_by_row"]
# 7 clusters, 3 of them with 5 comptoirs each, 2 monthly snapshots of 3,000 members.
GENERATED = scale.Scale(clusters=7, members=3000, comptoirs=15, vie_postings=50, months=2)


class Lake:
    """A lake's connection at its newest snapshot and the tutorial's Parquet files of it."""

    def __init__(self, con, folder):
        self.con = con
        self.version = store.current_version(con)
        self.tutorial = Tutorial(con, self.version, folder)
        self.clusters = list(run_query(con, "clusters_by_name",
                                       version=self.version)["cluster_id"])
        comptoirs = run_query(con, "comptoirs_by_country", version=self.version,
                              clusters=self.clusters)
        self.comptoirs = list(comptoirs["comptoir_id"])
        self.comptoir_clusters = list(comptoirs["cluster_id"].drop_duplicates())

    def both(self, name: str, **params) -> tuple[pd.DataFrame, pd.DataFrame]:
        params["version"] = self.version
        return run_query(self.con, name, **params), BASELINES[name](self.tutorial, **params)

    def selections(self) -> dict[str, list[str]]:
        return {"all": self.clusters, "first": self.clusters[:1],
                "last two": self.clusters[-2:], "none": [], "unknown": ["nope"],
                "with comptoirs": self.comptoir_clusters[:2]}


@pytest.fixture(scope="module")
def default(default_lake, tmp_path_factory) -> Lake:
    return Lake(default_lake, tmp_path_factory.mktemp("tutorial-default"))


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Lake:
    path = tmp_path_factory.mktemp("generated")
    scale.build_lake(path, GENERATED)
    con = store.open_lake(store.LakeConfig(str(path / "envol.ducklake"), path / "files"),
                          seed_dir=None)
    yield Lake(con, path / "tutorial")
    con.close()


@pytest.fixture(scope="module")
def inconsistent(tmp_path_factory) -> Lake:
    path = tmp_path_factory.mktemp("inconsistent")
    con = make_lake(path, INCONSISTENT)
    yield Lake(con, path / "tutorial")
    con.close()


def test_each_baseline_takes_its_querys_parameters():
    for name in NEW:
        taken = set(inspect.signature(BASELINES[name]).parameters) - {"t"}
        assert taken == parameters(name), name


@pytest.mark.parametrize("which", ["default", "generated", "inconsistent"])
@pytest.mark.parametrize("name", BY_CLUSTERS)
def test_same_rows_as_the_sql_per_cluster_selection(request, which, name):
    lake: Lake = request.getfixturevalue(which)
    sizes = {}
    for label, clusters in lake.selections().items():
        sql, pandas = lake.both(name, clusters=clusters)
        assert same_rows(sql, pandas) == "same rows", (which, name, label)
        # member rows follow the selection (the problems' survey and portage rows do not)
        sizes[label] = len(sql) if "funnel" not in sql else int((sql["funnel"] == "comptoir").sum())
    assert sizes["none"] == sizes["unknown"] == 0
    if name != "funnel_problems_by_row" or which != "default":  # the default data is clean
        assert sizes["all"] > 0 and sizes["with comptoirs"] > 0


@pytest.mark.parametrize("which", ["default", "generated", "inconsistent"])
def test_members_of_each_comptoir_same_rows_as_the_sql(request, which):
    lake: Lake = request.getfixturevalue(which)
    assert lake.comptoirs
    total = 0
    for comptoir_id in [*lake.comptoirs, "kX", "nope"]:
        sql, pandas = lake.both("comptoir_members_by_stage", comptoir_id=comptoir_id)
        assert same_rows(sql, pandas) == "same rows", (which, comptoir_id)
        total += len(sql)
    assert total > 0


@pytest.mark.parametrize("which", ["default", "generated", "inconsistent"])
@pytest.mark.parametrize("name", ["portage_funnel_by_stage", "portage_reviews_by_days"])
def test_portage_same_rows_as_the_sql(request, which, name):
    lake: Lake = request.getfixturevalue(which)
    sql, pandas = lake.both(name)
    assert len(sql) > 0
    assert same_rows(sql, pandas) == "same rows"


def test_the_generated_lake_has_what_the_comparisons_need(generated):
    """The generated scale exercises the baselines: several comptoir clusters, problems."""
    sql, _ = generated.both("funnel_problems_by_row", clusters=generated.clusters)
    assert len(sql) > 0
    sql, _ = generated.both("comptoir_funnel_by_comptoir", clusters=generated.clusters)
    assert sql["cluster_id"].nunique() == 3 and len(sql) == 15


# --- exact values of the pandas versions on the literal rows (tests/unit/test_funnel_queries)
def plain(df: pd.DataFrame, columns: list[str]) -> list[dict]:
    return df[columns].astype(object).where(df[columns].notna(), None).to_dict("records")


def test_pandas_comptoir_funnel_by_stage_exact(inconsistent):
    df = BASELINES["comptoir_funnel_by_stage"](inconsistent.tutorial, version=0,
                                               clusters=["c1", "c2"])
    assert df["cluster_id"].tolist() == ["c2"] * 5 + ["c1"] * 5  # Deux before Un
    assert df["stage_order"].tolist() == [0, 1, 2, 3, 4] * 2
    assert df["firms"].tolist() == [2, 2, 1, 1, 0, 4, 5, 4, 3, 1]
    assert df["sources"].tolist()[4:6] == [[], ["A", "B"]]


def test_pandas_comptoir_funnel_by_comptoir_exact(inconsistent):
    df = BASELINES["comptoir_funnel_by_comptoir"](inconsistent.tutorial, version=0,
                                                  clusters=["c1", "c2"])
    assert plain(df, ["comptoir_id", "cluster_name", "candidate", "selected", "hosted",
                      "exporting", "min_members", "sources"]) == [
        dict(comptoir_id="k2", cluster_name="Deux", candidate=0, selected=0, hosted=0,
             exporting=0, min_members=None, sources=["B"]),
        dict(comptoir_id="k1", cluster_name="Un", candidate=5, selected=3, hosted=3,
             exporting=1, min_members=4, sources=["A", "B"])]


def test_pandas_comptoir_members_by_stage_exact(inconsistent):
    df = BASELINES["comptoir_members_by_stage"](inconsistent.tutorial, version=0,
                                                comptoir_id="k1")
    # exporting, hosted (M1, M4 by name), candidate (M2, M8), then no stage (M6).
    assert df["member_id"].tolist() == ["m3", "m1", "m4", "m2", "m8", "m6"]
    assert df["illustrative"].tolist() == [False] * 6


def test_pandas_funnel_problems_by_row_exact(inconsistent):
    df = BASELINES["funnel_problems_by_row"](inconsistent.tutorial, version=0,
                                             clusters=["c2"])
    assert plain(df, ["funnel", "problem", "group_id", "row_id", "stage", "value", "n", "base",
                      "cluster_id"])[:3] == [
        dict(funnel="comptoir", problem="comptoir_of_other_cluster", group_id="c2", row_id="m8",
             stage="candidate", value="k1", n=None, base=None, cluster_id="c2"),
        dict(funnel="comptoir", problem="unknown_comptoir", group_id="c2", row_id="m7",
             stage="hosted", value="kX", n=None, base=None, cluster_id="c2"),
        dict(funnel="portage", problem="review_before_reviewed", group_id="2009", row_id="p1",
             stage="requested", value=None, n=10, base=None, cluster_id=None)]
    assert df["problem"].tolist()[3:] == ["answers_over_base"] * 3 + ["base_differs"] * 2 + [
        "respondents_over_base"]
    assert df["n"].tolist()[3:] == [45, 45, 50, 5, 5, 50]
    assert df["base"].tolist()[3:] == [40, 40, 40, 10, 12, 40]


def test_pandas_portage_exact(inconsistent):
    funnel = BASELINES["portage_funnel_by_stage"](inconsistent.tutorial, version=0)
    assert funnel["year"].tolist() == [2009] * 5 + [2010] * 5
    assert funnel["requests"].tolist() == [4, 3, 2, 2, 1, 1, 1, 1, 0, 0]
    assert funnel["sources"].tolist()[:5] == [["A", "B"], ["A", "B"], ["A", "B"], ["A", "B"],
                                              ["A"]]
    reviews = BASELINES["portage_reviews_by_days"](inconsistent.tutorial, version=0)
    assert plain(reviews, ["year", "review_days", "requests", "sources"]) == [
        dict(year=2009, review_days=10, requests=1, sources=["A"]),
        dict(year=2009, review_days=20, requests=2, sources=["A", "B"]),
        dict(year=2010, review_days=45, requests=1, sources=["B"])]
