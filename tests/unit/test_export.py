"""The board pack files, built from the default lake: open the PPTX with python-pptx and the PDF
with pypdf, and check what a director would read in them."""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path

import pytest
from pptx import Presentation
from pypdf import PdfReader

from envol import board, data, export

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
needs_chromium = pytest.mark.skipif(
    not Path(CHROMIUM).exists() and os.environ.get("CI") != "true",
    reason=f"no Chromium at {CHROMIUM} (make test installs it)")
ALL = ("aerospace_valley", "astech", "pegase")


def deck(version: int, lang: str, previous: int | None) -> board.Deck:
    view = data.View(lang=lang, clusters=ALL, version=version, latest=True)
    return board.build_deck(board.Board(view, previous=previous, today=dt.date(2026, 12, 1)))


@pytest.fixture(scope="module")
def fr_deck(default_lake, default_version):
    return deck(default_version, "fr", previous=default_version - 5)


@pytest.fixture(scope="module")
def pack(fr_deck):
    steps: list[tuple[float, str]] = []
    built = export.build_pack(fr_deck, progress=lambda f, text: steps.append((f, text)))
    return built, steps


def table_text(shape) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in shape.table.rows]


@needs_chromium
def test_pptx_has_one_titled_slide_per_deck_slide(pack, fr_deck):
    built, _ = pack
    prs = Presentation(io.BytesIO(built.pptx))
    assert len(prs.slides) == len(fr_deck.slides) == 14
    titles = [s.shapes.title.text for s in prs.slides]
    assert titles == [s.title for s in fr_deck.slides]
    assert titles[:2] == ["Dossier du conseil d'administration",
                          "Chiffres clés — Aerospace Valley"]
    assert titles[6:10] == [
        "Les comptoirs à l'étranger", "Enquête auprès des entreprises",
        "Programme comptoirs : des PME membres à l'export",
        "Portage (Pacte PME) : l'entonnoir"]
    assert prs.slide_width / prs.slide_height == pytest.approx(16 / 9, rel=1e-3)


@needs_chromium
def test_pptx_native_tables_cards_and_charts(pack, fr_deck):
    prs = Presentation(io.BytesIO(pack[0].pptx))
    compare = prs.slides[fr_deck.index("compare")]
    tables = [table_text(s) for s in compare.shapes if s.has_table]
    assert len(tables) == 1
    rows = {r[0]: r[1:] for r in tables[0]}
    assert rows["Indicateur"] == ["Aerospace Valley", "ASTech", "Pégase"]
    assert rows["Entreprises membres"] == ["546", "–", "100"]
    assert rows["Emplois"] == ["120\u202f000", "–", "–"]
    assert sum(s.shape_type == 13 for s in compare.shapes) == 1  # the chart, a picture
    national = prs.slides[fr_deck.index("national")]
    text = " ".join(s.text_frame.text for s in national.shapes if s.has_text_frame)
    for figure in ("50 / 400", "350 / 400", "65", "30 jours", "10\u202f000"):
        assert figure in text, figure
    survey = prs.slides[fr_deck.index("funnels.survey")]
    text = " ".join(s.text_frame.text for s in survey.shapes if s.has_text_frame)
    for figure in ("400", "50 / 400", "IC 95 % : 9,6\u00a0% – 16,1\u00a0%", "350 / 400"):
        assert figure in text, figure
    portage = prs.slides[fr_deck.index("funnels.portage")]
    text = " ".join(s.text_frame.text for s in portage.shapes if s.has_text_frame)
    for figure in ("65", "Objectif 2010 : 100 PME accompagnées", "65\u00a0%"):
        assert figure in text, figure
    for key in ("map", "funnels.survey", "funnels.comptoir", "funnels.portage", "scenario"):
        assert sum(s.shape_type == 13 for s in prs.slides[fr_deck.index(key)].shapes) == 1
    sources = prs.slides[fr_deck.index("sources")]
    assert [r[0] for r in table_text(next(s for s in sources.shapes if s.has_table))] == [
        "Source", "S1", "S2", "S3", "S4", "S5"]


@needs_chromium
def test_pptx_speaker_notes_name_sources_and_snapshots(pack, fr_deck):
    prs = Presentation(io.BytesIO(pack[0].pptx))
    notes = {s.key: prs.slides[i].notes_slide.notes_text_frame.text
             for i, s in enumerate(fr_deck.slides)}
    assert all(notes.values())
    pegase = notes["kpis.pegase"]
    assert "Entreprises hébergées : 20 (S1)" in pegase
    assert "S1 — « En Paca, Pégase aide les PME" in pegase and "Les Echos" in pegase
    assert "table members : instantané n°" in pegase
    assert "S4 — " in notes["kpis.aerospace_valley"]
    assert "table targets : instantané n°" in notes["scenario"]
    assert "Emplois par entreprise et par an : 10 (hypothèse)" in notes["scenario"]
    assert "aucun scénario enregistré" in notes["scenario"]
    assert "Réponse « Oui » : 50 / 400" in notes["funnels.survey"]
    assert "S2 — " in notes["funnels.survey"] or "S3 — " in notes["funnels.survey"]
    assert "Pégase · PME membres (TPE + PME) : 100" in notes["funnels.comptoir"]
    assert "S5 — " in notes["funnels.portage"]
    assert "table sponsorships : instantané n°" in notes["funnels.portage"]


@needs_chromium
def test_pdf_has_one_page_per_slide_with_the_same_figures(pack, fr_deck):
    reader = PdfReader(io.BytesIO(pack[0].pdf))
    assert len(reader.pages) == len(fr_deck.slides)
    assert reader.metadata.title == "Dossier du conseil d'administration"
    page = reader.pages[fr_deck.index("kpis.aerospace_valley")].extract_text()
    assert "Chiffres clés — Aerospace Valley" in page and "546" in page and "265" in page
    last = reader.pages[-1].extract_text()
    assert "Les Echos" in last and f"{len(fr_deck.slides)} / {len(fr_deck.slides)}" in last


@needs_chromium
def test_progress_is_reported_up_to_the_end(pack):
    _, steps = pack
    fractions = [f for f, _ in steps]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert steps[0][1].startswith("Graphique 1 sur 6")
    assert [t for _, t in steps[-3:]] == ["Assemblage du PowerPoint…", "Assemblage du PDF…",
                                          "Dossier prêt : 14 diapositives."]


@needs_chromium
def test_map_chart_is_drawn_offline_with_outlines(pack):
    """The map PNG has the land colour of the outlines (they come from static/, offline)."""
    from PIL import Image

    image = Image.open(io.BytesIO(pack[0].images["map"])).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 20)
    land = sum(n for n, c in colours if c == (0xEE, 0xF1, 0xF5))  # the house map's land
    assert land > 0.1 * image.width * image.height


@pytest.mark.parametrize("lang, words", [("fr", "Installez le paquet Debian chromium"),
                                         ("en", "Install Debian's chromium package")])
def test_missing_chromium_says_what_to_install(fr_deck, monkeypatch, lang, words):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    with pytest.raises(export.ChromiumMissing) as caught:
        export.build_pack(fr_deck)
    message = caught.value.message(lang)
    assert words in message and "apt-get install -y chromium" in message
    assert "/nonexistent/chromium" in message
    assert caught.value.command == "apt-get install -y chromium"
