"""How many simultaneous sessions the overview holds at EU scale (issue 11, point 5).

A *session* is what a browser tab does when it opens the overview: it opens Streamlit's websocket
(`/_stcore/stream`), sends the `rerun_script` BackMsg the frontend sends (captured from Chromium
and checked to be the same message, see `validate`), and reads ForwardMsgs; its *time-to-chart*
runs from the websocket connect to the ForwardMsg delta that carries the overview's first plotly
chart. The session then stays open until its script run ends, as a tab does (closing it at the
chart would spare the server the rest of the page).

A *round* at level N opens N sessions at the same instant and waits for all of them; each level
runs `rounds` rounds, and its p95 is taken over the N × rounds times-to-chart. Levels step
up (1, 2, 3, 4, 5, 6, 8, 10, …) until the p95 reaches 2 s, or the level or time bound is hit:
the figure is the largest N whose p95 stays under 2 s. A level that misses is measured once
more and judged on the pooled sessions of both (this machine is shared: one slow round of
another job's making should not decide the figure alone; the report shows both p95s).
Servers are warmed first (one session each, not counted), so every figure is a warm-cache one
(a process's sessions share the result cache).

Cases, measured in one run on the same lake: one server with Streamlit's own defaults
(`STREAMLIT_DEFAULTS`), then one server and two servers (two processes on two ports, sessions
split round-robin) with the deploy flags (`DEPLOY_FLAGS`, README "Deploy"), on the EU lake
with its catalog in a throw-away PostgreSQL on 127.0.0.1 (the cached DuckDB-file catalog copied
table by table; the Parquet files hard-linked), as a deployment with several servers runs. CPU
seconds of each server, of PostgreSQL and of this client are read from /proc around every round;
the load average is recorded per level and per case.

The websocket client rather than N Chromium pages: on these 2 cores every Chromium page is a
renderer process that lays out the page and draws plotly, on the cores the server needs; the
client here costs a few ms of CPU per session (reported), so the figure measures the server.
`validate` opens the overview in real Chromium too and reports both times for one session.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from bench.lakes import CATALOG, ROOT, clone_lake
from bench.report import stats

P95_MAX = 2.0  # seconds: the overview's time-to-chart goal
LEVELS = (1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 24, 32)
SESSION_TIMEOUT = 60.0  # seconds a session may take before it counts as failed
CASE_BUDGET = 600.0  # seconds of stepping up per case, at most
TICK = os.sysconf("SC_CLK_TCK")
# The deployment flags README's "Deploy" recommends (measured here against the defaults): no
# source-file watcher (it re-resolved the path of every imported module after every script run)
# and no full garbage collection after every run (gc.collect(2) holds the GIL for every session
# of the process while it walks the heap).
DEPLOY_FLAGS = ("--server.fileWatcherType", "none", "--runner.postScriptGC", "false")
# Streamlit's own defaults for the same two options: `.streamlit/config.toml` now sets the deploy
# values, so the "defaults" case passes these to keep measuring what Streamlit does out of the box.
STREAMLIT_DEFAULTS = ("--server.fileWatcherType", "auto", "--runner.postScriptGC", "true")


# ---------------------------------------------------------------- the pure parts
def level_result(n: int, rounds: list[list[float]], limit: float = P95_MAX) -> dict:
    """One level: the pooled p50/p95 of every session's time-to-chart, and per-round p95."""
    pooled = [x for r in rounds for x in r]
    st = stats(pooled)
    per_round = stats([stats(r)["p95"] for r in rounds if r])
    return {"sessions": n, "rounds": len(rounds), "time_to_chart": st, "by_round": rounds,
            "p50": st.get("median"), "p95": st.get("p95"), "round_p95": per_round,
            "failed": sum(1 for x in pooled if x == float("inf")),
            "held": st.get("n", 0) > 0 and st["p95"] < limit}


