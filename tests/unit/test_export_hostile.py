"""The board pack with hostile text in the data: the PPTX and the PDF show it verbatim (python-pptx
and fpdf2 write text literally; nothing of the Markdown escaping the pages use leaks in)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pptx import Presentation
from pypdf import PdfReader

from envol import board, export
from tests.conftest import make_lake
from tests.hostile import CLUSTER_NAMES
from tests.unit.test_board import LakeView
from tests.unit.test_export import needs_chromium
from tests.unit.test_queries import ALL

NAMES = {"c1": CLUSTER_NAMES["pegase"], "c2": CLUSTER_NAMES["aerospace_valley"]}
REGIONS = {"c1": "'; DROP TABLE members; --", "c2": "=1+1"}
AUTHOR = "<script>alert(1)</script> **ana**"


@pytest.fixture(scope="module")
def hostile_deck(tmp_path_factory):
    tables = dict(ALL)
    tables["clusters"] = [dict(c, name=NAMES[c["cluster_id"]], region=REGIONS[c["cluster_id"]])
                          for c in ALL["clusters"]]
    con = make_lake(tmp_path_factory.mktemp("hostile-board"), tables, author=AUTHOR)
    try:
        from envol import store

        view = LakeView(con, "fr", ("c1", "c2"), store.current_version(con), True)
        yield board.build_deck(board.Board(view, previous=None, today=dt.date(2011, 6, 30)))
    finally:
        con.close()


def test_slides_hold_the_plain_text(hostile_deck):
    titles = [s.title for s in hostile_deck.slides]
    for name in NAMES.values():
        assert f"Chiffres clés — {name}" in titles
    notes = "\n".join(s.notes for s in hostile_deck.slides)
    assert AUTHOR in notes and "\\" not in notes and "&#58;" not in notes


@needs_chromium
def test_pptx_and_pdf_show_the_values_verbatim(hostile_deck):
    pack = export.build_pack(hostile_deck)
    prs = Presentation(io.BytesIO(pack.pptx))
    titles = [s.shapes.title.text for s in prs.slides]
    for name in NAMES.values():
        assert f"Chiffres clés — {name}" in titles
    text = "\n".join(shape.text_frame.text for s in prs.slides for shape in s.shapes
                     if shape.has_text_frame)
    cells = [c.text for s in prs.slides for shape in s.shapes if shape.has_table
             for row in shape.table.rows for c in row.cells]
    assert all(name in text + "\n".join(cells) for name in NAMES.values())
    notes = "\n".join(s.notes_slide.notes_text_frame.text for s in prs.slides)
    assert AUTHOR in notes
    pdf = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pack.pdf)).pages)
    for name in NAMES.values():
        assert f"Chiffres clés — {name}" in pdf
    assert "\\*" not in pdf and "&#58;" not in pdf and "&lt;" not in pdf
