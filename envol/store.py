"""The snapshot store: a DuckLake (Parquet data files plus a catalog database).

Every commit is a numbered DuckLake snapshot; the snapshot id is the version every read pins
(`FROM lake.<table> AT (VERSION => $version)`) and every cache keys on. Commits write their data
files first and the catalog last, atomically; old files are never deleted or overwritten (nothing
in Envol expires snapshots). Each commit carries its metadata: author, message (`replace|append:
note`) and extra info (table, file name, sha256, rows, mode).

The default catalog is a DuckDB file under `data/lake/` (git-ignored), created on first start
from the committed default dataset (`data/default/*.parquet`), one commit per table.
"""

from __future__ import annotations

import hashlib
import importlib.resources
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from envol.schema import LOAD_ORDER, TABLES

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = ROOT / "data" / "default"
LAKE = "lake"  # the catalog's alias in every query
DEFAULT_AUTHOR = "Envol"
DEFAULT_NOTE = "jeu de données par défaut (illustratif, d'après les sources S1–S5)"

_commit_lock = threading.Lock()  # one writer at a time inside this process


@dataclass(frozen=True)
class LakeConfig:
    catalog: str  # DuckLake catalog: a DuckDB file path (or `postgres:...` connection string)
    data_path: Path  # where the Parquet data files live

    @classmethod
    def from_env(cls) -> LakeConfig:
        """`ENVOL_LAKE_DIR` (default `data/lake`) holds the catalog file and the data files."""
        lake_dir = Path(os.environ.get("ENVOL_LAKE_DIR", ROOT / "data" / "lake"))
        return cls(catalog=str(lake_dir / "envol.ducklake"), data_path=lake_dir / "files")


def _extension(package: str, name: str) -> str:
    """Path of the official signed extension binary shipped in its PyPI package."""
    path = importlib.resources.files(package) / "extensions" / f"v{duckdb.__version__}"
    return str(path / f"{name}.duckdb_extension")


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def connect(*, encodings: bool = False) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the packaged DuckLake extension loaded (signatures checked).

    The encodings extension (DuckDB's `read_csv(encoding='CP1252')`) is a 350 MB binary that
    adds ~335 MB to the process's resident memory as soon as it is loaded, so the app's read
    connection goes without it: pass `encodings=True`, or call `load_encodings(con)`, where a
    non-UTF-8 file must be read by DuckDB itself (Python's codecs decode cp1252 as fast).
    """
    con = duckdb.connect(config={
        "allow_unsigned_extensions": False,
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
    })
    con.execute("SET enable_progress_bar = false")
    con.execute(f"LOAD {_quote(_extension('duckdb_extension_ducklake', 'ducklake'))}")
    if encodings:
        load_encodings(con)
    return con


def load_encodings(con: duckdb.DuckDBPyConnection) -> None:
    """Load the packaged encodings extension into `con` (idempotent; ~335 MB of memory)."""
    con.execute(f"LOAD {_quote(_extension('duckdb_extension_encodings', 'encodings'))}")


def open_lake(config: LakeConfig | None = None, *, seed_dir: Path | None = DEFAULT_DATA_DIR
              ) -> duckdb.DuckDBPyConnection:
    """Attach the lake as `lake`, create missing tables/columns, seed an empty lake."""
    config = config or LakeConfig.from_env()
    if not config.catalog.startswith("postgres:"):
        Path(config.catalog).parent.mkdir(parents=True, exist_ok=True)
    config.data_path.mkdir(parents=True, exist_ok=True)
    con = connect()
    con.execute(
        f"ATTACH {_quote('ducklake:' + config.catalog)} AS {LAKE} "
        f"(DATA_PATH {_quote(str(config.data_path) + os.sep)})"
    )
    created = _ensure_schema(con)
    if seed_dir is not None and created == set(TABLES):
        seed(con, seed_dir)
    return con


def _ensure_schema(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Create the contract's tables (and add new contract columns) in one commit."""
    existing: dict[str, set[str]] = {}
    for table, column in con.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_catalog = $lake", {"lake": LAKE}
    ).fetchall():
        existing.setdefault(table, set()).add(column)
    created: set[str] = set()
    statements = []
    for name in LOAD_ORDER:
        table = TABLES[name]
        if name not in existing:
            statements.append(table.create_sql(f"{LAKE}.{name}"))
            created.add(name)
            continue
        for col in table.columns:
            if col.name not in existing[name]:
                statements.append(
                    f'ALTER TABLE {LAKE}.{name} ADD COLUMN "{col.name}" {col.duckdb_type}')
    if statements:
        with con.cursor() as cur:
            cur.execute("BEGIN")
            for sql in statements:
                cur.execute(sql)
            cur.execute(f"CALL {LAKE}.set_commit_message($a, $m, extra_info => $e)", {
                "a": DEFAULT_AUTHOR, "m": "schema: tables du contrat de données",
                "e": json.dumps({"tables": sorted(created), "mode": "schema"})})
            cur.execute("COMMIT")
    return created


def seed(con: duckdb.DuckDBPyConnection, directory: Path) -> None:
    """Commit the default dataset: the first snapshot of every table."""
    for name in LOAD_ORDER:
        path = directory / f"{name}.parquet"
        rows = pq.read_table(path)
        commit_table(con, name, rows, mode="replace", author=DEFAULT_AUTHOR, note=DEFAULT_NOTE,
                     file_name=f"data/default/{path.name}",
                     sha256=hashlib.sha256(path.read_bytes()).hexdigest())


def commit_table(con: duckdb.DuckDBPyConnection, name: str, rows: pa.Table, *, mode: str,
                 author: str, note: str, file_name: str, sha256: str) -> int:
    """Replace or append a table's rows as one DuckLake commit; returns the new snapshot id.

    `rows` must already be validated and in canonical types. The new rows are held in Arrow
    before the old ones are deleted (see TECH_NOTES: deleting then re-reading inside one
    transaction loses rows), and everything happens in one transaction: readers see the old
    snapshot or the new one, never a mix.
    """
    if mode not in ("replace", "append"):
        raise ValueError(f"mode must be 'replace' or 'append', not {mode!r}")
    table = TABLES[name]
    rows = rows.select(table.column_names).cast(table.arrow_schema())
    columns = ", ".join(f'"{c}"' for c in table.column_names)
    extra = {"table": name, "mode": mode, "file": file_name, "sha256": sha256,
             "rows": rows.num_rows}
    with _commit_lock, con.cursor() as cur:
        cur.register("incoming_rows", rows)
        cur.execute("BEGIN")
        try:
            # `name` and `columns` come from the contract (TABLES), never from a user.
            if mode == "replace":
                cur.execute(f"DELETE FROM {LAKE}.{table.name}")  # noqa: S608
            cur.execute(f"INSERT INTO {LAKE}.{table.name} ({columns}) "  # noqa: S608
                        f"SELECT {columns} FROM incoming_rows")
            cur.execute(f"CALL {LAKE}.set_commit_message($a, $m, extra_info => $e)", {
                "a": author, "m": f"{mode}: {note}".strip(), "e": json.dumps(extra)})
            cur.execute("COMMIT")
        except Exception:
            cur.execute("ROLLBACK")
            raise
        finally:
            cur.unregister("incoming_rows")
        return cur.execute("SELECT id FROM lake.current_snapshot()").fetchone()[0]


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    """The newest snapshot id: cheap, checked on every rerun."""
    with con.cursor() as cur:
        return cur.execute("SELECT id FROM lake.current_snapshot()").fetchone()[0]