def step_up(measure: Callable[[int], dict], levels=LEVELS, *, limit: float = P95_MAX,
            budget: float = CASE_BUDGET, clock: Callable[[], float] = time.monotonic,
            log=print) -> dict:
    """Measure levels in order until one's p95 reaches `limit`, the levels run out, or
    `budget` seconds have passed (checked before each level). `measure(n)` returns a
    `level_result`. A level that misses is measured once more and judged on the pooled
    sessions of both (a shared machine gives single outliers; twice the samples, same p95
    rule). The figure is the largest level held before the first one that was not (0 when
    even one session misses)."""
    started = clock()
    done, figure, stopped = [], 0, "levels exhausted"
    for n in levels:
        if clock() - started > budget:
            stopped = f"time budget ({budget:.0f} s) spent"
            break
        result = measure(n)
        log(f"    {n:3d} sessions: p50 {result['p50']:.2f} s, p95 {result['p95']:.2f} s")
        if not result["held"]:
            again = measure(n)
            first_p95 = result["p95"]
            cpu = {k: round(v + again.get("cpu", {}).get(k, 0.0), 3)
                   for k, v in result.get("cpu", {}).items()}
            result = {**again, **level_result(n, result["by_round"] + again["by_round"],
                                              limit), "first_p95": first_p95}
            if cpu:
                result["cpu"] = cpu
            log(f"    {n:3d} sessions again, pooled: p50 {result['p50']:.2f} s, "
                f"p95 {result['p95']:.2f} s")
        done.append(result)
        if not result["held"]:
            stopped = f"p95 ≥ {limit:g} s at {n} sessions"
            break
        figure = n
    return {"figure": figure, "levels": done, "stopped": stopped,
            "limit_seconds": limit, "seconds": clock() - started}


def split_round_robin(n: int, servers: int) -> list[int]:
    """Server index of each of n sessions: 0, 1, 0, 1, …"""
    return [i % servers for i in range(n)]


def cpu_per_session(level: dict) -> dict:
    """CPU seconds per session at one level (server(s), PostgreSQL, client)."""
    n = level["sessions"] * level["rounds"]
    return {k: v / n for k, v in level.get("cpu", {}).items()} if n else {}


def notes(c: dict) -> list[str]:
    """What the measured figures say limits them (derived from the numbers only)."""
    out = []
    limit = c.get("p95_max_seconds", P95_MAX)
    for key, label in (("one_server_default", "one server, Streamlit's defaults"),
                       ("one_server", "one server"), ("two_servers", "two servers")):
        case = c.get(key) or {}
        levels = case.get("levels") or []
        if not levels:
            continue
        per = [cpu_per_session(lv) for lv in levels]
        server = stats([p["server"] for p in per if "server" in p])
        if not server.get("n"):
            continue
        first = levels[0]
        cores = case["servers"]
        bound = cores * limit / server["median"]
        out.append(
            f"{label}: each session costs the server(s) {server['median']:.2f} s of CPU "
            f"(median over levels; {server['min']:.2f}–{server['max']:.2f}); PostgreSQL "
            f"{stats([p.get('postgres', 0) for p in per])['median'] * 1000:.0f} ms, this "
            f"client {stats([p.get('client', 0) for p in per])['median'] * 1000:.0f} ms. "
            f"One session alone: p50 {first['p50']:.2f} s. With {cores} process(es) each "
            f"running Python on one core at a time, N sessions arriving together finish by "
            f"about N × {server['median']:.2f} s / {cores}: at most ≈ {bound:.1f} sessions "
            f"under {limit:g} s; measured {case['figure']}.")
    return out


# ---------------------------------------------------------------- /proc
def _proc_cpu(pid: int, children: bool = False) -> float:
    try:
        f = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = int(f[11]) + int(f[12]) + (int(f[13]) + int(f[14]) if children else 0)
    return ticks / TICK


def _ppid(pid: int) -> int | None:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return None


def pg_cpu(postmaster: int | None) -> float:
    """CPU seconds of PostgreSQL: the postmaster (with its exited backends) and live backends."""
    if postmaster is None:
        return 0.0
    total = _proc_cpu(postmaster, children=True)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and _ppid(int(entry.name)) == postmaster:
            total += _proc_cpu(int(entry.name))
    return total


def load() -> str:
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())


# ---------------------------------------------------------------- servers and lake
class Server:
    """`python -m streamlit run app.py` on 127.0.0.1, a free port, with the given lake env."""

    def __init__(self, env: dict, log_path: Path, flags: tuple[str, ...] = ()):
        from envol.pgserver import free_port

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env, self.log_path = env, log_path
        self._log = open(log_path, "a")  # noqa: SIM115 (closed in stop)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port",
             str(self.port), "--server.address", "127.0.0.1", "--server.headless", "true",
             "--browser.gatherUsageStats", "false", *flags],
            cwd=ROOT, env={**os.environ, **env}, stdout=self._log, stderr=subprocess.STDOUT)

    def wait_healthy(self, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("streamlit exited: " + self.log_path.read_text()[-2000:])
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("streamlit did not answer /_stcore/health")

    def cpu(self) -> float:
        return _proc_cpu(self.proc.pid)

    def memory_mb(self) -> dict:
        out = {}
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmHWM", "VmRSS"):
                out[key] = round(int(value.split()[0]) / 1024)
        return out

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=20)
        self._log.close()


