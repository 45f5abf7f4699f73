"""Papers from arXiv and OpenReview, served by a local server the tests start.

Archives and PDFs are built by the tests from the project's own fixtures; error answers (404,
429/503 with Retry-After, slow and truncated bodies) are scripted. Nothing reaches the internet:
the conftest guard fails any connection to a non-local address.
"""

from __future__ import annotations

import gzip
import io
import json
import tarfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ablab.errors import PaperError
from ablab.papers import ArxivRef, OpenReviewRef, load_reference, parse_reference
from ablab.papers import download as download_module
from ablab.papers.download import DownloadError, user_agent
from ablab.papers.openreview import review_requests
from ablab.papers.references import read_reference_list
from ablab.schema import SourceKind

from .paper_server import Answer, PaperServer
from .pdf_builder import build_paper_pdf

PROJECT = Path(__file__).resolve().parents[1] / "fixtures" / "papers" / "latex_project"
ID = "2501.01234"


def tar_gz(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def project_archive() -> bytes:
    files = {
        path.relative_to(PROJECT).as_posix(): path.read_bytes()
        for path in sorted(PROJECT.rglob("*"))
        if path.is_file()
    }
    return tar_gz(files)


def atom(arxiv_id: str, version: int, title: str = "Feature Alignment for Distillation") -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <entry>
    <id>http://arxiv.org/abs/{arxiv_id}v{version}</id>
    <published>2025-01-02T00:00:00Z</published>
    <title>{title}</title>
    <summary>  A made-up abstract written for the tests.
    </summary>
    <author><name>Ada Lovelace</name></author>
    <author><name>Alan Turing</name></author>
  </entry>
</feed>""".encode()


@pytest.fixture
def pdf_bytes(tmp_path: Path) -> bytes:
    return build_paper_pdf(tmp_path / "built.pdf").read_bytes()


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[PaperServer]:
    with PaperServer() as running:
        monkeypatch.setenv("ABLAB_ARXIV_URL", running.url)
        monkeypatch.setenv("ABLAB_OPENREVIEW_URL", running.url)
        monkeypatch.delenv("ABLAB_OPENREVIEW_API_URL", raising=False)
        monkeypatch.setenv("ABLAB_CACHE_DIR", str(tmp_path / "cache"))
        monkeypatch.setenv("ABLAB_DOWNLOAD_INTERVAL", "0")
        monkeypatch.setenv("ABLAB_DOWNLOAD_TIMEOUT", "2")
        yield running


def api_path(versioned: str) -> str:
    return f"/api/query?id_list={versioned}&max_results=1"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2501.01234", ArxivRef("2501.01234")),
        ("2501.01234v2", ArxivRef("2501.01234", 2)),
        ("arXiv:2501.01234v2", ArxivRef("2501.01234", 2)),
        ("https://arxiv.org/abs/2501.01234", ArxivRef("2501.01234")),
        ("https://arxiv.org/pdf/2501.01234v3", ArxivRef("2501.01234", 3)),
        ("http://www.arxiv.org/pdf/2501.01234v3.pdf", ArxivRef("2501.01234", 3)),
        ("https://export.arxiv.org/abs/1706.03762/", ArxivRef("1706.03762")),
        ("hep-th/9901001", ArxivRef("hep-th/9901001")),
        ("https://arxiv.org/abs/math.GT/0309136v1", ArxivRef("math.GT/0309136", 1)),
        ("https://openreview.net/forum?id=aBc_123-x", OpenReviewRef("aBc_123-x")),
        ("https://openreview.net/pdf?id=aBc_123-x", OpenReviewRef("aBc_123-x")),
        ("paper.pdf", None),
        ("2501.1234567", None),
        ("https://example.org/abs/2501.01234", None),
        ("https://arxiv.org/list/cs.LG/recent", None),
        ("https://openreview.net/forum?id=", None),
    ],
)
def test_references_are_parsed(text: str, expected: object) -> None:
    assert parse_reference(text) == expected


def test_paper_ids_are_file_safe() -> None:
    assert ArxivRef("hep-th/9901001", 2).paper_id == "hep-th_9901001v2"
    assert str(ArxivRef("2501.01234", 2)) == "arxiv:2501.01234v2"


def test_a_list_file_holds_only_references() -> None:
    listed = read_reference_list("# papers\n2501.01234\n\narxiv:2501.05678v2  # second\n")
    assert listed == [ArxivRef("2501.01234"), ArxivRef("2501.05678", 2)]
    assert read_reference_list("2501.01234\nWe propose a method.\n") is None
    assert read_reference_list("# nothing\n") is None


def test_latex_source_with_metadata_then_cached(server: PaperServer) -> None:
    server.routes[f"/e-print/{ID}"] = Answer(project_archive())
    server.routes[api_path(ID)] = Answer(atom(ID, 3))
    paper = load_reference(ArxivRef(ID))
    assert paper.id == ID and paper.source_kind is SourceKind.LATEX
    assert paper.title == "Feature Alignment for Distillation"
    assert paper.metadata["arxiv_id"] == ID and paper.metadata["arxiv_version"] == "v3"
    assert paper.metadata["source_url"] == f"{server.url}/abs/{ID}"
    assert paper.metadata["authors"] == "Ada Lovelace; Alan Turing"
    assert any("alignment" in s.title.lower() or "method" in s.title.lower() for s in paper.walk())
    asked = server.paths()
    assert asked == [f"/e-print/{ID}", api_path(ID)]
    assert all(s.headers["User-Agent"] == user_agent() for s in server.seen)
    assert user_agent().startswith("ablab/")
    again = load_reference(ArxivRef(ID))  # a second run: everything from the cache
    assert server.paths() == asked
    assert again.content_hash == paper.content_hash and again.title == paper.title


def test_single_gzipped_tex_file(server: PaperServer) -> None:
    main = (PROJECT / "main.tex").read_text(encoding="utf-8")
    # A one-file submission: the includes are inlined by hand here.
    for name in ("sections/method", "sections/experiments"):
        body = (PROJECT / f"{name}.tex").read_text(encoding="utf-8")
        main = main.replace(f"\\input{{{name}}}", body)
    server.routes[f"/e-print/{ID}v2"] = Answer(gzip.compress(main.encode()))
    server.routes[api_path(f"{ID}v2")] = Answer(atom(ID, 2))
    paper = load_reference(ArxivRef(ID, 2))
    assert paper.id == f"{ID}v2" and paper.source_kind is SourceKind.LATEX
    assert paper.metadata["arxiv_version"] == "v2"


def test_no_source_falls_back_to_the_pdf(server: PaperServer, pdf_bytes: bytes) -> None:
    server.routes[f"/pdf/{ID}"] = Answer(pdf_bytes, headers={"Content-Type": "application/pdf"})
    paper = load_reference(ArxivRef(ID))  # e-print: 404; API: 404 (a warning, not a failure)
    assert paper.source_kind is SourceKind.PDF and paper.id == ID
    assert paper.title  # from the PDF itself when the API says nothing
    assert any("no metadata from arXiv" in w for w in paper.warnings)
    assert server.paths()[:2] == [f"/e-print/{ID}", f"/pdf/{ID}"]


def test_a_source_without_tex_is_read_from_the_pdf(server: PaperServer, pdf_bytes: bytes) -> None:
    server.routes[f"/e-print/{ID}"] = Answer(tar_gz({"figure.png": b"\x89PNG fake"}))
    server.routes[f"/pdf/{ID}"] = Answer(pdf_bytes)
    paper = load_reference(ArxivRef(ID))
    assert paper.source_kind is SourceKind.PDF
    load_reference(ArxivRef(ID))
    assert server.paths().count(f"/pdf/{ID}") == 1  # the PDF is cached too


def test_pdf_only_submission_served_at_e_print(server: PaperServer, pdf_bytes: bytes) -> None:
    server.routes[f"/e-print/{ID}"] = Answer(pdf_bytes)
    assert load_reference(ArxivRef(ID)).source_kind is SourceKind.PDF
    assert f"/pdf/{ID}" not in server.paths()


def test_downloaded_archives_get_the_local_safety_checks(server: PaperServer) -> None:
    server.routes[f"/e-print/{ID}"] = Answer(
        tar_gz({"main.tex": b"\\documentclass{article}", "../escape.tex": b"x"})
    )
    with pytest.raises(PaperError, match=r"arxiv:2501\.01234: unsafe archive member"):
        load_reference(ArxivRef(ID))


def test_unknown_paper_is_one_line(server: PaperServer) -> None:
    with pytest.raises(PaperError, match=r"^arxiv:2501\.01234: arXiv has no such paper") as caught:
        load_reference(ArxivRef(ID))
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_is_honoured(server: PaperServer, status: int) -> None:
    server.routes[f"/e-print/{ID}"] = [
        Answer(b"slow down", status, {"Retry-After": "1"}),
        Answer(project_archive()),
    ]
    started = time.monotonic()
    paper = load_reference(ArxivRef(ID))
    first, second = (s for s in server.seen if s.path == f"/e-print/{ID}")
    assert second.at - first.at >= 0.95 and time.monotonic() - started >= 0.95
    assert paper.source_kind is SourceKind.LATEX


def test_a_long_retry_after_fails_at_once(server: PaperServer) -> None:
    server.routes[f"/e-print/{ID}"] = Answer(b"", 503, {"Retry-After": "3600"})
    with pytest.raises(DownloadError, match="asks to wait 3600 s"):
        load_reference(ArxivRef(ID))
    assert server.paths().count(f"/e-print/{ID}") == 1


def test_a_truncated_download_is_fetched_again(server: PaperServer) -> None:
    archive = project_archive()
    server.routes[f"/e-print/{ID}"] = [Answer(archive, truncate=True), Answer(archive)]
    paper = load_reference(ArxivRef(ID))
    assert paper.source_kind is SourceKind.LATEX
    assert server.paths().count(f"/e-print/{ID}") == 2


def test_a_download_that_keeps_stalling_fails_clearly(
    server: PaperServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ABLAB_DOWNLOAD_TIMEOUT", "0.2")
    monkeypatch.setattr("ablab.papers.download.MAX_ATTEMPTS", 2)
    monkeypatch.setattr("ablab.papers.download.random.uniform", lambda a, b: 0.01)
    server.routes[f"/e-print/{ID}"] = Answer(project_archive(), delay=1.0)
    with pytest.raises(DownloadError, match=r"^arxiv:2501\.01234: .*no data for 0\.2 s"):
        load_reference(ArxivRef(ID))
    assert server.paths().count(f"/e-print/{ID}") == 2  # retried once, then given up


def test_requests_to_one_host_are_spaced(
    server: PaperServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ABLAB_DOWNLOAD_INTERVAL", "0.4")
    server.routes[f"/e-print/{ID}"] = Answer(project_archive())
    # When each request was let go, on the sending side: the server's arrival times also
    # carry its own delays, which a busy machine stretches for one request and not the other.
    sent: list[float] = []
    real_wait_turn = download_module._wait_turn

    def stamped_wait_turn(host: str) -> None:
        real_wait_turn(host)
        sent.append(time.monotonic())

    monkeypatch.setattr(download_module, "_wait_turn", stamped_wait_turn)
    load_reference(ArxivRef(ID))  # e-print, then the API: two requests
    assert len(server.seen) == 2
    first, second = sent
    assert second - first >= 0.4


def test_offline_is_one_line_naming_the_paper(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ABLAB_ARXIV_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("ABLAB_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("ABLAB_DOWNLOAD_INTERVAL", "0")
    with pytest.raises(DownloadError) as caught:
        load_reference(ArxivRef(ID, 2))
    message = str(caught.value)
    assert message.startswith("arxiv:2501.01234v2: cannot reach 127.0.0.1:9")
    assert "\n" not in message


def test_a_too_large_download_is_refused_while_streaming(server: PaperServer) -> None:
    server.routes[f"/e-print/{ID}"] = Answer(b"x" * 5000)
    with pytest.raises(DownloadError, match="too large"):
        load_reference(ArxivRef(ID), max_bytes=1000)


def openreview_notes(forum: str) -> bytes:
    notes = [
        {
            "id": forum,
            "invitations": ["Venue/2025/Conference/-/Submission"],
            "content": {
                "title": {"value": "Gated Memory for Sequence Models"},
                "abstract": {"value": "An abstract written for the tests."},
                "authors": {"value": ["Grace Hopper"]},
            },
        },
        {
            "id": "rev1",
            "invitations": ["Venue/2025/Conference/Submission7/-/Official_Review"],
            "content": {
                "summary": {"value": "The paper proposes a gated memory. It is clear."},
                "weaknesses": {
                    "value": "1. An ablation of the gate is missing. The baselines are weak.\n"
                    "2. Please ablate the memory size."
                },
                "rating": {"value": 6},
            },
        },
        {
            "id": "c1",
            "invitations": ["Venue/2025/Conference/Submission7/-/Official_Comment"],
            "content": {"comment": {"value": "We added an ablation of the gate."}},
        },
    ]
    return json.dumps({"notes": notes, "count": len(notes)}).encode()


def test_openreview_forum_pdf_metadata_and_review_requests(
    server: PaperServer, pdf_bytes: bytes
) -> None:
    forum = "Xy7_abCD12"
    server.routes[f"/pdf?id={forum}"] = Answer(pdf_bytes)
    server.routes[f"/notes?forum={forum}"] = Answer(openreview_notes(forum))
    ref = parse_reference(f"https://openreview.net/forum?id={forum}")
    assert isinstance(ref, OpenReviewRef)
    paper = load_reference(ref)
    assert paper.id == forum and paper.source_kind is SourceKind.PDF
    assert paper.title == "Gated Memory for Sequence Models"
    assert paper.metadata["source_url"] == f"{server.url}/forum?id={forum}"
    assert review_requests(paper) == [
        "An ablation of the gate is missing.",
        "Please ablate the memory size.",
    ]
    load_reference(ref)
    assert len(server.seen) == 2  # cached


def test_openreview_without_notes_still_reads_the_pdf(
    server: PaperServer, pdf_bytes: bytes
) -> None:
    server.routes["/pdf?id=abcd1234"] = Answer(pdf_bytes)
    paper = load_reference(OpenReviewRef("abcd1234"))
    assert review_requests(paper) == [] and paper.warnings
