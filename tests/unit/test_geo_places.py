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


def test_labels_go_left_then_right_and_never_overprint():
    from envol.geo import label_sides

    # A alone; B's left side is taken by nothing but A's marker is in the way of nothing: left.
    # C sits just right of B: its left label would cover B's marker, its right side is free.
    # D is on top of C: both its sides cross C's marker or label: no label.
    sides = label_sides(x=[100, 400, 430, 432], y=[100, 100, 100, 101], radius=[10, 10, 10, 10],
                        width=[50, 50, 50, 50], first=["left"] * 4)
    assert sides == ["left", "left", "right", None]
    # `first` says which side to try first; a label may not leave the frame.
    assert label_sides([100], [100], [10], [50], ["right"]) == ["right"]
    assert label_sides([20], [100], [10], [50], ["left"], frame=200) == ["right"]
    assert label_sides([20], [100], [10], [300], ["left"], frame=200) == [None]
    # Labels one above the other do not collide when their boxes are apart.
    assert label_sides([100, 100], [100, 130], [5, 5], [60, 60], ["left", "left"],
                       height=18) == ["left", "left"]
    assert label_sides([100, 100], [100, 110], [5, 5], [60, 60], ["left", "left"],
                       height=18) == ["left", "right"]


def test_the_places_map_never_overprints_the_names_of_neighbours():
    from components.maps import places_map

    comptoirs = _comptoirs()
    comptoirs.loc[3, ["country_iso3", "city", "lat", "lon"]] = ["MAR", "Rabat", 33.5, -7.0]
    comptoirs.loc[2, ["city", "lat", "lon"]] = ["Mohammedia", 33.5, -7.4]
    places = geo.comptoir_places(comptoirs)
    drawn = places_map(places, geo.head_offices(comptoirs), "fr").data[0]
    by_largest = dict(zip([c[0] for c in drawn.customdata], zip(drawn.text, drawn.textposition,
                                                                 strict=True), strict=True))
    # Casablanca (14 firms) keeps the left side, Rabat (9) takes the right one; Mohammedia
    # (2), between them, has no free side: no name, its hover still lists it.
    assert by_largest == {"c2": ("Casablanca (2)", "middle left"),
                          "c4": ("Rabat (1)", "middle right"),
                          "c3": ("", "middle right")}
    assert "Mohammedia" in drawn.customdata[[c[0] for c in drawn.customdata].index("c3")][2]
