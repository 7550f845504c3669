"""What the scenario page says about the model's numbers: values with their units, where each
default comes from, the KPI cards with their provenance, the scenarios compared.

Pure functions over `envol.scenario` (no Streamlit), so the page and a board pack word the same
figures the same way. Every text meant for Markdown (captions, card help) is escaped here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from envol import i18n
from envol.kpis import KpiValue, provenance
from envol.scenario import (
    LEVER_INFO,
    RESULT_INFO,
    Levers,
    Problem,
    Summary,
    compare,
    default_levers,
    default_sources,
    default_target_ids,
    simulate,
)
from envol.text import plain_markdown

# Which levers each result depends on (the model's formulas, see envol/scenario.py).
JOB_LEVERS = ("comptoirs", "firms_per_comptoir", "jobs_per_firm_per_year", "ramp_up_years",
              "horizon_years", "start_year")
COST_LEVERS = ("budget_per_comptoir_eur", "comptoirs")
YEAR_KEYS = ("start_year", "target_year", "end_year")  # shown without thousands separator
# How a lever's default is derived from its targets row (the others are the row's value).
DERIVED = ("budget_per_comptoir_eur", "cost_reduction_factor", "firms_per_comptoir",
           "horizon_years")


@dataclass(frozen=True)
class Defaults:
    """The levers' defaults and where each comes from: a targets row, or the built-in source."""

    levers: Levers
    sources: dict[str, str]  # lever → source id of the row used, or "S1" / "assumption"
    target_ids: dict[str, str] = field(default_factory=dict)  # lever → target_id of its row


def defaults_from_targets(rows: list[dict] | None, cluster_id: str = "pegase") -> Defaults:
    """Defaults from the rows of `targets_by_programme` (the current snapshot's targets)."""
    return Defaults(default_levers(rows, cluster_id), default_sources(rows, cluster_id),
                    default_target_ids(rows, cluster_id))


def defaults_from_table(targets: pd.DataFrame, cluster_id: str = "pegase") -> Defaults:
    """`defaults_from_targets` from the rows of `targets_by_programme` as a frame: only the
    cluster's "comptoirs" rows, the only ones it reads, become records (turning all 4,016
    targets of 3,000 clusters into records took ~45 ms of every rerun)."""
    ids = targets["cluster_id"].astype("string").fillna("").str.strip().str.lower()
    mine = (ids == cluster_id.strip().lower()) & (targets["programme"] == "comptoirs")
    return defaults_from_targets(targets[mine.fillna(False).astype(bool)].to_dict("records"),
                                 cluster_id)


def _unit(key: str, lang: str) -> str:
    if key in LEVER_INFO:
        return LEVER_INFO[key].unit(lang)
    return RESULT_INFO[key][2] if key in RESULT_INFO else ""


def fmt(key: str, value: object, lang: str) -> str:
    """A lever's or result's value with its unit: `50 000 €`, `3 ans`, `× 2,5`, `2011`."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return "–"
    x = float(value)  # type: ignore[arg-type]
    if key in YEAR_KEYS:
        return str(int(x))
    unit = _unit(key, lang)
    if unit == "€":
        return i18n.money(x, lang)
    text = i18n.number(x, lang, 0 if x.is_integer() or key in RESULT_INFO else 1)
    if unit == "×":
        return f"×\u202f{text}"
    if unit in ("ans", "years"):
        one = x <= 1 if lang == "fr" else x == 1  # « 0 an, 1 an » but "0 years, 1 year"
        return i18n.t("scenario.year_one" if one else "scenario.years", lang, n=text)
    return text


def lever_label(name: str, lang: str) -> str:
    """`Budget par comptoir (€)`: the lever's label with its unit, if any."""
    info = LEVER_INFO[name]
    unit = info.unit(lang)
    return f"{info.label(lang)} ({unit})" if unit else info.label(lang)


def lever_origin(name: str, d: Defaults, lang: str) -> str:
    """One Markdown-safe line: the lever's default and where it comes from."""
    info, value = LEVER_INFO[name], fmt(name, getattr(d.levers, name), lang)
    if name in d.target_ids:
        how = (i18n.t(f"scenario.how.{name}", lang, n=Levers().comptoirs)
               if name in DERIVED else "")
        text = i18n.t("scenario.default_row", lang, value=value, target=d.target_ids[name],
                      source=d.sources[name], how=how)
    elif d.sources[name] == "assumption":
        text = i18n.t("scenario.default_assumption", lang, value=value, why=info.why(lang))
    else:
        text = i18n.t("scenario.default_source", lang, value=value, source=d.sources[name],
                      why=info.why(lang))
    return plain_markdown(text)


def lever_origins(d: Defaults, lang: str) -> dict[str, str]:
    return {name: lever_origin(name, d, lang) for name in LEVER_INFO}


