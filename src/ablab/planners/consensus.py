"""The ``consensus`` planner: merge several plans for one paper into one ranked plan.

The plans come from member planners (several samples of one model, or several models). Their
ablations are clustered with the offline matcher: two ablations from different plans join when
the matcher would match them. Clusters are ranked by support (how many plans proposed them),
then by how high the plans ranked them on average; each cluster is represented by its most
central member, with the replacement options of same-action members added.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ablab.errors import AblabError, PlanError
from ablab.matching.matcher import (
    DEFAULT_SETTINGS,
    MatcherSettings,
    Profile,
    accepted_pairs,
    profile,
    score_pair,
)
from ablab.matching.text import dice
from ablab.planners.base import get_planner
from ablab.schema import Ablation, Mode, Paper, Plan, Usage


@dataclass(frozen=True)
class Member:
    """One ablation of one input plan."""

    plan: int
    """Index of the plan it comes from."""
    rank: int
    """Its rank in that plan (0 = first)."""
    plan_size: int
    """Size of that plan."""
    ablation: Ablation
    """The ablation itself."""
    profile: Profile
    """The matcher's view of it."""


@dataclass
class Cluster:
    """Ablations from several plans that describe the same experiment."""

    members: list[Member]
    """Its ablations."""

    @property
    def support(self) -> int:
        """Number of distinct plans that proposed it."""
        return len({m.plan for m in self.members})

    @property
    def mean_rank(self) -> float:
        """Average relative rank in its plans (0 = always first, near 1 = always last)."""
        return sum(m.rank / m.plan_size for m in self.members) / len(self.members)


