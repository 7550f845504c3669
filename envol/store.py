"""The snapshot store: a DuckLake (Parquet data files plus a catalog database).

Every commit is a numbered DuckLake snapshot; the snapshot id is the version every read pins
(`FROM lake.<table> AT (VERSION => $version)`) and every cache keys on. Commits write their data
files first and the catalog last, atomically (rows given in Arrow are INSERTed; an upload's
checked rows, already one Parquet file, are copied into the table's folder and registered);
old files are never deleted or overwritten (nothing in Envol expires snapshots). Each commit
carries its metadata: author, message (`replace|append: note`) and extra info (table, file
name, sha256, rows, mode).

The default catalog is a DuckDB file under `data/lake/` (git-ignored), created on first start
from the committed default dataset (`data/default/*.parquet`), one commit per table. For several
app processes or servers, `ENVOL_CATALOG` names a PostgreSQL catalog instead and
`ENVOL_DATA_PATH` a folder they all share (README, "Deploy"); the password never sits in a
connection string (it goes into a DuckDB secret), so it cannot leak through an error message.
"""

from __future__ import annotations

import hashlib
import importlib.resources
import json
import os
import re
import shutil
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from envol.access import Forbidden, Scope
from envol.schema import LOAD_ORDER, TABLES

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = ROOT / "data" / "default"
LAKE = "lake"  # the catalog's alias in every query
DEFAULT_AUTHOR = "Envol"
DEFAULT_NOTE = "jeu de données par défaut (illustratif, d'après les sources S1–S5)"

_commit_lock = threading.Lock()  # one writer at a time inside this process


POSTGRES = "postgres:"


class CatalogRefused(ValueError):
    """The configured catalog is one Envol does not run on (SQLite, an unknown scheme)."""


@dataclass(frozen=True)
class LakeConfig:
    catalog: str  # DuckLake catalog: a DuckDB file path, or `postgres:<libpq string>`
    data_path: Path  # where the Parquet data files live
    password: str | None = field(default=None, repr=False, compare=False)  # PostgreSQL only

    @property
    def is_postgres(self) -> bool:
        return self.catalog.startswith(POSTGRES)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> LakeConfig:
        """The lake from the environment.

        `ENVOL_CATALOG`: a DuckDB catalog file (default `<ENVOL_LAKE_DIR>/envol.ducklake`) or
        `postgres:dbname=… host=… user=…` (libpq key=value; password from
        `ENVOL_CATALOG_PASSWORD`, else libpq's own PGPASSWORD / ~/.pgpass).
        `ENVOL_DATA_PATH`: the Parquet files' folder (default `<ENVOL_LAKE_DIR>/files`); with a
        PostgreSQL catalog and several servers, a folder every server mounts at the same path.
        `ENVOL_LAKE_DIR` (default `data/lake`) is the base of both defaults.
        """
        env = os.environ if env is None else env
        lake_dir = Path(env.get("ENVOL_LAKE_DIR") or ROOT / "data" / "lake")
        catalog = (env.get("ENVOL_CATALOG") or "").strip() or str(lake_dir / "envol.ducklake")
        data_path = Path(env.get("ENVOL_DATA_PATH") or lake_dir / "files")
        _refuse_unsupported(catalog)
        return cls(catalog=catalog, data_path=data_path,
                   password=env.get("ENVOL_CATALOG_PASSWORD") or None)


def _refuse_unsupported(catalog: str) -> None:
    lowered = catalog.lower()
    if lowered.startswith("sqlite:") or lowered.endswith((".sqlite", ".sqlite3")):
        raise CatalogRefused(
            "ENVOL_CATALOG: a SQLite catalog is not supported (it fails with 'database is "
            "locked' as soon as several sessions read and commit; see TECH_NOTES). Use a DuckDB "
            "catalog file for one app process, or postgres:dbname=… host=… user=… for several.")
    scheme = re.match(r"^([a-z][a-z0-9+.-]+):", lowered)
    if scheme and len(scheme.group(1)) > 1 and scheme.group(1) != POSTGRES[:-1]:
        raise CatalogRefused(
            f"ENVOL_CATALOG: unknown catalog kind {scheme.group(1)!r}; use a DuckDB catalog "
            "file path or postgres:dbname=… host=… user=…")


