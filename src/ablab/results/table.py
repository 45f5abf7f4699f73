"""The ablation table: one row per ablation and variant, per metric mean ± std over seeds, n,
and the delta to the full method with its 95% interval; warnings for what weakens a reading."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from ablab.errors import AblabError
from ablab.export.labels import FULL, slug
from ablab.export.mapping import MIN_SCORE, Phrase, number_in, score, words
from ablab.planners.offline_design import metric_direction
from ablab.results.read import Observation
from ablab.results.stats import Interval, Summary, delta_interval, summarise
from ablab.schema import Plan


@dataclass
class Cell:
    """One metric of one row."""

    summary: Summary
    delta: float | None = None
    """Mean minus the full method's mean (None for the full row or without a full result)."""
    interval: tuple[float, float] | None = None
    """95% interval of the delta (None with fewer than two seeds on either side)."""

    @property
    def unclear(self) -> bool:
        """Whether the interval contains 0 (no clear effect)."""
        return self.interval is not None and self.interval[0] <= 0 <= self.interval[1]


@dataclass
class Row:
    """One ablation variant (or the full method)."""

    ablation: str
    """The plan item's name (or the label found in the results)."""
    variant: str
    """The variant (plan's wording when matched); empty for REMOVE and the full method."""
    rank: int | None
    """Position of the ablation in the plan; 0 for the full method, None when not in the plan."""
    cells: dict[str, Cell] = field(default_factory=dict)

    @property
    def is_full(self) -> bool:
        """Whether this is the unablated method."""
        return self.rank == 0


@dataclass
class AblationTable:
    """The table and what to be careful about when reading it."""

    metrics: list[str]
    directions: dict[str, bool | None]
    """Metric -> whether higher is better (None when unknown)."""
    rows: list[Row]
    interval: Interval
    warnings: list[str] = field(default_factory=list)
    title: str = ""


def _match_variant(found: str, planned: Sequence[str]) -> str | None:
    if planned == [""]:
        return ""  # REMOVE has one variant, whatever the run calls it (e.g. its flag, false)
    if not found:
        return planned[0] if len(planned) == 1 else None
    for label in planned:
        if slug(label) == slug(found):
            return label
    number = number_in(found)
    if number is not None:
        same = [label for label in planned if number_in(label) == number]
        if len(same) == 1:
            return same[0]
        return None
    # A config value the export mapped the variant to ("js" for "Jensen-Shannon divergence").
    scored = sorted((score(Phrase.of(label), words(found)), label) for label in planned)
    if scored and scored[-1][0] >= MIN_SCORE and (len(scored) < 2 or scored[-2][0] < scored[-1][0]):
        return scored[-1][1]
    return None


def _order_metrics(found: list[str], plan: Plan | None, chosen: list[str] | None) -> list[str]:
    if chosen:
        missing = [m for m in chosen if m not in found]
        if missing:
            raise AblabError(f"no results for metric {missing[0]!r}; found: {', '.join(found)}")
        return list(chosen)
    planned = [m for a in (plan.ablations if plan else []) for m in a.metrics]
    order = {slug(m): i for i, m in enumerate(dict.fromkeys(planned))}
    return sorted(found, key=lambda m: (order.get(slug(m), len(order)), found.index(m)))


def build_table(
    observations: Sequence[Observation],
    plan: Plan | None = None,
    *,
    metrics: list[str] | None = None,
    interval: Interval = Interval.welch,
    directions: dict[str, bool] | None = None,
) -> AblationTable:
    """Group ``observations`` by plan item and variant and compare each with ``full``."""
    found_metrics = list(dict.fromkeys(o.metric for o in observations))
    chosen = _order_metrics(found_metrics, plan, metrics)
    items = {slug(a.name): (rank, a) for rank, a in enumerate(plan.ablations, 1)} if plan else {}
    warnings: list[str] = []
    groups: dict[tuple[str, str], dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    keys: dict[tuple[str, str], Row] = {}
    for obs in observations:
        if obs.metric not in chosen:
            continue
        key_slug = slug(obs.ablation)
        if key_slug == FULL:
            row = Row(FULL, "", 0)
        elif key_slug in items:
            rank, ablation = items[key_slug]
            variant = _match_variant(obs.variant, ablation.variants())
            if variant is None:
                variant = obs.variant
                note = f"variant {obs.variant!r} of {ablation.name!r} is not in the plan"
                if note not in warnings:
                    warnings.append(note)
            row = Row(ablation.name, variant, rank)
        else:
            row = Row(obs.ablation, obs.variant, None)
            note = f"{obs.ablation!r} is not an ablation of the plan" if plan else ""
            if note and note not in warnings:
                warnings.append(note)
        key = (row.ablation, row.variant)
        keys.setdefault(key, row)
        groups[key][obs.metric].append(obs.value)
    rows = _sorted_rows(list(keys.values()), plan)
    full_values = groups.get((FULL, ""), {})
    for row in rows:
        for metric in chosen:
            values = groups[(row.ablation, row.variant)].get(metric)
            if not values:
                continue
            cell = Cell(summarise(values))
            base = full_values.get(metric)
            if base and not row.is_full:
                cell.delta = cell.summary.mean - summarise(base).mean
                cell.interval = delta_interval(values, base, interval)
            row.cells[metric] = cell
    table = AblationTable(
        chosen,
        {m: _direction(m, plan, directions) for m in chosen},
        rows,
        interval,
        warnings,
        title=plan.paper_title or plan.paper_id if plan else "",
    )
    table.warnings += _reading_warnings(table, plan, full_values)
    return table


def _direction(metric: str, plan: Plan | None, given: dict[str, bool] | None) -> bool | None:
    if given and metric in given:
        return given[metric]
    return metric_direction(metric)


def _sorted_rows(rows: list[Row], plan: Plan | None) -> list[Row]:
    def key(row: Row) -> tuple[int, int, str]:
        rank = row.rank if row.rank is not None else 10**6
        position = 10**6
        if plan and row.rank:
            variants = plan.ablations[row.rank - 1].variants()
            position = variants.index(row.variant) if row.variant in variants else len(variants)
        return rank, position, row.variant

    return sorted(rows, key=key)


def _reading_warnings(
    table: AblationTable, plan: Plan | None, full: dict[str, list[float]]
) -> list[str]:
    notes = []
    for metric in table.metrics:
        if not full.get(metric):
            notes.append(f"no 'full' results for {metric}: no deltas")
    for row in table.rows:
        name = row.ablation + (f" / {row.variant}" if row.variant else "")
        single = [m for m, c in row.cells.items() if c.summary.n == 1]
        if single:
            notes.append(f"{name}: a single seed for {', '.join(single)} (no spread, no interval)")
        unclear = [m for m, c in row.cells.items() if c.unclear]
        if unclear:
            notes.append(
                f"{name}: the 95% interval of the delta contains 0 for {', '.join(unclear)}"
            )
    if plan:
        seen = {row.rank for row in table.rows}
        for rank, ablation in enumerate(plan.ablations, 1):
            if rank not in seen:
                notes.append(f"no results for plan item {rank}: {ablation.name}")
    return notes
