"""Scenario model of the comptoir programme: "with this budget, do we get there, when, and what
would it take?" Pure functions, no I/O.

Sources: S1 = Les Echos on the Pégase comptoirs (10,000 jobs over ten years; five comptoirs,
each a GIE of at least 4 member firms, about 20 firms hosted; engineering budget 200–300 k€;
support cuts the cost of setting up abroad by a factor of 2 to 3; Circé Groupe, first firm in
Mexico: 8 M€ revenue, 80 staff, plans 5× revenue in five years).

Model (each default traced in `LEVER_INFO`, "S1" or "assumption"):

* Firms hosted = comptoirs × firms_per_comptoir, the whole cohort from year 1 (assumption: the
  comptoirs open together at the start, as S1 presents them). A comptoir is a GIE, so
  firms_per_comptoir ≥ gie_minimum (4, S1).
* Jobs: a hosted firm creates jobs_per_firm_per_year × min(t / ramp_up_years, 1) jobs in
  programme year t (linear ramp reaching full rate in year `ramp_up_years`; 0 = full rate at
  once). Jobs never depend on the budget or on the cost-reduction factor.
  Default 10 jobs/firm/year (assumption). Reasoning: Circé Groupe's plan, 8 M€ and 80 staff
  (100 k€ per head) growing to 5 × 8 = 40 M€, would mean 400 staff at constant revenue per head,
  i.e. (400 − 80) / 5 = 64 jobs a year (`CIRCE_JOBS_PER_FIRM_PER_YEAR`). That is the stated
  ambition of the flagship firm, not a typical outcome: export growth raises revenue per head
  and is partly staffed abroad. A typical hosted SME of about 50 staff growing its headcount
  about 20 % a year (already a strong pace) gives 10. Ramp-up 3 years (assumption: a foreign
  office takes two to three years to reach its cruising pace).
* Cost = comptoirs × budget_per_comptoir_eur, spent once in year 1 (literal reading of S1's
  200–300 k€ budget "for the engineering work"; 250 k€ midpoint / 5 comptoirs = 50 k€ each).
  It is the programme's cost only, not the firms' own outlay. Without the programme, setting up
  alone would cost cost_reduction_factor × that (2.5, midpoint of S1's 2–3); the saving is the
  difference.
* Horizon 10 years from 2011 and target 10,000 jobs (S1). The target is reached in the first
  year whose cumulative jobs are ≥ the target. Jobs are gross (no failures, no displacement).
* Accepted values are the slider ranges of `LEVER_INFO`, plus firms_per_comptoir ≥ gie_minimum
  and horizon_years > ramp_up_years; `validate` lists every breach (French and English) and
  every computing function raises `ScenarioError` rather than return NaN or divide by zero.

With the defaults: 20 firms × 10 jobs × (1/3 + 2/3 + 1 + 7 full years = 9) = 1,800 jobs by
2020, a gap of 8,200; 250,000 € in all, ≈139 € of programme cost per job. The 10,000 jobs are
only within reach of 20 firms if each creates ≈56 jobs a year, close to Circé's own plan; S1's
promise presumably counts the cluster's whole membership, not the comptoirs alone.

Solvable levers (`solve_for`): comptoirs, firms_per_comptoir, jobs_per_firm_per_year and
horizon_years (more → more jobs: the smallest value reaching the target) and ramp_up_years
(more → fewer jobs: the largest ramp-up still reaching it). The others do not move jobs and get
status "no_effect". Float levers are solved on their slider grid (rounded up to the next step).

Saved scenarios travel in the URL as repeated values "name~v1_b50000_c5_…"
(`scenarios_to_query` / `scenarios_from_query`, at most `MAX_SCENARIOS`); a value that cannot be
read is skipped with a FR/EN `Problem`, never an exception.
"""

from __future__ import annotations

import csv
import io
import math
import numbers
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, replace
from itertools import accumulate, islice
from typing import Literal

import pandas as pd

from envol.text import formula_safe

CIRCE_JOBS_PER_FIRM_PER_YEAR = 64.0  # (5 × 8 M€ / 100 k€ per head − 80 staff) / 5 years, S1


