from __future__ import annotations

from ablab.analysis.components import find_components
from ablab.schema import SectionRole

from .builders import section, sentences_of

METHOD = (
    "We introduce the Cross-View Consistency Module (CVCM), which aligns views. "
    "The CVCM uses prototypes. Our relevance gate scores every token. "
    "The relevance gate is trained jointly. The consistency module is applied to all crops. "
    "The hidden layer has 512 units. See Table 2 for the hidden layer. "
    "We use a KL loss and layer normalization. The mapping layer updates features. "
    "The mapping layer is small. The mapping layer has no bias."
)


def _by_name(components):  # type: ignore[no-untyped-def]
    return {c.name: c for c in components}


def test_acronym_component_with_expansion_novelty_and_mentions() -> None:
    components = _by_name(find_components(sentences_of(section("Method", METHOD))))
    cvcm = components["Cross-View Consistency Module"]
    assert cvcm.acronym == "CVCM"
    assert cvcm.novel is True
    assert cvcm.kind == "module"
    # expansion, acronym, and "consistency module" (a shorter form merged into it)
    assert cvcm.mentions == 3
    assert cvcm.evidence and "Cross-View Consistency Module (CVCM)" in cvcm.evidence[0].quote


def test_our_marks_a_phrase_as_novel_and_plain_parts_are_not() -> None:
    components = _by_name(find_components(sentences_of(section("Method", METHOD))))
    assert components["relevance gate"].novel is True
    assert components["mapping layer"].novel is False
    assert components["mapping layer"].mentions == 3


def test_generic_phrases_and_design_terms_are_not_components() -> None:
    names = {c.name.lower() for c in find_components(sentences_of(section("Method", METHOD)))}
    assert "hidden layer" not in names
    assert not any("kl" in n or "normalization" in n for n in names)
    assert not any(n.startswith(("table", "see")) for n in names)


def test_novel_components_rank_first() -> None:
    components = find_components(sentences_of(section("Method", METHOD)))
    flags = [c.novel for c in components]
    assert flags == sorted(flags, reverse=True)
    assert components[0].name == "Cross-View Consistency Module"


def test_related_work_acronyms_are_never_components() -> None:
    related = section(
        "Related Work",
        "Bootstrap Your Own Latent Module (BYOLM) uses a momentum encoder.",
        SectionRole.RELATED_WORK,
    )
    assert find_components(sentences_of(related)) == []


def test_method_name_from_the_title_is_not_a_component() -> None:
    text = "We propose the Teacher Informed Distillation Engine (TIDE) with a novel fusion block."
    names = [c.name for c in find_components(sentences_of(section("Method", text)), "TIDE: x")]
    assert names == ["fusion block"]


def test_plural_and_case_variants_merge() -> None:
    text = (
        "Our Prototype Memories (PMs) store centres. The prototype memory is refreshed. "
        "Prototype memories are cheap."
    )
    (component,) = find_components(sentences_of(section("Method", text)))
    assert component.acronym == "PMs"
    assert component.mentions == 3


def test_method_subsection_title_names_a_novel_component() -> None:
    from ablab.analysis.sentences import Sentence
    from ablab.schema import SectionRole as Role

    body = sentences_of(section("Feature Alignment Module", "The module maps student features."))
    headings = [
        Sentence("Feature Alignment Module", Role.METHOD, "s-fam", "Feature Alignment Module", 9),
        Sentence("Transformer Encoder", Role.METHOD, "s-enc", "Transformer Encoder", 10),
    ]
    components = {c.name: c for c in find_components(body, headings=headings)}
    assert components["Feature Alignment Module"].novel is True
    assert "Transformer Encoder" not in components or not components["Transformer Encoder"].novel


def test_announced_part_with_an_acronym_is_novel() -> None:
    found = find_components(
        sentences_of(
            section(
                "Method",
                "The feature alignment module (FAM) maps features. The FAM is small.",
            ),
            abstract=(
                "We propose CoDA, which aligns features with a temperature-scaled InfoNCE loss "
                "and a feature alignment module."
            ),
        )
    )
    (fam,) = [c for c in found if c.acronym == "FAM"]
    assert fam.novel is True
    assert all("infonce" not in c.name.lower() for c in found)  # a design term, not a part


def test_shorter_compound_inside_a_longer_one_is_not_separate() -> None:
    text = "Our feature alignment module is fast. The feature alignment module is small."
    names = [c.name for c in find_components(sentences_of(section("Method", text)))]
    assert names == ["feature alignment module"]


def test_standard_technique_names_are_design_terms_but_named_mlps_are_parts() -> None:
    text = (
        "The projection MLP is small. The projection MLP has 3 layers. A temperature-scaled "
        "InfoNCE loss is used. The InfoNCE loss is cheap. The cross-entropy loss is standard. "
        "The cross-entropy loss is used."
    )
    names = [c.name for c in find_components(sentences_of(section("Method", text)))]
    assert names == ["projection MLP"]


def test_acronym_plus_head_merges_into_the_acronym_component() -> None:
    text = (
        "We add a Cross-Level Attention (CLA) block. The CLA block attends to motifs. "
        "The CLA block is light."
    )
    components = find_components(sentences_of(section("Method", text)))
    assert [(c.name, c.acronym) for c in components] == [("Cross-Level Attention", "CLA")]
    assert components[0].mentions == 3
