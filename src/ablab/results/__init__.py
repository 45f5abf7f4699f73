"""Experiment results to ablation tables: read results, summarise over seeds, compare with the
full method, render (Markdown, LaTeX, HTML, CSV) and plot."""

from ablab.results.read import Observation, ResultsError, read_results
from ablab.results.render import TableFormat, render_table
from ablab.results.stats import Interval
from ablab.results.table import AblationTable, build_table

__all__ = [
    "AblationTable",
    "Interval",
    "Observation",
    "ResultsError",
    "TableFormat",
    "build_table",
    "read_results",
    "render_table",
]
