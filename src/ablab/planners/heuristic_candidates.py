"""Candidate ablations for the heuristic planner, each with a score and an explanation.

Scores put the paper's own components first (removing them tests the central claims), then
design choices with standard alternatives, then sweeps of method-specific hyperparameters, then
generic training settings and additions. Ties keep the analysis order, so plans are deterministic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ablab.analysis.alternatives import DESIGN_ENTRIES, DesignEntry
from ablab.analysis.components import STANDARD_PART_HEADS
from ablab.analysis.design import DESIGN_VOCAB
from ablab.analysis.symbols import symbol_key
from ablab.analysis.terms import shares_word, singular, term_key, words
from ablab.analysis.variants import MODEL_SIZE
from ablab.planners.heuristic_sweeps import display_name, is_model_size, is_size, sweep_labels
from ablab.schema import (
    Ablation,
    Action,
    Analysis,
    Component,
    DesignChoice,
    Evidence,
    Hyperparameter,
)

_GENERIC_TRAINING = re.compile(
    r"learning rate|\blr\b|batch size|weight decay|epochs|iterations|steps|warm-up|"
    r"hidden dimension|output dimension|embedding dimension|dropout|gradient clipping|"
    r"sequence length|step size|^momentum$|^(?:Adam|AdamW|SGD|LARS|LAMB|RMSprop|Adagrad)\b",
    re.IGNORECASE,
)
_METHOD_KNOBS = re.compile(
    r"temperature|weight|margin|ratio|threshold|interval|number of|coefficient|momentum|top-k",
    re.IGNORECASE,
)


# "Because SGD is unstable at these sizes, we use LARS", "aggregated over all devices, so that
# ...": a choice the paper argues for is a claim, and claims are what ablations test.
_JUSTIFIED = re.compile(
    r"\b(?:because|since|so that|in order to|otherwise|to (?:avoid|prevent|stabili[sz]e|ensure))\b",
    re.IGNORECASE,
)
JUSTIFIED_BONUS = 1.5
"""Added to a design choice whose evidence argues for it."""
PAPER_ALTERNATIVE_WEIGHT = 6.5
"""Weight of a choice whose alternative the paper itself names and turns down."""


@dataclass
class Candidate:
    """One possible ablation with what the planner needs to rank and explain it."""

    ablation: Ablation
    """The ablation (metrics are filled in by the planner)."""
    score: float
    """Importance; higher first."""
    family: str
    """``component``, ``design``, ``sweep`` or ``add``: the planner mixes families."""
    part: str
    """Normalised name of the ablated part: two ablations of one part are avoided."""
    match_text: str
    """What is compared with the paper's existing ablations."""
    why: str
    """One or two sentences for the reasoning trace (Markdown)."""
    confidence: float = 0.5
    """How sound the ablation is, from its evidence alone (0-1): a plan holds only candidates
    at or above the planner's threshold, so a weak one never fills a slot."""


def _times(count: int) -> str:
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


def _quote(evidence: list[Evidence]) -> str:
    if not evidence:
        return ""
    first = evidence[0]
    where = f'section "{first.section_title}"' if first.section_title else "the paper"
    return f' ({where}: "{first.quote}")'


def part_name(name: str) -> str:
    """A part's name as it reads mid-sentence: a capital that only starts a heading or a
    sentence is dropped ("Shifted window attention" -> "shifted window attention"), names in
    title case or with acronyms ("Cross-View Consistency Module", "W-MSA") are kept."""
    tokens = name.split()
    if not tokens or not tokens[0][:1].isupper() or len(tokens) < 2:
        return name
    first, rest = tokens[0], tokens[1:]
    if not first[1:].replace("-", "").isalpha() or not first[1:].islower():
        return name
    if any(t[:1].isupper() for t in rest):
        return name
    return first[0].lower() + first[1:] + " " + " ".join(rest)


def component_label(component: Component) -> str:
    """``Cross-View Consistency Module (CVCM)`` or just the name."""
    name = part_name(component.name)
    return f"{name} ({component.acronym})" if component.acronym else name


