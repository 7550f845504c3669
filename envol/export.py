"""The board pack as files: a PPTX (python-pptx) and a PDF (fpdf2), from one `envol.board.Deck`.

Both files show the same slides with the same geometry (`layout`): real slide titles, the key
figures as cards, native tables (text you can select and copy, not pictures), the charts as PNG
images drawn by plotly.js in Debian's Chromium through kaleido, and on every slide a footer with
its sources and snapshot. The PPTX carries the speaker notes (every figure, its sources and
the snapshot of every table behind it).

Offline: map outlines come from `static/` (`plotly.io.defaults.topojson`), MathJax is off, and
one kaleido server (one Chromium) is started on first use and reused (~0.3 s per chart). The
text font is DejaVu Sans (Debian's fonts-dejavu-core), embedded in the PDF and named in the PPTX.
When Chromium is missing the export raises `ChromiumMissing`, which says what to install.
"""

from __future__ import annotations

import functools
import io
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import kaleido
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from choreographer.browsers.chromium import Chromium
from fpdf import FPDF
from fpdf.fonts import FontFace
from PIL import ImageFont
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Inches, Pt

from components.board import enlarged
from components.charts import style
from envol import i18n
from envol.board import Deck, Slide

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "static"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_NAME = "DejaVu Sans"
FONT_FILES = {"": FONT_DIR / "DejaVuSans.ttf", "B": FONT_DIR / "DejaVuSans-Bold.ttf"}
INSTALL_CHROMIUM = "apt-get install -y chromium"
INSTALL_FONTS = "apt-get install -y fonts-dejavu-core"
RENDER_TIMEOUT_S = 120

# Slide geometry in inches (16:9), shared by the PPTX and the PDF.
W, H, MARGIN = 13.333, 7.5, 0.5
TITLE_Y, TITLE_H = 0.32, 0.72
SUBTITLE_Y, SUBTITLE_H = 1.02, 0.4
RULE_Y = 1.5
BODY_Y, BODY_H = 1.7, 5.05
FOOTER_Y = 6.98
GAP = 0.25
CHART_FONT_PX = 17  # chart text, in CSS px at 96 per inch (≈ 13 pt on the slide)

NAVY, BLUE, GREY, LIGHT, RULE, WHITE = ("#10243e", "#0072B2", "#5b6675", "#f2f5f9", "#d5dde6",
                                        "#ffffff")


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float


def layout(slide: Slide) -> dict[str, Box | list[Box]]:
    """Where each part of a slide goes: `chart`, `table`, `cards` (a list), `text`."""
    body = Box(MARGIN, BODY_Y, W - 2 * MARGIN, BODY_H)
    out: dict[str, Box | list[Box]] = {}
    if slide.figure is not None:
        side = 5.3 if slide.table is not None else 3.6 if slide.kpis else 0
        chart_w = body.w - (side + GAP if side else 0)
        out["chart"] = Box(body.x, body.y, chart_w, body.h)
        right = Box(body.x + chart_w + GAP, body.y, side, body.h)
        if slide.table is not None:
            out["table"] = right
        elif slide.kpis:
            out["cards"] = _grid(right, len(slide.kpis), per_row=1)
    elif slide.kpis:
        per_row = {1: 1, 2: 2, 3: 3, 5: 3, 6: 3, 9: 3}.get(len(slide.kpis), 4)
        out["cards"] = _grid(body, len(slide.kpis), per_row=per_row)
    elif slide.table is not None:
        out["table"] = body
    if slide.bullets and slide.kind != "cover":
        out["text"] = body
    return out


