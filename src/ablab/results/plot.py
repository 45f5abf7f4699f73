"""A bar plot of the ablation table: one panel per metric, mean with ± std error bars.

Needs matplotlib (the ``plots`` extra); it is imported only when a plot is drawn.
"""

from __future__ import annotations

import io
from pathlib import Path

from ablab._util.atomic import atomic_write_bytes
from ablab.errors import ConfigError
from ablab.results.table import AblationTable, Row

PLOT_SUFFIXES = (".png", ".svg")
"""File types a plot can be saved as."""
_FULL_COLOUR = "#455a64"
_ABLATED_COLOUR = "#7e57c2"
_UNCLEAR_COLOUR = "#b39ddb"


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _label(row: Row) -> str:
    """``full``, or the plan rank with the variant (or the ablation's name for REMOVE)."""
    if row.is_full:
        return "full"
    prefix = f"{row.rank} · " if row.rank else ""
    return prefix + _short(row.variant or row.ablation, 26)


def draw(table: AblationTable, fmt: str = "svg") -> bytes:
    """The plot as PNG or SVG bytes."""
    try:
        import matplotlib

        matplotlib.use("Agg")  # no display needed
        import matplotlib.pyplot as plt
    except ImportError:
        raise ConfigError("plots need matplotlib: pip install 'ablab[plots]'") from None
    count = len(table.metrics)
    width = max(5.0, 0.7 * len(table.rows) + 1.5)
    figure, axes = plt.subplots(count, 1, figsize=(width, 3.4 * count), squeeze=False)
    for panel, metric in zip(axes[:, 0], table.metrics, strict=True):
        rows = [row for row in table.rows if metric in row.cells]
        means = [row.cells[metric].summary.mean for row in rows]
        errors = [row.cells[metric].summary.std or 0.0 for row in rows]
        colours = [
            _FULL_COLOUR
            if row.is_full
            else (_UNCLEAR_COLOUR if row.cells[metric].unclear else _ABLATED_COLOUR)
            for row in rows
        ]
        panel.bar(range(len(rows)), means, yerr=errors, capsize=4, color=colours)
        full = next((row for row in rows if row.is_full), None)
        if full is not None:
            panel.axhline(full.cells[metric].summary.mean, color=_FULL_COLOUR, linewidth=0.8)
        low = min(m - e for m, e in zip(means, errors, strict=True))
        high = max(m + e for m, e in zip(means, errors, strict=True))
        margin = (high - low) * 0.25 or abs(high) * 0.05 or 1.0
        panel.set_ylim(low - margin, high + margin)  # differences, not distance from zero
        direction = table.directions.get(metric)
        suffix = (
            ""
            if direction is None
            else (" (higher is better)" if direction else " (lower is better)")
        )
        panel.set_ylabel(metric + suffix, fontsize="small")
        panel.set_xticks(
            range(len(rows)), [_label(r) for r in rows], fontsize="x-small", rotation=30, ha="right"
        )
    axes[0, 0].set_title(
        (_short(table.title, 60) + ": " if table.title else "") + "mean ± std over seeds",
        fontsize="medium",
    )
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format=fmt, dpi=120)
    plt.close(figure)
    return buffer.getvalue()


def save_plot(table: AblationTable, path: Path) -> Path:
    """Draw ``table`` to ``path`` (``.png`` or ``.svg``)."""
    suffix = path.suffix.lower()
    if suffix not in PLOT_SUFFIXES:
        raise ConfigError(f"--plot {path}: use a .png or .svg file name")
    atomic_write_bytes(path, draw(table, suffix.lstrip(".")))  # never half a plot
    return path