# Participles that describe rather than modify a part: "the proposed module" is the module.
_DESCRIPTIVE_PARTICIPLES = frozenset(
    {
        "based", "proposed", "used", "called", "named", "related", "fixed", "learned", "trained",
        "detailed", "improved", "extended", "modified", "advanced", "enhanced", "refined",
        "required", "desired", "expected", "supervised", "unsupervised", "distributed",
        "combined", "embedded", "connected", "red", "bed", "need",
    }
)  # fmt: skip


_STEM = 5
# "loss" is not among them: a loss named after the title ("X loss" in "X for ...") is often an
# added objective the paper removes in its own ablation (seen on the held-out papers).
_GENERIC_HEADS = frozenset(
    {"mechanism", "module", "layer", "block", "unit", "component", "term", "penalty"}
)


def names_the_method(name: str, title: str) -> bool:
    """Whether a part's name is mostly the title's subject ("multi-scale retention" in
    "Retentive Network", "root mean square layer normalization"): the core mechanism a paper
    is named after, whose removal leaves no method (it is compared with alternatives instead)."""
    title_stems = {w.lower()[:_STEM] for w in words(title) if w.lower() not in _TITLE_VAGUE}
    stems = [
        w.lower()[:_STEM]
        for w in words(name)
        if w.lower() not in _TITLE_VAGUE and singular(w.lower()) not in _GENERIC_HEADS
    ]
    stems = [s for s in stems if s not in ("multi", "singl")]
    shared = sum(s in title_stems for s in stems)
    if bool(stems) and 3 * shared >= 2 * len(stems):
        return True
    tokens = words(name)
    return bool(tokens) and _coined_from_title(tokens[-1], title)


def _spelled_out_in_title(name: str, title: str) -> bool:
    """Whether every word of a multi-word part name, hyphenated parts included, is in the title
    ("Multi-Agent Actor Critic" in "Multi-Agent Actor-Critic for Mixed ... Environments")."""

    def stems(text: str) -> set[str]:
        return {p.lower()[:_STEM] for w in words(text) for p in w.split("-") if p}

    own = stems(name)
    return len(own) >= 3 and own <= stems(title)


def _coined_from_title(word: str, title: str) -> bool:
    """Whether ``word`` is a coined name built from the title's initials ("RMSNorm" for "Root
    Mean Square Layer Normalization")."""
    initials = "".join(w[0] for w in words(title) if w.lower() not in _TITLE_VAGUE).lower()
    return (
        word[1:] != word[1:].lower()
        and len(initials) >= 3
        and any(word.lower().startswith(initials[i : i + 3]) for i in range(len(initials) - 2))
    )


def method_variant(name: str, title: str) -> tuple[str, str] | None:
    """For a variant of the method named after it ("partial RMSNorm"), the method itself as
    both base and plain variant: the informative comparison is with the unmodified method."""
    tokens = name.split()
    if len(tokens) >= 2 and _coined_from_title(tokens[-1], title):
        return tokens[-1], tokens[-1]
    return None


def modifier_ablation(name: str) -> tuple[str, str] | None:
    """For a part named by what is done to a base part ("shifted window attention", "clipped
    surrogate objective"), the base and the variant without it ("window attention without
    shifting"); for a "multi-X" part, the single-X variant ("multi-scale retention" ->
    "single-scale retention"); None for other names."""
    tokens = name.split()
    if len(tokens) < 2 and not name.lower().startswith("multi-"):
        return None
    if tokens[0].lower().startswith("multi-") and len(tokens[0]) > 6:
        single = ("Single-" if tokens[0][0].isupper() else "single-") + tokens[0][6:]
        base = " ".join([tokens[0][6:], *tokens[1:]])
        return base, " ".join([single, *tokens[1:]])
    first = tokens[0].lower()
    if not first.endswith("ed") or len(first) < 6 or not first.isalpha():
        return None
    if first in _DESCRIPTIVE_PARTICIPLES:
        return None
    stem = first[:-3] + "y" if first.endswith("ied") else first[:-2]
    base = " ".join(tokens[1:])
    return base, f"{base} without {stem}ing"


