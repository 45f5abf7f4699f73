"""How much each analysis item can be trusted, from the kind of evidence behind it.

The scale is shared by every item: 0.8 and above, the paper says it in so many words (its own
part, an alternative it names); around 0.6, a setting or part it clearly states; 0.5 and below,
something read from indirect cues that a careful reader would check first. Consumers filter on
it: the ``hybrid`` planner shows a model only items at or above :data:`HIGH`.
"""

from __future__ import annotations

import re

from ablab.schema import Component, DesignChoice, Hyperparameter

HIGH = 0.6
"""Items at or above this are stated plainly by the paper."""

_GENERIC_SETTING = re.compile(
    r"learning rate|batch size|weight decay|epochs|iterations|steps|warm-up|momentum|^Adam",
    re.IGNORECASE,
)


def component_confidence(component: Component) -> float:
    """The paper's own part (0.8), a part it names often with an acronym (0.6), else 0.4."""
    if component.novel:
        return 0.8
    if component.acronym and component.mentions >= 4:
        return 0.6
    return 0.4


def hyperparameter_confidence(hyperparameter: Hyperparameter) -> float:
    """A named setting of the method (0.7), a generic training setting (0.5), a symbol the
    paper never describes (0.2)."""
    if hyperparameter.name.startswith("hyperparameter"):
        return 0.2
    if _GENERIC_SETTING.search(hyperparameter.name):
        return 0.5
    return 0.7


def design_confidence(design: DesignChoice) -> float:
    """An alternative the paper names itself (0.8), a standard one (0.4)."""
    return 0.8 if design.named_by_paper else 0.4
