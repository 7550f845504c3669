"""Analyst uploads: from a French Excel CSV to validated rows in the contract's types.

The steps, each a pure function (no Streamlit) that the upload page calls in turn:

1. `sniff(data)` decodes the head of the file and guesses its `Dialect`: encoding (BOM, valid
   UTF-8, else Windows-1252), separator, decimal mark, thousands mark, date format, the line of
   the header, the table (the contract table whose columns best cover the header) and the header
   mapping (file column → contract column, through `schema.header_aliases`). The page shows the
   dialect and lets the analyst correct any part of it (`sniff(data, separator=";", ...)`).
2. `check(con, data, dialect, ...)` parses the whole file with DuckDB and validates it against
   the contract: types (French numbers, dates, oui/non, enum labels, country names), required
   values, minimums, uniqueness of the key, references to the current snapshots of the other
   tables, the table's rules across columns, and (for a replace) rows of other tables that still
   point at a removed key. Every problem carries the file's own line, the column as written in
   the file and its contract name, the value, the rule and what would be accepted (FR and EN).
3. `preview(con, checked)`: the difference with the current snapshot by key, and the key figures
   per cluster before and after (the named query `kpis_by_cluster`, run on a throw-away copy).
4. `commit(con, checked, ..., scope=...)`: one DuckLake commit through `store.commit_table`,
   refused while any problem remains or when the table changed since the check, and refused
   (`access.Forbidden`) when the scope may not write these rows (see `store.authorise_write`).

Access (`envol.access.Scope`): `check` and `preview` given an analyst's scope check and show the
file as that analyst's commit would write it (rows of their clusters only; a "replace" replaces
their clusters' rows and keeps the others'); `commit` enforces the scope whatever was checked;
`export_csv` exports only what the scope may read.

Line numbers are the file's rows as a spreadsheet numbers them: the header is line 1 (after any
title lines above it), blank lines count, and a quoted cell spanning several text lines is one
row. Without multi-line cells this is also the line number a text editor shows.

Speed: the file is written once to a temporary file (Windows-1252 decoded to UTF-8 in 256 KiB
pieces, its SHA-256 hashed meanwhile in a thread) and read by DuckDB's CSV reader as text, then
ONE SQL statement turns every column into the contract's type (numbers through a cheap exact
tier for the common case, digits with NBSP thousands); failures keep the cell's text for the
message. ONE more statement counts every check; only the checks that found something are
queried for their rows. No Python loop touches the rows unless the file has problems to locate.
The checked rows are staged as one Parquet file (DuckDB's `COPY`, in the file's order, on every
core; `Checked.staged`), not read back into Python: the commit registers a copy of that file in
the lake (`store.ParquetRows`), and the page reads only the rows it shows (`Checked.head`).

SQL here is generated from the contract: every identifier comes from `envol/schema.py` (column
and table names) or is made by this module (`c0`, `c1`… for the file's columns); every value
(patterns, enum spellings, limits, versions) is bound as a parameter. Fixed queries live in
`queries/`. The `# noqa: S608` markers below point at those generated statements.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import os
import re
import shutil
import tempfile
import threading
import time
import weakref
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePath

import duckdb
import pandas as pd
import pyarrow as pa

from envol import countries, i18n, store
from envol.access import Forbidden, Scope
from envol.queries import run_query
from envol.schema import (
    ACCEPTED,
    TABLES,
    Column,
    NotGreater,
    RequiredWhen,
    Table,
    enum_aliases,
    fold,
    header_aliases,
)
from envol.text import excel_csv, formula_safe

# ---------------------------------------------------------------------------------------------
# Choices the analyst can make (the page offers exactly these)

ENCODINGS = ("utf-8", "utf-8-sig", "cp1252", "utf-16")
SEPARATORS = (";", ",", "\t", "|")
DECIMALS = (",", ".")
THOUSANDS = ("", ".", ",")  # spaces (also U+00A0 and U+202F) are always accepted
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%m/%d/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y")
IGNORE = "-"  # mapping target: the analyst chose to ignore this file column
UNKNOWN = ""  # mapping target: nobody knows yet what this column is (blocks the upload)
MODES = ("replace", "append")

SPACES = " \t\u00a0\u202f"
TRUE_WORDS = ("true", "vrai", "oui", "yes", "1", "o", "y", "x")
FALSE_WORDS = ("false", "faux", "non", "no", "0", "n")
MAX_LISTED = 1000  # problems listed in detail (all are counted)
HEAD_BYTES = 1 << 20  # what sniffing reads
HEAD_ROWS = 2000


@dataclass(frozen=True)
class Limits:
    """Upload limits: `ENVOL_MAX_UPLOAD_MB` (default 200) and `ENVOL_MAX_ROWS` (2,000,000)."""

    max_mb: int = 200
    max_rows: int = 2_000_000

    @classmethod
    def from_env(cls) -> Limits:
        return cls(int(os.environ.get("ENVOL_MAX_UPLOAD_MB", cls.max_mb)),
                   int(os.environ.get("ENVOL_MAX_ROWS", cls.max_rows)))


@dataclass(frozen=True)
class Problem:
    """One thing that stops the upload, located in the file, said in French and English."""

    rule: str
    line: int | None = None  # the file's own line (None: the whole file or a column)
    column: str = ""  # the column as written in the file's header
    canonical: str = ""  # the contract's column
    value: str = ""
    message_fr: str = ""
    message_en: str = ""
    accepted_fr: str = ""
    accepted_en: str = ""

    def message(self, lang: str) -> str:
        return self.message_fr if lang == "fr" else self.message_en

    def accepted(self, lang: str) -> str:
        return self.accepted_fr if lang == "fr" else self.accepted_en


def _both(key: str, **values) -> tuple[str, str]:
    return i18n.t(key, "fr", **values), i18n.t(key, "en", **values)


def _num(x: float, decimals: int = 0) -> tuple[str, str]:
    return i18n.number(x, "fr", decimals), i18n.number(x, "en", decimals)


def _problem(rule: str, *, line: int | None = None, column: str = "", canonical: str = "",
             value: object = "", accepted: tuple[str, str] = ("", ""), **params) -> Problem:
    text = "" if value is None else str(value)
    msg = [i18n.t(f"upload.rule.{rule}", lang, value=text, column=column or canonical,
                  canonical=canonical,
                  **{k: (v[i] if isinstance(v, tuple) else v) for k, v in params.items()})
           for i, lang in enumerate(("fr", "en"))]
    return Problem(rule, line, column, canonical, text, msg[0], msg[1], *accepted)


@dataclass(frozen=True)
class Dialect:
    """How a file is written, as sniffed and as corrected by the analyst."""

    encoding: str = "utf-8"
    separator: str = ";"
    decimal: str = ","
    thousands: str = ""
    date_format: str = "%d/%m/%Y"
    skip_lines: int = 0  # lines above the header (titles)
    headers: tuple[str, ...] = ()
    table: str | None = None
    mapping: tuple[str, ...] = ()  # per file column: contract column, IGNORE or UNKNOWN

    def mapped(self) -> dict[str, int]:
        """Contract column → index of the file column holding it (first one when doubled)."""
        out: dict[str, int] = {}
        for i, target in enumerate(self.mapping):
            if target not in (IGNORE, UNKNOWN):
                out.setdefault(target, i)
        return out


@dataclass(frozen=True)
class TableGuess:
    table: str
    mapped: dict[str, str]  # file header → contract column
    required_found: float  # share of the table's required columns present

    @property
    def plausible(self) -> bool:
        return self.required_found >= 0.5 and len(set(self.mapped.values())) >= 2


@dataclass
class Sniff:
    dialect: Dialect
    guesses: list[TableGuess]
    problems: list[Problem]  # whole-file problems found before parsing
    text: bool = True  # False: not a text file, nothing else to ask
    examples: tuple[str, ...] = ()  # the first data row, for the mapping editor


@dataclass
class Checked:
    """The parsed and validated file: rows in the contract's types, and every problem."""

    table: str
    dialect: Dialect
    mode: str
    staged: store.ParquetRows | None  # the rows in the contract's types, in the file's order
    problems: list[Problem]
    problem_count: int
    row_count: int
    version: int  # lake snapshot the references were checked against
    table_version: int | None  # the table's own newest commit at check time
    sha256: str
    absent: tuple[str, ...] = ()  # optional contract columns the file does not have
    blank_rows: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.staged is not None and self.problem_count == 0

    @property
    def rows(self) -> pa.Table | None:
        """Every checked row, read from the staged file (a commit does not need them here)."""
        return None if self.staged is None else self.staged.read()

    def head(self, n: int) -> pa.Table | None:
        return None if self.staged is None else self.staged.head(n)


