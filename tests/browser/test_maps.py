"""The maps page in Chromium with every outside request blocked: outlines drawn from the app's
own static file, links that carry the filters, the notice for invalid link values, a click on
a marker opening its comptoir."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from envol import store
from envol.queries import run_query

TIMEOUT = 30_000
MAP_TIMEOUT = 90_000  # a fresh browser context loads and parses plotly.js (~4 MB) first


@pytest.fixture(scope="module")
def snapshot_ids(tmp_path_factory) -> dict[str, int]:
    """Snapshot id of each table's commit in a lake seeded like the server's (seeding is
    deterministic: the same commits in the same order)."""
    d = tmp_path_factory.mktemp("ids")
    con = store.open_lake(store.LakeConfig(str(d / "c.ducklake"), d / "files"))
    snaps = run_query(con, "snapshots_by_time", version=store.current_version(con))
    con.close()
    return dict(zip(snaps["table_name"], snaps["snapshot_id"].astype(int), strict=True))


# Length of the SVG path data of the country outlines, per map: plotly draws all the countries
# of a map as one path, once the outline file has arrived.
OUTLINES = """() => [...document.querySelectorAll('g.geo')].map(g =>
    [...g.querySelectorAll('.countries path')].reduce(
        (n, p) => n + (p.getAttribute('d') || '').length, 0))"""


def wait_maps(page, count: int = 2):
    """Wait for `count` maps with their outlines drawn (or time out: a blank map)."""
    page.wait_for_selector("h1", timeout=TIMEOUT)
    expect(page.locator("g.geo")).to_have_count(count, timeout=MAP_TIMEOUT)
    page.wait_for_function(f"({OUTLINES})().every(n => n > 0)", timeout=TIMEOUT)
    expect(page.locator("[data-testid='stStatusWidget']")).to_have_count(0, timeout=TIMEOUT)


def outline_lengths(page) -> list[int]:
    return page.evaluate(OUTLINES)


@pytest.mark.browser
def test_maps_draw_country_outlines_with_no_outside_request(server, offline_page):
    page = offline_page
    outlines: list[tuple[str, int]] = []
    page.on("response", lambda r: outlines.append((r.url, r.status))
            if "world_110m" in r.url else None)
    page.goto(f"{server}/maps")
    wait_maps(page)
    expect(page.locator("h1")).to_have_text("Cartes : comptoirs et VIE")
    # Country outlines drawn in both maps (thousands of path commands each), land filled.
    lengths = outline_lengths(page)
    assert len(lengths) == 2 and min(lengths) > 10_000, lengths
    assert page.locator("g.geo .land path").count() >= 2
    comptoirs, vie = page.locator("g.geo").nth(0), page.locator("g.geo").nth(1)
    # Five comptoirs and the home base; five VIE countries shaded.
    assert comptoirs.locator(".scatterlayer path.point").count() == 6
    assert vie.locator(".choroplethlayer path").count() == 5
    assert "Querétaro (4)" in comptoirs.locator(".scatterlayer text").all_text_contents()
    # The outlines came from the app itself, and nothing tried to leave the machine.
    assert outlines and all(u.startswith(server) and s == 200 for u, s in outlines), outlines
    assert page.blocked == [], page.blocked


@pytest.mark.browser
def test_a_link_with_filters_opens_that_view_and_pages_keep_it(server, offline_page,
                                                               snapshot_ids):
    page = offline_page
    version = snapshot_ids["comptoirs"]  # before any member firm was committed
    page.goto(f"{server}/maps?lang=en&clusters=pegase&snapshot={version}")
    wait_maps(page, count=1)  # Pégase has no VIE posting: one map only
    expect(page.locator("h1")).to_have_text("Maps: comptoirs and VIE")
    sidebar = page.locator("[data-testid='stSidebar']")
    expect(sidebar.locator("[data-testid='stMultiSelect']")).to_contain_text("Pégase")
    expect(sidebar.locator("[data-testid='stMultiSelect']")).not_to_contain_text("ASTech")
    expect(sidebar.get_by_role("combobox", name="Data as of")).to_have_value(
        re.compile(rf"^snapshot #{version} of .* · comptoirs$"))
    expect(page.get_by_text(f"selected clusters, snapshot #{version}.")).to_be_visible()
    expect(page.get_by_text("No VIE posting for the selected clusters")).to_be_visible()
    # As of the comptoirs commit no member firm existed yet: nothing hosted.
    labels = page.locator("g.geo .scatterlayer text").all_text_contents()
    assert "Querétaro (0)" in labels, labels
    assert re.search(r"lang=en", page.url) and "clusters=pegase" in page.url
    assert f"snapshot={version}" in page.url
    # Another page keeps the filters, and so does its URL.
    sidebar.get_by_text("Overview").click()
    expect(page.locator("h1")).to_have_text("Overview", timeout=TIMEOUT)
    expect(page.get_by_role("heading", name=re.compile("^Pégase ·"))).to_be_visible(
        timeout=TIMEOUT)
    expect(page.get_by_role("heading", name=re.compile("^Aerospace Valley"))).to_have_count(0)
    expect(sidebar.locator("[data-testid='stMultiSelect']")).not_to_contain_text("ASTech")
    expect(page).to_have_url(re.compile(rf"snapshot={version}"), timeout=TIMEOUT)
    assert "lang=en" in page.url and "clusters=pegase" in page.url
    # Back to French: the default language leaves the URL.
    sidebar.get_by_text("Français").click()
    expect(page.locator("h1")).to_have_text("Vue d'ensemble", timeout=TIMEOUT)
    expect(page).not_to_have_url(re.compile("lang="), timeout=TIMEOUT)
    assert "clusters=pegase" in page.url
    assert page.blocked == [], page.blocked


@pytest.mark.browser
def test_invalid_link_values_are_ignored_with_a_notice(server, offline_page):
    page = offline_page
    page.goto(f"{server}/maps?lang=xx&clusters=nope&clusters=pegase&snapshot=999999"
              "&as_of=2011-13-45")
    page.wait_for_selector("h1", timeout=TIMEOUT)
    notice = page.locator("[data-testid='stAlertContentWarning']")
    expect(notice).to_contain_text("Lien : valeurs ignorées", timeout=TIMEOUT)
    for part in ("lang=xx", "clusters=nope", "snapshot=999999"):
        expect(notice).to_contain_text(part)
    expect(page.locator("h1")).to_have_text("Cartes : comptoirs et VIE")
    expect(page.locator("[data-testid='stException']")).to_have_count(0)
    # The valid part of the link applies; the URL keeps only what is shown.
    expect(page).to_have_url(re.compile(r"clusters=pegase"), timeout=TIMEOUT)
    assert "nope" not in page.url and "999999" not in page.url and "lang=" not in page.url
    assert page.blocked == [], page.blocked


@pytest.mark.browser
def test_clicking_a_marker_opens_that_comptoir(server, offline_page):
    page = offline_page
    page.goto(f"{server}/maps")
    wait_maps(page)
    picker = page.get_by_role("combobox", name="Comptoir")
    expect(picker).to_have_value("Querétaro, Mexique · opérationnel")
    points = page.locator("g.geo").first.locator(".scatterlayer path.point")
    hover = page.locator(".hoverlayer").first
    for i in range(points.count()):
        box = points.nth(i).bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        page.mouse.move(x, y)
        page.wait_for_timeout(300)
        if "Casablanca" in (hover.text_content() or ""):
            assert "Ouverture prévue le 30/06/2011" in hover.text_content()
            page.mouse.click(x, y)
            break
    else:
        pytest.fail("no marker shows Casablanca on hover")
    expect(picker).to_have_value("Casablanca, Maroc · en ouverture", timeout=TIMEOUT)
    expect(page.get_by_text("Entreprises du comptoir de Casablanca")).to_be_visible()
    assert page.blocked == [], page.blocked
