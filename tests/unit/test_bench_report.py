"""The benchmark's report writer and page discovery (no timing here: `make bench` measures)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from bench import report, specs
from bench.baselines import same_rows


def test_stats_median_min_max_p95():
    s = report.stats([0.3, 0.1, 0.2, 0.5, 0.4])
    assert (s["n"], s["median"], s["min"], s["max"], s["p95"]) == (5, 0.3, 0.1, 0.5, 0.5)
    assert report.stats([])["n"] == 0
    assert report.ratio({"median": 3.0}, 1.5) == 2.0
    assert report.ratio(None, 1.0) is None and report.ratio(1.0, {"median": 0}) is None


def page(name, warm, floor, baseline, **extra):
    return {"name": name, "url": f"/{name}", "warm": report.stats([warm]),
            "cold": report.stats([floor]), "floor_warm": floor, "floor_cold": floor,
            "router_warm": report.stats([0.05]), "router_cold": report.stats([0.1]),
            "baseline": report.stats([baseline]), "queries_raw_total": floor - 0.05,
            "queries": [{"name": "kpis_by_cluster", "params": ["version=3"],
                         "raw": report.stats([floor - 0.05]), "baseline_check": "same rows"}],
            "ratios": {"warm_vs_floor": warm / floor, "cold_vs_floor": 1.0,
                       "baseline_vs_warm": baseline / warm}, "notes": [], **extra}


@pytest.fixture
def results():
    return {
        "generated_at": "2026-11-24T12:00:00+00:00", "duration_seconds": 321.0,
        "data_cached": True,
        "machine": {"cores": 2, "ram_gb": 23.5, "python": "3.11.7", "duckdb": "1.5.5",
                    "streamlit": "1.67.0", "pandas": "3.1.1", "load_start": "1.0",
                    "load_end": "2.0"},
        "scale": {"clusters": 3000, "members": 1_000_000, "months": 24, "comptoirs": 5000,
                  "vie_postings": 200_000, "sponsorships": 30_000, "targets": 4016,
                  "sources": 3001},
        "version": 32,
        "pages": [page("overview", 0.2, 0.5, 4.0), page("sources", 0.3, 0.1, 0.3),
                  {"name": "maps", "url": "/maps",
                   "skipped": "not in app.py yet (lands with issue 3)"}],
        "ingest": {"skipped": "envol.ingest is not there yet (lands with issue 6)",
                   "duckdb": report.stats([1.3, 1.4]), "pandas": report.stats([4.4])},
        "browser": {"cold_start": report.stats([3.0, 3.5, 4.0]),
                    "slider": {"skipped": "no scenario page in app.py yet (lands with issue 5)"},
                    "rss": {"peak_mb": 350.0, "rss_mb": 300.0, "pages": ["overview"]}},
        "limits": ["the machine was busy"],
        "changes": ["kpis_by_cluster filters first"],
    }


def test_goals_pass_miss_and_skip_with_reasons(results):
    got = {(g["subject"], g["goal"]): (g["status"], g["value"], g["skipped"])
           for g in report.goals(results)}
    assert got[("overview", "page ≤ 1.5× floor (warm)")][0] == "PASS"
    assert got[("overview", "≥ 5× faster than the baseline (warm)")][:2] == ("PASS", 20.0)
    assert got[("sources", "page ≤ 1.5× floor (warm)")][0] == "MISS"  # 3× the floor
    assert got[("sources", "≥ 5× faster than the baseline (warm)")][0] == "MISS"
    assert got[("maps", "page ≤ 1.5× floor (warm)")] == (
        "SKIP", None, "not in app.py yet (lands with issue 3)")
    assert got[("ingest", "ingest ≤ 1.5× raw DuckDB")][2].endswith("(lands with issue 6)")
    assert got[("scenario", "slider → chart p50 ≤ 300 ms")][0] == "SKIP"
    assert got[("server", "peak RSS ≤ 400 MB")][:2] == ("PASS", 350.0)
    results["browser"]["rss"]["peak_mb"] = 401.0
    assert report.goals(results)[-1]["status"] == "MISS"


def test_markdown_and_json_are_written(results, tmp_path):
    md, js = report.write(results, tmp_path)
    text = md.read_text(encoding="utf-8")
    assert text.startswith("# Envol benchmark")
    assert "| PASS | overview | page ≤ 1.5× floor (warm) | 0.40× |" in text
    assert "| MISS | sources | page ≤ 1.5× floor (warm) | 3.00× |" in text
    assert "skipped: not in app.py yet (lands with issue 3)" in text
    assert "The page goals apply to warm reruns" in text
    assert "2 cores, 23.5 GB RAM, Python 3.11.7, DuckDB 1.5.5" in text
    assert "3,000 clusters, 1,000,000 members" in text
    assert "3.50 s (3.00 s–4.00 s, n=3)" in text  # median (min–max, n)
    assert "350 MB" in text and "kpis_by_cluster filters first" in text
    data = json.loads(js.read_text(encoding="utf-8"))
    assert data["version"] == 32
    assert {g["status"] for g in data["goals"]} == {"PASS", "MISS", "SKIP"}


def test_pages_are_discovered_from_app_py():
    found = {p.path: p for p in specs.pages()}
    assert found["app_pages/overview.py"].url == "/"  # the default page
    assert found["app_pages/sources.py"].url == "/sources"
    assert set(specs.missing_pages(list(found.values()))) <= set(specs.EXPECTED)


def test_pages_registered_later_are_picked_up(tmp_path):
    app = tmp_path / "app.py"
    app.write_text('import streamlit as st\npage = st.navigation([\n'
                   '    st.Page("app_pages/overview.py", title="O", default=True),\n'
                   '    st.Page("app_pages/maps.py", title="M", url_path="maps"),\n'
                   '])\npage.run()\n')
    found = specs.pages(app)
    assert [(p.name, p.url) for p in found] == [("overview", "/"), ("maps", "/maps")]
    assert "maps" not in specs.missing_pages(found) and "funnels" in specs.missing_pages(found)
    router = specs.empty_router(app)
    assert "page.run()" not in router and f'"{specs.ROOT.as_posix()}/app_pages/maps.py"' in router


def test_baseline_check_names_the_first_difference():
    a = pd.DataFrame({"k": ["x", "y"], "n": [1, 2], "l": [["A"], ["B", "C"]]})
    assert same_rows(a, a.assign(n=[1.0, 2.0])) == "same rows"
    assert same_rows(a, a.assign(n=[1, 3])) == "column n differs at row 1: 2.0 vs 3.0"
    assert same_rows(a, a[["n", "k", "l"]]).startswith("columns differ")


def test_the_empty_page_is_derived_from_the_real_router():
    """The benchmark's floor needs app.py without its page: the line that runs the page (now
    `run_page(page, lang)`) is the one left out, and only it."""
    router = specs.empty_router()
    app = specs.APP.read_text(encoding="utf-8")
    assert "run_page(page" in app and "run_page(page" not in router
    assert router.count("pass  # benchmark: the empty page") == 1
    assert "st.navigation(" in router and "shared_filters(" in router


def test_the_bench_spies_on_the_query_cache_with_its_own_signature():
    """The page benchmark swaps `envol.data._cached` for a recorder and for the pandas baseline;
    both must take exactly its arguments (name, key, params, scope), or every page fails."""
    import inspect

    from bench import pages as bench_pages
    from envol import data

    wanted = list(inspect.signature(data._cached).parameters)
    assert wanted == ["name", "key", "_params", "_scope"]
    calls: list = []
    spy = bench_pages._recorder(calls)(lambda *a: "ran")
    assert spy("kpis_by_cluster", "k", (("version", 3),), "scope") == "ran"
    assert calls == [("kpis_by_cluster", {"version": 3})]


def test_ingest_limits_say_why_the_pandas_goal_is_out_of_reach():
    """The pandas goal's limit is computed from the measured figures: the fastest raw read
    (no validation, no commit) against a third of pandas's time."""
    from bench import run

    ing = {"duckdb_cp1252": report.stats([3.0]), "duckdb_python_decode": report.stats([1.5]),
           "pyarrow": report.stats([0.84]), "pandas": report.stats([1.07]),
           "envol": report.stats([2.59]),
           "envol_steps": {"sniff": report.stats([0.01]), "check": report.stats([2.2]),
                           "commit": report.stats([0.38])}}
    ing["duckdb"] = ing["duckdb_python_decode"]
    out = run._ingest_limits(ing)
    assert len(out) == 2
    assert "Envol's path (sniff 10 ms, check 2.20 s, commit 380 ms)" in out[0]
    assert out[1] == (
        "ingest, ≥ 3× faster than pandas: out of reach of any path that reads the whole file. "
        "It asks for 357 ms (pandas's 1.07 s / 3); the fastest raw read measured, "
        "pyarrow.csv on all cores to Parquet with no validation and no commit, takes 840 ms, "
        "only 1.27× pandas's speed: the file's decoding and parsing alone cost more than the "
        "goal allows.")
    ing["pandas"] = report.stats([6.0])  # a slower pandas: the goal is reachable, by how much
    assert run._ingest_limits(ing)[1] == (
        "ingest, ≥ 3× faster than pandas: it asks for 2.00 s (pandas's 6.00 s / 3); the "
        "fastest raw read measured, pyarrow.csv on all cores, takes 840 ms (7.14× pandas's "
        "speed), which leaves 1.16 s for validating and committing.")
    del ing["pyarrow"]  # an older report without it: the faster DuckDB path is the raw read
    assert "Python's cp1252 codec then DuckDB's read_csv, takes 1.50 s" in (
        run._ingest_limits(ing)[1])
    assert run._ingest_limits({"skipped": "--no-ingest"}) == []