_INPUT_EMBEDDINGS = frozenset({"token", "word", "input", "patch", "output", "wordpiece"})


def _removable(component: Component) -> bool:
    if component.kind == "data":
        return False
    tokens = words(component.name)
    head = singular(tokens[-1]) if tokens else ""
    if head == "embedding" and len(tokens) > 1:
        # a segment, position or timestep embedding is an extra input; token embeddings are not
        return tokens[-2].lower() not in _INPUT_EMBEDDINGS and component.mentions >= 2
    if head in STANDARD_PART_HEADS:
        return False  # a network needs its encoder, even a novel one: that is a REPLACE
    if head in _MEASURE_HEADS:
        return False  # "Detection Score": what the paper measures, not a part it could drop
    if component.novel:
        return True
    if component.kind == "module":
        # a module the paper names with a symbol ("a prediction MLP h") is a defined part
        return component.mentions >= 3 or (component.symbol is not None and component.mentions > 0)
    if component.kind == "other":
        # "next sentence prediction (NSP)": a named part without a telling head word
        return component.acronym is not None and component.mentions >= 2
    if head == "trick":
        return component.mentions >= 1  # a named technique, even when named once
    return (
        component.kind in ("loss", "regularizer", "mechanism", "stage") and component.mentions >= 2
    )


_MEASURE_HEADS = frozenset({"score", "metric", "accuracy", "error", "distance", "measure"})

_REMOVE_HOW = {
    "loss": "train without this term, its weight set to 0",
    "regularizer": "train without this term, its weight set to 0",
    "stage": "skip this stage and keep the rest of the training recipe unchanged",
    "mechanism": "disable it and keep everything else unchanged",
    "other": "disable it and keep everything else unchanged",
}


def component_candidates(analysis: Analysis) -> list[Candidate]:
    """REMOVE each removable component, the paper's own ones first; a part named by what is
    done to a base part ("shifted window attention") is REPLACEd by the base without it."""
    candidates = []
    losses = sum(c.kind == "loss" for c in analysis.components)
    for rank, component in enumerate(analysis.components):
        if not _removable(component):
            continue
        modified = modifier_ablation(part_name(component.name)) or method_variant(
            part_name(component.name), analysis.title
        )
        if modified is None and names_the_method(component.name, analysis.title):
            continue  # "retention" in "Retentive Network": removing it removes the method
        if _spelled_out_in_title(component.name, analysis.title):
            continue  # "Multi-Agent Actor Critic" in a title of that name: the method itself
        if modified is None and _REPLACE_ONLY.search(component.name):
            continue  # a strategy or scheme is replaced by another one, never removed
        if modified is None and component.kind == "loss" and not _extra_loss(component, losses):
            continue  # training needs its objective: without another loss there is nothing left
        label = component_label(component)
        if component.novel:
            score = 10.0 + min(component.mentions, 20) / 10 - 0.25 * rank
            claim = f"The {label} is one of the paper's own contributions"
            confidence = 0.7
        else:
            score = 4.5 + min(component.mentions, 10) / 10 - 0.2 * rank
            claim = f"The {label} is a distinct part of the method"
            # a named part the paper does not call its own: sound when it names it often or
            # stresses it ("crucially, we apply a stop-gradient")
            stressed = any(_STRESSED.search(e.quote) for e in component.evidence)
            named = component.acronym is not None and component.mentions >= 4
            # a named technique without a part head word ("Monte Carlo (MC)", "Supervised
            # Fine-Tuning (SFT)") is usually a standard procedure the method runs on
            technique = component.kind == "other"
            confidence = 0.5 if (named and not technique) or stressed else 0.35
            if modified is None:
                # On real papers every removal of a part the paper does not call its own was
                # junk (a background sampler, the only loss, another model's block): such parts
                # are compared with alternatives, not removed.
                confidence = min(confidence, 0.4)
        if modified is not None:
            ablation, why = _without_modifier(component, label, claim, modified)
        else:
            ablation, why = _removal(component, label, claim)
        candidates.append(
            Candidate(
                ablation, score, "component", term_key(component.name), label, why, confidence
            )
        )
    return candidates


