from __future__ import annotations

from ablab.analysis.matching import same_target, target_key
from ablab.analysis.vocab import Vocabulary, trigger_words

ACRONYMS = {"CVCM": "Cross-View Consistency Module"}


def _same(a: str, b: str) -> bool:
    return same_target(target_key(a, ACRONYMS), target_key(b, ACRONYMS))


def test_acronym_and_expansion_match() -> None:
    assert _same("CVCM", "Cross-View Consistency Module (CVCM)")
    assert _same("the cross-view consistency module", "Cross-View Consistency Module (CVCM)")


def test_symbols_decide_when_present() -> None:
    assert _same("λ", "weight λ of the prototype separation loss")
    assert _same("\\lambda", "loss weight λ")
    assert not _same("λ", "τ")
    assert not _same("weight λ of the prototype separation loss", "prototype separation loss")


def test_token_overlap() -> None:
    assert _same("gate sparsity regularizer", "ℓ1 sparsity regularizer")
    assert not _same("consistency loss", "prototype separation loss")
    assert not _same("loss", "consistency loss")  # a generic word alone names nothing
    assert _same("dropout", "dropout rate")
    assert not _same("", "anything")


def test_trigger_words() -> None:
    words = trigger_words("A KL-divergence on ResNet50 features (top-1)")
    assert {"kl-divergence", "kl", "divergence", "resnet50", "resnet", "top", "1"} <= words


def test_vocabulary_prefers_earlier_entries_on_overlap() -> None:
    vocab = Vocabulary(
        [(r"\bvision transformers?\b", ("vision",)), (r"\btransformers?\b", ("transformer",))]
    )
    (hit,) = vocab.find("a vision transformer backbone")
    assert hit.entry == 0 and hit.text == "vision transformer"
    assert [h.entry for h in vocab.find("a transformer and a vision transformer")] == [1, 0]
    assert vocab.first("nothing here") is None


def test_hyperparameter_named_without_its_symbol() -> None:
    assert _same("Temperature", "temperature τ")
    assert not _same("prototype separation loss", "weight λ of the prototype separation loss")