@dataclass(frozen=True)
class Levers:
    """The scenario's inputs; defaults = the sources (see `LEVER_INFO` for each one's origin)."""

    budget_per_comptoir_eur: float = 50_000.0
    comptoirs: int = 5
    firms_per_comptoir: int = 4
    gie_minimum: int = 4
    jobs_per_firm_per_year: float = 10.0
    ramp_up_years: int = 3
    cost_reduction_factor: float = 2.5
    horizon_years: int = 10
    job_target: float = 10_000.0
    start_year: int = 2011


@dataclass(frozen=True)
class LeverInfo:
    fr: str
    en: str
    unit_fr: str
    unit_en: str
    min: float
    max: float
    step: float
    integer: bool
    code: str  # one-letter key in the URL encoding
    source: str  # "S1" or "assumption"
    rationale: str  # why this default, in English
    rationale_fr: str  # the same, in French

    def label(self, lang: str) -> str:
        return self.fr if lang == "fr" else self.en

    def unit(self, lang: str) -> str:
        return self.unit_fr if lang == "fr" else self.unit_en

    def why(self, lang: str) -> str:
        return self.rationale_fr if lang == "fr" else self.rationale


def _li(fr: str, en: str, unit: str, lo: float, hi: float, step: float, code: str, source: str,
        rationale: str, rationale_fr: str) -> LeverInfo:
    unit_fr = {"years": "ans"}.get(unit, unit)
    return LeverInfo(fr, en, unit_fr, unit, lo, hi, step, isinstance(step, int), code, source,
                     rationale, rationale_fr)


LEVER_INFO: dict[str, LeverInfo] = {
    "budget_per_comptoir_eur": _li(
        "Budget par comptoir", "Budget per comptoir", "€", 1_000.0, 1_000_000.0, 1_000.0, "b",
        "S1", "200–300 k€ engineering budget, midpoint 250 k€ over 5 comptoirs, spent once",
        "budget d'ingénierie de 200 à 300 k€, milieu 250 k€ réparti sur 5 comptoirs, dépensé "
        "une fois"),
    "comptoirs": _li("Comptoirs", "Comptoirs", "", 1, 50, 1, "c", "S1", "five comptoirs",
                     "cinq comptoirs"),
    "firms_per_comptoir": _li(
        "Entreprises par comptoir", "Firms per comptoir", "", 2, 40, 1, "f", "S1",
        "about 20 firms hosted over 5 comptoirs",
        "une vingtaine d'entreprises hébergées dans 5 comptoirs"),
    "gie_minimum": _li("Minimum du GIE", "GIE minimum", "", 2, 10, 1, "g", "S1",
                       "each comptoir is a GIE of at least 4 firms",
                       "chaque comptoir est un GIE d'au moins 4 entreprises"),
    "jobs_per_firm_per_year": _li(
        "Emplois par entreprise et par an", "Jobs per firm per year", "", 0.0, 100.0, 0.5, "j",
        "assumption", "SME of ~50 staff growing ~20 %/yr; Circé's plan (≈64/yr) is the ceiling",
        "PME d'environ 50 salariés qui croît d'environ 20 % par an ; le plan de Circé (≈ 64 par "
        "an) est le plafond"),
    "ramp_up_years": _li("Montée en charge", "Ramp-up", "years", 0, 10, 1, "r", "assumption",
                         "a foreign office takes 2–3 years to reach its cruising pace",
                         "une implantation à l'étranger met 2 à 3 ans à trouver son rythme"),
    "cost_reduction_factor": _li(
        "Facteur de réduction du coût", "Cost reduction factor", "×", 1.0, 5.0, 0.1, "k", "S1",
        "support cuts the cost of setting up abroad by 2 to 3, midpoint 2.5",
        "l'accompagnement divise par 2 à 3 le coût d'une implantation, milieu 2,5"),
    "horizon_years": _li("Horizon", "Horizon", "years", 1, 30, 1, "h", "S1",
                         "10,000 jobs over ten years (2011–2020)",
                         "10 000 emplois en dix ans (2011–2020)"),
    "job_target": _li("Objectif d'emplois", "Job target", "", 100.0, 100_000.0, 100.0, "t", "S1",
                      "10,000 jobs promised", "10 000 emplois promis"),
    "start_year": _li("Année de départ", "Start year", "", 2000, 2040, 1, "y", "S1",
                      "programme launched in 2011", "programme lancé en 2011"),
}

