"""Several processes on one PostgreSQL catalog and one shared data folder (issue 11).

Each test gets its own database and data folder on the session's PostgreSQL server; every
process a test starts, it stops (killed on failure too).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
import uuid
from pathlib import Path

import duckdb
import pytest

from envol import store
from tests.conftest import ROOT, rows_table

pytestmark = pytest.mark.timeout(240)


@pytest.fixture
def lake_env(postgres, tmp_path):
    """Environment for one lake: a fresh database + a data folder, seeded with the default data."""
    catalog = postgres.create_database("lake_" + uuid.uuid4().hex[:12])
    env = {"ENVOL_CATALOG": catalog, "ENVOL_CATALOG_PASSWORD": postgres.password,
           "ENVOL_DATA_PATH": str(tmp_path / "shared-files"),
           "ENVOL_LAKE_DIR": str(tmp_path / "unused-lake-dir")}
    con = store.open_lake(store.LakeConfig.from_env(env))  # seeds the default data once
    yield env, con
    con.close()


def run_children(scripts: list[str], env: dict, timeout: float = 120) -> list[dict]:
    """Run Python snippets as separate processes; each prints one JSON line as its result."""
    procs = [subprocess.Popen([sys.executable, "-c", PRELUDE + textwrap.dedent(s)], cwd=ROOT,
                              env={**os.environ, **env}, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for s in scripts]
    results = []
    try:
        for p in procs:
            out, err = p.communicate(timeout=timeout)
            assert p.returncode == 0, err[-3000:]
            results.append(json.loads(out.strip().splitlines()[-1]))
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait(timeout=30)
    return results


PRELUDE = f"""
import json, sys, time, pathlib
sys.path.insert(0, {str(ROOT)!r})
from envol import store
from tests.conftest import rows_table
"""


def sources(prefix: str, n: int):
    return rows_table("sources", [dict(source_id=f"{prefix}{i}", title="t") for i in range(n)])


def source_ids(con, version=None) -> list[str]:
    with con.cursor() as cur:
        at = "" if version is None else f" AT (VERSION => {int(version)})"
        return cur.execute(f"SELECT list(source_id ORDER BY source_id) FROM lake.sources{at}"  # noqa: S608
                           ).fetchone()[0]


def test_a_wrong_password_never_shows_in_the_error(postgres, tmp_path):
    secret = "n0t-the-Pa55word-" + uuid.uuid4().hex[:8]
    config = store.LakeConfig.from_env({"ENVOL_CATALOG": postgres.catalog(),
                                        "ENVOL_CATALOG_PASSWORD": secret,
                                        "ENVOL_DATA_PATH": str(tmp_path / "f")})
    assert secret not in repr(config)
    with pytest.raises(duckdb.Error) as raised:
        store.open_lake(config)
    assert "password authentication failed" in str(raised.value)
    assert secret not in str(raised.value) and raised.value.__cause__ is None
    # Even a password written into the connection string itself is redacted.
    inline = store.LakeConfig(postgres.catalog() + f" password={secret}", tmp_path / "f")
    with pytest.raises(duckdb.Error) as raised:
        store.open_lake(inline)
    assert secret not in str(raised.value) and "password=***" in str(raised.value)


def test_a_commit_in_one_process_is_seen_by_another(lake_env):
    env, con = lake_env
    before = store.current_version(con)
    [result] = run_children(["""
        con = store.open_lake(store.LakeConfig.from_env())
        t0 = time.perf_counter()
        v = store.commit_table(con, "sources", rows_table("sources", [dict(source_id="P1",
                               title="t")]), mode="append", author="a", note="", file_name="x",
                               sha256="")
        print(json.dumps({"version": v, "seconds": time.perf_counter() - t0}))
    """], env)
    assert result["version"] > before
    assert store.current_version(con) == result["version"]  # no reconnect, no restart
    assert "P1" in source_ids(con)
    print(f"commit latency through PostgreSQL: {result['seconds'] * 1000:.0f} ms")


CONCURRENT = """
    con = store.open_lake(store.LakeConfig.from_env())
    rows = rows_table("sources", [dict(source_id="{tag}%d" % i, title="t") for i in range(50)])
    expected = store.table_version(con, "sources")
    while not pathlib.Path({go!r}).exists():
        time.sleep(0.005)
    try:
        v = store.commit_table(con, "sources", rows, mode="{mode}", author="{tag}", note="",
                               file_name="x", sha256="", expect_table_version={expect})
        print(json.dumps({{"ok": v}}))
    except store.StaleTable as e:
        print(json.dumps({{"stale": str(e)}}))