_REPLACE_ONLY = re.compile(
    r"\b(?:strateg(?:y|ies)|schemes?|procedures?|formulations?|process(?:es)?|approach|"
    r"paradigm|objective|architecture|framework|pipeline|system|problems?|aggregators?|"
    r"schedules?|approximations?|"
    r"operators?|functions?|distributions?|access cost|cost)$",
    re.IGNORECASE,
)
_STRESSED = re.compile(
    r"\b(?:crucial(?:ly)?|essential|key|critical(?:ly)?|important(?:ly)?)\b", re.I
)
_EXTRA_LOSS = re.compile(r"\b(?:auxiliary|additional|extra|regulari[sz]\w*|penalty)\b", re.I)


def _extra_loss(component: Component, losses: int) -> bool:
    """Whether a loss can be left out: the paper has another loss, or calls it an extra."""
    return losses >= 2 or _EXTRA_LOSS.search(component.name) is not None


def _removal(component: Component, label: str, claim: str) -> tuple[Ablation, str]:
    how = _REMOVE_HOW.get(component.kind, "bypass it with an identity mapping")
    rationale = f"{claim}; {how} to measure how much of the reported gain it accounts for."
    ablation = Ablation(
        name=f"Remove the {part_name(component.name)}",
        ablated_part=label,
        action=Action.REMOVE,
        rationale=rationale,
        evidence=component.evidence[:2],
    )
    why = (
        f"{claim}, mentioned {_times(component.mentions)}{_quote(component.evidence)}. "
        f"Removing it tests whether it is needed at all: {how}."
    )
    return ablation, why


def _without_modifier(
    component: Component, label: str, claim: str, modified: tuple[str, str]
) -> tuple[Ablation, str]:
    base, variant = modified
    rationale = (
        f"{claim}; comparing it with the plain {variant} isolates what the modification adds "
        "over the standard part."
    )
    ablation = Ablation(
        name=f"Replace the {part_name(component.name)}",
        ablated_part=label,
        action=Action.REPLACE,
        replacement=[variant],
        rationale=rationale,
        evidence=component.evidence[:2],
    )
    why = (
        f"{claim}{_quote(component.evidence)}. Removing it outright would remove the {base} "
        f"itself; the informative comparison is the {variant}."
    )
    return ablation, why


def _entry_for(choice: str) -> DesignEntry | None:
    match = DESIGN_VOCAB.first(choice)
    return DESIGN_ENTRIES[match.entry] if match else None


def is_the_method(
    entry: DesignEntry | None, choice: str, title: str, names: frozenset[str]
) -> bool:
    """Whether a whole-model choice (``Transformer``) is what the paper itself is: it names the
    paper's method or appears in its title ("... Vision Transformers with Shifted Windows")."""
    if entry is None or not entry.whole_model:
        return False
    if term_key(choice) in names:
        return True
    return any(DESIGN_ENTRIES[m.entry] is entry for m in DESIGN_VOCAB.find(title))


def _the(name: str) -> str:
    """``the cosine similarity`` but ``BatchNorm``, ``InfoNCE contrastive loss``: technique
    names written with capitals read without an article."""
    first = name.split(" ", 1)[0]
    return name if any(c.isupper() for c in first) else f"the {name}"


def _own_words(design: DesignChoice, entry: DesignEntry | None) -> list[str]:
    """The paper's own words for a design choice, as its evidence quotes write them."""
    forms: list[str] = []
    for evidence in design.evidence:
        for match in DESIGN_VOCAB.find(evidence.quote):
            if DESIGN_ENTRIES[match.entry] is entry and match.text not in forms:
                forms.append(match.text)
    return forms


