"""The offline matcher's rules, one case per rule."""

from __future__ import annotations

from ablab.matching.matcher import match_ablations, profile, score_pair
from ablab.schema import Ablation, Action


def ab(part: str, action: str, replacement: list[str] | None = None, name: str = "") -> Ablation:
    return Ablation(
        name=name or part, ablated_part=part, action=Action(action), replacement=replacement
    )


def matched(a: Ablation, b: Ablation) -> bool:
    return bool(match_ablations([a], [b]))


def test_same_part_same_action_matches() -> None:
    assert matched(ab("stop-gradient operation", "REMOVE"), ab("stop gradient", "REMOVE"))


def test_remove_matches_replace_whose_options_include_removal() -> None:
    removal = ab("projection MLP", "REMOVE")
    with_removal = ab("projection MLP", "REPLACE", ["2-layer MLP", "no projection MLP"])
    without_removal = ab("projection MLP", "REPLACE", ["2-layer MLP", "4-layer MLP"])
    full = score_pair(profile(removal), profile(with_removal))
    partial = score_pair(profile(removal), profile(without_removal))
    assert full.action == 1.0
    assert partial.action < 1.0
    assert full.score > partial.score
    assert matched(removal, with_removal)


def test_an_only_option_counts_as_removing_the_rest() -> None:
    removal = ab("edge generation", "REMOVE")
    keep_one = ab("edge generation", "REPLACE", ["attribute generation only"])
    assert score_pair(profile(removal), profile(keep_one)).action == 1.0


def test_replace_with_overlapping_options_matches_and_scores_higher() -> None:
    a = ab("similarity function of the loss", "REPLACE", ["cosine similarity", "L2 distance"])
    b = ab("similarity measure", "REPLACE", ["L2 distance", "dot product"])
    c = ab("similarity measure", "REPLACE", ["Manhattan distance"])
    shared = score_pair(profile(a), profile(b))
    disjoint = score_pair(profile(a), profile(c))
    assert shared.options == 0.5
    assert disjoint.options == 0.0
    assert shared.score > disjoint.score
    assert matched(a, b)


def test_add_matches_add_and_replace_with_a_shared_option() -> None:
    add = ab("auxiliary depth loss", "ADD", ["depth loss weight 0.1"])
    add_again = ab("auxiliary depth loss", "ADD", ["depth loss weight 0.1", "weight 1.0"])
    replace_shared = ab("auxiliary depth loss", "REPLACE", ["depth loss weight 0.1"])
    replace_other = ab("auxiliary depth loss", "REPLACE", ["perceptual loss"])
    assert matched(add, add_again)
    assert score_pair(profile(add), profile(replace_shared)).action == 1.0
    assert score_pair(profile(add), profile(replace_other)).action < 1.0


def test_add_against_remove_is_penalised() -> None:
    pair = score_pair(profile(ab("dropout", "ADD", ["0.1"])), profile(ab("dropout", "REMOVE")))
    assert pair.action < 1.0


def test_different_parts_do_not_match() -> None:
    assert not matched(ab("batch size", "REPLACE", ["256"]), ab("stop-gradient", "REMOVE"))
    assert not matched(ab("learning rate schedule", "REPLACE"), ab("data augmentation", "REMOVE"))


def test_scores_are_symmetric() -> None:
    a = ab("prediction MLP h", "REPLACE", ["no predictor", "fixed random predictor"])
    b = ab("predictor", "REMOVE", name="Remove predictor")
    assert score_pair(profile(a), profile(b)) == score_pair(profile(b), profile(a))


def test_numbers_in_names_are_ranks_not_content() -> None:
    a = ab("batch size", "REPLACE", name="Ablation 1")
    b = ab("warmup length", "REPLACE", name="Ablation 1")
    assert not matched(a, b)


def test_many_to_one_matches_are_kept() -> None:
    reference = [ab("neighbour count K", "REPLACE"), ab("similarity threshold", "REPLACE")]
    plan = [ab("hyperparameters: neighbour count K and similarity threshold", "REPLACE")]
    pairs = {(m.reference, m.plan) for m in match_ablations(reference, plan)}
    assert pairs == {(0, 0), (1, 0)}


def test_a_weak_neighbour_of_a_strong_match_is_dropped() -> None:
    reference = [ab("dual relation graph", "REMOVE")]
    plan = [
        ab("dual relation graph", "REMOVE"),
        ab("graph attention network in the dual relation graph", "REPLACE", ["GCN"]),
    ]
    assert [m.plan for m in match_ablations(reference, plan)] == [0]
