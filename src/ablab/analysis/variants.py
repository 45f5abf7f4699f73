"""Model sizes the paper names: "DiT-S, DiT-B, DiT-L and DiT-XL", "BERT-Base ... BERT-Large".

A method described in several sizes invites the question of how its results scale; the sizes the
paper itself defines are the natural values to compare. They become one design choice, ``model
size``, whose alternatives are the named variants.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ablab.analysis.sentences import EvidenceKeeper, Sentence
from ablab.schema import DesignChoice, SectionRole

MODEL_SIZE = "model size"
"""The choice name of the model-size design choice."""

_VARIANT = re.compile(
    r"(?<![\w-])(?P<prefix>[A-Z][A-Za-z]{1,15})-(?P<size>XS|S|B|L|XL|XXL|H|G|Ti|Tiny|Small|Base|"
    r"Medium|Large|Huge|Giant)(?![\w-])"
)
_SIZE_LETTERS = {
    "Tiny": "Ti", "Small": "S", "Base": "B", "Medium": "M", "Large": "L", "Huge": "H",
    "Giant": "G",
}  # fmt: skip
_ROLES = frozenset(
    {SectionRole.ABSTRACT, SectionRole.METHOD, SectionRole.OTHER, SectionRole.APPENDIX}
)
_MIN_VARIANTS = 2


def find_model_variants(sentences: Sequence[Sentence]) -> DesignChoice | None:
    """The model sizes the method is described in, when it names at least two, else None."""
    by_prefix: dict[str, list[str]] = {}
    seen: dict[str, set[str]] = {}
    evidence: dict[str, EvidenceKeeper] = {}
    for sentence in sentences:
        if sentence.role not in _ROLES or "-" not in sentence.text:
            continue
        for match in _VARIANT.finditer(sentence.text):
            prefix = match.group("prefix")
            names = by_prefix.setdefault(prefix, [])
            size = _SIZE_LETTERS.get(match.group("size"), match.group("size"))
            if size not in seen.setdefault(prefix, set()):  # "ViT-B" and "ViT-Base": one size
                seen[prefix].add(size)
                names.append(match.group(0))
            evidence.setdefault(prefix, EvidenceKeeper(2)).add(sentence, *match.span())
    named = [(p, n) for p, n in by_prefix.items() if len(n) >= _MIN_VARIANTS]
    if not named:
        return None
    prefix, variants = max(named, key=lambda item: len(item[1]))
    return DesignChoice(
        choice=MODEL_SIZE,
        category="architecture",
        alternatives=variants,
        evidence=evidence[prefix].result(),
    )