def _with_own_name(design: DesignChoice, forms: list[str]) -> str:
    """``InfoNCE contrastive loss (NT-Xent)``: the standard name, and the paper's own name for
    it when that is a different proper name or acronym."""
    for form in forms:
        capitals = sum(c.isupper() for c in form)
        if capitals >= 2 and " " not in form and form.lower() not in design.choice.lower():
            return f"{design.choice} ({form})"
    return design.choice


def design_candidates(
    analysis: Analysis, reviewer: bool, method: frozenset[str] = frozenset()
) -> list[Candidate]:
    """REPLACE each design choice with its standard alternatives.

    ``method`` holds the keys of the method's own names (see
    :func:`ablab.analysis.identity.method_names`): the network family the paper *is* is kept.
    """
    novel = {c.name.lower() for c in analysis.components if c.novel}
    candidates = []
    for rank, design in enumerate(analysis.design_choices):
        if not design.alternatives:
            continue
        entry = _entry_for(design.choice)
        if design.choice == MODEL_SIZE or is_the_method(
            entry, design.choice, analysis.title, method
        ):
            continue  # the model size is varied by its own rule (heuristic_scale)
        if _names_method(design.choice, method):
            continue  # "replace LoRA" in the LoRA paper compares the method with its baselines
        if design.named_by_paper and not all(sound_alternative(a) for a in design.alternatives):
            continue
        # the paper itself named the alternative ("instead of X", "we also tried Y")
        named = design.named_by_paper or entry is None
        weight = PAPER_ALTERNATIVE_WEIGHT if named else float(entry.weight)  # type: ignore[union-attr]
        used_for = part_name(design.used_for) if design.used_for else None
        central = used_for is not None and (
            used_for.lower() in novel or re.search(r"loss|objective", used_for, re.I) is not None
        )
        score = weight + (1.5 if central else 0.0) + (1.0 if reviewer else 0.0) - 0.1 * rank
        score += JUSTIFIED_BONUS if any(_JUSTIFIED.search(e.quote) for e in design.evidence) else 0
        forms = _own_words(design, entry)
        label = part_name(_with_own_name(design, forms))
        part = f"{label} used in the {used_for}" if used_for else label
        context = " ".join([analysis.title, *(e.quote for e in design.evidence)])
        replacement = [a for a in design.alternatives if _fits(a, context)][:3]
        if not replacement or not _fits(design.choice, context):
            continue  # ("photometric augmentations" in an event-sequence paper)
        shown = ", ".join(replacement)
        removes = all(a.lower().startswith("no ") for a in replacement)
        verb = "Remove" if removes else "Replace"
        name = f"{verb} {_the(part_name(design.choice))}" + (
            f" in the {used_for}" if used_for else ""
        )
        if named and len(replacement) == 1 and len(replacement[0].split()) <= 6:
            name += f" with {replacement[0]}"  # the paper's own alternative says what is asked
        use = f"{design.choice}" + (f" for the {used_for}" if used_for else "")
        if removes:
            rationale = (
                f"The paper relies on {use}; training without it shows whether it is needed."
            )
            test = "Removing it tests whether the method needs it."
        elif named:
            rationale = (
                f"The paper chooses {use} over {shown}, an alternative it names itself; "
                "comparing the two shows whether the choice matters."
            )
            test = f"The paper itself names the alternative: {shown}."
        else:
            rationale = (
                f"The paper uses {use} without comparing it with standard alternatives ({shown}); "
                "the comparison shows whether this specific choice matters or any reasonable one "
                "works."
            )
            test = (
                f"Standard alternatives are {shown}."
                if len(replacement) > 1
                else f"The standard alternative is {shown}."
            )
        why = f"The method uses {use}{_quote(design.evidence)}. {test}"
        ablation = Ablation(
            name=name,
            ablated_part=part,
            action=Action.REMOVE if removes else Action.REPLACE,
            replacement=None if removes else replacement,
            rationale=rationale,
            evidence=design.evidence[:2],
        )
        # The paper's own alternative is sound; a standard one only when the paper argues for
        # its choice or the choice is a part of its own named contribution. Swapping a whole
        # network family is never an ablation of one choice.
        justified = any(_JUSTIFIED.search(e.quote) for e in design.evidence)
        own_part = used_for is not None and used_for.lower() in novel
        if design.named_by_paper or entry is None:
            confidence = 0.75
        elif entry.whole_model or _inherent(design, entry, analysis.title):
            confidence = 0.1
        elif _in_title(design.choice, analysis.title):
            confidence = 0.55  # "Deep Residual Learning": the choice is the paper's subject
        elif entry.weight <= _LOW_LEVEL_WEIGHT:
            # an operator every network has (concatenation, softmax, ReLU, LayerNorm): swapping
            # it is rarely a question about this method, argued for or not
            confidence = 0.4
        elif justified or own_part or _method_level(entry, design):
            confidence = 0.45
        else:
            confidence = 0.3
        candidates.append(
            # matched against existing ablations by the paper's own words too
            Candidate(
                ablation,
                score,
                "design",
                # the paper's own alternative to a part is a question of its own, next to
                # removing or simplifying that part
                design.choice.lower() + (" vs alternative" if named else ""),
                " ".join([label, *forms]),
                why,
                confidence,
            )
        )
    return candidates


