"""envol.geo.comptoir_places / head_offices: how the maps page groups many comptoirs."""

import math

import pandas as pd

from envol import geo


def _comptoirs() -> pd.DataFrame:
    rows = [  # comptoir_id, cluster_id, country, city, lat, lon, status, firms, hq
        ("c1", "a", "MAR", "Casablanca", 33.0, -7.0, "operational", 5, "Paris", 48.8, 2.3),
        ("c2", "b", "MAR", "Casablanca", 34.0, -8.0, "planned", 9, "Lyon", 45.7, 4.8),
        ("c3", "a", "MAR", None, None, None, "opening", 2, "Paris", 48.8, 2.3),
        ("c4", "c", "BRA", "São Paulo", -23.5, -46.6, "operational", 9, "Paris", 48.9, 2.4),
    ]
    cols = ["comptoir_id", "cluster_id", "country_iso3", "city", "lat", "lon", "status",
            "firms_hosted", "hq_city", "hq_lat", "hq_lon"]
    df = pd.DataFrame(rows, columns=cols)
    df["illustrative"] = [False, True, False, False]
    return df


def test_places_per_city_count_statuses_and_largest():
    out = geo.comptoir_places(_comptoirs())
    assert list(out["country_iso3"]) == ["MAR", "BRA", "MAR"]
    assert list(out["city"][:2]) == ["Casablanca", "São Paulo"] and pd.isna(out["city"][2])
    casa = out.iloc[0]
    assert (casa["comptoirs"], casa["clusters"], casa["firms_hosted"]) == (2, 2, 14)
    assert (casa["operational"], casa["planned"], casa["opening"], casa["closed"]) == (1, 1, 0, 0)
    assert casa["lat"] == 33.5 and casa["lon"] == -7.5
    assert casa["largest"] == "c2" and bool(casa["illustrative"]) is True
    assert math.isnan(out.iloc[2]["lat"])  # a city not known: drawn at the country's centre


def test_places_per_country_past_the_limit():
    out = geo.comptoir_places(_comptoirs(), limit=2)  # 3 places > 2: one marker per country
    assert list(out["country_iso3"]) == ["MAR", "BRA"]
    assert list(out["comptoirs"]) == [3, 1]
    assert list(out["firms_hosted"]) == [16, 9]
    assert list(out["largest"]) == ["c2", "c4"]
    assert out["city"].isna().all() and out["lat"].isna().all()


def test_head_offices_one_row_per_city():
    out = geo.head_offices(_comptoirs())
    assert list(out["hq_city"]) == ["Paris", "Lyon"]
    assert list(out["clusters"]) == [2, 1]  # clusters a and c; a counted once
    assert round(out.loc[0, "hq_lat"], 2) == 48.85 and round(out.loc[0, "hq_lon"], 2) == 2.35