def _grid(box: Box, n: int, *, per_row: int) -> list[Box]:
    rows = -(-n // per_row)
    w = (box.w - GAP * (per_row - 1)) / per_row
    h = min((box.h - GAP * (rows - 1)) / rows, 2.3)
    return [Box(box.x + (i % per_row) * (w + GAP), box.y + (i // per_row) * (h + GAP), w, h)
            for i in range(n)]


@functools.cache
def _font(bold: bool) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_FILES["B" if bold else ""]), 100)


def text_width(text: str, pt: float, *, bold: bool = False) -> float:
    """Width in inches of `text` set in DejaVu Sans at `pt` points."""
    return _font(bold).getlength(text) / 100 * pt / 72


def value_size(text: str, width: float, largest: float, smallest: float = 12.0) -> float:
    """The largest size (pt, at most `largest`) at which a card's value holds on one line."""
    pt = largest
    while pt > smallest and text_width(text, pt, bold=True) > 0.92 * width:  # cell padding
        pt -= 1
    return pt


def _words(text: str) -> list[str]:
    return text.split(" ") or [""]  # only plain spaces break: "120 000" and "≈ 2011" hold


def fit_table(table: pd.DataFrame, box: Box, *, largest: float = 18.0,
              smallest: float = 10.0) -> tuple[float, list[float]]:
    """Font size (pt) and column widths (in) for a table in a box: the largest size at which no
    word is cut and the rows, long cells wrapped, fit the box's height."""
    head = [str(c) for c in table.columns]
    columns = [[head[j]] + [str(v) for v in table.iloc[:, j]] for j in range(len(head))]
    pad, pt = 0.24, largest
    while True:
        def width(t: str, i: int) -> float:
            return text_width(t, pt, bold=i == 0)  # noqa: B023 (used at once)

        full = [max(width(t, i) for i, t in enumerate(col)) + pad for col in columns]
        least = [max(width(w, i) for i, t in enumerate(col) for w in _words(t)) + pad
                 for col in columns]
        spare = box.w - sum(least)
        if sum(full) <= box.w:
            widths = [w * box.w / sum(full) for w in full]
        elif spare >= 0:
            room = [f - m for f, m in zip(full, least, strict=True)]
            widths = [m + spare * r / sum(room) for m, r in zip(least, room, strict=True)]
        else:
            widths = [w * box.w / sum(least) for w in least]
        lines = [max(-(-width(col[i], i) // max(w - pad, 0.01)) for col, w in
                     zip(columns, widths, strict=True)) for i in range(len(table) + 1)]
        height = sum(n * pt / 72 * 1.35 + 0.1 for n in lines)
        if (spare >= 0 and height <= box.h) or pt <= smallest:
            return pt, widths
        pt -= 0.5


# --- errors ------------------------------------------------------------------------------------


class ExportError(RuntimeError):
    """An export that cannot be made, with a message for the user in their language."""

    command: str = ""

    def __init__(self, key: str, **values: object) -> None:
        self.key, self.values = key, values
        super().__init__(i18n.t(key, "en", **values))

    def message(self, lang: str) -> str:
        return i18n.t(self.key, lang, **self.values)


class ChromiumMissing(ExportError):
    command = INSTALL_CHROMIUM

    def __init__(self, where: str) -> None:
        super().__init__("board.no_chromium", path=where, command=INSTALL_CHROMIUM)


class FontMissing(ExportError):
    command = INSTALL_FONTS

    def __init__(self, where: str) -> None:
        super().__init__("board.no_font", path=where, command=INSTALL_FONTS)


# --- chart images ------------------------------------------------------------------------------

_render_lock = threading.Lock()


def chromium_path() -> str:
    """The browser kaleido will start (BROWSER_PATH, else the usual names on PATH), checked."""
    path = os.environ.get("BROWSER_PATH") or Chromium.find_browser(skip_local=False)
    if not path or not Path(path).is_file() or not os.access(path, os.X_OK):
        raise ChromiumMissing(path or "chromium")
    return path


def _with_timeout(fn: Callable[[], bytes], seconds: float) -> bytes:
    box: dict[str, object] = {}

    def run() -> None:
        try:
            box["value"] = fn()
        except Exception as e:  # noqa: BLE001 (handed back to the caller's thread)
            box["error"] = e

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise TimeoutError(f"no image after {seconds} s")
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]  # type: ignore[return-value]


def chart_png(fig: go.Figure, box: Box, *, lang: str, title: str = "") -> bytes:
    """The figure as a PNG sized for `box` (2 px per CSS px), in the house style."""
    chromium_path()
    fig = enlarged(style(go.Figure(fig), lang=lang), CHART_FONT_PX)
    fig.update_layout(font_family=FONT_NAME, font_size=CHART_FONT_PX, width=None, height=None)
    fig.update_xaxes(automargin=True)
    fig.update_yaxes(automargin=True)
    width, height = round(box.w * 96), round(box.h * 96)
    spec = fig.to_dict()
    with _render_lock:
        pio.defaults.mathjax = False  # also for any other image plotly draws in this process
        pio.defaults.topojson = STATIC.resolve().as_uri() + "/"
        kaleido.start_sync_server(mathjax=False, silence_warnings=True)  # once, then reused
        try:
            return _with_timeout(lambda: kaleido.calc_fig_sync(
                spec, opts={"format": "png", "width": width, "height": height, "scale": 2},
                topojson=pio.defaults.topojson), RENDER_TIMEOUT_S)
        except (TimeoutError, RuntimeError, ValueError) as e:
            raise ExportError("board.render_failed", title=title, error=str(e)[:300]) from e


# --- PPTX --------------------------------------------------------------------------------------


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def _write(frame, lines: list[tuple[str, float, bool, str]], *, align=PP_ALIGN.LEFT,
           anchor=MSO_ANCHOR.TOP) -> None:
    """Fill a text frame: one paragraph per (text, size pt, bold, colour)."""
    frame.clear()
    frame.word_wrap = True
    frame.vertical_anchor = anchor
    for i, (text, size, bold, colour) in enumerate(lines):
        p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        p.alignment = align
        run = p.add_run()
        run.text = text
        run.font.size, run.font.bold, run.font.name = Pt(size), bold, FONT_NAME
        run.font.color.rgb = _rgb(colour)


def _place(shape, box: Box) -> None:
    shape.left, shape.top = Inches(box.x), Inches(box.y)
    shape.width, shape.height = Inches(box.w), Inches(box.h)


def _textbox(slide, box: Box, lines, **kw):
    shape = slide.shapes.add_textbox(Inches(box.x), Inches(box.y), Inches(box.w), Inches(box.h))
    _write(shape.text_frame, lines, **kw)
    return shape


def _pptx_card(slide, kpi, box: Box, scale: float) -> None:
    shape = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, Inches(box.x), Inches(box.y),
                                   Inches(box.w), Inches(box.h))
    shape.adjustments[0] = 0.06
    shape.fill.solid()
    shape.fill.fore_color.rgb = _rgb(LIGHT)
    shape.line.color.rgb = _rgb(RULE)
    shape.shadow.inherit = False
    frame = shape.text_frame
    frame.margin_left = frame.margin_right = Inches(0.18)
    lines = [(kpi.label, 15 * scale, False, GREY),
             (kpi.value, value_size(kpi.value, box.w - 0.4, 34 * scale), True, BLUE)]
    if kpi.detail:
        lines.append((kpi.detail, 13 * scale, False, GREY))
    _write(frame, lines, anchor=MSO_ANCHOR.MIDDLE)


