"""What the paper's method is called: ``Swin Transformer``, ``SimCLR``, ``DiT``.

A part named like the whole method is not something to ablate: "remove the Swin Transformer" from
the Swin Transformer paper removes everything. Names come from the title (the words before a
colon, when short) and from the abstract ("we introduce BERT", "our method, SimSiam, ...",
"Diffusion Transformers (DiT)").
"""

from __future__ import annotations

import re

from ablab.analysis.acronyms import find_definitions
from ablab.analysis.terms import term_key

_WORD = re.compile(r"[A-Za-z][A-Za-z-]*")

_MAX_NAME_WORDS = 4
# "We introduce BERT", "we propose the Transformer", "we present Momentum Contrast (MoCo)",
# "our method, SimSiam,", "which we call X": a capitalised name right after the cue.
_ANNOUNCED = re.compile(
    r"\b(?:[Ww]e\s+(?:introduce|propose|present|describe|develop|design|devise|call|name|term)|[Oo]ur\s+(?:method|model|approach|"
    r"framework|architecture),?|[Ww]hich\s+we\s+(?:call|name|term)|called|dubbed|named)\s+"
    r"(?:(?:a|an|the)\s+)?(?:(?:new|novel|simple)\s+)?"
    r"(?:(?P<name>[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,3})"
    r"|(?P<phrase>[a-z][\w-]*(?:\s+[a-z][\w-]*){0,4})\s+\((?P<acronym>[A-Z][A-Za-z0-9-]{1,11})\))"
)
_PROPOSES = re.compile(r"\b[Ww]e\s+(?:propose|introduce|present|develop|devise|call)\b")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
_NAME_ACRONYM = re.compile(r"\((?P<acronym>[A-Z][A-Za-z0-9-]{1,11})\)")


def method_names(title: str, abstract: str = "") -> frozenset[str]:
    """Term keys of the names the paper gives its own method (lower case, singular)."""
    names: set[str] = set()
    head, colon, _ = title.partition(":")
    if colon and 0 < len(head.split()) <= _MAX_NAME_WORDS:
        names.add(head)
    for match in _ANNOUNCED.finditer(abstract):
        if match.group("name"):
            names.add(match.group("name"))
            after = _NAME_ACRONYM.match(abstract, match.end("name") + 1)
            if after:
                names.add(after.group("acronym"))
        else:  # "which we call proximal policy optimization (PPO)"
            names.update((match.group("phrase"), match.group("acronym")))
    # "We propose an efficient alternative - Differentiable Data Selection (DDS) -": an acronym
    # defined in the sentence where the abstract announces its proposal names the method.
    for sentence in _SENTENCE_END.split(abstract):
        if _PROPOSES.search(sentence):
            for definition in find_definitions(sentence):
                names.add(definition.acronym)
                capitals = sum(ch.isupper() for ch in definition.acronym)
                if len(_WORD.findall(definition.expansion)) == capitals:
                    names.add(definition.expansion)  # a clean expansion, one word per letter
    # "masked autoencoders (MAE)" in the abstract of "Masked Autoencoders Are ...": an acronym
    # whose expansion is spelled out by the title names the paper's method.
    title_words = {w.lower() for w in _WORD.findall(title)}
    for definition in find_definitions(abstract):
        expansion = [w.lower() for w in _WORD.findall(definition.expansion)]
        if len(expansion) >= 2 and all(
            w in title_words or w.rstrip("s") in title_words for w in expansion
        ):
            names.update((definition.expansion, definition.acronym))
    return frozenset(k for k in (term_key(n) for n in names) if k)
