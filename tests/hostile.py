"""The hostile-value corpus (issue 10 point 4): text an upload may hold that a browser, Markdown,
plotly, a spreadsheet or SQL would run if Envol passed it on as anything but text."""

from __future__ import annotations

import csv
import io

LONG = "Très long nom de ville " * 14 + "fin"  # 325 characters

CORPUS = [
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    '<a href="javascript:alert(1)">lien</a>',
    "**bold**",
    "$x$",
    ":red[x]",
    ":material/home: :smile:",
    "=1+1",
    "+1",
    "-1+1",
    "@SUM(A1)",
    '=HYPERLINK("http://x";"y")',
    "'; DROP TABLE members; --",
    "<b>b</b>",
    "&amp; &lt;",
    r"a\b \*c\*",
    "# titre",
    "1. liste",
    "{{7*7}} ${7*7} %s",
    "Ünïcödé 😀 مرحبا עברית",
    LONG,
]

# Formula starts that only the CSV writers see (an upload trims the spaces and tabs around a
# cell, so these are committed straight to the store in the unit tests).
FORMULA_STARTS = ["=1+1", "+1", "-1+1", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x")']


def csv_text(header: list[str], rows: list[list[str]]) -> bytes:
    """A `;`-separated UTF-8 CSV, cells quoted where needed (as Excel writes them)."""
    out = io.StringIO()
    w = csv.writer(out, delimiter=";", lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    return out.getvalue().encode("utf-8")


def comptoir_rows() -> list[list[str]]:
    """One comptoir of Pégase per corpus value: the value as its city and local principals."""
    return [[f"h{i:02d}", "pegase", "MAR", value, "opening", value, "S1"]
            for i, value in enumerate(CORPUS)]


COMPTOIR_HEADER = ["comptoir_id", "cluster_id", "country_iso3", "city", "status",
                   "local_principals", "source_id"]

# The three clusters renamed: names reach page titles, chart labels, slide titles, the PPTX/PDF.
CLUSTER_NAMES = {"pegase": "<img src=x onerror=alert(1)>", "aerospace_valley": "**bold** $x$",
                 "astech": ":red[x] [x](javascript:alert(1))"}
CLUSTER_REGIONS = {"pegase": "<script>alert(1)</script>", "aerospace_valley": "=1+1",
                   "astech": "'; DROP TABLE members; --"}
CLUSTER_HEADER = ["cluster_id", "name", "region", "source_id"]


def cluster_rows() -> list[list[str]]:
    return [[cid, CLUSTER_NAMES[cid], CLUSTER_REGIONS[cid], "S1"] for cid in CLUSTER_NAMES]


def formula_unsafe(cell: str) -> bool:
    """A CSV cell a spreadsheet would run: a formula start that is not a plain number."""
    import re

    return cell[:1] in ("=", "+", "-", "@", "\t", "\r") and not re.fullmatch(
        r"-?[0-9]+(?:[.,][0-9]+)?", cell)
