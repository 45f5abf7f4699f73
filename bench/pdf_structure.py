"""Structure and speed of PDF reading on real papers: the development PDFs of the PDF reader.

Run: ``.venv/bin/python bench/pdf_structure.py [--mirror /work/.mirror] [--pdfs DIR]``.
The PDFs listed in ``bench/structure_dev_pdfs.jsonl`` are copied out of local snapshots of their
public repositories (``<mirror>/owner+name/repo``, as the project's fetch tool leaves them) into
``--pdfs`` (a temporary folder by default); nothing of them is committed. These papers are for
developing the reader only: they are not in the evaluation corpus (``bench/corpus``).

Per paper it prints pages, load time (median of 3, one core), sections found, tables, the
warnings, and whether author mode leaks results: text from right after the paper's first
experiments heading (``experiments_heading`` in the list, located in PDFium's raw page text)
showing up in the author view. Figures go to bench/results/pdf_structure.json.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import pin_one_core, summary, time_call, write_results  # noqa: E402

from ablab.papers import author_view, load_paper  # noqa: E402

HERE = Path(__file__).resolve().parent
LIST = HERE / "structure_dev_pdfs.jsonl"
_PROBE_WORDS = 8
_PROBES = 12


def _entries() -> list[dict[str, Any]]:
    return [json.loads(line) for line in LIST.read_text("utf-8").splitlines() if line.strip()]


def _materialise(entry: dict[str, Any], mirror: Path, folder: Path) -> Path:
    target = folder / f"{entry['id']}.pdf"
    if not target.exists():
        git_dir = mirror / entry["repo"].replace("/", "+") / "repo"
        spec = f"{entry['commit']}:{entry['path']}"
        data = subprocess.run(
            ["git", "--git-dir", str(git_dir), "show", spec], check=True, capture_output=True
        ).stdout
        target.write_bytes(data)
    return target


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _raw_text(path: Path) -> str:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(path)
    try:
        return "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    finally:
        document.close()


def leaks_results(path: Path, heading: str, view_text: str) -> bool | None:
    """Whether text just after the experiments heading appears in the author view (None: the
    heading was not found in the raw text)."""
    raw = _raw_text(path)
    pattern = r"(?:^|\n)[ \t]*" + r"\s+".join(re.escape(word) for word in heading.split())
    match = re.search(pattern, raw, re.IGNORECASE)
    if match is None:
        return None
    after = _words(raw[match.end() : match.end() + 6000])
    view = " ".join(_words(view_text))
    step = max(1, (len(after) - _PROBE_WORDS) // _PROBES)
    probes = [after[i : i + _PROBE_WORDS] for i in range(0, len(after) - _PROBE_WORDS, step)]
    return any(" ".join(probe) in view for probe in probes)


def measure(entry: dict[str, Any], path: Path) -> dict[str, Any]:
    """Figures for one PDF."""
    paper = load_paper(path)
    times = time_call(lambda: load_paper(path), repeat=3)
    cpu = []  # CPU seconds: other processes on a shared machine inflate wall time, not these
    for _ in range(3):
        start = time.process_time()
        load_paper(path)
        cpu.append(time.process_time() - start)
    view = author_view(paper)
    sections = list(paper.walk())
    return {
        "template": entry["template"],
        "pages": int(paper.metadata.get("pages", "0")),
        "load_ms": summary(times),
        "load_cpu_ms": summary(cpu),
        "sections": len(sections),
        "top_level": [s.title for s in paper.sections],
        "tables": sum(len(s.tables) for s in sections),
        "warnings": paper.warnings,
        "author_sections": [s.title for s in view.walk()],
        "author_leaks": leaks_results(path, entry["experiments_heading"], view.full_text()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mirror", type=Path, default=Path("/work/.mirror"))
    parser.add_argument("--pdfs", type=Path, default=None, help="where to copy the PDFs")
    parser.add_argument("--only", nargs="*", default=None)
    args = parser.parse_args()
    pin_one_core()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.pdfs or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        figures: dict[str, Any] = {}
        for entry in _entries():
            if args.only and entry["id"] not in args.only:
                continue
            path = _materialise(entry, args.mirror, folder)
            result = measure(entry, path)
            figures[entry["id"]] = result
            wall, cpu = result["load_ms"]["median_ms"], result["load_cpu_ms"]["median_ms"]
            print(
                f"{entry['id']:24s} {result['pages']:3d} p  load {wall:6.0f} ms"
                f" (cpu {cpu:6.0f} ms)  sections {result['sections']:3d}"
                f"  tables {result['tables']:2d}  author leaks {result['author_leaks']}"
            )
            for warning in result["warnings"]:
                print(f"{'':26s}warning: {warning}")
    print(f"written to {write_results('pdf_structure', figures)}")


if __name__ == "__main__":
    main()
