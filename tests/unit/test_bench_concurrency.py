"""The pure parts of bench/concurrency.py: the step-up search, p95 per level, the rerun message,
the report section (no server here: `make bench` measures)."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench import concurrency, report

INF = float("inf")


def test_level_p95_is_pooled_over_every_session_of_every_round():
    lv = concurrency.level_result(4, [[0.5, 0.6, 0.7, 1.9], [0.4, 0.5, 0.6, 2.5]])
    assert (lv["sessions"], lv["rounds"], lv["p95"], lv["p50"]) == (4, 2, 2.5, 0.6)
    assert lv["held"] is False  # 2.5 s is the 8th of 8 samples: p95 rank ceil(7.6) = 8
    assert (lv["round_p95"]["min"], lv["round_p95"]["max"]) == (1.9, 2.5)
    held = concurrency.level_result(2, [[0.5, 1.99], [0.4, 0.7]])
    assert (held["p95"], held["held"], held["failed"]) == (1.99, True, 0)
    failed = concurrency.level_result(2, [[0.5, INF]])
    assert (failed["held"], failed["failed"]) == (False, 1)
    assert concurrency.level_result(2, [[0.5, 2.0]])["held"] is False  # under 2 s, not at


def fake(p95_at: dict[int, float], again: dict[int, list[float]] | None = None):
    calls = []

    def measure(n):
        calls.append(n)
        if again and n in again and calls.count(n) == 2:
            return {**concurrency.level_result(n, [again[n]]), "cpu": {"server": 1.0}}
        return {**concurrency.level_result(n, [[p95_at[n]] * n]), "cpu": {"server": 2.0}}

    return measure, calls


def test_step_up_stops_at_the_first_level_over_the_limit_confirmed_once():
    measure, calls = fake({1: 0.4, 2: 0.9, 3: 1.5, 4: 2.4, 5: 1.0})
    out = concurrency.step_up(measure, (1, 2, 3, 4, 5), log=lambda _: None)
    assert calls == [1, 2, 3, 4, 4]  # 4 missed, measured again, missed: 5 is never tried
    assert (out["figure"], out["stopped"]) == (3, "p95 ≥ 2 s at 4 sessions")
    assert (out["levels"][-1]["rounds"], out["levels"][-1]["first_p95"]) == (2, 2.4)


def test_a_single_outlier_is_judged_on_the_pooled_sessions_of_two_measures():
    # 2 sessions, both at 5 s; measured again: 38 more sessions under 1 s. Pooled, the 40
    # samples' p95 (rank 38) is under 2 s: the level holds.
    measure, calls = fake({1: 0.3, 2: 5.0, 3: 1.0}, again={2: [0.5] * 38})
    out = concurrency.step_up(measure, (1, 2), log=lambda _: None)
    assert calls == [1, 2, 2]
    lv = out["levels"][1]
    assert (out["figure"], lv["held"], lv["p95"], lv["first_p95"]) == (2, True, 0.5, 5.0)
    assert lv["cpu"] == {"server": 3.0}
    measure, calls = fake({1: 0.3, 2: 5.0}, again={2: [0.5, 0.5]})  # 4 samples: 5 s is p95
    assert concurrency.step_up(measure, (1, 2), log=lambda _: None)["figure"] == 1


def test_step_up_figure_is_zero_when_one_session_misses_and_last_level_when_all_hold():
    measure, calls = fake({1: 2.1, 2: 0.1})
    assert concurrency.step_up(measure, (1, 2), log=lambda _: None)["figure"] == 0
    assert calls == [1, 1]
    measure, calls = fake({1: 0.1, 2: 0.2})
    out = concurrency.step_up(measure, (1, 2), log=lambda _: None)
    assert (out["figure"], out["stopped"], calls) == (2, "levels exhausted", [1, 2])


def test_step_up_stops_when_its_time_budget_is_spent():
    now = iter([0.0, 0.0, 5.0, 11.0, 11.0])
    measure, calls = fake({1: 0.1, 2: 0.1, 3: 0.1})
    out = concurrency.step_up(measure, (1, 2, 3), budget=10.0, clock=lambda: next(now),
                              log=lambda _: None)
    assert calls == [1, 2]
    assert (out["figure"], out["stopped"]) == (2, "time budget (10 s) spent")


def test_sessions_are_split_round_robin():
    assert concurrency.split_round_robin(5, 2) == [0, 1, 0, 1, 0]
    assert concurrency.split_round_robin(3, 1) == [0, 0, 0]


def test_rerun_message_is_the_browsers_first_backmsg():
    msg = BackMsg()
    msg.ParseFromString(concurrency.rerun_message("http://127.0.0.1:8501/"))
    assert msg.WhichOneof("type") == "rerun_script"
    ctx = msg.rerun_script.context_info
    assert (ctx.url, ctx.locale, ctx.timezone, ctx.color_scheme) == (
        "http://127.0.0.1:8501/", "en-US", "UTC", "light")
    assert msg.rerun_script.HasField("widget_states")
    assert (msg.rerun_script.page_script_hash, msg.rerun_script.query_string) == ("", "")


def test_a_forward_msg_is_recognised_as_the_chart_or_the_end_of_the_run():
    chart = ForwardMsg()
    chart.delta.new_element.plotly_chart.spec = "{}"
    heading = ForwardMsg()
    heading.delta.new_element.heading.body = "Vue d'ensemble"
    done = ForwardMsg()
    done.script_finished = 0
    assert concurrency._is_chart(chart.SerializeToString()) == (True, False)
    assert concurrency._is_chart(heading.SerializeToString()) == (False, False)
    assert concurrency._is_chart(done.SerializeToString()) == (False, True)


def test_a_session_to_a_closed_port_counts_as_failed_not_as_an_error():
    from envol.pgserver import free_port

    url = f"http://127.0.0.1:{free_port()}"

    async def one_session():
        ended, release = asyncio.Event(), asyncio.Event()
        return await concurrency.session(url, ended, release, timeout=5)

    # In its own thread: after the browser tests, Playwright's sync API has left an event loop
    # running in this one, where asyncio.run refuses to start.
    with ThreadPoolExecutor(1) as pool:
        got = pool.submit(asyncio.run, one_session()).result(timeout=30)
    assert got == INF


def case(figure, levels, servers):
    return {"figure": figure, "servers": servers, "stopped": f"p95 ≥ 2 s at {levels[-1][0]} "
            "sessions", "load_start": "1.0 / 1.0 / 1.0", "load_end": "2.0 / 1.0 / 1.0",
            "levels": [{**concurrency.level_result(n, [[t] * n]),
                        "cpu": {"server": 0.4 * n, "postgres": 0.01 * n, "client": 0.01 * n},
                        "load": "1.5 / 1.0 / 1.0"} for n, t in levels]}


@pytest.fixture
def measured():
    c = {"p95_max_seconds": 2.0, "rounds": 1, "catalog": "PostgreSQL", "client": "websocket",
         "one_server_default": case(1, [(1, 0.6), (2, 2.1)], 1),
         "one_server": case(2, [(1, 0.4), (2, 0.9), (3, 2.2)], 1),
         "flags": {"deploy": ["--server.fileWatcherType", "none"]},
         "two_servers": case(4, [(1, 0.4), (2, 0.5), (4, 1.2), (6, 2.5)], 2),
         "figures": {"one_server": 2, "two_servers": 4, "ratio": 2.0},
         "validation": {"chromium_painted": report.stats([1.5]), "client": report.stats([0.4]),
                        "backmsg_same": True, "load_start": "1", "load_end": "1"}}
    c["notes"] = concurrency.notes(c)
    return c


def test_notes_derive_the_cpu_bound_from_the_measured_cpu(measured):
    default, one, two = measured["notes"]
    assert default.startswith("one server, Streamlit's defaults: each session costs")
    assert one.startswith("one server: each session costs the server(s) 0.40 s of CPU")
    assert "at most ≈ 5.0 sessions under 2 s; measured 2." in one
    assert "at most ≈ 10.0 sessions under 2 s; measured 4." in two
    assert "PostgreSQL 10 ms, this client 10 ms" in one


def test_report_section_gives_both_figures_and_one_row_per_level(measured):
    text = "\n".join(report.concurrency_section(measured))
    assert ("**One server holds 2 simultaneous sessions** with the overview's p95 "
            "time-to-chart under 2 s; **two servers on the same lake hold 4** (2.00×), both "
            "with the deploy flags `--server.fileWatcherType none`; with Streamlit's own "
            "defaults one server holds 1.") in text
    assert ("| 1 server | 3 | 2.20 s | 2.20 s (rounds 2.20 s, 2.20 s–2.20 s) | 400 ms + PG "
            "10 ms | 1.5 / 1.0 / 1.0 |") in text
    assert "| 2 servers | 6 | 2.50 s | 2.50 s (rounds 2.50 s, 2.50 s–2.50 s) |" in text
    assert "| 1 server, defaults | 2 | 2.10 s |" in text
    assert "- 2 servers: stopped: p95 ≥ 2 s at 6 sessions; load average" in text
    assert "the one Chromium sent (same protobuf)" in text
    assert report.concurrency_section({"skipped": "no PostgreSQL"})[-1] == (
        "skipped: no PostgreSQL")
    assert report.concurrency_section(None) == []
