"""Negation ("no memory bank"), absent parts, and the names of the paper's own method."""

from __future__ import annotations

import pytest

from ablab.analysis import analyze
from ablab.analysis.components import find_parts
from ablab.analysis.design import find_design
from ablab.analysis.identity import method_names
from ablab.analysis.negation import negation_at
from ablab.schema import SectionRole

from .builders import paper, section, sentences_of


@pytest.mark.parametrize(
    ("text", "mention", "expected"),
    [
        ("It uses neither negative pairs, nor large batches, nor a momentum encoder.",
         "momentum encoder", "absent"),
        ("No absolute position embedding is used.", "absolute position", "absent"),
        ("We replace the U-Net backbone with a transformer.", "U-Net", "replaced"),
        ("We replace the U-Net backbone with a transformer.", "transformer", None),
        ("The encoder uses a memory bank to store negatives.", "memory bank", None),
        ("We do not need labels, and we use a memory bank.", "memory bank", None),
        ("Prototypes that receive no assignment are re-initialised from random embeddings.",
         "random embeddings", None),
    ],
)  # fmt: skip
def test_negation_cues(text: str, mention: str, expected: str | None) -> None:
    assert negation_at(text, text.index(mention)) == expected


def test_a_part_only_mentioned_as_absent_is_not_a_component() -> None:
    found = find_parts(
        sentences_of(
            section(
                "Method",
                "Our gated fusion block mixes views; no memory bank is used. The gated fusion "
                "block is small.",
            ),
            abstract="We learn features without a memory bank.",
        )
    )
    assert [c.name for c in found.components] == ["gated fusion block"]
    assert [c.name for c in found.absent] == ["memory bank"]


def test_a_choice_stated_as_absent_is_not_made() -> None:
    found = find_design(
        sentences_of(
            section("Method", "The loss uses the cosine similarity between the two views."),
            abstract="Our method uses neither negative pairs nor a momentum encoder.",
        )
    )
    assert [d.choice for d in found.choices] == ["cosine similarity"]
    assert [a.name for a in found.absent] == ["momentum encoder"]
    assert "neither" in found.absent[0].evidence[0].quote


def test_a_choice_named_only_in_the_introduction_is_background() -> None:
    found = find_design(
        sentences_of(
            section(
                "Introduction", "Diffusion models mostly use a U-Net.", SectionRole.INTRODUCTION
            ),
            section("Method", "Our denoiser uses GroupNorm throughout."),
        )
    )
    assert [d.choice for d in found.choices] == ["GroupNorm"]
    assert found.absent == []


def test_a_component_named_only_in_the_introduction_is_background() -> None:
    found = find_parts(
        sentences_of(
            section(
                "Introduction",
                "Earlier work adds a supervised loss. The supervised loss is simple.",
                SectionRole.INTRODUCTION,
            ),
            section("Method", "Our view mixer module blends views. The view mixer module is fast."),
        )
    )
    assert [c.name for c in found.components] == ["view mixer module"]


def test_analysis_lists_absent_parts() -> None:
    analysis = analyze(
        paper(
            section(
                "Method",
                "The encoder is a ResNet-50 with a projection head g. No memory bank is used.",
            ),  # fmt: skip
            abstract="We learn representations without a memory bank.",
        )
    )
    assert [p.name for p in analysis.absent_parts] == ["memory bank"]
    assert all(c.name != "memory bank" for c in analysis.components)


def test_method_names_from_title_and_abstract() -> None:
    assert method_names("Swin Transformer: Hierarchical Vision Transformers") == {
        "swin transformer"
    }
    assert method_names("Attention Is All You Need", "We propose the Transformer, a model.") == {
        "transformer"
    }
    assert method_names(
        "X", "We present Momentum Contrast (MoCo) for learning. Our method, SimSiam, works."
    ) >= {"momentum contrast", "moco", "simsiam"}
    assert method_names("X", "Methods which we call proximal policy optimization (PPO).") == {
        "proximal policy optimization",
        "ppo",
    }
    assert method_names("A Very Long Title Before Its Colon: And More") == frozenset()


def test_the_method_itself_is_not_one_of_its_components() -> None:
    components = find_parts(
        sentences_of(
            section(
                "Method",
                "The Swin Transformer computes attention in windows. The Swin "
                "Transformer uses a patch merging layer.",
            ),  # fmt: skip
        ),
        "Swin Transformer: Hierarchical Vision Transformers",
    ).components
    assert "Swin Transformer" not in [c.name for c in components]
