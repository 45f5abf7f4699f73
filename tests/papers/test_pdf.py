"""PDF papers (built with fpdf2 at test time): title, headings, roles, clean-up, bad PDFs."""

from __future__ import annotations

from pathlib import Path

import pytest

from ablab.errors import PaperError
from ablab.papers import author_view, load_paper
from ablab.schema import SectionRole, SourceKind

from .pdf_builder import TITLE, build_blank_pdf, build_paper_pdf
from .pdf_templates import build_caps_pdf, build_two_column_pdf, build_unit_font_pdf


@pytest.fixture(scope="module")
def pdf_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_paper_pdf(tmp_path_factory.mktemp("pdf") / "coda-paper.pdf")


def test_title_abstract_and_sections(pdf_path: Path) -> None:
    paper = load_paper(pdf_path)
    assert paper.source_kind is SourceKind.PDF
    assert paper.title == "Contrastive Distillation with Feature Alignment"
    assert paper.abstract.startswith("We propose a contrastive distillation method")
    assert [(s.number, s.title, s.level) for s in paper.walk()] == [
        ("1", "Introduction", 1),
        ("2", "Method", 1),
        ("2.1", "Loss Functions", 2),
        ("2.2", "Feature Alignment Module", 2),
        ("3", "Experiments", 1),
        ("3.1", "Ablation Study", 2),
        ("4", "Conclusion", 1),
        (None, "References", 1),
        ("A", "Proofs", 1),
    ]
    assert paper.metadata["pages"] == "2"


def test_roles_and_author_view(pdf_path: Path) -> None:
    paper = load_paper(pdf_path)
    roles = {s.title: s.role for s in paper.walk()}
    assert roles["Method"] is SectionRole.METHOD
    assert roles["Ablation Study"] is SectionRole.ABLATIONS
    assert roles["References"] is SectionRole.REFERENCES
    assert roles["Proofs"] is SectionRole.APPENDIX
    assert [s.title for s in author_view(paper).walk()] == [
        "Introduction",
        "Method",
        "Loss Functions",
        "Feature Alignment Module",
    ]


def test_hyphenation_joined_and_compounds_kept(pdf_path: Path) -> None:
    paper = load_paper(pdf_path)
    assert "learns representations" in paper.abstract
    assert "repre-" not in paper.full_text()
    loss = paper.find_section("s2-1-loss-functions")
    assert loss is not None and "self-supervised" in loss.text
    assert "It is a state-of-the-art loss." in " ".join(loss.text.split())


def test_running_header_and_page_numbers_removed(pdf_path: Path) -> None:
    text = load_paper(pdf_path).full_text()
    assert "Preprint" not in text
    assert not [line for line in text.splitlines() if line.strip() in {"1", "2"}]


def test_running_title_removed_but_title_kept(tmp_path: Path) -> None:
    paper = load_paper(build_paper_pdf(tmp_path / "running.pdf", running_title=True))
    assert paper.title == TITLE
    assert all(TITLE not in s.text for s in paper.walk())
    assert [s.title for s in paper.sections][:3] == ["Introduction", "Method", "Experiments"]


def test_same_pdf_same_paper(pdf_path: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.pdf"
    copy.write_bytes(pdf_path.read_bytes())
    first, second = load_paper(pdf_path), load_paper(copy, paper_id=load_paper(pdf_path).id)
    assert first.model_dump(exclude={"source_path"}) == second.model_dump(exclude={"source_path"})


def test_encrypted_pdf(tmp_path: Path) -> None:
    locked = build_paper_pdf(tmp_path / "locked.pdf", user_password="pw")
    with pytest.raises(PaperError, match="encrypted"):
        load_paper(locked)
    # Encrypted with an empty user password (only editing restricted): readable.
    open_pdf = build_paper_pdf(tmp_path / "restricted.pdf", user_password="")
    assert load_paper(open_pdf).title == "Contrastive Distillation with Feature Alignment"


def test_truncated_and_corrupt_pdf(pdf_path: Path, tmp_path: Path) -> None:
    data = pdf_path.read_bytes()
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(data[: len(data) // 2])
    with pytest.raises(PaperError, match="truncated"):
        load_paper(truncated)
    corrupt = tmp_path / "corrupt.pdf"
    corrupt.write_bytes(b"%PDF-1.7\n" + b"garbage " * 200 + b"\n%%EOF\n")
    with pytest.raises(PaperError, match="corrupt"):
        load_paper(corrupt)


def test_pdf_without_text(tmp_path: Path) -> None:
    with pytest.raises(PaperError, match="no extractable text"):
        load_paper(build_blank_pdf(tmp_path / "scan.pdf"))


def test_pdf_detected_by_content(pdf_path: Path, tmp_path: Path) -> None:
    unnamed = tmp_path / "download"
    unnamed.write_bytes(pdf_path.read_bytes())
    assert load_paper(unnamed).source_kind is SourceKind.PDF


def test_pdfs_read_in_several_threads_at_once_do_not_crash(tmp_path: Path) -> None:
    # PDFium is not thread-safe: without a lock, threads reading PDFs at once (a batch's two
    # readers, two uploads to the web app) crash the interpreter. Run in a child process so
    # that a crash fails this test instead of ending the test session.
    import subprocess
    import sys
    import textwrap

    paths = [build_paper_pdf(tmp_path / "a.pdf"), build_two_column_pdf(tmp_path / "b.pdf")]
    paths += [build_unit_font_pdf(tmp_path / "c.pdf"), build_caps_pdf(tmp_path / "d.pdf")]
    script = textwrap.dedent(
        """
        import sys, threading
        from pathlib import Path
        from ablab.papers import load_paper
        paths = [Path(p) for p in sys.argv[1:]]
        failures = []
        def work(offset):
            try:
                for i in range(40):
                    load_paper(paths[(i + offset) % len(paths)])
            except Exception as exc:
                failures.append(repr(exc))
        threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        print(failures or "ok")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script, *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert (done.returncode, done.stdout.strip()) == (0, "ok"), done.stderr[-500:]
