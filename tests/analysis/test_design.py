from __future__ import annotations

from ablab.analysis.alternatives import DESIGN_ENTRIES
from ablab.analysis.design import DESIGN_VOCAB, find_design_choices
from ablab.schema import SectionRole

from .builders import section, sentences_of


def _find(*sections):  # type: ignore[no-untyped-def]
    return {d.choice: d for d in find_design_choices(sentences_of(*sections))}


def test_kl_divergence_with_use_and_alternatives() -> None:
    found = _find(
        section("Method", "We use the KL divergence for the consistency loss between views.")
    )
    kl = found["KL divergence"]
    assert kl.category == "divergence"
    assert kl.used_for == "consistency loss"
    assert "Jensen-Shannon divergence" in kl.alternatives
    assert any("cosine" in a for a in kl.alternatives)
    assert kl.evidence[0].section_title == "Method"


def test_loss_named_in_the_sentence_is_the_use() -> None:
    found = _find(
        section(
            "Method",
            "A feature misalignment loss is computed between the two feature maps using KL "
            "divergence.",
        )
    )
    assert found["KL divergence"].used_for == "feature misalignment loss"


def test_schedules_architectures_and_pooling() -> None:
    found = _find(
        section(
            "Method",
            "Training alternates between the two steps. The encoder is a Transformer with "
            "mean pooling, and the GCN layers use BatchNorm. We pretrain in a two-stage fashion.",
        )
    )
    assert found["alternating optimization"].alternatives[0].startswith("joint")
    assert found["Transformer"].alternatives == ["LSTM", "MLP", "CNN"]
    assert "max pooling" in found["mean pooling"].alternatives
    assert "GAT" in found["graph convolutional network (GCN)"].alternatives
    assert "LayerNorm" in found["BatchNorm"].alternatives
    assert "end-to-end single-stage training" in found["two-stage training"].alternatives


def test_related_work_and_results_do_not_count() -> None:
    found = _find(
        section("Related Work", "BYOL uses an MSE loss.", SectionRole.RELATED_WORK),
        section("Results", "A variant with a GRU is worse.", SectionRole.RESULTS),
    )
    assert found == {}


def test_lowercase_words_are_not_acronyms() -> None:
    found = _find(section("Method", "The kl of the bn stage is small; gat is a word."))
    assert found == {}


def test_vision_transformer_is_not_also_a_transformer() -> None:
    found = _find(section("Method", "Our backbone is a vision transformer (ViT-S/16)."))
    assert "Transformer" not in found
    assert "vision transformer" in {c.lower() for c in found}


def test_a_choice_never_lists_itself_as_alternative() -> None:
    found = _find(section("Method", "We use a ResNet-18 backbone."))
    assert "ResNet-18" not in found["ResNet-18"].alternatives


def test_every_entry_is_found_by_its_own_name() -> None:
    # Each named entry's canonical name is a phrase its own pattern (and triggers) recognise.
    skip = {"[CLS] token", "Mixup/CutMix", "graph convolutional network (GCN)",
            "graph attention network (GAT)", "photometric augmentations",
            "cosine learning-rate schedule", "learning-rate warm-up", "ImageNet pretraining",
            "pretrained weights", "EMA teacher", "top-k selection", "k-means clustering",
            "multi-crop augmentation", "InfoNCE contrastive loss", "smooth L1 (Huber) loss",
            "residual connections", "shared weights", "sequential optimization",
            "random initialization", "ℓ2 normalization", "strong augmentation"}  # fmt: skip
    for index, entry in enumerate(DESIGN_ENTRIES):
        if entry.name is None or entry.name in skip:
            continue
        match = DESIGN_VOCAB.first(f"we use {entry.name} here")
        assert match is not None and match.entry == index, entry.name