def _pptx_table(slide, table: pd.DataFrame, box: Box) -> None:
    rows, cols = len(table) + 1, len(table.columns)
    size, widths = fit_table(table, box)
    shape = slide.shapes.add_table(rows, cols, Inches(box.x), Inches(box.y), Inches(box.w),
                                   Inches(min(box.h, rows * size / 72 * 1.9)))
    grid = shape.table
    for j, width in enumerate(widths):
        grid.columns[j].width = Inches(width)
    for i in range(rows):
        grid.rows[i].height = Inches(size / 72 * 1.9)
    for j, name in enumerate(table.columns):
        for i in range(rows):
            cell = grid.cell(i, j)
            value = str(name) if i == 0 else str(table.iat[i - 1, j])
            cell.fill.solid()
            cell.fill.fore_color.rgb = _rgb(BLUE if i == 0 else LIGHT if i % 2 == 0 else WHITE)
            cell.margin_left = cell.margin_right = Inches(0.1)
            cell.margin_top = cell.margin_bottom = Inches(0.04)
            _write(cell.text_frame, [(value, size, i == 0, WHITE if i == 0 else NAVY)],
                   anchor=MSO_ANCHOR.MIDDLE)


def _pptx_slide(prs, slide: Slide, number: int, total: int, images: dict[str, bytes]) -> None:
    if slide.kind == "cover":
        s = prs.slides.add_slide(prs.slide_layouts[0])
        title, subtitle = s.shapes.title, s.placeholders[1]
        _place(title, Box(1.2, 1.7, 11.0, 1.2))
        _write(title.text_frame, [(slide.title, 40, True, NAVY)], anchor=MSO_ANCHOR.BOTTOM)
        _place(subtitle, Box(1.2, 2.95, 11.0, 0.6))
        _write(subtitle.text_frame, [(slide.subtitle, 22, False, GREY)])
        bar = s.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(0.75), Inches(1.8), Inches(0.14),
                                 Inches(4.2))
        bar.fill.solid()
        bar.fill.fore_color.rgb = _rgb(BLUE)
        bar.line.fill.background()
        _textbox(s, Box(1.2, 3.85, 11.0, 2.4),
                 [(line, 20 if i == 0 else 17, i == 0, NAVY if i == 0 else GREY)
                  for i, line in enumerate(slide.bullets)])
    else:
        s = prs.slides.add_slide(prs.slide_layouts[5])
        _place(s.shapes.title, Box(MARGIN, TITLE_Y, W - 2 * MARGIN, TITLE_H))
        _write(s.shapes.title.text_frame, [(slide.title, 28, True, NAVY)],
               anchor=MSO_ANCHOR.BOTTOM)
        if slide.subtitle:
            _textbox(s, Box(MARGIN, SUBTITLE_Y, W - 2 * MARGIN, SUBTITLE_H),
                     [(slide.subtitle, 15, False, GREY)])
        rule = s.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(MARGIN), Inches(RULE_Y),
                                  Inches(W - 2 * MARGIN), Inches(0.03))
        rule.fill.solid()
        rule.fill.fore_color.rgb = _rgb(BLUE)
        rule.line.fill.background()
        parts = layout(slide)
        if "chart" in parts and slide.key in images:
            box = parts["chart"]
            s.shapes.add_picture(io.BytesIO(images[slide.key]), Inches(box.x), Inches(box.y),
                                 Inches(box.w), Inches(box.h))
        if "table" in parts:
            _pptx_table(s, slide.table, parts["table"])
        if "cards" in parts:
            scale = 0.8 if "chart" in parts else 1.0
            for kpi, box in zip(slide.kpis, parts["cards"], strict=True):
                _pptx_card(s, kpi, box, scale)
        if "text" in parts:
            _textbox(s, parts["text"], [(line, 20, False, NAVY) for line in slide.bullets])
    _textbox(s, Box(MARGIN, FOOTER_Y, W - 2 * MARGIN - 1.2, 0.35),
             [(slide.footer, 10, False, GREY)])
    _textbox(s, Box(W - MARGIN - 1.2, FOOTER_Y, 1.2, 0.35), [(f"{number} / {total}", 10, False,
                                                               GREY)], align=PP_ALIGN.RIGHT)
    s.notes_slide.notes_text_frame.text = slide.notes


