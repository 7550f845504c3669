"""Countries and map framing: ISO-3 codes to names (CLDR, via Babel) and the area a map shows."""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable

import pandas as pd
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


def label_sides(x: list[float], y: list[float], radius: list[float], width: list[float],
                first: list[str], *, frame: float = math.inf, height: float = 18.0,
                gap: float = 3.0) -> list[str | None]:
    """Where to write each marker's label, in screen pixels (x to the right, y up). Markers come
    most important first; each label goes on its `first` side ("left" or "right") of its
    marker, else on the other, where its box overlaps no label already placed and no other
    marker and which stays between x = 0 and `frame`; None when neither side is free (the
    marker keeps its hover). Crowded places (Seoul and Busan, the Gulf) then show one readable
    name instead of a pile of overprinted ones."""
    boxes: list[tuple[float, float, float, float]] = []
    markers = [(xi - r, yi - r, xi + r, yi + r) for xi, yi, r in zip(x, y, radius, strict=True)]

    def free(box: tuple[float, float, float, float], own: int) -> bool:
        x0, y0, x1, y1 = box
        if x0 < 0 or x1 > frame:
            return False
        hit = lambda b: x0 < b[2] and b[0] < x1 and y0 < b[3] and b[1] < y1  # noqa: E731
        return not any(hit(b) for b in boxes) and not any(
            hit(m) for j, m in enumerate(markers) if j != own)

    sides: list[str | None] = []
    for i, (xi, yi, r, w) in enumerate(zip(x, y, radius, width, strict=True)):
        low, high = yi - height / 2, yi + height / 2
        boxes_by_side = {"left": (xi - r - gap - w, low, xi - r - gap, high),
                         "right": (xi + r + gap, low, xi + r + gap + w, high)}
        for side in (first[i], "right" if first[i] == "left" else "left"):
            box = boxes_by_side[side]
            if free(box, i):
                boxes.append(box)
                sides.append(side)
                break
        else:
            sides.append(None)
    return sides


# Comptoirs a map draws one by one at most; beyond, one marker per place (5,000 comptoirs,
# their labels and their links to 1,000 head offices made a map no one could read, and
# Chromium took minutes to draw it).
MARKERS_MAX = 200
STATUSES = ("operational", "opening", "planned", "closed")


def comptoir_places(comptoirs: pd.DataFrame, limit: int = MARKERS_MAX) -> pd.DataFrame:
    """One row per place of `comptoirs` (rows of `comptoirs_by_country`): per city and country,
    or per country when there are more than `limit` cities. Columns: country_iso3, city (missing
    per country or when not known), lat, lon (the mean of its comptoirs' coordinates; missing
    per country or when none has any: drawn at the country's centre), comptoirs, clusters,
    firms_hosted, one count per status, illustrative (any of its comptoirs), largest (the id of
    its comptoir hosting the most firms, the first in query order on a tie), sorted by
    comptoirs (most first)."""
    df = comptoirs.assign(_city=comptoirs["city"].fillna(""))  # a key for a city not known
    keys = ["country_iso3", "_city"]
    if df.groupby(keys, sort=False).ngroups > limit:
        keys = ["country_iso3"]
    g = df.groupby(keys, sort=False)
    out = g.agg(comptoirs=("comptoir_id", "size"), clusters=("cluster_id", "nunique"),
                firms_hosted=("firms_hosted", "sum"), lat=("lat", "mean"), lon=("lon", "mean"),
                illustrative=("illustrative", "any"))
    counts = df.groupby([*keys, "status"], sort=False).size().unstack("status", fill_value=0)
    for s in STATUSES:
        out[s] = counts[s].reindex(out.index, fill_value=0) if s in counts else 0
    first = df.sort_values("firms_hosted", ascending=False, kind="stable")  # ties: query order
    out["largest"] = first.drop_duplicates(keys).set_index(keys)["comptoir_id"].reindex(
        out.index)
    out = out.reset_index()
    if "_city" in out:
        out.insert(1, "city", out.pop("_city").replace("", None))
    else:  # per country: drawn at the country's centre
        out.insert(1, "city", None)
        out["lat"] = out["lon"] = float("nan")
    counted = ["comptoirs", "clusters", "firms_hosted", *STATUSES]
    out[counted] = out[counted].astype("int64")
    return out.sort_values(["comptoirs", "country_iso3"], ascending=[False, True],
                           kind="stable").reset_index(drop=True)


def head_offices(comptoirs: pd.DataFrame) -> pd.DataFrame:
    """The head offices of the clusters that have comptoirs, one row per city: hq_city, hq_lat,
    hq_lon (the mean over its clusters), clusters (how many), sorted by clusters (most first)."""
    hq = comptoirs.drop_duplicates("cluster_id").dropna(subset=["hq_lat", "hq_lon"])
    out = hq.groupby("hq_city", sort=False).agg(
        hq_lat=("hq_lat", "mean"), hq_lon=("hq_lon", "mean"), clusters=("cluster_id", "size"))
    return out.reset_index().sort_values(["clusters", "hq_city"], ascending=[False, True],
                                         kind="stable").reset_index(drop=True)