def copy_catalog_to_postgres(lake: Path, pg, dbname: str) -> dict:
    """The lake in `lake` (a DuckDB-file catalog) with its catalog copied into a new PostgreSQL
    database: every `ducklake_*` table row for row, so snapshots, files and statistics are the
    same and the app sees the same lake. Returns the app's environment for it."""
    from envol import store

    catalog = pg.create_database(dbname)
    libpq = catalog[len(store.POSTGRES):]
    files = str(lake / "files") + os.sep
    con = store.connect(postgres=True)
    try:
        con.execute("CREATE TEMPORARY SECRET (TYPE postgres, PASSWORD $p)", {"p": pg.password})
        # DuckLake creates its catalog tables in the empty database, then we fill them.
        con.execute(f"ATTACH {store.quote('ducklake:postgres:' + libpq)} AS fresh "
                    f"(DATA_PATH {store.quote(files)})")
        con.execute("DETACH fresh")
        con.execute(f"ATTACH {store.quote(str(lake / CATALOG))} AS src (READ_ONLY)")
        con.execute(f"ATTACH {store.quote(libpq)} AS dst (TYPE postgres)")

        def tables(db: str, schema: str) -> list[str]:
            return [r[0] for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_catalog = $d "
                "AND table_schema = $s ORDER BY 1", {"d": db, "s": schema}).fetchall()]

        # Table and column names come from DuckLake's own catalog, quoted; no values in SQL.
        present = set(tables("dst", "public"))
        con.execute("BEGIN")
        for name in tables("src", "main"):
            src, dst = f'src.main."{name}"', f'dst.public."{name}"'
            if name not in present:  # the (empty) inlined-data tables of the lake's tables
                con.execute(f"CREATE TABLE {dst} AS SELECT * FROM {src}")  # noqa: S608
                continue
            cols = ", ".join(f'"{r[0]}"' for r in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_catalog = 'src' "
                "AND table_name = $t ORDER BY ordinal_position", {"t": name}).fetchall())
            con.execute(f"DELETE FROM {dst}")  # noqa: S608
            con.execute(f"INSERT INTO {dst} ({cols}) SELECT {cols} FROM {src}")  # noqa: S608
        con.execute("UPDATE dst.public.ducklake_metadata SET value = $p WHERE key = 'data_path'",
                    {"p": files})
        con.execute("COMMIT")
    finally:
        con.close()
    return {"ENVOL_CATALOG": catalog, "ENVOL_CATALOG_PASSWORD": pg.password,
            "ENVOL_DATA_PATH": str(lake / "files"), "ENVOL_LAKE_DIR": str(lake / "unused")}


# ---------------------------------------------------------------- the websocket client
def rerun_message(url: str) -> bytes:
    """The BackMsg Chromium sends when it opens `url`: rerun the script, no widget state, the
    default page, its context (see `validate`, which compares it with the captured one)."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    msg = BackMsg()
    rerun = msg.rerun_script
    rerun.widget_states.SetInParent()
    ctx = rerun.context_info
    ctx.timezone, ctx.timezone_offset, ctx.locale = "UTC", 0, "en-US"
    ctx.url, ctx.is_embedded, ctx.color_scheme = url, False, "light"
    return msg.SerializeToString()


def _is_chart(data: bytes) -> tuple[bool, bool]:
    """(carries a plotly chart, ends the script run) for one ForwardMsg."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    msg = ForwardMsg()
    msg.ParseFromString(data)
    kind = msg.WhichOneof("type")
    if kind == "delta":
        d = msg.delta
        return (d.WhichOneof("type") == "new_element"
                and d.new_element.WhichOneof("type") == "plotly_chart"), False
    return False, kind == "script_finished"


