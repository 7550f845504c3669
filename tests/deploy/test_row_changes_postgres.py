"""`row_changes_by_table` reads DuckLake's own catalog tables (`ducklake_table`): on a PostgreSQL
catalog too, it answers as the old text comparison (tests/unit/row_changes_oracle.sql)."""

from __future__ import annotations

import uuid

import pandas as pd

from envol import store
from envol.queries import run_query
from tests.unit.test_queries import MEMBERS
from tests.unit.test_row_changes import ORACLE, commit


def test_row_changes_on_a_postgres_catalog_match_the_oracle(postgres, tmp_path):
    catalog = postgres.create_database("lake_" + uuid.uuid4().hex[:12])
    con = store.open_lake(store.LakeConfig(catalog, tmp_path / "files",
                                           password=postgres.password))
    try:
        seeded = store.current_version(con)
        changed = [dict(m) for m in MEMBERS]
        changed[0]["name"] = "Un bis"
        now = commit(con, "members", changed)
        for previous in (1, seeded, now):
            new = run_query(con, "row_changes_by_table", previous=previous, version=now)
            with con.cursor() as cur:
                old = cur.execute(ORACLE, {"previous": previous, "version": now}).df()
            pd.testing.assert_frame_equal(new, old)
        rows = run_query(con, "row_changes_by_table", previous=seeded, version=now)
        members = rows.set_index("table_name").loc["members"].astype(int).to_dict()
        assert members == dict(rows_before=len(store_rows(con, seeded)), rows_now=len(MEMBERS),
                               rows_added=len(MEMBERS), rows_removed=len(store_rows(con, seeded)))
    finally:
        con.close()


def store_rows(con, version: int) -> pd.DataFrame:
    with con.cursor() as cur:
        return cur.execute("FROM lake.members AT (VERSION => $v)", {"v": version}).df()
