"""Write tide-results.csv: made-up results for the README's worked example.

TIDE (tide.md) is a fictional paper, so these numbers are invented too: seeded random draws
around chosen means, in the long format ``ablab table`` reads. The labels are those ``ablab
export --to hydra`` gives the runs (``++ablation=<slug>``, and the swept config value as the
variant). One variant has a single seed, so the table shows its warning.

Run: python examples/make_tide_results.py
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

SEEDS = 3
# (ablation label, variant, mean top-1, mean k-NN, seeds)
RUNS = [
    ("full", "", 76.1, 72.4, SEEDS),
    ("remove-the-cross-view-consistency-module", "", 73.3, 68.0, SEEDS),
    ("remove-the-elastic-view-scheduler", "", 75.3, 71.6, SEEDS),
    ("vary-the-teacher-temperature-t", "0.004", 72.8, 68.9, SEEDS),
    ("vary-the-teacher-temperature-t", "0.02", 75.8, 72.1, SEEDS),
    ("vary-the-teacher-temperature-t", "0.08", 76.0, 72.2, SEEDS),
    ("vary-the-teacher-temperature-t", "0.4", 70.9, 66.2, SEEDS),
    ("remove-the-adaptive-prototype-memory", "", 74.6, 70.8, SEEDS),
    ("vary-the-student-temperature", "0.007", 71.9, 67.7, SEEDS),
    ("vary-the-student-temperature", "0.035", 75.7, 72.0, SEEDS),
    ("vary-the-student-temperature", "0.14", 75.2, 71.4, SEEDS),
    ("vary-the-student-temperature", "0.7", 73.1, 69.6, 1),
]
SPREAD = 0.25
"""Standard deviation of the seed-to-seed noise, in accuracy points."""


def main(path: Path | None = None) -> Path:
    """Write the file (beside this script by default) and return its path."""
    rng = random.Random(2026)
    path = path or Path(__file__).with_name("tide-results.csv")
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["ablation", "variant", "seed", "metric", "value"])
        for ablation, variant, top1, knn, seeds in RUNS:
            for seed in range(seeds):
                for metric, mean in (("top-1 accuracy", top1), ("k-NN accuracy", knn)):
                    value = round(rng.gauss(mean, SPREAD), 2)
                    writer.writerow([ablation, variant, seed, metric, value])
    return path


if __name__ == "__main__":
    main()
