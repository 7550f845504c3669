"""envol.text: data text made inert for Markdown, for plotly labels and for spreadsheets."""

from __future__ import annotations

import csv
import io
import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from envol import ingest, scenario, store
from envol.access import LOCAL
from envol.schema import TABLES
from envol.text import formula_safe, markdown_text, plain_html, plain_markdown
from tests.conftest import make_lake
from tests.hostile import CORPUS, FORMULA_STARTS, formula_unsafe


@pytest.mark.parametrize("text,expected", [
    ("<img src=x onerror=alert(1)>", r"\<img src\=x onerror\=alert\(1\)\>"),
    ("<script>alert(1)</script>", r"\<script\>alert\(1\)\</script\>"),
    ("[x](javascript:alert(1))", r"\[x\]\(javascript&#58;alert\(1\)\)"),
    ("**bold**", r"\*\*bold\*\*"),
    ("$x$", r"\$x\$"),
    (":red[x]", r"&#58;red\[x\]"),
    (":material/home: :smile:", "&#58;material/home&#58; &#58;smile&#58;"),
    ("&amp;", r"\&amp;"),
    ("a\\b", "a\\\\b"),
    ("# t\n- u\n1. v", "\\# t\n\\- u\n1\\. v"),
    ("x\n===", "x\n\\=\\=\\="),
    ("    code", "&#32;&#32;&#32;&#32;code"),
    ("\tcode", "&#9;code"),
    ("Pégase, l'Île 😀", "Pégase, l'Île 😀"),
    ("'; DROP TABLE members; --", "'; DROP TABLE members; \\-\u2060\\-"),
    ("https://x.org www.y.fr a@b.com",
     "https&#58;\u2060//x\\.org www\u2060\\.y\\.fr a@\u2060b\\.com"),
    ("a -> b <= c ~= d", "a \\-\u2060\\> b \\<\u2060\\= c \\~\u2060\\= d"),
    (None, ""), (math.nan, ""), (pd.NA, ""), (12, "12"),
])
def test_plain_markdown_exact(text, expected):
    assert plain_markdown(text) == expected


@given(st.text(max_size=80))
def test_markdown_text_gives_back_the_original(s):
    assert markdown_text(plain_markdown(s)) == s


def test_corpus_round_trips_and_keeps_no_markdown_special_unescaped():
    for s in CORPUS:
        md = plain_markdown(s)
        assert markdown_text(md) == s
        assert ":" not in md and "<" not in md.replace("\\<", "")


@pytest.mark.parametrize("text,expected", [
    ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
    ("<a href='javascript:alert(1)'>A & B</a>",
     "&lt;a href='javascript:alert(1)'&gt;A &amp; B&lt;/a&gt;"),
    ("&amp;", "&amp;amp;"), ("<br>", "&lt;br&gt;"), (None, ""), ("Pégase", "Pégase"),
])
def test_plain_html_exact(text, expected):
    assert plain_html(text) == expected


@pytest.mark.parametrize("value,expected", [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1+1", "'-1+1"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
    ("-12", "-12"), ("-12,5", "-12,5"), ("-3.25", "-3.25"), ("+", "'+"), ("-", "'-"),
    ("Plan A", "Plan A"), ("", ""), ("'; DROP TABLE members; --", "'; DROP TABLE members; --"),
    (-12.5, "-12.5"), (-3, "-3"), (250_000.0, "250000"), (True, "true"), (False, "false"),
    (None, ""), (math.nan, ""), (pd.NA, ""),
])
def test_formula_safe_exact(value, expected):
    assert formula_safe(value) == expected


def cells(data: bytes | str, sep: str = ";") -> list[list[str]]:
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))


def test_history_export_neutralises_every_formula_and_keeps_negative_numbers(tmp_path):
    values = FORMULA_STARTS + CORPUS
    rows = [{"comptoir_id": f"h{i:02d}", "cluster_id": "pegase", "country_iso3": "MAR",
             "city": v, "status": "opening", "local_principals": v, "source_id": "S1",
             "lon": -7.5 - i, "budget_eur": -12.5 if i == 0 else None}
            for i, v in enumerate(values)]
    con = make_lake(tmp_path, {"clusters": [{"cluster_id": "pegase", "name": "P", "region": "R",
                                             "source_id": "S1"}],
                               "comptoirs": rows})
    try:
        out = cells(ingest.export_csv(con, "comptoirs", store.current_version(con),
                                     scope=LOCAL))
    finally:
        con.close()
    head, body = out[0], out[1:]
    city, lon, budget = head.index("city"), head.index("lon"), head.index("budget_eur")
    assert [r[city] for r in body] == [formula_safe(v) for v in values]
    assert [r[lon] for r in body] == [str(-7.5 - i).replace(".", ",") for i in range(len(values))]
    assert body[0][budget] == "-12,5"
    assert not any(formula_unsafe(c) for r in body for i, c in enumerate(r)
                   if i not in (lon, budget))


def test_problem_list_csv_is_formula_safe(tmp_path):
    con = make_lake(tmp_path, {})
    data = "\r\n".join(["comptoir_id;cluster_id;country_iso3;city;status;source_id",
                        "=1+1;@SUM(A1);+1;-1+1;=HYPERLINK(\"x\");-2+3", ""]).encode()
    try:
        sniffed = ingest.sniff(data, table="comptoirs", limits=ingest.Limits(200, 1000))
        checked = ingest.check(con, data, sniffed.dialect, mode="replace",
                               limits=ingest.Limits(200, 1000))
    finally:
        con.close()
    assert checked.problems
    out = cells(ingest.problems_csv(checked.problems, "fr"))
    values = [r[3] for r in out[1:]]
    assert "'=HYPERLINK(\"x\")" in values and "'+1" in values and "'@SUM(A1)" in values
    assert not any(formula_unsafe(c) for r in out for c in r)


def test_templates_and_scenario_csv_are_formula_safe():
    for t in TABLES.values():
        assert not any(formula_unsafe(c) for r in cells(t.template_csv()) for c in r)
    saved = {name: scenario.Levers() for name in ("=1+1", "@SUM(A1)", "-2+3")}
    out = cells(scenario.scenarios_to_csv(saved), sep=",")
    assert not any(formula_unsafe(c) for r in out for c in r)
    assert {"'=1+1", "'@SUM(A1)", "'-2+3"} <= {c for r in out for c in r}
