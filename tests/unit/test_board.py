"""The board pack's slides and queries on tiny lakes built from literal rows: exact values."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from envol import board, store
from envol.export import Box, fit_table, layout
from envol.queries import parameters, run_query
from envol.text import markdown_text, plain_markdown
from tests.conftest import make_lake, rows_table
from tests.unit.test_queries import ALL, CLUSTERS, MEMBERS


@dataclass(frozen=True)
class LakeView:
    """The `envol.data.View` interface without Streamlit: the same queries, no cache."""

    con: duckdb.DuckDBPyConnection
    lang: str
    clusters: tuple[str, ...]
    version: int
    latest: bool

    def q(self, name: str, **params) -> pd.DataFrame:
        if "clusters" in parameters(name):
            params.setdefault("clusters", list(self.clusters))
        return run_query(self.con, name, version=self.version, **params)


@pytest.fixture(scope="module")
def lake(tmp_path_factory):
    """The tiny lake of test_queries, then one more commit: member m3 (large) becomes an SME
    and a fifth member joins c1."""
    con = make_lake(tmp_path_factory.mktemp("board"), ALL)
    before = store.current_version(con)
    members = [dict(m) for m in MEMBERS]
    members[2]["size_class"] = "sme"
    members.append(dict(member_id="m5", cluster_id="c1", name="Cinq", size_class="micro",
                        source_id="A1"))
    store.commit_table(con, "members", rows_table("members", members), mode="replace",
                       author="ana", note="m3 is an SME, m5 joins", file_name="m.csv",
                       sha256="2" * 64)
    yield con, before, store.current_version(con)
    con.close()


def deck_of(lake, lang="fr", previous=True, clusters=("c1", "c2")):
    con, before, now = lake
    view = LakeView(con, lang, clusters, now, True)
    return board.build_deck(board.Board(view, previous=before if previous else None,
                                        today=dt.date(2011, 6, 30)))


def test_row_changes_by_table_counts_rows_added_removed_and_changed(lake):
    con, before, now = lake
    df = run_query(con, "row_changes_by_table", version=now, previous=before)
    rows = df.set_index("table_name").astype(int).to_dict("index")
    # m3 changed (counts once each way) and m5 is new: 2 added or changed, 1 removed or changed.
    assert rows["members"] == dict(rows_before=4, rows_now=5, rows_added=2, rows_removed=1)
    assert rows["clusters"] == dict(rows_before=2, rows_now=2, rows_added=0, rows_removed=0)
    assert len(df) == 8
    same = run_query(con, "row_changes_by_table", version=now, previous=now)
    assert (same["rows_added"] == 0).all() and (same["rows_removed"] == 0).all()


def test_deck_slides_in_order_with_titles_and_footers(lake):
    deck = deck_of(lake)
    assert [s.key for s in deck.slides] == [
        "cover", "kpis.c2", "kpis.c1", "national", "compare", "map", "funnels.survey",
        "funnels.comptoir", "funnels.portage", "scenario", "changes.kpis", "changes.tables",
        "sources"]
    assert deck.slide("kpis.c1").title == "Chiffres clés — Zeta"
    assert deck.file_stem == f"envol-conseil-v{lake[2]}"
    for slide in deck.slides:
        assert slide.footer.startswith("Sources : ") and f"n° {lake[2]}" in slide.footer
        assert slide.notes
    english = deck_of(lake, "en")
    assert english.slide("kpis.c1").title == "Key figures — Zeta"
    assert english.slide("cover").title == "Board pack"


def test_many_comptoirs_are_mapped_one_marker_per_place_as_on_the_maps_page(lake,
                                                                           monkeypatch):
    """Past `MARKERS_MAX` comptoirs the map slide is the Maps page's places map (a marker per
    place, head offices as stars), not one marker per comptoir."""
    import components.maps
    from envol import geo

    one_each = deck_of(lake).slide("map").figure
    assert {t.legendgroup for t in one_each.data} != {"places"}
    monkeypatch.setattr(components.maps, "MARKERS_MAX", 1)
    slide = deck_of(lake).slide("map")
    con, _, now = lake
    sites = run_query(con, "comptoirs_by_country", version=now, clusters=["c1", "c2"])
    page = components.maps.places_map(geo.comptoir_places(sites), geo.head_offices(sites), "fr")
    assert slide.figure.to_json() == page.to_json()
    assert slide.figure.data[0].legendgroup == "places"
    assert len(slide.table) == len(sites)  # the table still lists every comptoir


def test_the_cover_names_a_few_clusters_and_counts_the_rest():
    assert board.cover_clusters(["A", "B"], "fr") == "A, B"
    assert board.cover_clusters([], "fr") == "–"
    names = [f"Pôle {i}" for i in range(3000)]
    assert board.cover_clusters(names, "fr") == (
        "Pôle 0, Pôle 1, Pôle 2, Pôle 3, Pôle 4, Pôle 5 et 2\u202f994 autres pôles "
        "(3\u202f000 en tout)")
    assert board.cover_clusters(names, "en", limit=2) == (
        "Pôle 0, Pôle 1 and 2,998 more clusters (3,000 in all)")


def test_a_footer_lists_a_few_sources_and_says_how_many_more(lake, monkeypatch):
    cover = deck_of(lake, "en").slide("cover")
    ids = cover.footer.removeprefix("Sources: ").split(" · ")[0].split(", ")
    assert ids == ["A1", "A2"]
    monkeypatch.setattr(board, "FOOTER_SOURCES_MAX", 1)
    short = deck_of(lake, "en").slide("cover")
    assert short.footer.startswith(
        'Sources: A1 and 1 more (Envol\'s "Sources and data" page lists all) · ')


def test_key_figures_are_the_overview_cards(lake):
    deck = deck_of(lake)
    values = {k.key: k.value for k in deck.slide("kpis.c1").kpis}
    assert values["members"] == "4" and values["smes"] == "4"  # after the second commit
    assert values["jobs"] == "1\u202f000" and values["comptoirs"] == "1"
    notes = deck.slide("kpis.c1").notes
    assert "A1 — « Article », Journal, Ann, 02/01/2011" in notes
    assert "table members : instantané n°" in notes and "m.csv, par ana" in notes


def test_what_changed_slides(lake):
    deck = deck_of(lake)
    kpis = deck.slide("changes.kpis").table
    assert kpis.to_dict("records") == [
        {"Pôle": "Zeta", "Indicateur": "Entreprises membres", "Conseil précédent": "3",
         "Aujourd'hui": "4", "Écart": "+1"},
        {"Pôle": "Zeta", "Indicateur": "dont PME", "Conseil précédent": "2",
         "Aujourd'hui": "4", "Écart": "+2"},
    ]
    tables = deck.slide("changes.tables").table.set_index("Table")
    members = tables.loc["Entreprises membres"]
    assert members["Lignes avant"] == "4" and members["Lignes aujourd'hui"] == "5"
    assert members["Ajoutées ou modifiées"] == "+2"
    assert members["Retirées ou modifiées"] == "\u22121"
    con, before, now = lake
    first = run_query(con, "table_snapshots_by_table", version=before).set_index("table_name")
    assert members["Instantané"] == f"n° {first.loc['members', 'snapshot_id']} → n° {now}"
    assert "changes.kpis" not in [s.key for s in deck_of(lake, previous=False).slides]


def test_no_change_says_so(lake):
    con, _, now = lake
    view = LakeView(con, "en", ("c2",), now, True)
    deck = board.build_deck(board.Board(view, previous=now))
    assert deck.slide("changes.kpis").bullets == ("No cluster key figure changed.",)
    assert deck.slide("changes.kpis").table is None


def test_scenario_slide_from_targets_and_from_a_saved_scenario(lake):
    deck = deck_of(lake)
    slide = deck.slide("scenario")
    # Zeta's targets: 100 jobs 2011–2020; default levers otherwise: 20 firms × 10 jobs × 9
    # full-rate years = 1,800; 66.7 jobs in 2011, 200 by 2012, so the 100 are reached in 2012.
    # The cards are the Scenario page's (`scenario_report.scenario_kpis`).
    values = {k.key: k.value for k in slide.kpis}
    assert values["scenario.jobs"] == "1\u202f800" and values["scenario.target_year"] == "2012"
    assert list(values) == ["scenario.jobs", "scenario.target_year", "scenario.cost",
                            "scenario.cost_per_job", "scenario.alone"]
    assert "Zeta" in slide.subtitle and "aucun scénario enregistré" in slide.subtitle
    assert list(slide.figure.data[0].x) == list(range(2011, 2021))
    assert "Emplois par entreprise et par an : 10 (hypothèse)" in slide.notes
    con, _, now = lake
    view = LakeView(con, "en", ("c1",), now, True)
    saved = board.SavedScenario("Prudent", board.sc.Levers(jobs_per_firm_per_year=1.0), "c1")
    mine = board.scenario_slide(board.Board(view), saved)[0]
    assert mine.subtitle == "Saved scenario “Prudent”"
    assert {k.key: k.value for k in mine.kpis}["scenario.gap"] == "9,820"  # 10,000 − 20 × 9
    assert "Jobs per firm per year: 1 (chosen; default: 10)" in mine.notes
    current = board.SavedScenario("", board.sc.Levers(jobs_per_firm_per_year=1.0), "c1",
                                  "current")
    now_slide = board.scenario_slide(board.Board(view), current)[0]
    assert now_slide.subtitle == "Current levers of the Scenario page (no saved scenario)"
    # Levers the model refuses, or a scenario of a cluster not shown: the default scenario.
    bad = board.SavedScenario("Bad", board.sc.Levers(budget_per_comptoir_eur=0), "c1")
    assert "default scenario" in board.scenario_slide(board.Board(view), bad)[0].subtitle
    other = board.SavedScenario("Other", board.sc.Levers(), "c2")
    assert "Zeta" in board.scenario_slide(board.Board(view), other)[0].subtitle


def test_funnel_slides_are_the_funnels_pages(lake):
    deck = deck_of(lake, "en")
    survey = deck.slide("funnels.survey")
    assert [(k.label, k.value) for k in survey.kpis] == [
        ("Firms asked", "4"), ("Answer “oui”", "1 / 4"), ("Answer “non”", "3 / 4")]
    assert list(survey.figure.data[0].x) == [4]
    comptoir = deck.slide("funnels.comptoir")
    assert [a.text for a in comptoir.figure.layout.annotations] == ["alpha", "Zeta"]
    portage = deck.slide("funnels.portage")
    assert [k.key for k in portage.kpis] == ["funnels.supported", "funnels.goal_share",
                                             "funnels.review_mean", "funnels.within"]
    assert "S5" in portage.footer
    for key in ("funnels.survey", "funnels.comptoir", "funnels.portage"):
        assert "Sources:" in deck.slide(key).notes


def test_no_cluster_no_slide(lake):
    assert deck_of(lake, clusters=()).slides == ()


def test_previous_snapshot_is_the_newest_older_commit():
    commits = pd.DataFrame({"snapshot_id": [9, 7, 4]})
    assert board.previous_snapshot(commits, 9) == 7
    assert board.previous_snapshot(commits, 8) == 7
    assert board.previous_snapshot(commits, 4) is None


@given(st.text(max_size=60))
def test_text_undoes_the_markdown_escaping(s):
    assert markdown_text(plain_markdown(s)) == s


def test_layout_and_tables_fit_their_boxes(lake):
    deck = deck_of(lake)
    for slide in deck.slides:
        for part in layout(slide).values():
            for box in part if isinstance(part, list) else [part]:
                assert 0 <= box.x and box.x + box.w <= 13.34 and 1.5 < box.y
                assert box.y + box.h <= 6.8
        if slide.table is not None:
            box = layout(slide)["table"]
            size, widths = fit_table(slide.table, box)
            assert 10 <= size <= 18 and sum(widths) == pytest.approx(box.w)
    size, widths = fit_table(pd.DataFrame({"a": ["x " * 200]}), Box(0, 0, 2, 1))
    assert size == 10 and widths == [pytest.approx(2)]


def test_labels_from_the_data_are_inert_in_figures(tmp_path):
    evil = [dict(CLUSTERS[0], name="<b>Zeta</b>")]
    con = make_lake(tmp_path, dict(ALL, clusters=evil, comptoirs=[
        dict(comptoir_id="k1", cluster_id="c1", country_iso3="MAR", city="<i>x</i>",
             lat=33.5, lon=-7.6, status="operational", source_id="A1")]))
    view = LakeView(con, "fr", ("c1",), store.current_version(con), True)
    deck = board.build_deck(board.Board(view))
    texts = [t for trace in deck.slide("map").figure.data for t in (trace.text or ())]
    assert any(t.startswith("&lt;i&gt;x&lt;/i&gt;") for t in texts)
    assert not any("<i>x" in t or "<b>Zeta" in t for t in texts)
    con.close()


def test_only_clusters_whose_card_columns_moved_are_compared():
    cols = {"members": 10, "smes": 4, "jobs": None, "reported_members": 1, "reported_smes": 1,
            "labelled_projects": 1, "funded_projects": 1, "public_funding_eur": 1.0,
            "comptoirs": 1, "comptoirs_operational": 1, "firms_hosted": 2, "vie_in_post": 0,
            "vie_to_recruit": 0, "portage_supported": 0}
    before = pd.DataFrame([{"cluster_id": c, **cols} for c in ("a", "b", "c")])
    after = before.copy()
    after.loc[1, "members"] = 11          # b moved
    after.loc[2, "jobs"] = 5              # c: a figure reported where there was none
    after = pd.concat([after, pd.DataFrame([{"cluster_id": "d", **cols}])],
                      ignore_index=True)  # d is new
    assert board._moved(after, before).tolist() == [False, True, True, True]
    assert board._moved(before, after).tolist() == [False, True, True]
