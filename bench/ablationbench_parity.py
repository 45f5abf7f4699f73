"""Parity with AblationBench: its own code run on ablab's output, with the same judge decisions.

Needs snapshots of the two public repositories (never committed here; read with ``git``):

- the harness, ``ai-scientist-bench/ablation-bench``: its judges (``simple_lm``,
  ``majority_judge``) score run directories ablab wrote. The judges call LiteLLM; a driver this
  script writes to a temporary folder wraps their ``completion`` with LiteLLM's ``mock_response``
  so that they receive, for every paper, the decisions ablab's offline judge made (and, for the
  majority judge, three ballots derived from them). No network. ``--harness-python`` must have the
  harness's dependencies (pandas, scikit-learn, datasets, litellm, pydantic-settings, typer).
- the project page, ``ablation-bench/ablation-bench.github.io``: every published trajectory is
  parsed and rendered again, and must come back byte for byte.

Plans: the offline planner on the example datasets (dev and held-out rows, both tasks), written
by ablab's batch engine (papers it cannot plan leave an empty ``<id>.jsonl`` and a failures.json
entry). ablab scores the same decisions with ``--metrics ablationbench`` and with its own
definitions; the script prints, per metric, the share of papers whose score equals the harness's.

Usage: python bench/ablationbench_parity.py [--mirrors DIR] [--harness-python PY]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from _common import REPO, write_results

from ablab.api import PlanSpec, build_planner
from ablab.bench.datasets import Dataset
from ablab.bench.evaluate import evaluate_plans
from ablab.bench.paper_files import load_task_paper
from ablab.bench.sources import load_dataset
from ablab.formats.trajectory import parse_trajectory, render_trajectory
from ablab.judges.base import AuthorJudgement, PaperContext, ReviewDecision, ReviewerJudgement
from ablab.judges.majority import MajorityJudge
from ablab.judges.offline import OfflineJudge
from ablab.matching.match import Match
from ablab.runs import run_plans_sync
from ablab.runs.plans import load_plans
from ablab.schema import Ablation, Mode

HARNESS = "ai-scientist-bench+ablation-bench"
SITE = "ablation-bench+ablation-bench.github.io"
DATASETS = REPO / "examples" / "datasets"
METRICS = ("precision", "recall", "f1_score", "ndcg_score")
HARNESS_NAMES = {Mode.AUTHOR: "researcher-ablation-bench", Mode.REVIEWER: "reviewer-ablation-bench"}
CONFIGS = {
    Mode.AUTHOR: "config/simple_lm/judge_ablation_suggestions.yaml",
    Mode.REVIEWER: "config/simple_lm/judge_missing_ablation_suggestions.yaml",
}

# The driver runs inside the harness's environment; it is this project's code, theirs is only
# imported from the extracted snapshot.
DRIVER = r"""
import functools, json, random, sys
from pathlib import Path
job = json.loads(Path(sys.argv[1]).read_text())
sys.path.insert(0, job["harness"])
import litellm
from datasets import Dataset, DatasetInfo
from ablation_bench.judge import majority_judge, simple_lm

simple_lm.random.shuffle = lambda items: None  # sides stay A = paper, B = plan: fixed decisions
answers = {}  # paper title -> the judge's answer, set per run below
real = simple_lm.completion

def mocked(**kwargs):
    prompt = kwargs["messages"][-1]["content"]
    title = max((t for t in answers if t in prompt), key=len)
    return real(**kwargs, mock_response=answers[title])

simple_lm.completion = mocked
rows = job["rows"]
info = DatasetInfo(dataset_name=job["dataset_name"])
results = {}
for run in job["runs"]:
    dataset = Dataset.from_list(rows, info=info)
    out = Path(run["out"])
    voter_dirs = []
    for index, ballot in enumerate(run["ballots"]):
        answers.clear(); answers.update(ballot)
        voter_dir = out / f"voter{index}"; voter_dir.mkdir(parents=True)
        config = Path(job["harness"]) / job["config"]
        judge = simple_lm.SimpleLMJudge.from_config(
            config, model_name="gpt-4o-mini", reasoning_effort=None, output_dir=voter_dir
        )
        judge.evaluate(Path(job["plans"]), dataset, run["top_k"])
        voter_dirs.append(str(voter_dir))
    if len(voter_dirs) == 1:
        scored = Path(voter_dirs[0]) / "evaluations.json"
    else:
        config = out / "majority.yaml"
        config.write_text(json.dumps({"judge_output_dirs": voter_dirs}))
        judge = majority_judge.MajorityJudge.from_config(
            config, model_name="none", reasoning_effort=None, output_dir=out
        )
        judge.evaluate(Path(job["plans"]), dataset, run["top_k"])
        scored = out / "evaluations.json"
    results[run["name"]] = {r["id"]: r for r in json.loads(scored.read_text())}
