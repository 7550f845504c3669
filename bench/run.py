"""`make bench`: measure Envol at EU scale and write `bench/report.md` and `bench/report.json`.

Steps: the EU-scale lake and members CSV (cached under `bench/.cache/`), every page through
AppTest (warm, cold, floor, baseline), the ingest of the French CSV, then Chromium against the
real server (cold start, slider → chart, peak RSS), then how many simultaneous sessions open the
overview in under 2 s (p95) on one server and on two (bench/concurrency.py; alone with
`--only concurrency`). See `python -m bench --help`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import platform
import shutil
import sys
import time
import traceback
import warnings
from pathlib import Path

from bench import lakes, report
from bench.specs import Page, missing_pages, pages
from envol import scale as scale_mod

OUT = lakes.ROOT / "bench"
QUICK = scale_mod.Scale(clusters=30, members=20_000, comptoirs=50, vie_postings=2_000,
                        months=3)

# What the benchmark changed in the app's design to meet its goals (see the report). Each entry
# names the code that holds the change today.
CHANGES = [
    "Overview (app_pages/overview.py, envol/kpis.py `clusters_in_detail`): the cards, the "
    "comparison chart and tables detail at most 6 clusters (those with the most member firms) "
    "with a note saying how many are selected; one card row per cluster (24,000 cards for "
    "3,000 clusters) did not finish a rerun in 10 minutes. National target cards follow the "
    "detailed clusters.",
    "queries/kpis_by_cluster.sql: every table is filtered to the selected clusters before it "
    "is aggregated, and members are counted per (cluster, source) in one pass before their "
    "source lists are built.",
    "queries/comptoir_funnel_by_stage.sql: members are counted per (cluster, source, SME or "
    "not, furthest stage) in one pass, then joined to the five stages; joining each of the "
    "1,000,000 members to its stages took 53.6 s, now 0.8 s (same rows, checked at EU scale).",
    "envol/store.py: the app's connection does not load DuckDB's encodings extension (a "
    "350 MB binary that added ~335 MB of resident memory); `connect(encodings=True)` for code "
    "that needs it.",
    "envol/kpis.py: the provenance of a group of cards is looked up once (sources by id as a "
    "dict) instead of one pandas index over 3,001 sources per card; `lookups()` builds it once "
    "for the cards of many clusters (the board's changes slide).",
    "Sources page (components/sources.py, envol/kpis.py `source_rows`): more than 20 sources "
    "are one table instead of a Markdown line and a caption each; each distinct date is "
    "formatted once.",
    "envol/data.py: the result cache is keyed by one digest of the parameters; Streamlit "
    "hashed the 3,000 selected cluster ids value by value on every call.",
    "envol/queries.py: list columns come back as Python lists, not one numpy array per cell: "
    "a cache hit of kpis_by_cluster unpickles six times faster.",
    "components/filters.py, envol/links.py: the cluster filter starts empty and none picked "
    "means every cluster (placeholder « Tous les pôles (3 000) »), still passed to the pages "
    "as the explicit list; a link naming every cluster is rewritten without the parameter. A "
    "default selecting all 3,000 put 3,000 chips in the sidebar, whose cost grows "
    "quadratically on every rerun of every page.",
    "Funnels page and board pack (envol/funnels.py `in_detail`, `compare_in_detail`): the "
    "comptoir funnel figure draws the 6 clusters with the most member SMEs and the comparison "
    "figure the 6 groups that changed most, with a note; plotly refused 3,000 subplot columns "
    "(the page raised at EU scale). The conversions and comparison tables still list all.",
    "Maps page (components/maps.py): the VIE timeline draws the 60 postings that started last, "
    "with a note (200,000 rows and a quadratic label count never finished); the postings table "
    "formats each distinct value once and scrolls past 15 rows; the comptoir map and picker "
    "build their labels from plain records, not one pandas Series per row.",
    "Board pack (envol/board.py): a key-figures slide per cluster the overview details (not "
    "one per selected cluster: 3,000 slides); the changes slide builds cards only for the "
    "clusters whose card columns moved (`_moved`).",
    "Maps page (envol/geo.py `comptoir_places`, components/maps.py `places_map`): past 200 "
    "comptoirs the map draws one marker per city (per country past 200 cities), with the "
    "head offices as one star per city and no links; the VIE postings table shows one page "
    "of 100 rows; hover lists stop at 12 names and source lists at 20. 52 % of the warm "
    "rerun was formatting 200,000 postings, 25 % drawing 5,000 markers and their links.",
    ".streamlit/config.toml: every server runs without the file watcher and without the "
    "gc.collect() Streamlit runs after each script run (`runner.postScriptGC = false`): a "
    "warm rerun costs ~0.15 s of server CPU instead of ~0.45 s (the concurrency step).",
    "Scenario page (components/scenario.py `simulator`): the levers, results and saved "
    "scenarios are one st.fragment, so a slider reruns the simulator alone, not the router, "
    "sidebar and title; each slider's position labels are made once per language (a "
    "select_slider asks for all of them on every rerun: ~5,000 calls); the defaults read "
    "Pégase's comptoirs targets only (envol/scenario_report.py `defaults_from_table`), not "
    "all 4,016 targets turned into records.",
    "Funnels page (components/funnels.py, envol/funnels.py): past 5 problems the data checks "
    "show a summary by kind, the 5 with the most rows in full and an audited CSV of every "
    "problem row (9,276 at EU scale); tables are built column by column and figures in one "
    "go; the portage figure draws the latest 6 years, with a table of all; tables scroll past "
    "15 rows (the page was 664,057 px tall).",
    "queries/row_changes_by_table.sql (board pack, what changed): tables that no snapshot "
    "between the two versions touched are skipped (DuckLake's change feed), the others are "
    "compared by an MD5 of each row's text in 8 slices instead of the rows' text: 31 → 32 on "
    "the EU lake 5.6 s and a 1.4 GB peak before, 2.2 s and 337 MB after, same counts.",
    "Board pack (components/board.py `session_deck`, envol/board.py): the deck is built once "
    "per session and inputs, so ← and → redraw one slide; the changes slide builds the moved "
    "clusters' cards without their provenance text.",
    "Ingest (envol/ingest.py): one statement counts every check, duplicates are found by "
    "grouping, common French numbers take a cheap exact path, cp1252 is decoded in 256 KiB "
    "pieces and the file hashed in a background thread; the rows are read back without a "
    "sort of every column.",
    "envol/queries.py: a large result is turned into pandas a piece at a time (10,240 rows), "
    "the same frame as one `.df()`: the 200,000 VIE postings raise the peak by ~120 MB "
    "instead of ~255 MB.",
    "History page (envol/data.py `table_version`): the table's current version comes from "
    "the cached list of snapshots instead of one more catalog query per rerun.",
    "Maps page (queries/vie_postings_by_start.sql takes `first` and `rows`): the postings "
    "table's page and the timeline's 60 latest starts are read from the lake as windows of "
    "the query's order, and the counts come from vie_postings_by_country (`dated`); the page "
    "no longer holds, caches and unpickles all 200,000 postings on every rerun.",
    "queries/funnel_problems_by_row.sql: the member CTE, read five times, holds only the "
    "members with a comptoir or a stage (every member check needs one): same rows, a query "
    "peak of +17 MB instead of +91 MB on the EU lake.",
    "Board pack: the map slide past 200 comptoirs is the Maps page's places map (one marker "
    "per place), not 5,000 markers (a 2.6 MB figure held in every session's deck); the page "
    "imports envol.export (fpdf, PIL, pptx, kaleido: ~30 MB) only when a pack is asked for.",
    "envol/__init__.py: DuckDB's jemalloc hands freed memory back at once "
    "(`DUCKDB_JE_MALLOC_CONF` dirty/muzzy decay 0 instead of DuckDB's 1 s), so a page's "
    "back-to-back queries do not pile up into the server's peak (the EU walk: 420 → "
    "392 MB, same query times within noise).",
    "envol/data.py `View.newest`: the newest snapshot id is read once per rerun, by the "
    "router, and the pages' `latest_q` use it (the history page asked the catalog three "
    "times per rerun).",
    "Ingest (envol/ingest.py `_label_expr`): enum and yes/no labels in their usual spellings "
    "(PME, Oui, OUI) are matched as written before the folded lookup, each mapped to what "
    "the folded lookup gives it (−0.47 s of CPU on the 1 M-row file).",
    "Ingest (envol/ingest.py `_stage`, envol/store.py `ParquetRows`): the checked rows are "
    "written by DuckDB as one Parquet file (COPY keeps their order and uses every core) "
    "instead of being read back into Arrow, and the commit copies that file into the lake and "
    "registers it (`ducklake_add_data_files`) instead of DuckLake's INSERT, which writes on one "
    "thread to keep the order: check's last step 0.70 → 0.41 s, commit 0.78 → 0.30 s on the "
    "1 M-row file; the page holds a 26 MB file per checked upload instead of 145 MB of Arrow.",
    "Upload preview (envol/ingest.py `preview`, not timed here): rows are compared column by "
    "column and only changed rows get the list of their changed values, read from the staged "
    "file: the 1 M-row file's preview took 9.9 s with a 1.64 GB peak, now 3.9 s and 0.73 GB.",
]


def machine() -> dict:
    import duckdb
    import pandas
    import streamlit

    mem = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            mem = int(line.split()[1]) / 1024 / 1024
    return {"cores": os.cpu_count(), "ram_gb": round(mem, 1),
            "python": platform.python_version(), "duckdb": duckdb.__version__,
            "streamlit": streamlit.__version__, "pandas": pandas.__version__,
            "platform": platform.platform()}


def load() -> str:
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())


def limits(results: dict) -> list[str]:
    """What the measured figures say limits each one (derived from the numbers)."""
    out = []
    for p in results.get("pages", []):
        if p.get("skipped") or not p.get("warm", {}).get("n"):
            continue
        warm, cold = p["warm"]["median"], p["cold"]["median"]
        router = p["router_warm"]["median"]
        own = max(warm - router, 0.0)
        out.append(
            f"{p['name']}: a warm rerun is {report._s(warm)}, of which {report._s(router)} is "
            f"the empty page (router + sidebar: {results['scale'].get('clusters', 0):,} "
            f"clusters in the filter, the snapshot picker) and {report._s(own)} the page "
            "itself (cache lookups and drawing); a cold rerun adds the queries: "
            f"{report._s(p['queries_raw_total'])} of raw DuckDB "
            f"(cold {report._s(cold)}).")
        slow = max(p.get("queries", []), key=lambda q: q["raw"]["median"], default=None)
        if slow and slow["raw"]["median"] > 0.05:
            out.append(f"{p['name']}: its slowest query is {slow['name']} "
                       f"({report.fig(slow['raw'])}).")
    out += _ingest_limits(results.get("ingest", {}))
    out += _rss_limits(results.get("browser", {}).get("rss", {}))
    out.append("A cache hit unpickles the stored result (Streamlit's st.cache_data returns a "
               "copy): kpis_by_cluster for 3,000 clusters is the largest (24 columns, 6 of "
               "them lists). A cold rerun is bounded by that query: it reads the 1,000,000 "
               "members twice (the counts, and the sponsorships' clusters).")
    br = results.get("browser", {})
    if br.get("cold_start", {}).get("n"):
        out.append("cold start: about 3 s until the server answers (Python imports Streamlit, "
                   "then the first page imports pandas, plotly and DuckDB, opens the lake and "
                   "runs its queries uncached), then Chromium loads Streamlit's frontend and "
                   "draws the page; the machine's load weighs most on this figure.")
    m = results["machine"]
    out.append(f"The machine was shared while measuring (load average {m.get('load_start')} at "
               f"start, {m.get('load_end')} at end, on {m.get('cores')} cores): absolute times "
               "vary from run to run; the ratios compare figures measured in the same run.")
    return out


def _rss_limits(rss: dict) -> list[str]:
    """Which page raised the server's peak memory, from the peak read after each page."""
    peaks = {k: v for k, v in (rss.get("peaks_mb") or {}).items() if v is not None}
    if len(peaks) < 2:
        return []
    names = list(peaks)
    rises = {b: peaks[b] - peaks[a] for a, b in zip(names, names[1:], strict=False)}
    top = max(rises, key=rises.get)
    steps = ", ".join(f"{n} {peaks[n]:.0f}" for n in names)
    return [f"peak RSS: the server's peak (VmHWM, MB) after each page, in visiting order: "
            f"{steps}. The largest rise is on {top} (+{rises[top]:.0f} MB); a peak, once "
            "reached, stays, so the pages after it add only what goes above it."]


