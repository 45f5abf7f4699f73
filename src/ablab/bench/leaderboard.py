"""Leaderboards: one row per evaluation run, as a terminal table, Markdown or CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

from rich.markup import escape
from rich.table import Table

from ablab.bench.evaluate import EvaluationSummary
from ablab.bench.metrics import Aggregate

COLUMNS = ("precision", "recall", "f1_score", "ndcg_score", "ndcg_ranked")
"""Score columns, in display order."""
HEADERS = {
    "precision": "Precision",
    "recall": "Recall",
    "f1_score": "F1",
    "ndcg_score": "nDCG (set)",
    "ndcg_ranked": "nDCG@k (ranked)",
}


def entry_name(summary: EvaluationSummary) -> str:
    """How a run is named in a leaderboard: ``planner/model`` or the plans' folder."""
    if summary.planner or summary.model:
        return "/".join(p for p in (summary.planner, summary.model) if p)
    return Path(summary.plans).name if summary.plans else "plans"


def judge_label(summary: EvaluationSummary) -> str:
    """The judge, and the scoring definitions when they are AblationBench's."""
    if summary.metrics == "ablab":
        return summary.judge
    return f"{summary.judge} [{summary.metrics} metrics]"


def sort_rows(summaries: Iterable[EvaluationSummary]) -> list[EvaluationSummary]:
    """Best mean F1 first."""
    return sorted(
        summaries, key=lambda s: -(s.scores["f1_score"].mean if "f1_score" in s.scores else 0)
    )


def _cell(value: Aggregate | None) -> str:
    return "—" if value is None else f"{value.mean:.3f} ± {value.std:.3f}"


def _interval(value: Aggregate | None) -> str:
    return "" if value is None else f"[{value.ci_low:.3f}, {value.ci_high:.3f}]"


SHORT_HEADERS = {
    "precision": "P",
    "recall": "R",
    "f1_score": "F1",
    "ndcg_score": "nDCG set",
    "ndcg_ranked": "nDCG rank",
}


def rich_table(summaries: Iterable[EvaluationSummary], title: str = "Leaderboard") -> Table:
    """A compact Rich table: mean ± standard deviation (intervals are in Markdown and CSV)."""
    table = Table(title=title, caption="mean ± std over papers")
    for name in ("Planner", "Judge", "Task", "N"):  # N = papers
        table.add_column(name, justify="right" if name == "N" else "left")
    for column in COLUMNS:
        table.add_column(SHORT_HEADERS[column], justify="right")
    table.add_column("$", justify="right")
    for summary in sort_rows(summaries):
        cells = []
        for column in COLUMNS:
            value = summary.scores.get(column)
            cells.append("—" if value is None else f"{value.mean:.2f}\n[dim]±{value.std:.2f}[/]")
        table.add_row(
            escape(entry_name(summary)),
            escape(judge_label(summary)),
            summary.task.value,
            str(summary.papers),
            *cells,
            f"{summary.judge_cost:.2f}",
        )
    return table


def _flat_rows(summaries: Iterable[EvaluationSummary]) -> list[dict[str, str]]:
    rows = []
    for summary in sort_rows(summaries):
        row = {
            "planner": entry_name(summary),
            "judge": judge_label(summary),
            "task": summary.task.value,
            "dataset": summary.dataset,
            "papers": str(summary.papers),
        }
        for column in COLUMNS:
            value = summary.scores.get(column)
            row[f"{column}_mean"] = "" if value is None else f"{value.mean:.4f}"
            row[f"{column}_std"] = "" if value is None else f"{value.std:.4f}"
            row[f"{column}_ci_low"] = "" if value is None else f"{value.ci_low:.4f}"
            row[f"{column}_ci_high"] = "" if value is None else f"{value.ci_high:.4f}"
        row["judge_cost"] = f"{summary.judge_cost:.6f}"
        row["plan_cost"] = f"{summary.plan_cost:.6f}"
        rows.append(row)
    return rows


def to_csv(summaries: Iterable[EvaluationSummary]) -> str:
    """CSV with mean, std and interval columns per score."""
    rows = _flat_rows(summaries)
    if not rows:
        return ""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(summaries: Iterable[EvaluationSummary]) -> str:
    """A Markdown table: mean ± std (95% interval) per score."""
    header = ["Planner", "Judge", "Task", "Papers", *(HEADERS[c] for c in COLUMNS), "Judge cost $"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for summary in sort_rows(summaries):
        cells = [
            _md_escape(entry_name(summary)),
            _md_escape(judge_label(summary)),
            summary.task.value,
            str(summary.papers),
        ]
        for column in COLUMNS:
            value = summary.scores.get(column)
            cells.append("—" if value is None else f"{_cell(value)} {_interval(value)}")
        cells.append(f"{summary.judge_cost:.4f}")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