INCREASING = ("comptoirs", "firms_per_comptoir", "jobs_per_firm_per_year", "horizon_years")
DECREASING = ("ramp_up_years",)
SOLVABLE = INCREASING + DECREASING
SENSITIVITY_LEVERS = ("budget_per_comptoir_eur", "comptoirs", "firms_per_comptoir",
                      "jobs_per_firm_per_year", "ramp_up_years", "cost_reduction_factor",
                      "horizon_years")


# --- validation -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    lever: str
    code: str
    fr: str
    en: str

    def message(self, lang: str = "fr") -> str:
        return self.fr if lang == "fr" else self.en


class ScenarioError(ValueError):
    """Invalid scenario input; `problems` says which lever and what range is accepted."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(" | ".join(p.en for p in self.problems))


def _fmt(x: float, lang: str) -> str:
    s = f"{int(x):,}" if float(x).is_integer() else f"{x:,.10g}"
    return s.replace(",", "\u202f").replace(".", ",") if lang == "fr" else s


def _range(name: str, lo: float, hi: float, value: object, code: str = "range",
           why: tuple[str, str] = ("", "")) -> Problem:
    info = LEVER_INFO[name]
    fr_unit, en_unit = (f" {u}" if u else "" for u in (info.unit_fr, info.unit_en))
    shown = {lang: _fmt(value, lang) if _is_real(value) else repr(value) for lang in ("fr", "en")}
    return Problem(
        name, code,
        f"{info.fr} ({name}) : accepté de {_fmt(lo, 'fr')} à {_fmt(hi, 'fr')}{fr_unit}"
        f" (valeur : {shown['fr']}){why[0]}.",
        f"{info.en} ({name}): accepted range {_fmt(lo, 'en')} to {_fmt(hi, 'en')}{en_unit}"
        f" (got {shown['en']}){why[1]}.",
    )


def _is_real(v: object) -> bool:
    return isinstance(v, numbers.Real) and not isinstance(v, bool) and math.isfinite(v)


def validate(levers: Levers) -> list[Problem]:
    """Every problem with the levers (empty list when valid)."""
    problems: list[Problem] = []
    for name, info in LEVER_INFO.items():
        v = getattr(levers, name)
        ok = isinstance(v, numbers.Integral) if info.integer else True
        if not (_is_real(v) and ok):
            kind = ("nombre entier", "whole number") if info.integer else ("nombre", "number")
            problems.append(Problem(
                name, "type", f"{info.fr} ({name}) : {kind[0]} attendu (valeur : {v!r}).",
                f"{info.en} ({name}): {kind[1]} expected (got {v!r})."))
        elif not info.min <= v <= info.max:
            problems.append(_range(name, info.min, info.max, v))
    bad = {p.lever for p in problems}  # cross-lever rules only between individually valid levers
    g, r = levers.gie_minimum, levers.ramp_up_years
    if not bad & {"firms_per_comptoir", "gie_minimum"} and levers.firms_per_comptoir < g:
        problems.append(_range(
            "firms_per_comptoir", g, LEVER_INFO["firms_per_comptoir"].max,
            levers.firms_per_comptoir, "below_gie_minimum",
            (f" : un comptoir est un GIE d'au moins {g} entreprises (gie_minimum)",
             f": a comptoir is a GIE of at least {g} firms (gie_minimum)")))
    if not bad & {"horizon_years", "ramp_up_years"} and levers.horizon_years <= r:
        problems.append(_range(
            "horizon_years", r + 1, LEVER_INFO["horizon_years"].max, levers.horizon_years,
            "horizon_not_after_ramp_up",
            (f" : l'horizon doit dépasser la montée en charge (ramp_up_years = {r})",
             f": the horizon must be longer than the ramp-up (ramp_up_years = {r})")))
    return problems


def _check(levers: Levers) -> None:
    problems = validate(levers)
    if problems:
        raise ScenarioError(problems)


# --- defaults from the targets table ----------------------------------------------------------


def _num(v: object) -> float | None:
    return float(v) if _is_real(v) else None


def _resolve(targets: list[dict] | None, cluster_id: str) -> tuple[Levers, dict[str, str],
                                                                   dict[str, str]]:
    base = Levers()
    values: dict[str, float | int] = {}
    sources = {name: info.source for name, info in LEVER_INFO.items()}
    rows: dict[str, str] = {}
    by_metric: dict[str, dict] = {}
    for row in targets or []:
        if (str(row.get("cluster_id") or "").strip().lower() == cluster_id.strip().lower()
                and row.get("programme") == "comptoirs"):
            by_metric.setdefault(str(row.get("metric")), row)  # first row of each metric wins

    def take(lever: str, row: dict, value: float | int) -> None:
        values[lever] = value
        src = row.get("source_id")
        sources[lever] = src if isinstance(src, str) and src else sources[lever]
        rows[lever] = str(row.get("target_id"))

    def mid(row: dict) -> float | None:
        low, high = _num(row.get("value_low")), _num(row.get("value_high"))
        return None if low is None else low if high is None else (low + high) / 2

    if (row := by_metric.get("jobs")) is not None:
        if (low := _num(row.get("value_low"))) is not None:
            take("job_target", row, low)
        start, end = _num(row.get("start_year")), _num(row.get("end_year"))
        if start is not None:
            take("start_year", row, int(start))
            if end is not None:
                take("horizon_years", row, int(end) - int(start) + 1)
    if (row := by_metric.get("budget_eur")) is not None and (m := mid(row)) is not None:
        take("budget_per_comptoir_eur", row, m / base.comptoirs)
    if (row := by_metric.get("cost_reduction_factor")) is not None and (m := mid(row)) is not None:
        take("cost_reduction_factor", row, m)
    if (row := by_metric.get("firms_supported")) is not None and (m := mid(row)) is not None:
        take("firms_per_comptoir", row, max(1, math.floor(m / base.comptoirs + 0.5)))
    return replace(base, **values), sources, rows


def default_levers(targets: list[dict] | None = None, cluster_id: str = "pegase") -> Levers:
    """Built-in defaults, overridden by the cluster's "comptoirs" rows of the targets table.

    Not validated here: call `validate` to show problems with uploaded figures.
    """
    return _resolve(targets, cluster_id)[0]


def default_sources(targets: list[dict] | None = None,
                    cluster_id: str = "pegase") -> dict[str, str]:
    """Lever → source_id of the targets row used, else the built-in source ("S1"/"assumption")."""
    return _resolve(targets, cluster_id)[1]


def default_target_ids(targets: list[dict] | None = None,
                       cluster_id: str = "pegase") -> dict[str, str]:
    """Lever → target_id of the row it came from (only levers taken from a row)."""
    return _resolve(targets, cluster_id)[2]


# --- simulation -------------------------------------------------------------------------------


def _reaches(jobs: float, target: float) -> bool:
    return jobs >= target * (1 - 1e-9)  # relative tolerance for float sums; target > 0


def _ramp(levers: Levers, t: int) -> float:
    return 1.0 if levers.ramp_up_years == 0 else min(t / levers.ramp_up_years, 1.0)


def _yearly_jobs(levers: Levers) -> list[float]:
    firms = levers.comptoirs * levers.firms_per_comptoir
    return [firms * levers.jobs_per_firm_per_year * _ramp(levers, t)
            for t in range(1, levers.horizon_years + 1)]


def _cumulative_jobs(levers: Levers) -> float:
    return list(accumulate(_yearly_jobs(levers)))[-1]


def simulate(levers: Levers) -> pd.DataFrame:
    """One row per programme year (year_index 1..horizon_years, calendar year)."""
    _check(levers)
    jobs = _yearly_jobs(levers)
    years = range(1, levers.horizon_years + 1)
    total_cost = float(levers.comptoirs * levers.budget_per_comptoir_eur)
    return pd.DataFrame({
        "year_index": list(years),
        "year": [levers.start_year + t - 1 for t in years],
        "firms_hosted": [levers.comptoirs * levers.firms_per_comptoir] * len(jobs),
        "ramp_share": [_ramp(levers, t) for t in years],
        "jobs_created": jobs,
        "cumulative_jobs": list(accumulate(jobs)),
        "cumulative_cost_eur": [total_cost] * len(jobs),  # one-off, spent in year 1
        "target_jobs": [float(levers.job_target)] * len(jobs),
        "target_path_jobs": [levers.job_target * t / levers.horizon_years for t in years],
    })


@dataclass(frozen=True)
class Summary:
    total_cost_eur: float
    cost_per_firm_eur: float
    cumulative_jobs: float
    cost_per_job_eur: float | None  # None when no job is created
    job_target: float
    reached: bool
    target_year: int | None  # calendar year the target is reached, None if not by the horizon
    target_year_index: int | None
    gap_jobs: float  # 0 when reached
    cost_without_programme_eur: float
    saving_eur: float
    end_year: int

    def to_dict(self) -> dict:
        return asdict(self)


def summary(levers: Levers) -> Summary:
    _check(levers)
    cumulative = list(accumulate(_yearly_jobs(levers)))
    jobs = cumulative[-1]
    total = float(levers.comptoirs * levers.budget_per_comptoir_eur)
    hit = next((t for t, c in enumerate(cumulative, 1) if _reaches(c, levers.job_target)), None)
    alone = total * levers.cost_reduction_factor
    return Summary(
        total_cost_eur=total,
        cost_per_firm_eur=total / (levers.comptoirs * levers.firms_per_comptoir),
        cumulative_jobs=jobs,
        cost_per_job_eur=total / jobs if jobs > 0 else None,
        job_target=float(levers.job_target),
        reached=hit is not None,
        target_year=None if hit is None else levers.start_year + hit - 1,
        target_year_index=hit,
        gap_jobs=0.0 if hit is not None else levers.job_target - jobs,
        cost_without_programme_eur=alone,
        saving_eur=alone - total,
        end_year=levers.start_year + levers.horizon_years - 1,
    )


# --- solve for a lever ------------------------------------------------------------------------


@dataclass(frozen=True)
class SolveResult:
    lever: str
    status: Literal["solved", "unreachable", "no_effect"]
    target: float
    value: float | int | None  # smallest value (largest for ramp-up) reaching the target
    jobs_at_value: float | None
    best_value: float | int  # value in range giving the most jobs (the current one if no_effect)
    jobs_at_best: float
    range_low: float | int
    range_high: float | int
    direction: Literal["smallest", "largest"] | None

    def message(self, lang: str = "fr") -> str:
        info = LEVER_INFO[self.lever]
        label, fr = (info.fr, True) if lang == "fr" else (info.en, False)
        if self.status == "no_effect":
            return (f"{label} ne change pas le nombre d'emplois dans ce modèle." if fr
                    else f"{label} does not change jobs in this model.")
        if self.status == "unreachable":
            v, j, t = (_fmt(x, lang) for x in (self.best_value, self.jobs_at_best, self.target))
            return (f"Objectif non atteignable dans la plage : au mieux {j} emplois avec {label}"
                    f" = {v} (objectif {t})." if fr else
                    f"Target not reachable in range: at best {j} jobs with {label} = {v}"
                    f" (target {t}).")
        v = _fmt(self.value, lang)  # type: ignore[arg-type]
        if self.direction == "largest":
            return (f"Valeur maximale de « {label} » qui atteint encore l'objectif : {v}." if fr
                    else f"Largest {label} still reaching the target: {v}.")
        return (f"Valeur minimale de « {label} » pour atteindre l'objectif : {v}." if fr
                else f"Smallest {label} reaching the target: {v}.")


def _bounds(levers: Levers, name: str) -> tuple[float, float]:
    """The lever's slider range, narrowed by the rules tying it to the other levers."""
    info = LEVER_INFO[name]
    lo, hi = info.min, info.max
    if name == "firms_per_comptoir":
        lo = max(lo, levers.gie_minimum)
    elif name == "horizon_years":
        lo = max(lo, levers.ramp_up_years + 1)
    elif name == "ramp_up_years":
        hi = min(hi, levers.horizon_years - 1)
    return lo, hi


