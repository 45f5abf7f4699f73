"""Load + plan time of the same 60-page synthetic paper as Markdown, LaTeX and PDF.

Run: ``.venv/bin/python bench/load_formats.py`` (needs the dev extra for fpdf2); prints figures
and writes bench/results/load_formats.json. PDF text comes from pypdfium2; real papers are timed
by bench/pdf_structure.py.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import pin_one_core, summary, time_call, write_results  # noqa: E402
from synthetic import synthetic_paper  # noqa: E402

from ablab.api import plan_paper  # noqa: E402
from ablab.papers import load_paper  # noqa: E402
from ablab.schema import Mode  # noqa: E402

PAGES = 60


def _to_latex(markdown: str) -> str:
    lines = ["\\documentclass{article}", "\\begin{document}"]
    for line in markdown.splitlines():
        if line.startswith("# "):
            lines.insert(1, f"\\title{{{line[2:]}}}")
        elif line.startswith("### "):
            lines.append(f"\\subsection{{{line[4:].split(' ', 1)[1]}}}")
        elif line.startswith("## "):
            title = line[3:].split(" ", 1)[-1] if line[3].isdigit() else line[3:]
            lines.append(f"\\section{{{title}}}")
        elif not line.startswith("|"):
            lines.append(line.replace("%", "\\%"))
    lines.append("\\end{document}")
    return "\n".join(lines)


def _to_pdf(markdown: str, path: Path) -> int:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_auto_page_break(True, 20)
    pdf.add_page()
    for line in markdown.splitlines():
        text = re.sub(r"[^\x20-\x7e]", "x", line)  # core fonts are Latin-1 only
        if line.startswith("#"):
            size = {1: 18, 2: 13, 3: 11}.get(len(line) - len(line.lstrip("#")), 11)
            pdf.set_font("Helvetica", "B", size)
            pdf.multi_cell(0, 7, text.lstrip("# "), new_x="LMARGIN", new_y="NEXT")
        elif line.strip() and not line.startswith("|"):
            pdf.set_font("Helvetica", "", 10)
            pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return pdf.page_no()


def main() -> None:
    pin_one_core()
    markdown = synthetic_paper(PAGES)
    figures: dict[str, object] = {"words": len(markdown.split())}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        sources = {"markdown": root / "paper.md", "latex": root / "paper.tex"}
        sources["markdown"].write_text(markdown, "utf-8")
        sources["latex"].write_text(_to_latex(markdown), "utf-8")
        pdf_path = root / "paper.pdf"
        figures["pdf_pages"] = _to_pdf(markdown, pdf_path)
        sources["pdf"] = pdf_path
        print(f"{figures['words']} words, {figures['pdf_pages']} PDF pages")
        for name, path in sources.items():
            load = time_call(lambda p=path: load_paper(p), repeat=3)
            both = time_call(lambda p=path: plan_paper(load_paper(p), mode=Mode.REVIEWER), 3)
            figures[name] = {"load_ms": summary(load), "load_and_plan_ms": summary(both)}
            print(f"{name:9s} load {summary(load)}  load+plan {summary(both)}")
    print(f"written to {write_results('load_formats', figures)}")


if __name__ == "__main__":
    main()
