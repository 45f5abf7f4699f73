"""Test PDFs in the layouts of common paper templates, built with fpdf2 at test time.

Every sentence here is written for the tests. Each builder returns the path it wrote; the
sentences the tests look for are module constants.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

PROSE = (
    "The encoder maps every input sequence to a sequence of hidden states that the decoder "
    "reads with attention, and both parts are trained jointly with the same optimiser. "
)
METHOD_SENTENCE = "Our gated memory stores one slot per token and forgets old slots."
EXPERIMENT_SENTENCE = "On the held-out split the gated memory reaches the best accuracy."
ABLATION_SENTENCE = "Removing the forgetting gate lowers accuracy by four points."
EQUATION = "L = - log ( exp(s+) / SUM exp(s) )      (1)"
TABLE_ROWS = (("Ours", "91.2", "0.31"), ("w/o gate", "88.4", "0.35"), ("Baseline", "85.0", "0.42"))


class _Doc(FPDF):
    """A page with a running header and a page number, as conference templates have."""

    def header(self) -> None:
        self.set_font("Helvetica", size=8)
        self.set_y(8)
        self.cell(0, 5, "Workshop preprint, do not distribute", align="C")
        self.set_y(20)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("Helvetica", size=8)
        self.cell(0, 10, str(self.page_no()), align="C")


def _new(*, margin: float = 20) -> _Doc:
    pdf = _Doc(format="A4")
    pdf.set_auto_page_break(True, margin=margin)
    pdf.add_page()
    return pdf


def _para(
    pdf: FPDF, text: str, *, size: float = 10, style: str = "", width: float = 0, x: float = -1
) -> None:
    pdf.set_font("Helvetica", style, size)
    if x >= 0:
        pdf.set_x(x)
    pdf.multi_cell(width, 5, text, new_x="LEFT" if x >= 0 else "LMARGIN", new_y="NEXT")
    pdf.ln(2)


def _heading(pdf: FPDF, text: str, *, size: float = 12, style: str = "B", x: float = -1) -> None:
    pdf.ln(2)
    _para(pdf, text, size=size, style=style, x=x)


def build_caps_pdf(path: Path) -> Path:
    """ICLR-like: upper-case numbered headings in the body font and size, not bold."""
    pdf = _new()
    _para(pdf, "GATED MEMORY FOR LONG SEQUENCES", size=16)
    _para(pdf, "Anonymous authors")
    _heading(pdf, "ABSTRACT", size=10, style="")
    _para(pdf, "We propose a gated memory for sequence models. " + PROSE)
    _heading(pdf, "1 INTRODUCTION", size=10, style="")
    _para(pdf, PROSE * 4)
    _heading(pdf, "2 METHOD", size=10, style="")
    _para(pdf, METHOD_SENTENCE + " " + PROSE * 2)
    _heading(pdf, "2.1 GATING FUNCTION", size=10, style="")
    _para(pdf, PROSE * 3)
    _heading(pdf, "3 EXPERIMENTS", size=10, style="")
    _para(pdf, EXPERIMENT_SENTENCE + " " + PROSE * 2)
    _heading(pdf, "4 CONCLUSION", size=10, style="")
    _para(pdf, PROSE)
    _heading(pdf, "REFERENCES", size=10, style="")
    _para(pdf, "A. Author. A study of memories. 2020.")
    _heading(pdf, "A PROOF OF THE BOUND", size=10, style="")
    _para(pdf, PROSE)
    pdf.output(str(path))
    return path


def build_run_in_pdf(path: Path) -> Path:
    """Bold numbered sections whose parts start with run-in bold paragraph heads."""
    pdf = _new()
    _para(pdf, "Gated Memory for Long Sequences", size=17, style="B")
    _heading(pdf, "Abstract")
    _para(pdf, "We propose a gated memory for sequence models. " + PROSE)
    _heading(pdf, "1 Introduction")
    _para(pdf, PROSE * 3)
    _heading(pdf, "2 Method")
    _para(pdf, METHOD_SENTENCE + " " + PROSE)
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(0, 5, "**Memory update.** Each slot is written once. " + PROSE, markdown=True)
    pdf.ln(2)
    pdf.multi_cell(0, 5, "**Theorem 1.** The memory never overflows. " + PROSE, markdown=True)
    pdf.ln(2)
    _heading(pdf, "3 Experiments")
    _para(pdf, EXPERIMENT_SENTENCE + " " + PROSE)
    pdf.multi_cell(0, 5, "**Ablation study.** " + ABLATION_SENTENCE + " " + PROSE, markdown=True)
    pdf.ln(2)
    pdf.multi_cell(0, 5, "**Training cost:** " + PROSE, markdown=True)
    pdf.ln(2)
    _heading(pdf, "4 Conclusion")
    _para(pdf, PROSE)
    pdf.output(str(path))
    return path


def build_two_column_pdf(path: Path) -> Path:
    """Two columns; a figure with labels and legend entries, an equation and a table."""
    pdf = _new(margin=15)
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 9, "Gated Memory for Long Sequences", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    _heading(pdf, "Abstract")
    _para(pdf, "We propose a gated memory for sequence models. " + PROSE)
    top = pdf.get_y() + 2
    left, right, width = 15.0, 110.0, 85.0
    # Left column: introduction, method with a display equation.
    pdf.set_xy(left, top)
    _heading(pdf, "1 Introduction", x=left)
    _para(pdf, PROSE * 3, width=width, x=left)
    _heading(pdf, "2 Method", x=left)
    _para(pdf, METHOD_SENTENCE + " " + PROSE * 2, width=width, x=left)
    pdf.set_font("Helvetica", "", 10)
    pdf.set_x(left + 12)
    pdf.cell(width - 24, 6, EQUATION, align="C", new_x="LEFT", new_y="NEXT")
    pdf.ln(2)
    _para(pdf, "The loss above is minimised with the optimiser. " + PROSE, width=width, x=left)
    # Right column: a figure (box, labels, legend), its caption, the experiments with a table.
    pdf.set_xy(right, top + 4)
    pdf.rect(right, top + 4, width, 40)
    for dx, dy, label, style in (
        (8, 10, "Encoder", ""),
        (50, 10, "Decoder", "B"),
        (8, 28, "Breakout", "B"),
        (50, 28, "Pong", ""),
    ):
        pdf.set_font("Helvetica", style, 8)
        pdf.text(right + dx, top + 4 + dy, label)
    pdf.set_xy(right, top + 47)
    _para(
        pdf,
        "Figure 1: Overview of the gated memory between the encoder and the decoder.",
        size=9,
        width=width,
        x=right,
    )
    _heading(pdf, "3 Experiments", x=right)
    _para(pdf, EXPERIMENT_SENTENCE + " " + PROSE, width=width, x=right)
    _para(pdf, "Table 1: Accuracy and loss on the test split.", size=9, width=width, x=right)
    pdf.set_font("Helvetica", "", 9)
    for row in (("Method", "Acc", "Loss"), *TABLE_ROWS):
        pdf.set_x(right + 5)
        for cell in row:
            pdf.cell(25, 5, cell)
        pdf.ln(5)
    pdf.ln(3)
    _para(pdf, "The table shows that every part helps. " + PROSE, width=width, x=right)
    pdf.output(str(path))
    return path


def build_appendix_pdf(path: Path) -> Path:
    """Numbered sections, references, then appendices in three common spellings."""
    pdf = _new()
    _para(pdf, "Gated Memory for Long Sequences", size=17, style="B")
    _heading(pdf, "Abstract")
    _para(pdf, "We propose a gated memory for sequence models. " + PROSE)
    _heading(pdf, "1 Introduction")
    _para(pdf, PROSE * 2)
    _heading(pdf, "2 Method")
    _para(pdf, METHOD_SENTENCE + " " + PROSE)
    _heading(pdf, "3 Experiments")
    _para(pdf, EXPERIMENT_SENTENCE + " " + PROSE)
    _heading(pdf, "References")
    _para(pdf, "A. Author. A study of memories. 2020.")
    _heading(pdf, "Appendix")
    _para(pdf, "The appendix gives proofs and settings. " + PROSE)
    _heading(pdf, "A Proofs of the Bounds")
    _para(pdf, PROSE)
    _heading(pdf, "A.1 Lemma on Slots", size=10)
    _para(pdf, PROSE)
    _heading(pdf, "B Hyperparameters")
    _para(pdf, PROSE)
    _heading(pdf, "Appendix C: Further Results")
    _para(pdf, PROSE)
    pdf.output(str(path))
    return path


def build_unstyled_pdf(path: Path) -> Path:
    """Long paper whose numbered headings are set in the body font (no bold, no size)."""
    pdf = _new()
    _para(pdf, "Gated Memory for Long Sequences", size=17, style="B")
    _para(pdf, "Abstract: We propose a gated memory for sequence models. " + PROSE)
    for number, title, lead in (
        ("1", "Introduction", ""),
        ("2", "Method", METHOD_SENTENCE),
        ("3", "Experiments", EXPERIMENT_SENTENCE),
        ("4", "Conclusion", ""),
    ):
        _para(pdf, f"{number} {title}")
        for _ in range(4):
            _para(pdf, (lead + " " + PROSE * 4).strip())
            lead = ""
    pdf.output(str(path))
    return path


UNIT_FONT_TITLE = "Scaled Glyphs for Sequence Labelling"


def build_unit_font_pdf(path: Path, *, wrapped: bool = False) -> Path:
    """A one-page paper written as some producers (Acrobat Distiller) write text: every font set
    at size 1 and scaled by the text matrix (``/F1 1 Tf 14 0 0 14 x y Tm``). Hand-written, since
    fpdf2 always sets the real size in ``Tf``.

    With ``wrapped`` the page is drawn as one form XObject as narrow as the text block (as
    arXiv's stamping leaves pages), with a stamp beside it.
    """
    lines: list[tuple[str, float, float]] = [(UNIT_FONT_TITLE, 16, 760)]  # text, size, y
    y = 720.0
    for heading, body in (
        ("Abstract", PROSE),
        ("1 Introduction", PROSE * 3),
        ("2 Method", METHOD_SENTENCE + " " + PROSE * 3),
        ("3 Experiments", EXPERIMENT_SENTENCE + " " + PROSE * (9 if wrapped else 2)),
    ):
        lines.append((heading, 12, y))
        y -= 18
        words, row = body.split(), ""
        for word in words:
            if len(row) + len(word) > (70 if wrapped else 90):  # a narrow text block
                lines.append((row, 10, y))
                row, y = "", y - 12
            row = f"{row} {word}".strip()
        lines.append((row, 10, y))
        y -= 22
    content = "".join(
        f"BT /F{2 if size == 12 else 1} 1 Tf {size} 0 0 {size} 72 {ypos} Tm ({text}) Tj ET\n"
        for text, size, ypos in lines
    ).encode("latin-1")
    fonts = b"/Font << /F1 5 0 R /F2 6 0 R >>"
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        page + b"/Resources << " + fonts + b" >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"endstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold >>",
    ]
    if wrapped:
        stamp = b"q /Fm1 Do Q\nBT /F1 1 Tf 8 0 0 8 20 400 Tm (arXiv:2401.00001v1) Tj ET\n"
        objects[2] = page + b"/Resources << " + fonts + b" /XObject << /Fm1 7 0 R >> >> >>"
        objects[3] = b"<< /Length %d >>\nstream\n" % len(stamp) + stamp + b"endstream"
        objects.append(
            b"<< /Type /XObject /Subtype /Form /BBox [70 30 470 800] /Resources << "
            + fonts
            + b" >> /Length %d >>\nstream\n" % len(content)
            + content
            + b"endstream"
        )
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    path.write_bytes(bytes(out))
    return path


def build_all_bold_pdf(path: Path) -> Path:
    """Every line set in a bold font, headings and prose alike (some producers report the body
    font as bold): paragraphs of several lines after numbered headings."""
    pdf = _new()
    _para(pdf, "Bold Print Everywhere", size=16, style="B")
    _heading(pdf, "Abstract", size=10)
    _para(pdf, PROSE, style="B")
    for number, title, first in (
        ("1", "Introduction", PROSE),
        ("2", "Method", METHOD_SENTENCE + " " + PROSE),
        ("2.1", "Gated Memory", PROSE),
        ("3", "Experiments", EXPERIMENT_SENTENCE + " " + PROSE),
    ):
        _heading(pdf, f"{number} {title}", size=10)
        for _ in range(2):  # a narrow column: first lines of about ten words, as in LNCS
            _para(pdf, first + PROSE * 2, style="B", width=95)
    pdf.output(str(path))
    return path
