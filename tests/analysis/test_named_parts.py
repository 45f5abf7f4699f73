"""Parts named by method subsection titles and by symbols; design-vocabulary rules; model sizes."""

from __future__ import annotations

from ablab.analysis.components import find_parts
from ablab.analysis.design import find_design
from ablab.analysis.sentences import Sentence
from ablab.analysis.variants import MODEL_SIZE, find_model_variants
from ablab.schema import SectionRole

from .builders import section, sentences_of


def _heading(title: str, index: int = 90) -> Sentence:
    return Sentence(title, SectionRole.METHOD, "s-" + title.lower(), title, index)


def test_a_sentence_case_subsection_title_names_the_papers_own_mechanism() -> None:
    body = section("Relative position bias", "Scores receive a learned relative position bias B.")
    body.id = "s-relative position bias"
    found = find_parts(sentences_of(body), headings=[_heading("Relative position bias")])
    (bias,) = found.components
    assert (bias.name, bias.kind, bias.novel) == ("Relative position bias", "mechanism", True)
    # "learned relative position bias" is the same part, counted once
    assert bias.mentions == 1
    # quoted from the subsection's text, not its title
    assert bias.evidence[0].quote.startswith("Scores receive")


def test_a_title_phrase_that_is_a_standard_part_is_not_novel() -> None:
    body = section("Transformer encoder", "The transformer encoder has six layers.")
    found = find_parts(sentences_of(body), headings=[_heading("Transformer encoder")])
    assert not any(c.novel for c in found.components)


def test_capitals_plural_and_procedure_titles_name_no_part_of_their_own() -> None:
    blocks = section("MODULAR BUILDING BLOCKS", "Two building blocks are stacked in every layer.")
    strategy = section("META-TRAINING STRATEGY", "Tasks are sampled in episodes of five classes.")
    gate = section("FOLDING GATE", "The folding gate mixes the heads of every block.")
    found = find_parts(
        sentences_of(blocks, strategy, gate),
        headings=[
            _heading("MODULAR BUILDING BLOCKS"),
            _heading("META-TRAINING STRATEGY", 91),
            _heading("FOLDING GATE", 92),
        ],
    )
    novel = {c.name.lower() for c in found.components if c.novel}
    assert novel == {"folding gate"}


def test_a_module_named_with_a_symbol_is_kept_with_one_mention() -> None:
    text = "A prediction MLP h maps one view to the other. The loss is symmetric."
    (mlp,) = find_parts(sentences_of(section("Method", text))).components
    assert (mlp.name, mlp.symbol, mlp.mentions) == ("prediction MLP", "h", 1)


def test_an_article_after_a_phrase_is_not_a_symbol() -> None:
    text = "The fusion block a few layers deep is used. The fusion block is small."
    (block,) = find_parts(sentences_of(section("Method", text))).components
    assert block.symbol is None


def _choices(text: str) -> dict[str, str | None]:
    found = find_design(sentences_of(section("Method", text)))
    return {d.choice: d.used_for for d in found.choices}


def test_a_choice_is_never_used_for_itself() -> None:
    from ablab.analysis.component_index import ComponentIndex
    from ablab.schema import Component

    index = ComponentIndex([Component(name="multi-head self-attention", acronym="MSA")])
    found = find_design(
        sentences_of(
            section("Method", "Each block uses multi-head self-attention (MSA) over windows.")
        ),
        lambda text, at: index.nearest(text, at, 40),
    )
    assert {d.choice: d.used_for for d in found.choices}["multi-head attention"] is None


def test_alternating_needs_an_optimisation_schedule() -> None:
    assert "alternating optimization" not in _choices(
        "Consecutive blocks alternate between the regular and the shifted window partition."
    )
    assert "alternating optimization" not in _choices(
        "The methods alternate between sampling data and optimizing a surrogate objective."
    )
    assert "alternating optimization" in _choices("We use alternating optimization of both nets.")
    assert "alternating optimization" in _choices("Training alternates between the two losses.")


def test_weight_averaging_is_not_an_ema_teacher() -> None:
    weights = _choices("We keep an exponential moving average of the weights with decay 0.9999.")
    assert "EMA of the weights" in weights and "EMA teacher" not in weights
    teacher = _choices("The teacher is an exponential moving average of the student.")
    assert "EMA teacher" in teacher


def test_shortcut_connections_are_residual_connections() -> None:
    assert "residual connections" in _choices("A shortcut connection adds the input back.")


def test_adaptive_layer_norm_refines_layer_norm() -> None:
    found = _choices(
        "We use adaptive layer norm (adaLN): the scale and shift of each layer norm are "
        "regressed from the condition."
    )
    assert "adaLN conditioning (adaptive layer norm)" in found and "LayerNorm" not in found
    assert "LayerNorm" in _choices("Each block applies layer normalization first.")


def test_named_model_sizes_become_one_choice() -> None:
    sentences = sentences_of(
        section("Model sizes", "Four configurations, DiT-S, DiT-B, DiT-L and DiT-XL, vary depth.")
    )
    variants = find_model_variants(sentences)
    assert variants is not None and variants.choice == MODEL_SIZE
    assert variants.alternatives == ["DiT-S", "DiT-B", "DiT-L", "DiT-XL"]
    assert find_model_variants(sentences_of(section("Method", "We use a ResNet-50."))) is None
    # sizes only named in the results are not the method's own
    results = section("Results", "BERT-Base and BERT-Large both win.", SectionRole.RESULTS)
    assert find_model_variants(sentences_of(results)) is None
    # one size spelled two ways is not two sizes
    spelled = section("Encoder", "We use the ViT-B encoder; ViT-Base stays frozen.")
    assert find_model_variants(sentences_of(spelled)) is None


