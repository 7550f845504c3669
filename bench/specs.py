"""Which pages exist, and for each one the named queries it runs (the floor) and the cases.

Pages are discovered from `app.py` itself (every `st.Page("app_pages/….py", …, url_path=…)` in
the navigation), so a page that lands on main is measured by the next `make bench` without
touching this file. A page with a spec below is checked against it (the queries the page really
runs are recorded and compared); a page without one is measured with the queries recorded while
it runs, and its baseline uses the pandas version of each query found in `bench/baselines.py`
(a query with none is reported as such).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"

@dataclass(frozen=True)
class PageSpec:
    """What a page runs: its named queries besides the router's (params as the page passes
    them: the view's snapshot, and its selected clusters for a query that takes them)."""

    queries: tuple[str, ...] | None  # None: the queries recorded while the page runs
    slider: bool = False  # measure slider → chart in Chromium on this page


SPECS: dict[str, PageSpec] = {
    "app_pages/overview.py": PageSpec(
        queries=("kpis_by_cluster", "sources_by_id", "table_snapshots_by_table",
                 "survey_answers_by_question", "portage_by_year", "targets_by_programme"),
    ),
    "app_pages/sources.py": PageSpec(queries=("sources_by_id", "table_snapshots_by_table")),
    # Lands with issue 5: its queries are recorded until listed here; its first slider that
    # changes a chart is timed in Chromium.
    "app_pages/scenario.py": PageSpec(queries=None, slider=True),
}

# Pages other issues are building: reported as "lands with issue N" until app.py registers them.
EXPECTED = {"maps": 3, "funnels": 4, "scenario": 5, "upload": 6}


@dataclass(frozen=True)
class Page:
    path: str  # "app_pages/overview.py"
    url_path: str  # as registered ("overview"); the browser opens "/" for the default page
    default: bool

    @property
    def name(self) -> str:
        return Path(self.path).stem

    @property
    def url(self) -> str:
        return "/" if self.default else f"/{self.url_path}"

    @property
    def spec(self) -> PageSpec | None:
        return SPECS.get(self.path)


def pages(app: Path = APP) -> list[Page]:
    """Every page registered in `app.py`'s navigation, in navigation order."""
    found = []
    for node in ast.walk(ast.parse(app.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "Page"):
            continue
        if not (node.args and isinstance(node.args[0], ast.Constant)):
            continue
        kw = {k.arg: k.value for k in node.keywords}
        path = node.args[0].value
        url = kw["url_path"].value if isinstance(kw.get("url_path"), ast.Constant) else (
            Path(path).stem)
        default = isinstance(kw.get("default"), ast.Constant) and kw["default"].value is True
        found.append(Page(path, url, default))
    return found


def missing_pages(registered: list[Page]) -> dict[str, int]:
    """Expected pages not registered yet: url_path → the issue that brings it."""
    have = {p.url_path for p in registered} | {p.name for p in registered}
    return {url: issue for url, issue in EXPECTED.items() if url not in have}


# The router's last step, which runs the chosen page: `page.run()` or `run_page(page, lang)`
# (components/errors.py: a failing page shows a friendly message).
_RUNS_PAGE = re.compile(r"\n(?:page\.run\(\)|run_page\(page\b[^\n]*\))[ \t]*(?:\n|$)")


def empty_router(app: Path = APP) -> str:
    """`app.py` with its page left out: the router, the shared sidebar and the navigation, then
    nothing. The page paths are made absolute so the script can live anywhere."""
    text = app.read_text(encoding="utf-8")
    text, found = _RUNS_PAGE.subn("\npass  # benchmark: the empty page\n", text)
    if found != 1:
        raise ValueError("app.py has no single `page.run()` or `run_page(page, …)` line: the "
                         "empty page cannot be derived")
    return text.replace('st.Page("app_pages/', f'st.Page("{ROOT.as_posix()}/app_pages/')