def to_pptx(deck: Deck, images: dict[str, bytes]) -> bytes:
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(W), Inches(H)
    prs.core_properties.title = deck.title
    prs.core_properties.author = "Envol"
    prs.core_properties.language = i18n.LOCALES[deck.lang].replace("_", "-")
    for number, slide in enumerate(deck.slides, 1):
        _pptx_slide(prs, slide, number, len(deck.slides), images)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


# --- PDF ---------------------------------------------------------------------------------------


def _fill(pdf: FPDF, colour: str, *, text: bool = False) -> None:
    rgb = tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))
    (pdf.set_text_color if text else pdf.set_fill_color)(*rgb)


def _pdf_text(pdf: FPDF, box: Box, text: str, size: float, *, bold: bool = False,
              colour: str = NAVY, align: str = "L") -> None:
    pdf.set_font("DejaVu", "B" if bold else "", size)
    _fill(pdf, colour, text=True)
    pdf.set_xy(box.x, box.y)
    pdf.multi_cell(box.w, size / 72 * 1.3, text, align=align, new_x="LMARGIN", new_y="NEXT")


def _pdf_card(pdf: FPDF, kpi, box: Box, scale: float) -> None:
    _fill(pdf, LIGHT)
    pdf.set_draw_color(213, 221, 230)
    pdf.set_line_width(0.01)
    pdf.rect(box.x, box.y, box.w, box.h, style="DF", round_corners=True, corner_radius=0.1)
    inner = Box(box.x + 0.18, box.y, box.w - 0.36, box.h)
    label, detail = 15 * scale, 13 * scale
    value = value_size(kpi.value, inner.w, 34 * scale)
    pdf.set_font("DejaVu", "", label)
    label_lines = len(pdf.multi_cell(inner.w, label / 72 * 1.3, kpi.label, dry_run=True,
                                     output="LINES"))
    height = (label_lines * label * 1.3 + value * 1.3 + (detail * 1.4 if kpi.detail else 0)) / 72
    y = box.y + (box.h - height) / 2
    _pdf_text(pdf, Box(inner.x, y, inner.w, 0), kpi.label, label, colour=GREY)
    y += label_lines * label * 1.3 / 72
    _pdf_text(pdf, Box(inner.x, y, inner.w, 0), kpi.value, value, bold=True, colour=BLUE)
    if kpi.detail:
        _pdf_text(pdf, Box(inner.x, y + value * 1.3 / 72, inner.w, 0), kpi.detail, detail,
                  colour=GREY)


