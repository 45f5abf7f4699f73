"""The ablation table as Markdown, LaTeX (booktabs), HTML or CSV."""

from __future__ import annotations

import csv
import io
import math
from enum import StrEnum

from markupsafe import escape
from pylatexenc.latexencode import unicode_to_latex

from ablab.results.table import AblationTable, Cell, Row


class TableFormat(StrEnum):
    """Output formats of ``ablab table``."""

    md = "md"
    latex = "latex"
    html = "html"
    csv = "csv"


def decimals(table: AblationTable, metric: str) -> int:
    """Digits after the point: three significant digits of the metric's largest mean."""
    means = [abs(r.cells[metric].summary.mean) for r in table.rows if metric in r.cells]
    largest = max([m for m in means if m > 0], default=1.0)
    return min(4, max(1, 2 - math.floor(math.log10(largest))))


def _arrow(table: AblationTable, metric: str, up: str = "↑", down: str = "↓") -> str:
    direction = table.directions.get(metric)
    return "" if direction is None else f" {up if direction else down}"


def _mean(cell: Cell | None, digits: int, pm: str = " ± ") -> str:
    if cell is None:
        return "—"
    text = f"{cell.summary.mean:.{digits}f}"
    if cell.summary.std is not None:
        text += f"{pm}{cell.summary.std:.{digits}f}"
    return text


def _signed(value: float, digits: int) -> str:
    return f"{round(value, digits) + 0.0:+.{digits}f}"  # + 0.0 turns -0.0 into 0.0


def _delta(cell: Cell | None, digits: int, row: Row) -> str:
    if cell is None or row.is_full or cell.delta is None:
        return "—"
    text = _signed(cell.delta, digits)
    if cell.interval is not None:
        low, high = cell.interval
        text += f" [{_signed(low, digits)}, {_signed(high, digits)}]"
    return text


def _label(row: Row) -> tuple[str, str]:
    name = "full method" if row.is_full else row.ablation
    prefix = f"{row.rank}. " if row.rank else ""
    return prefix + name, row.variant or ("—" if not row.is_full else "")


def _interval_note(table: AblationTable) -> str:
    how = "Welch's t" if table.interval.value == "welch" else "percentile bootstrap"
    return (
        f"Mean ± standard deviation over seeds; Δ is the difference to the full method with its "
        f"95% interval ({how})."
    )