print(json.dumps(results))
"""


def _extract(git_dir: Path, target: Path, *paths: str) -> None:
    target.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(
        ["git", f"--git-dir={git_dir}", "archive", "HEAD", *paths],
        check=True,
        capture_output=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)


def round_trip(site: Path, tmp: Path) -> dict[str, Any]:
    """Parse and render every published trajectory; count those that do not come back whole."""
    _extract(site, tmp / "site", "trajectories")
    files = sorted((tmp / "site" / "trajectories").rglob("*.md"))
    broken = []
    for path in files:
        original = path.read_bytes()
        try:
            back = render_trajectory(parse_trajectory(original.decode("utf-8"), str(path)))
        except Exception as exc:  # a failure to parse is a failure to round-trip
            broken.append(f"{path.name}: {exc}")
            continue
        if back.encode("utf-8") != original:
            broken.append(path.name)
    models = sorted({p.parent.name for p in files})
    return {"trajectories": len(files), "models": models, "not_identical": broken}


class Replay:
    """A judge that gives stored decisions (for one voter), restricted to the plan it is shown."""

    def __init__(self, name: str, decisions: dict[str, AuthorJudgement | ReviewerJudgement]):
        self.name = name
        self.decisions = decisions

    def judge_author(
        self, reference: list[Ablation], plan: list[Ablation], context: PaperContext
    ) -> AuthorJudgement:
        stored = self.decisions[context.paper_id]
        assert isinstance(stored, AuthorJudgement)
        kept = [m for m in stored.matches if m.plan < len(plan)]
        return stored.model_copy(update={"plan": plan, "matches": kept})

    def judge_reviewer(
        self, reviews: list[str], num_requested: int, plan: list[Ablation], context: PaperContext
    ) -> ReviewerJudgement:
        stored = self.decisions[context.paper_id]
        assert isinstance(stored, ReviewerJudgement)
        kept = [d for d in stored.decisions if d.plan < len(plan)]
        return stored.model_copy(update={"plan": plan, "decisions": kept})


def _variants(judgement: AuthorJudgement | ReviewerJudgement) -> list[Any]:
    """Three ballots for a majority vote: the offline judge's, one without the first plan
    item's decisions, one that adds a match (author) or flips the last decision (reviewer)."""
    if isinstance(judgement, AuthorJudgement):
        second = [m for m in judgement.matches if m.plan != 0]
        third = list(judgement.matches)
        if judgement.plan and judgement.reference:
            third.append(
                Match(reference=len(judgement.reference) - 1, plan=len(judgement.plan) - 1)
            )
        return [
            judgement,
            judgement.model_copy(update={"matches": second}),
            judgement.model_copy(update={"matches": third}),
        ]
    flipped = [
        ReviewDecision(
            plan=d.plan, appears=not d.appears if i == len(judgement.plan) - 1 else d.appears
        )
        for i, d in enumerate(judgement.decisions)
    ]
    second = [
        ReviewDecision(plan=d.plan, appears=d.appears and d.plan != 0) for d in judgement.decisions
    ]
    return [
        judgement,
        judgement.model_copy(update={"decisions": second}),
        judgement.model_copy(update={"decisions": flipped}),
    ]


def _answer(judgement: AuthorJudgement | ReviewerJudgement) -> str:
    """A judge answer in the harness's format carrying ``judgement``'s decisions."""
    if isinstance(judgement, AuthorJudgement):
        lines = [
            {"name_in_A": r["name_in_paper"], "name_in_B": r["name_in_plan"]}
            for r in judgement.bench_records()
        ]
    else:
        lines = list(judgement.bench_records())
    body = "\n".join(json.dumps(line) for line in lines)
    return f"<discussion>fixed decisions</discussion>\n<predictions>\n{body}\n</predictions>"