async def session(url: str, ended: asyncio.Event, release: asyncio.Event,
                  timeout: float = SESSION_TIMEOUT) -> float:
    """One tab opening the overview: seconds from connect to the first plotly chart (inf when
    the chart never came within `timeout`). Stays open until its script run ends (sets
    `ended`), then until `release` (the end of the round)."""
    from websockets.asyncio.client import connect
    from websockets.exceptions import WebSocketException

    ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
    started = time.perf_counter()
    chart = float("inf")
    try:
        async with asyncio.timeout(timeout):
            async with connect(ws_url, subprotocols=["streamlit"], origin=url,
                               max_size=None, open_timeout=timeout) as ws:
                await ws.send(rerun_message(url + "/"))
                async for data in ws:
                    is_chart, finished = _is_chart(data)
                    if is_chart and chart == float("inf"):
                        chart = time.perf_counter() - started
                    if finished:
                        break
                ended.set()
                await release.wait()
    except (TimeoutError, OSError, WebSocketException):
        pass  # counts as a failed session when no chart came
    finally:
        ended.set()
    return chart


async def _round(urls: list[str]) -> list[float]:
    """N sessions opened at the same instant; each one's time-to-chart."""
    release = asyncio.Event()
    ended = [asyncio.Event() for _ in urls]
    tasks = [asyncio.create_task(session(u, e, release)) for u, e in zip(urls, ended,
                                                                         strict=True)]
    await asyncio.gather(*(e.wait() for e in ended))
    release.set()
    return list(await asyncio.gather(*tasks))


def run_round(urls: list[str]) -> list[float]:
    return asyncio.run(_round(urls))


# ---------------------------------------------------------------- the cases
def measure_case(servers: list[Server], rounds: int, postmaster: int | None, *,
                 levels=LEVELS, budget: float = CASE_BUDGET, log=print) -> dict:
    load_start = load()
    log(f"  concurrency: {len(servers)} server(s), warming up ...")
    for s in servers:
        warm = run_round([s.url])
        if warm[0] == float("inf"):
            raise RuntimeError(f"warm-up session on {s.url} got no chart: "
                               + s.log_path.read_text()[-2000:])

    def measure(n: int) -> dict:
        picks = split_round_robin(n, len(servers))
        urls = [servers[i].url for i in picks]
        samples = []
        cpu = {"server": 0.0, "postgres": 0.0, "client": 0.0}
        wall = 0.0
        for _ in range(rounds):
            before = ([s.cpu() for s in servers], pg_cpu(postmaster), time.process_time())
            t = time.perf_counter()
            samples.append(run_round(urls))
            wall += time.perf_counter() - t
            cpu["server"] += sum(s.cpu() for s in servers) - sum(before[0])
            cpu["postgres"] += pg_cpu(postmaster) - before[1]
            cpu["client"] += time.process_time() - before[2]
            time.sleep(0.3)  # the previous round's sessions close
        result = level_result(n, samples)
        result["cpu"] = {k: round(v, 3) for k, v in cpu.items()}
        result["wall_seconds"] = round(wall, 2)
        result["load"] = load()
        return result

    out = step_up(measure, levels, budget=budget, log=log)
    out.update(servers=len(servers), load_start=load_start, load_end=load(),
               memory_mb=[s.memory_mb() for s in servers])
    return out


def _chromium_times(url: str, rounds: int) -> dict:
    """Real Chromium, one page at a time, each in a fresh context (a first visit): seconds from
    `goto` to the first plotly chart painted, and when (from `goto`, as Playwright sees the
    frames) the websocket opened, the rerun was sent and the chart's ForwardMsg arrived; the
    BackMsgs the first page sent."""
    from playwright.sync_api import sync_playwright

    from bench.browser import ARGS, CHART, CHROMIUM, _new_page

    blocked: list[str] = []
    sent: list[bytes] = []
    rows = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            for i in range(rounds):
                page = _new_page(browser, blocked)
                ev: dict[str, float] = {}

                def on_frame_sent(payload, ev=ev, first=i == 0):
                    ev.setdefault("rerun_sent", time.perf_counter())
                    if first:
                        sent.append(payload if isinstance(payload, bytes) else payload.encode())

                def on_frame(payload, ev=ev):
                    if "chart_received" not in ev and isinstance(payload, bytes) \
                            and _is_chart(payload)[0]:
                        ev["chart_received"] = time.perf_counter()

                def on_ws(ws, ev=ev):
                    ev.setdefault("ws_open", time.perf_counter())
                    ws.on("framesent", on_frame_sent)
                    ws.on("framereceived", on_frame)

                page.on("websocket", on_ws)
                started = time.perf_counter()
                page.goto(url + "/")
                page.wait_for_selector(CHART, timeout=120_000)
                ev["painted"] = time.perf_counter()
                rows.append({k: v - started for k, v in ev.items()})
                page.context.close()
        finally:
            browser.close()
    return {"rows": rows, "sent": sent, "blocked": sorted(set(blocked))}


