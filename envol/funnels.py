"""Funnels: stage-to-stage conversion, Wilson intervals, goal progress, review times, snapshot
comparison and the data checks that keep a funnel honest. Pure functions, no Streamlit.

Every count comes from a named query (`comptoir_funnel_by_stage`, `portage_funnel_by_stage`,
`survey_answers_by_question`, `portage_reviews_by_days`, `funnel_problems_by_row`); this module
only derives ratios from them and decides what to flag.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from statistics import NormalDist

import pandas as pd
from babel import Locale
from babel.core import get_global

from envol.audit import audited
from envol.i18n import LOCALES, t
from envol.schema import MEMBERS, SPONSORSHIPS
from envol.text import excel_csv, formula_safe

# Two-sided 95 % normal quantile: z = Φ⁻¹(0.975) = 1.959964.
Z95 = NormalDist().inv_cdf(0.975)

# S5: "review takes one month on average" — the benchmark review times are read against.
REVIEW_BENCHMARK_DAYS = 30
REVIEW_BENCHMARK_SOURCE = "S5"

# Stage orders come from the data contract (the SQL lists them in the same order; a test checks).
COMPTOIR_STAGES: tuple[str, ...] = MEMBERS.column("comptoir_stage").enum_values
PORTAGE_STAGES: tuple[str, ...] = SPONSORSHIPS.column("stage").enum_values
SME_BASE = "member_smes"  # first stage of the comptoir funnel: member micro firms and SMEs
SURVEY_BASE = "asked"  # first stage of a survey funnel: the firms asked

# Which funnel reads which lake table (for snapshot comparisons and provenance).
FUNNEL_TABLES = {"comptoir": "members", "portage": "sponsorships", "survey": "survey_results"}

# The row-level problem that explains a stage larger than the stage before it, per funnel.
INVERSION_CAUSES = {"comptoir": "stage_not_sme", "survey": "respondents_over_base"}


# --- statistics ---------------------------------------------------------------------------
def wilson(x: int, n: int, z: float = Z95) -> tuple[float, float] | None:
    """Wilson score interval for a proportion x/n (95 % by default); None when n = 0.

    p̂ = x/n, centre = (p̂ + z²/2n) / (1 + z²/n),
    half-width = z / (1 + z²/n) · √(p̂(1 − p̂)/n + z²/4n²), clipped to [0, 1].
    Unlike p̂ ± z√(p̂(1−p̂)/n) it stays inside [0, 1] and is not zero-width at 0 or n.
    """
    if n <= 0:
        return None
    p = x / n
    z2 = z * z
    denom = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denom
    half = z / denom * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    low = 0.0 if x <= 0 else max(0.0, centre - half)  # exact at the edges (no float noise)
    high = 1.0 if x >= n else min(1.0, centre + half)
    return low, high


def conversion(n: int, previous: int | None) -> float | None:
    """Share of the previous stage that reached this one; None when there is no previous
    stage or it is empty (0 of 0 is not 0 %: nothing was there to convert)."""
    if previous is None or previous <= 0:
        return None
    return n / previous


@dataclass(frozen=True)
class Step:
    """One stage of a funnel: its count, the previous stage's, and the ratios."""

    stage: str
    n: int
    previous_stage: str | None
    previous: int | None
    conversion: float | None  # n / previous
    share_of_base: float | None  # n / first stage (1 for the first stage itself)

    @property
    def inverted(self) -> bool:
        """A stage larger than the one before it: impossible in a funnel, a data problem."""
        return self.previous is not None and self.n > self.previous


def steps(stages: Iterable[tuple[str, int]]) -> list[Step]:
    """The funnel's steps from (stage, count) pairs in stage order."""
    out: list[Step] = []
    base: int | None = None
    for stage, n in stages:
        n = int(n)
        prev = out[-1] if out else None
        if base is None:
            base = n
        out.append(Step(stage, n, prev.stage if prev else None, prev.n if prev else None,
                        conversion(n, prev.n if prev else None), conversion(n, base)))
    return out


def _missing(key: object) -> bool:
    return key is None or key is pd.NA or (isinstance(key, float) and math.isnan(key))


