"""Shareable links: URL parameters → filter values (with what was ignored) and back."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from envol import links
from envol.links import Ignored

CLUSTERS = {"aerospace_valley": "Aerospace Valley", "astech": "ASTech", "pegase": "Pégase"}
UTC = dt.UTC
SNAPSHOTS = pd.DataFrame({  # as snapshots_by_time returns them: newest first
    "snapshot_id": [9, 5, 2],
    "snapshot_time": pd.to_datetime([dt.datetime(2026, 11, 24, 9, 0, tzinfo=UTC),
                                     dt.datetime(2026, 11, 20, 23, 59, tzinfo=UTC),
                                     dt.datetime(2026, 11, 20, 8, 0, tzinfo=UTC)]),
    "table_name": ["members", "comptoirs", "sources"],
})


def parse(**params):
    return links.parse({k: v if isinstance(v, list) else [v] for k, v in params.items()},
                       clusters=CLUSTERS, snapshots=SNAPSHOTS)


def test_nothing_given_sets_nothing():
    assert parse() == links.Parsed({}, ())


def test_identifiers():
    p = parse(lang="en", clusters=["pegase", "astech"], snapshot="5")
    assert p.updates == {"lang": "en", "clusters": ["astech", "pegase"], "as_of": 5}
    assert p.ignored == ()


def test_lenient_spellings_labels_commas_and_case():
    p = parse(lang="English", clusters="Pégase,aerospace_valley")
    assert p.updates == {"lang": "en", "clusters": ["aerospace_valley", "pegase"]}
    assert parse(lang="FR").updates == {"lang": "fr"}
    assert parse(clusters="PEGASE").updates == {"clusters": ["pegase"]}


def test_empty_or_full_cluster_list_is_the_default_every_cluster():
    # The filter's value: empty (none picked) means every cluster.
    assert parse(clusters="").updates == {"clusters": []}
    assert parse(clusters=["pegase", "astech", "aerospace_valley"]).updates == {"clusters": []}
    assert parse(clusters="Pégase,ASTECH,aerospace_valley,nope").updates == {"clusters": []}
    assert parse(clusters=["pegase", "astech"]).updates == {"clusters": ["astech", "pegase"]}


@pytest.mark.parametrize(("params", "updates", "ignored"), [
    (dict(lang="de"), {}, [Ignored("lang", "de", "unknown")]),
    (dict(clusters=["pegase", "nope"]), {"clusters": ["pegase"]},
     [Ignored("clusters", "nope", "unknown")]),
    (dict(clusters="nope"), {}, [Ignored("clusters", "nope", "unknown")]),
    (dict(snapshot="999"), {}, [Ignored("snapshot", "999", "unknown")]),
    (dict(snapshot="douze"), {}, [Ignored("snapshot", "douze", "malformed")]),
    (dict(as_of="2026-13-45"), {}, [Ignored("as_of", "2026-13-45", "malformed")]),
    (dict(as_of="2000-01-01"), {}, [Ignored("as_of", "2000-01-01", "too_early")]),
])
def test_invalid_values_are_ignored_and_reported(params, updates, ignored):
    p = parse(**params)
    assert p.updates == updates
    assert list(p.ignored) == ignored


def test_as_of_date_is_the_newest_snapshot_committed_that_day_or_before():
    assert parse(as_of="2026-11-20").updates == {"as_of": 5}   # 23:59 UTC counts
    assert parse(as_of="20/11/2026").updates == {"as_of": 5}   # French date
    assert parse(as_of="2026-11-23").updates == {"as_of": 5}
    assert parse(as_of="2026-11-24").updates == {"as_of": 9}
    assert parse(as_of="latest").updates == {"as_of": None}
    assert links.version_at(dt.date(2026, 11, 19), SNAPSHOTS) is None


def test_snapshot_wins_over_as_of():
    assert parse(snapshot="2", as_of="2026-11-24").updates == {"as_of": 2}
    assert parse(snapshot="latest").updates == {"as_of": None}


def test_to_params_is_canonical_and_leaves_defaults_out():
    everything = list(CLUSTERS)
    assert links.to_params(lang="fr", clusters=everything, all_clusters=everything,
                           snapshot=None) == {}
    assert links.to_params(lang="en", clusters=["pegase", "astech"], all_clusters=everything,
                           snapshot=5) == {"lang": ["en"], "clusters": ["astech", "pegase"],
                                           "snapshot": ["5"]}
    assert links.to_params(lang="fr", clusters=[], all_clusters=everything,
                           snapshot=None) == {}  # none picked: every cluster, the default
    assert links.to_params(lang="fr", clusters=["pegase"], all_clusters=everything,
                           snapshot=None) == {"clusters": ["pegase"]}


def test_round_trip():
    params = links.to_params(lang="en", clusters=["pegase"], all_clusters=list(CLUSTERS),
                             snapshot=2)
    assert parse(**params).updates == {"lang": "en", "clusters": ["pegase"], "as_of": 2}


def test_notice_names_each_value_inert_in_both_languages():
    ignored = [Ignored("clusters", "nope", "unknown"),
               Ignored("snapshot", "x`*<b>y", "malformed")]
    fr = links.describe_ignored(ignored, "fr")
    en = links.describe_ignored(ignored, "en")
    assert fr.startswith("Lien : valeurs ignorées") and "`clusters=nope` inconnu" in fr
    assert "`snapshot=x*<b>y` illisible" in fr  # backticks removed: stays one code span
    assert en.startswith("Link: values ignored") and "`clusters=nope` is unknown" in en
    assert "cannot be read" in en
    long = links.describe_ignored([Ignored("lang", "z" * 500, "unknown")], "en")
    assert long.startswith("Link: value ignored") and len(long) < 200