def _find(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def cluster_ablations(
    plans: Sequence[Sequence[Ablation]], settings: MatcherSettings = DEFAULT_SETTINGS
) -> list[Cluster]:
    """Cluster the ablations of several plans; best supported and best ranked first."""
    members = [
        Member(p, r, len(plan), ablation, profile(ablation, None, settings))
        for p, plan in enumerate(plans)
        for r, ablation in enumerate(plan)
    ]
    offsets = [sum(len(plan) for plan in plans[:p]) for p in range(len(plans))]
    parent = list(range(len(members)))
    for a in range(len(plans)):
        for b in range(a + 1, len(plans)):
            left = members[offsets[a] : offsets[a] + len(plans[a])]
            right = members[offsets[b] : offsets[b] + len(plans[b])]
            matrix = [[score_pair(x.profile, y.profile, settings) for y in right] for x in left]
            for i, j in accepted_pairs(matrix, settings):
                root_i, root_j = _find(parent, offsets[a] + i), _find(parent, offsets[b] + j)
                parent[root_j] = root_i
    groups: dict[int, list[Member]] = {}
    for index, member in enumerate(members):
        groups.setdefault(_find(parent, index), []).append(member)
    clusters = [Cluster(group) for group in groups.values()]
    first = {id(c): min((m.plan, m.rank) for m in c.members) for c in clusters}
    return sorted(clusters, key=lambda c: (-c.support, c.mean_rank, first[id(c)]))


def representative(cluster: Cluster, settings: MatcherSettings = DEFAULT_SETTINGS) -> Ablation:
    """The cluster's most central ablation, with other same-action members' options added."""

    def centrality(member: Member) -> tuple[float, float]:
        total = sum(
            score_pair(member.profile, other.profile, settings).score
            for other in cluster.members
            if other is not member
        )
        return (total, -member.rank / member.plan_size)

    best = max(cluster.members, key=centrality)
    chosen = best.ablation
    if chosen.replacement is None:
        return chosen
    options = list(chosen.replacement)
    known = list(best.profile.options)
    for member in cluster.members:
        if member is best or member.ablation.action is not chosen.action:
            continue
        for text, terms in zip(
            member.ablation.replacement or [], member.profile.options, strict=True
        ):
            if not any(dice(terms, seen) >= settings.option_match for seen in known):
                options.append(text)
                known.append(terms)
    return chosen.model_copy(update={"replacement": options})


def combine_plans(
    plans: Sequence[Plan], *, k: int, settings: MatcherSettings = DEFAULT_SETTINGS
) -> tuple[list[Ablation], list[Cluster]]:
    """The top ``k`` consensus ablations of several plans for one paper, and all clusters."""
    clusters = cluster_ablations([p.ablations for p in plans], settings)
    ablations = []
    for cluster in clusters[:k]:
        chosen = representative(cluster, settings)
        note = f"Proposed by {cluster.support} of {len(plans)} plans."
        rationale = f"{note} {chosen.rationale}" if chosen.rationale else note
        ablations.append(chosen.model_copy(update={"rationale": rationale}))
    return ablations, clusters


def _reasoning(plans: Sequence[Plan], clusters: Sequence[Cluster], k: int) -> str:
    sources = ", ".join(f"{p.planner}/{p.model}" for p in plans)
    lines = [f"Consensus of {len(plans)} plans ({sources}); {len(clusters)} distinct ablations."]
    for rank, cluster in enumerate(clusters, 1):
        names = "; ".join(dict.fromkeys(m.ablation.name for m in cluster.members))
        marker = "kept" if rank <= k else "dropped"
        lines.append(f"- {marker}: support {cluster.support}: {names}")
    return "\n".join(lines)


def _member_specs(members: Sequence[str], model: str | None) -> list[tuple[str, dict[str, Any]]]:
    specs = []
    for spec in members:
        name, _, member_model = spec.partition("@")
        options: dict[str, Any] = {}
        if member_model or model:
            options["model"] = member_model or model
        specs.append((name, options))
    return specs


class ConsensusPlanner:
    """Plans with every member planner (``samples`` times each) and merges the plans.

    ``members`` are planner names, optionally with a model: ``["lm@openai/gpt-4o",
    "lm@anthropic/claude-3-5-sonnet"]``. Without members it uses ``lm`` with ``model`` when a
    model is given, else the offline ``heuristic`` planner. ``plans`` lets a caller merge
    ready-made plans instead (e.g. published trajectories).
    """

    name = "consensus"

    def __init__(
        self,
        members: Sequence[str] | None = None,
        *,
        model: str | None = None,
        samples: int = 1,
        plans: Sequence[Plan] | None = None,
        settings: MatcherSettings = DEFAULT_SETTINGS,
    ) -> None:
        if samples < 1:
            raise PlanError(f"samples must be at least 1, got {samples}")
        chosen = list(members) if members else (["lm"] if model else ["heuristic"])
        if "consensus" in {spec.partition("@")[0] for spec in chosen}:
            raise PlanError("the consensus planner cannot be its own member")
        self.members = _member_specs(chosen, model)
        self.samples = samples
        self.given = list(plans or [])
        self.settings = settings

    def _gather(self, paper: Paper, mode: Mode, k: int) -> tuple[list[Plan], list[str]]:
        if self.given:
            return [p for p in self.given if p.paper_id == paper.id], [
                f"no given plan is for paper {paper.id!r}"
            ]
        plans, failures = [], []
        for name, options in self.members:
            for _ in range(self.samples):
                try:
                    plans.append(get_planner(name, **options).plan(paper, mode=mode, k=k))
                except AblabError as exc:
                    failures.append(f"{name}: {exc}")
        return plans, failures

    def plan(self, paper: Paper, *, mode: Mode, k: int) -> Plan:
        """Merge the members' plans for ``paper`` into one plan of at most ``k`` ablations."""
        plans, failures = self._gather(paper, mode, k)
        if not plans:
            raise PlanError(f"no member planner produced a plan: {'; '.join(failures)}")
        ablations, clusters = combine_plans(plans, k=k, settings=self.settings)
        reasoning = _reasoning(plans, clusters, k)
        if failures:
            reasoning += "\n\nMembers that failed: " + "; ".join(failures)
        usage = sum((p.usage for p in plans), Usage())
        models = list(dict.fromkeys(p.model for p in plans))
        return Plan(
            paper_id=paper.id,
            paper_title=paper.title,
            paper_hash=paper.content_hash,
            mode=mode,
            planner=self.name,
            model="+".join(models),
            k=k,
            reasoning=reasoning,
            ablations=ablations,
            usage=usage,
            versions={"consensus": "1"},
        )