def _rows(dataset: Dataset, source: Iterable[Path]) -> list[dict[str, Any]]:
    rows = []
    for path in source:
        rows += [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    return rows


def parity(harness_git: Path, python: str, tmp: Path) -> dict[str, Any]:
    """Run the harness's judges and ablab's scoring on the same decisions; count agreements."""
    harness = tmp / "harness"
    _extract(harness_git, harness, "ablation_bench", "config")
    types = harness / "ablation_bench" / "types.py"  # at HEAD it uses Callable without importing
    text = types.read_text(encoding="utf-8")
    if "import Callable" not in text:
        types.write_text("from collections.abc import Callable\n" + text, encoding="utf-8")
    figures: dict[str, Any] = {}
    for mode, files in (
        (Mode.AUTHOR, ["author-dev.jsonl", "author-heldout.jsonl"]),
        (Mode.REVIEWER, ["reviewer-dev.jsonl", "reviewer-heldout.jsonl"]),
    ):
        paths = [DATASETS / f for f in files]
        merged = tmp / f"{mode.value}.jsonl"
        merged.write_text("".join(p.read_text(encoding="utf-8") for p in paths), encoding="utf-8")
        dataset = load_dataset(merged)
        dataset.root = str(DATASETS)
        papers = [load_task_paper(t, dataset.root)[0] for t in dataset.tasks]
        plans_dir = tmp / f"plans-{mode.value}"
        summary = run_plans_sync(
            papers, build_planner(PlanSpec(planner="heuristic")), mode=mode, out=plans_dir
        )
        plans = load_plans(plans_dir, mode)
        whole = evaluate_plans(dataset, plans, OfflineJudge(), metrics="ablationbench")
        decisions = {j.paper_id: j for j in whole.judgements}
        ballots = {pid: _variants(j) for pid, j in decisions.items()}
        titles = {t.id: t.paper_title for t in dataset.tasks}
        k = 2
        runs = []
        for name, voters, top_k in (
            ("single", 1, None),
            (f"single@{k}", 1, k),
            ("majority", 3, None),
            (f"majority@{k}", 3, k),
        ):
            runs.append(
                {
                    "name": name,
                    "top_k": top_k,
                    "out": str(tmp / f"eval-{mode.value}-{name}"),
                    "ballots": [
                        {titles[pid]: _answer(b[v]) for pid, b in ballots.items()}
                        for v in range(voters)
                    ],
                }
            )
        job = {
            "harness": str(harness),
            "config": CONFIGS[mode],
            "dataset_name": HARNESS_NAMES[mode],
            "plans": str(plans_dir),
            "rows": _rows(dataset, paths),
            "runs": runs,
        }
        job_file = tmp / f"job-{mode.value}.json"
        job_file.write_text(json.dumps(job), encoding="utf-8")
        driver = tmp / "driver.py"
        driver.write_text(DRIVER, encoding="utf-8")
        env = {**os.environ, "LITELLM_LOCAL_MODEL_COST_MAP": "True"}  # no cost-map download
        done = subprocess.run(
            [python, str(driver), str(job_file)],
            cwd=DATASETS,  # the harness reads paper_path relative to where it runs
            capture_output=True,
            text=True,
            env=env,
            timeout=1800,
        )
        if done.returncode != 0:
            raise SystemExit(f"the harness failed:\n{done.stderr[-3000:]}")
        theirs = json.loads(done.stdout.strip().splitlines()[-1])
        for run in runs:
            top_k = run["top_k"]
            voters = [
                Replay(f"v{v}", {p: b[v] for p, b in ballots.items()})
                for v in range(len(run["ballots"]))
            ]
            judge = voters[0] if len(voters) == 1 else None
            row: dict[str, Any] = {"papers": len(dataset.tasks), "failed": summary.count("failed")}
            for definitions in ("ablationbench", "ablab"):
                if judge is None:
                    vote = "item" if definitions == "ablationbench" else "pair"
                    chosen: Any = MajorityJudge(voters, vote=vote)
                else:
                    chosen = judge
                ours = evaluate_plans(dataset, plans, chosen, top_k=top_k, metrics=definitions)
                agree = {}
                for metric in METRICS:
                    if mode is Mode.REVIEWER and metric == "ndcg_score":
                        continue
                    same = [
                        abs(
                            (getattr(r, metric) or 0.0)
                            - float(theirs[run["name"]][r.id][metric] or 0.0)
                        )
                        < 1e-9
                        for r in ours.records
                    ]
                    agree[metric] = round(sum(same) / len(same), 3)
                row[f"agreement ({definitions} metrics)"] = agree
            figures[f"{mode.value} {run['name']}"] = row
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_mirrors = os.environ.get("ABLAB_MIRRORS", "/work/.mirror")
    parser.add_argument("--mirrors", type=Path, default=Path(default_mirrors))
    parser.add_argument(
        "--harness-python",
        default=os.environ.get("ABLAB_HARNESS_PYTHON", sys.executable),
        help="A Python with the harness's dependencies.",
    )
    args = parser.parse_args()
    site = args.mirrors / SITE / "repo"
    harness = args.mirrors / HARNESS / "repo"
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="ablab-parity-") as tmp:
        if site.exists():
            figures["round_trip"] = round_trip(site, Path(tmp))
            rt = figures["round_trip"]
            print(
                f"trajectories: {rt['trajectories']} ({', '.join(rt['models'])}); "
                f"not identical after parse + render: {len(rt['not_identical'])}"
            )
        else:
            print(f"no snapshot of the project page at {site}: round trip skipped")
        if harness.exists():
            figures["harness"] = parity(harness, args.harness_python, Path(tmp))
            for name, row in figures["harness"].items():
                print(f"{name}: {row['papers']} papers ({row['failed']} failed to plan)")
                for key, agree in row.items():
                    if key.startswith("agreement"):
                        cells = ", ".join(f"{m} {v:.3f}" for m, v in agree.items())
                        print(f"  {key}: {cells}")
        else:
            print(f"no snapshot of the harness at {harness}: parity skipped")
    if figures:
        print(f"wrote {write_results('ablationbench_parity', figures)}")


if __name__ == "__main__":
    main()