def _notes(names: tuple[str, ...], levers: Levers, d: Defaults, lang: str) -> list[str]:
    """Markdown lines: the targets rows used, then assumptions and values changed on the page."""
    lines = []
    ids = sorted({d.target_ids[n] for n in names if n in d.target_ids})
    if ids:
        lines.append(plain_markdown(i18n.t("scenario.prov.targets", lang, ids=", ".join(ids))))
    for n in names:
        info, value, default = LEVER_INFO[n], getattr(levers, n), getattr(d.levers, n)
        if value != default:
            lines.append(plain_markdown(i18n.t("scenario.prov.chosen", lang, lever=info.label(lang),
                                       value=fmt(n, value, lang),
                                       default=fmt(n, default, lang))))
        elif d.sources[n] == "assumption":
            lines.append(plain_markdown(i18n.t("scenario.prov.assumption", lang,
                                               lever=info.label(lang), value=fmt(n, value, lang),
                                               why=info.why(lang))))
    lines.append(plain_markdown(i18n.t("scenario.prov.model", lang)))
    return ["- " + line for line in lines]


def _card(key: str, label: str, value: str, detail: str, names: tuple[str, ...], levers: Levers,
          d: Defaults, sources: pd.DataFrame, snapshots: pd.DataFrame, lang: str) -> KpiValue:
    ids = tuple(sorted({d.sources[n] for n in names} - {"assumption"}))
    tables = ("targets",) if any(n in d.target_ids for n in names) else ()
    head = provenance(ids, tables, sources, snapshots, lang)
    text = "\n".join(([head] if head else []) + _notes(names, levers, d, lang))
    return KpiValue(f"scenario.{key}", label, value, detail, text, ids)


def scenario_kpis(levers: Levers, result: Summary, d: Defaults, sources: pd.DataFrame,
                  snapshots: pd.DataFrame, lang: str) -> list[KpiValue]:
    """The five headline cards: jobs at the horizon, target year or gap, cost, cost per job,
    cost without the programme; each with the sources, snapshot and assumptions behind it."""
    T = i18n.translator(lang)
    jobs = i18n.number(result.cumulative_jobs, lang)
    target = i18n.number(result.job_target, lang)
    with_target = (*JOB_LEVERS, "job_target")
    common = (levers, d, sources, snapshots, lang)
    if result.reached:
        reach = _card("target_year", T("scenario.kpi.reached"), str(result.target_year),
                      T("scenario.kpi.reached_detail", n=result.target_year_index,
                        horizon=levers.horizon_years), with_target, *common)
    else:
        share = i18n.percent(result.cumulative_jobs / result.job_target, lang, 0)
        reach = _card("gap", T("scenario.kpi.gap", year=result.end_year),
                      i18n.number(result.gap_jobs, lang),
                      T("scenario.kpi.gap_detail", share=share), with_target, *common)
    per_job = result.cost_per_job_eur
    return [
        _card("jobs", T("scenario.kpi.jobs", year=result.end_year), jobs,
              T("scenario.kpi.jobs_detail", target=target), with_target, *common),
        reach,
        _card("cost", T("scenario.kpi.cost"), i18n.money(result.total_cost_eur, lang),
              T("scenario.kpi.cost_detail", budget=fmt("budget_per_comptoir_eur",
                                                       levers.budget_per_comptoir_eur, lang),
                n=levers.comptoirs), COST_LEVERS, *common),
        _card("cost_per_job", T("scenario.kpi.cost_per_job"), i18n.money(per_job, lang),
              T("scenario.kpi.cost_per_firm", cost=i18n.money(result.cost_per_firm_eur, lang))
              if per_job is not None else T("scenario.kpi.no_job"),
              (*COST_LEVERS, *JOB_LEVERS[1:]), *common),
        _card("alone", T("scenario.kpi.alone"), i18n.money(result.cost_without_programme_eur,
                                                            lang),
              T("scenario.kpi.saving", saving=i18n.money(result.saving_eur, lang)),
              (*COST_LEVERS, "cost_reduction_factor"), *common),
    ]


def problem_text(problems: list[Problem], lang: str) -> str:
    """Markdown-safe bullet list of the model's messages (user text such as names escaped)."""
    return "\n".join("- " + plain_markdown(p.message(lang)) for p in problems)


def comparison_table(scenarios: dict[str, Levers], lang: str) -> pd.DataFrame:
    """The scenarios side by side (`compare`): one row per result then per lever, one column per
    scenario, every value formatted with its unit."""
    tidy = compare(scenarios)
    tidy["text"] = [fmt(k, v, lang) for k, v in zip(tidy["key"], tidy["value"], strict=True)]
    tidy.loc[(tidy["key"] == "target_year") & tidy["value"].isna(), "text"] = i18n.t(
        "scenario.not_reached", lang)
    label = "label_fr" if lang == "fr" else "label_en"
    wide = tidy.pivot_table(index=["kind", "key", label], columns="scenario", values="text",
                            aggfunc="first", sort=False)
    wide = wide[list(scenarios)]
    wide = wide.iloc[sorted(range(len(wide)), key=lambda i: wide.index[i][0] != "result")]
    wide.index = [row[2] for row in wide.index]
    wide.columns.name = None
    return wide


def trajectories(scenarios: dict[str, Levers]) -> pd.DataFrame:
    """Tidy per-year trajectories of several scenarios (scenario, year, cumulative, target)."""
    frames = [simulate(levers).assign(scenario=name) for name, levers in scenarios.items()]
    cols = ["scenario", "year", "cumulative_jobs", "target_jobs"]
    return pd.concat(frames, ignore_index=True)[cols] if frames else pd.DataFrame(columns=cols)
