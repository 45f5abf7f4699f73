"""Offline paper analysis: the evidence every planner uses.

``analyze(paper)`` finds the method's named components, hyperparameters with their values, design
choices with standard alternatives, the metrics the paper reports and the ablations it already
has. Every finding keeps short quotes from the paper as evidence.
"""

from ablab.analysis.analyze import analyze
from ablab.analysis.matching import TargetKey, same_target, target_key
from ablab.analysis.sentences import Sentence, iter_sentences, split_sentences

__all__ = [
    "Sentence",
    "TargetKey",
    "analyze",
    "iter_sentences",
    "same_target",
    "split_sentences",
    "target_key",
]