def render_markdown(table: AblationTable) -> str:
    """A GitHub-flavoured Markdown table with a note and the warnings."""
    header = ["Ablation", "Variant"]
    for metric in table.metrics:
        header += [f"{metric}{_arrow(table, metric)}", "n", "Δ [95% CI]"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in table.rows:
        cells = [c.replace("|", "\\|") for c in _label(row)]
        for metric in table.metrics:
            cell = row.cells.get(metric)
            digits = decimals(table, metric)
            n = str(cell.summary.n) if cell else "0"
            delta = _delta(cell, digits, row)
            if cell is not None and cell.unclear:
                delta += " ⚠"
            cells += [_mean(cell, digits), n, delta]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", _interval_note(table)]
    if table.warnings:
        lines += ["", "Warnings:", *[f"- {w}" for w in table.warnings]]
    return "\n".join(lines) + "\n"


def _tex(text: str) -> str:
    return str(unicode_to_latex(text, non_ascii_only=False, unknown_char_warning=False))


def render_latex(table: AblationTable) -> str:
    """A booktabs ``tabular`` (needs ``\\usepackage{booktabs}``), warnings as comments."""
    columns = "ll" + "rrr" * len(table.metrics)
    lines = [
        "% Made by ablab table. " + _interval_note(table),
        "% Needs \\usepackage{booktabs}.",
        f"\\begin{{tabular}}{{{columns}}}",
        "\\toprule",
    ]
    groups = ["", ""]
    rules = []
    for index, metric in enumerate(table.metrics):
        arrow = _arrow(table, metric, "$\\uparrow$", "$\\downarrow$")
        groups.append(f"\\multicolumn{{3}}{{c}}{{{_tex(metric)}{arrow}}}")
        start = 3 + 3 * index
        rules.append(f"\\cmidrule(lr){{{start}-{start + 2}}}")
    lines.append(" & ".join(groups) + " \\\\")
    lines.append(" ".join(rules))
    second = ["Ablation", "Variant"] + ["Mean $\\pm$ std", "$n$", "$\\Delta$ [95\\% CI]"] * len(
        table.metrics
    )
    lines += [" & ".join(second) + " \\\\", "\\midrule"]
    for row in table.rows:
        name, variant = _label(row)
        cells = [_tex(name), _tex(variant)]
        for metric in table.metrics:
            cell = row.cells.get(metric)
            digits = decimals(table, metric)
            mean = _mean(cell, digits, " \\pm ")
            cells.append(f"${mean}$" if cell else "--")
            cells.append(str(cell.summary.n) if cell else "0")
            delta = _delta(cell, digits, row)
            cells.append(f"${delta}$" if delta != "—" else "--")
        lines.append(" & ".join(cells) + " \\\\")
        if row.is_full:
            lines.append("\\midrule")
    lines += ["\\bottomrule", "\\end{tabular}"]
    lines += [f"% Warning: {w}" for w in table.warnings]
    return "\n".join(line.replace("\n", " ") for line in lines) + "\n"


def render_html(table: AblationTable) -> str:
    """An HTML ``<table>`` (every string escaped) with a caption and the warnings."""
    head = ["<th>Ablation</th><th>Variant</th>"]
    for metric in table.metrics:
        head.append(
            f"<th>{escape(metric)}{escape(_arrow(table, metric))}</th><th>n</th><th>Δ [95% CI]</th>"
        )
    body = []
    for row in table.rows:
        name, variant = _label(row)
        cells = [f"<th scope='row'>{escape(name)}</th><td>{escape(variant)}</td>"]
        for metric in table.metrics:
            cell = row.cells.get(metric)
            digits = decimals(table, metric)
            classes = []
            if cell is not None and cell.unclear:
                classes.append("unclear")
            if cell is not None and cell.summary.n == 1:
                classes.append("single")
            attr = f" class='{' '.join(classes)}'" if classes else ""
            n = cell.summary.n if cell else 0
            cells.append(
                f"<td>{escape(_mean(cell, digits))}</td><td>{n}</td>"
                f"<td{attr}>{escape(_delta(cell, digits, row))}</td>"
            )
        row_class = " class='full'" if row.is_full else ""
        body.append(f"<tr{row_class}>{''.join(cells)}</tr>")
    html = [
        "<table class='ablation-table'>",
        f"<caption>{escape(_interval_note(table))}</caption>",
        f"<thead><tr>{''.join(head)}</tr></thead>",
        f"<tbody>{''.join(body)}</tbody>",
        "</table>",
    ]
    if table.warnings:
        items = "".join(f"<li>{escape(w)}</li>" for w in table.warnings)
        html.append(f"<ul class='warnings'>{items}</ul>")
    return "\n".join(html) + "\n"


CSV_COLUMNS = (
    "rank",
    "ablation",
    "variant",
    "metric",
    "higher_is_better",
    "n",
    "mean",
    "std",
    "delta",
    "ci_low",
    "ci_high",
    "interval",
)
"""Columns of the CSV output: one line per row and metric."""


def render_csv(table: AblationTable) -> str:
    """One line per row and metric (tidy), numbers unrounded."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in table.rows:
        for metric in table.metrics:
            cell = row.cells.get(metric)
            if cell is None:
                continue
            direction = table.directions.get(metric)
            low, high = cell.interval if cell.interval else (None, None)
            writer.writerow(
                [
                    "" if row.rank is None else row.rank,
                    row.ablation,
                    row.variant,
                    metric,
                    "" if direction is None else str(direction).lower(),
                    cell.summary.n,
                    cell.summary.mean,
                    "" if cell.summary.std is None else cell.summary.std,
                    "" if cell.delta is None else cell.delta,
                    "" if low is None else low,
                    "" if high is None else high,
                    table.interval.value,
                ]
            )
    return buffer.getvalue()


RENDERERS = {
    TableFormat.md: render_markdown,
    TableFormat.latex: render_latex,
    TableFormat.html: render_html,
    TableFormat.csv: render_csv,
}
"""Renderer of each format."""


def render_table(table: AblationTable, fmt: TableFormat | str) -> str:
    """``table`` in ``fmt``."""
    return RENDERERS[TableFormat(fmt)](table)
