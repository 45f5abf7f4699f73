"""The ``hybrid`` planner: the language model judges, the offline analysis reads.

The model gets the paper's view for its mode (the whole of it when it fits the context, else the
sections that matter most) and, marked as automatic notes, the analysis items the offline reader
is confident about: the method's own parts, settings it states, alternatives it names, its
metrics and, for reviewers, the ablations the paper already reports. Given ``digests=`` (an
``ablab digest --out`` directory), the paper's digest is offered too: the parts its mode may see
(see :mod:`ablab.planners.grounding`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ablab.analysis import analyze
from ablab.analysis.confidence import HIGH
from ablab.models.base import GenerateParams, Model
from ablab.planners.grounding import DigestLibrary, digest_grounding
from ablab.planners.lm import LMPlanner
from ablab.schema import Analysis, Mode, Paper

DEFAULT_EXCERPT_TOKENS: int | None = None
"""Tokens of paper text sent next to the analysis; None sends the whole view of the paper when
it fits the model's context (most papers do; a short excerpt cut the method details a model
needs, and the notes did not make up for it)."""

MAX_LISTED = 15
"""Items listed per analysis category (existing ablations: twice as many)."""

Analyzer = Callable[[Paper], Analysis]


def _default_analyzer(paper: Paper) -> Analysis:
    return analyze(paper)


class HybridPlanner(LMPlanner):
    """Plans with a language model grounded on :func:`ablab.analysis.analyze`."""

    name = "hybrid"
    template = "hybrid_user.md.j2"

    def __init__(
        self,
        model: Model | str,
        *,
        analyzer: Analyzer | None = None,
        excerpt_tokens: int | None = DEFAULT_EXCERPT_TOKENS,
        digests: str | Path | None = None,
        max_input_tokens: int | None = None,
        params: GenerateParams | None = None,
        **model_options: Any,
    ) -> None:
        super().__init__(model, max_input_tokens=max_input_tokens, params=params, **model_options)
        self.analyzer = analyzer or _default_analyzer
        self.excerpt_tokens = excerpt_tokens
        self.digests = DigestLibrary(digests) if digests is not None else None
        """Paper digests (``ablab digest --out`` directory or one file) offered as grounding."""

    @property
    def output_settings(self) -> dict[str, str]:
        """As the lm planner's, plus the excerpt size and the notes' confidence floor."""
        settings = {
            **super().output_settings,
            "excerpt_tokens": str(self.excerpt_tokens),
            "notes_min_confidence": str(HIGH),
        }
        if self.digests is not None:
            settings["digests"] = str(self.digests.where)
        return settings

    def _prompt_variables(self, paper: Paper, mode: Mode) -> dict[str, Any]:
        analysis = self.analyzer(paper)
        # Only what the paper states plainly: low-confidence items misled models more than they
        # helped (issue 9); the model reads the paper itself for the rest.
        analysis = analysis.model_copy(
            update={
                "components": [c for c in analysis.components if c.confidence >= HIGH],
                "hyperparameters": [h for h in analysis.hyperparameters if h.confidence >= HIGH],
                "design_choices": [d for d in analysis.design_choices if d.confidence >= HIGH],
                "existing_ablations": analysis.existing_ablations[: 2 * MAX_LISTED],
            }
        )
        digest = digest_grounding(paper, self.digests, mode)
        return {"analysis": analysis, "max_items": MAX_LISTED, "digest": digest}

    def _paper_cap(self) -> int | None:
        return self.excerpt_tokens
