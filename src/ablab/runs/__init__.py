"""Batch runs of the language-model planners: concurrency, resume, budget, call log, summaries."""

from ablab.runs.log import LoggedModel, RunLog, read_log
from ablab.runs.runner import (
    PaperResult,
    RunEvent,
    RunSummary,
    config_fingerprint,
    run_plans,
    run_plans_sync,
)
from ablab.runs.summary import RunReport, summarise_run

__all__ = [
    "LoggedModel",
    "PaperResult",
    "RunEvent",
    "RunLog",
    "RunReport",
    "RunSummary",
    "config_fingerprint",
    "read_log",
    "run_plans",
    "run_plans_sync",
    "summarise_run",
]
