"""The committed default dataset is exactly what the deterministic generator produces."""

from __future__ import annotations

import pyarrow.parquet as pq

from envol import generate
from envol.schema import TABLES


def test_regenerated_data_equals_the_committed_files(tmp_path):
    generate.write(tmp_path)
    for name in TABLES:
        fresh = pq.read_table(tmp_path / f"{name}.parquet")
        committed = pq.read_table(generate.DEFAULT_DIR / f"{name}.parquet")
        assert fresh.schema.equals(committed.schema), name
        assert fresh.to_pylist() == committed.to_pylist(), name


def test_generator_is_deterministic():
    assert generate.build() == generate.build()


def test_every_table_matches_the_contract_columns():
    for name, rows in generate.build().items():
        assert rows, name
        assert all(list(r) == TABLES[name].column_names for r in rows), name
