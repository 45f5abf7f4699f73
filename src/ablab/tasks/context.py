"""Fit a paper into a token budget by keeping its most useful sections, not its first pages.

Sections are ranked by role for the mode (the method and existing ablations first, references
last), taken greedily in that order while they fit, and put back in document order. A section too
large to fit whole is shortened at a paragraph boundary when enough room is left; what is left out
is named in a closing note so that the model knows the paper is incomplete.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ablab.errors import ConfigError
from ablab.models.tokens import chars_for_tokens, estimate_tokens
from ablab.schema import Mode, Paper, SectionRole, Table

R = SectionRole
_PRIORITY = {
    Mode.AUTHOR: [
        [R.ABSTRACT, R.METHOD],
        [R.INTRODUCTION],
        [R.BACKGROUND, R.OTHER],
        [R.DISCUSSION, R.LIMITATIONS, R.CONCLUSION],
        [R.EXPERIMENTS, R.RESULTS, R.ABLATIONS],
        [R.APPENDIX],
        [R.RELATED_WORK],
        [R.REFERENCES],
    ],
    Mode.REVIEWER: [
        [R.ABSTRACT, R.METHOD, R.ABLATIONS],
        [R.EXPERIMENTS, R.RESULTS],
        [R.INTRODUCTION],
        [R.BACKGROUND, R.OTHER],
        [R.DISCUSSION, R.LIMITATIONS],
        [R.APPENDIX, R.CONCLUSION],
        [R.RELATED_WORK],
        [R.REFERENCES],
    ],
}
"""Rank of each section role per mode; earlier groups are kept first."""

MIN_PARTIAL_TOKENS = 300
"""A section is shortened rather than dropped only if at least this much of it fits."""

_WHOLE_OR_NOTHING = frozenset({R.REFERENCES, R.RELATED_WORK, R.APPENDIX})
"""Roles never sent in part: a fragment of them is not worth its tokens."""

SHORTENED_MARK = "[... the rest of this section is left out to fit the context budget]"


def role_rank(role: SectionRole, mode: Mode) -> int:
    """Position of ``role`` in the keep-first order of ``mode`` (lower is kept first)."""
    for rank, group in enumerate(_PRIORITY[mode]):
        if role in group:
            return rank
    return len(_PRIORITY[mode])


@dataclass
class ContextReport:
    """How a paper was fitted into the prompt (token counts are estimates)."""

    budget_tokens: int | None
    """Tokens allowed for the paper text (None: no limit)."""
    paper_tokens: int
    """Estimated tokens of the whole paper text."""
    kept_tokens: int
    """Estimated tokens of the text sent."""
    prompt_tokens: int = 0
    """Estimated tokens of the whole prompt (system message included)."""
    dropped: list[str] = field(default_factory=list)
    """Titles of the sections left out."""
    shortened: list[str] = field(default_factory=list)
    """Titles of the sections sent in part."""

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready form for logs."""
        return {
            "budget_tokens": self.budget_tokens,
            "paper_tokens": self.paper_tokens,
            "kept_tokens": self.kept_tokens,
            "prompt_tokens": self.prompt_tokens,
            "dropped": list(self.dropped),
            "shortened": list(self.shortened),
        }


def _table_markdown(table: Table) -> str:
    lines = [f"Table: {table.caption}"] if table.caption else []
    if table.header:
        lines.append("| " + " | ".join(table.header) + " |")
        lines.append("|" + " --- |" * len(table.header))
    lines.extend("| " + " | ".join(row) + " |" for row in table.rows)
    return "\n".join(lines)


@dataclass
class _Block:
    order: int
    rank: int
    title: str
    text: str
    divisible: bool


def _blocks(paper: Paper, mode: Mode, include_tables: bool) -> list[_Block]:
    blocks = []
    for order, section in enumerate(paper.walk()):
        heading = "#" * min(section.level + 1, 6) + " " + section.title
        parts = [heading]
        if section.text.strip():
            parts.append(section.text.strip())
        if include_tables:
            parts.extend(_table_markdown(t) for t in section.tables if t.rows or t.header)
        blocks.append(
            _Block(
                order,
                role_rank(section.role, mode),
                section.title,
                "\n\n".join(parts),
                section.role not in _WHOLE_OR_NOTHING,
            )
        )
    return blocks