def funnels(df: pd.DataFrame, group: str, value: str) -> dict[object, list[Step]]:
    """Long rows (group, stage_order, stage, value) → the steps of each group, in row order."""
    pairs: dict[object, list[tuple[int, str, int]]] = {}
    # One pass over plain lists (iterating Arrow-backed columns value by value is slow): a
    # lake holds thousands of groups.
    for key, order, stage, n in zip(df[group].tolist(), df["stage_order"].tolist(),
                                    df["stage"].tolist(), df[value].tolist(), strict=True):
        if not _missing(key):  # as groupby: no group for a missing key
            pairs.setdefault(key, []).append((order, stage, n))
    return {key: steps((stage, n) for _, stage, n in sorted(rows, key=lambda r: r[0]))
            for key, rows in pairs.items()}


def panels(df: pd.DataFrame, group: str, name: str, value: str, *,
           skip_empty: bool = False, steps_by_group: dict[object, list[Step]] | None = None
           ) -> dict[str, list[Step]]:
    """Like `funnels`, keyed by each group's display name (cluster name, year); without the
    groups whose every stage is 0 when `skip_empty`. `steps_by_group`: `funnels(df, group,
    value)` when the caller has it already."""
    names = dict(zip(df[group].tolist(), df[name].tolist(), strict=False))
    found = funnels(df, group, value) if steps_by_group is None else steps_by_group
    return {str(names[k]): v for k, v in found.items()
            if not skip_empty or any(s.n for s in v)}


DETAIL_MAX = 6  # funnels drawn side by side at most (the overview details as many clusters)


def in_detail(panels: dict[str, list[Step]], limit: int = DETAIL_MAX) -> dict[str, list[Step]]:
    """The panels a figure draws: all of them up to `limit`, else the `limit` with the largest
    first stage (ties by name), kept in their order. A lake can hold thousands of clusters:
    one subplot each cannot be drawn (plotly refuses 3,000 columns) nor read."""
    if len(panels) <= limit:
        return panels
    top = sorted(panels, key=lambda k: (-(panels[k][0].n if panels[k] else 0), k.lower()))
    keep = set(top[:limit])
    return {k: v for k, v in panels.items() if k in keep}


YEARS_DRAWN = 6  # portage years drawn side by side at most (the table lists every year)


def latest_years(panels: dict[str, list[Step]], limit: int = YEARS_DRAWN
                 ) -> dict[str, list[Step]]:
    """The panels of a per-year funnel a figure draws: all of them up to `limit`, else the
    `limit` latest years, kept in their order."""
    if len(panels) <= limit:
        return panels
    keep = set(sorted(panels, key=int)[-limit:])
    return {k: v for k, v in panels.items() if k in keep}


def group_names(df: pd.DataFrame, group: str, name: str) -> dict[str, str]:
    """Group id → display name, for the data-check messages."""
    return {str(k): str(v) for k, v in zip(df[group].tolist(), df[name].tolist(), strict=False)}


def empty_groups(df: pd.DataFrame, group: str, name: str, value: str) -> list[str]:
    """Groups whose every stage is 0 (a cluster with no member firm in the data)."""
    totals = df.groupby([group, name], sort=False)[value].sum()
    return [str(n) for (_, n), total in totals.items() if total == 0]


def source_ids(*lists: Iterable[Iterable[str]]) -> list[str]:
    """The distinct source ids of `sources` list columns (and plain lists), sorted."""
    ids = {str(x) for column in lists for ids in column
           for x in ([ids] if isinstance(ids, str) else ids) if x is not None}
    return sorted(ids)


def comptoir_steps(row: pd.Series) -> list[Step]:
    """The steps of one comptoir (a row of `comptoir_funnel_by_comptoir`), from candidates."""
    return steps((s, row[s]) for s in COMPTOIR_STAGES)


# --- survey -------------------------------------------------------------------------------
@dataclass(frozen=True)
class SurveyAnswer:
    answer: str
    n: int
    base: int
    share: float | None
    ci: tuple[float, float] | None
    source_id: str


