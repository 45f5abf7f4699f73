"""Summarise a run directory: papers, failures, tokens, cost and time (``ablab show RUN``)."""

from __future__ import annotations

import json
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ablab.errors import ConfigError
from ablab.runs.files import FAILURES_FILE, iter_plans_index
from ablab.runs.log import LOG_FILE, read_log
from ablab.runs.runner import MANIFEST_FILE


@dataclass
class PaperLine:
    """One paper of a run."""

    paper_id: str
    """Paper id."""
    status: str
    """planned or failed."""
    ablations: int = 0
    """Ablations in its plan."""
    input_tokens: int = 0
    """Prompt tokens sent for it (all runs, cache hits count zero)."""
    output_tokens: int = 0
    """Completion tokens received for it."""
    cost_usd: float | None = 0.0
    """What it cost (None if a price was unknown)."""
    paper_tokens: int | None = None
    """Estimated tokens of the paper text."""
    kept_tokens: int | None = None
    """Estimated tokens of the paper text sent (after budgeting)."""
    error: str | None = None
    """Why it failed."""


@dataclass
class RunReport:
    """What ``ablab show`` prints."""

    run_dir: Path
    manifest: dict[str, Any]
    papers: list[PaperLine] = field(default_factory=list)
    calls: int = 0
    cache_hits: int = 0
    call_errors: int = 0
    requests: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float | None = 0.0
    latencies: list[float] = field(default_factory=list)

    @property
    def planned(self) -> int:
        """Papers with a plan."""
        return sum(p.status == "planned" for p in self.papers)

    @property
    def failed(self) -> int:
        """Papers that failed."""
        return sum(p.status == "failed" for p in self.papers)

    @property
    def elapsed_s(self) -> float:
        """Wall-clock seconds of all runs into this directory."""
        return float(sum(r.get("elapsed_s", 0.0) for r in self.manifest.get("runs", [])))

    @property
    def median_latency_s(self) -> float | None:
        """Median latency of the calls that reached the model."""
        return statistics.median(self.latencies) if self.latencies else None


def _add_cost(total: float | None, cost: Any) -> float | None:
    if total is None or cost is None:
        return None
    return total + float(cost)


def summarise_run(run_dir: Path) -> RunReport:
    """Read a run directory written by ``ablab plan --out``."""
    if not run_dir.is_dir():
        raise ConfigError(f"{run_dir}: no such run directory")
    lines: dict[str, PaperLine] = {}
    for paper_id, entry in iter_plans_index(run_dir):  # entry by entry: the lines are kept
        predictions = str(entry.get("predictions", ""))
        lines[paper_id] = PaperLine(
            paper_id, "planned", ablations=len([x for x in predictions.split("\n") if x.strip()])
        )
    manifest_path = run_dir / MANIFEST_FILE
    if not lines and not manifest_path.exists() and not (run_dir / LOG_FILE).exists():
        raise ConfigError(f"{run_dir}: not a run directory (no plans.json, run.json or log)")
    try:
        manifest = (
            json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else {}
        )
    except ValueError:
        manifest = {}
    report = RunReport(run_dir, manifest)
    failures_path = run_dir / FAILURES_FILE
    if failures_path.exists():
        try:
            failures = json.loads(failures_path.read_text(encoding="utf-8"))
        except ValueError:
            failures = []
        for failure in failures if isinstance(failures, list) else []:
            if not isinstance(failure, dict):
                continue
            key = str(failure.get("paper_id") or failure.get("source"))
            if key not in lines:
                lines[key] = PaperLine(key, "failed", error=failure.get("error"))
    for record in read_log(run_dir):
        paper_id = str(record.get("paper_id"))
        line = lines.setdefault(paper_id, PaperLine(paper_id, "unfinished"))
        if record.get("kind") == "call":
            report.calls += 1
            if record.get("error"):
                report.call_errors += 1
                continue
            usage = record.get("usage") or {}
            if record.get("cached"):
                report.cache_hits += 1
            else:
                report.latencies.append(float(record.get("latency_s") or 0.0))
            report.requests += int(usage.get("requests", 0))
            for target in (report, line):
                target.input_tokens += int(usage.get("input_tokens", 0))
                target.output_tokens += int(usage.get("output_tokens", 0))
                target.cost_usd = _add_cost(target.cost_usd, usage.get("cost_usd"))
        elif record.get("kind") == "paper":
            context = record.get("context") or {}
            if context:
                line.paper_tokens = context.get("paper_tokens")
                line.kept_tokens = context.get("kept_tokens")
    report.papers = [
        line
        for line in sorted(lines.values(), key=lambda p: p.paper_id)
        if line.status != "unfinished" or line.input_tokens
    ]
    return report