def _first_true(pred: Callable[[int], bool], n: int) -> int | None:
    """Smallest k in 0..n with pred(k), for pred monotone False…True; None if pred(n) fails."""
    if not pred(n):
        return None
    lo, hi = 0, n
    while lo < hi:
        mid = (lo + hi) // 2
        if pred(mid):
            hi = mid
        else:
            lo = mid + 1
    return lo


def solve_for(levers: Levers, lever_name: str, *, target: float | None = None) -> SolveResult:
    """Value of one lever reaching the job target by the horizon, the others fixed."""
    if lever_name not in LEVER_INFO:
        raise ScenarioError([Problem(lever_name, "unknown_lever",
                                     f"Levier inconnu : {lever_name!r}.",
                                     f"Unknown lever: {lever_name!r}.")])
    goal = levers.job_target if target is None else target
    if not _is_real(goal) or goal <= 0:
        raise ScenarioError([Problem("job_target", "target",
                                     f"Objectif d'emplois : nombre positif attendu ({goal!r}).",
                                     f"Job target: a positive number is expected ({goal!r}).")])
    info = LEVER_INFO[lever_name]
    if lever_name not in SOLVABLE:
        _check(levers)
        jobs = _cumulative_jobs(levers)
        return SolveResult(lever_name, "no_effect", float(goal), None, None,
                           getattr(levers, lever_name), jobs, info.min, info.max, None)
    lo, hi = _bounds(levers, lever_name)
    if lo > hi:
        raise ScenarioError([_range(lever_name, lo, hi, getattr(levers, lever_name))])
    n = int(math.floor((hi - lo) / info.step + 1e-9))
    up = lever_name in INCREASING

    def value(k: int) -> float | int:  # k = 0 is the end giving the fewest jobs
        v = lo + k * info.step if up else hi - k * info.step
        return int(v) if info.integer else round(v, 10)

    def jobs(k: int) -> float:
        return _cumulative_jobs(replace(levers, **{lever_name: value(k)}))

    _check(replace(levers, **{lever_name: value(n)}))  # the other levers must be valid
    k = _first_true(lambda i: _reaches(jobs(i), goal), n)
    direction: Literal["smallest", "largest"] = "smallest" if up else "largest"
    return SolveResult(
        lever_name, "unreachable" if k is None else "solved", float(goal),
        None if k is None else value(k), None if k is None else jobs(k),
        value(n), jobs(n), lo, hi, direction)


