"""LaTeX source archives: same Paper as the folder; traversal, links and bombs refused."""

from __future__ import annotations

import io
import stat
import tarfile
import zipfile
from pathlib import Path

import pytest

from ablab.errors import PaperError
from ablab.papers import load_paper
from ablab.papers.project import open_archive

MAIN = (
    b"\\documentclass{article}\\title{Packed}"
    b"\\begin{document}\\section{Method}\\input{body}\\end{document}"
)


def _tar(
    path: Path, members: list[tuple[tarfile.TarInfo, bytes | None]], mode: str = "w:gz"
) -> Path:
    with tarfile.open(path, mode) as archive:
        for info, data in members:
            if data is not None:
                info.size = len(data)
            archive.addfile(info, io.BytesIO(data) if data is not None else None)
    return path


def _file(name: str, data: bytes) -> tuple[tarfile.TarInfo, bytes]:
    return tarfile.TarInfo(name), data


def _link(name: str, target: str, kind: bytes) -> tuple[tarfile.TarInfo, None]:
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, target
    return info, None


def test_tar_gz_and_zip_match_the_folder(fixtures: Path, tmp_path: Path) -> None:
    folder = load_paper(fixtures / "latex_project")
    tgz = tmp_path / "latex-project.tar.gz"
    with tarfile.open(tgz, "w:gz") as archive:
        archive.add(fixtures / "latex_project", arcname=".")
    zipped = tmp_path / "latex-project.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        for path in sorted((fixtures / "latex_project").rglob("*")):
            archive.write(path, path.relative_to(fixtures / "latex_project").as_posix())
    for source in (tgz, zipped):
        paper = load_paper(source)
        assert paper.id == "latex-project"
        assert paper.title == folder.title
        assert paper.abstract == folder.abstract
        assert paper.sections == folder.sections
        assert paper.content_hash == folder.content_hash  # same files read, same hash


def test_plain_tar_and_tgz_suffix(tmp_path: Path) -> None:
    members = [_file("main.tex", MAIN), _file("body.tex", b"Packed body.")]
    for name, mode in (("p.tar", "w"), ("p.tgz", "w:gz")):
        paper = load_paper(_tar(tmp_path / name, members, mode))
        assert paper.title == "Packed"
        assert paper.sections[0].text == "Packed body."


@pytest.mark.parametrize(
    ("member", "message"),
    [
        (_file("../evil.tex", b"x"), "unsafe archive member '../evil.tex'"),
        (_file("sub/../../evil.tex", b"x"), "unsafe archive member"),
        (_file("/etc/evil.tex", b"x"), "unsafe archive member '/etc/evil.tex'"),
        (_link("body.tex", "/etc/passwd", tarfile.SYMTYPE), "is a link"),
        (_link("body.tex", "main.tex", tarfile.LNKTYPE), "is a link"),
        (_link("fifo", "", tarfile.FIFOTYPE), "device or FIFO"),
        (_link("dev", "", tarfile.CHRTYPE), "device or FIFO"),
    ],
)
def test_unsafe_tar_members_are_refused(
    tmp_path: Path, member: tuple[tarfile.TarInfo, bytes | None], message: str
) -> None:
    path = _tar(tmp_path / "bad.tar.gz", [_file("main.tex", MAIN), member])
    with pytest.raises(PaperError, match=message):
        load_paper(path)


def _zip(path: Path, entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for info, data in entries:
            archive.writestr(info, data)
    return path


def test_unsafe_zip_members_are_refused(tmp_path: Path) -> None:
    with pytest.raises(PaperError, match="unsafe archive member '../x.tex'"):
        load_paper(_zip(tmp_path / "a.zip", [("main.tex", MAIN), ("../x.tex", b"x")]))
    with pytest.raises(PaperError, match="unsafe archive member '/x.tex'"):
        load_paper(_zip(tmp_path / "b.zip", [("main.tex", MAIN), ("/x.tex", b"x")]))
    link = zipfile.ZipInfo("body.tex")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    with pytest.raises(PaperError, match="is a symlink"):
        load_paper(_zip(tmp_path / "c.zip", [("main.tex", MAIN), (link, b"/etc/passwd")]))


def test_zip_bomb_is_stopped(tmp_path: Path) -> None:
    bomb = _zip(tmp_path / "bomb.zip", [("main.tex", MAIN), ("body.tex", b"a" * 5_000_000)])
    assert bomb.stat().st_size < 50_000
    with pytest.raises(PaperError, match="unpacks to more than"):
        load_paper(bomb, max_bytes=100_000)
    # Even with a generous declared-size cap, the bytes kept are capped while streaming.
    with pytest.raises(PaperError, match="beyond the size limit"):
        open_archive(bomb, bomb.read_bytes(), max_bytes=100_000, max_unpacked_bytes=10**9)


def test_tar_bomb_and_member_count_caps(tmp_path: Path) -> None:
    big = _tar(
        tmp_path / "big.tar.gz", [_file("main.tex", MAIN), _file("pad.bin", b"\0" * 3_000_000)]
    )
    with pytest.raises(PaperError, match="unpacks to more than"):
        load_paper(big, max_bytes=100_000)
    many = _tar(tmp_path / "many.tar", [_file(f"f{i}.tex", b"x") for i in range(20)], "w")
    with pytest.raises(PaperError, match="too many members"):
        open_archive(many, many.read_bytes(), max_bytes=10**6, max_members=10)
    zipped = _zip(tmp_path / "many.zip", [(f"f{i}.tex", b"x") for i in range(20)])
    with pytest.raises(PaperError, match="too many members"):
        open_archive(zipped, zipped.read_bytes(), max_bytes=10**6, max_members=10)


def test_corrupt_archives(tmp_path: Path) -> None:
    good = _tar(tmp_path / "p.tar.gz", [_file("main.tex", MAIN), _file("body.tex", b"b")])
    truncated = tmp_path / "t.tar.gz"
    truncated.write_bytes(good.read_bytes()[:60])
    with pytest.raises(PaperError, match="not a readable tar archive"):
        load_paper(truncated)
    broken_zip = tmp_path / "z.zip"
    broken_zip.write_bytes(b"PK\x03\x04" + b"garbage" * 10)
    with pytest.raises(PaperError, match="not a readable zip archive"):
        load_paper(broken_zip)


def test_archive_without_tex(tmp_path: Path) -> None:
    path = _zip(tmp_path / "figs.zip", [("fig.png", b"\x89PNG")])
    with pytest.raises(PaperError, match="no .tex file"):
        load_paper(path)


def test_gzipped_single_tex_file(tmp_path: Path) -> None:
    import gzip

    path = tmp_path / "2401.00001.gz"
    path.write_bytes(gzip.compress(MAIN.replace(b"\\input{body}", b"One-file source.")))
    paper = load_paper(path)
    assert paper.id == "2401.00001"
    assert paper.title == "Packed"
    assert paper.sections[0].text == "One-file source."
    bomb = tmp_path / "bomb.gz"
    bomb.write_bytes(gzip.compress(MAIN + b" " * 2_000_000))
    with pytest.raises(PaperError, match="beyond the size limit"):
        load_paper(bomb, max_bytes=100_000)
