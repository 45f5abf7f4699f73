from __future__ import annotations

from ablab.analysis.existing import find_existing_ablations
from ablab.schema import Action, SectionRole, Table

from .builders import section, sentences_of

ACRONYMS = {"CVCM": "Cross-View Consistency Module", "APM": "Adaptive Prototype Memory"}


def _run(*sections, known=()):  # type: ignore[no-untyped-def]
    flat = [s for top in sections for s in top.walk()]
    return find_existing_ablations(flat, sentences_of(*sections), ACRONYMS, list(known))


def test_table_rows() -> None:
    table = Table(
        caption="Ablation of the components.",
        header=["Variant", "Acc"],
        rows=[
            ["Ours (full)", "76.1"],
            ["w/o CVCM", "73.2"],
            ["without APM", "74.0"],
            ["- memory refresh", "75.0"],
            ["KL → MSE", "75.1"],
            ["+ extra head", "76.0"],
            ["Joint Opt", "74.8"],
        ],
    )
    found = _run(section("Ablation Study", "", SectionRole.ABLATIONS, tables=[table]))
    by_target = {e.target: e for e in found}
    assert by_target["Cross-View Consistency Module (CVCM)"].action is Action.REMOVE
    assert by_target["Adaptive Prototype Memory (APM)"].action is Action.REMOVE
    assert by_target["memory refresh"].action is Action.REMOVE
    assert by_target["KL"].action is Action.REPLACE and by_target["KL"].replacement == ["MSE"]
    assert by_target["extra head"].action is Action.ADD
    assert by_target["Joint Opt"].action is None  # a named variant, kept as it is
    assert "Ours (full)" not in by_target
    assert all(e.source == "table_row" for e in found)
    assert "w/o CVCM" in by_target["Cross-View Consistency Module (CVCM)"].evidence[0].quote


def test_hyperparameter_sweep_table() -> None:
    table = Table(
        caption="Sensitivity to λ.",
        header=["λ", "Acc"],
        rows=[["0.1", "1"], ["0.5", "2"], ["1.0", "3"]],
    )
    (sweep,) = _run(section("Results", "", SectionRole.RESULTS, tables=[table]))
    assert sweep.target == "λ"
    assert sweep.replacement == ["λ = 0.1", "λ = 0.5", "λ = 1.0"]


def test_sentences() -> None:
    text = (
        "Without the CVCM, accuracy drops by 2.9 points. "
        "Removing the APM and learning the prototypes by back-propagation costs 1.7 points. "
        "Replacing the token gate with uniform token weights reduces accuracy. "
        "Training with fixed crop scales instead of the view scheduler costs 0.8 points. "
        "We also vary the weight λ of the separation loss in Table 4. "
        "We test τ ∈ {0.05, 0.1, 0.2}."
    )
    found = _run(section("Ablation Study", text, SectionRole.ABLATIONS))
    described = {(e.target, e.action, tuple(e.replacement or ())) for e in found}
    assert ("Cross-View Consistency Module (CVCM)", Action.REMOVE, ()) in described
    assert ("Adaptive Prototype Memory (APM)", Action.REMOVE, ()) in described
    assert ("token gate", Action.REPLACE, ("uniform token weights",)) in described
    assert ("view scheduler", Action.REPLACE, ("fixed crop scales",)) in described
    assert ("weight λ of the separation loss", Action.REPLACE, ()) in described
    assert ("τ", Action.REPLACE, ("τ = 0.05", "τ = 0.1", "τ = 0.2")) in described
    assert all(e.source == "sentence" for e in found)


def test_method_sentences_and_unrelated_without_are_ignored() -> None:
    method = section("Method", "We train without negative pairs, removing the queue.")
    setup = section(
        "Setup", "We pretrain on ImageNet without labels and evaluate it.", SectionRole.EXPERIMENTS
    )
    assert _run(method, setup) == []


def test_known_target_without_outcome_words_is_kept() -> None:
    setup = section(
        "Setup", "We also train a model without the mapping layer.", SectionRole.EXPERIMENTS
    )
    (found,) = _run(setup, known=["mapping layer"])
    assert found.target == "mapping layer" and found.action is Action.REMOVE


def test_ablation_subsection_heading() -> None:
    child = section("Effect of the memory size", "", SectionRole.ABLATIONS, level=2)
    parent = section("Ablations", "", SectionRole.ABLATIONS, children=[child])
    (found,) = _run(parent)
    assert found.target == "memory size" and found.source == "section"


def test_row_and_sentence_about_the_same_target_merge() -> None:
    table = Table(header=["Variant", "Acc"], rows=[["w/o CVCM", "1"]])
    found = _run(
        section(
            "Ablations", "Without the CVCM, accuracy drops.", SectionRole.ABLATIONS, tables=[table]
        )
    )
    assert len(found) == 1 and len(found[0].evidence) == 2


def test_row_named_like_the_paper_is_the_full_model() -> None:
    table = Table(header=["Variant", "AUC"], rows=[["HiRoute", "72.3"], ["w/o CLA", "70.2"]])
    sections = [section("Ablation Study", "", SectionRole.ABLATIONS, tables=[table])]
    found = find_existing_ablations(
        sections, sentences_of(*sections), {}, [], "HiRoute: Hierarchical Routing"
    )
    assert [e.target for e in found] == ["CLA"]
