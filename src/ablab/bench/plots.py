"""Plots of leaderboard scores per planner, with bootstrap 95% intervals as error bars.

Needs matplotlib (the ``plots`` extra); it is imported only when a plot is drawn.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ablab.bench.evaluate import EvaluationSummary
from ablab.bench.leaderboard import HEADERS, entry_name, sort_rows
from ablab.errors import ConfigError
from ablab.runs.files import prepare_output_dir

PLOTTED = ("precision", "recall", "f1_score", "ndcg_ranked")
"""Scores drawn, one bar per planner in each group."""


def plot_scores(
    summaries: Sequence[EvaluationSummary], out: Path, *, title: str = "ablab leaderboard"
) -> list[Path]:
    """Draw grouped bars (score groups x planners) and save ``out`` as PNG and SVG.

    Returns the written files. ``out``'s suffix is replaced.
    """
    try:
        import matplotlib

        matplotlib.use("Agg")  # no display needed
        import matplotlib.pyplot as plt
    except ImportError:
        raise ConfigError("plots need matplotlib: pip install 'ablab[plots]'") from None
    rows = sort_rows(summaries)
    if not rows:
        raise ConfigError("nothing to plot: no evaluation summaries")
    width = 0.8 / len(rows)
    figure, axes = plt.subplots(figsize=(max(6.0, 1.6 * len(PLOTTED) * max(1, len(rows)) / 2), 4))
    for index, summary in enumerate(rows):
        means, low_err, high_err = [], [], []
        for name in PLOTTED:
            value = summary.scores.get(name)
            means.append(value.mean if value else 0.0)
            low_err.append(value.mean - value.ci_low if value else 0.0)
            high_err.append(value.ci_high - value.mean if value else 0.0)
        positions = [group + (index - (len(rows) - 1) / 2) * width for group in range(len(PLOTTED))]
        axes.bar(
            positions,
            means,
            width,
            yerr=[low_err, high_err],
            capsize=3,
            label=f"{entry_name(summary)} ({summary.judge})",
        )
    axes.set_xticks(range(len(PLOTTED)), [HEADERS[name] for name in PLOTTED])
    axes.set_ylim(0, 1.05)
    axes.set_ylabel("mean over papers (95% bootstrap interval)")
    axes.set_title(title)
    axes.legend(fontsize="small")
    figure.tight_layout()
    written = []
    prepare_output_dir(out.parent)
    for suffix in (".png", ".svg"):
        path = out.with_suffix(suffix)
        figure.savefig(path, dpi=120)
        written.append(path)
    plt.close(figure)
    return written
