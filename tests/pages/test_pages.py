"""Every page through AppTest, in French and in English, on the default lake."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "app_pages").glob("*.py"))


def app(lang: str, **state) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["lang"] = lang
    for k, v in state.items():
        at.session_state[k] = v
    return at


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_without_exception(default_lake, lang, page):
    at = app(lang)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert at.title and at.title[0].value


def metrics(at: AppTest) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for m in at.metric:
        out.setdefault(m.label, []).append(m.value)
    return out


def test_overview_shows_the_facts_in_french(default_lake):
    at = app("fr")
    at.run()
    assert at.title[0].value == "Vue d'ensemble"
    m = metrics(at)
    # Clusters in name order: Aerospace Valley, ASTech, Pégase.
    assert m["Entreprises membres"] == ["546", "–", "100"]
    assert m["dont PME"] == ["265", "–", "100"]
    assert m["Emplois"] == ["120\u202f000", "–", "–"]
    assert m["Entreprises hébergées"] == ["–", "–", "20"]
    assert m["Comptoirs opérationnels"] == ["–", "–", "1"]
    deltas = [mm.delta for mm in at.metric if mm.label == "Emplois"]
    assert deltas[1:] == ["non communiqué", "non communiqué"]
    assert m["VIE en poste"] == ["2", "0", "0"]
    assert m["VIE à recruter"] == ["4", "0", "0"]
    assert m["PME accompagnées par le Pacte PME en 2009"] == ["65"]
    assert m["Objectif emplois Pégase"] == ["10\u202f000"]
    assert m["Durée moyenne d'instruction"] == ["30 jours"]
    survey = [v for k, v in m.items() if k.startswith("Export conjoint")]
    assert ["50 / 400"] in survey and ["350 / 400"] in survey
    # Every card can say where its figure comes from.
    helps: dict[str, str] = {}
    for mm in at.metric:  # first card of each label: Aerospace Valley's
        helps.setdefault(mm.label, mm.help)
    assert "S4" in helps["Emplois"] and "Aerospace Valley" in helps["Emplois"]
    assert "S5" in helps["PME accompagnées par le Pacte PME en 2009"]
    assert any("illustratives" in i.value for i in at.info)


def test_overview_in_english_and_filtered(default_lake):
    at = app("en", clusters=["pegase"])
    at.run()
    assert at.title[0].value == "Overview"
    m = metrics(at)
    assert m["Member firms"] == ["100"]
    assert m["Firms hosted"] == ["20"]
    assert m["Comptoirs operational"] == ["1"]
    assert [mm.delta for mm in at.metric if mm.label == "Comptoirs operational"] == ["of 5"]
    assert m["SMEs supported by Pacte PME in 2009"] == ["65"]


def test_no_cluster_picked_means_all_clusters(default_lake):
    # The filter starts empty (« Tous les pôles (3) »): a default selecting every cluster put
    # one chip per cluster in the sidebar, whose cost grows quadratically with their number
    # (3,000 at EU scale, see bench/report.md).
    at = app("fr")
    at.run()
    assert at.multiselect(key="clusters").value == []
    assert at.multiselect(key="clusters").placeholder == "Tous les pôles (3)"
    assert metrics(at)["Entreprises membres"] == ["546", "–", "100"]
    assert not at.info or not any("Aucun pôle" in i.value for i in at.info)
    at.multiselect(key="clusters").select("pegase").run()
    assert metrics(at)["Entreprises membres"] == ["100"]
    assert at.query_params["clusters"] == "pegase"
    at.multiselect(key="clusters").unselect("pegase").run()
    assert not at.exception
    assert metrics(at)["Entreprises membres"] == ["546", "–", "100"]
    assert "clusters" not in at.query_params
    en = app("en")
    en.run()
    assert en.multiselect(key="clusters").placeholder == "All clusters (3)"


def test_a_link_naming_every_cluster_is_the_default_without_parameter(default_lake):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["clusters"] = ["pegase", "astech", "aerospace_valley"]
    at.run()
    assert not at.exception
    assert at.multiselect(key="clusters").value == []
    assert "clusters" not in at.query_params
    assert metrics(at)["Entreprises membres"] == ["546", "–", "100"]


def test_sources_page_lists_sources_snapshots_and_dictionary(default_lake):
    at = app("en")
    at.run()
    at.switch_page("app_pages/sources.py").run()
    text = " ".join(m.value for m in at.markdown)
    for sid in ("S1", "S2", "S3", "S4", "S5"):
        assert sid in text
    assert "Les Echos" in text and "Paul Molga" in text
    # Snapshot table + one dictionary table per contract table.
    assert len(at.dataframe) == 1 + 8
    assert len(at.get("download_button")) == 8
