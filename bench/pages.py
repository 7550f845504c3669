"""Server time of each page through AppTest on the EU-scale lake: warm, cold, floor, baseline.

Runs in the benchmark's own process, on the app's own connection (`envol.data.lake()`, with
`ENVOL_LAKE_DIR` pointing at a clone of the cached lake), exactly as `streamlit run` would.

- warm: `at.run()` again with the result cache filled for the current snapshot;
- cold: the first `at.run()` after a new commit (the benchmark commits the `targets` table with
  the same rows: a new snapshot id, the same data), so every query misses the cache;
- floor: the raw DuckDB time of the page's named queries (`run_query`, no Streamlit, no cache)
  plus the empty page's rerun (`app.py` without its page), warm or cold to match;
- baseline: the same page with `envol.data`'s cached query function swapped for the pandas
  version of each query (`bench.baselines`): Parquet read into pandas on every rerun.

Each page is measured in rounds that interleave all four (see `PageBench.page`), so that the
load of a shared machine, which drifts over minutes, weighs on each figure alike.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from streamlit.testing.v1 import AppTest
from streamlit.testing.v1 import app_test as _app_test
from streamlit.testing.v1 import local_script_runner as _local_runner

from bench.baselines import BASELINES, Tutorial, same_rows
from bench.report import ratio, stats
from bench.specs import APP, Page, empty_router
from envol import data, store
from envol.queries import parameters, run_query

TIMEOUT = 600  # seconds for one AppTest run (a page on a loaded machine can be slow)


class PageError(RuntimeError):
    pass


@contextmanager
def _swap_cached(replacement: Callable):
    """Swap `envol.data._cached` (the one cached function every named query goes through)."""
    original = data._cached
    data._cached = replacement(original)
    try:
        yield
    finally:
        data._cached = original


# A server compiles each script once: its runtime keeps one ScriptCache for every session and
# rerun. AppTest makes a new one on every run, so each `at.run()` would recompile app.py and the
# page (Streamlit's "magic" AST pass: 20-40 ms here), a cost no user ever waits for.
# (The class is taken from the module AppTest uses: no private import.)
_SERVER_SCRIPT_CACHE = _app_test.ScriptCache()


@contextmanager
def _server_script_cache():
    """AppTest's runs share one ScriptCache, as a server's sessions do."""
    saved = _app_test.ScriptCache, _local_runner.ScriptCache
    _app_test.ScriptCache = _local_runner.ScriptCache = lambda: _SERVER_SCRIPT_CACHE
    try:
        yield
    finally:
        _app_test.ScriptCache, _local_runner.ScriptCache = saved


def _recorder(calls: list):
    def wrap(original):
        def spy(name, key, params, scope):  # envol.data._cached's arguments
            calls.append((name, dict(params)))
            return original(name, key, params, scope)
        return spy
    return wrap


def _tutorial(t: Tutorial):
    def wrap(_original):
        def baseline(name, _key, params, _scope):
            return BASELINES[name](t, **dict(params))
        return baseline
    return wrap


def _describe(params: dict) -> list[str]:
    out = []
    for k, v in sorted(params.items()):
        if isinstance(v, (list, tuple)):
            out.append(f"{k} ({len(v):,} values)")
        else:
            out.append(f"{k}={v}")
    return out


class PageBench:
    def __init__(self, work: Path, *, rounds: int, warm_per_round: int = 2, lang: str = "fr",
                 log=print):
        self.work, self.log, self.lang = work, log, lang
        self.cold, self.warm_per_cold = rounds, warm_per_round
        self.con = data.lake()
        self.router_path = work / "router_empty.py"
        self.router_path.write_text(empty_router(), encoding="utf-8")
        self._targets = None
        self._tutorial: Tutorial | None = None
        self.bumps = 0

    # ------------------------------------------------------------ helpers
    def version(self) -> int:
        return store.current_version(self.con)

    def bump(self) -> int:
        """A new snapshot with the same data: commit the targets table's own rows again."""
        if self._targets is None:
            with self.con.cursor() as cur:
                self._targets = cur.execute(
                    f"FROM {store.LAKE}.targets").to_arrow_table()  # noqa: S608
        self.bumps += 1
        return store.commit_table(self.con, "targets", self._targets, mode="replace",
                                  author="bench", note="cold run", file_name="bench",
                                  sha256="0" * 64)

    def app(self, script: Path, page: Page | None = None) -> AppTest:
        at = AppTest.from_file(str(script), default_timeout=TIMEOUT)
        at.session_state["lang"] = self.lang
        if page is not None:
            at.switch_page(page.path)
        return at

    @staticmethod
    def timed(at: AppTest) -> tuple[float, float]:
        """Wall and CPU seconds of one rerun (CPU: this whole process, all its threads)."""
        with _server_script_cache():
            started, cpu = time.perf_counter(), time.process_time()
            at.run()
        elapsed = time.perf_counter() - started, time.process_time() - cpu
        if at.exception:
            raise PageError("; ".join(str(e.value)[:300] for e in at.exception))
        return elapsed

    def record(self, at: AppTest) -> list[tuple[str, dict]]:
        calls: list = []
        with _swap_cached(_recorder(calls)):
            self.timed(at)
        return calls

    def tutorial(self) -> Tutorial:
        """The tutorial's Parquet files, exported once (bumps never change the data)."""
        if self._tutorial is None:
            v = self.version()
            self._tutorial = Tutorial(self.con, v, self.work / "tutorial")
        return self._tutorial

    # ------------------------------------------------------------ measures
    def router(self) -> dict:
        """The empty page (app.py's router and sidebar, without any page): its AppTest and the
        queries it runs (they belong to the empty page, not to a page's floor)."""
        at = self.app(self.router_path)
        self.timed(at)
        calls = self.record(at)
        return {"at": at, "queries": sorted({n for n, _ in calls})}

    def page(self, page: Page, router: dict) -> dict:
        """Rounds of: a new commit then the page cold and warm twice; a new commit then the
        empty page cold and warm twice; each raw query once; the baseline once. Interleaved,
        so that a change in the machine's load touches every figure alike."""
        out: dict = {"name": page.name, "path": page.path, "url": page.url, "notes": []}
        at = self.app(APP, page)
        # The queries are recorded on the first view: every query the page needs. A later rerun
        # may run fewer (the board page keeps its deck for the session).
        calls = self.record(at)
        own = [(n, p) for n, p in calls if n not in router["queries"]]
        seen = {n for n, _ in own}
        spec = page.spec
        if spec is not None and spec.queries is not None:
            listed = set(spec.queries)
            if listed - seen:
                out["notes"].append(f"spec lists queries the page did not run: "
                                    f"{sorted(listed - seen)}")
            if seen - listed:
                out["notes"].append(f"the page ran queries its spec does not list: "
                                    f"{sorted(seen - listed)} (bench/specs.py)")
            floor_queries = [(n, self._params(n, own)) for n in spec.queries]
        else:
            out["notes"].append("no query list in bench/specs.py: the floor uses the queries "
                                "recorded while the page ran")
            # Each distinct call once: a query run with two sets of parameters (the maps
            # page's two windows of the VIE postings, the funnels at two snapshots) counts twice.
            floor_queries = list({(n, repr(sorted(p.items()))): (n, p) for n, p in own}.values())
        needed = sorted({n for n, _ in calls})
        missing = [n for n in needed if n not in BASELINES]
        t = None
        if missing:
            out["baseline_skipped"] = (f"no pandas version of {', '.join(missing)} in "
                                       "bench/baselines.py")
        else:
            t = self.tutorial()
        v = self.version()
        queries = [{"name": n, "params": _describe({**p, "version": v}), "_params": p,
                    "_samples": []} for n, p in floor_queries]
        cold, warm, rcold, rwarm, base = [], [], [], [], []
        for _ in range(self.cold):
            self.bump()
            cold.append(self.timed(at))
            warm += [self.timed(at) for _ in range(self.warm_per_cold)]
            self.bump()
            rcold.append(self.timed(router["at"]))
            rwarm += [self.timed(router["at"]) for _ in range(self.warm_per_cold)]
            v = self.version()
            for q in queries:
                started, cpu = time.perf_counter(), time.process_time()
                run_query(self.con, q["name"], **{**q["_params"], "version": v})
                q["_samples"].append((time.perf_counter() - started, time.process_time() - cpu))
            if t is not None:
                with _swap_cached(_tutorial(t)):
                    base.append(self.timed(at))
        wall = lambda xs: stats([x[0] for x in xs])  # noqa: E731
        cpu = lambda xs: stats([x[1] for x in xs])  # noqa: E731
        out["cold"], out["warm"] = wall(cold), wall(warm)
        out["router_cold"], out["router_warm"] = wall(rcold), wall(rwarm)
        raw_total = raw_cpu = 0.0
        for q in queries:
            samples = q.pop("_samples")
            q["raw"], q["raw_cpu"] = wall(samples), cpu(samples)
            raw_total += q["raw"]["median"]
            raw_cpu += q["raw_cpu"]["median"]
        out["queries_raw_total"] = raw_total
        out["floor_warm"] = raw_total + out["router_warm"]["median"]
        out["floor_cold"] = raw_total + out["router_cold"]["median"]
        # The same figures in CPU seconds: steadier than wall time on a shared machine.
        c = {"warm": cpu(warm), "cold": cpu(cold), "baseline": cpu(base) if base else None}
        out["cpu"] = {**c, "floor_warm": raw_cpu + cpu(rwarm)["median"],
                      "floor_cold": raw_cpu + cpu(rcold)["median"]}
        out["cpu"]["ratios"] = {
            "warm_vs_floor": ratio(c["warm"], out["cpu"]["floor_warm"]),
            "cold_vs_floor": ratio(c["cold"], out["cpu"]["floor_cold"]),
            "baseline_vs_warm": ratio(c["baseline"], c["warm"]),
        }
        if t is not None:
            out["baseline"] = wall(base)
            for q in queries:  # the pandas version returns the same rows as the SQL
                p = {**q["_params"], "version": v}
                try:
                    q["baseline_check"] = same_rows(run_query(self.con, q["name"], **p),
                                                    BASELINES[q["name"]](t, **p))
                except Exception as e:  # a broken baseline is reported, not fatal
                    q["baseline_check"] = f"baseline failed: {e}"[:200]
            bad = [q["name"] for q in queries if q.get("baseline_check") != "same rows"]
            if bad:
                out["baseline_note"] = f"baseline differs from SQL for {', '.join(bad)}"
        for q in queries:
            q.pop("_params", None)
        out["queries"] = queries
        warm_st, cold_st = out["warm"], out["cold"]
        out["ratios"] = {
            "warm_vs_floor": ratio(warm_st, out["floor_warm"]),
            "cold_vs_floor": ratio(cold_st, out["floor_cold"]),
            "baseline_vs_warm": ratio(out.get("baseline"), warm_st),
            "baseline_vs_cold": ratio(out.get("baseline"), cold_st),
        }
        return out

    def _params(self, name: str, recorded: list[tuple[str, dict]]) -> dict:
        """A spec query's params: as the page passed them, else from the view."""
        for n, p in recorded:
            if n == name:
                return dict(p)
        view = data.View(lang=self.lang, clusters=(), version=self.version(), latest=True)
        params = {"version": view.version}
        if "clusters" in parameters(name):
            params["clusters"] = list(run_query(self.con, "clusters_by_name",
                                                version=view.version)["cluster_id"])
        return params
