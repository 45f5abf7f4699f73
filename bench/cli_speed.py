"""How fast ``ablab --version`` and ``ablab --help`` answer, next to ``python -m pip --version``.

Each command runs in a fresh interpreter (as a user types it) ``--repeat`` times; the median wall
time is printed. ``--before SRC`` also times another checkout's ``src`` (for instance the main
branch before lazy imports) with the same interpreter, side by side.

    .venv/bin/python bench/cli_speed.py --before /work/main/src
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import REPO, write_results  # noqa: E402

ENTRY = "from ablab.cli.app import main; main()"


def _median_s(argv: list[str], repeat: int, src: Path | None = None) -> float:
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    times = []
    for _ in range(repeat + 1):  # the first run warms the disk cache and is not counted
        start = time.perf_counter()
        subprocess.run(argv, env=env, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times[1:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--before", type=Path, help="src folder of the version to compare with")
    args = parser.parse_args()
    python = sys.executable
    figures: dict[str, float] = {
        "pip --version": _median_s([python, "-m", "pip", "--version"], args.repeat)
    }
    versions = {"after": REPO / "src", **({"before": args.before} if args.before else {})}
    for label, src in versions.items():
        for flag in ("--version", "--help"):
            figures[f"ablab {flag} ({label})"] = _median_s(
                [python, "-c", ENTRY, flag], args.repeat, src
            )
    for name, seconds in figures.items():
        print(f"{name:32s} {seconds:6.3f} s")
    write_results("cli_speed", {"repeat": args.repeat, "median_s": figures})


if __name__ == "__main__":
    main()