# A KL term in a variational bound, a trust region or a policy penalty is part of the
# objective's definition: swapping in a JS divergence or a cosine distance is not a variant.
_DEFINES_KL = re.compile(
    r"variational|\belbo\b|evidence lower bound|posterior|prior|trust region|penalt|policy|"
    r"preference|reinforcement|reward",
    re.IGNORECASE,
)


# Choices that shape what a method computes (its similarity, normalisation, pooling, sampling,
# training schedule): a standard alternative to one the method makes is a meaningful variant.
# Activations, optimisers, augmentations, initialisations, fusion operators and whole
# architectures are swapped only when the paper argues for its choice.
_METHOD_LEVEL = frozenset(
    {"divergence", "distance", "normalization", "pooling", "sampling", "schedule", "attention"}
)
_METHOD_LEVEL_WEIGHT = 5
_LOW_LEVEL_WEIGHT = 4
_STATED_IN_METHOD = re.compile(
    r"\b(?:we|our)\b[^.]{0,60}\b(?:use|uses|adopt|apply|applies|employ|employs|choose|chose|"
    r"rely|relies|minimi[sz]e|maximi[sz]e|compute|computes)\b|\bcrucial|\bkey\b|\bessential",
    re.IGNORECASE,
)


_TITLE_VAGUE = frozenset(
    {"learning", "network", "networks", "model", "models", "deep", "neural", "via", "using", "for",
     "weight", "weights", "pretrained", "pre-trained", "large", "language", "efficient", "data",
     "training", "scalable", "simple", "general", "towards", "improving", "better"}
)  # fmt: skip


_CHOICE_HEADS = frozenset(
    {"attention", "connection", "connections", "network", "networks", "layer", "layers", "loss",
     "module", "block", "model", "function", "mechanism", "encoder", "decoder", "objective"}
)  # fmt: skip


def _in_title(choice: str, title: str) -> bool:
    """Whether the title names the choice by what sets it apart ("residual connections" in "Deep
    Residual Learning"; not "multi-head attention" in "Attention Is All You Need")."""
    title_stems = {w.lower()[:6] for w in words(title) if w.lower() not in _TITLE_VAGUE}
    choice_stems = {
        w.lower()[:6]
        for w in words(choice)
        if w.lower() not in _TITLE_VAGUE and w.lower() not in _CHOICE_HEADS
    }
    return bool(choice_stems) and bool(choice_stems & title_stems)


# Alternatives that only exist in some domains, and the words that show the paper is in one.
_DOMAIN_ALTERNATIVES: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = (
    (re.compile(r"token", re.I), re.compile(r"token|transformer|\bvit\b|attention|word", re.I)),
    (
        re.compile(r"crop|flip|photometric|colou?r|blurred mask|area", re.I),
        re.compile(r"image|pixel|visual|vision|photo|video|patch", re.I),
    ),
)


