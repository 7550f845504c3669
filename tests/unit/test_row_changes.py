"""`row_changes_by_table` (the board pack's "what changed" table) on tiny lakes: exact values, and
the same answers as the query it replaced, kept here as the oracle (it is the spec)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from envol import store
from envol.queries import run_query
from tests.conftest import make_lake, rows_table
from tests.unit.test_queries import ALL, CLUSTERS, MEMBERS, VIE

TABLES = ("sources", "clusters", "members", "comptoirs", "vie_postings", "survey_results",
          "sponsorships", "targets")

# The query as it was before its redesign, verbatim (each table's rows compared by their text,
# both ways): the spec the new one must answer alike.
ORACLE = (Path(__file__).parent / "row_changes_oracle.sql").read_text(encoding="utf-8")


def oracle(con, previous: int, version: int) -> pd.DataFrame:
    with con.cursor() as cur:
        return cur.execute(ORACLE, {"previous": previous, "version": version}).df()


def changes(con, previous: int, version: int) -> dict[str, tuple[int, int, int, int]]:
    """The new query's rows, checked equal to the oracle's (values, order and dtypes)."""
    new = run_query(con, "row_changes_by_table", previous=previous, version=version)
    old = oracle(con, previous, version)
    pd.testing.assert_frame_equal(new, old)
    return {r.table_name: (r.rows_before, r.rows_now, r.rows_added, r.rows_removed)
            for r in new.itertuples(index=False)}


def commit(con, table: str, rows: list[dict], mode: str = "replace") -> int:
    return store.commit_table(con, table, rows_table(table, rows), mode=mode, author="t",
                              note=table, file_name=f"{table}.csv", sha256="1" * 64)


def member(i: int, **changes) -> dict:
    return {**dict(member_id=f"m{i}", cluster_id="c1", name=f"Membre {i}", size_class="sme",
                   headcount=i, revenue_eur=1000.0 * i, source_id="A1"), **changes}


@pytest.fixture(scope="module")
def lake(tmp_path_factory):
    """The tiny lake, then one commit per case; `v` names the snapshot after each."""
    con = make_lake(tmp_path_factory.mktemp("rowchanges"), ALL)
    v = {"start": store.current_version(con)}
    changed = [dict(m) for m in MEMBERS]
    changed[2]["size_class"] = "sme"  # m3 changed
    del changed[1]  # m2 removed
    changed.append(dict(member_id="m5", cluster_id="c1", name="Cinq", size_class="micro",
                        source_id="A1"))  # m5 added
    v["members"] = commit(con, "members", changed)
    v["duplicate"] = commit(con, "members", changed + [changed[0]])  # m1 twice
    nulls = [dict(m) for m in changed]
    nulls[0]["comptoir_id"] = None  # a value becomes NULL
    nulls[0]["comptoir_stage"] = None
    nulls[1]["headcount"] = 12  # a NULL becomes a value
    v["nulls"] = commit(con, "members", nulls)
    v["same_clusters"] = commit(con, "clusters", CLUSTERS)  # re-committed, rows identical
    v["append"] = commit(con, "vie_postings", [dict(VIE[0])], mode="append")  # v1 now twice
    v["many"] = commit(con, "members", [member(i) for i in range(300)])
    v["many_edit"] = commit(con, "members", [member(i, headcount=i + 1) if i in (7, 250) else
                                             member(i) for i in range(300) if i != 100])
    con.execute("DROP TABLE lake.survey_results")
    v["dropped"] = store.current_version(con)
    store._ensure_schema(con)  # the contract's missing table comes back, empty, with a new id
    v["recreated"] = commit(con, "survey_results", ALL["survey_results"][:1])
    con.execute("ALTER TABLE lake.targets ADD COLUMN note VARCHAR")
    v["altered"] = store.current_version(con)
    yield con, v
    con.close()


def test_a_row_changed_removed_and_added_the_other_tables_unchanged(lake):
    con, v = lake
    rows = changes(con, v["start"], v["members"])
    # m3 changed (once each way), m2 removed, m5 added.
    assert rows["members"] == (4, 4, 2, 2)
    assert rows["clusters"] == (2, 2, 0, 0)
    assert rows["sources"] == (2, 2, 0, 0)
    assert list(rows) == list(TABLES)


def test_a_duplicated_row_counts_once_as_added(lake):
    con, v = lake
    assert changes(con, v["members"], v["duplicate"])["members"] == (4, 5, 1, 0)
    assert changes(con, v["duplicate"], v["members"])["members"] == (5, 4, 0, 1)


def test_nulls_compare_as_values(lake):
    con, v = lake
    # m1 loses its comptoir (two values become NULL), m3's NULL headcount becomes 12; the
    # duplicate m1 goes away.
    assert changes(con, v["duplicate"], v["nulls"])["members"] == (5, 4, 2, 3)


def test_a_table_recommitted_with_the_same_rows_shows_no_change(lake):
    con, v = lake
    rows = changes(con, v["nulls"], v["same_clusters"])
    assert rows["clusters"] == (2, 2, 0, 0)
    assert rows["members"] == (4, 4, 0, 0)


def test_an_appended_row_identical_to_an_old_one_is_added(lake):
    con, v = lake
    assert changes(con, v["same_clusters"], v["append"])["vie_postings"] == (
        len(VIE), len(VIE) + 1, 1, 0)


def test_data_files_rather_than_inlined_rows(lake):
    con, v = lake
    rows = changes(con, v["many"], v["many_edit"])
    assert rows["members"] == (300, 299, 2, 3)  # m7 and m250 changed, m100 removed


def test_versions_equal_and_reversed(lake):
    con, v = lake
    same = changes(con, v["many"], v["many"])
    assert all(a == r == 0 and b == n for b, n, a, r in same.values())
    forward = changes(con, v["start"], v["many_edit"])
    backward = changes(con, v["many_edit"], v["start"])
    for t in TABLES:
        b, n, a, r = forward[t]
        assert backward[t] == (n, b, r, a)
    assert forward["members"] == (4, 299, 299, 4)


def test_a_table_dropped_and_recreated_between_the_versions(lake):
    con, v = lake
    rows = changes(con, v["many_edit"], v["recreated"])
    assert rows["survey_results"] == (len(ALL["survey_results"]), 1, 0,
                                      len(ALL["survey_results"]) - 1)


def test_a_table_that_did_not_exist_at_previous_fails_as_the_oracle_did(lake):
    con, v = lake
    for previous, version in ((0, v["start"]), (v["dropped"], v["recreated"])):
        with pytest.raises(duckdb.CatalogException, match="does not exist at version"):
            oracle(con, previous, version)
        with pytest.raises(duckdb.CatalogException, match="does not exist at version"):
            run_query(con, "row_changes_by_table", previous=previous, version=version)


def test_a_new_column_changes_every_row_as_in_the_oracle(lake):
    con, v = lake
    n = len(ALL["targets"])
    assert changes(con, v["recreated"], v["altered"])["targets"] == (n, n, n, n)


# Random members tables, committed one after another, compared both ways with the oracle: small
# alphabets so that rows repeat, collide on some columns and carry NULLs.
_member = st.fixed_dictionaries({
    "member_id": st.sampled_from(["m1", "m2", "m3"]),
    "cluster_id": st.sampled_from(["c1", "c2"]),
    "name": st.sampled_from(["Un", "Deux", None, "Société d’études"]),
    "headcount": st.sampled_from([None, 0, 1, 250]),
    "revenue_eur": st.sampled_from([None, 0.0, 0.5, 1e6]),
    "illustrative": st.sampled_from([None, True, False]),
})


@pytest.fixture(scope="module")
def random_lake(tmp_path_factory):
    con = make_lake(tmp_path_factory.mktemp("rowchanges-random"), {"sources": ALL["sources"]})
    yield con
    con.close()


@settings(max_examples=6, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=st.lists(_member, max_size=8), now=st.lists(_member, max_size=8))
def test_random_tables_match_the_oracle(random_lake, before, now):
    con = random_lake
    a = commit(con, "members", before)
    b = commit(con, "members", now)
    assert changes(con, a, b)["members"][:2] == (len(before), len(now))
    changes(con, b, a)


def test_a_zero_turned_negative_counts_as_a_change_as_in_the_oracle(tmp_path):
    """The rows are compared by their text, as the oracle did: -0.0 is not 0.0 there (DuckDB's
    hash() would call them equal)."""
    con = make_lake(tmp_path, ALL)
    before = commit(con, "members", [member(1, revenue_eur=0.0), member(2)])
    after = commit(con, "members", [member(1, revenue_eur=-0.0), member(2)])
    assert changes(con, before, after)["members"] == (2, 2, 1, 1)
    con.close()