def test_alternatives_the_paper_turns_down() -> None:
    from ablab.analysis.rejected import find_rejected_alternatives

    noise = section(
        "Noise prediction parameterization",
        "Instead of predicting the posterior mean directly, the network predicts the noise.",
    )
    window = section(
        "Shifted window attention",
        "Each block replaces global multi-head self-attention (MSA) with window-based MSA.",
    )
    vague = section("Training details", "Rather than tuning the learning rate, we fix it.")
    several = section("Encoder and decoder", "Instead of recurrent layers, we use attention.")
    describes = section(
        "Aspect-centred parse tree", "The focus here is one aspect rather than the tree's root."
    )
    found = {
        d.choice: d.alternatives
        for d in find_rejected_alternatives(sentences_of(noise, window, vague, several, describes))
    }
    assert found == {
        "Noise prediction parameterization": ["predicting the posterior mean directly"],
        "Shifted window attention": ["global multi-head self-attention"],
    }


def test_a_named_trick_is_a_component_after_one_mention() -> None:
    text = "For stability we apply a renormalization trick to the adjacency matrix."
    (trick,) = find_parts(sentences_of(section("Method", text))).components
    assert (trick.name, trick.kind) == ("renormalization trick", "mechanism")


def test_scale_augmentation_is_a_choice() -> None:
    assert "scale augmentation" in _choices("Images are resized at random for scale augmentation.")


def test_the_mechanism_a_title_names_is_the_papers_own() -> None:
    body = section(
        "Method",
        "Attention is computed inside local windows. Consecutive layers use shifted windows, "
        "so information crosses window borders.",
    )
    title = "Winda: Hierarchical Vision Transformers with Shifted Windows"
    (mechanism,) = find_parts(sentences_of(body), title).components
    assert (mechanism.name, mechanism.novel) == ("Shifted Windows", True)
    assert mechanism.mentions == 1
    # a whole network named after "with" is the method, not one of its parts
    backbone = "Scalable Diffusion Models with Transformers"
    assert (
        find_parts(sentences_of(section("Method", "The transformer is deep.")), backbone).components
        == []
    )
    # a subsection already naming the mechanism is enough
    titled = section("Shifted window attention", "Consecutive blocks use shifted windows.")
    found = find_parts(sentences_of(titled), title, [_heading("Shifted window attention")])
    assert [c.name for c in found.components] == ["Shifted window attention"]


def test_a_clause_is_not_what_a_choice_is_used_for() -> None:
    found = _choices("An addition to clipping is a penalty on the KL divergence of the policies.")
    assert found["KL divergence"] is None or " is " not in found["KL divergence"]
    assert _choices("We use the KL divergence for the consistency loss.")["KL divergence"] == (
        "consistency loss"
    )


def test_the_choice_named_before_instead_of_is_the_choice() -> None:
    from ablab.analysis.rejected import find_rejected_alternatives

    loss = section(
        "RECONSTRUCTION LOSS",
        "As the target of the reconstruction term we use a log-magnitude spectrogram instead of "
        "the raw signal.",
    )
    found = {d.choice: d.alternatives for d in find_rejected_alternatives(sentences_of(loss))}
    assert found == {"log-magnitude spectrogram": ["raw signal"]}


def test_a_two_stage_inference_is_no_training_schedule() -> None:
    inference = "At test time we run a two-stage inference pipeline."
    assert "two-stage training" not in _choices(inference)
    assert "two-stage training" in _choices("We adopt two-stage training: pretrain, then tune.")


def test_notation_is_no_design_choice() -> None:
    from ablab.analysis.rejected import find_rejected_alternatives

    notation = section(
        "Low-rank update",
        "For brevity we use lower-case letters instead of the earlier matrix form notation.",
    )
    assert find_rejected_alternatives(sentences_of(notation)) == []


def test_an_average_of_weights_kept_for_sampling_is_no_teacher() -> None:
    def teachers(text: str) -> list[str]:
        found = find_design(sentences_of(section("Method", text))).choices
        return [d.choice for d in found if "frozen teacher" in d.alternatives]

    assert teachers("We keep an EMA of the weights for sampling.") == []
    assert teachers("We use an exponential moving average (EMA) over parameters, rate 0.999.") == []
    assert teachers("An EMA of the student serves as the teacher.")


def test_the_cross_entropy_method_is_no_loss() -> None:
    assert "cross-entropy loss" not in _choices("We solve it with the cross-entropy method (CEM).")
    assert "cross-entropy loss" not in _choices("It minimises a cross-entropy measure of the fit.")
    assert "cross-entropy loss" in _choices("The classifier is trained with a cross-entropy loss.")


def test_a_title_and_an_alternative_of_another_kind_are_no_question() -> None:
    from ablab.analysis.rejected import find_rejected_alternatives

    policy = section(
        "Policy optimization",
        "We model the marginal policy as a mixture of experts instead of a single Gaussian.",
    )
    assert find_rejected_alternatives(sentences_of(policy)) == []
