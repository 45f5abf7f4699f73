"""The ``hybrid`` planner: the language model judges, the offline analysis reads.

The model gets the offline analysis of the paper (components, hyperparameters and their values,
design choices with alternatives, the paper's metrics and, for reviewers, the ablations the paper
already reports) plus a short excerpt of the paper chosen by section priority. It spends its
context on judging which ablations matter instead of on finding the parts, which makes a plan
cheaper than with the ``lm`` planner's full text. Given ``digests=`` (an ``ablab digest --out``
directory), the paper's digest is offered too: the parts its mode may see (see
:mod:`ablab.planners.grounding`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ablab.analysis import analyze
from ablab.models.base import GenerateParams, Model
from ablab.planners.grounding import DigestLibrary, digest_grounding
from ablab.planners.lm import LMPlanner
from ablab.schema import Analysis, Mode, Paper

DEFAULT_EXCERPT_TOKENS = 1_500
"""Tokens of paper text sent next to the analysis."""

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
        excerpt_tokens: int = DEFAULT_EXCERPT_TOKENS,
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
        """As the lm planner's, plus the excerpt size."""
        settings = {**super().output_settings, "excerpt_tokens": str(self.excerpt_tokens)}
        if self.digests is not None:
            settings["digests"] = str(self.digests.where)
        return settings

    def _prompt_variables(self, paper: Paper, mode: Mode) -> dict[str, Any]:
        analysis = self.analyzer(paper)
        analysis = analysis.model_copy(
            update={"existing_ablations": analysis.existing_ablations[: 2 * MAX_LISTED]}
        )
        digest = digest_grounding(paper, self.digests, mode)
        return {"analysis": analysis, "max_items": MAX_LISTED, "digest": digest}

    def _paper_cap(self) -> int | None:
        return self.excerpt_tokens