def validate(server: Server, rounds: int) -> dict:
    """One session in Chromium and one through the websocket client, `rounds` each, on the same
    warm server; and whether the client's BackMsg is the one Chromium sent."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    from bench.browser import CHROMIUM

    if not Path(CHROMIUM).exists():
        return {"skipped": f"no Chromium at {CHROMIUM}"}
    run_round([server.url])  # warm
    load_start = load()
    chromium = _chromium_times(server.url, rounds)
    client = [run_round([server.url])[0] for _ in range(rounds)]
    ours = BackMsg()
    ours.ParseFromString(rerun_message(server.url + "/"))
    theirs = []
    for raw in chromium["sent"]:
        m = BackMsg()
        m.ParseFromString(raw)
        theirs.append(m)
    rows = chromium["rows"]

    def col(key: str, minus: str | None = None) -> dict:
        return stats([r[key] - (r[minus] if minus else 0.0) for r in rows
                      if key in r and (minus is None or minus in r)])

    return {"chromium_painted": col("painted"), "chromium_ws_open": col("ws_open"),
            "chromium_connect_to_chart_received": col("chart_received", "ws_open"),
            "chromium_chart_received_to_painted": col("painted", "chart_received"),
            "client": stats(client), "backmsg_same": bool(theirs) and theirs[0] == ours,
            "backmsgs_sent_by_chromium": [str(m) for m in theirs],
            "blocked_requests": chromium["blocked"], "load_start": load_start,
            "load_end": load()}


def measure(lake_src: Path, work: Path, *, rounds: int = 3, levels=LEVELS,
            budget: float = CASE_BUDGET, validate_rounds: int = 3, log=print) -> dict:
    """The concurrency figures: one server, then two, on the EU lake with a PostgreSQL
    catalog. Everything it starts (PostgreSQL, servers) it stops, failure or not."""
    from envol import pgserver

    if not pgserver.available():
        return {"skipped": f"no PostgreSQL at {pgserver.PG_BIN} (`make test` installs it)"}
    lake = clone_lake(lake_src, work / "concurrency-lake")
    out: dict = {"p95_max_seconds": P95_MAX, "rounds": rounds, "levels_tried": list(levels),
                 "catalog": "PostgreSQL 15 (throw-away, 127.0.0.1), DuckDB-file catalog copied",
                 "client": "websocket (Streamlit protocol), one asyncio process",
                 "session_timeout_seconds": SESSION_TIMEOUT}
    out["flags"] = {"default": list(STREAMLIT_DEFAULTS), "deploy": list(DEPLOY_FLAGS)}
    started = time.perf_counter()
    with pgserver.throwaway(max_connections=200) as pg:
        env = copy_catalog_to_postgres(lake, pg, "eu_lake")
        pid_file = pg.root / "data" / "postmaster.pid"
        postmaster = int(pid_file.read_text().split()[0]) if pid_file.exists() else None
        servers: list[Server] = []

        def start(n: int, flags: tuple[str, ...], name: str) -> list[Server]:
            new = [Server(env, work / f"concurrency-{name}-{i}.log", flags) for i in range(n)]
            servers.extend(new)
            for s in new:
                s.wait_healthy()
            return new

        try:
            default = start(1, STREAMLIT_DEFAULTS, "default")
            log("  concurrency: one session in Chromium vs the websocket client ...")
            out["validation"] = validate(default[0], validate_rounds)
            log("  concurrency: one server, Streamlit's own defaults ...")
            out["one_server_default"] = measure_case(default, rounds, postmaster,
                                                     levels=levels, budget=budget, log=log)
            default[0].stop()
            deploy = start(2, DEPLOY_FLAGS, "deploy")
            log("  concurrency: one server, deploy flags ...")
            out["one_server"] = measure_case(deploy[:1], rounds, postmaster, levels=levels,
                                             budget=budget, log=log)
            log("  concurrency: two servers, deploy flags ...")
            out["two_servers"] = measure_case(deploy, rounds, postmaster, levels=levels,
                                              budget=budget, log=log)
        finally:
            for s in servers:
                s.stop()
    shutil.rmtree(lake, ignore_errors=True)
    one, two = out["one_server"]["figure"], out["two_servers"]["figure"]
    out["figures"] = {"one_server_default": out["one_server_default"]["figure"],
                      "one_server": one, "two_servers": two,
                      "ratio": (two / one) if one else None}
    out["seconds"] = round(time.perf_counter() - started, 1)
    out["notes"] = notes(out)
    return out