def _pdf_table(pdf: FPDF, table: pd.DataFrame, box: Box) -> None:
    size, widths = fit_table(table, box)
    pdf.set_font("DejaVu", "", size)
    _fill(pdf, NAVY, text=True)
    _fill(pdf, WHITE)  # the table paints unfilled rows with the current fill colour
    pdf.set_draw_color(213, 221, 230)
    pdf.set_line_width(0.01)
    old_margin = pdf.l_margin
    pdf.set_left_margin(box.x)
    pdf.set_xy(box.x, box.y)
    heading = FontFace(emphasis="BOLD", color=(255, 255, 255), fill_color=(0, 114, 178))
    with pdf.table(width=box.w, col_widths=widths, align="LEFT",
                   line_height=size / 72 * 1.35, headings_style=heading,
                   cell_fill_color=(242, 245, 249), cell_fill_mode="EVEN_ROWS",
                   borders_layout="HORIZONTAL_LINES", padding=(0.05, 0.1),
                   v_align="MIDDLE", text_align="LEFT") as grid:
        grid.row([str(c) for c in table.columns])
        for values in table.itertuples(index=False):
            grid.row([str(v) for v in values])
    pdf.set_left_margin(old_margin)


def _pdf_slide(pdf: FPDF, slide: Slide, number: int, total: int,
               images: dict[str, bytes]) -> None:
    pdf.add_page()
    if slide.kind == "cover":
        _fill(pdf, BLUE)
        pdf.rect(0.75, 1.8, 0.14, 4.2, style="F")
        pdf.set_font("DejaVu", "B", 40)
        lines = len(pdf.multi_cell(11.0, 40 / 72 * 1.3, slide.title, dry_run=True,
                                   output="LINES"))
        _pdf_text(pdf, Box(1.2, 2.9 - lines * 40 / 72 * 1.3, 11.0, 0), slide.title, 40,
                  bold=True)
        _pdf_text(pdf, Box(1.2, 3.0, 11.0, 0), slide.subtitle, 22, colour=GREY)
        y = 3.95
        for i, line in enumerate(slide.bullets):
            size = 20 if i == 0 else 17
            _pdf_text(pdf, Box(1.2, y, 11.0, 0), line, size, bold=i == 0,
                      colour=NAVY if i == 0 else GREY)
            y = pdf.get_y() + 0.08
    else:
        _pdf_text(pdf, Box(MARGIN, TITLE_Y + 0.22, W - 2 * MARGIN, 0), slide.title, 28,
                  bold=True)
        if slide.subtitle:
            _pdf_text(pdf, Box(MARGIN, SUBTITLE_Y + 0.05, W - 2 * MARGIN, 0), slide.subtitle, 15,
                      colour=GREY)
        _fill(pdf, BLUE)
        pdf.rect(MARGIN, RULE_Y, W - 2 * MARGIN, 0.03, style="F")
        parts = layout(slide)
        if "chart" in parts and slide.key in images:
            box = parts["chart"]
            pdf.image(io.BytesIO(images[slide.key]), box.x, box.y, box.w, box.h)
        if "table" in parts:
            _pdf_table(pdf, slide.table, parts["table"])
        if "cards" in parts:
            scale = 0.8 if "chart" in parts else 1.0
            for kpi, box in zip(slide.kpis, parts["cards"], strict=True):
                _pdf_card(pdf, kpi, box, scale)
        if "text" in parts:
            box = parts["text"]
            for line in slide.bullets:
                _pdf_text(pdf, box, line, 20)
                box = Box(box.x, pdf.get_y() + 0.1, box.w, box.h)
    _pdf_text(pdf, Box(MARGIN, FOOTER_Y + 0.05, W - 2 * MARGIN - 1.2, 0), slide.footer, 10,
              colour=GREY)
    _pdf_text(pdf, Box(W - MARGIN - 1.2, FOOTER_Y + 0.05, 1.2, 0), f"{number} / {total}", 10,
              colour=GREY, align="R")


