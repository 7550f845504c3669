"""Ingest of the 1 M-row French members CSV: Envol's path against raw DuckDB and pandas.

- envol: `envol.ingest` (issue 6) from the file's bytes to a committed snapshot of `members`,
  on a fresh clone of the EU lake each run; skipped, saying so, while the module is absent;
- duckdb (the floor): the faster of two raw paths to Parquet, no validation, NBSP thousands
  left as text: DuckDB's own `read_csv(encoding='CP1252', decimal_separator=',')`, and Python's
  cp1252 codec to UTF-8 then DuckDB's `read_csv` (measured here much faster: the encodings
  extension transcodes on one thread);
- pandas: `read_csv(sep=';', decimal=',', thousands=NBSP, encoding='cp1252')` then
  `to_parquet`, the usual tutorial path, plus the conversion of the amounts and counts that
  pandas leaves as text (its C parser takes a one-byte thousands separator only, and NBSP is
  two bytes once pandas has decoded the file), so that it ends with the same numbers.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import inspect
import time
from pathlib import Path

import pandas as pd

from bench.lakes import clone_lake
from bench.report import stats
from envol import store
from envol.schema import TABLES

ISSUE = 6
NUMERIC = {c.fr: c.kind for c in TABLES["members"].columns if c.kind in ("int", "number")}


def _q(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def duckdb_cp1252(csv: Path, out: Path) -> float:
    con = store.connect(encodings=True)
    try:
        started = time.perf_counter()
        # Both paths are the benchmark's own files.
        con.execute(f"COPY (FROM read_csv({_q(csv)}, delim=';', header=true, "  # noqa: S608
                    f"decimal_separator=',', encoding='CP1252')) TO {_q(out)} (FORMAT parquet)")
        return time.perf_counter() - started
    finally:
        con.close()
        out.unlink(missing_ok=True)


def duckdb_python_decode(csv: Path, out: Path) -> float:
    con = store.connect()
    utf8 = out.with_suffix(".utf8.csv")
    try:
        started = time.perf_counter()
        utf8.write_bytes(csv.read_bytes().decode("cp1252").encode("utf-8"))
        con.execute(f"COPY (FROM read_csv({_q(utf8)}, delim=';', header=true, "  # noqa: S608
                    f"decimal_separator=',')) TO {_q(out)} (FORMAT parquet)")
        return time.perf_counter() - started
    finally:
        con.close()
        out.unlink(missing_ok=True)
        utf8.unlink(missing_ok=True)


def pandas_path(csv: Path, out: Path) -> float:
    started = time.perf_counter()
    df = pd.read_csv(csv, sep=";", decimal=",", thousands="\u00a0", encoding="cp1252")
    for col, kind in NUMERIC.items():
        if col in df and not pd.api.types.is_numeric_dtype(df[col]):
            num = pd.to_numeric(df[col].str.replace("\u00a0", "", regex=False)
                                .str.replace(",", ".", regex=False))
            df[col] = num.astype("Int64") if kind == "int" else num
    df.to_parquet(out)
    elapsed = time.perf_counter() - started
    out.unlink(missing_ok=True)
    return elapsed


# How the benchmark calls envol.ingest: the first of these functions that exists, with the
# arguments its signature asks for (by parameter name). Adjust here if issue 6 names it
# otherwise; until then the ingest goal is reported as skipped with the reason.
ENTRY_POINTS = ("ingest_file", "ingest_csv", "ingest_bytes", "ingest", "import_file",
                "commit_file", "commit_csv")


def _entry():
    if importlib.util.find_spec("envol.ingest") is None:
        return None, f"envol.ingest is not there yet (lands with issue {ISSUE})"
    module = importlib.import_module("envol.ingest")
    for name in ENTRY_POINTS:
        fn = getattr(module, name, None)
        if callable(fn):
            return fn, None
    return None, (f"envol.ingest has none of {', '.join(ENTRY_POINTS)}: tell bench/ingest.py "
                  "how to call it")


def _arguments(fn, con, csv: Path, raw: bytes) -> dict:
    values = {
        "con": con, "connection": con, "lake": con,
        "table": "members", "table_name": "members", "name": "members",
        "path": csv, "file": csv, "file_path": csv, "source": csv,
        "data": raw, "raw": raw, "content": raw, "contents": raw, "payload": raw,
        "file_name": csv.name, "filename": csv.name,
        "mode": "replace", "author": "bench", "user": "bench", "uploader": "bench",
        "note": "banc d'essai", "message": "banc d'essai",
        "sha256": hashlib.sha256(raw).hexdigest(),
    }
    args, missing = {}, []
    for p in inspect.signature(fn).parameters.values():
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        if p.name in values:
            args[p.name] = values[p.name]
        elif p.default is p.empty:
            missing.append(p.name)
    if missing:
        raise TypeError(f"{fn.__name__}() needs {missing}, which bench/ingest.py cannot supply")
    return args


def _envol_once(fn, csv: Path, raw: bytes, lake: Path, work: Path, i: int, rows: int) -> float:
    clone = clone_lake(lake, work / f"ingest-{i}")
    con = store.open_lake(store.LakeConfig(str(clone / "envol.ducklake"), clone / "files"),
                          seed_dir=None)
    try:
        before = store.current_version(con)
        args = _arguments(fn, con, csv, raw)
        started = time.perf_counter()
        fn(**args)
        elapsed = time.perf_counter() - started
        if store.current_version(con) == before:
            raise RuntimeError(f"envol.ingest.{fn.__name__} returned without committing")
        got = con.execute(f"SELECT count(*) FROM {store.LAKE}.members").fetchone()[0]  # noqa: S608
        if got != rows:
            raise RuntimeError(f"envol.ingest committed {got:,} members, not {rows:,}")
        return elapsed
    finally:
        con.close()


def measure(csv: Path, lake: Path, work: Path, *, rows: int, duckdb_runs: int,
            pandas_runs: int, envol_runs: int, log=print) -> dict:
    """The paths in interleaved rounds (envol, DuckDB ×2, pandas), so that the machine's
    drifting load weighs on each alike."""
    size = csv.stat().st_size
    out: dict = {"file": f"`{csv.name}`: {rows:,} rows, {size / 1e6:.0f} MB, cp1252, `;`, "
                         "decimal comma, NBSP thousands, French headers and labels, oui/non, "
                         "CRLF."}
    fn, out["skipped"] = _entry()
    raw = csv.read_bytes() if fn else b""
    samples: dict[str, list[float]] = {"envol": [], "duckdb_cp1252": [],
                                       "duckdb_python_decode": [], "pandas": []}
    for i in range(max(duckdb_runs, pandas_runs, envol_runs)):
        log(f"  ingest: round {i + 1} ...")
        if fn and i < envol_runs:
            try:
                samples["envol"].append(_envol_once(fn, csv, raw, lake, work, i, rows))
            except Exception as e:  # reported, not fatal: the rest of the benchmark still runs
                fn, out["skipped"] = None, (f"envol.ingest.{getattr(fn, '__name__', '?')} "
                                            f"failed: {type(e).__name__}: {e}")[:300]
        if i < duckdb_runs:
            samples["duckdb_cp1252"].append(duckdb_cp1252(csv, work / "floor.parquet"))
            samples["duckdb_python_decode"].append(
                duckdb_python_decode(csv, work / "floor.parquet"))
        if i < pandas_runs:
            samples["pandas"].append(pandas_path(csv, work / "pandas.parquet"))
    for k, v in samples.items():
        out[k] = stats(v) if v and not (k == "envol" and out["skipped"]) else None
    out["duckdb"] = min(out["duckdb_cp1252"], out["duckdb_python_decode"],
                        key=lambda st: st["median"])
    return out