_PASSWORD_IN_TEXT = re.compile(r"(password\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s\"]+)", re.I)


def redact(text: str, secret: str | None = None) -> str:
    """`text` with any `password=…` value (and the given secret) replaced by `***`."""
    text = _PASSWORD_IN_TEXT.sub(r"\1***", text)
    return text.replace(secret, "***") if secret else text


def _extension(package: str, name: str) -> str:
    """Path of the official signed extension binary shipped in its PyPI package."""
    path = importlib.resources.files(package) / "extensions" / f"v{duckdb.__version__}"
    return str(path / f"{name}.duckdb_extension")


def quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def connect(*, postgres: bool = False, encodings: bool = False) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the packaged DuckLake extension loaded (signatures checked).

    The PostgreSQL client extension is loaded only for a PostgreSQL catalog: the one-process
    default never needs it, and every extension loaded is code on the request path.
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
    con.execute(f"LOAD {quote(_extension('duckdb_extension_ducklake', 'ducklake'))}")
    if postgres:
        con.execute(
            f"LOAD {quote(_extension('duckdb_extension_postgres_scanner', 'postgres_scanner'))}")
    if encodings:
        load_encodings(con)
    return con


def load_encodings(con: duckdb.DuckDBPyConnection) -> None:
    """Load the packaged encodings extension into `con` (idempotent; ~335 MB of memory)."""
    con.execute(f"LOAD {quote(_extension('duckdb_extension_encodings', 'encodings'))}")


def open_lake(config: LakeConfig | None = None, *, seed_dir: Path | None = DEFAULT_DATA_DIR
              ) -> duckdb.DuckDBPyConnection:
    """Attach the lake as `lake`, create missing tables/columns, seed an empty lake."""
    config = config or LakeConfig.from_env()
    _refuse_unsupported(config.catalog)
    if not config.is_postgres:
        Path(config.catalog).parent.mkdir(parents=True, exist_ok=True)
    config.data_path.mkdir(parents=True, exist_ok=True)
    con = connect(postgres=config.is_postgres)
    try:
        if config.is_postgres and config.password:
            # A temporary (in-memory) secret: libpq gets the password, no string carries it.
            con.execute(f"CREATE TEMPORARY SECRET (TYPE postgres, "
                        f"PASSWORD {quote(config.password)})")
        con.execute(
            f"ATTACH {quote('ducklake:' + config.catalog)} AS {LAKE} "
            f"(DATA_PATH {quote(str(config.data_path) + os.sep)})"
        )
    except duckdb.Error as error:
        con.close()
        # DuckDB's message repeats the connection string: never let a password through.
        raise type(error)(redact(str(error), config.password)) from None
    try:
        created = _ensure_schema(con)
    except duckdb.TransactionException:
        created = _ensure_schema(con)  # another server created the tables at the same moment
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


class StaleTable(RuntimeError):
    """The table changed since the caller looked at it (someone else committed)."""

    def __init__(self, table: str, expected: int | None, found: int | None):
        super().__init__(f"table {table} changed since snapshot {expected} (now {found})")
        self.table, self.expected, self.found = table, expected, found


# Test-only hook: called inside the commit transaction, after the data files are written and
# before COMMIT writes the catalog (tests kill a committing process there). None in the app.
_before_commit = None


