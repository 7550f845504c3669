"""Text from the data, made inert wherever it is shown or written.

One helper per destination, used by every component, page, slide and CSV writer:

- `plain_markdown`: for Streamlit's Markdown (st.markdown, st.caption, st.subheader, st.metric
  labels, st.info...). Every Markdown special is escaped, so the user sees the original characters
  and nothing is run: no bold, link, LaTeX (`$x$`), HTML, `:red[...]` colour, `:smile:` emoji or
  `:material/...:` icon.
- `plain_html`: for plotly labels (text, hover text, tick labels, titles, legend names), which
  read a few HTML tags (`<b>`, `<br>`, `<a href>`...) and entities.
- `formula_safe`: for a CSV cell, so that a spreadsheet does not run it as a formula;
  `excel_csv` writes such cells as every CSV Envol hands out.
"""

from __future__ import annotations

import csv
import io
import math
import numbers
import re
from collections.abc import Iterable

import pandas as pd

# ASCII punctuation that Markdown (CommonMark, GFM, Streamlit's directives and math) reads.
# CommonMark lets a backslash escape any of them; `&` too (`\&amp;` shows `&amp;`).
_PUNCT = r"\\`*_{}\[\]<>()#+\-.!|$~&="
_MD_SPECIAL = re.compile(f"([{_PUNCT}])")
# Streamlit turns `:smile:` into an emoji and `:material/home:` into an icon even when the colons
# are backslash-escaped; a character reference is read as a plain colon after those plugins run.
_COLON = "&#58;"
# Two rewrites run on the text after parsing, where no escape helps: Streamlit turns ` -- `,
# ` -> `, ` <- `, ` <-> `, ` >= `, ` <= `, ` ~= ` into typographic signs (—, →, ←, ↔, ≥, ≤, ≈),
# and GFM turns `https://…`, `www.…` and `a@b.org` into links. An invisible WORD JOINER (U+2060)
# at those places keeps them apart; what the user sees is unchanged.
_JOIN_AT = r"(?<=[<>~-])(?=[->=])|(?<=:)(?=//)|(?<=[wW]{3})(?=\.)|(?<=@)(?=.)"
_TYPOGRAPHY = re.compile(_JOIN_AT, re.DOTALL)
_JOINED = re.compile(r"(?<=[<>~-])\u2060(?=[->=])|(?<=:)\u2060(?=//)|(?<=[wW]{3})\u2060(?=\.)"
                     r"|(?<=@)\u2060(?=.)", re.DOTALL)
JOINER = "\u2060"
# Leading spaces or tabs would make an indented code block.
_INDENT = re.compile(r"(?:^|(?<=[\r\n]))[ \t]+")


def _text(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def plain_markdown(value: object) -> str:
    """`value` as Markdown that displays exactly its characters (None and NaN as "")."""
    s = _TYPOGRAPHY.sub(JOINER, _text(value))
    s = _MD_SPECIAL.sub(r"\\\1", s).replace(":", _COLON)
    return _INDENT.sub(lambda m: m.group(0).replace(" ", "&#32;").replace("\t", "&#9;"), s)


_ESCAPED = re.compile(rf"\\([{_PUNCT}])|&#(58|32|9);")


def markdown_text(markdown: str) -> str:
    """The plain text back from Markdown made of `plain_markdown` pieces (for the PPTX and PDF,
    which show text literally): `markdown_text(plain_markdown(s)) == s`."""
    text = _ESCAPED.sub(lambda m: m.group(1) or chr(int(m.group(2))), markdown)
    return _JOINED.sub("", text)


def plain_html(value: object) -> str:
    """`value` for a plotly label: `&`, `<`, `>` as entities, so no tag or entity is read."""
    return _text(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# A number as Envol writes it or a French spreadsheet types it: `-12`, `-12,5`, `3.25`.
_NUMBER = re.compile(r"-?[0-9]+(?:[.,][0-9]+)?")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(value: object) -> str:
    """A CSV cell that a spreadsheet shows as text: a text starting with `=`, `+`, `-`, `@`, a tab
    or a carriage return gets a leading apostrophe; numbers (also `-12,5`) are left as they are.
    None and NaN are empty cells; booleans `true`/`false`; other numbers their shortest text."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, numbers.Real):
        x = float(value)
        return str(int(x)) if x.is_integer() and abs(x) < 1e16 else repr(x)
    text = str(value)
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def excel_csv(header: Iterable[str], rows: Iterable[Iterable[object]]) -> bytes:
    """Every CSV Envol hands out, as French Excel opens it: `;`-separated, CRLF, UTF-8 with a
    BOM. The cells are written as given: pass text cells through `formula_safe` first."""
    out = io.StringIO()
    w = csv.writer(out, delimiter=";", lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")

