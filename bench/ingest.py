"""Ingest of the 1 M-row French members CSV: Envol's path against raw DuckDB and pandas.

- envol: the upload page's path through `envol.ingest` (sniff, check, commit) from the file's
  bytes to a committed snapshot of `members`, on a fresh clone of the EU lake each run;
- duckdb (the floor): the faster of two raw paths to Parquet, no validation, NBSP thousands
  left as text: DuckDB's own `read_csv(encoding='CP1252', decimal_separator=',')`, and Python's
  cp1252 codec to UTF-8 then DuckDB's `read_csv` (measured here much faster: the encodings
  extension transcodes on one thread);
- pyarrow (not a floor, the limit of the pandas goal): `pyarrow.csv.read_csv` on all cores
  (cp1252 decoded by its transcoding stream, `;`, decimal comma) then `write_table` to
  Parquet, no validation, NBSP thousands left as text: the fastest raw read measured here;
- pandas: `read_csv(sep=';', decimal=',', thousands=NBSP, encoding='cp1252')` then
  `to_parquet`, the usual tutorial path, plus the conversion of the amounts and counts that
  pandas leaves as text (its C parser takes a one-byte thousands separator only, and NBSP is
  two bytes once pandas has decoded the file), so that it ends with the same numbers.
"""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd

from bench.lakes import clone_lake
from bench.report import stats
from envol import store
from envol.schema import TABLES

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


def pyarrow_path(csv: Path, out: Path) -> float:
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    started = time.perf_counter()
    table = pacsv.read_csv(csv, read_options=pacsv.ReadOptions(encoding="cp1252",
                                                                use_threads=True),
                           parse_options=pacsv.ParseOptions(delimiter=";"),
                           convert_options=pacsv.ConvertOptions(decimal_point=","))
    pq.write_table(table, out)
    elapsed = time.perf_counter() - started
    out.unlink(missing_ok=True)
    return elapsed


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


def envol_path(con, raw: bytes, file_name: str, rows: int) -> dict[str, float]:
    """The upload page's path, without Streamlit: `sniff` (dialect guessed from the head),
    `check` (the whole file parsed and validated against the contract and the lake), `commit`
    (one DuckLake snapshot of `members`). Returns the seconds of each step and the total."""
    from envol import access, ingest

    before = store.current_version(con)
    started = time.perf_counter()
    sniffed = ingest.sniff(raw, table="members")
    sniffed_at = time.perf_counter()
    checked = ingest.check(con, raw, sniffed.dialect, mode="replace")
    checked_at = time.perf_counter()
    if not checked.ok:
        raise RuntimeError(f"envol.ingest.check found {checked.problem_count:,} problems, "
                           f"first: {checked.problems[0].message('en')}"[:300])
    ingest.commit(con, checked, author="bench", note="banc d'essai", file_name=file_name,
                  scope=access.LOCAL, confirm_same_file=True)  # as `make run`: no login
    done = time.perf_counter()
    if store.current_version(con) == before:
        raise RuntimeError("envol.ingest.commit returned without committing")
    got = con.execute(f"SELECT count(*) FROM {store.LAKE}.members").fetchone()[0]  # noqa: S608
    if got != rows:
        raise RuntimeError(f"envol.ingest committed {got:,} members, not {rows:,}")
    steps = {"sniff": sniffed_at - started, "check": checked_at - sniffed_at,
             "commit": done - checked_at, "total": done - started}
    for k, v in checked.seconds.items():  # check's own split: decode, parse, validate, rows
        steps[f"check.{k}"] = v
    return steps


def _envol_once(csv: Path, raw: bytes, lake: Path, work: Path, i: int, rows: int
                ) -> dict[str, float]:
    clone = clone_lake(lake, work / f"ingest-{i}")
    con = store.open_lake(store.LakeConfig(str(clone / "envol.ducklake"), clone / "files"),
                          seed_dir=None)
    try:
        return envol_path(con, raw, csv.name, rows)
    finally:
        con.close()


def measure(csv: Path, lake: Path, work: Path, *, rows: int, duckdb_runs: int,
            pandas_runs: int, envol_runs: int, log=print) -> dict:
    """The paths in interleaved rounds (envol, DuckDB ×2, pyarrow, pandas), so that the machine's
    drifting load weighs on each alike."""
    size = csv.stat().st_size
    out: dict = {"file": f"`{csv.name}`: {rows:,} rows, {size / 1e6:.0f} MB, cp1252, `;`, "
                         "decimal comma, NBSP thousands, French headers and labels, oui/non, "
                         "CRLF."}
    out["skipped"] = None
    raw = csv.read_bytes()
    samples: dict[str, list[float]] = {"envol": [], "duckdb_cp1252": [],
                                       "duckdb_python_decode": [], "pyarrow": [],
                                       "pandas": []}
    steps: list[dict[str, float]] = []
    for i in range(max(duckdb_runs, pandas_runs, envol_runs)):
        log(f"  ingest: round {i + 1} ...")
        if out["skipped"] is None and i < envol_runs:
            try:
                steps.append(_envol_once(csv, raw, lake, work, i, rows))
                samples["envol"].append(steps[-1]["total"])
            except Exception as e:  # reported, not fatal: the rest of the benchmark still runs
                out["skipped"] = f"envol.ingest failed: {type(e).__name__}: {e}"[:300]
        if i < duckdb_runs:
            samples["duckdb_cp1252"].append(duckdb_cp1252(csv, work / "floor.parquet"))
            samples["duckdb_python_decode"].append(
                duckdb_python_decode(csv, work / "floor.parquet"))
        if i < pandas_runs:
            samples["pyarrow"].append(pyarrow_path(csv, work / "pyarrow.parquet"))
            samples["pandas"].append(pandas_path(csv, work / "pandas.parquet"))
    if steps:  # the median of each step of Envol's path (check.* are cumulative, from its start)
        out["envol_steps"] = {k: stats([st[k] for st in steps if k in st]) for k in steps[0]}
    for k, v in samples.items():
        out[k] = stats(v) if v and not (k == "envol" and out["skipped"]) else None
    if out["skipped"] is None:
        del out["skipped"]
    out["duckdb"] = min(out["duckdb_cp1252"], out["duckdb_python_decode"],
                        key=lambda st: st["median"])
    return out
