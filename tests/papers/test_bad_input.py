"""Bad input: every case raises PaperError with a one-line message, nothing is half-read."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ablab.errors import PaperError
from ablab.papers import load_paper


def _one_line_error(path: Path, match: str, **options: int) -> PaperError:
    with pytest.raises(PaperError, match=match) as caught:
        load_paper(path, **options)
    assert "\n" not in str(caught.value)
    return caught.value


def test_missing_file(tmp_path: Path) -> None:
    _one_line_error(tmp_path / "nope.md", "no such file")


@pytest.mark.parametrize("suffix", [".md", ".txt", ".tex", ".pdf"])
def test_empty_file(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"empty{suffix}"
    path.write_bytes(b"")
    _one_line_error(path, "empty")


@pytest.mark.parametrize("suffix", [".md", ".txt", ""])
def test_whitespace_only(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"blank{suffix}"
    path.write_text("  \n\t\n   \n")
    _one_line_error(path, "only whitespace")


def test_binary_files(tmp_path: Path) -> None:
    nul = tmp_path / "image.md"
    nul.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    _one_line_error(nul, "binary")
    garbage = tmp_path / "garbage.txt"
    garbage.write_bytes(bytes((i * 37 + 11) % 31 + 1 for i in range(4000)))  # control bytes
    _one_line_error(garbage, "binary")


def test_latin1_paper_is_read_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "legacy.md"
    path.write_bytes(
        "# Réseaux à mémoire\n\n## 1 Méthode\n\nLa température τ est fixée.\n".encode(
            "cp1252", "replace"
        )
    )
    paper = load_paper(path)
    assert paper.title == "Réseaux à mémoire"
    assert paper.sections[0].title == "Méthode"
    assert any("not valid UTF-8" in w for w in paper.warnings)


def test_file_over_max_bytes(tmp_path: Path) -> None:
    path = tmp_path / "paper.md"
    path.write_text("# Title\n\n" + "word " * 1000)
    error = _one_line_error(path, "too large", max_bytes=1000)
    assert "1,000" in str(error)
    assert load_paper(path).title == "Title"  # fine under the default limit


def test_sparse_200mb_file_refused_without_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.pdf"
    subprocess.run(["truncate", "-s", "200M", str(path)], check=True)
    assert path.stat().st_size == 200 * 1024 * 1024
    assert os.stat(path).st_blocks < 100  # sparse: nothing was written, nothing gets read
    _one_line_error(path, "too large")


def test_directory_without_tex(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("# x\n")
    _one_line_error(tmp_path, "no .tex file")


def test_truncated_pdf_message_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "cut.pdf"
    path.write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog")
    _one_line_error(path, "truncated")


def test_terminal_control_characters_are_dropped(tmp_path: Path) -> None:
    # Paper text reaches the terminal (tables, Markdown, digests): an escape sequence in it could
    # set the window title or write the clipboard (OSC 52), so control characters never get in.
    padding = " The encoder maps images to features." * 40  # under the binary-file threshold
    path = tmp_path / "esc.md"
    path.write_text(
        "# Title \x1b]0;PWNED\x07 \x1b[31mRED\x9b0m\x08\x7f\n\n## 1 Method\n\n"
        f"We use a gate\x1b]52;c;ZXZpbA==\x07.\tTabs and\fbreaks stay.{padding}\n"
    )
    paper = load_paper(path)
    assert paper.title == "Title ]0;PWNED [31mRED0m"
    text = paper.sections[0].text
    assert text.startswith("We use a gate]52;c;ZXZpbA==.\tTabs")
    assert not any(ord(ch) < 32 and ch not in "\t\n\f" for ch in paper.title + text)
    assert not any(0x7F <= ord(ch) <= 0x9F for ch in paper.title + text)


def test_a_fifo_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "paper.md"
    os.mkfifo(fifo)
    with pytest.raises(PaperError, match="not a regular file"):
        load_paper(fifo)


def test_a_utf16_paper_is_read_as_text(tmp_path: Path) -> None:
    text = "# Gated memory\n\n## Method\n\nA gate decides what the memory keeps.\n"
    for encoding, name in (("utf-16", "bom.md"), ("utf-16-le", "plain.md")):
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        paper = load_paper(path)
        assert paper.title == "Gated memory"
        assert any("UTF-16" in warning for warning in paper.warnings)


def test_an_include_fan_out_is_bounded(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "main.tex").write_text(
        "\\documentclass{article}\n\\begin{document}\n\\section{Method}\nText.\n"
        "\\input{f00}\n\\end{document}\n"
    )
    for n in range(31):  # each file includes the next twice: 2**31 splices unbounded
        (project / f"f{n:02d}.tex").write_text(
            f"Part {n}.\n\\input{{f{n + 1:02d}}}\\input{{f{n + 1:02d}}}\n"
        )
    (project / "f31.tex").write_text("End.\n")
    code = (
        "from ablab.errors import PaperError\nfrom ablab.papers import load_paper\n"
        f"try:\n    load_paper({str(project)!r})\nexcept PaperError as exc:\n    print(exc)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "more than 2,000 included files" in done.stdout  # refused, in seconds
