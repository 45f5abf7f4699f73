"""Results -> ablation table: grouping, matching plan items and variants, deltas, warnings,
and every output format."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from ablab.results import Interval, ResultsError, build_table, read_results, render_table
from ablab.results.read import Observation
from ablab.schema import Ablation, Action, Mode, Plan


def _plan() -> Plan:
    items = [
        Ablation(
            name="Remove the gate",
            ablated_part="gate",
            action=Action.REMOVE,
            metrics=["top-1 accuracy"],
        ),
        Ablation(
            name="Vary the temperature τ",
            ablated_part="temperature τ",
            action=Action.REPLACE,
            replacement=["τ = 0.1", "τ = 0.5"],
            metrics=["top-1 accuracy"],
        ),
        Ablation(
            name="Replace KL divergence",
            ablated_part="KL divergence",
            action=Action.REPLACE,
            replacement=["Jensen-Shannon divergence", "cosine distance"],
            metrics=["top-1 accuracy"],
        ),
        Ablation(name="Remove the memory", ablated_part="memory", action=Action.REMOVE),
    ]
    return Plan(paper_id="toy", mode=Mode.AUTHOR, planner="x", model="y", ablations=items)


def _obs(ablation: str, variant: str, values: list[float], metric: str = "top-1 accuracy"):
    return [Observation(ablation, variant, str(i), metric, v) for i, v in enumerate(values)]


OBSERVATIONS = [
    *_obs("full", "", [80.0, 81.0, 82.0]),
    *_obs("remove-the-gate", "", [70.0, 71.0, 72.0]),
    *_obs("Vary the temperature τ", "0.5", [80.0, 82.0, 84.0]),
    *_obs("Vary the temperature τ", "0.1", [79.0]),
    *_obs("replace-kl-divergence", "js", [77.0, 78.0, 79.0]),
    *_obs("replace-kl-divergence", "wasserstein", [60.0, 61.0]),
    *_obs("something else", "", [1.0, 2.0]),
]


def test_rows_follow_the_plan_with_deltas_and_warnings() -> None:
    table = build_table(OBSERVATIONS, _plan())
    labels = [(r.rank, r.variant) for r in table.rows]
    assert labels == [
        (0, ""),
        (1, ""),
        (2, "τ = 0.1"),
        (2, "τ = 0.5"),
        (3, "Jensen-Shannon divergence"),  # the config value "js" names it
        (3, "wasserstein"),
        (None, ""),
    ]
    gate = table.rows[1].cells["top-1 accuracy"]
    assert gate.summary.mean == 71.0 and gate.delta == -10.0
    assert gate.interval is not None and gate.interval[1] < 0 and not gate.unclear
    warm = table.rows[3].cells["top-1 accuracy"]
    assert warm.delta == 1.0 and warm.unclear
    assert table.directions == {"top-1 accuracy": True}
    text = "\n".join(table.warnings)
    assert "variant 'wasserstein' of 'Replace KL divergence' is not in the plan" in text
    assert "'something else' is not an ablation of the plan" in text
    assert "τ = 0.1: a single seed for top-1 accuracy" in text
    assert "τ = 0.5: the 95% interval of the delta contains 0" in text
    assert "no results for plan item 4: Remove the memory" in text


def test_no_full_results_means_no_deltas() -> None:
    table = build_table(_obs("remove-the-gate", "", [1.0, 2.0]), _plan())
    assert table.rows[0].cells["top-1 accuracy"].delta is None
    assert any("no 'full' results" in w for w in table.warnings)


def test_metric_choice_and_direction_override() -> None:
    both = OBSERVATIONS + _obs("full", "", [0.5, 0.6], metric="loss")
    table = build_table(both, _plan(), metrics=["loss"], directions={"loss": False})
    assert table.metrics == ["loss"] and table.directions == {"loss": False}
    with pytest.raises(Exception, match="no results for metric 'bleu'"):
        build_table(both, _plan(), metrics=["bleu"])


def test_bootstrap_choice_is_recorded() -> None:
    table = build_table(OBSERVATIONS, _plan(), interval=Interval.bootstrap)
    assert table.interval is Interval.bootstrap
    assert "percentile bootstrap" in render_table(table, "md")


def test_formats() -> None:
    table = build_table(OBSERVATIONS, _plan())
    markdown = render_table(table, "md")
    assert markdown.startswith("| Ablation | Variant | top-1 accuracy ↑ | n | Δ [95% CI] |")
    assert "| 1. Remove the gate | — | 71.0 ± 1.0 | 3 | -10.0 [" in markdown
    latex = render_table(table, "latex")
    for rule in ("\\toprule", "\\cmidrule(lr){3-5}", "\\midrule", "\\bottomrule"):
        assert rule in latex
    body = [line for line in latex.splitlines() if not line.startswith("%")]
    assert "$71.0 \\pm 1.0$" in latex and "\\tau" in latex
    assert all(line.isascii() for line in body)  # Unicode only in comments
    rows = list(csv.DictReader(io.StringIO(render_table(table, "csv"))))
    gate = next(r for r in rows if r["ablation"] == "Remove the gate")
    assert float(gate["delta"]) == -10.0 and gate["higher_is_better"] == "true"
    assert float(gate["ci_low"]) < float(gate["ci_high"]) < 0


def test_html_escapes_names() -> None:
    observations = [*_obs("full", "", [1.0, 2.0]), *_obs("<script>x</script>", "", [1.0, 3.0])]
    html = render_table(build_table(observations), "html")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "class='full'" in html


def test_long_csv_and_jsonl(tmp_path: Path) -> None:
    (tmp_path / "r.csv").write_text(
        "Ablation,Variant,Seed,Metric,Value\nfull,,0,acc,1.5\nfull,,1,acc,2.5\n"
    )
    (tmp_path / "r.jsonl").write_text(
        json.dumps({"ablation": "full", "seed": 0, "metric": "acc", "value": 1.5}) + "\n"
    )
    assert [o.value for o in read_results(tmp_path / "r.csv")] == [1.5, 2.5]
    assert read_results(tmp_path / "r.jsonl")[0] == Observation("full", "", "0", "acc", 1.5)


def test_wandb_runs_table_export(tmp_path: Path) -> None:
    path = tmp_path / "wandb_export.csv"
    path.write_text(
        "Name,State,++ablation,seed,model.teacher_temp,top-1 accuracy,_runtime\n"
        "run-a,finished,full,0,0.04,80,100\n"
        "run-b,finished,full,1,0.04,82,100\n"
        "run-c,finished,vary-the-temperature-t,0,0.1,75,90\n"
        "run-d,crashed,,0,0.04,,5\n"
    )
    found = read_results(path, metrics=["top-1 accuracy"], variant_key="model.teacher_temp")
    assert [(o.ablation, o.variant, o.seed, o.value) for o in found] == [
        ("full", "0.04", "0", 80.0),
        ("full", "0.04", "1", 82.0),
        ("vary-the-temperature-t", "0.1", "0", 75.0),
    ]
    # Without a metric choice, numeric columns that are not labels count as metrics.
    metrics = {o.metric for o in read_results(path)}
    assert metrics == {"model.teacher_temp", "top-1 accuracy"}


def test_wandb_api_dataframe_export(tmp_path: Path) -> None:
    path = tmp_path / "project.csv"
    rows = [
        ("{'top-1 accuracy': 80.5, '_step': 9}", "{'ablation': 'full', 'seed': 0}", "a"),
        ("{'top-1 accuracy': 70.5}", "{'ablation': {'value': 'remove-the-gate'}}", "b"),
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["summary", "config", "name"])
    writer.writerows(rows)
    path.write_text(buffer.getvalue())
    found = read_results(path)
    assert [(o.ablation, o.metric, o.value) for o in found] == [
        ("full", "top-1 accuracy", 80.5),
        ("remove-the-gate", "top-1 accuracy", 70.5),
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "empty results file"),
        ("ablation,metric,value\nfull,acc,high\n", "is not a number"),
        ("a,b\n1,2\n", "no 'ablation' column"),
        ("ablation,metric,value\n,acc,1\n", "needs an ablation and a metric"),
    ],
)
def test_bad_results_are_one_line_errors(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "r.csv"
    path.write_text(content)
    with pytest.raises(ResultsError, match=message):
        read_results(path)