RAW_READS = (("duckdb_cp1252", "DuckDB's read_csv(encoding='CP1252')"),
             ("duckdb_python_decode", "Python's cp1252 codec then DuckDB's read_csv"),
             ("pyarrow", "pyarrow.csv on all cores"))


def _ingest_limits(ing: dict) -> list[str]:
    """What limits the two ingest goals, from the measured figures."""
    if not ing.get("duckdb", {}).get("n"):
        return []
    s = report._s
    steps = ing.get("envol_steps") or {}
    split = ", ".join(f"{k} {s(steps[k]['median'])}"
                      for k in ("sniff", "check", "commit") if k in steps)
    out = ["ingest: DuckDB's encodings extension transcodes cp1252 on one thread "
           f"({s(ing['duckdb_cp1252']['median'])} to Parquet) where Python's "
           "codec then DuckDB on UTF-8 takes "
           f"{s(ing['duckdb_python_decode']['median'])}: decode in Python "
           "(it also spares the app the extension's ~335 MB). pandas takes "
           f"{s(ing['pandas']['median'])} and needs its own pass for NBSP "
           "thousands. "
           + (f"Envol's path ({split}) does what the floor does not: it validates "
              "every value against the contract (types, enums, minimums, key "
              "uniqueness, references to the other tables) and commits a DuckLake "
              "snapshot." if split else
              f"Envol's path was not measured: {ing.get('skipped')}.")]
    pandas = (ing.get("pandas") or {}).get("median")
    raws = [(ing[k]["median"], name) for k, name in RAW_READS if (ing.get(k) or {}).get("n")]
    if not pandas or not raws:
        return out
    best, name = min(raws)
    goal = report.PANDAS_VS_INGEST_MIN
    need, reach = pandas / goal, pandas / best
    if reach < goal:
        out.append(f"ingest, ≥ {goal:g}× faster than pandas: out of reach of any path that "
                   f"reads the whole file. It asks for {s(need)} (pandas's {s(pandas)} / "
                   f"{goal:g}); the fastest raw read measured, {name} to Parquet with no "
                   f"validation and no commit, takes {s(best)}, only {reach:.2f}× pandas's "
                   "speed: the file's decoding and parsing alone cost more than the goal "
                   "allows.")
    else:
        out.append(f"ingest, ≥ {goal:g}× faster than pandas: it asks for {s(need)} "
                   f"(pandas's {s(pandas)} / {goal:g}); the fastest raw read measured, {name}, "
                   f"takes {s(best)} ({reach:.2f}× pandas's speed), which leaves "
                   f"{s(need - best)} for validating and committing.")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    ap.add_argument("--quick", action="store_true",
                    help=f"a small scale ({QUICK.clusters} clusters, {QUICK.members:,} members) "
                         "and few runs: checks the benchmark itself in a minute")
    ap.add_argument("--out", type=Path, default=None,
                    help="where to write report.md/json (default bench/, or bench/.cache/quick "
                         "with --quick)")
    ap.add_argument("--runs", type=int, default=5, help="runs per figure (default 5)")
    ap.add_argument("--no-browser", action="store_true", help="skip the Chromium measures")
    ap.add_argument("--no-ingest", action="store_true", help="skip the ingest measures")
    ap.add_argument("--presses", type=int, default=20, help="slider key presses (default 20)")
    ap.add_argument("--no-concurrency", action="store_true",
                    help="skip the simultaneous-sessions measure (bench/concurrency.py)")
    ap.add_argument("--only", choices=["concurrency"], default=None,
                    help="run only this step; writes its report to bench/.cache/<step>/ "
                         "unless --out")
    args = ap.parse_args(argv)
    if args.only == "concurrency":
        return _only_concurrency(args)
    started = time.perf_counter()
    # AppTest runs pages without a server: Streamlit says so on every run; DuckDB's .df() warns
    # about pandas 3. Neither is news here.
    logging.disable(logging.WARNING)
    warnings.filterwarnings("ignore", message="The inplace keyword")
    scale = QUICK if args.quick else scale_mod.EU
    runs = 2 if args.quick else max(1, args.runs)
    out_dir = args.out or (lakes.CACHE / "quick" if args.quick else OUT)
    info = machine()
    info["load_start"] = load()

    def log(msg: str) -> None:
        print(f"[{time.perf_counter() - started:6.1f}s] {msg}", flush=True)

    lake, summary, built = lakes.ensure_lake(scale, log)
    csv, csv_built = (None, None) if args.no_ingest else lakes.ensure_members_csv(scale, log)
    log(f"lake ready ({'built' if built else 'cached'}): {summary['rows']}")
    work = lakes.CACHE / f"work-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    registered = pages()
    results: dict = {
        "generated_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": info, "data_cached": built is None and csv_built is None,
        "scale": {**summary["scale"], **{k: v for k, v in summary["rows"].items()
                                         if k in ("sponsorships", "targets", "sources")}},
        "version": summary["version"], "changes": CHANGES,
    }
    try:
        # Pages, in this process, on the app's own connection to a clone of the lake.
        os.environ["ENVOL_LAKE_DIR"] = str(lakes.clone_lake(lake, work / "pages-lake"))
        from bench.pages import PageBench, PageError

        bench = PageBench(work, rounds=runs, warm_per_round=2, log=log)
        log("pages: the empty page (router and sidebar) ...")
        router = bench.router()
        measured = []
        for page in registered:
            log(f"pages: {page.path} ...")
            try:
                measured.append(bench.page(page, router))
            except PageError as e:
                measured.append({"name": page.name, "url": page.url, "skipped": f"raised: {e}"})
            except Exception as e:  # a broken measure is reported; the rest still runs
                measured.append({"name": page.name, "url": page.url,
                                 "skipped": f"benchmark failed: {_failure(e)}"})
        for url, issue in missing_pages(registered).items():
            measured.append({"name": url, "url": f"/{url}",
                             "skipped": f"not in app.py yet (lands with issue {issue})"})
        results["pages"] = measured
        bench.con.close()
        if args.no_ingest:
            results["ingest"] = {"skipped": "--no-ingest"}
        else:
            log("ingest ...")
            try:
                results["ingest"] = _ingest(csv, lake, work, scale, runs, log)
            except Exception as e:
                results["ingest"] = {"skipped": f"benchmark failed: {_failure(e)}"}
        if args.no_browser:
            results["browser"] = {"skipped": "--no-browser"}
        else:
            log("browser ...")
            try:
                results["browser"] = _browser(lake, work, registered, runs, args.presses, log)
            except Exception as e:
                results["browser"] = {"skipped": f"benchmark failed: {_failure(e)}"}
        results["concurrency"] = _concurrency(args, lake, work, runs, log)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    info["load_end"] = load()
    for p in results.get("pages", []):
        baseline_ratio = p.get("ratios", {}).get("baseline_vs_warm")
        if baseline_ratio is not None and baseline_ratio < report.BASELINE_VS_PAGE_MIN \
                and p["queries_raw_total"] < 0.1 and not p.get("baseline_note"):
            p["baseline_note"] = (
                f"nothing to win: the page reads no large table (its queries take "
                f"{report._s(p['queries_raw_total'])} raw), so a tutorial reading small "
                "Parquet files is as fast as a cache hit; its time is drawing, the same in both")
    results["duration_seconds"] = time.perf_counter() - started
    results["limits"] = limits(results)
    md, js = report.write(results, out_dir)
    for g in report.goals(results):
        value = "" if g["value"] is None else f" {g['value']:.2f}{g['unit']}"
        print(f"{g['status']:4}  {g['subject']}: {g['goal']}{value}"
              + (f"  ({g['skipped']})" if g.get("skipped") else ""))
    log(f"wrote {md} and {js}")
    return 0


