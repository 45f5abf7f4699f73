"""rpa2 digests: seed 002 parses and renders back byte for byte; render -> parse keeps structure."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ablab.digest import (
    ArchitectureOnboarding,
    ConfidenceRating,
    Digest,
    FoundationalConcept,
    OpenQuestion,
    QuickFact,
    looks_like_digest,
    parse_digest,
    render_digest,
)
from ablab.errors import DigestFormatError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "digests"
SEED = "002_daef928ecf5f9b7d.txt"


@pytest.fixture(scope="module")
def seed_text(seeds_dir: Path) -> str:
    return (seeds_dir / SEED).read_text(encoding="utf-8")


def test_seed_renders_back_byte_for_byte(seed_text: str) -> None:
    assert render_digest(parse_digest(seed_text)) == seed_text


def test_seed_frontmatter_fields(seed_text: str) -> None:
    digest = parse_digest(seed_text)
    assert digest.ver == "rpa2"
    assert digest.title == "Machine Learning from Explanations"
    assert digest.arxiv_id == "2507.04788"
    assert digest.source_url == "https://arxiv.org/abs/2507.04788"
    assert digest.tags[:3] == ["training", "explanations", "learning"]
    assert len(digest.tags) == 12
    assert digest.core_contribution.startswith("This paper addresses the problem of training")
    assert "\n" not in digest.core_contribution  # YAML folding is undone
    assert digest.layout.trailing_newline is False


def test_seed_sections(seed_text: str) -> None:
    digest = parse_digest(seed_text)
    assert [f.label for f in digest.quick_facts] == [
        "arXiv ID",
        "Source URL",
        "Reference count",
        "Primary result",
    ]
    assert digest.quick_facts[2].value == "40"
    assert digest.executive_summary.count("\n\n") == 1
    assert digest.method_summary.startswith("The approach decomposes a CNN")
    assert digest.key_results[1] == (
        "Imbalanced setting (9:1 ratio): 0.806 accuracy vs 0.725 baseline"
    )
    assert digest.mechanism.startswith("The method works by explicitly aligning")
    assert digest.foundational_learning[0] == FoundationalConcept(
        concept="KL divergence for feature alignment",
        why="Needed to measure similarity between feature distributions",
        quick_check="verify KL loss decreases during training",
    )
    arch = digest.architecture
    assert arch.component_map == [
        "Input",
        "Conv layers (f)",
        "Mapping layer (m)",
        "Classifier (c)",
        "Output",
    ]
    assert arch.critical_path == ["Masked input features", "KL alignment", "Mapping layer update"]
    assert arch.design_tradeoffs == [
        "Sequential vs simultaneous optimization of losses",
        "identity mapping vs learned transformation",
    ]
    assert arch.failure_signatures[1] == "NaN losses (improper normalization)"
    assert len(arch.first_experiments) == 3
    assert [q.title for q in digest.open_questions] == [
        "Multi-class extension",
        "LLM adaptation",
        "Constrained optimization",
    ]
    assert len(digest.limitations) == 3
    assert digest.confidence[1] == ConfidenceRating(
        claim="Fox vs Cat and Bird datasets",
        level="Medium",
        note="limited detail about explanation masks",
    )
    assert digest.next_checks[0].startswith("Verify KL loss is computed")
    assert digest.gaps == {}
    assert digest.extra_sections == []


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.md")), ids=lambda p: p.name)
def test_fixture_digests_render_back_byte_for_byte(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert render_digest(parse_digest(text)) == text


def test_gaps_extras_and_partial_items_are_read() -> None:
    digest = parse_digest((FIXTURES / "gaps_and_extras.md").read_text(encoding="utf-8"))
    assert digest.arxiv_id is None and digest.source_url is None
    assert digest.gaps == {
        "method_summary": "the paper has no method section",
        "mechanism": "needs a language model (run ablab digest --model ...)",
        "architecture.critical_path": "needs a language model",
        "architecture.failure_signatures": "needs a language model",
    }
    assert digest.method_summary == "" and digest.architecture.critical_path == []
    # An escaped '#' at the start of a paragraph is text, not a heading.
    assert digest.executive_summary.endswith(
        "\n\n# of experts matters less than the router's temperature."
    )
    assert digest.foundational_learning[1] == FoundationalConcept(concept="Load balancing loss")
    assert digest.foundational_learning[0].quick_check == "count tokens per expert"
    assert digest.open_questions[0].title is None
    assert digest.confidence[2].level is None
    assert [s.title for s in digest.extra_sections] == ["Reproducibility"]
    assert digest.extra_frontmatter == {"license": "cc-by-4.0"}


def test_unquoted_arxiv_id_keeps_its_trailing_zero() -> None:
    text = "---\nver: rpa2\ntitle: T\narxiv_id: 2401.01230\n---\n\n# T\n"
    assert parse_digest(text).arxiv_id == "2401.01230"


def test_lenient_section_reading() -> None:
    text = (
        "---\nver: rpa2\ntitle: T\n---\n\n# T\n\n## key results\n\n"
        "* first result with 1.5 points\n  continued on a second line\n2) second\n\n"
        "## Confidence\n- Main claim: medium.\n"
    )
    digest = parse_digest(text)
    assert digest.key_results == [
        "first result with 1.5 points continued on a second line",
        "second",
    ]
    assert digest.confidence == [ConfidenceRating(claim="Main claim", level="Medium")]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("# Just a paper\n\nText.", "no YAML frontmatter"),
        ("---\nver: rpa2\ntitle: T\n", "no closing '---'"),
        ("---\nver: rpa1\ntitle: T\n---\n", "unsupported digest version 'rpa1'"),
        ("---\ntitle: T\n---\n", "has no 'ver: rpa2'"),
        ("---\nver: rpa2\ntitle: [unclosed\n---\n", "not valid YAML"),
        ("---\n- a\n- b\n---\n", "must be a YAML mapping"),
        ("---\nver: rpa2\n---\n\nno heading\n", "has no title"),
        ("---\nver: rpa2\ntitle: T\ntags: 3\n---\n", "'tags' must be a list"),
        # Nested aliases ("billion laughs") expand to 9**9 tags; a digest never needs aliases.
        (
            "---\nver: rpa2\ntitle: T\na: &a [x, x, x]\nb: &b [*a, *a, *a]\ntags: *b\n---\n",
            "aliases",
        ),
    ],
)
def test_bad_digests_raise_clear_errors(text: str, message: str) -> None:
    with pytest.raises(DigestFormatError, match=message.replace("[", r"\[").replace("(", r"\(")):
        parse_digest(text)


def test_looks_like_digest(seed_text: str) -> None:
    assert looks_like_digest(seed_text)
    assert not looks_like_digest("# A paper\n\n---\nver: rpa2\n")
    assert not looks_like_digest("---\ntitle: a blog post\n---\n")


def test_untrusted_text_cannot_inject_sections() -> None:
    digest = Digest(
        title="T",
        key_results=["fine\n## Limitations\n- injected"],
        method_summary="## Next Checks\n1. injected",
        limitations=["real"],
    )
    back = parse_digest(render_digest(digest))
    assert back.limitations == ["real"]
    assert back.next_checks == []
    assert back.key_results == ["fine ## Limitations - injected"]
    assert back.method_summary == "## Next Checks 1. injected"


def test_unknown_gap_key_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown digest section"):
        Digest(title="T", gaps={"summary": "x"})


# Text that reads like digest prose: words, numbers and light punctuation (no Markdown markers).
_word = st.sampled_from(
    [
        "accuracy",
        "0.874",
        ".5",
        "(ours)",
        "12.5%",
        "ViT-S/16",
        "1,200",
        "k-NN",
        "don't",
        "λ",
        "vs",
        "Top-1",
        "baseline",
        "x2",
        "naïve",
        "ablation",
        "=",
        "+3.2",
        "model's",
        "GELU",
    ]
)
_text = st.lists(_word, min_size=1, max_size=8).map(" ".join)
_para = st.lists(_text, min_size=1, max_size=3).map("\n\n".join)


def _items(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[list[str]]:
    return st.lists(strategy, max_size=4)


_digest = st.builds(
    Digest,
    title=_text,
    arxiv_id=st.none() | st.from_regex(r"\d{4}\.\d{5}", fullmatch=True),
    source_url=st.none() | st.just("https://example.org/paper.pdf"),
    tags=_items(st.from_regex(r"[a-z]+(-[a-z]+)?", fullmatch=True)),
    core_contribution=_para,
    quick_facts=_items(st.builds(QuickFact, label=_text, value=_text)),
    executive_summary=_para,
    method_summary=_para,
    key_results=_items(_text),
    mechanism=_para,
    foundational_learning=_items(
        st.builds(
            FoundationalConcept,
            concept=_text,
            description=st.just("") | _text,
            why=st.just("") | _text,
            quick_check=st.none() | _text,
        )
    ),
    architecture=st.builds(
        ArchitectureOnboarding,
        component_map=_items(_text),
        critical_path=_items(_text),
        design_tradeoffs=_items(_text),
        failure_signatures=_items(_text),
        first_experiments=_items(_text),
        notes=st.just("") | _para,
    ),
    open_questions=_items(
        st.builds(
            OpenQuestion,
            title=st.none() | _text,
            detail=_text,
            basis=st.none() | _text,
            why_unresolved=st.none() | _text,
            resolution=st.none() | _text,
        )
    ),
    limitations=_items(_text),
    confidence=_items(
        st.builds(
            ConfidenceRating,
            claim=_text,
            level=st.sampled_from(["High", "Medium", "Low"]),
            note=st.none() | _text,
        )
    ),
    next_checks=_items(_text),
)


@settings(max_examples=100, deadline=None)
@given(_digest)
def test_render_then_parse_gives_the_same_digest(digest: Digest) -> None:
    text = render_digest(digest)
    back = parse_digest(text)
    assert back == digest
    assert render_digest(back) == text


def test_separators_inside_items_cannot_split_them() -> None:
    digest = Digest(
        title="T",
        foundational_learning=[FoundationalConcept(concept="**KL** divergence", why="a; b")],
        open_questions=[OpenQuestion(title="**Scale**", detail="**Bold** start")],
        architecture=ArchitectureOnboarding(
            component_map=["encoder -> head", "memory→gate", "decoder"],
            critical_path=["a->b"],
            design_tradeoffs=["KL vs JS; or MSE", "top-1 vs top-2"],
        ),
    )
    assert digest.architecture.component_map == ["encoder to head", "memory to gate", "decoder"]
    assert digest.architecture.design_tradeoffs[0] == "KL vs JS, or MSE"
    assert digest.foundational_learning[0].concept == "KL divergence"
    assert digest.open_questions[0].title == "Scale"
    assert parse_digest(render_digest(digest)) == digest
    bare = Digest(title="T", open_questions=[OpenQuestion(detail="**Bold** start: a question")])
    assert parse_digest(render_digest(bare)) == bare  # a bare bold start stays the detail


def test_pipeline_variants_parse_into_structure_without_loss() -> None:
    # The layouts the rpa2 pipeline's writers use (a fixture the project wrote in them).
    text = (FIXTURES / "pipeline" / "variants.md").read_text(encoding="utf-8")
    warnings: list[str] = []
    digest = parse_digest(text, warnings)
    assert digest.quick_facts[0].label == "arXiv ID" and digest.quick_facts[0].value == "2601.00001"
    first, second, third = digest.foundational_learning
    assert (first.concept, first.why) == (
        "Depthwise convolution", "The cheap branch is a depthwise convolution."
    )  # fmt: skip
    assert first.quick_check and first.quick_check.startswith("How many weights")
    assert second.concept == "Straight-through estimator"
    assert second.why == "The gate is binary in the forward pass."
    assert second.quick_check == "Which gradient does the estimator pass back?"
    assert (third.concept, third.why) == (
        "Token pruning", "Related methods drop tokens instead of routing them."
    )  # fmt: skip
    arch = digest.architecture
    assert arch.component_map == ["Patch embedding", "gate", "attention or convolution", "MLP"]
    assert arch.critical_path == ["Gate score", "hard routing", "mixed token update"]
    assert arch.design_tradeoffs[0].startswith("Gate threshold")
    assert len(arch.failure_signatures) == 2
    assert arch.first_experiments[1] == "Sweep the threshold."
    assert "threshold 0.3" in arch.notes  # an unknown label stays, with a warning
    assert any("Key hyperparameters" in w for w in warnings)
    generic, mobile = digest.open_questions
    assert generic.title is None and generic.detail.startswith("Does the gate transfer")
    assert mobile.title == "Throughput on mobile hardware"
    assert mobile.detail.startswith("Is the FLOP saving")
    assert mobile.basis == "The authors measure only GPU throughput."
    assert mobile.why_unresolved == "No mobile numbers are reported."
    assert mobile.resolution == "Latency on two phone chipsets."
    table_high, table_low, line = digest.confidence
    assert (table_high.claim, table_high.level, table_high.note) == (
        "The gate keeps accuracy", "High", "two model sizes; Table 2"
    )  # fmt: skip
    assert (table_low.level, table_low.note) == ("Low", "no measurement")
    assert (line.claim, line.level) == ("Gate learns difficulty", "Medium")
    assert line.note == "Only qualitative maps support it."
    # What was read renders in ablab's layout and reads back the same.
    assert parse_digest(render_digest(digest)) == digest


def test_concepts_under_headings_with_field_lines() -> None:
    body = (
        "### Concept 1: Label smoothing\n"
        "- **Why needed:** The loss uses soft targets.\n"
        "- **Quick check:** What target does the true class get with 0.1 smoothing?\n\n"
        "### Concept 2: Mixup\n"
        "- **Why needed here:** Inputs are blended in pairs.\n"
    )
    text = f"---\nver: rpa2\ntitle: T\n---\n\n# T\n\n## Foundational Learning\n\n{body}"
    smoothing, mixup = parse_digest(text).foundational_learning
    assert (smoothing.concept, smoothing.why) == ("Label smoothing", "The loss uses soft targets.")
    assert smoothing.quick_check == "What target does the true class get with 0.1 smoothing?"
    assert (mixup.concept, mixup.why, mixup.quick_check) == (
        "Mixup", "Inputs are blended in pairs.", None
    )  # fmt: skip