# --- sensitivity and comparison ---------------------------------------------------------------


def _moved(levers: Levers, name: str, factor: float, down: bool) -> float | int:
    info, base = LEVER_INFO[name], getattr(levers, name)
    lo, hi = _bounds(levers, name)
    v = base * factor
    if info.integer:  # an integer lever moves by at least one step
        v = min(round(v), base - 1) if down else max(round(v), base + 1)
    v = min(max(v, lo), hi)
    return int(v) if info.integer else float(v)


def sensitivity(levers: Levers, *, delta: float = 0.2) -> pd.DataFrame:
    """Cumulative jobs at the horizon with each lever at −delta and +delta (tornado chart)."""
    if not _is_real(delta) or not 0 < delta < 1:
        raise ScenarioError([Problem("delta", "range", f"delta : entre 0 et 1 exclus ({delta!r}).",
                                     f"delta: between 0 and 1 exclusive (got {delta!r}).")])
    base_summary = summary(levers)
    rows = []
    for name in SENSITIVITY_LEVERS:
        low = replace(levers, **{name: _moved(levers, name, 1 - delta, True)})
        high = replace(levers, **{name: _moved(levers, name, 1 + delta, False)})
        s_low, s_high = summary(low), summary(high)
        rows.append({
            "lever": name, "label_fr": LEVER_INFO[name].fr, "label_en": LEVER_INFO[name].en,
            "base_value": getattr(levers, name), "low_value": getattr(low, name),
            "high_value": getattr(high, name), "jobs_base": base_summary.cumulative_jobs,
            "jobs_low": s_low.cumulative_jobs, "jobs_high": s_high.cumulative_jobs,
            "cost_per_job_low": s_low.cost_per_job_eur,
            "cost_per_job_high": s_high.cost_per_job_eur,
            "swing": abs(s_high.cumulative_jobs - s_low.cumulative_jobs),
        })
    out = pd.DataFrame(rows).astype({"cost_per_job_low": "Float64", "cost_per_job_high": "Float64"})
    return out.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)