Progress = Callable[[float, str], object] | None

# ---------------------------------------------------------------------------------------------
# Decoding


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class _Background:
    """`fn(*args)` in a thread; `result()` waits for it (and raises what it raised)."""

    def __init__(self, fn: Callable, *args):
        self._value: object = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(fn, args), daemon=True)
        self._thread.start()

    def _run(self, fn: Callable, args: tuple) -> None:
        try:
            self._value = fn(*args)
        except BaseException as e:  # handed to the caller by result()
            self._error = e

    def result(self):
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value


def _not_text(data: bytes) -> str | None:
    """Why these bytes are not a text file (i18n key suffix), or None."""
    head = data[:65536]
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None  # UTF-16 (Excel's "Unicode text")
    if b"\x00" in head:
        return "binary"
    controls = sum(head.count(bytes([b])) for b in (*range(0, 9), *range(14, 32)))
    if head and controls / len(head) > 0.01:
        return "binary"
    return None


def _guess_encoding(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    sample = data if len(data) <= 16 * HEAD_BYTES else data[:HEAD_BYTES]
    if sample is not data:  # do not judge a character cut at the end of the sample
        sample = sample[: sample.rfind(b"\n") + 1] or sample
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1252"


def _line_of_offset(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def to_utf8(data: bytes, encoding: str) -> bytes | memoryview:
    """The file as UTF-8 bytes without a BOM (raises UnicodeDecodeError on a bad byte)."""
    if encoding in ("utf-8", "utf-8-sig"):
        return memoryview(data)[3:] if data.startswith(b"\xef\xbb\xbf") else data
    if encoding == "utf-16":
        return data.decode("utf-16").encode("utf-8")
    stream = pa.transcoding_input_stream(pa.BufferReader(data), "cp1252", "utf-8")
    try:
        return stream.read()
    except UnicodeDecodeError:
        raise
    except Exception as exc:  # pyarrow wraps the codec's error
        cause = exc.__cause__ or exc.__context__
        if isinstance(cause, UnicodeDecodeError):
            raise cause from exc
        data.decode("cp1252")  # raises with the offset
        raise


def _encoding_problem(data: bytes, encoding: str) -> Problem | None:
    try:
        if encoding == "utf-16":
            data.decode("utf-16")
        elif encoding == "cp1252":
            data.decode("cp1252")
        else:
            data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        byte = data[err.start:err.start + 1].hex().upper()
        return _problem("encoding", line=_line_of_offset(data, err.start), value=f"0x{byte}",
                        encoding=(encoding_label(encoding, "fr"), encoding_label(encoding, "en")),
                        accepted=_both("upload.accepted.encoding"))
    return None


def encoding_label(encoding: str, lang: str) -> str:
    return i18n.t(f"upload.encoding.{encoding.replace('-', '_')}", lang)


# ---------------------------------------------------------------------------------------------
# Sniffing


def _head_text(data: bytes, encoding: str) -> str:
    head = data[:HEAD_BYTES]
    if encoding == "utf-16":
        head = data[:HEAD_BYTES * 2]
        return head.decode("utf-16", errors="ignore")
    codec = "utf-8-sig" if encoding.startswith("utf-8") else "cp1252"
    return head.decode(codec, errors="replace")


def _rows(lines: list[str], sep: str) -> list[list[str]]:
    try:
        return list(csv.reader(io.StringIO("\n".join(lines)), delimiter=sep, quotechar='"'))
    except csv.Error:
        return [ln.split(sep) for ln in lines]


def _guess_separator(lines: list[str]) -> str:
    best, best_score = ";", (-1.0, 0)
    sample = [ln for ln in lines[:60] if ln.strip()]
    for sep in SEPARATORS:
        counts = [len(r) for r in _rows(sample, sep) if r]
        if not counts:
            continue
        modal, n = Counter(counts).most_common(1)[0]
        if modal < 2:
            continue
        score = (n / len(counts), modal)
        if score > best_score:
            best, best_score = sep, score
    return best


def _guess_skip(lines: list[str], sep: str) -> int:
    """Title lines above the header: the header is the first line as wide as most lines."""
    rows = _rows(lines[:60], sep)
    widths = [len(r) for r in rows if r and any(c.strip() for c in r)]
    if not widths:
        return 0
    modal = Counter(widths).most_common(1)[0][0]
    for i, r in enumerate(rows[:20]):
        if len(r) == modal and sum(bool(c.strip()) for c in r) >= max(1, min(2, modal) ,
                                                                      modal // 2):
            return i
    return 0


def guess_tables(headers: tuple[str, ...]) -> list[TableGuess]:
    """Every table with at least one column in the header, best match first."""
    guesses = []
    for table in TABLES.values():
        aliases = header_aliases(table)
        mapped = {h: aliases[fold(h)] for h in headers if fold(h) in aliases}
        if not mapped:
            continue
        required = set(table.required)
        found = len(required & set(mapped.values())) / len(required)
        guesses.append(TableGuess(table.name, mapped, found))
    guesses.sort(key=lambda g: (g.required_found, len(set(g.mapped.values())),
                                -(len(headers) - len(g.mapped))), reverse=True)
    return guesses


_COMMA_DEC = re.compile(r"\d,(\d{1,2}|\d{4,})$")
_POINT_DEC = re.compile(r"\d\.(\d{1,2}|\d{4,})$")


def _guess_numbers(values: list[str], sep: str) -> tuple[str, str]:
    """(decimal, thousands) from the sample values of the number columns."""
    comma = point = 0
    thousands = ""
    for raw in values:
        v = raw.strip().translate({ord(c): None for c in SPACES + "€"})
        if "," in v and "." in v:
            if v.rfind(",") > v.rfind("."):
                comma, thousands = comma + 1, "."
            else:
                point, thousands = point + 1, ","
        elif _COMMA_DEC.search(v):
            comma += 1
        elif _POINT_DEC.search(v):
            point += 1
    if comma and not point:
        decimal = ","
    elif point and not comma:
        decimal = "."
    else:
        decimal = "." if sep == "," else ","
    if thousands == decimal:
        thousands = ""
    return decimal, thousands


_DATE_SHAPES = (
    (re.compile(r"\d{4}-\d{1,2}-\d{1,2}"), "%Y-%m-%d"),
    (re.compile(r"\d{1,2}/\d{1,2}/\d{4}"), "%d/%m/%Y"),
    (re.compile(r"\d{1,2}-\d{1,2}-\d{4}"), "%d-%m-%Y"),
    (re.compile(r"\d{1,2}\.\d{1,2}\.\d{4}"), "%d.%m.%Y"),
    (re.compile(r"\d{1,2}/\d{1,2}/\d{2}"), "%d/%m/%y"),
)


def _guess_date_format(values: list[str]) -> str:
    shapes: Counter[str] = Counter()
    month_first = day_first = 0
    for raw in values:
        v = raw.strip().split(" ")[0]
        for pattern, fmt in _DATE_SHAPES:
            if pattern.fullmatch(v):
                shapes[fmt] += 1
                if fmt == "%d/%m/%Y":
                    a, b, _ = v.split("/")
                    day_first += int(a) > 12
                    month_first += int(b) > 12
                break
    if not shapes:
        return "%d/%m/%Y"
    fmt = shapes.most_common(1)[0][0]
    if fmt == "%d/%m/%Y" and month_first and not day_first:
        return "%m/%d/%Y"
    return fmt


def with_mapping(dialect: Dialect, chosen: dict[int, str]) -> Dialect:
    """The dialect with some file columns (by index) mapped as the analyst chose."""
    target = tuple(chosen.get(i, t) for i, t in enumerate(dialect.mapping))
    return dataclasses.replace(dialect, mapping=target)


def mapping_for(table: str | None, headers: tuple[str, ...],
                rows: list[list[str]] | None = None) -> tuple[str, ...]:
    """The default mapping: each header through the table's aliases; an unnamed column that is
    empty in the sample is ignored, any other unknown column must be decided by the analyst."""
    aliases = header_aliases(TABLES[table]) if table else {}
    out = []
    for i, h in enumerate(headers):
        if fold(h) in aliases:
            out.append(aliases[fold(h)])
        elif not h.strip() and all(len(r) <= i or not r[i].strip() for r in rows or []):
            out.append(IGNORE)
        else:
            out.append(UNKNOWN)
    return tuple(out)


_NOT_BLANK = re.compile(rb"[^ \t\r\n\xef\xbb\xbf]")


def file_problems(data: bytes, limits: Limits) -> list[Problem]:
    """Too large, empty, or not a text file: said before anything else is tried."""
    size_mb = len(data) / 1_000_000
    if size_mb > limits.max_mb:
        return [_problem("too_large", size=_num(size_mb, 1), max=_num(limits.max_mb))]
    if _NOT_BLANK.search(data) is None:  # only spaces, line ends and BOM bytes (no copy)
        return [_problem("empty")]
    what = _not_text(data)
    if what:
        return [_problem("binary", what=_both(f"upload.binary.{what}"))]
    return []


def sniff(data: bytes, *, table: str | None = None, encoding: str | None = None,
          separator: str | None = None, decimal: str | None = None,
          thousands: str | None = None, date_format: str | None = None,
          skip_lines: int | None = None, mapping: dict[str, str] | None = None,
          limits: Limits | None = None) -> Sniff:
    """Guess the dialect from the head of the file; any argument given overrides the guess."""
    limits = limits or Limits.from_env()
    problems = file_problems(data, limits)
    if problems:
        return Sniff(Dialect(), [], problems, text=False)
    encoding = encoding or _guess_encoding(data)
    text = _head_text(data, encoding)
    lines = text.splitlines()[:HEAD_ROWS + 60]
    separator = separator or _guess_separator(lines)
    skip = _guess_skip(lines, separator) if skip_lines is None else skip_lines
    rows = _rows(lines[skip:], separator)
    headers = tuple(h.strip().lstrip("\ufeff") for h in rows[0]) if rows else ()
    body = [r for r in rows[1:] if r]
    guesses = guess_tables(headers)
    if table is None and guesses and guesses[0].plausible:
        table = guesses[0].table
    target = mapping_for(table, headers, body)
    if mapping:
        target = tuple(mapping.get(h, t) for h, t in zip(headers, target, strict=True))
    dialect = Dialect(encoding, separator, ",", "", "%d/%m/%Y", skip, headers, table, target)
    kinds: dict[str, list[str]] = {"number": [], "date": []}
    if table:
        t = TABLES[table]
        for name, i in dialect.mapped().items():
            kind = t.column(name).kind
            if kind in ("number", "int", "date"):
                kinds["date" if kind == "date" else "number"] += [
                    r[i] for r in body if len(r) > i and r[i].strip()]
    dec, thou = _guess_numbers(kinds["number"], separator)
    dialect = dataclasses.replace(
        dialect, decimal=decimal or dec, thousands=thou if thousands is None else thousands,
        date_format=date_format or _guess_date_format(kinds["date"]))
    if dialect.thousands == dialect.decimal:
        dialect = dataclasses.replace(dialect, thousands="")
    return Sniff(dialect, guesses, problems, examples=tuple(body[0]) if body else ())


# ---------------------------------------------------------------------------------------------
# Checks on the header


def _accepted_columns(table: Table) -> tuple[str, str]:
    names = ", ".join(table.column_names)
    return (i18n.t("upload.accepted.columns", "fr", columns=names),
            i18n.t("upload.accepted.columns", "en", columns=names))


def _describe_guess(g: TableGuess, lang: str) -> str:
    cols = ", ".join(f"{h} → {c}" for h, c in g.mapped.items())
    return f"{TABLES[g.table].label(lang)} ({cols})"


def header_problems(dialect: Dialect, guesses: list[TableGuess] | None = None) -> list[Problem]:
    """What is wrong with the header for the chosen table (or with the file having no table)."""
    guesses = guess_tables(dialect.headers) if guesses is None else guesses
    if not dialect.headers:
        return [_problem("empty")]
    if dialect.table is None:
        heads = ", ".join(h or "∅" for h in dialect.headers[:12])
        heads += " …" if len(dialect.headers) > 12 else ""
        if guesses:
            close = "; ".join(_describe_guess(g, "fr") for g in guesses[:3])
            close_en = "; ".join(_describe_guess(g, "en") for g in guesses[:3])
            return [_problem("not_a_table", detail=(
                i18n.t("upload.closest", "fr", tables=close),
                i18n.t("upload.closest", "en", tables=close_en)))]
        return [_problem("not_a_table", detail=_both("upload.nothing_maps", headers=heads))]
    table = TABLES[dialect.table]
    out: list[Problem] = []
    mine = next((g for g in guesses if g.table == table.name), None)
    best = guesses[0] if guesses else None
    if (best and best.table != table.name and best.plausible
            and best.required_found > (mine.required_found if mine else 0)):
        out.append(_problem("wrong_table", table=(table.fr, table.en),
                            other=(TABLES[best.table].fr, TABLES[best.table].en)))
    seen: dict[str, list[str]] = {}
    for h, target in zip(dialect.headers, dialect.mapping, strict=True):
        if target == UNKNOWN:
            out.append(_problem("unknown_column", column=h or "∅", table=(table.fr, table.en),
                                accepted=_accepted_columns(table)))
        elif target != IGNORE:
            seen.setdefault(target, []).append(h)
    for target, heads in seen.items():
        if len(heads) > 1:
            out.append(_problem("duplicate_column", column=heads[1], canonical=target,
                                columns=", ".join(heads)))
    for c in table.columns:
        if c.required and c.name not in seen:
            out.append(_problem("missing_column", canonical=c.name, label=(c.fr, c.en),
                                accepted=_accepted(c, dialect)))
    return out


# ---------------------------------------------------------------------------------------------
# Parsing and validating (DuckDB)

_MACROS = f"""
CREATE OR REPLACE TEMP MACRO envol_text(x) AS
    CASE WHEN x = '' OR x LIKE ' %' OR x LIKE '% ' OR x LIKE '\t%' OR x LIKE '%\t'
              OR x LIKE '\u00a0%' OR x LIKE '%\u00a0' OR x LIKE '\u202f%' OR x LIKE '%\u202f'
         THEN nullif(trim(x, '{SPACES}'), '') ELSE x END;
CREATE OR REPLACE TEMP MACRO envol_fold(x) AS
    CASE WHEN regexp_full_match(x, '[a-z0-9_]*') THEN x
         ELSE trim(regexp_replace(lower(strip_accents(x)), '[^a-z0-9]+', '_', 'g'), '_') END;
"""


def _number_patterns(decimal: str, thousands: str) -> tuple[str, str]:
    """(full-match pattern a number must have, characters to delete before casting)."""
    if decimal not in DECIMALS or thousands not in THOUSANDS or decimal == thousands:
        raise ValueError(f"unsupported number format {decimal!r}/{thousands!r}")
    t = "[ \u00a0\u202f" + (re.escape(thousands) if thousands else "") + "]"
    d = re.escape(decimal)
    return (rf"[+-]?([0-9]+|[0-9]{{1,3}}({t}[0-9]{{3}})+)({d}[0-9]+)?",
            "[ \u00a0\u202f" + (re.escape(thousands) if thousands else "") + "]")


def _accepted(col: Column, dialect: Dialect) -> tuple[str, str]:
    if col.kind == "enum":
        return tuple(", ".join(f"{v.value} ({v.fr if lang == 'fr' else v.en})"
                               for v in col.enum) for lang in ("fr", "en"))
    if col.kind in ("number", "int"):
        return tuple(i18n.t(f"upload.accepted.{col.kind}", lang,
                            example=_number_example(dialect, col.kind == "int"))
                     for lang in ("fr", "en"))
    if col.kind == "date":
        example = {"%d/%m/%Y": "30/06/2011", "%Y-%m-%d": "2011-06-30",
                   "%m/%d/%Y": "06/30/2011", "%d-%m-%Y": "30-06-2011",
                   "%d.%m.%Y": "30.06.2011", "%d/%m/%y": "30/06/11"}[dialect.date_format]
        return tuple(i18n.t("upload.accepted.date", lang, example=example)
                     for lang in ("fr", "en"))
    return ACCEPTED[col.kind]["fr"], ACCEPTED[col.kind]["en"]


def _number_example(dialect: Dialect, integer: bool) -> str:
    whole = "1\u00a0234" if not dialect.thousands else f"1{dialect.thousands}234"
    return whole if integer else f"{whole}{dialect.decimal}5"


def _typed_expr(col: Column, raw: str, params: dict, n: int, num_re: str, cur) -> str:
    """SQL turning the text column `raw` into `col`'s type; NULL when unreadable.

    `num_re` is the number pattern as an SQL literal: DuckDB compiles a constant pattern once
    but a bound one for every row (100× slower), and the pattern is built only from the fixed
    choices of DECIMALS and THOUSANDS (checked in `_number_patterns`), never from file text.
    """
    if col.kind == "text":
        return raw
    if col.kind in ("number", "int"):
        # Tier 1, one pattern and two plain replaces: digits, NBSP thousands (Excel FR's) and
        # the decimal mark, with nothing around them, the common case. For such a value the
        # text that tier 2 would clean is the value itself, and tier 2's deletions remove the
        # NBSPs only (the decimal mark is never a thousands mark): the same number, exactly.
        # Tier 2: spaces, €, − and thousands marks, checked against the full pattern first.
        dec = "," if params["decimal"] == "," else "\\."
        tier1 = "'[+-]?([0-9]+|[0-9]{1,3}(\u00a0[0-9]{3})+)'"
        clean = f"trim(regexp_replace(replace({raw}, '−', '-'), '€$', ''), '{SPACES}')"
        norm = f"replace(regexp_replace({clean}, $thou_chars, '', 'g'), $decimal, '.')"
        digits = f"replace({raw}, '\u00a0', '')"
        if col.kind == "number":
            return (f"CASE WHEN regexp_full_match({raw}, {tier1[:-1]}({dec}[0-9]+)?') "
                    f"THEN TRY_CAST(replace({digits}, $decimal, '.') AS DOUBLE) "
                    f"WHEN regexp_full_match({clean}, {num_re}) "
                    f"THEN TRY_CAST({norm} AS DOUBLE) END")
        return (f"CASE WHEN regexp_full_match({raw}, {tier1}) THEN TRY_CAST({digits} AS BIGINT) "
                f"WHEN regexp_full_match({clean}, {num_re}) "
                f"AND regexp_full_match({norm}, '[+-]?[0-9]+(\\.0+)?') "
                f"THEN TRY_CAST(regexp_replace({norm}, '\\.0+$', '') AS BIGINT) END")
    if col.kind == "date":
        return (f"coalesce(TRY_CAST(try_strptime({raw}, $date_fmts) AS DATE), "
                f"CASE WHEN regexp_full_match({raw}, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}') "
                f"THEN TRY_CAST({raw} AS DATE) END)")
    if col.kind == "bool":
        return _label_expr(cur, raw, params, "bool_keys", "bool_vals", "bool_exact",
                           list(TRUE_WORDS + FALSE_WORDS))
    keys, vals = f"k{n}", f"v{n}"
    if col.kind == "iso3":
        lex = countries.lexicon()
        params[keys], params[vals] = list(lex), list(lex.values())
        return f"(${vals})[list_position(${keys}, envol_fold({raw}))]"
    spellings = enum_aliases(col)
    params[keys], params[vals] = list(spellings), list(spellings.values())
    return _label_expr(cur, raw, params, keys, vals, f"e{n}",
                       [s for v in col.enum for s in (v.value, v.fr, v.en, *v.aliases)])


def _label_expr(cur, raw: str, params: dict, keys: str, vals: str, exact: str,
                spellings: list[str]) -> str:
    """A label (enum value, yes/no): `vals[list_position(keys, envol_fold(raw))]`, with a
    cheap exact path first for the label's usual spellings (`PME`, `oui`, `Oui`), matched as
    they are, without folding (measured on 1 M sizes written `PME`, `TPE`…: 0.30 s of CPU
    down to 0.07 s). Each exact spelling's value is what the folded lookup gives for that
    very text, asked of DuckDB itself with the same macro and lists, so the two paths cannot
    disagree; any other text takes the folded lookup."""
    folded = f"(${vals})[list_position(${keys}, envol_fold({raw}))]"
    if f"{exact}_keys" not in params:  # the yes/no lists are shared by every bool column
        texts = list(dict.fromkeys(
            [*spellings, *(case(w) for case in (str.capitalize, str.upper, str.lower)
                           for w in spellings)]))
        got = dict(cur.execute(
            "SELECT s, ($v)[list_position($k, envol_fold(s))] FROM unnest($s) AS t(s)",
            {"s": texts, "k": params[keys], "v": params[vals]}).fetchall())
        found = [t for t in texts if got.get(t) is not None]
        params[f"{exact}_keys"], params[f"{exact}_vals"] = found, [got[t] for t in found]
    if not params[f"{exact}_keys"]:
        return folded
    return f"coalesce((${exact}_vals)[list_position(${exact}_keys, {raw})], {folded})"


@dataclass
class _Scan:
    dir: Path
    path: Path


DECODE_PIECE = 256 * 1024  # cp1252 is one byte a character: any cut is a character boundary


def _write_utf8(data: bytes, encoding: str) -> _Scan:
    """The file as UTF-8 (no BOM) in a temporary file for DuckDB's reader. Windows-1252 is
    decoded piece by piece (each piece stays in the CPU's cache: measured ~2× faster than
    pyarrow's transcoding stream, which calls the same codec); raises UnicodeDecodeError."""
    root = Path("/dev/shm") if Path("/dev/shm").is_dir() and os.access("/dev/shm", os.W_OK) \
        else None
    directory = Path(tempfile.mkdtemp(prefix="envol-upload-", dir=root))
    path = directory / "upload.csv"
    try:
        with open(path, "wb") as f:
            if encoding == "cp1252":
                view = memoryview(data)
                for i in range(0, len(data), DECODE_PIECE):
                    f.write(str(view[i:i + DECODE_PIECE], "cp1252").encode("utf-8"))
            else:
                f.write(to_utf8(data, encoding))
    except BaseException:
        shutil.rmtree(directory, ignore_errors=True)
        raise
    return _Scan(directory, path)


def check(con: duckdb.DuckDBPyConnection, data: bytes, dialect: Dialect, *,
          mode: str = "replace", limits: Limits | None = None,
          progress: Progress = None, lang: str = "fr", scope: Scope | None = None) -> Checked:
    """Parse and validate the whole file; nothing is written to the lake.

    With a `scope` that is not an admin's, the file is checked as that scope's commit would
    write it: a row of a cluster outside the scope is a problem (line, cluster), a table
    without a cluster column is refused, and a "replace" replaces the rows of the scope's
    clusters only (the others' rows count as kept: their keys are taken, their references
    hold)."""
    limits = limits or Limits.from_env()
    started = time.perf_counter()
    seconds: dict[str, float] = {}
    digest = _Background(sha256, data)  # hashlib releases the GIL: hashed while DuckDB parses
    version = store.current_version(con)
    table_version = store.table_version(con, dialect.table) if dialect.table else None

    def done(problems: list[Problem], staged: store.ParquetRows | None = None, count: int = 0,
             total: int | None = None, **extra) -> Checked:
        seconds["total"] = time.perf_counter() - started
        checked = Checked(dialect.table or "", dialect, mode, staged, problems[:MAX_LISTED],
                          len(problems) if total is None else total, count, version,
                          table_version, digest.result(), seconds=seconds, **extra)
        if staged is not None:  # the staged file lives as long as the Checked that names it
            weakref.finalize(checked, shutil.rmtree, staged.path.parent, True)
        return checked

    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    found = file_problems(data, limits)
    if found:
        return done(found)
    problems = header_problems(dialect)
    if dialect.table is None or any(p.rule in ("not_a_table", "empty") for p in problems):
        return done(problems)
    scoped = scope if scope is not None and not scope.is_admin else None
    if scoped is not None and (not scoped.can_write or not store.has_clusters(dialect.table)):
        return done([_problem("scope_table", value=dialect.table)])
    if scoped is not None and store.CLUSTER not in dialect.mapped():
        return done([*problems, _problem("scope_column", canonical=store.CLUSTER)])
    # A rough count first: refuse a file far too long before reading it.
    if data.count(b"\n") > limits.max_rows + dialect.skip_lines + 50:
        return done([_problem("too_many_rows", n=_num(data.count(b"\n")),
                              max=_num(limits.max_rows))])
    if progress:
        progress(0.1, i18n.t("upload.progress.reading", lang))
    table = TABLES[dialect.table]
    while True:
        try:
            scan = _write_utf8(data, dialect.encoding)
        except (UnicodeError, pa.ArrowException):
            return done([_encoding_problem(data, dialect.encoding) or _problem(
                "encoding", value="?", encoding=(encoding_label(dialect.encoding, "fr"),
                                                 encoding_label(dialect.encoding, "en")))])
        seconds["decode"] = time.perf_counter() - started
        try:
            with con.cursor() as cur:
                return _check_with(cur, scan, data, dialect, table, mode, limits, problems,
                                   version, done, seconds, started, progress, lang, scoped)
        except duckdb.InvalidInputException:
            if not _mixed_line_ends(data):
                raise
            # Some lines end in CRLF, others in LF (a file saved by two tools): DuckDB's reader
            # refuses the mix. The same lines with LF only (a CRLF inside a quoted cell becomes
            # LF); looked for only when the read failed, so other files pay nothing.
            data = data.replace(b"\r\n", b"\n")
        finally:
            shutil.rmtree(scan.dir, ignore_errors=True)


def _mixed_line_ends(data: bytes) -> bool:
    crlf = data.count(b"\r\n")
    return 0 < crlf < data.count(b"\n")


def _check_with(cur, scan: _Scan, data: bytes, dialect: Dialect, table: Table, mode: str,
                limits: Limits, problems: list[Problem], version: int, done, seconds,
                started, progress: Progress, lang: str, scope: Scope | None) -> Checked:
    cur.execute(_MACROS)
    ncols = len(dialect.headers)
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(ncols)) + "}"
    num_re, thou_chars = _number_patterns(dialect.decimal, dialect.thousands)
    fmts = [dialect.date_format, dialect.date_format + " %H:%M",
            dialect.date_format + " %H:%M:%S"]
    params: dict[str, object] = {
        "path": str(scan.path), "sep": dialect.separator, "skip": dialect.skip_lines + 1,
        "thou_chars": thou_chars, "decimal": dialect.decimal,
        "date_fmts": fmts, "bool_keys": list(TRUE_WORDS + FALSE_WORDS),
        "bool_vals": [True] * len(TRUE_WORDS) + [False] * len(FALSE_WORDS),
    }
    mapped = dialect.mapped()
    typed, raws = [], []
    for n, col in enumerate(table.columns):
        if col.name not in mapped:
            continue
        raw = f"t{mapped[col.name]}"
        expr = _typed_expr(col, raw, params, n, "'" + num_re + "'", cur)
        typed.append(f'{expr} AS "{col.name}"')
        if col.kind != "text":
            raws.append(f'CASE WHEN "{col.name}" IS NULL THEN {raw} END AS "_raw_{col.name}"')
    texts = ", ".join(f"envol_text(c{i}) AS t{i}" for i in range(ncols))
    blank = " AND ".join(f"t{i} IS NULL" for i in range(ncols)) or "true"
    inner = ", ".join([*typed, *(f"t{i}" for i in range(ncols)), f"{blank} AS _blank"])
    outer = ", ".join(["* EXCLUDE (" + ", ".join(f"t{i}" for i in range(ncols)) + ")",
                       *raws])
    # Identifiers: contract column names and c0..cN / t0..tN; values: bound parameters (the
    # number pattern is a literal built from fixed choices, see `_typed_expr`).
    sql = (f"CREATE OR REPLACE TEMP TABLE parsed AS SELECT {outer} FROM ("  # noqa: S608
           f"SELECT {inner} FROM (SELECT {texts} FROM read_csv($path, columns = {columns}, "
           f"header = false, skip = $skip, delim = $sep, quote = '\"', escape = '\"', "
           f"auto_detect = false, store_rejects = true, rejects_table = 'envol_rejects', "
           f"rejects_scan = 'envol_scans', rejects_limit = 1000)))")
    # A temporary table, not straight to Arrow: measured faster (12.5 s against 15.2 s,
    # median of 4 interleaved rounds on the 1 M-row file, loaded machine) with the rows read
    # back at the end; its rowid numbers the rows in the file's order.
    cur.execute(sql, _bound(sql, params))
    seconds["parse"] = time.perf_counter() - started
    if progress:
        progress(0.5, i18n.t("upload.progress.validating", lang))
    row_count, blank_rows = cur.execute(
        "SELECT count(*) FILTER (WHERE NOT _blank), count(*) FILTER (WHERE _blank) "
        "FROM parsed").fetchone()
    rejects = cur.execute(
        "SELECT line, error_type, column_idx, csv_line, error_message FROM envol_rejects "
        "ORDER BY line").fetchall()
    if row_count > limits.max_rows:
        return done([_problem("too_many_rows", n=_num(row_count), max=_num(limits.max_rows))])
    if row_count == 0 and not rejects:
        return done([*problems, _problem("header_only")])
    for line, kind, idx, text, message in rejects:
        problems.append(_structure_problem(dialect, line, kind, idx, text, message))
    parsed_cols = {d[0] for d in cur.execute("SELECT * FROM parsed LIMIT 0").description}
    found = _value_problems(cur, table, dialect, mode, version, scope, parsed_cols)
    seconds["validate"] = time.perf_counter() - started
    total = len(problems) + sum(n for n, _ in found.values())
    if found:
        lines = _line_numbers(cur, scan, dialect, rejects, ncols)
        for check, (_, rows) in found.items():
            problems += _row_problems(check, rows, lines, table, dialect)
        problems.sort(key=lambda p: (p.line is not None, p.line or 0))
    staged = _stage(cur, table, mapped, row_count)
    seconds["rows"] = time.perf_counter() - started
    absent = tuple(c.name for c in table.columns if c.name not in mapped and not c.required)
    return done(problems, staged, row_count, total, absent=absent, blank_rows=blank_rows)


def _stage(cur, table: Table, mapped: dict[str, int], row_count: int) -> store.ParquetRows:
    """The rows in the contract's columns and types, written by DuckDB as one Parquet file in a
    temporary folder of their own: `COPY` keeps the order of `parsed` (the file's: DuckDB
    preserves insertion order) and writes on every core, and the commit then registers a copy
    of this very file in the lake (`store.ParquetRows`). Measured on the 1 M-row file: 0.4–0.6 s
    here and 0.3 s for the commit, where reading the rows back into Arrow took 0.5–0.7 s and
    DuckLake's INSERT of that Arrow 0.8 s."""
    directory = Path(tempfile.mkdtemp(prefix="envol-checked-"))
    path = directory / "rows.parquet"
    cols = []
    for c in table.columns:  # a column the file does not have is NULL
        value = f'"{c.name}"' if c.name in mapped else "NULL"
        cols.append(f'CAST({value} AS {c.duckdb_type}) AS "{c.name}"')
    try:
        # Identifiers from the contract; the path is made here (mkdtemp), quoted.
        cur.execute(f"COPY (SELECT {', '.join(cols)} FROM parsed WHERE NOT _blank) "  # noqa: S608
                    f"TO {store.quote(str(path))} (FORMAT parquet)")
    except BaseException:
        shutil.rmtree(directory, ignore_errors=True)
        raise
    return store.ParquetRows(path, row_count)


def _bound(sql: str, params: dict) -> dict:
    """Only the parameters the statement uses (DuckDB refuses extra ones)."""
    used = set(re.findall(r"\$([A-Za-z_][A-Za-z0-9_]*)", sql))
    return {k: v for k, v in params.items() if k in used}


def _structure_problem(dialect: Dialect, line, kind, idx, text, message) -> Problem:
    line = int(line) + dialect.skip_lines if line is not None else None
    snippet = (text or "")[:80]
    if kind == "INVALID ENCODING":
        return _problem("encoding", line=line, value="?",
                        accepted=_both("upload.accepted.encoding"),
                        encoding=(encoding_label(dialect.encoding, "fr"),
                                  encoding_label(dialect.encoding, "en")))
    if kind in ("UNQUOTED VALUE", "UNTERMINATED QUOTES") or "quote" in (message or "").lower():
        return _problem("quote", line=line, value=snippet)
    found = message.rsplit(":", 1)[-1].strip() if message and ":" in message else "?"
    return _problem("fields", line=line, value=snippet, expected=len(dialect.headers),
                    found=found)


def _sql(template: str, **identifiers: str) -> str:
    """Fill an SQL template with identifiers taken from the contract (`schema.py`) only.

    The one place where the per-table checks get their column and table names; values are
    never passed here, they are bound as `$parameters` when the statement runs.
    """
    return template.format(**identifiers)  # noqa: S608 - identifiers from the contract


@dataclass(frozen=True)
class _Check:
    """One rule's SQL: `sql` returns (rowid, value text, detail text) for each row (or value)
    that breaks it; `count` is an SQL expression, over `parsed`, equal to how many rows `sql`
    returns (an aggregate when the check is a filter, else a scalar subquery)."""

    id: str
    sql: str
    count: str
    ordered: bool = True  # detail rows by rowid (`still_referenced` orders its own)


def _where(check: str, select: str, cond: str) -> _Check:
    """A check that is a filter of `parsed`: counted by `count(*) FILTER` in one scan."""
    return _Check(check, _sql("SELECT {s} FROM parsed WHERE {w}", s=select, w=cond),
                  _sql("count(*) FILTER (WHERE {w})", w=cond))


def _query(check: str, sql: str, ordered: bool = True) -> _Check:
    return _Check(check, sql, _sql("(SELECT count(*) FROM ({q}))", q=sql), ordered)


def _checks(table: Table, mode: str, mapped: dict[str, int]) -> list[_Check]:
    """Every check that applies, in the order their problems are listed."""
    out = []
    for col in table.columns:
        if col.name not in mapped:
            continue
        ids = {"c": f'"{col.name}"', "raw": f'"_raw_{col.name}"'}
        if col.kind != "text":
            out.append(_where(f"type:{col.name}", _sql("rowid, {raw}, NULL", **ids),
                              _sql("{raw} IS NOT NULL", **ids)))
        if col.required:
            out.append(_where(f"required:{col.name}", "rowid, NULL, NULL", _sql(
                "NOT _blank AND {c} IS NULL {x}",
                **ids, x=f'AND "_raw_{col.name}" IS NULL' if col.kind != "text" else "")))
        if col.minimum is not None:
            out.append(_where(f"minimum:{col.name}", _sql("rowid, {c}::VARCHAR, NULL", **ids),
                              _sql("{c} < {m}", **ids, m=repr(float(col.minimum)))))
        if col.kind == "date":
            out.append(_where(f"date_range:{col.name}", _sql("rowid, {c}::VARCHAR, NULL", **ids),
                              _sql("year({c}) NOT BETWEEN 1900 AND 2100", **ids)))
        if col.references:
            ref_table, ref_col = col.references.split(".")
            out.append(_where(f"reference:{col.name}", _sql("rowid, {c}, NULL", **ids), _sql(
                "{c} IS NOT NULL AND {c} NOT IN "
                "(SELECT {r} FROM lake.{t} AT (VERSION => $version) WHERE {r} IS NOT NULL)",
                **ids, r=f'"{ref_col}"', t=TABLES[ref_table].name)))
    if all(k in mapped for k in table.key):
        cols = ", ".join(f'"{k}"' for k in table.key)
        # Counted by grouping (each group of one key has one first row, the others are
        # duplicates); listed, when there are any, with the first row of each key.
        out.append(_Check("unique", _sql(
            "SELECT rowid, concat_ws(' | ', {k}), first::VARCHAR FROM (SELECT rowid, {k}, "
            "min(rowid) OVER (PARTITION BY {k}) AS first FROM parsed WHERE NOT _blank) "
            "WHERE rowid <> first", k=cols), _sql(
            "(SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM parsed "
            "WHERE NOT _blank GROUP BY {k}))", k=cols)))
        if mode == "append":
            out.append(_query("exists", _sql(
                "SELECT p.rowid, concat_ws(' | ', {pk}), NULL FROM parsed AS p "
                "SEMI JOIN lake.{t} AS o AT (VERSION => $version) ON {on}",
                pk=", ".join(f'p."{k}"' for k in table.key), t=table.name,
                on=" AND ".join(f'p."{k}" = o."{k}"' for k in table.key))))
    for rule in table.rules:
        if isinstance(rule, NotGreater) and {rule.left, rule.right} <= set(mapped):
            out.append(_where(f"not_greater:{rule.left}:{rule.right}",
                              _sql("rowid, {a}::VARCHAR, {b}::VARCHAR",
                                   a=f'"{rule.left}"', b=f'"{rule.right}"'),
                              _sql("{a} > {b}", a=f'"{rule.left}"', b=f'"{rule.right}"')))
        if isinstance(rule, RequiredWhen) and rule.when in mapped:
            empty = "true"
            if rule.column in mapped:
                empty = f'"{rule.column}" IS NULL'
                if table.column(rule.column).kind != "text":
                    empty += f' AND "_raw_{rule.column}" IS NULL'
            out.append(_where(f"required_when:{rule.column}:{rule.when}",
                              _sql("rowid, {w}::VARCHAR, NULL", w=f'"{rule.when}"'),
                              _sql("{w} IS NOT NULL AND {e}", w=f'"{rule.when}"', e=empty)))
    return out


# A row "of the scope": its cluster is one of the scope's ($scope_all: every cluster).
_IN_SCOPE = ("({c} IS NOT NULL AND ($scope_all OR list_contains($scope_clusters, {c})))")


def _scope_checks(table: Table, mode: str) -> list[_Check]:
    """A scoped writer's checks: every row of the scope's clusters; in a replace, no key
    already taken by a row the replace keeps (another cluster's)."""
    mine = _IN_SCOPE.format(c='"cluster_id"')
    out = [_where("scope", "rowid, cluster_id, NULL", _sql("NOT _blank AND NOT {m}", m=mine))]
    if mode == "replace":
        out.append(_query("scope_exists", _sql(
            "SELECT p.rowid, concat_ws(' | ', {pk}), NULL FROM parsed AS p "
            "SEMI JOIN (SELECT * FROM lake.{t} AT (VERSION => $version) WHERE NOT {m}) AS o "
            "ON {on}", pk=", ".join(f'p."{k}"' for k in table.key), t=table.name, m=mine,
            on=" AND ".join(f'p."{k}" = o."{k}"' for k in table.key))))
    return out


def _scope_params(scope: Scope | None) -> dict:
    if scope is None:
        return {}
    return {"scope_all": scope.clusters is None,
            "scope_clusters": sorted(scope.clusters or ())}


def _value_problems(cur, table: Table, dialect: Dialect, mode: str, version: int,
                    scope: Scope | None = None, parsed_cols: set[str] | None = None
                    ) -> dict[str, tuple[int, list[tuple]]]:
    """Check id → (how many rows break it, the first MAX_LISTED of them). ONE statement
    counts every check (the filters in one scan of `parsed`); only the checks that found
    something are queried again for their rows."""
    checks = _checks(table, mode, dialect.mapped())
    if scope is not None:
        checks += _scope_checks(table, mode)
    if mode == "replace":
        checks += _still_referenced(table, scope, parsed_cols or set())
    if not checks:
        return {}
    counting = "SELECT " + ", ".join(c.count for c in checks) + " FROM parsed"  # noqa: S608
    values = {"version": version, **_scope_params(scope)}
    counts = cur.execute(counting, _bound(counting, values)).fetchone()
    found: dict[str, tuple[int, list[tuple]]] = {}
    for check, n in zip(checks, counts, strict=True):
        if not n:
            continue
        order = "ORDER BY 1 " if check.ordered else ""
        rows = cur.execute(f"SELECT *, count(*) OVER () FROM ({check.sql}) "  # noqa: S608
                           f"{order}LIMIT {MAX_LISTED}", _bound(check.sql, values)).fetchall()
        if rows:
            found[check.id] = (rows[0][-1], [r[:-1] for r in rows])
    return found


def _still_referenced(table: Table, scope: Scope | None, parsed_cols: set[str]
                      ) -> list[_Check]:
    """Keys a replace removes while rows of another table still point at them (a scoped
    replace keeps the other clusters' rows, so their keys are not removed)."""
    out = []
    for other in TABLES.values():
        for col in other.columns:
            if not col.references or col.references.split(".")[0] != table.name:
                continue
            ref_col = col.references.split(".")[1]
            if ref_col not in parsed_cols:
                continue
            kept = "" if scope is None else _sql(
                " UNION ALL SELECT {r} FROM lake.{t} AT (VERSION => $version) WHERE NOT {m}",
                r=f'"{ref_col}"', t=table.name, m=_IN_SCOPE.format(c='"cluster_id"'))
            sql = _sql("SELECT NULL, r.{c}, count(*)::VARCHAR FROM lake.{t} AS r "
                       "AT (VERSION => $version) WHERE r.{c} IS NOT NULL AND r.{c} NOT IN "
                       "(SELECT {r} FROM parsed WHERE NOT _blank AND {r} IS NOT NULL{k}) "
                       "GROUP BY ALL ORDER BY 2", c=f'"{col.name}"', t=other.name,
                       r=f'"{ref_col}"', k=kept)
            out.append(_query(f"still_referenced:{ref_col}:{other.name}:{col.name}", sql,
                              ordered=False))
    return out


def _line_numbers(cur, scan: _Scan, dialect: Dialect, rejects: list, ncols: int
                  ) -> Callable[[int | None], int | None]:
    """rowid → the file's line. Simple arithmetic unless blank lines or rejected rows shift
    the rows; then one pass of Python's csv reader over the file finds each row's line."""
    first = dialect.skip_lines + 2
    text = scan.path.read_bytes()
    has_blank = re.search(rb"\n\r?\n|\n[ \t]*\r?\n", text) is not None
    if not rejects and not has_blank:
        return lambda rowid: None if rowid is None else first + int(rowid)
    rejected = {int(r[0]) + dialect.skip_lines for r in rejects if r[0] is not None}
    body = text.decode("utf-8")
    lines_iter = iter(body.splitlines(keepends=True))
    for _ in range(dialect.skip_lines + 1):
        next(lines_iter, None)
    reader = csv.reader(lines_iter, delimiter=dialect.separator, quotechar='"')
    starts: list[int] = []
    n = first
    try:
        for fields in reader:
            if fields and n not in rejected and len(fields) == ncols:
                starts.append(n)
            n += 1
    except csv.Error:
        pass
    count = cur.execute("SELECT count(*) FROM parsed").fetchone()[0]
    if len(starts) != count:  # the two readers disagree: fall back to arithmetic
        return lambda rowid: None if rowid is None else first + int(rowid)
    return lambda rowid: None if rowid is None else starts[int(rowid)]


def _plain_number(text: str | None) -> str | None:
    """`3000000.0` → `3000000` (values the check read back from the typed rows)."""
    try:
        x = float(text)
    except (TypeError, ValueError):
        return text
    return str(int(x)) if x.is_integer() else repr(x)


def _row_problems(check: str, rows: list[tuple], lines, table: Table, dialect: Dialect
                  ) -> list[Problem]:
    kind, *names = check.split(":")
    header = {c: dialect.headers[i] for c, i in dialect.mapped().items()}
    out = []
    if kind == "still_referenced":
        ref_col, other, other_col = names
        for _, value, n in rows:
            out.append(_problem("still_referenced", column=header.get(ref_col, ref_col),
                                canonical=ref_col, value=value, n=n,
                                table=f"{other}.{other_col}"))
        return out
    if kind == "scope":
        for rowid, value, _ in rows:
            out.append(_problem("scope", line=lines(rowid),
                                column=header.get("cluster_id", "cluster_id"),
                                canonical="cluster_id", value=value,
                                accepted=(i18n.t("upload.accepted.scope", "fr"),
                                          i18n.t("upload.accepted.scope", "en"))))
        return out
    if kind in ("unique", "exists", "scope_exists"):
        key_cols = [k for k in table.key]
        for rowid, value, first in rows:
            out.append(_problem(kind, line=lines(rowid), column=header[key_cols[0]],
                                canonical=" + ".join(key_cols), value=value,
                                first=lines(int(first)) if first is not None else "",
                                accepted=(i18n.t(f"upload.accepted.{kind}", "fr"),
                                          i18n.t(f"upload.accepted.{kind}", "en"))))
        return out
    if kind == "not_greater":
        left, right = names
        for rowid, lv, rv in ((r, _plain_number(a), _plain_number(b)) for r, a, b in rows):
            out.append(_problem("not_greater", line=lines(rowid), column=header[left],
                                canonical=left, value=lv, left=left, right=right, other=rv,
                                accepted=(f"{left} ≤ {right}", f"{left} ≤ {right}")))
        return out
    if kind == "required_when":
        column, when = names
        for rowid, wv, _ in rows:
            out.append(_problem("required_when", line=lines(rowid),
                                column=header.get(column, column), canonical=column,
                                value="", when=when, other=wv,
                                accepted=_accepted(table.column(column), dialect)))
        return out
    col = table.column(names[0])
    for rowid, value, _ in rows:
        rule = kind
        params: dict[str, object] = {}
        accepted = _accepted(col, dialect)
        if kind == "type":
            rule = {"int": "int", "number": "number", "date": "date", "bool": "bool",
                    "enum": "enum", "iso3": "country"}[col.kind]
            if col.kind in ("int", "number"):
                params["decimal"] = dialect.decimal
        elif kind == "minimum":
            value = _plain_number(value)
            params["minimum"] = f"{col.minimum:g}"
            accepted = (f"≥ {col.minimum:g}", f"≥ {col.minimum:g}")
        elif kind == "reference":
            ref_table, ref_col = col.references.split(".")
            params["ref"] = ref_table
            accepted = (i18n.t("upload.accepted.reference", "fr", table=ref_table, column=ref_col),
                        i18n.t("upload.accepted.reference", "en", table=ref_table,
                               column=ref_col))
        elif kind == "required":
            accepted = (i18n.t("upload.accepted.required", "fr"),
                        i18n.t("upload.accepted.required", "en"))
        out.append(_problem(rule, line=lines(rowid), column=header[col.name],
                            canonical=col.name, value=value, accepted=accepted, **params))
    return out


# ---------------------------------------------------------------------------------------------
# Problems as a CSV file (for the analyst to fix the file)


def problems_csv(problems: list[Problem], lang: str) -> bytes:
    """The problems as a `;`-separated UTF-8 CSV with a BOM (opens in French Excel)."""
    T = i18n.translator(lang)
    return excel_csv([T("upload.col.line"), T("upload.col.column"), T("upload.col.canonical"),
                      T("upload.col.value"), T("upload.col.rule"), T("upload.col.problem"),
                      T("upload.col.accepted")],
                     ([formula_safe(v) for v in (p.line, p.column, p.canonical, p.value, p.rule,
                                                 p.message(lang), p.accepted(lang))]
                      for p in problems))


# ---------------------------------------------------------------------------------------------
# Export of any table as of any snapshot (Excel-friendly CSV)


MEMBER_TABLES = ("members", "vie_postings", "sponsorships")  # rows that name member firms


def may_export(scope: Scope, name: str) -> bool:
    """May this scope download the table? A table of member-level rows (firm names, revenue,
    hosts): not a viewer, and an admin only when it has no cluster column (sponsorships)."""
    if name not in MEMBER_TABLES:
        return True
    return scope.is_admin or (scope.member_rows and store.has_clusters(name))


def export_csv(con: duckdb.DuckDBPyConnection, name: str, version: int, *, scope: Scope
               ) -> bytes:
    """A table as of a snapshot: `;`-separated, UTF-8 with a BOM, decimal comma, ISO dates,
    text cells that a spreadsheet would run as formulas neutralised (genuine negative numbers
    are numbers and stay as they are). Envol reads this file back to the same rows.

    Only what `scope` may read: refused (`Forbidden`) for a member-level table it may not
    export, and only the rows of its clusters (plus rows of no cluster) otherwise."""
    if not may_export(scope, name):
        raise Forbidden("export", table=name)
    table = TABLES[name]
    rows = store.read_table(con, name, version)
    if store.has_clusters(name) and scope.clusters is not None:
        rows = rows.filter(pa.array([c is None or scope.allows(c)
                                     for c in rows.column(store.CLUSTER).to_pylist()],
                                    pa.bool_()))
    cols = []
    for c in table.columns:
        q = f'"{c.name}"'
        if c.kind == "number":
            cols.append(f"replace({q}::VARCHAR, '.', ',') AS {q}")
        else:
            cols.append(q)
    with con.cursor() as cur:
        cur.register("export_rows", rows)
        # Identifiers from the contract only.
        out = cur.execute(f"SELECT {', '.join(cols)} FROM export_rows").to_arrow_table()  # noqa: S608
        cur.unregister("export_rows")
    texts = [c.kind != "number" for c in table.columns]
    # Text cells only: a number column holds numbers (`-1,5e-05` is one, not a formula).
    return excel_csv(table.column_names,
                     ([formula_safe(v) if text else v for v, text in zip(row, texts, strict=True)]
                      for row in zip(*(out.column(i).to_pylist() for i in range(out.num_columns)),
                                     strict=True)))


# ---------------------------------------------------------------------------------------------
# Preview: the difference with the current snapshot, the key figures before and after

MAX_CHANGES = 500


@dataclass
class Preview:
    added: int
    removed: int
    changed: int
    unchanged: int
    added_rows: pd.DataFrame
    removed_rows: pd.DataFrame
    changes: pd.DataFrame  # key, column, old, new (at most MAX_CHANGES rows)
    kpis_before: pd.DataFrame | None
    kpis_after: pd.DataFrame | None


KPI_TABLES = ("clusters", "members", "comptoirs", "vie_postings", "sponsorships")


def preview(con: duckdb.DuckDBPyConnection, checked: Checked, *, kpis: bool = True,
            scope: Scope | None = None) -> Preview:
    """Rows added, removed and changed (by key) against the table as of the checked version,
    and the key figures per cluster before and after.

    With a `scope` that is not an admin's, what its commit would change, and only that: the
    rows of its clusters compared, the key figures of its clusters (a scoped replace keeps the
    other clusters' rows)."""
    scope = scope if scope is not None and not scope.is_admin else None
    table = TABLES[checked.table]
    key = ", ".join(f'"{k}"' for k in table.key)
    on = " AND ".join(f'n."{k}" IS NOT DISTINCT FROM o."{k}"' for k in table.key)
    others = [c for c in table.column_names if c not in table.key]
    diffs = ", ".join(
        f"{{'column': '{c}', 'old': o.\"{c}\"::VARCHAR, 'new': n.\"{c}\"::VARCHAR}}"
        for c in others) or "NULL"
    # A row changed when a value's text changed (the `changes` listed below). For every type
    # that is the values' own comparison, except that a DOUBLE's text tells -0.0 from 0.0: its
    # sign bit is compared too. Compared column by column: building the list of texts for each
    # of 1 M joined rows took 4 s and 1.3 GB on the EU lake; only changed rows get theirs now.
    numbers = {c.name for c in table.columns if c.kind == "number"}
    diff = " OR ".join(
        f'n."{c}" IS DISTINCT FROM o."{c}"' + (
            f' OR signbit(n."{c}") IS DISTINCT FROM signbit(o."{c}")' if c in numbers else "")
        for c in others) or "false"
    key_text = "concat_ws(' | ', " + ", ".join(f'n."{k}"' for k in table.key) + ")"
    v = {"version": checked.version}
    mine = ""
    if scope is not None and store.has_clusters(table.name):
        v.update(_scope_params(scope))
        mine = " WHERE " + _IN_SCOPE.format(c='"cluster_id"')
    with con.cursor() as cur:
        # The staged file itself (a path made by `check`), not its rows in Python.
        cur.execute("CREATE OR REPLACE TEMP VIEW candidate AS "
                    f"FROM read_parquet({store.quote(str(checked.staged.path))})")
        old = f"(SELECT * FROM lake.{table.name} AT (VERSION => $version){mine})"  # noqa: S608
        if checked.mode == "append":
            added = checked.staged.num_rows
            removed = changed = 0
            unchanged = cur.execute(f"SELECT count(*) FROM {old}", v).fetchone()[0]  # noqa: S608
            added_rows = cur.execute("SELECT * FROM candidate LIMIT 200").df()
            removed_rows = added_rows.iloc[0:0]
            changes = pd.DataFrame(columns=["key", "column", "old", "new"])
        else:
            # Identifiers from the contract; the version is bound.
            added, removed, changed, unchanged = cur.execute(f"""
                SELECT count(*) FILTER (WHERE o._present IS NULL),
                       count(*) FILTER (WHERE n._present IS NULL),
                       count(*) FILTER (WHERE n._present AND o._present AND ({diff})),
                       count(*) FILTER (WHERE n._present AND o._present AND NOT ({diff}))
                FROM (SELECT *, true AS _present FROM candidate) AS n
                FULL JOIN (SELECT *, true AS _present FROM {old}) AS o ON {on}
            """, v).fetchone()  # noqa: S608
            added_rows = cur.execute(
                f"SELECT * FROM candidate AS n ANTI JOIN {old} AS o ON {on} LIMIT 200",  # noqa: S608
                v).df()
            removed_rows = cur.execute(
                f"SELECT * FROM {old} AS o ANTI JOIN candidate AS n ON {on} LIMIT 200",  # noqa: S608
                v).df()
            changes = cur.execute(f"""
                SELECT key, d.column, d.old, d.new FROM (
                    SELECT {key_text} AS key, unnest(list_filter([{diffs}],
                        x -> x.old IS DISTINCT FROM x.new)) AS d
                    FROM candidate AS n JOIN {old} AS o ON {on} WHERE {diff})
                ORDER BY key LIMIT {MAX_CHANGES}
            """, v).df()  # noqa: S608
        cur.execute("DROP VIEW candidate")
    before = after = None
    if kpis and checked.table in KPI_TABLES:
        before, after = kpi_effect(con, checked, scope)
    del key
    return Preview(added, removed, changed, unchanged, added_rows, removed_rows, changes,
                   before, after)


def kpi_effect(con: duckdb.DuckDBPyConnection, checked: Checked, scope: Scope | None = None
               ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`kpis_by_cluster` on the current snapshot and on a throw-away lake holding the same
    tables with the candidate rows in place (replace or append): the exact same query, and
    nothing written to the real lake."""
    before_rows = {n: store.read_table(con, n, checked.version) for n in KPI_TABLES}
    clusters = before_rows["clusters"].column("cluster_id").to_pylist()
    before = run_query(con, "kpis_by_cluster", version=checked.version, clusters=clusters,
                       scope=scope)
    after_rows = dict(before_rows)
    others = store.others_rows(con, scope, checked.table, checked.version) if scope else None
    if checked.mode == "replace":
        after_rows[checked.table] = (checked.staged if others is None
                                     else pa.concat_tables([checked.rows, others]))
    else:
        after_rows[checked.table] = pa.concat_tables([before_rows[checked.table],
                                                      checked.rows])
    directory = Path(tempfile.mkdtemp(prefix="envol-preview-"))
    try:
        tmp = store.open_lake(store.LakeConfig(str(directory / "p.ducklake"),
                                               directory / "files"), seed_dir=None)
        try:
            for name, rows in after_rows.items():
                store.commit_table(tmp, name, rows, mode="replace", author="preview",
                                   note="", file_name="", sha256="")
            clusters_after = [c for (c,) in tmp.execute(
                f"SELECT cluster_id FROM {store.LAKE}.clusters").fetchall()]  # noqa: S608
            after = run_query(tmp, "kpis_by_cluster", version=store.current_version(tmp),
                              clusters=clusters_after, scope=scope)
        finally:
            tmp.close()
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    return before, after


KPI_COLUMNS = ("members", "smes", "jobs", "comptoirs", "comptoirs_operational", "firms_hosted",
               "vie_in_post", "vie_to_recruit", "portage_supported", "labelled_projects",
               "funded_projects", "public_funding_eur")


def kpi_changes(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """One row per cluster and key figure whose value the upload changes."""
    rows = []
    b = before.set_index("cluster_id")
    a = after.set_index("cluster_id")
    for cid in list(dict.fromkeys([*b.index, *a.index])):
        name = a["name"].get(cid, b["name"].get(cid, cid)) if len(a) else b["name"].get(cid)
        for k in KPI_COLUMNS:
            old = b[k].get(cid) if cid in b.index else None
            new = a[k].get(cid) if cid in a.index else None
            if pd.isna(old) and pd.isna(new):
                continue
            if pd.isna(old) or pd.isna(new) or old != new:
                rows.append({"cluster_id": cid, "name": name, "kpi": k, "old": old,
                             "new": new})
    return pd.DataFrame(rows, columns=["cluster_id", "name", "kpi", "old", "new"])


# ---------------------------------------------------------------------------------------------
# Commit


class NotCommitted(RuntimeError):
    """The upload was not written (problems remain, or it needs a confirmation)."""


def clean_file_name(name: str) -> str:
    """The uploaded file's name as metadata only (never a path): last part, printable, short."""
    base = PurePath(name.replace("\\", "/")).name
    base = "".join(ch for ch in base if ch.isprintable())
    return base[:200] or "upload.csv"


def same_file(con: duckdb.DuckDBPyConnection, table: str, digest: str) -> pd.DataFrame:
    """Earlier commits of this very file (same sha256) to this table, newest first."""
    return run_query(con, "snapshots_by_sha256", table=table, sha256=digest)


def commit(con: duckdb.DuckDBPyConnection, checked: Checked, *, author: str, note: str,
           file_name: str, scope: Scope, confirm_same_file: bool = False) -> int:
    """Write the checked rows as one new snapshot; returns its id.

    Refused (NotCommitted) while any problem remains, without an author, or when the same file
    was already committed to this table and `confirm_same_file` is false; refused
    (store.StaleTable) when someone else changed the table since the check.

    `scope` decides, whatever the caller checked (`access.Forbidden`, nothing written): a
    viewer or director may not commit; an analyst commits rows of their clusters only (every
    other row is named), to tables with a cluster column; their "replace" replaces their
    clusters' rows and keeps every other cluster's rows as they are.
    """
    # An admin writes any row: the staged rows are read (once) only for a scope's clusters.
    mine = None if scope.is_admin or checked.staged is None else checked.rows
    store.authorise_write(scope, checked.table or "?", mine)
    if not checked.ok:
        raise NotCommitted("problems")
    author = author.strip()
    if not author:
        raise NotCommitted("author")
    if not confirm_same_file and not same_file(con, checked.table, checked.sha256).empty:
        raise NotCommitted("same_file")
    rows: pa.Table | store.ParquetRows = checked.staged
    if checked.mode == "replace":
        others = store.others_rows(con, scope, checked.table, checked.version)
        if others is not None:  # (only for a scope that is not an admin's: `mine` is read)
            rows = pa.concat_tables([mine, others])
    return store.commit_table(
        con, checked.table, rows, mode=checked.mode, author=author[:200],
        note=note.strip()[:500], file_name=clean_file_name(file_name), sha256=checked.sha256,
        expect_table_version=checked.table_version,
        extra={"encoding": checked.dialect.encoding, "separator": checked.dialect.separator,
               "decimal": checked.dialect.decimal, "date_format": checked.dialect.date_format})
