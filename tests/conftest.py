"""Shared fixtures: lakes built from literal rows (test data is code) and the default lake."""

from __future__ import annotations

import os
from pathlib import Path

import pyarrow as pa
import pytest

from envol import store
from envol.schema import LOAD_ORDER, TABLES

ROOT = Path(__file__).resolve().parent.parent


def rows_table(name: str, rows: list[dict]) -> pa.Table:
    """Literal rows → an Arrow table with the contract's columns (missing ones empty)."""
    cols = TABLES[name].column_names
    return pa.Table.from_pylist([{c: r.get(c) for c in cols} for r in rows],
                                schema=TABLES[name].arrow_schema())


def make_lake(directory: Path, tables: dict[str, list[dict]], author: str = "test"):
    """A fresh lake with one commit per given table, in load order."""
    con = store.open_lake(store.LakeConfig(str(directory / "cat.ducklake"), directory / "files"),
                          seed_dir=None)
    for name in LOAD_ORDER:
        if name in tables:
            store.commit_table(con, name, rows_table(name, tables[name]), mode="replace",
                               author=author, note=f"fixture {name}", file_name=f"{name}.csv",
                               sha256="0" * 64)
    return con


@pytest.fixture(scope="session")
def default_lake_dir(tmp_path_factory) -> Path:
    """The lake every in-process app test uses: the default dataset, in a temp folder."""
    path = tmp_path_factory.mktemp("lake")
    os.environ["ENVOL_LAKE_DIR"] = str(path)
    return path


@pytest.fixture(scope="session")
def default_lake(default_lake_dir):
    """The app's own connection (one per process, as in `streamlit run`), on the temp lake."""
    from envol import data

    return data.lake()


@pytest.fixture(scope="session")
def default_version(default_lake) -> int:
    return store.current_version(default_lake)