RESULT_INFO: dict[str, tuple[str, str, str]] = {
    "cumulative_jobs": ("Emplois cumulés à l'horizon", "Cumulative jobs at horizon", ""),
    "target_year": ("Année d'atteinte de l'objectif", "Year target reached", ""),
    "gap_jobs": ("Écart à l'objectif", "Gap to target", ""),
    "total_cost_eur": ("Coût total", "Total cost", "€"),
    "cost_per_job_eur": ("Coût par emploi", "Cost per job", "€"),
    "cost_without_programme_eur": ("Coût sans le programme", "Cost without the programme", "€"),
    "saving_eur": ("Économie", "Saving", "€"),
}


MAX_SCENARIOS = 3  # compared side by side
NAME_MAX_CHARS = 80


def name_problem(name: object) -> Problem | None:
    """Why a scenario name is refused (blank, too long, control characters), or None."""
    if (isinstance(name, str) and name.strip() and len(name) <= NAME_MAX_CHARS
            and not any(unicodedata.category(ch) == "Cc" for ch in name)):
        return None
    shown = repr(name)[:60]
    return Problem("scenarios", "name",
                   f"Nom de scénario invalide : {shown} (1 à {NAME_MAX_CHARS} caractères, sans "
                   "caractère de contrôle).",
                   f"Invalid scenario name: {shown} (1 to {NAME_MAX_CHARS} characters, no "
                   "control character).")


