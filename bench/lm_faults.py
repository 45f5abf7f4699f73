"""Share of fault-injection cases that end in a valid plan or a clearly reported failure.

Each scenario of :func:`lm_server.fault_scenarios` is replayed by the local server to
a one-paper batch run (real openai client, the lm planner, a run directory). An outcome counts as
handled when the paper is either planned (a valid, non-empty plan in the run directory) or
recorded in failures.json with an error message; a crash (exception out of the runner) or a lost
paper (neither) counts against. Prints the table and writes bench/results/lm_faults.json.

    .venv/bin/python bench/lm_faults.py
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the local test server

from _common import write_results  # noqa: E402

from ablab.models import RetryPolicy, get_model  # noqa: E402
from ablab.papers import load_paper  # noqa: E402
from ablab.planners.lm import LMPlanner  # noqa: E402
from ablab.runs import run_plans_sync  # noqa: E402
from ablab.runs.files import load_plan, read_plans_index  # noqa: E402
from ablab.schema import Mode  # noqa: E402
from lm_server import FaultScenario, LocalOpenAIServer, fault_scenarios  # noqa: E402

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "tide.md"
TIMEOUT = 0.3


def outcome(scenario: FaultScenario) -> str:
    """plan, failure, crash or lost."""
    paper = load_paper(EXAMPLE)
    with LocalOpenAIServer() as server, tempfile.TemporaryDirectory() as tmp:
        server.enqueue(*scenario.replies)
        out = Path(tmp)
        model = get_model(
            "openai/gpt-4o",
            base_url=server.base_url,
            timeout=TIMEOUT,
            retry=RetryPolicy(max_attempts=4, base_delay=0.01, max_delay=0.05, max_retry_after=5),
        )
        try:
            run_plans_sync([paper], LMPlanner(model), mode=Mode.REVIEWER, out=out)
        except Exception:  # what the benchmark counts as a crash
            return "crash"
        if paper.id in read_plans_index(out):
            plan = load_plan(out / f"{paper.id}.plan.json")
            return "plan" if plan.ablations else "lost"
        failures_file = out / "failures.json"
        failures = json.loads(failures_file.read_text()) if failures_file.exists() else []
        if any(f.get("paper_id") == paper.id and f.get("error") for f in failures):
            return "failure"
        return "lost"


def main() -> None:
    rows = []
    for scenario in fault_scenarios(timeout=TIMEOUT):
        result = outcome(scenario)
        rows.append({"scenario": scenario.name, "expected": scenario.expect, "outcome": result})
        print(f"{scenario.name:<24} expected {scenario.expect:<8} got {result}")
    total = len(rows)
    handled = sum(r["outcome"] in ("plan", "failure") for r in rows)
    as_expected = sum(r["outcome"] == r["expected"] for r in rows)
    figures = {
        "cases": total,
        "handled_share": round(handled / total, 3),
        "as_expected_share": round(as_expected / total, 3),
        "valid_plans": sum(r["outcome"] == "plan" for r in rows),
        "reported_failures": sum(r["outcome"] == "failure" for r in rows),
        "crashes": sum(r["outcome"] == "crash" for r in rows),
        "lost_papers": sum(r["outcome"] == "lost" for r in rows),
        "rows": rows,
    }
    print(
        f"handled {handled}/{total} ({figures['handled_share']:.0%}), as expected "
        f"{as_expected}/{total}, crashes {figures['crashes']}, lost {figures['lost_papers']}"
    )
    path = write_results("lm_faults", figures)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