@dataclass(frozen=True)
class ParquetRows:
    """Rows already written as one Parquet file, in the contract's columns, order and DuckDB
    types: an upload's checked rows (`ingest.check` writes them with DuckDB's `COPY`, in the
    file's order, on every core). `commit_table` copies the file into the table's folder of the
    lake and registers it (`ducklake_add_data_files`) instead of writing the rows again: DuckLake's
    own INSERT writes on one thread to keep the rows' order (duckdb/ducklake#1356), and the rows
    would first have to come back from DuckDB into Arrow."""

    path: Path
    num_rows: int

    def read(self) -> pa.Table:
        return pq.read_table(self.path)

    def head(self, n: int) -> pa.Table:
        """The first `n` rows, reading no more of the file than their row groups."""
        first = next(pq.ParquetFile(self.path).iter_batches(batch_size=max(n, 1)), None)
        return (pa.Table.from_batches([first]) if first is not None
                else pq.read_schema(self.path).empty_table())


def commit_table(con: duckdb.DuckDBPyConnection, name: str, rows: pa.Table | ParquetRows, *,
                 mode: str, author: str, note: str, file_name: str, sha256: str,
                 expect_table_version: int | None | bool = False,
                 extra: dict | None = None) -> int:
    """Replace or append a table's rows as one DuckLake commit; returns the new snapshot id.

    `rows` must already be validated and in canonical types. The new rows are held in Arrow
    before the old ones are deleted (see TECH_NOTES: deleting then re-reading inside one
    transaction loses rows), and everything happens in one transaction: readers see the old
    snapshot or the new one, never a mix. `mode` "rollback" replaces the rows too (with the
    rows of an older snapshot) and is recorded as such. When `expect_table_version` is given
    (an int, or None for a table never committed), the commit is refused with `StaleTable`
    if the table's newest commit is another one: someone else changed it meanwhile.
    """
    if mode not in ("replace", "append", "rollback"):
        raise ValueError(f"mode must be 'replace', 'append' or 'rollback', not {mode!r}")
    table = TABLES[name]
    if isinstance(rows, ParquetRows):
        _check_parquet_rows(table, rows)
    else:
        rows = rows.select(table.column_names).cast(table.arrow_schema())
    columns = ", ".join(f'"{c}"' for c in table.column_names)
    info = {**(extra or {}), "table": name, "mode": mode, "file": file_name, "sha256": sha256,
            "rows": rows.num_rows}
    for attempt in range(_COMMIT_ATTEMPTS):
        try:
            return _commit_once(con, table.name, rows, columns, mode, author, note, info,
                                expect_table_version)
        except duckdb.TransactionException as error:
            # Another process committed to this table between our start and our COMMIT
            # (DuckLake's conflict check; it may also serialise the two, then both apply).
            if "conflict" not in str(error).lower():
                raise
            if expect_table_version is not False:
                raise StaleTable(name, expect_table_version, table_version(con, name)) from None
            if attempt == _COMMIT_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


_COMMIT_ATTEMPTS = 5


def _check_parquet_rows(table, rows: ParquetRows) -> None:
    """The file holds exactly the table's columns, in order, in the contract's types."""
    found = pq.read_schema(rows.path)
    want = table.arrow_schema()
    if found.names != want.names or found.types != want.types:
        raise ValueError(f"{rows.path.name} does not hold the columns of {table.name}: "
                         f"{found} instead of {want}")


def _data_folder(cur: duckdb.DuckDBPyConnection, name: str) -> Path:
    """The table's folder in the lake's data path (DuckLake's own layout, read from its catalog:
    `<data path><schema path><table path>`, each relative to the one before)."""
    # (LAKE is a constant; the table's name is bound)
    data_path, schema_path, schema_rel, table_path, table_rel = cur.execute(
        f"SELECT (SELECT value FROM {LAKE}.options() WHERE option_name = 'data_path'), "  # noqa: S608
        "s.path, s.path_is_relative, t.path, t.path_is_relative "
        f"FROM __ducklake_metadata_{LAKE}.ducklake_table AS t "
        f"JOIN __ducklake_metadata_{LAKE}.ducklake_schema AS s USING (schema_id) "
        "WHERE t.table_name = $n AND t.end_snapshot IS NULL AND s.end_snapshot IS NULL",
        {"n": name}).fetchone()
    schema_dir = Path(data_path) / schema_path if schema_rel else Path(schema_path)
    return schema_dir / table_path if table_rel else Path(table_path)


