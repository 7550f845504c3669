"""The benchmark's data: the EU-scale lake and members CSV, cached; throw-away lake clones.

Generated artefacts live under `bench/.cache/scale-<key>/` (git-ignored), where the key names the
generator version and the scale (`envol.scale.Scale.key`): a rerun reuses them, a new generator
version builds afresh. Each measurement runs on its own clone of the cached lake: a copy of the
small catalog file plus hard links to the (immutable) Parquet data files, so commits made while
measuring never touch the cache and a clone costs milliseconds, not a copy of the data.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import duckdb

from envol import scale as scale_mod

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache"
CATALOG = "envol.ducklake"


def scale_dir(scale: scale_mod.Scale) -> Path:
    return CACHE / f"scale-{scale.key()}"


def ensure_lake(scale: scale_mod.Scale, log=print) -> tuple[Path, dict, float | None]:
    """The cached lake for `scale` (built if missing): its folder, the build summary, and the
    build time in seconds when it was built now (None when it came from the cache)."""
    done = scale_dir(scale) / "lake.json"
    lake = scale_dir(scale) / "lake"
    if done.exists():
        return lake, json.loads(done.read_text()), None
    log(f"building the lake at scale {scale} (cached afterwards) ...")
    tmp = scale_dir(scale) / "lake.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    started = time.perf_counter()
    summary = scale_mod.build_lake(tmp, scale)
    seconds = time.perf_counter() - started
    shutil.rmtree(lake, ignore_errors=True)
    tmp.rename(lake)
    _set_data_path(lake / CATALOG, lake / "files")
    summary["build_seconds"] = round(seconds, 1)
    done.write_text(json.dumps(summary, indent=1))
    return lake, summary, seconds


def ensure_members_csv(scale: scale_mod.Scale, log=print) -> tuple[Path, float | None]:
    path = scale_dir(scale) / "membres.csv"
    if path.exists():
        return path, None
    log("writing the French members CSV (cached afterwards) ...")
    path.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    scale_mod.write_members_csv(path, scale)
    return path, time.perf_counter() - started


def clone_lake(src: Path, dst: Path) -> Path:
    """A writable copy of the lake in `src`: catalog copied, data files hard-linked."""
    shutil.rmtree(dst, ignore_errors=True)
    dst.mkdir(parents=True)
    shutil.copy2(src / CATALOG, dst / CATALOG)
    for folder, _dirs, files in os.walk(src / "files"):
        target = dst / Path(folder).relative_to(src)
        target.mkdir(parents=True, exist_ok=True)
        for f in files:
            os.link(Path(folder) / f, target / f)
    _set_data_path(dst / CATALOG, dst / "files")
    return dst


def _set_data_path(catalog: Path, files: Path) -> None:
    """Point a DuckDB-file DuckLake catalog at its data folder (data file paths are relative)."""
    con = duckdb.connect(str(catalog))
    try:
        con.execute("UPDATE ducklake_metadata SET value = $p WHERE key = 'data_path'",
                    {"p": str(files) + os.sep})
    finally:
        con.close()