@dataclass(frozen=True)
class SurveyFunnel:
    survey_id: str
    question_id: str
    survey_name: str
    year: int
    question: str
    base: int  # the firms asked (the largest base given for the question)
    answers: list[SurveyAnswer]

    @property
    def key(self) -> str:
        return question_key(self.survey_id, self.question_id)

    def steps(self) -> list[Step]:
        """Asked → each answer (each answer's previous stage is the base, not the answer above:
        answers are alternatives, not successive stages)."""
        first = steps([(SURVEY_BASE, self.base)])
        return first + [Step(a.answer, a.n, SURVEY_BASE, self.base, a.share, a.share)
                        for a in self.answers]


def question_key(survey_id: str, question_id: str) -> str:
    """How the data checks name a question (`funnel_problems_by_row.group_id`)."""
    return f"{survey_id} / {question_id}"


def survey_questions(answers: pd.DataFrame) -> list[str]:
    """The question keys present in `survey_answers_by_question`, in query order."""
    keys = [question_key(s, q) for s, q in zip(answers["survey_id"], answers["question_id"],
                                                 strict=True)]
    return list(dict.fromkeys(keys))


def survey_funnel(answers: pd.DataFrame, key: str) -> SurveyFunnel | None:
    """One question of `survey_answers_by_question` as a funnel with Wilson intervals."""
    keys = [question_key(s, q) for s, q in zip(answers["survey_id"], answers["question_id"],
                                                 strict=True)]
    part = answers[[k == key for k in keys]]
    if part.empty:
        return None
    first = part.iloc[0]
    base = int(part["base"].max())
    rows = [SurveyAnswer(str(r["answer"]), int(r["respondents"]), base,
                         conversion(int(r["respondents"]), base),
                         wilson(min(int(r["respondents"]), base), base), str(r["source_id"]))
            for _, r in part.iterrows()]
    return SurveyFunnel(str(first["survey_id"]), str(first["question_id"]),
                        str(first["survey_name"]), int(first["year"]), str(first["question"]),
                        base, rows)


def survey_long(answers: pd.DataFrame) -> pd.DataFrame:
    """Every question as long funnel rows (group, stage_order, stage, n), for comparisons."""
    rows = []
    for key in survey_questions(answers):
        f = survey_funnel(answers, key)
        for i, s in enumerate(f.steps()):
            rows.append({"question": key, "stage_order": i, "stage": s.stage, "n": s.n})
    return pd.DataFrame(rows, columns=["question", "stage_order", "stage", "n"])


def short_answer(answer: str) -> str:
    """The head of an answer text, for chart labels: `Oui : au moins…` → `Oui`."""
    head = answer.split(":", 1)[0].strip()
    return head if 0 < len(head) <= 40 else answer[:40].rstrip() + "…"


# --- portage ------------------------------------------------------------------------------
@dataclass(frozen=True)
class GoalProgress:
    goal: float
    goal_year: int | None
    year: int  # the year whose count is measured against the goal
    supported: int
    share: float | None


def goal_progress(supported_by_year: dict[int, int], goal: float,
                  goal_year: int | None) -> GoalProgress | None:
    """Progress towards a goal: the latest year with data up to the goal's year (any year
    when the goal has none) against the goal. 65 supported in 2009, goal 100 in 2010 → 65 %."""
    years = [y for y in supported_by_year if goal_year is None or y <= goal_year]
    if not years:
        return None
    year = max(years)
    n = int(supported_by_year[year])
    return GoalProgress(goal, goal_year, year, n, n / goal if goal > 0 else None)


@dataclass(frozen=True)
class ReviewSummary:
    year: int
    reviewed: int  # requests with a review time
    median: float | None
    within: int  # reviewed in at most the benchmark's days
    share_within: float | None
    longest: int | None


def weighted_median(values: Sequence[float], weights: Sequence[int]) -> float | None:
    """Median of values repeated weight times (mean of the two middle ones for an even total)."""
    pairs = sorted((v, int(w)) for v, w in zip(values, weights, strict=True) if w > 0)
    total = sum(w for _, w in pairs)
    if total == 0:
        return None

    def at(k: int) -> float:  # k-th value, 0-based, in the expanded sorted list
        seen = 0
        for v, w in pairs:
            seen += w
            if k < seen:
                return v
        raise IndexError(k)

    mid = total // 2
    return float(at(mid)) if total % 2 else (at(mid - 1) + at(mid)) / 2


