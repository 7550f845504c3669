"""`import envol` sets DuckDB's allocator to hand freed memory back at once (envol/__init__.py),
measured in fresh processes: the memory a large aggregate used is gone from the resident set as
soon as the query returns; with DuckDB's default (a one-second decay) it is still held."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """
import envol, duckdb
def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS"):
            return int(line.split()[1]) // 1024
con = duckdb.connect()
con.execute("SELECT 1").fetchall()
before = rss()
con.execute("SELECT count(DISTINCT i::VARCHAR || 'x') FROM range(3000000) t(i)").fetchall()
print(rss() - before)
"""


def held_mb(**env: str) -> int:
    """MB still resident right after a query that used ~200 MB, in a fresh process."""
    environ = {k: v for k, v in os.environ.items() if k != "DUCKDB_JE_MALLOC_CONF"}
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env={**environ, **env})
    assert done.returncode == 0, done.stderr[-2000:]
    return int(done.stdout.strip().splitlines()[-1])


def test_freed_query_memory_goes_back_at_once():
    assert held_mb() < 50


def test_duckdbs_default_would_hold_it_and_a_value_set_in_the_environment_is_kept():
    assert held_mb(DUCKDB_JE_MALLOC_CONF="dirty_decay_ms:1000,muzzy_decay_ms:1000") > 100
