"""The benchmark's report: figures as median (min–max) of several runs, goals as PASS/MISS.

Pure functions over plain dicts (what `bench.run` measures), so that the report is unit-tested
without measuring anything: `stats` summarises samples, `goals` checks them, `markdown` and
`write` produce `bench/report.md` and `bench/report.json`.
"""

from __future__ import annotations

import json
import math
import statistics
from pathlib import Path

# The goals of issue 7. Page goals apply to warm reruns (see `markdown`).
PAGE_VS_FLOOR_MAX = 1.5
BASELINE_VS_PAGE_MIN = 5.0
INGEST_VS_DUCKDB_MAX = 1.5
PANDAS_VS_INGEST_MIN = 3.0
SLIDER_P50_MAX_MS = 300.0
RSS_MAX_MB = 400.0


def stats(samples: list[float]) -> dict:
    """Median, min, max, p95 and count of samples (seconds, or whatever unit they are in)."""
    xs = sorted(float(x) for x in samples)
    if not xs:
        return {"n": 0}
    rank = max(0, math.ceil(0.95 * len(xs)) - 1)
    return {"n": len(xs), "median": statistics.median(xs), "min": xs[0], "max": xs[-1],
            "p95": xs[rank], "samples": xs}


def ratio(num: dict | float | None, den: dict | float | None) -> float | None:
    """num / den on medians; None when either side is missing or the divisor is zero."""
    a = num.get("median") if isinstance(num, dict) else num
    b = den.get("median") if isinstance(den, dict) else den
    if a is None or b is None or b == 0:
        return None
    return a / b


def _goal(subject: str, what: str, value: float | None, limit: float, *, at_most: bool,
          skipped: str | None = None, unit: str = "×", note: str = "") -> dict:
    skipped = " ".join(skipped.split()) if skipped else skipped  # one line: a table cell
    if skipped or value is None:
        status = "SKIP"
    elif (value <= limit) if at_most else (value >= limit):
        status = "PASS"
    else:
        status = "MISS"
    return {"subject": subject, "goal": what, "value": value, "limit": limit,
            "at_most": at_most, "unit": unit, "status": status,
            "skipped": skipped or (None if value is not None else "not measured"), "note": note}


def goals(results: dict) -> list[dict]:
    """Every goal of the issue, checked against the measured results."""
    out = []
    for p in results.get("pages", []):
        name = p["name"]
        if p.get("skipped"):
            out.append(_goal(name, f"page ≤ {PAGE_VS_FLOOR_MAX:g}× floor (warm)", None,
                             PAGE_VS_FLOOR_MAX, at_most=True, skipped=p["skipped"]))
            continue
        out.append(_goal(name, f"page ≤ {PAGE_VS_FLOOR_MAX:g}× floor (warm)",
                         p["ratios"].get("warm_vs_floor"), PAGE_VS_FLOOR_MAX, at_most=True))
        out.append(_goal(name, f"≥ {BASELINE_VS_PAGE_MIN:g}× faster than the baseline (warm)",
                         p["ratios"].get("baseline_vs_warm"), BASELINE_VS_PAGE_MIN,
                         at_most=False, skipped=p.get("baseline_skipped"),
                         note=p.get("baseline_note", "")))
    ing = results.get("ingest", {})
    skipped = ing.get("skipped")
    out.append(_goal("ingest", f"ingest ≤ {INGEST_VS_DUCKDB_MAX:g}× raw DuckDB",
                     ratio(ing.get("envol"), ing.get("duckdb")), INGEST_VS_DUCKDB_MAX,
                     at_most=True, skipped=skipped))
    out.append(_goal("ingest", f"≥ {PANDAS_VS_INGEST_MIN:g}× faster than pandas",
                     ratio(ing.get("pandas"), ing.get("envol")), PANDAS_VS_INGEST_MIN,
                     at_most=False, skipped=skipped))
    br = results.get("browser", {})
    slider = br.get("slider", {})
    out.append(_goal("scenario", f"slider → chart p50 ≤ {SLIDER_P50_MAX_MS:g} ms",
                     slider.get("ms", {}).get("median"), SLIDER_P50_MAX_MS, at_most=True,
                     skipped=slider.get("skipped") or br.get("skipped"), unit=" ms"))
    rss = br.get("rss", {})
    out.append(_goal("server", f"peak RSS ≤ {RSS_MAX_MB:g} MB", rss.get("peak_mb"), RSS_MAX_MB,
                     at_most=True, skipped=rss.get("skipped") or br.get("skipped"),
                     unit=" MB"))
    return out


