"""The board meeting page through AppTest: slides one at a time, presentation mode in both
languages, the same key figures as the overview, and the export buttons."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from envol import board, data
from envol.text import markdown_text
from tests.pages.test_pages import ROOT, app, metrics

PAGE = "app_pages/present.py"
ALL = ("aerospace_valley", "astech", "pegase")


def present(lang: str, **state) -> AppTest:
    at = app(lang, **state)
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def slide_title(at: AppTest) -> str:
    """The slide's title: a header in the page, the page's only title in presentation mode."""
    heads = [h.value for h in at.header] or [t.value for t in at.title[1:]]
    return markdown_text(heads[0] if heads else at.title[-1].value)


@pytest.mark.parametrize("lang, titles", [
    ("fr", ["Dossier du conseil d'administration", "Chiffres clés — Aerospace Valley",
            "Chiffres clés — ASTech"]),
    ("en", ["Board pack", "Key figures — Aerospace Valley", "Key figures — ASTech"]),
])
def test_next_and_previous_walk_through_the_slides(default_lake, lang, titles):
    at = present(lang)
    assert at.title[0].value in ("Présentation au conseil d'administration",
                                 "Board presentation")
    assert at.title[1].value == titles[0]  # the cover
    assert at.number_input(key="board_slide").value == 1
    at.button(key="board_next").click().run()
    assert slide_title(at) == titles[1]
    at.button(key="board_next").click().run()
    assert slide_title(at) == titles[2]
    assert at.number_input(key="board_slide").value == 3
    at.button(key="board_prev").click().run()
    assert slide_title(at) == titles[1]
    at.number_input(key="board_slide").set_value(1).run()
    assert at.title[1].value == titles[0]
    assert at.button(key="board_prev").disabled


def test_previous_moves_from_the_slide_drawn_with_the_button(default_lake):
    """A click lands with the state of the run that drew the button: when the slide number has
    moved meanwhile (a key press delivered twice, a rerun in between), ← still goes to the slide
    before the one on screen, not one further back."""
    at = present("fr", board_slide=3)
    assert slide_title(at) == "Chiffres clés — ASTech"
    at.number_input(key="board_slide").set_value(2)  # delivered with the click, not drawn yet
    at.button(key="board_prev").click().run()
    assert at.number_input(key="board_slide").value == 2
    assert slide_title(at) == "Chiffres clés — Aerospace Valley"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_presentation_mode_hides_the_chrome_and_keeps_the_slide(default_lake, lang):
    at = present(lang, board_slide=2)
    at.toggle(key="board_present").set_value(True).run()
    assert not at.exception
    # Only the slide's title remains; the page title and the settings are not drawn.
    assert [t.value for t in at.title] == [
        "Chiffres clés — Aerospace Valley" if lang == "fr" else "Key figures — Aerospace Valley"]
    assert "board_prepare" not in [b.key for b in at.button]
    styles = " ".join(m.value for m in at.markdown if "<style>" in m.value)
    assert '[data-testid="stSidebar"]' in styles and "display: none" in styles
    assert at.metric[0].value == "546"
    at.button(key="board_next").click().run()
    assert at.title[0].value.startswith("Chiffres clés — ASTech" if lang == "fr"
                                        else "Key figures — ASTech")
    at.toggle(key="board_present").set_value(False).run()
    assert len(at.title) == 1 and not any("stSidebar" in m.value for m in at.markdown)


def test_slide_number_comes_from_the_url(default_lake):
    at = AppTest.from_file(str(Path(__file__).resolve().parents[2] / "app.py"),
                           default_timeout=60)
    at.query_params["board_slide"] = "4"
    at.query_params["board_present"] = "true"
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert at.number_input(key="board_slide").value == 4


def test_key_figures_on_the_slides_are_the_overviews(default_lake, default_version):
    """One source of numbers: the overview's cards, the board page's slides and the exported
    deck show the same strings for every cluster figure and national figure."""
    overview = app("fr")
    overview.run()
    on_page = metrics(overview)  # label → values, clusters in name order
    deck = board.build_deck(board.Board(data.View("fr", ALL, default_version, True)))
    on_slides: dict[str, list[str]] = {}
    for key in ("kpis.aerospace_valley", "kpis.astech", "kpis.pegase", "national"):
        for k in deck.slide(key).kpis:
            on_slides.setdefault(k.label, []).append(k.value)
    assert on_slides == on_page
    assert on_slides["Entreprises hébergées"] == ["–", "–", "20"]
    # And the board page itself, on Pégase's slide.
    at = present("fr", board_slide=deck.index("kpis.pegase") + 1)
    assert [m.value for m in at.metric] == [k.value for k in deck.slide("kpis.pegase").kpis]
    assert [m.value for m in at.metric] == [v[2] for v in list(on_page.values())[:8]]


def test_what_changed_compares_with_the_chosen_snapshot(default_lake, default_version):
    before = default_version - 5  # just before the members commit of the default lake
    deck = board.build_deck(board.Board(data.View("en", ALL, default_version, True),
                                        previous=before))
    at = present("en")
    at.selectbox(key="board_previous").set_value(before).run()
    at.number_input(key="board_slide").set_value(deck.index("changes.kpis") + 1).run()
    assert slide_title(at) == "What changed since the last board: key figures"
    shown = at.table[0].value.map(markdown_text)  # st.table cells are escaped Markdown
    rows = {(r["Cluster"], r["Figure"]): r for r in shown.to_dict("records")}
    assert rows[("Aerospace Valley", "Member firms")]["Change"] == "+546"
    assert rows[("Pégase", "Firms hosted")]["Now"] == "20"
    at.selectbox(key="board_previous").set_value(None).run()
    assert not at.exception
    assert at.number_input(key="board_slide").value <= len(deck.slides) - 2


def test_export_buttons_appear_after_preparing(default_lake):
    if not Path("/usr/bin/chromium").exists() and os.environ.get("CI") != "true":
        pytest.skip("no Chromium")
    at = present("fr")
    assert not at.get("download_button")
    at.button(key="board_prepare").click().run(timeout=180)
    assert not at.exception and not at.error
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Télécharger le PowerPoint (.pptx)", "Télécharger le PDF"]
    assert any("Dossier prêt" in s.value for s in at.success)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_export_without_chromium_says_what_to_install(default_lake, monkeypatch, lang):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    at = present(lang)
    at.button(key="board_prepare").click().run()
    assert not at.exception
    assert len(at.error) == 1 and "chromium" in at.error[0].value
    assert at.code[0].value == "apt-get install -y chromium"
    assert not at.get("download_button")


def test_cover_names_the_meeting_date_and_snapshot(default_lake, default_version):
    at = present("fr")
    text = markdown_text(" ".join(m.value for m in at.markdown))
    assert dt.date.today().strftime("%d/%m/%Y") in text
    assert f"instantané n° {default_version}" in text


def test_funnel_figures_on_the_slides_are_the_funnels_pages(default_lake, default_version):
    """One source of numbers: each funnel slide's figure has the bars, counts and labels of
    the same figure on the Funnels page, and its cards are the page's cards."""
    from tests.pages.test_funnels import charts, funnels_page, values

    page = funnels_page("fr")
    on_page = charts(page)  # survey, comptoir programme, portage, review times, comparison
    deck = board.build_deck(board.Board(data.View("fr", ALL, default_version, True)))
    for i, key in enumerate(("funnels.survey", "funnels.comptoir", "funnels.portage")):
        slide = deck.slide(key).figure.to_plotly_json()
        assert len(slide["data"]) == len(on_page[i]["data"]), key
        for mine, theirs in zip(slide["data"], on_page[i]["data"], strict=True):
            for attr in ("x", "y", "text"):
                assert [str(v) for v in values(mine, attr)] == \
                    [str(v) for v in values(theirs, attr)], (key, attr)
        titles = [a["text"] for a in slide["layout"].get("annotations", [])]
        assert titles == [a["text"] for a in on_page[i]["layout"].get("annotations", [])]
    survey = deck.slide("funnels.survey")
    assert [k.value for k in survey.kpis] == ["400", "50 / 400", "350 / 400"]
    cards = {m.label: (m.value, m.delta) for m in page.metric}
    for k in (*survey.kpis, *deck.slide("funnels.portage").kpis):
        value, delta = cards[k.label]
        assert (value, delta or "") == (k.value, k.detail), k.label
    assert cards["PME accompagnées en 2009"][0] == "65"
    # And the board page draws the portage slide's figure and cards.
    at = present("fr", board_slide=deck.index("funnels.portage") + 1)
    drawn = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert [values(t, "text") for t in drawn["data"]] == \
        [values(t, "text") for t in deck.slide("funnels.portage").figure.to_plotly_json()["data"]]
    assert [m.value for m in at.metric] == [k.value for k in deck.slide("funnels.portage").kpis]