def _check_names(scenarios: dict[str, Levers]) -> None:
    if not 1 <= len(scenarios) <= MAX_SCENARIOS:
        raise ScenarioError([Problem("scenarios", "count",
                                     f"De 1 à 3 scénarios (reçu : {len(scenarios)}).",
                                     f"1 to 3 scenarios (got {len(scenarios)}).")])
    for name in scenarios:
        if (problem := name_problem(name)) is not None:
            raise ScenarioError([problem])


def compare(scenarios: dict[str, Levers]) -> pd.DataFrame:
    """Tidy table, one row per scenario × (lever or result); pivot on `scenario` to compare."""
    _check_names(scenarios)
    rows = []
    for name, levers in scenarios.items():
        result = summary(levers).to_dict()
        for lever, info in LEVER_INFO.items():
            rows.append({"scenario": name, "kind": "lever", "key": lever, "label_fr": info.fr,
                         "label_en": info.en, "unit_fr": info.unit_fr, "unit_en": info.unit_en,
                         "value": getattr(levers, lever)})
        for key, (fr, en, unit) in RESULT_INFO.items():
            rows.append({"scenario": name, "kind": "result", "key": key, "label_fr": fr,
                         "label_en": en, "unit_fr": unit, "unit_en": unit, "value": result[key]})
    return pd.DataFrame(rows).astype({"value": "Float64"})  # missing → <NA>, never NaN


def _plain(x: float) -> str:
    """Shortest exact text of a number ("50000", "2.5")."""
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def scenarios_to_csv(scenarios: dict[str, Levers], sep: str = ",") -> str:
    """The `compare` table as CSV text, spreadsheet formulas neutralised."""
    table = compare(scenarios)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep, lineterminator="\n")
    writer.writerow(table.columns)
    for row in table.itertuples(index=False):
        writer.writerow([formula_safe(v) for v in row])
    return out.getvalue()


# --- URL encoding -----------------------------------------------------------------------------

_VERSION = "v1"
_INT_TEXT = re.compile(r"[0-9]{1,9}")
_FLOAT_TEXT = re.compile(r"[0-9]{1,20}(?:\.[0-9]{1,20})?(?:e-?[0-9]{1,3})?")


