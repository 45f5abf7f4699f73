"""Build small test PDFs with fpdf2 at test time (no binary fixtures in the repository)."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF
from fpdf.enums import EncryptionMethod

FILLER = (
    "The student network is trained with the teacher's features as targets, and the results "
    "are reported on the validation split after one hundred epochs of training. "
)


TITLE = "Contrastive Distillation with Feature Alignment"


class _Paper(FPDF):
    running_header = "Preprint. Under review at a conference."
    running_title = False

    def header(self) -> None:
        self.set_font("Helvetica", size=8)
        self.cell(0, 5, self.running_header, align="C", new_x="LMARGIN", new_y="NEXT")
        if self.running_title and self.page_no() > 1:
            self.cell(0, 5, TITLE, align="C", new_x="LMARGIN", new_y="NEXT")
        self.ln(4)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("Helvetica", size=8)
        self.cell(0, 10, str(self.page_no()), align="C")


def _write(pdf: FPDF, text: str, *, size: float = 10, style: str = "", height: float = 5) -> None:
    pdf.set_font("Helvetica", style, size)
    pdf.multi_cell(0, height, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def build_paper_pdf(
    path: Path, *, running_title: bool = False, user_password: str | None = None
) -> Path:
    """A two-page paper: big bold title, bold numbered headings, a hyphenated line break.

    With ``running_title`` the title is one line on page 1 and repeats in small print at the top
    of the other pages, as in conference templates. With ``user_password`` the PDF is encrypted
    (RC4) with that user password ("" = opens without one, only editing restricted).
    """
    pdf = _Paper(format="A4")
    if user_password is not None:
        pdf.set_encryption(
            owner_password="owner",
            user_password=user_password,
            encryption_method=EncryptionMethod.RC4,
        )
    pdf.running_title = running_title
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    title = TITLE if running_title else TITLE.replace(" with ", " with\n")
    _write(pdf, title, size=18, style="B", height=9)
    _write(pdf, "Ada Lovelace and Alan Turing")
    _write(pdf, "Abstract", size=12, style="B", height=6)
    _write(
        pdf,
        "We propose a contrastive distillation method that learns repre-\n"
        "sentations with a feature alignment module and improves accuracy.",
    )
    _write(pdf, "1 Introduction", size=12, style="B", height=6)
    _write(pdf, "Knowledge distillation is widely used. " + FILLER * 3)
    _write(pdf, "2 Method", size=12, style="B", height=6)
    _write(pdf, "Our method has two parts. " + FILLER * 2)
    _write(pdf, "2.1 Loss Functions", size=10, style="B")
    _write(pdf, "We use the InfoNCE loss with temperature 0.07 and self-\nsupervised pretraining.")
    _write(pdf, "It is a state-of-the-\nart loss.")
    _write(pdf, "2.2 Feature Alignment Module", size=10, style="B")
    _write(pdf, FILLER * 8)
    pdf.add_page()
    _write(pdf, "3 Experiments", size=12, style="B", height=6)
    _write(pdf, "We train on ImageNet. " + FILLER * 3)
    _write(pdf, "3.1 Ablation Study", size=10, style="B")
    _write(pdf, "Removing the module lowers accuracy. " + FILLER)
    _write(pdf, "4 Conclusion", size=12, style="B", height=6)
    _write(pdf, "The method works.")
    _write(pdf, "References", size=12, style="B", height=6)
    _write(pdf, "[1] G. Hinton. Distilling the knowledge in a neural network. 2015.")
    _write(pdf, "A Proofs", size=12, style="B", height=6)
    _write(pdf, "Proof details.")
    pdf.output(str(path))
    return path


def build_blank_pdf(path: Path, *, pages: int = 2) -> Path:
    """A PDF with drawings but no text (like a scanned document)."""
    pdf = FPDF()
    for _ in range(pages):
        pdf.add_page()
        pdf.rect(20, 20, 100, 60, style="F")
    pdf.output(str(path))
    return path