def _concurrency(args, lake: Path, work: Path, runs: int, log) -> dict:
    if args.no_concurrency:
        return {"skipped": "--no-concurrency"}
    from bench import concurrency

    log("concurrency ...")
    try:
        return concurrency.measure(lake, work, rounds=max(2, min(runs, 5)), log=log,
                                   validate_rounds=max(2, min(runs, 3)),
                                   levels=concurrency.LEVELS[:4] if args.quick else
                                   concurrency.LEVELS)
    except Exception as e:
        return {"skipped": f"benchmark failed: {_failure(e)}"}


def _only_concurrency(args) -> int:
    """`--only concurrency`: the EU lake, the concurrency step, a report with just it."""
    started = time.perf_counter()

    def log(msg: str) -> None:
        print(f"[{time.perf_counter() - started:6.1f}s] {msg}", flush=True)

    scale = QUICK if args.quick else scale_mod.EU
    info = machine()
    info["load_start"] = load()
    lake, summary, built = lakes.ensure_lake(scale, log)
    work = lakes.CACHE / f"work-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        c = _concurrency(args, lake, work, 2 if args.quick else max(1, args.runs), log)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    info["load_end"] = load()
    skipped = {"skipped": "--only concurrency"}
    results = {
        "generated_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": info, "data_cached": built is None,
        "scale": {**summary["scale"], **{k: v for k, v in summary["rows"].items()
                                         if k in ("sponsorships", "targets", "sources")}},
        "version": summary["version"], "pages": [], "ingest": skipped, "browser": skipped,
        "concurrency": c, "duration_seconds": time.perf_counter() - started,
    }
    md, js = report.write(results, args.out or lakes.CACHE / "concurrency")
    figures = c.get("figures")
    print(f"concurrency: {figures}" if figures else f"concurrency: {c.get('skipped')}")
    log(f"wrote {md} and {js}")
    return 0


def _failure(e: Exception) -> str:
    traceback.print_exc()
    return f"{type(e).__name__}: {e}"[:300]


def _ingest(csv: Path, lake: Path, work: Path, scale, runs: int, log) -> dict:
    from bench import ingest

    return ingest.measure(csv, lake, work, rows=scale.members, duckdb_runs=runs,
                          pandas_runs=max(1, min(runs, 3)), envol_runs=max(1, min(runs, 3)),
                          log=log)


def _browser(lake: Path, work: Path, registered: list[Page], runs: int, presses: int,
             log) -> dict:
    from bench import browser

    slider_pages = [p for p in registered if p.spec and p.spec.slider]
    return browser.measure(
        lake, work, registered, cold_starts=runs, presses=presses,
        slider_page=slider_pages[0] if slider_pages else None,
        slider_skip="no scenario page in app.py yet (lands with issue 5)", log=log)


if __name__ == "__main__":
    sys.exit(main())