def review_summary(reviews: pd.DataFrame, benchmark: int = REVIEW_BENCHMARK_DAYS
                   ) -> list[ReviewSummary]:
    """Per year, from `portage_reviews_by_days`: how many were reviewed, the median, and how
    many within the benchmark (≤ 30 days)."""
    out = []
    for year, part in reviews.groupby("year", sort=True):
        n = int(part["requests"].sum())
        within = int(part.loc[part["review_days"] <= benchmark, "requests"].sum())
        out.append(ReviewSummary(int(year), n, weighted_median(part["review_days"],
                                                               part["requests"]),
                                 within, conversion(within, n),
                                 int(part["review_days"].max()) if n else None))
    return out


def portage_goal_progress(portage: pd.DataFrame, targets: pd.DataFrame) -> list[GoalProgress]:
    """Each portage `firms_supported` target against the SMEs supported (last stage of
    `portage_funnel_by_stage`) in the latest year up to the target's year."""
    supported = portage[portage["stage"] == PORTAGE_STAGES[-1]]
    by_year = {int(y): int(n) for y, n in zip(supported["year"], supported["requests"],
                                              strict=True)}
    goals = targets[(targets["programme"] == "portage")
                    & (targets["metric"] == "firms_supported")]
    out = []
    for _, g in goals.iterrows():
        year = g["end_year"] if pd.notna(g["end_year"]) else g["start_year"]
        p = goal_progress(by_year, float(g["value_low"]), int(year) if pd.notna(year) else None)
        if p is not None:
            out.append(p)
    return out


def portage_goal_sources(targets: pd.DataFrame) -> list[str]:
    goals = targets[(targets["programme"] == "portage")
                    & (targets["metric"] == "firms_supported")]
    return sorted(set(goals["source_id"]))


# --- comparing two snapshots ---------------------------------------------------------------
# The named query each funnel is compared with.
COMPARE_QUERIES = {"comptoir": "comptoir_funnel_by_stage", "portage": "portage_funnel_by_stage",
                   "survey": "survey_answers_by_question"}
LONG_COLUMNS = ["group", "group_name", "stage_order", "stage", "n"]


def comparable(funnel: str, df: pd.DataFrame) -> pd.DataFrame:
    """A funnel query's rows as long rows (group, group_name, stage_order, stage, n)."""
    if funnel == "comptoir":
        out = df.rename(columns={"cluster_id": "group", "cluster_name": "group_name",
                                 "firms": "n"})
    elif funnel == "portage":
        out = df.rename(columns={"requests": "n"}).assign(
            group=df["year"].astype(str), group_name=df["year"].astype(str))
    else:
        out = survey_long(df)
        out = out.rename(columns={"question": "group"}).assign(group_name=out["question"])
    return out.reindex(columns=LONG_COLUMNS)


def previous_table_snapshot(snapshots: pd.DataFrame, table: str, version: int) -> int | None:
    """The commit of `table` before the one that made its state as of `version` (None if the
    table has only one commit up to then). `snapshots` is `snapshots_by_time`."""
    mine = snapshots.loc[(snapshots["table_name"] == table)
                         & (snapshots["snapshot_id"] <= version), "snapshot_id"]
    if len(mine) < 2:
        return None
    return int(sorted(mine)[-2])