def test_scenario_slide_shows_the_scenario_saved_on_the_scenario_page(default_lake,
                                                                       default_version):
    """The Scenario page's saved scenarios (session state) reach the board's scenario slide:
    the most recent one; with none saved, the levers currently set on the page."""
    from envol.scenario import Levers

    deck = board.build_deck(board.Board(data.View("en", ALL, default_version, True)))
    n = deck.index("scenario") + 1
    at = present("en", board_slide=n)
    assert "default scenario" in at.markdown[[i for i, m in enumerate(at.markdown)
                                               if "scenario" in m.value][0]].value
    saved = {"Prudent": Levers(jobs_per_firm_per_year=1.0),
             "Bold": Levers(jobs_per_firm_per_year=20.0)}
    at = present("en", board_slide=n, scenario_saved=saved, scenario_url_notices=[])
    text = " ".join(m.value for m in at.markdown)
    assert "Saved scenario “Bold”" in text
    assert at.metric[0].value == "3,600"  # 20 firms × 20 jobs × 9 full-rate years
    current = {**Levers().__dict__, "jobs_per_firm_per_year": 1.0}
    at = present("en", board_slide=n, scenario_levers=current)
    assert "Current levers of the Scenario page" in " ".join(m.value for m in at.markdown)
    assert at.metric[0].value == "180"