"""


@pytest.mark.parametrize("modes", [("replace", "replace"), ("replace", "replace"),
                                   ("append", "replace"), ("replace", "append")])
def test_two_simultaneous_uploads_end_applied_in_order_or_refused(lake_env, tmp_path, modes):
    env, con = lake_env
    base, base_version = source_ids(con), store.current_version(con)
    go = tmp_path / "go"
    scripts = [CONCURRENT.format(tag=tag, go=str(go), mode=mode, expect="expected")
               for tag, mode in zip("AB", modes, strict=True)]
    procs_started = time.monotonic()
    threading.Timer(3.0, go.touch).start()  # both children are connected and waiting by then
    results = run_children(scripts, env)
    assert time.monotonic() - procs_started < 120
    ok = [r["ok"] for r in results if "ok" in r]
    stale = [r["stale"] for r in results if "stale" in r]
    print("simultaneous uploads:", modes, results)
    # Both started from the same table version: both applied one after the other (DuckLake
    # serialises them), or one refused with StaleTable (the upload page's "someone else just
    # changed this table"). Either way every snapshot is a serial state: nothing half-applied.
    assert ok and len(ok) + len(stale) == 2, results
    assert all("changed since snapshot" in m for m in stale)
    states, state = [base], base
    for _version, i in sorted((r["ok"], i) for i, r in enumerate(results) if "ok" in r):
        rows = [f"{'AB'[i]}{k}" for k in range(50)]
        state = sorted(rows if modes[i] == "replace" else state + rows)
        states.append(state)
    with con.cursor() as cur:
        versions = [v for (v,) in cur.execute("SELECT snapshot_id FROM lake.snapshots() "
                                              "WHERE snapshot_id >= $b ORDER BY 1",
                                              {"b": base_version}).fetchall()]
    assert [source_ids(con, v) for v in versions] == states
    assert source_ids(con) == states[-1]


def test_two_simultaneous_appends_are_both_applied(lake_env, tmp_path):
    env, con = lake_env
    base = source_ids(con)
    go = tmp_path / "go"
    threading.Timer(3.0, go.touch).start()
    results = run_children([CONCURRENT.format(tag=tag, go=str(go), mode="append",
                                              expect="False") for tag in ("A", "B")], env)
    assert all("ok" in r for r in results), results
    assert sorted(source_ids(con)) == sorted(base + [f"{t}{i}" for t in "AB" for i in range(50)])


KILLED = """
    con = store.open_lake(store.LakeConfig.from_env())
    rows = rows_table("sources", [dict(source_id=f"X{i}", title="t") for i in range(5000)])
    def pause():
        pathlib.Path(sys.argv[1]).write_text("1")
        time.sleep(600)
    store._before_commit = pause
    store.commit_table(con, "sources", rows, mode="replace", author="killed", note="",
                       file_name="x.csv", sha256="0" * 64)
"""


def test_a_writer_killed_mid_commit_leaves_the_previous_state(lake_env, tmp_path):
    env, con = lake_env
    version, before = store.current_version(con), source_ids(con)
    files = Path(env["ENVOL_DATA_PATH"])
    parquet_before = set(files.rglob("*.parquet"))
    paused = tmp_path / "paused"
    child = subprocess.Popen([sys.executable, "-c", PRELUDE + textwrap.dedent(KILLED),
                              str(paused)], cwd=ROOT, env={**os.environ, **env})
    try:
        deadline = time.monotonic() + 90
        while not paused.exists():
            assert child.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        assert set(files.rglob("*.parquet")) - parquet_before  # data written, catalog not
        os.kill(child.pid, signal.SIGKILL)
    finally:
        if child.poll() is None:
            child.kill()
        child.wait(timeout=30)
    # The others still read the previous state, and can commit past the orphan file.
    assert store.current_version(con) == version and source_ids(con) == before
    [result] = run_children(["""
        con = store.open_lake(store.LakeConfig.from_env())
        v = store.commit_table(con, "sources", rows_table("sources", [dict(source_id="after",
                               title="t")]), mode="append", author="b", note="", file_name="y",
                               sha256="")
        print(json.dumps({"version": v}))
    """], env)
    assert store.current_version(con) == result["version"] > version
    assert source_ids(con) == sorted(before + ["after"])
