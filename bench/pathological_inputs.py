"""Adversarial paper texts (~1 MB): long runs of one character, unclosed LaTeX groups and
environments, deep nesting. Each is loaded, planned (analysis included) and digested offline in
a child process with a time limit, so catastrophic regex backtracking or quadratic scans show up
as a time, not as a hung benchmark.

Run: ``.venv/bin/python bench/pathological_inputs.py [SIZE_BYTES] [NAME_FILTER]``; prints figures
and writes bench/results/pathological_inputs.json (only for the full default set). Target: every
stage under 2 s on a ~1 MB input.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import write_results  # noqa: E402

SIZE = 1_000_000
LIMIT_S = 60
_MD_HEAD = "# Paper\n\n## Abstract\n\nWe propose FooNet.\n\n## 1 Method\n\n"
_MD_TAIL = "\n\n## 2 Experiments\n\nResults.\n"
_TEX_HEAD = "\\documentclass{article}\n\\begin{document}\n\\section{Method}\n"
_TEX_TAIL = "\n\\end{document}\n"


def _repeat(unit: str, size: int) -> str:
    return unit * max(1, size // len(unit))


def cases(size: int) -> dict[str, str]:
    """File name -> content of every adversarial input."""
    markdown = {
        "spaces": "x" + " " * size + "y",
        "tabs": "x" + "\t" * size + "y",
        "letters": "a" * size,
        "digits": "1" * size,
        "greek": "α" * (size // 2),
        "greek-words": _repeat("αβγ ", size),
        "greek-values": _repeat("λ = 0.1, ", size),
        "open-parens": "(" * size,
        "nested-parens": "(" * (size // 2) + ")" * (size // 2),
        "open-brackets": "[" * size,
        "backslashes": "\\" * size,
        "dollars": "$" * size,
        "underscores": _repeat("a_", size),
        "bold-markers": _repeat("**a ", size),
        "hashes": "#" * size,
        "pipes": _repeat("| a | b |\n", size),
        "without": _repeat("without the ", size),
        "w/o": _repeat("w/o ", size),
        "numbers": _repeat("1.5 ", size),
        "headings-10k": "".join(f"## {i} Heading {i}\n\ntext\n\n" for i in range(10_000)),
        "50k-char-lines": "\n\n".join("word " * 10_000 for _ in range(20)),
    }
    latex = {
        "spaces": "x" + " " * size + "y",
        "backslashes": "\\" * size,
        "open-braces": "{" * size,
        "dollars": "$" * size,
        "dollar-pairs": _repeat("$x$ ", size),
        "unclosed-comment-env": _repeat("\\begin{comment}", size),
        "unclosed-iffalse": _repeat("\\iffalse ", size),
        "unclosed-abstract": _repeat("\\begin{abstract}", size),
        "unclosed-section": _repeat("\\section{", size),
        "unclosed-newcommand": _repeat("\\newcommand{\\x}{", size),
        "unclosed-def": _repeat("\\def\\x{", size),
        "unclosed-tabular": _repeat("\\begin{tabular}{", size),
        "unclosed-table": _repeat("\\begin{table}", size),
        "percent-escapes": _repeat("\\%", size),
        "bare-inputs": _repeat("\\input ", size),
    }
    files = {f"{name}.md": _MD_HEAD + body + _MD_TAIL for name, body in markdown.items()}
    files["spaces.txt"] = "Title\n\n1 Introduction\n\nx" + " " * size + "y\n"
    files.update({f"{name}.tex": _TEX_HEAD + body + _TEX_TAIL for name, body in latex.items()})
    return files


_STAGES = """
import json, sys, time
from ablab.errors import AblabError
from ablab.papers import load_paper
from ablab.api import plan_paper
from ablab.digest import write_digest
from ablab.schema import Mode
times = {}
def stage(name, func):
    start = time.perf_counter()
    try:
        result = func()
    except AblabError as exc:
        result = None
        times[name + "_error"] = str(exc)[:80]
    times[name] = round(time.perf_counter() - start, 3)
    print(json.dumps(times), flush=True)
    return result
paper = stage("load_s", lambda: load_paper(sys.argv[1]))
if paper is not None:
    stage("plan_s", lambda: plan_paper(paper, mode=Mode.REVIEWER))
    stage("digest_s", lambda: write_digest(paper))
"""


def measure(path: Path) -> dict[str, object]:
    """Stage times of one input (a stage over the limit is reported as such)."""
    try:
        done = subprocess.run(
            [sys.executable, "-c", _STAGES, str(path)],
            capture_output=True,
            text=True,
            timeout=LIMIT_S,
        )
        lines = done.stdout.strip().splitlines()
        figures: dict[str, object] = json.loads(lines[-1]) if lines else {}
        if done.returncode != 0:
            figures["crash"] = done.stderr.strip().splitlines()[-1][:120]
    except subprocess.TimeoutExpired as exc:
        partial = (exc.stdout or b"").decode().strip().splitlines()
        figures = json.loads(partial[-1]) if partial else {}
        figures["timeout"] = f"a stage took over {LIMIT_S} s"
    return figures


def main() -> None:
    size = int(sys.argv[1]) if len(sys.argv) > 1 else SIZE
    wanted = sys.argv[2] if len(sys.argv) > 2 else ""
    results: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in cases(size).items():
            if wanted not in name:
                continue
            path = Path(tmp) / name.replace("/", "-")
            path.write_text(text, encoding="utf-8")
            results[name] = figures = measure(path)
            slow = [k for k, v in figures.items() if isinstance(v, float) and v > 2.0]
            flag = "  SLOW: " + ", ".join(slow) if slow or "timeout" in figures else ""
            print(f"{name:28s} {json.dumps(figures)}{flag}", flush=True)
    if size == SIZE and not wanted:
        print(write_results("pathological_inputs", {"size_bytes": size, "inputs": results}))


if __name__ == "__main__":
    main()