def _fits(alternative: str, context: str) -> bool:
    """Whether a standard alternative belongs to the paper's domain ("[CLS] token" needs tokens,
    "crop and flip" needs images)."""
    return all(
        needs.search(context) is not None
        for marker, needs in _DOMAIN_ALTERNATIVES
        if marker.search(alternative)
    )


def _method_level(entry: DesignEntry, design: DesignChoice) -> bool:
    """Whether a standard alternative to this choice is a meaningful variant of the method: a
    method-level kind of choice the paper says it makes."""
    if entry.weight < _METHOD_LEVEL_WEIGHT or entry.name == "softmax":
        return False
    if entry.category not in _METHOD_LEVEL and entry.category != "other":
        return False
    if entry.category == "other" and entry.name == "concatenation":
        return False
    return any(_STATED_IN_METHOD.search(e.quote) for e in design.evidence)


def _inherent(design: DesignChoice, entry: DesignEntry, title: str) -> bool:
    """Whether a standard alternative cannot apply to this use of the choice."""
    if entry.category != "divergence":
        return False
    context = " ".join([title, design.used_for or "", *(e.quote for e in design.evidence)])
    return _DEFINES_KL.search(context) is not None


def _names_method(choice: str, method: frozenset[str]) -> bool:
    """Whether a choice is the paper's method under one of its names ("LoRA", "SAM")."""
    key = term_key(re.sub(r"\([^)]*\)", " ", choice))
    acronyms = {a.lower() for a in re.findall(r"\(([A-Za-z][\w-]{1,11})\)", choice)}
    return key in method or bool(acronyms & method)


# -ing words that name things rather than actions ("learned positional encoding").
_ING_NOUNS = frozenset(
    {"embedding", "encoding", "pooling", "padding", "mapping", "sampling", "scaling", "masking",
     "clipping", "smoothing", "training", "pretraining", "pre-training", "fine-tuning", "gating",
     "weighting", "labeling", "labelling", "ranking", "matching", "batching", "warmup"}
)  # fmt: skip
_MAX_ALTERNATIVE_WORDS = 8


def sound_alternative(alternative: str) -> bool:
    """A paper-named alternative that reads as a thing to try: short, not a clause ("seeking
    out parameter values w that simply have low training loss value")."""
    tokens = words(alternative)
    if not tokens or len(tokens) > _MAX_ALTERNATIVE_WORDS:
        return False
    first = tokens[0].lower()
    if _POINTER.search(alternative):
        return False  # "lines 4 and 5 in Algorithm 1": a pointer into the paper, not a thing
    if _MARKUP.search(alternative) or first in _CLAUSE_STARTS:
        return False  # "$\mathcal{F}$", "by optimizing L": a formula or a clause, not a thing
    if tokens[-1].lower() in _VAGUE_KINDS:
        return False  # "black-box approaches": a kind of method, nothing to run
    return not (first.endswith("ing") and first not in _ING_NOUNS)


# Raw math or markup left in a phrase, and words that start a clause rather than a name.
_MARKUP = re.compile(r"[$\\{}^_]")
_VAGUE_KINDS = frozenset(
    {"approach", "approaches", "method", "methods", "technique", "techniques", "alternatives",
     "ones", "solutions", "strategies", "works"}
)  # fmt: skip
_CLAUSE_STARTS = frozenset({"by", "with", "for", "to", "from", "of", "in", "on", "via", "as"})


_POINTER = re.compile(
    r"\b(?:Algorithm|Alg\.|lines?\s+\d|Eq\.|Equation|Table|Figure|Fig\.|Section|Sec\.|"
    r"Appendix)\b"
)


def _unnamed(hyperparameter: Hyperparameter) -> bool:
    # "loss weight" with no loss named says no more than "hyperparameter"
    bare_weight = hyperparameter.name == "loss weight" and not hyperparameter.component
    return hyperparameter.name.startswith("hyperparameter") or bare_weight