def to_query_param(levers: Levers) -> str:
    """Compact URL-safe encoding, e.g. "v1_b50000_c5_f4_g4_j10_r3_k2.5_h10_t10000_y2011"."""
    _check(levers)
    parts = [_VERSION]
    for name, info in LEVER_INFO.items():
        v = getattr(levers, name)
        parts.append(info.code + _plain(v))
    return "_".join(parts)


def from_query_param(text: str) -> Levers:
    """Inverse of `to_query_param`; ScenarioError on anything malformed or out of range."""
    def bad(why_fr: str, why_en: str) -> ScenarioError:
        return ScenarioError([Problem("query", "malformed", f"Paramètre de scénario illisible : "
                                      f"{why_fr}.", f"Unreadable scenario parameter: {why_en}.")])

    if not isinstance(text, str) or len(text) > 200:
        raise bad("texte de 200 caractères au plus attendu", "text of at most 200 characters")
    version, *parts = text.strip().split("_")
    if version != _VERSION:
        raise bad(f"version {version!r} inconnue", f"unknown version {version!r}")
    by_code = {info.code: name for name, info in LEVER_INFO.items()}
    values: dict[str, float | int] = {}
    for part in parts:
        name = by_code.get(part[:1])
        if name is None or name in values:
            raise bad(f"élément {part!r} inconnu ou répété", f"unknown or repeated item {part!r}")
        raw, info = part[1:], LEVER_INFO[name]
        if not (_INT_TEXT if info.integer else _FLOAT_TEXT).fullmatch(raw):
            raise bad(f"valeur {part!r} illisible", f"unreadable value {part!r}")
        values[name] = int(raw) if info.integer else float(raw)
    missing = [name for name in LEVER_INFO if name not in values]
    if missing:
        raise bad("leviers manquants : " + ", ".join(missing),
                  "missing levers: " + ", ".join(missing))
    levers = Levers(**values)
    _check(levers)
    return levers



_NAME_SEP = "~"  # between a scenario's name and its levers; levers never contain it


def scenarios_to_query(scenarios: dict[str, Levers]) -> list[str]:
    """One URL value per named scenario, "name~v1_b50000_…" (the name as typed: the URL layer
    percent-encodes it; the levers part never contains "~", so any name splits back)."""
    _check_names(scenarios)
    return [f"{name}{_NAME_SEP}{to_query_param(levers)}" for name, levers in scenarios.items()]


def scenarios_from_query(values: Iterable[object]) -> tuple[dict[str, Levers], list[Problem]]:
    """Inverse of `scenarios_to_query`, forgiving: the readable scenarios (at most three, first
    of a repeated name kept) and one problem per value ignored. Never raises."""
    scenarios: dict[str, Levers] = {}
    problems: list[Problem] = []

    def ignored(shown: str, why_fr: str, why_en: str) -> None:
        problems.append(Problem("scenarios", "ignored", f"Scénario « {shown} » ignoré : {why_fr}",
                                f"Scenario “{shown}” ignored: {why_en}"))

    for value in islice(values, 50):  # a hand-made URL cannot make us loop for long
        text = value if isinstance(value, str) else ""
        name, sep, param = text.rpartition(_NAME_SEP)
        shown = (name if sep else text)[:40] + ("…" if len(name if sep else text) > 40 else "")
        if not sep or len(text) > 300:
            ignored(shown, "paramètre illisible.", "unreadable parameter.")
            continue
        if (problem := name_problem(name)) is not None:
            ignored(shown, problem.fr, problem.en)
            continue
        try:
            levers = from_query_param(param)
        except ScenarioError as e:
            ignored(shown, " ".join(p.fr for p in e.problems), " ".join(p.en for p in e.problems))
            continue
        if name in scenarios:
            ignored(shown, "nom répété, le premier est gardé.", "repeated name, the first is kept.")
        elif len(scenarios) >= MAX_SCENARIOS:
            ignored(shown, f"{MAX_SCENARIOS} scénarios au plus.",
                    f"{MAX_SCENARIOS} scenarios at most.")
        else:
            scenarios[name] = levers
    return scenarios, problems
