"""Speed of plan-to-results: mapping a plan onto a large config, and building ablation tables.

Run: ``.venv/bin/python bench/results_speed.py``; prints figures and writes
bench/results/results_speed.json. Data: the bundled paper's offline plan; a synthetic config of
2,000 keys with the example config's keys inside; the example results file, and a synthetic
one of 20 plan items x 4 variants x 10 seeds x 3 metrics (2,400 values).
"""

from __future__ import annotations

import csv
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import yaml  # noqa: E402
from _common import REPO, pin_one_core, summary, time_call, write_results  # noqa: E402

from ablab.api import plan_paper  # noqa: E402
from ablab.export import map_plan, mapping, read_config  # noqa: E402
from ablab.results import Interval, build_table, read_results  # noqa: E402
from ablab.schema import Ablation, Action, Mode, Plan  # noqa: E402

EXAMPLES = REPO / "examples"


def big_config(folder: Path) -> Path:
    """The example config with 2,000 unrelated keys added around it."""
    base = yaml.safe_load((EXAMPLES / "tide-conf" / "config.yaml").read_text())
    base.pop("defaults")
    rng = random.Random(0)
    words = ["alpha", "beta", "gamma", "encoder", "decoder", "layers", "rate", "scale", "mode"]
    for index in range(2_000):
        node = base.setdefault(f"extra{index % 50}", {})
        node[f"{rng.choice(words)}_{rng.choice(words)}_{index}"] = rng.random()
    path = folder / "config.yaml"
    path.write_text(yaml.safe_dump(base))
    return path


def synthetic_results(folder: Path) -> tuple[Plan, Path]:
    """A 20-item plan and its long-format results."""
    items = [
        Ablation(
            name=f"Vary knob {i}",
            ablated_part=f"knob {i}",
            action=Action.REPLACE,
            replacement=[f"knob {i} = {v}" for v in (1, 2, 3, 4)],
            metrics=["accuracy"],
        )
        for i in range(20)
    ]
    plan = Plan(paper_id="synthetic", mode=Mode.AUTHOR, planner="x", model="y", ablations=items)
    rng = random.Random(1)
    path = folder / "results.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["ablation", "variant", "seed", "metric", "value"])
        groups = [("full", "")] + [(a.name, str(v)) for a in items for v in (1, 2, 3, 4)]
        for ablation, variant in groups:
            for seed in range(10):
                for metric in ("accuracy", "loss", "f1"):
                    writer.writerow([ablation, variant, seed, metric, rng.gauss(70, 1)])
    return plan, path


def cold_map(plan: Plan, config: object) -> None:
    """map_plan with its word caches emptied first (a first run, not a repeat)."""
    mapping._words.cache_clear()
    mapping.stem.cache_clear()
    mapping.similarity.cache_clear()
    map_plan(plan, config)  # type: ignore[arg-type]


def main() -> None:
    """Measure and print."""
    pin_one_core()
    plan = plan_paper(EXAMPLES / "tide.md")
    figures: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        config = read_config(big_config(folder))
        mapped = map_plan(plan, config)
        figures["map_plan_2000_keys"] = {
            "keys": len(config.keys),
            "mapped": [m.key.path if m.key else None for m in mapped.mappings],
            **summary(time_call(lambda: cold_map(plan, config))),
        }
        example = read_results(EXAMPLES / "tide-results.csv")
        for method in Interval:
            figures[f"table_example_{method.value}"] = summary(
                time_call(lambda m=method: build_table(example, plan, interval=m))
            )
        synthetic_plan, path = synthetic_results(folder)
        observations = read_results(path)
        figures["read_2400_values"] = summary(time_call(lambda: read_results(path)))
        for method in Interval:
            figures[f"table_2400_values_{method.value}"] = summary(
                time_call(lambda m=method: build_table(observations, synthetic_plan, interval=m), 3)
            )
    for name, value in figures.items():
        print(f"{name}: {value}")
    print(f"wrote {write_results('results_speed', figures)}")


if __name__ == "__main__":
    main()