def _shorten(text: str, max_chars: int) -> str:
    """The longest prefix of whole paragraphs (else lines, else characters) within max_chars."""
    room = max_chars - len(SHORTENED_MARK) - 2
    if room <= 0:
        return ""
    cut = text[:room]
    for separator in ("\n\n", "\n", ". "):
        at = cut.rfind(separator)
        if at > room // 2:
            cut = cut[: at + (1 if separator == ". " else 0)]
            break
    return cut.rstrip() + "\n\n" + SHORTENED_MARK


def paper_context(
    paper: Paper,
    mode: Mode,
    budget_tokens: int | None,
    *,
    include_tables: bool = True,
) -> tuple[str, ContextReport]:
    """The paper as Markdown within ``budget_tokens``, and how it was fitted.

    Title and abstract are always kept (the abstract shortened if it alone is over budget).
    ``include_tables`` adds the parsed tables of each section (the readers keep tables out of
    section text), as Markdown after the section's text.
    """
    head = f"# {paper.title}"
    if paper.abstract.strip():
        head += f"\n\n## Abstract\n\n{paper.abstract.strip()}"
    blocks = _blocks(paper, mode, include_tables)
    full_text = "\n\n".join([head, *(b.text for b in blocks)])
    paper_tokens = estimate_tokens(full_text)
    if budget_tokens is None or paper_tokens <= budget_tokens:
        return full_text, ContextReport(budget_tokens, paper_tokens, paper_tokens)

    if estimate_tokens(head) > budget_tokens:
        head = _shorten(head, chars_for_tokens(budget_tokens))
    # Each block costs its text plus the blank line that joins it.
    remaining = budget_tokens - estimate_tokens(head) - 40  # room for the closing note
    kept: dict[int, str] = {}
    dropped: list[_Block] = []
    shortened: list[str] = []
    for rank in sorted({b.rank for b in blocks}):
        # Within one priority group the room is shared fairly: small sections are kept whole
        # and the large ones split what is left, so one long section cannot crowd out the rest.
        group = sorted((b for b in blocks if b.rank == rank), key=lambda b: len(b.text))
        for position, block in enumerate(group):
            share = remaining // (len(group) - position)
            cost = estimate_tokens(block.text) + 1
            if cost <= share or cost <= remaining and position == len(group) - 1:
                kept[block.order] = block.text
                remaining -= cost
            elif block.divisible and share >= MIN_PARTIAL_TOKENS:
                kept[block.order] = _shorten(block.text, chars_for_tokens(share - 1))
                remaining -= estimate_tokens(kept[block.order]) + 1
                shortened.append(block.title)
            else:
                dropped.append(block)
    parts = [head, *(kept[order] for order in sorted(kept))]
    dropped_titles = [b.title for b in sorted(dropped, key=lambda b: b.order)]
    if dropped_titles:
        parts.append(
            "[Sections left out to fit the context budget: " + "; ".join(dropped_titles) + "]"
        )
    text = "\n\n".join(parts)
    report = ContextReport(
        budget_tokens=budget_tokens,
        paper_tokens=paper_tokens,
        kept_tokens=estimate_tokens(text),
        dropped=dropped_titles,
        shortened=shortened,
    )
    return text, report


RESERVED_OUTPUT_TOKENS = 4_096
"""Tokens of the context window kept free for the answer, unless the request caps its output."""

MIN_PAPER_TOKENS = 500
"""Below this budget for the paper text a task is not worth asking for."""


def paper_budget(
    *,
    context_window: int | None,
    overhead: int,
    max_output_tokens: int | None = None,
    max_input_tokens: int | None = None,
    cap: int | None = None,
) -> int | None:
    """Tokens the paper text may take in one request (None: no limit known).

    The context window less the answer's reserve, the option ``max_input_tokens`` and ``cap``
    (a task's own limit on paper text) each bound it; ``overhead`` is what the prompt takes
    besides the paper. Raises ConfigError when less than :data:`MIN_PAPER_TOKENS` is left.
    """
    limits = []
    if context_window:
        limits.append(context_window - (max_output_tokens or RESERVED_OUTPUT_TOKENS) - overhead)
    if max_input_tokens:
        limits.append(max_input_tokens - overhead)
    if cap is not None:
        limits.append(cap)
    budget = min(limits) if limits else None
    if budget is not None and budget < MIN_PAPER_TOKENS:
        raise ConfigError(
            f"the input budget leaves only {budget} tokens for the paper; "
            f"allow at least {overhead + MIN_PAPER_TOKENS} input tokens"
        )
    return budget
