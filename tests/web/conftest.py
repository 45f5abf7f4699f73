"""Fixtures for the web app tests: a runs directory written the way ablab writes one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ablab._util.atomic import atomic_write_text
from ablab.papers import load_paper, paper_from_markdown
from ablab.runs.files import write_plan
from ablab.schema import Ablation, Action, Evidence, Mode, Paper, Plan

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "tide.md"

XSS = "<script>alert(1)</script>"

XSS_PAPER = f"""# {XSS}

## Abstract

We propose the <img src=x onerror=alert(2)> module, a gate for attention heads.

## 1 Method

The <b>Gate Module</b> scores every head; we train with a contrastive loss.
"""


@pytest.fixture(scope="session")
def tide() -> Paper:
    """The example paper, read by the real loader."""
    return load_paper(EXAMPLE)


def section(paper: Paper, fragment: str) -> tuple[str, str]:
    """Id and title of the first section whose id contains ``fragment``."""
    found = next(s for s in paper.walk() if fragment in s.id)
    return found.id, found.title


def tide_plan(paper: Paper, planner: str, model: str, ablations: list[Ablation]) -> Plan:
    """A plan of the example paper."""
    return Plan(
        paper_id=paper.id,
        paper_title=paper.title,
        paper_hash=paper.content_hash,
        mode=Mode.AUTHOR,
        planner=planner,
        model=model,
        k=len(ablations),
        reasoning=f"TIDE has **three** novel parts.\n\n- CVCM\n- APM {XSS}",
        ablations=ablations,
    )


def write_runs(root: Path, tide: Paper) -> None:
    """Two runs of the example paper (one with its stored paper) and one XSS paper."""
    cvcm_id, cvcm_title = section(tide, "cross-view-consistency")
    apm_id, apm_title = section(tide, "adaptive-prototype")
    first = tide_plan(
        tide,
        "heuristic",
        "offline",
        [
            Ablation(
                name="Remove the Cross-View Consistency Module",
                ablated_part="Cross-View Consistency Module (CVCM)",
                action=Action.REMOVE,
                metrics=["linear-probe top-1 accuracy"],
                evidence=[
                    Evidence(section_id=cvcm_id, section_title=cvcm_title, quote="CVCM turns"),
                    Evidence(section_id=None, quote="TIDE introduces three novel components"),
                ],
            ),
            Ablation(
                name="Replace the Adaptive Prototype Memory",
                ablated_part="Adaptive Prototype Memory (APM)",
                action=Action.REPLACE,
                replacement=["fixed random prototypes", "k-means prototypes"],
                metrics=["linear-probe top-1 accuracy", "k-NN accuracy"],
                rationale="The memory is claimed to prevent collapse.",
                evidence=[Evidence(section_id=apm_id, section_title=apm_title, quote="APM keeps")],
            ),
        ],
    )
    second = tide_plan(
        tide,
        "lm",
        "openai/gpt-4o",
        [
            Ablation(
                name="Without adaptive prototype memory",
                ablated_part="adaptive prototype memory",
                action=Action.REMOVE,
                metrics=["k-NN accuracy"],
            ),
            Ablation(
                name="Token Relevance Gate removal",
                ablated_part="Token Relevance Gate",
                action=Action.REMOVE,
                metrics=["k-NN accuracy"],
            ),
        ],
    )
    write_plan(root / "heuristic-author", first)
    atomic_write_text(root / "heuristic-author" / "tide.paper.json", tide.model_dump_json())
    write_plan(root / "lm-gpt-4o", second)

    xss = paper_from_markdown(XSS_PAPER, paper_id="xss")
    xss_plan = Plan(
        paper_id="xss",
        paper_title=xss.title,
        mode=Mode.REVIEWER,
        planner="heuristic",
        model="offline",
        reasoning=f"Reasoning with {XSS} and [a link](javascript:alert(3)).",
        ablations=[
            Ablation(
                name=f"Remove {XSS}",
                ablated_part="<img src=x onerror=alert(4)>",
                action=Action.REPLACE,
                replacement=[XSS],
                metrics=[XSS],
                evidence=[Evidence(section_id=xss.sections[0].id, quote=XSS)],
            )
        ],
    )
    write_plan(root / "heuristic-author", xss_plan)
    atomic_write_text(root / "heuristic-author" / "xss.paper.json", xss.model_dump_json())


@pytest.fixture
def runs_dir(tmp_path: Path, tide: Paper) -> Path:
    """A runs directory with two runs of the example paper and a hostile paper."""
    root = tmp_path / "runs"
    write_runs(root, tide)
    return root


@pytest.fixture
def client(runs_dir: Path) -> Iterator[TestClient]:
    """A test client of the app serving ``runs_dir`` (uploads limited to 256 KB)."""
    from ablab.web.app import create_app

    with TestClient(create_app(runs_dir, max_upload_bytes=256 * 1024)) as test_client:
        yield test_client
