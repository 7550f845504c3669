"""Country names from ISO-3 codes (CLDR) and the frame of a map."""

from __future__ import annotations

from envol.geo import bounds, country_name


def test_country_names_in_both_languages():
    assert [country_name(c, "fr") for c in ("MAR", "BRA", "USA", "CAN", "MEX", "DEU", "CHN")] \
        == ["Maroc", "Brésil", "États-Unis", "Canada", "Mexique", "Allemagne", "Chine"]
    assert [country_name(c, "en") for c in ("MAR", "USA", "DEU")] == \
        ["Morocco", "United States", "Germany"]
    assert country_name("mex", "fr") == "Mexique"
    assert country_name("QQQ", "fr") == "QQQ"
    assert country_name(None, "en") == "–"


def test_bounds_frame_every_point_with_a_margin_and_an_aspect():
    box = bounds([20.0, 45.0, -23.0], [-100.0, -73.0, 5.0], pad_lat=10, pad_lon=10, aspect=1.0)
    assert box["lat"] == [-33.0, 55.0]
    # 125 degrees of data plus margins, at least as wide as high (88).
    assert box["lon"] == [-110.0, 15.0]
    wide = bounds([0.0, 10.0], [0.0, 10.0], pad_lat=0, pad_lon=0, min_span=40, aspect=2.0)
    assert wide == {"lat": [-15.0, 25.0], "lon": [-35.0, 45.0]}
    assert bounds([80.0], [170.0], pad_lat=20, pad_lon=20)["lat"][1] == 85.0  # clipped
    assert bounds([], []) == {"lat": [-60.0, 85.0], "lon": [-180.0, 180.0]}