# ---------------------------------------------------------------- markdown
def _s(x: float | None, unit: str = "s") -> str:
    if x is None:
        return "–"
    if unit == "s":
        return f"{x * 1000:.0f} ms" if x < 1 else f"{x:.2f} s"
    if unit == "ms":
        return f"{x:.0f} ms"
    return f"{x:.0f} {unit}"


def fig(st: dict | None, unit: str = "s") -> str:
    """`median (min–max, n)` of a stats dict."""
    if not st or not st.get("n"):
        return "–"
    return (f"{_s(st['median'], unit)} ({_s(st['min'], unit)}–{_s(st['max'], unit)}, "
            f"n={st['n']})")


def _r(x: float | None) -> str:
    return "–" if x is None else f"{x:.2f}×"


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    return (["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
            + ["| " + " | ".join(str(c).replace("|", "\\|") for c in r) + " |" for r in rows])


def markdown(results: dict) -> str:
    m = results.get("machine", {})
    sc = results.get("scale", {})
    lines = [
        "# Envol benchmark",
        "",
        f"Generated {results.get('generated_at', '?')} by `make bench` in "
        f"{_s(results.get('duration_seconds'))} "
        f"(data from cache: {'yes' if results.get('data_cached') else 'no, built this run'}).",
        "",
        f"Machine: {m.get('cores', '?')} cores, {m.get('ram_gb', '?')} GB RAM, "
        f"Python {m.get('python', '?')}, DuckDB {m.get('duckdb', '?')}, "
        f"Streamlit {m.get('streamlit', '?')}, pandas {m.get('pandas', '?')}; "
        f"load average {m.get('load_start', '?')} at start, {m.get('load_end', '?')} at end "
        "(a shared machine: absolute times are noisy, each ratio is measured in one run).",
        "",
        f"Data (`envol/scale.py`, cached under `bench/.cache/`): {sc.get('clusters', '?'):,} "
        f"clusters, {sc.get('members', 0):,} members at the last of {sc.get('months', '?')} "
        f"monthly snapshots, {sc.get('comptoirs', 0):,} comptoirs, "
        f"{sc.get('vie_postings', 0):,} VIE postings, {sc.get('sponsorships', 0):,} portage "
        f"requests, {sc.get('targets', 0):,} targets, {sc.get('sources', 0):,} sources; lake "
        f"snapshot {results.get('version', '?')}.",
        "",
        "Every figure is the median of several runs, with (min–max, n).",
        "",
        "## Goals",
        "",
    ]
    rows = []
    for g in results.get("goals", []):
        value = "–" if g["value"] is None else (
            f"{g['value']:.2f}{g['unit']}" if g["unit"] == "×" else f"{g['value']:.0f}{g['unit']}")
        why = g.get("skipped") or g.get("note") or ""
        rows.append([g["status"], g["subject"], g["goal"], value, why])
    lines += _table(["", "subject", "goal", "measured", "note"], rows)
    lines += [
        "",
        "## Pages (server time, AppTest on the EU-scale lake)",
        "",
        "- **warm**: a rerun with the result cache filled for the snapshot (every click after "
        "the first view of a snapshot). **The page goals apply to warm reruns.**",
        "- **cold**: the first rerun after a new commit (every query misses the cache; Parquet "
        "files are in the OS page cache).",
        "- **floor**: the raw DuckDB time of the page's named queries at the same snapshot "
        "(no Streamlit, no cache) plus the rerun of an empty page (`app.py`'s router and "
        "sidebar, warm or cold to match).",
        "- **baseline**: the same page script with every named query replaced by what a "
        "Streamlit tutorial does: read the table's Parquet files into pandas, no cache, "
        "filter and group in pandas, on every rerun.",
        "- Every AppTest run here shares one compiled-script cache, as a server's sessions do "
        "(AppTest alone recompiles `app.py` and the page on every run).",
        "",
    ]
    rows = []
    for p in results.get("pages", []):
        if p.get("skipped"):
            rows.append([p["name"], p.get("url", ""), "skipped: " + p["skipped"]] + [""] * 7)
            continue
        r = p["ratios"]
        rows.append([p["name"], p.get("url", ""), fig(p["warm"]), fig(p["cold"]),
                     _s(p["floor_warm"]), _s(p["floor_cold"]), fig(p.get("baseline")),
                     _r(r.get("warm_vs_floor")), _r(r.get("cold_vs_floor")),
                     _r(r.get("baseline_vs_warm"))])
    lines += _table(["page", "url", "warm", "cold", "floor warm", "floor cold", "baseline",
                     "warm/floor", "cold/floor", "baseline/warm"], rows)
    rows = [[p["name"], _r(p["cpu"]["ratios"].get("warm_vs_floor")),
             _r(p["cpu"]["ratios"].get("cold_vs_floor")),
             _r(p["cpu"]["ratios"].get("baseline_vs_warm"))]
            for p in results.get("pages", []) if p.get("cpu")]
    if rows:
        lines += ["", "The same ratios in CPU seconds of the process (all threads): steadier "
                  "than wall time when other jobs share the cores; the goals use wall time.", ""]
        lines += _table(["page", "warm/floor (CPU)", "cold/floor (CPU)",
                         "baseline/warm (CPU)"], rows)
    for p in results.get("pages", []):
        if p.get("skipped"):
            continue
        lines += ["", f"### {p['name']}", ""]
        lines.append(f"Empty page (router + sidebar): warm {fig(p['router_warm'])}, cold "
                     f"{fig(p['router_cold'])}.")
        lines.append("")
        qrows = [[q["name"], ", ".join(q.get("params", [])), fig(q["raw"]),
                  q.get("baseline_check", "")] for q in p.get("queries", [])]
        lines += _table(["named query", "params", "raw DuckDB", "pandas baseline"], qrows)
        for n in p.get("notes", []):
            lines += ["", f"- {n}"]
    ing = results.get("ingest", {})
    lines += ["", "## Ingest of the members CSV (French Excel)", "",
              "The floor is the faster of the two raw DuckDB paths.", ""]
    if ing.get("file"):
        lines.append(ing["file"])
        lines.append("")
    rows = [["envol.ingest → committed snapshot", fig(ing.get("envol")) if not ing.get(
                 "skipped") else "skipped: " + ing["skipped"]],
            ["raw DuckDB: read_csv(encoding='CP1252') → COPY TO parquet",
             fig(ing.get("duckdb_cp1252"))],
            ["raw DuckDB: Python cp1252 → UTF-8, read_csv → COPY TO parquet",
             fig(ing.get("duckdb_python_decode"))],
            ["pandas: read_csv(decimal=',', thousands=NBSP) + the amounts it leaves as text → "
             "to_parquet", fig(ing.get("pandas"))]]
    lines += _table(["path", "time"], rows)
    steps = ing.get("envol_steps") or {}
    if steps:
        split = ", ".join(f"{k} {_s(steps[k]['median'])}" for k in ("sniff", "check", "commit")
                          if k in steps)
        inner = ", ".join(f"{k.split('.', 1)[1]} {_s(v['median'])}" for k, v in steps.items()
                          if k.startswith("check.") and k != "check.total")
        lines += ["", f"Envol's path, median of each step: {split}"
                  + (f" (inside check, cumulative from its start: {inner})" if inner else "")
                  + "."]
    br = results.get("browser", {})
    lines += ["", "## In Chromium (the real `streamlit run` server)", ""]
    if br.get("skipped"):
        lines.append("skipped: " + br["skipped"])
    else:
        cs = br.get("cold_start", {})
        slider = br.get("slider", {})
        rss = br.get("rss", {})
        rows = [["cold start: process start → first chart painted on the overview",
                 fig(cs) if cs.get("n") else "skipped: " + str(br.get("cold_start_skipped"))],
                ["slider change → chart updated (p50; p95)",
                 "skipped: " + slider["skipped"] if slider.get("skipped") else
                 f"{fig(slider.get('ms'), 'ms')}; p95 {_s(slider['ms'].get('p95'), 'ms')}"],
                ["peak RSS of the server after visiting every page",
                 "skipped: " + rss["skipped"] if rss.get("skipped") else
                 f"{rss.get('peak_mb', 0):.0f} MB (VmHWM; VmRSS now {rss.get('rss_mb', 0):.0f}"
                 f" MB; pages: {', '.join(rss.get('pages', []))}"
                 + (f"; still running after {rss.get('settle_s')} s, left for the next: "
                    f"{', '.join(rss['unsettled'])}" if rss.get("unsettled") else "") + ")"]]
        lines += _table(["measure", "result"], rows)
    lines += concurrency_section(results.get("concurrency"))
    if results.get("limits"):
        lines += ["", "## What limits the figures", ""]
        lines += [f"- {x}" for x in results["limits"]]
    if results.get("changes"):
        lines += ["", "## Design fixes the benchmark led to", ""]
        lines += [f"- {x}" for x in results["changes"]]
    lines += ["", "Reproduce: `make bench` (options: `python -m bench --help`).", ""]
    return "\n".join(lines)


def concurrency_section(c: dict | None) -> list[str]:
    """Simultaneous sessions on the overview (bench/concurrency.py): the figures, the table of
    levels for one and two servers, the Chromium check, what limits them."""
    if c is None:
        return []
    lines = ["", "## Concurrency: simultaneous sessions opening the overview", ""]
    if c.get("skipped"):
        return lines + ["skipped: " + c["skipped"]]
    limit = c.get("p95_max_seconds", 2.0)
    one, two = c["one_server"], c["two_servers"]
    default = c.get("one_server_default")
    flags = " ".join(c.get("flags", {}).get("deploy", []))
    lines += [
        f"**One server holds {one['figure']} simultaneous sessions** with the overview's p95 "
        f"time-to-chart under {limit:g} s; **two servers on the same lake hold "
        f"{two['figure']}** ({_r(c['figures'].get('ratio'))})"
        + (f", both with the deploy flags `{flags}`; with Streamlit's own defaults "
           f"one server holds {default['figure']}" if default else "")
        + f". Catalog: {c.get('catalog')}; client: {c.get('client')}. A level opens N "
        f"sessions at the same instant ({c.get('rounds')} rounds); p50/p95 over every session "
        "of the level, and the rounds' own p95 as median, min–max; CPU seconds per session "
        "from /proc. Warm caches (each server served one session first).",
        "",
    ]
    cases = [("1 server, defaults", default), ("1 server", one), ("2 servers", two)]
    rows = []
    for label, case in cases:
        for lv in (case or {}).get("levels", []):
            n = lv["sessions"] * lv["rounds"] or 1
            cpu = lv.get("cpu", {})
            rp = lv["round_p95"]
            fails = f", {lv['failed']} failed" if lv.get("failed") else ""
            if "first_p95" in lv:
                fails += f"; measured twice, first p95 {_s(lv['first_p95'])}"
            rows.append([label, str(lv["sessions"]), _s(lv["p50"]),
                         f"{_s(lv['p95'])} (rounds {_s(rp.get('median'))}, "
                         f"{_s(rp.get('min'))}–{_s(rp.get('max'))}{fails})",
                         f"{_s(cpu.get('server', 0) / n)} + PG "
                         f"{_s(cpu.get('postgres', 0) / n)}", lv.get("load", "")])
    lines += _table(["case", "sessions", "p50", "p95", "server CPU/session", "load average"],
                    rows)
    lines += [""]
    for label, case in cases:
        if case:
            mem = ", ".join(f"{m.get('VmHWM', 0)} MB" for m in case.get("memory_mb", []))
            lines.append(f"- {label}: stopped: {case['stopped']}; load average "
                         f"{case.get('load_start')} → {case.get('load_end')}; peak RSS {mem}.")
    v = c.get("validation", {})
    if v.get("skipped"):
        lines += ["", "Chromium check skipped: " + v["skipped"]]
    elif v:
        lines += ["", "One session, real Chromium (fresh context, the page's own JavaScript "
                  "and plotly drawn) against this client, same warm server:", ""]
        lines += _table(["measure", "time"], [
            ["Chromium: goto → first chart painted", fig(v.get("chromium_painted"))],
            ["Chromium: goto → websocket open (frontend loaded)",
             fig(v.get("chromium_ws_open"))],
            ["Chromium: websocket open → chart ForwardMsg received",
             fig(v.get("chromium_connect_to_chart_received"))],
            ["Chromium: chart received → painted (browser work)",
             fig(v.get("chromium_chart_received_to_painted"))],
            ["websocket client: connect → chart ForwardMsg received", fig(v.get("client"))],
        ])
        lines += ["", "The client's rerun BackMsg is "
                  + ("the one Chromium sent (same protobuf)." if v.get("backmsg_same") else
                     "NOT the one Chromium sent: " + "; ".join(
                         v.get("backmsgs_sent_by_chromium", [])))
                  + f" Load average {v.get('load_start')} → {v.get('load_end')}."]
    for note in c.get("notes", []):
        lines += ["", f"- {note}"]
    return lines


def write(results: dict, out_dir: Path) -> tuple[Path, Path]:
    results = {**results, "goals": goals(results)}
    out_dir.mkdir(parents=True, exist_ok=True)
    md, js = out_dir / "report.md", out_dir / "report.json"
    md.write_text(markdown(results), encoding="utf-8")
    js.write_text(json.dumps(results, indent=1, ensure_ascii=False, default=str) + "\n",
                  encoding="utf-8")
    return md, js
