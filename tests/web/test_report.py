"""``ablab report``: one self-contained HTML file with the same views."""

from __future__ import annotations

import base64
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest

from ablab.errors import AblabError
from ablab.report import build_report, write_report
from ablab.runs.files import write_plan
from ablab.schema import Ablation, Action, Mode, Plan


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Links()
    parser.feed(html)
    return parser.tags


def test_report_needs_no_other_file(runs_dir: Path) -> None:
    html = build_report(runs_dir)
    tags = _tags(html)
    assert not [t for t, _ in tags if t in ("script", "link", "iframe", "object")]
    for tag, attrs in tags:
        for key in ("src", "href"):
            value = attrs.get(key)
            if value is not None:
                assert value.startswith(("#", "data:")), (tag, key, value)
    csp = next(a["content"] for t, a in tags if t == "meta" and a.get("http-equiv"))
    assert csp is not None and "default-src 'none'" in csp
    assert ".plan-box.author" in html  # the stylesheet is inlined


def test_report_has_grid_plans_comparison_and_papers(runs_dir: Path) -> None:
    html = build_report(runs_dir)
    ids = {attrs.get("id") for _, attrs in _tags(html)}
    assert {"runs", "plans", "comparisons", "papers"} <= ids
    assert {"plan-heuristic-author-tide", "plan-lm-gpt-4o-tide", "compare-tide"} <= ids
    assert "Token Relevance Gate removal" in html
    assert "Remove the Cross-View Consistency Module" in html


def test_every_in_page_link_has_a_target(runs_dir: Path) -> None:
    tags = _tags(build_report(runs_dir))
    ids = {attrs.get("id") for _, attrs in tags}
    anchors = [a["href"] for t, a in tags if t == "a" and (a.get("href") or "").startswith("#")]
    assert "#sec-tide-s3-2-cross-view-consistency-module" in anchors
    missing = [href for href in anchors if href and unquote(href[1:]) not in ids]
    assert missing == []


def test_downloads_are_embedded_run_files(runs_dir: Path) -> None:
    tags = _tags(build_report(runs_dir))
    embedded = [
        (a.get("download"), a["href"])
        for t, a in tags
        if t == "a" and (a.get("href") or "").startswith("data:")
    ]
    jsonl = set()
    for name, uri in embedded:
        match = re.fullmatch(r"data:([^;]+);base64,(.*)", uri or "")
        assert match is not None
        if name == "tide.jsonl":
            assert match.group(1) == "application/x-ndjson"
            jsonl.add(base64.b64decode(match.group(2)))
    assert jsonl == {
        (runs_dir / run / "tide.jsonl").read_bytes() for run in ("heuristic-author", "lm-gpt-4o")
    }
    assert len(embedded) == 3 * 3  # three plans, three formats each


def test_paper_text_is_escaped_in_the_report(runs_dir: Path) -> None:
    html = build_report(runs_dir)
    assert "<script" not in html.lower() and "<img" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_single_run_folder_can_be_reported(runs_dir: Path, tmp_path: Path) -> None:
    out = write_report(runs_dir / "lm-gpt-4o", tmp_path / "one" / "report.html")
    html = out.read_text(encoding="utf-8")
    assert "1 run, 1 paper, 1 plan." in " ".join(html.split())
    assert "Token Relevance Gate removal" in html
    assert "Remove the Cross-View Consistency Module" not in html


@pytest.mark.parametrize("make", ["empty", "missing", "file"])
def test_nothing_to_report_is_a_clear_error(tmp_path: Path, make: str) -> None:
    target = tmp_path / "target"
    if make == "empty":
        target.mkdir()
    elif make == "file":
        target.write_text("x", encoding="utf-8")
    with pytest.raises(AblabError, match="target"):
        build_report(target)


def test_a_large_report_is_split_into_linked_pages(tmp_path: Path) -> None:
    run = tmp_path / "runs" / "many"
    run.mkdir(parents=True)
    ablation = Ablation(name="n", ablated_part="gate", action=Action.REMOVE, metrics=["m"])
    for n in range(5):
        plan = Plan(
            paper_id=f"paper-{n}",
            paper_title=f"Paper number {n}",
            mode=Mode.AUTHOR,
            planner="heuristic",
            model="none",
            ablations=[ablation],
            k=1,
        )
        write_plan(run, plan)
    out = write_report(tmp_path / "runs", tmp_path / "report.html", per_page=2)
    pages = [out, tmp_path / "report-2.html", tmp_path / "report-3.html"]
    assert all(page.exists() for page in pages) and not (tmp_path / "report-4.html").exists()
    shown = [re.findall(r"Paper number (\d)", page.read_text()) for page in pages]
    assert [sorted(set(ids)) for ids in shown] == [["0", "1"], ["2", "3"], ["4"]]
    second = _tags(pages[1].read_text())
    links = {a.get("href") for t, a in second if t == "a"}
    assert {"report.html", "report-3.html"} <= links
