"""SQL-shaped values from the URL and from uploads stay data (issue 10 point 4): they are bound
parameters or mapped to known identifiers, never SQL text; the lake is intact afterwards."""

from __future__ import annotations

import pandas as pd

from envol import ingest, links, store
from envol.access import LOCAL
from envol.queries import run_query
from tests.conftest import make_lake
from tests.hostile import csv_text
from tests.unit.test_ingest import LIMITS, lake_hash
from tests.unit.test_queries import ALL

SQL = "'; DROP TABLE members; --"
SQL2 = '"; DELETE FROM lake.members; SELECT "'


def test_url_values_are_matched_to_known_clusters_never_run(tmp_path):
    snapshots = pd.DataFrame({"snapshot_id": [3], "snapshot_time": [pd.Timestamp("2026-11-24")]})
    p = links.parse({"clusters": [SQL, "pegase"], "snapshot": [f"3{SQL}"], "as_of": [SQL],
                     "lang": [SQL2]}, clusters={"pegase": "Pégase", "astech": "ASTech"},
                    snapshots=snapshots)
    assert p.updates == {"clusters": ["pegase"]}
    assert [(i.param, i.value) for i in p.ignored] == [
        ("lang", SQL2), ("clusters", SQL), ("snapshot", f"3{SQL}"), ("as_of", SQL)]
    notice = links.describe_ignored(p.ignored, "fr")
    assert f"`clusters={SQL}`" in notice  # shown as inline code, verbatim


def test_sql_shaped_cluster_filters_are_bound_parameters(tmp_path):
    con = make_lake(tmp_path, ALL)
    try:
        v = store.current_version(con)
        before = store.read_table(con, "members", v).num_rows
        for name in ("kpis_by_cluster", "comptoirs_by_country", "vie_postings_by_country",
                     "comptoir_funnel_by_comptoir"):
            assert run_query(con, name, version=v, clusters=[SQL, SQL2]).empty, name
        assert len(run_query(con, "kpis_by_cluster", version=v, clusters=["c1", SQL])) == 1
        assert store.read_table(con, "members", store.current_version(con)).num_rows == before
    finally:
        con.close()


def test_sql_shaped_cells_are_stored_verbatim(tmp_path):
    con = make_lake(tmp_path, ALL)
    try:
        data = csv_text(["comptoir_id", "cluster_id", "country_iso3", "city", "status",
                         "local_principals", "source_id"],
                        [[SQL, "c1", "MAR", SQL, "opening", SQL2, "A1"]])
        checked = ingest.check(con, data, ingest.sniff(data, table="comptoirs",
                                                       limits=LIMITS).dialect,
                               mode="append", limits=LIMITS)
        assert checked.ok, checked.problems
        v = ingest.commit(con, checked, author=SQL, note=SQL2, file_name=f"{SQL}.csv",
                          scope=LOCAL)
        rows = {r["comptoir_id"]: r for r in store.read_table(con, "comptoirs", v).to_pylist()}
        assert (rows[SQL]["city"], rows[SQL]["local_principals"]) == (SQL, SQL2)
        assert store.read_table(con, "members", v).num_rows == len(ALL["members"])
        last = run_query(con, "snapshots_by_time", version=v).iloc[0]
        assert (last["author"], last["file_name"]) == (SQL, f"{SQL}.csv")
    finally:
        con.close()


def test_sql_shaped_headers_never_reach_sql(tmp_path):
    con = make_lake(tmp_path, ALL)
    try:
        before = lake_hash(tmp_path)
        data = csv_text(["comptoir_id", "cluster_id", "country_iso3", "city", "status",
                         "source_id", SQL, SQL2],
                        [["k9", "c1", "MAR", "Rabat", "opening", "A1", "x", "y"]])
        dialect = ingest.sniff(data, table="comptoirs", limits=LIMITS).dialect
        assert list(dialect.headers[-2:]) == [SQL, SQL2]
        assert list(dialect.mapping[-2:]) == [ingest.UNKNOWN, ingest.UNKNOWN]
        checked = ingest.check(con, data, dialect, mode="append", limits=LIMITS)
        assert not checked.ok
        assert {p.column for p in checked.problems} >= {SQL, SQL2}
        assert lake_hash(tmp_path) == before  # refused cleanly: nothing written
    finally:
        con.close()


def test_upload_file_names_are_metadata_only():
    assert ingest.clean_file_name("../../etc/passwd.csv") == "passwd.csv"
    assert ingest.clean_file_name("..\\..\\boot.ini") == "boot.ini"
    assert ingest.clean_file_name("/abs/x\x00y.csv") == "xy.csv"
    assert ingest.clean_file_name("a" * 500 + ".csv") == "a" * 200
    assert ingest.clean_file_name(f"{SQL}.csv") == f"{SQL}.csv"  # stored as text, see above
