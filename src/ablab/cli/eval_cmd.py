"""``ablab eval`` (score plans against a dataset) and ``ablab eval-judge`` (score a judge)."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

import typer
from rich.table import Table

from ablab.bench.evaluate import evaluate_plans, write_evaluation
from ablab.bench.judge_eval import evaluate_judge
from ablab.bench.leaderboard import rich_table
from ablab.bench.sources import load_dataset
from ablab.cli._common import cli_errors, err_console, escape, out_console, write_stdout
from ablab.errors import ConfigError
from ablab.judges import Judge, available_judges, get_judge
from ablab.runs.files import prepare_output_dir
from ablab.runs.plans import load_plans

DATASET_HELP = (
    "Dataset: a .jsonl/.json/.parquet file, a folder with <split>.<ext>, or a Hugging Face Hub "
    "name (ai-coscientist/researcher-ablation-bench; needs the `hub` extra)."
)
JUDGE_HELP = "Judge: " + ", ".join(available_judges()) + " (offline needs no network)."
METRICS_HELP = (
    "Scoring definitions: ablab (plan cut to --top-k, then judged; precision over plan items) or "
    "ablationbench (its harness's: the whole plan judged, matches past --top-k dropped, precision "
    "over matched ground-truth items and unmatched plan names, majority vote per ground-truth "
    "item), to compare with the published leaderboard."
)
JUDGE_MODEL_HELP = (
    "Model of the lm judge (provider/model). For majority, repeat it once per voter; "
    "'offline' is a voter too."
)


class Metrics(StrEnum):
    """Scoring definitions (see ablab.bench.ablationbench)."""

    ablab = "ablab"
    ablationbench = "ablationbench"


def build_judge(name: str, models: list[str], metrics: str = "ablab") -> Judge:
    """The judge the command line asks for (AblationBench's majority vote with its metrics)."""
    if name == "offline":
        if models:
            raise ConfigError("the offline judge takes no --judge-model")
        return get_judge("offline")
    if name == "lm":
        if len(models) != 1:
            raise ConfigError("the lm judge needs exactly one --judge-model")
        return get_judge("lm", model=models[0])
    if name == "majority":
        if len(models) < 2:
            raise ConfigError("the majority judge needs at least two --judge-model voters")
        vote = "item" if metrics == "ablationbench" else "pair"
        return get_judge("majority", voters=models, vote=vote)
    return get_judge(name)


def eval_command(
    dataset: str = typer.Option(..., "--dataset", "-d", help=DATASET_HELP),
    plans: Path = typer.Option(
        ...,
        "--plans",
        help="Plans: a run directory (ablab or AblationBench), a trajectory .md, "
        "or a folder of trajectories.",
    ),
    judge: str = typer.Option("offline", "--judge", "-j", help=JUDGE_HELP),
    judge_model: list[str] = typer.Option([], "--judge-model", help=JUDGE_MODEL_HELP),
    split: str | None = typer.Option(None, "--split", help="Dataset split (default: test)."),
    top_k: int | None = typer.Option(
        None, "--top-k", min=1, help="Score only the first K ablations of each plan."
    ),
    metrics: Metrics = typer.Option(Metrics.ablab, "--metrics", help=METRICS_HELP),
    papers: Path | None = typer.Option(
        None, "--papers", help="Folder holding the papers (<id>.md, <id>/...), for the judge."
    ),
    out: Path | None = typer.Option(
        None, "--out", "-o", help="Write evaluations.json, <id>.jsonl and summary.json here."
    ),
) -> None:
    """Score plans against a dataset's ground truth (precision, recall, F1, nDCG).

    Examples:

      ablab eval -d examples/datasets/author.jsonl --plans examples/datasets/runs/demo-author

      ablab eval -d examples/datasets/reviewer.jsonl \\
        --plans examples/datasets/runs/demo-reviewer -o out/eval

      ablab eval -d examples/datasets/author.jsonl \\
        --plans examples/datasets/runs/demo-author --metrics ablationbench --top-k 3
    """
    if papers is not None and not papers.is_dir():
        raise ConfigError(f"{papers}: no such folder of papers")
    if out is not None:
        prepare_output_dir(out)  # before the judging, which may cost money
    data = load_dataset(dataset, split)
    plan_set = load_plans(plans, data.kind.mode)
    chosen = build_judge(judge, judge_model, metrics.value)
    evaluation = evaluate_plans(
        data,
        plan_set,
        chosen,
        top_k=top_k,
        papers_dir=papers,
        plans_source=str(plans),
        metrics=metrics.value,
    )
    per_paper = Table(title=escape(f"{data.name} — judge {chosen.name}"))
    for column in ("Paper", "P", "R", "F1", "nDCG set", "nDCG ranked", "Notes"):
        per_paper.add_column(column, justify="left" if column in ("Paper", "Notes") else "right")
    for record in evaluation.records:
        per_paper.add_row(
            escape(record.id),
            f"{record.precision:.2f}",
            f"{record.recall:.2f}",
            f"{record.f1_score:.2f}",
            "—" if record.ndcg_score is None else f"{record.ndcg_score:.2f}",
            f"{record.ndcg_ranked:.2f}",
            escape("; ".join(record.warnings)),
        )
    err_console.print(per_paper)
    out_console.print(rich_table([evaluation.summary], title="Summary"))
    if out is not None:
        write_evaluation(evaluation, out)
        err_console.print(f"wrote {escape(str(out / 'evaluations.json'))}")


def eval_judge_command(
    dataset: str = typer.Option(
        ..., "--dataset", "-d", help="Judge-evaluation set (labels per planner model/paper)."
    ),
    judgements: Path = typer.Option(
        ...,
        "--judgements",
        help="Folder with <planner model>/<paper id>.jsonl judge decisions "
        "(the --out folders of `ablab eval`).",
    ),
    split: str | None = typer.Option(None, "--split", help="Dataset split (default: test)."),
    as_json: bool = typer.Option(False, "--json", help="Print the full result as JSON."),
) -> None:
    """Measure a judge's decisions against human labels (precision, recall, F1).

    Example:

      ablab eval -d examples/datasets/author.jsonl \\
        --plans examples/datasets/runs/demo-author -o out/judged/demo-author

      ablab eval-judge -d examples/datasets/author-eval.jsonl --judgements out/judged
    """
    data = load_dataset(dataset, split)
    result = evaluate_judge(data, judgements)
    if as_json:
        write_stdout(result.model_dump_json(indent=2))
        return
    table = Table(title=escape(f"Judge agreement with {data.name}"))
    for column in ("Item", "P", "R", "F1", "TP", "FP", "FN", "TN", "Notes"):
        table.add_column(column, justify="left" if column in ("Item", "Notes") else "right")
    for item in result.items:
        table.add_row(
            escape(item.id),
            f"{item.precision:.2f}",
            f"{item.recall:.2f}",
            f"{item.f1_score:.2f}",
            str(item.true_positives),
            str(item.false_positives),
            str(item.false_negatives),
            str(item.true_negatives),
            escape("; ".join(item.warnings)),
        )
    out_console.print(table)
    macro = ", ".join(
        f"{name} {value.mean:.3f} ± {value.std:.3f}" for name, value in result.scores.items()
    )
    micro = json.dumps({k: round(v, 3) for k, v in result.micro.items()})
    out_console.print(f"macro: {macro}\nmicro: {escape(micro)}")


def register(app: typer.Typer) -> None:
    """Add ``eval`` and ``eval-judge`` to the app."""
    app.command("eval")(cli_errors(eval_command))
    app.command("eval-judge")(cli_errors(eval_judge_command))