def test_apptest_runs_share_one_script_cache_as_a_server_does(tmp_path, monkeypatch):
    """A server compiles app.py once for all sessions; AppTest recompiles on every run. Inside
    `_server_script_cache` the script is compiled once over several runs; outside it, per run."""
    import sys

    from streamlit.testing.v1 import AppTest

    from bench import pages as bench_pages

    script_cache = sys.modules[bench_pages._app_test.ScriptCache.__module__]

    script = tmp_path / "page.py"
    script.write_text("import streamlit as st\nst.write('hello')\n", encoding="utf-8")
    compiled: list[str] = []
    real = script_cache.magic.add_magic
    monkeypatch.setattr(script_cache.magic, "add_magic",
                        lambda body, path: compiled.append(path) or real(body, path))
    monkeypatch.setattr(bench_pages, "_SERVER_SCRIPT_CACHE", script_cache.ScriptCache())
    at = AppTest.from_file(str(script))
    at.run()
    at.run()
    assert compiled == [str(script)] * 2  # AppTest alone: once per run
    compiled.clear()
    for _ in range(3):
        with bench_pages._server_script_cache():
            at.run()
    assert compiled == [str(script)]  # shared: once
    assert at.markdown[0].value == "hello"
    with bench_pages._server_script_cache():
        pass
    assert bench_pages._app_test.ScriptCache is script_cache.ScriptCache  # restored


def test_the_limits_name_the_page_that_raised_the_peak_memory():
    from bench.run import _rss_limits

    rss = {"peaks_mb": {"start": 210.4, "upload": 350.0, "maps": 570.2, "funnels": 571.0,
                        "present": None}}
    assert _rss_limits(rss) == [
        "peak RSS: the server's peak (VmHWM, MB) after each page, in visiting order: start "
        "210, upload 350, maps 570, funnels 571. The largest rise is on maps (+220 MB); a "
        "peak, once reached, stays, so the pages after it add only what goes above it."]
    assert _rss_limits({}) == [] and _rss_limits({"skipped": "no Chromium"}) == []