def test_a_slide_change_redraws_one_slide_without_rebuilding_the_pack(default_lake,
                                                                        default_version,
                                                                        monkeypatch):
    built: list[int | None] = []
    real = board.build_deck
    monkeypatch.setattr(board, "build_deck",
                        lambda b, *a: built.append(b.previous) or real(b, *a))
    at = present("fr")
    assert len(built) == 1
    at.button(key="board_next").click().run()
    at.button(key="board_next").click().run()
    assert slide_title(at) == "Chiffres clés — ASTech" and len(built) == 1
    at.selectbox(key="board_previous").set_value(default_version - 5).run()  # a new key
    assert built[1:] == [default_version - 5]
    at.button(key="board_prev").click().run()
    assert len(built) == 2 and not at.exception


def test_the_page_loads_no_export_library_until_a_pack_is_asked_for(tmp_path):
    """`envol.export` and its PDF, slide and image libraries (~30 MB of the server's memory) are
    imported when a director asks for the pack, not when the page is viewed. In a fresh process
    (this one has imported them already), on a lake of its own."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from streamlit.testing.v1 import AppTest\n"
        "at = AppTest.from_file('app.py', default_timeout=120)\n"
        "at.switch_page('app_pages/present.py').run()\n"
        "assert not at.exception, [e.value for e in at.exception]\n"
        "assert [b.label for b in at.button if b.key == 'board_prepare']\n"
        "print(sorted(m for m in ('envol.export', 'fpdf', 'pptx', 'kaleido') "
        "if m in sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                          text=True, timeout=300,
                          env={**os.environ, "ENVOL_LAKE_DIR": str(tmp_path / "lake")})
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "[]"
