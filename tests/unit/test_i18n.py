"""French and English formats (Babel) and the string table."""

from __future__ import annotations

import datetime as dt

from envol import i18n

NNBSP = "\u202f"


def test_numbers():
    assert i18n.number(120_000, "fr") == f"120{NNBSP}000"
    assert i18n.number(120_000, "en") == "120,000"
    assert i18n.number(1234.5, "fr", 1) == f"1{NNBSP}234,5"
    assert i18n.number(1234.5, "en", 1) == "1,234.5"
    assert i18n.number(None, "fr") == "–"
    assert i18n.number(float("nan"), "en") == "–"


def test_money_and_percent():
    assert i18n.money(1234, "fr") == f"1{NNBSP}234{NNBSP}€"
    assert i18n.money(250_000, "en") == f"250,000{NNBSP}€"
    assert i18n.money(600_000_000, "fr", short=True) == f"600{NNBSP}M{NNBSP}€"
    assert i18n.percent(0.125, "fr") == "12,5\u00a0%"
    assert i18n.percent(0.125, "en") == "12.5%"


def test_dates():
    d = dt.date(2011, 6, 30)
    assert i18n.date(d, "fr") == "30/06/2011"
    assert i18n.date(d, "en") == "2011-06-30"
    assert i18n.date(d, "fr", approximate=True) == f"≈{NNBSP}2011"
    ts = dt.datetime(2026, 11, 24, 14, 3, tzinfo=dt.UTC)
    assert i18n.timestamp(ts, "fr") == "24/11/2026 14:03 UTC"
    assert i18n.timestamp(ts, "en") == "2026-11-24 14:03 UTC"


def test_every_string_has_both_languages():
    for key, (fr, en) in i18n.STRINGS.items():
        assert fr.strip() and en.strip(), key
        assert fr.count("{") == en.count("{"), key