def _symbol_head(hyperparameter: Hyperparameter) -> str | None:
    return symbol_key(hyperparameter.symbol)[0] if hyperparameter.symbol else None


def sweep_candidates(
    analysis: Analysis, reviewer: bool, *, skip_sizes: bool = False
) -> list[Candidate]:
    """REPLACE a hyperparameter's value with values around it.

    ``skip_sizes`` leaves out depth and width settings (the plan varies the model size as a
    whole instead). A symbol the paper never names ("hyperparameter T") ranks lower, and is left
    out when a named symbol of the same letter is swept (``β_T`` next to ``β_1``).
    """
    novel = {c.name for c in analysis.components if c.novel}
    named_heads = {_symbol_head(h) for h in analysis.hyperparameters if not _unnamed(h)}
    candidates = []
    for rank, hyperparameter in enumerate(analysis.hyperparameters):
        labels = sweep_labels(hyperparameter)
        if len(labels) < 2:
            continue
        size = is_size(hyperparameter)
        if skip_sizes and is_model_size(hyperparameter):
            continue
        unnamed = _unnamed(hyperparameter)
        if unnamed and _symbol_head(hyperparameter) in named_heads:
            continue
        generic = _GENERIC_TRAINING.search(hyperparameter.name) is not None
        specific = hyperparameter.symbol is not None or hyperparameter.component is not None
        # Generic training settings (learning rate, batch size) rarely test a paper's claims;
        # depth and width matter, but say less about the method than its own knobs.
        if generic:
            score = 1.5
        elif size:
            score = 4.0
        else:
            score = 5.0 + (1.5 if specific else 0.0)
            score += 0.5 if _METHOD_KNOBS.search(hyperparameter.name) else 0.0
        score += 1.0 if hyperparameter.component in novel else 0.0
        score -= 1.5 if unnamed else 0.0
        score += (0.5 if reviewer else 0.0) - 0.1 * rank
        symbol = symbol_key(hyperparameter.symbol) if hyperparameter.symbol else None
        title = hyperparameter.name
        if symbol and symbol not in title.split():
            title = f"{title} {symbol}"
        part = title
        component = hyperparameter.component
        if component and not shares_word(component, part):
            part += f" of the {part_name(component)}"
        stated = (
            f"{display_name(hyperparameter)} = {hyperparameter.value}"
            if hyperparameter.value is not None
            else f"{display_name(hyperparameter)} (its value is not in this view of the paper)"
        )
        ablation = Ablation(
            # a bare "momentum" or "margin" needs its component to say which one
            name=f"Vary the {title if symbol else part}",
            ablated_part=part,  # the stated value goes in the rationale, not in the part's name
            action=Action.REPLACE,
            replacement=labels,
            rationale=(
                f"The paper fixes {stated} without showing how sensitive the method is to it; "
                "a sweep around the stated value shows whether the results depend on tuning it."
            ),
            evidence=hyperparameter.evidence[:2],
        )
        why = (
            f"The paper sets {stated}{_quote(hyperparameter.evidence)}; "
            f"trying {', '.join(labels)} measures the method's sensitivity to it."
        )
        key = symbol or f"{term_key(hyperparameter.name)} {hyperparameter.component or ''}".strip()
        if unnamed:
            confidence = 0.2  # a symbol the paper never describes may be a variable
        elif generic:
            confidence = 0.3
        elif size:
            # a size the method's own text names with a symbol (h, N, d_model) or gives to one
            # of its parts is a knob of the method; a count read from prose ("the backbone has
            # 28 layers") may be the base model's
            confidence = 0.5 if specific else 0.4
        elif hyperparameter.value is None:
            confidence = 0.5  # a knob the method describes; its value is set in the experiments
        else:
            confidence = 0.6
        candidates.append(Candidate(ablation, score, "sweep", key, title, why, confidence))
    return candidates
