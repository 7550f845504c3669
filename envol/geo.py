"""Countries and map framing: ISO-3 codes to names (CLDR, via Babel) and the area a map shows."""

from __future__ import annotations

import functools
from collections.abc import Iterable

from babel import Locale
from babel.core import get_global

from envol.i18n import LOCALES


@functools.cache
def _alpha2(iso3: str) -> str | None:
    aliases = get_global("territory_aliases").get(iso3.upper())
    return aliases[0] if aliases else None


def country_name(iso3: str | None, lang: str) -> str:
    """`MAR` → `Maroc` / `Morocco`; the code itself when CLDR does not know it."""
    if not isinstance(iso3, str) or not iso3:
        return "–"
    code = _alpha2(iso3)
    names = Locale.parse(LOCALES[lang]).territories
    return names.get(code, iso3) if code else iso3


def bounds(lats: Iterable[float], lons: Iterable[float], *, pad_lat: float = 12.0,
           pad_lon: float = 18.0, min_span: float = 40.0, aspect: float = 1.0
           ) -> dict[str, list[float]]:
    """Latitude and longitude ranges that frame every point with a margin, at least
    `min_span` degrees high and `aspect` times as many degrees wide as high (so that the map
    fills a box of that shape), clipped to the globe."""
    la = [float(x) for x in lats if x == x]  # drop NaN
    lo = [float(x) for x in lons if x == x]
    if not la or not lo:
        return {"lat": [-60.0, 85.0], "lon": [-180.0, 180.0]}

    def span(values: list[float], pad: float, least: float, lo_lim: float, hi_lim: float
             ) -> list[float]:
        a, b = min(values) - pad, max(values) + pad
        if b - a < least:
            mid = (a + b) / 2
            a, b = mid - least / 2, mid + least / 2
        return [max(a, lo_lim), min(b, hi_lim)]

    lat = span(la, pad_lat, min_span, -60.0, 85.0)
    lon = span(lo, pad_lon, max(min_span, (lat[1] - lat[0]) * aspect), -180.0, 180.0)
    return {"lat": lat, "lon": lon}