def to_pdf(deck: Deck, images: dict[str, bytes]) -> bytes:
    for path in FONT_FILES.values():
        if not path.is_file():
            raise FontMissing(str(path))
    pdf = FPDF(orientation="L", unit="in", format=(H, W))
    pdf.set_auto_page_break(False)
    pdf.set_margins(MARGIN, TITLE_Y, MARGIN)
    for style_, path in FONT_FILES.items():
        pdf.add_font("DejaVu", style_, str(path))
    pdf.set_title(deck.title)
    pdf.set_author("Envol")
    pdf.set_lang(deck.lang)
    for number, slide in enumerate(deck.slides, 1):
        _pdf_slide(pdf, slide, number, len(deck.slides), images)
    return bytes(pdf.output())


# --- both --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BoardPack:
    pptx: bytes
    pdf: bytes
    images: dict[str, bytes]  # slide key → chart PNG


Progress = Callable[[float, str], None]


def chart_images(deck: Deck, progress: Progress | None = None) -> dict[str, bytes]:
    """Every chart of the deck as a PNG sized for its place on the slide."""
    charts = [s for s in deck.slides if s.figure is not None]
    images = {}
    for i, slide in enumerate(charts):
        if progress:
            progress(i / (len(charts) + 2), i18n.t("board.step_chart", deck.lang, n=i + 1,
                                                   total=len(charts), title=slide.title))
        images[slide.key] = chart_png(slide.figure, layout(slide)["chart"], lang=deck.lang,
                                      title=slide.title)
    return images


def build_pack(deck: Deck, progress: Progress | None = None) -> BoardPack:
    """The PPTX and the PDF of a deck (charts drawn once for both)."""
    charts = sum(s.figure is not None for s in deck.slides)
    images = chart_images(deck, progress)
    if progress:
        progress(charts / (charts + 2), i18n.t("board.step_pptx", deck.lang))
    pptx = to_pptx(deck, images)
    if progress:
        progress((charts + 1) / (charts + 2), i18n.t("board.step_pdf", deck.lang))
    pdf = to_pdf(deck, images)
    if progress:
        progress(1.0, i18n.t("board.ready", deck.lang, slides=len(deck.slides)))
    return BoardPack(pptx, pdf, images)