def compare(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Two long funnels (`comparable`) side by side: group, group_name, stage_order, stage,
    before, after, delta. A stage missing on one side counts 0 there (a cluster, year or answer
    that did not exist yet); groups keep the newer snapshot's order."""
    keys = ["group", "stage"]
    b = before[keys + ["group_name", "stage_order", "n"]].rename(columns={"n": "before"})
    a = after[keys + ["group_name", "stage_order", "n"]].rename(columns={"n": "after"})
    out = b.merge(a, on=keys, how="outer", suffixes=("_b", ""))
    for col in ("group_name", "stage_order"):
        out[col] = out[col].fillna(out[f"{col}_b"])
    out[["before", "after"]] = out[["before", "after"]].fillna(0).astype("int64")
    out["delta"] = out["after"] - out["before"]
    order = list(dict.fromkeys(list(a["group"]) + list(b["group"])))
    out["_g"] = out["group"].map({g: i for i, g in enumerate(order)})
    out = out.sort_values(["_g", "stage_order"], kind="stable").reset_index(drop=True)
    # A group with nothing at either snapshot (a cluster with no member) is left out.
    counted = out.groupby("group")[["before", "after"]].transform("sum").sum(axis=1) > 0
    return out.loc[counted, ["group", "group_name", "stage_order", "stage", "before", "after",
                             "delta"]].reset_index(drop=True)


def compare_in_detail(cmp: pd.DataFrame, limit: int = DETAIL_MAX) -> pd.DataFrame:
    """The rows of `compare` a figure draws: every group up to `limit`, else the `limit` groups
    that changed most (sum of the stages' absolute deltas, then the largest newer count, then
    name), kept in their order."""
    groups = list(dict.fromkeys(cmp["group"]))
    if len(groups) <= limit:
        return cmp
    score = cmp.assign(_d=cmp["delta"].abs()).groupby("group", sort=False).agg(
        d=("_d", "sum"), n=("after", "max"), name=("group_name", "first"))
    score["_name"] = score["name"].astype(str).str.lower()
    top = score.sort_values(["d", "n", "_name"], ascending=[False, False, True],
                            kind="stable").head(limit).index
    return cmp[cmp["group"].isin(top)].reset_index(drop=True)


# --- data checks --------------------------------------------------------------------------
@dataclass(frozen=True)
class Flag:
    """A data problem to show: what, where, and the rows (ids) behind it."""

    funnel: str
    problem: str  # a `funnel_problems_by_row.problem` code, or "inversion"
    group: str
    rows: pd.DataFrame  # the rows of `funnel_problems_by_row` behind it (may be empty)
    step: Step | None = None  # for an inversion: the stage larger than the one before it
    extra: dict = field(default_factory=dict)


def flags(funnel: str, funnel_steps: dict[object, list[Step]], problems: pd.DataFrame
          ) -> list[Flag]:
    """Every data problem of one funnel: each stage larger than the one before it (with the
    rows that explain it), then every other group of problem rows, each named once."""
    mine = problems[problems["funnel"] == funnel]
    groups = {(str(g), str(p)): rows
              for (p, g), rows in mine.groupby(["problem", "group_id"], sort=False)}
    out: list[Flag] = []
    named: set[tuple[str, str]] = set()
    cause = INVERSION_CAUSES.get(funnel)
    for group, group_steps in funnel_steps.items():
        for s in group_steps:
            if s.inverted:  # a lake holds thousands of groups: one lookup each, not one mask
                rows = groups.get((str(group), cause or ""), mine.iloc[0:0])
                out.append(Flag(funnel, "inversion", str(group), rows, s))
                named.add((str(group), cause or ""))
    for (group, problem), rows in groups.items():
        if (group, problem) not in named:
            out.append(Flag(funnel, problem, group, rows))
    return out


ROWS_NAMED = 12  # row ids one warning names at most
CHECKS_SHOWN = 5  # warnings shown in full at most; past it, a summary by kind and a CSV


def name_rows(ids: Iterable[str], limit: int = ROWS_NAMED) -> tuple[list[str], int]:
    """The first `limit` row ids to name, and how many more there are."""
    ids = list(dict.fromkeys(ids))
    return ids[:limit], max(0, len(ids) - limit)


def worst(found: list[Flag], limit: int = CHECKS_SHOWN) -> list[Flag]:
    """The flags shown in full: all of them up to `limit`, else the `limit` with the most rows
    (ties: the first found), in the order found. A lake of thousands of clusters has thousands
    of flags: one warning each can neither be sent nor read."""
    if len(found) <= limit:
        return found
    top = sorted(range(len(found)), key=lambda i: (-len(found[i].rows), i))[:limit]
    return [found[i] for i in sorted(top)]


@dataclass(frozen=True)
class ProblemKind:
    """How many flags of one kind of problem, and how many problem rows behind them."""

    problem: str
    flags: int
    rows: int


def summary(found: list[Flag]) -> list[ProblemKind]:
    """The flags counted per kind of problem, kinds in the order first found."""
    kinds: dict[str, list[int]] = {}
    for f in found:
        k = kinds.setdefault(f.problem, [0, 0])
        k[0] += 1
        k[1] += len(f.rows)
    return [ProblemKind(p, n, rows) for p, (n, rows) in kinds.items()]


PROBLEM_CSV_COLUMNS = ("problem", "group_id", "group", "row_id", "stage", "value", "n",
                       "base")


def problem_table(funnel: str, problems: pd.DataFrame, group_names: dict[str, str],
                  lang: str) -> pd.DataFrame:
    """Every row of `funnel_problems_by_row` for one funnel, for the CSV: the problem (its
    label), the group's id and name, the row id, the stage (its label), the value, n, base."""
    mine = problems[problems["funnel"] == funnel]
    problem = mine["problem"].map({p: t(f"funnels.problem_kind.{p}", lang)
                                   for p in mine["problem"].unique()})
    stage = mine["stage"].map({s: stage_label(funnel, s, lang)
                               for s in mine["stage"].dropna().unique()})
    return pd.DataFrame({
        "problem": problem.to_numpy(object), "group_id": mine["group_id"].to_numpy(object),
        "group": mine["group_id"].map(lambda g: group_names.get(g, g)).to_numpy(object),
        "row_id": mine["row_id"].to_numpy(object), "stage": stage.to_numpy(object),
        "value": mine["value"].to_numpy(object), "n": mine["n"].to_numpy(object),
        "base": mine["base"].to_numpy(object)}, columns=list(PROBLEM_CSV_COLUMNS))


def problems_csv(funnel: str, problems: pd.DataFrame, group_names: dict[str, str],
                 lang: str) -> bytes:
    """`problem_table` as a CSV for French Excel, as Envol writes every CSV (`;`, CRLF, UTF-8
    with a BOM, text cells through `formula_safe`, numbers as numbers): headers in `lang`."""
    table = problem_table(funnel, problems, group_names, lang)
    return excel_csv([t(f"funnels.csv.{c}", lang) for c in PROBLEM_CSV_COLUMNS],
                     ([formula_safe(v) for v in row]
                      for row in zip(*(table[c] for c in PROBLEM_CSV_COLUMNS), strict=True)))


def problem_count(problems: pd.DataFrame, funnel: str) -> int:
    """How many rows of `funnel_problems_by_row` are about `funnel`."""
    return int((problems["funnel"] == funnel).sum())


def problems_download(funnel: str, problems: pd.DataFrame, group_names: dict[str, str],
                      lang: str, who: str, version: int) -> Callable[[], bytes]:
    """`problems_csv` to be built when the button is clicked, each download recorded in the
    audit log (`envol.audit`), as the history page's table CSVs: the rows name member firms."""
    return functools.partial(audited(problems_csv, "funnel_problems_csv", who, funnel=funnel,
                                     version=version),
                             funnel, problems, group_names, lang)


# --- labels -------------------------------------------------------------------------------
_STAGE_COLUMNS = {"comptoir": MEMBERS.column("comptoir_stage"),
                  "portage": SPONSORSHIPS.column("stage")}


def stage_label(funnel: str, stage: str, lang: str) -> str:
    """A stage's label: the contract's enum label (FR/EN), capitalised; a survey answer's head."""
    if stage == SME_BASE:
        return t("funnels.stage.member_smes", lang)
    if stage == SURVEY_BASE:
        return t("funnels.stage.asked", lang)
    if funnel in _STAGE_COLUMNS:
        label = _STAGE_COLUMNS[funnel].enum_label(stage, lang)
        return label[:1].upper() + label[1:]
    return short_answer(stage)


def country_name(iso3: str | None, lang: str) -> str:
    """`MEX` → `Mexique` / `Mexico` (CLDR through Babel); the code itself if unknown."""
    if not iso3:
        return ""
    alpha2 = get_global("territory_aliases").get(iso3, [None])[0]
    name = Locale.parse(LOCALES[lang]).territories.get(alpha2) if alpha2 else None
    return name or iso3