def _discard_unregistered(cur: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Remove a data file copied for a commit that failed, unless the catalog references it
    after all (a COMMIT that failed late): an orphan file is harmless, a lost one is not."""
    try:
        known = cur.execute(
            f"SELECT count(*) FROM __ducklake_metadata_{LAKE}.ducklake_data_file "  # noqa: S608
            "WHERE path IN ($name, $full)",
            {"name": path.name, "full": str(path)}).fetchone()[0]
    except duckdb.Error:
        return
    if not known:
        path.unlink(missing_ok=True)


def _commit_once(con, name, rows, columns, mode, author, note, info, expect_table_version):
    with _commit_lock, con.cursor() as cur:
        added = None
        if isinstance(rows, ParquetRows):
            if rows.num_rows:  # (an empty file adds nothing: the DELETE alone replaces)
                added = _data_folder(cur, name) / f"envol-{uuid.uuid4()}.parquet"
                added.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(rows.path, added)
        else:
            cur.register("incoming_rows", rows)
        cur.execute("BEGIN")
        try:
            if expect_table_version is not False:
                found = _table_version(cur, name)
                if found != expect_table_version:
                    raise StaleTable(name, expect_table_version, found)
            # `name` and `columns` come from the contract (TABLES), never from a user.
            if mode in ("replace", "rollback"):
                cur.execute(f"DELETE FROM {LAKE}.{name}")  # noqa: S608
            if added is not None:
                # The file becomes the lake's (DuckLake owns what it registers).
                cur.execute(f"CALL ducklake_add_data_files('{LAKE}', $t, $f)",
                            {"t": name, "f": str(added)})
            elif not isinstance(rows, ParquetRows):
                cur.execute(f"INSERT INTO {LAKE}.{name} ({columns}) "  # noqa: S608
                            f"SELECT {columns} FROM incoming_rows")
            # Every commit also alters the table (its comment), so that DuckLake's conflict check
            # sees two overlapping commits to one table from two processes as conflicting when
            # it cannot serialise them (measured: sometimes refused, sometimes both applied in
            # order; never a mix, tests/deploy).
            # (COMMENT takes no parameter: `mode` is one of three words, the rest is hex.)
            cur.execute(f"COMMENT ON TABLE {LAKE}.{name} IS "
                        f"'Envol {mode} {uuid.uuid4().hex}'")
            cur.execute(f"CALL {LAKE}.set_commit_message($a, $m, extra_info => $e)", {
                "a": author, "m": f"{mode}: {note}".strip(), "e": json.dumps(info)})
            if _before_commit is not None:
                _before_commit()
            cur.execute("COMMIT")
        except BaseException:
            try:
                cur.execute("ROLLBACK")
            except duckdb.Error:
                pass  # a failed COMMIT has already ended the transaction
            if added is not None:
                _discard_unregistered(cur, added)
            raise
        finally:
            if not isinstance(rows, ParquetRows):
                cur.unregister("incoming_rows")
        return cur.execute("SELECT id FROM lake.current_snapshot()").fetchone()[0]


def _table_version(cur: duckdb.DuckDBPyConnection, name: str) -> int | None:
    return cur.execute(
        "SELECT max(snapshot_id) FROM lake.snapshots() "
        "WHERE json_extract_string(commit_extra_info, '$.table') = $t", {"t": name}
    ).fetchone()[0]


def table_version(con: duckdb.DuckDBPyConnection, name: str) -> int | None:
    """The snapshot of the table's newest commit (None if it was never committed)."""
    with con.cursor() as cur:
        return _table_version(cur, name)


def read_table(con: duckdb.DuckDBPyConnection, name: str, version: int) -> pa.Table:
    """A whole table as of a snapshot, in the contract's types (read fully into Arrow)."""
    table = TABLES[name]
    columns = ", ".join(f'"{c}"' for c in table.column_names)
    with con.cursor() as cur:
        # `name` and `columns` come from the contract (TABLES); the version is bound.
        rows = cur.execute(f"SELECT {columns} FROM {LAKE}.{table.name} "  # noqa: S608
                           "AT (VERSION => $v)", {"v": int(version)}).to_arrow_table()
    return rows.cast(table.arrow_schema())


# ---------------------------------------------------------------------------------------------
# Who may write what (envol.access): checked here, below the pages.

CLUSTER = "cluster_id"
MAX_NAMED_ROWS = 20


def has_clusters(name: str) -> bool:
    """Does the table say whose rows they are (a `cluster_id` column)?"""
    return CLUSTER in TABLES[name].column_names


def authorise_write(scope: Scope, name: str, rows: pa.Table | None = None) -> None:
    """Refuse (`Forbidden`) a commit or rollback this scope may not make: a role that does not
    write (viewer, director); a table without a cluster column (sources, survey, portage) by
    anyone but an admin; rows of a cluster outside the scope (each named by key and cluster;
    a row without a cluster, such as a national target, counts as outside)."""
    if not scope.can_write:
        raise Forbidden("role", table=name)
    if scope.is_admin:
        return
    if not has_clusters(name):
        raise Forbidden("table", table=name)
    if rows is None:
        return
    clusters = rows.column(CLUSTER).to_pylist()
    bad = [i for i, c in enumerate(clusters) if not scope.allows(c)]
    if bad:
        keys = [rows.column(k).to_pylist() for k in TABLES[name].key]
        named = tuple((" | ".join(str(k[i]) for k in keys),
                       "" if clusters[i] is None else str(clusters[i]))
                      for i in bad[:MAX_NAMED_ROWS])
        raise Forbidden("rows", table=name, rows=named, total=len(bad))


def others_rows(con: duckdb.DuckDBPyConnection, scope: Scope, name: str, version: int
                ) -> pa.Table | None:
    """The rows a scoped replace or rollback keeps untouched: those of the clusters outside
    the scope (and rows without a cluster), as of `version`. None for an admin (a replace
    replaces the whole table)."""
    if scope.is_admin:
        return None
    rows = read_table(con, name, version)
    keep = [not scope.allows(c) for c in rows.column(CLUSTER).to_pylist()]
    return rows.filter(pa.array(keep, pa.bool_()))


def rollback_table(con: duckdb.DuckDBPyConnection, name: str, to_version: int, *, author: str,
                   note: str, scope: Scope,
                   expect_table_version: int | None | bool = False) -> int:
    """Make the table's rows as of `to_version` current again, by a new commit.

    The old rows are read into Arrow first, then deleted-and-inserted in one transaction
    (reading them inside the transaction after the delete would insert nothing). Nothing is
    deleted from the lake's history: every snapshot stays readable.

    `scope` must be allowed to write the table (`authorise_write`). A scoped analyst's rollback
    brings back the old rows of their clusters only; the current rows of every other cluster
    stay as they are.
    """
    authorise_write(scope, name)
    rows = read_table(con, name, to_version)
    others = others_rows(con, scope, name, current_version(con))
    if others is not None:
        mine = rows.filter(pa.array([scope.allows(c) for c in rows.column(CLUSTER).to_pylist()],
                                    pa.bool_()))
        rows = pa.concat_tables([mine, others])
    return commit_table(con, name, rows, mode="rollback", author=author, note=note,
                        file_name=f"snapshot {int(to_version)}", sha256="",
                        expect_table_version=expect_table_version,
                        extra={"rollback_to": int(to_version)})


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    """The newest snapshot id: cheap, checked on every rerun."""
    with con.cursor() as cur:
        return cur.execute("SELECT id FROM lake.current_snapshot()").fetchone()[0]
