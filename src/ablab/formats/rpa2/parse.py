"""Parse ``ver: rpa2`` digest Markdown back into a :class:`Digest`.

The parser is strict about what makes a file a digest (frontmatter with ``ver: rpa2`` and a
title) and lenient about the sections: headings are matched without regard to case, a missing
section stays empty, and an unknown one is kept in ``extra_sections`` so nothing is lost.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from pydantic import ValidationError

from ablab._util.yaml_safe import load_yaml
from ablab.errors import DigestFormatError
from ablab.formats.rpa2.model import (
    ARCHITECTURE_PARTS,
    RPA2,
    SECTIONS,
    ArchitectureOnboarding,
    ConfidenceRating,
    Digest,
    DigestLayout,
    ExtraSection,
    FoundationalConcept,
    OpenQuestion,
    QuickFact,
)
from ablab.formats.rpa2.render import GAP_PREFIX, GAP_SUFFIX, QUICK_CHECK, WHY_NEEDED

_KNOWN_FRONTMATTER = ("ver", "title", "arxiv_id", "source_url", "tags", "core_contribution")
_HEADINGS = {heading.lower(): key for key, heading in SECTIONS}
# The labels of the Architecture Onboarding parts as the rpa2 pipeline's writers spell them.
_PART_NAMES = {
    "component_map": r"component\s+map|components",
    "critical_path": r"critical\s+path",
    "design_tradeoffs": r"design\s+trade-?offs|trade-?offs",
    "failure_signatures": r"failure\s+signatures|failure\s+modes",
    "first_experiments": r"(?:(?:exactly\s+)?(?:three|\d+)\s+)?first\s+"
    r"(?:\d+\s+|three\s+|few\s+)?experiments(?:\s+exactly\s+\d+)?",
}
# A name may carry a remark in parentheses (``Component map (plain text)``).
_PART_NAME = (
    "(?:"
    + "|".join(f"(?P<{key}>{pattern})" for key, pattern in _PART_NAMES.items())
    + r")(?:\s*\([^)]*\))?"
)
# ``Label: x``, ``**Label:** x``, ``**Label**: x``, ``- Label: x``, ``* **Label:** x``; or a
# ``### Label`` heading. Group ``rest`` is what follows the label on its line.
_PART_LINE = re.compile(
    r"^(?:[ \t]*[-*+][ \t]+)?(?:\*\*)?(?:" + _PART_NAME + r")(?:\*\*:|:\*\*|:)(?P<rest>.*)$",
    re.IGNORECASE,
)
# A ``### Label`` heading, or a label in bold alone on its line.
_PART_HEADING = re.compile(
    r"^(?:#{3,6}[ \t]+|(?:[ \t]*[-*+][ \t]+)?(?=\*\*))(?:\*\*)?(?:" + _PART_NAME + r")\W*$",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^\s*[-*+]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*\d+[.)]\s+(.*)$")
_BOLD_LEAD = re.compile(r"^\*\*(.+?)\*\*:?\s*(.*)$")
# A field label at the start of an item: ``**Why needed:** x``, ``**Why needed**: x``, ``Why
# needed: x`` (plain only for labels the pipeline uses, so that prose is not cut).
_FIELD = re.compile(r"^\*\*(?P<bold>[^*]{1,60}?)(?::\*\*|\*\*:?)\s*(?P<rest>.*)$")
_GAP = re.compile("^" + re.escape(GAP_PREFIX) + r"(.*)" + re.escape(GAP_SUFFIX) + "$")
_ARROWS = re.compile(r"\s*(?:->|→)\s*")
_LEVEL = r"(?P<level>high|medium|low)"
# Ratings as the pipeline writes them: ``claim: High (note)``, ``claim: High confidence. note``,
# ``claim -> High``, ``claim: **High**``, ``High: claim — note``.
_RATING = re.compile(
    r"^(?P<claim>.+?)\s*(?::|->|→|[-–—]\s)\s*" + _LEVEL
    + r"\b(?:\s+confidence)?\s*[.:;,]?\s*(?P<note>.*)$",
    re.IGNORECASE,
)  # fmt: skip
_LEVEL_FIRST = re.compile("^" + _LEVEL + r"(?:\s+confidence)?\s*[:\-–—]\s*(?P<rest>.+)$", re.I)
_WHY = re.compile(r"^why\s+(?:it\s+is\s+|is\s+it\s+)?needed(?:\s+here)?$", re.I)
_CHECK = re.compile(r"^quick\s+check(?:\s+question)?$", re.I)
_QUESTION_FIELDS = (
    ("detail", re.compile(r"^(?:open\s+)?question$", re.I)),
    ("basis", re.compile(r"^basis(?:\s+in\s+(?:the\s+)?paper)?$", re.I)),
    ("why_unresolved", re.compile(r"^why\s+(?:it\s+is\s+|still\s+)*unresolved$", re.I)),
    ("resolution", re.compile(
        r"^(?:what\s+(?:evidence\s+)?would\s+resolve\s+it|evidence\s+(?:that\s+would\s+"
        r"resolve\s+it|needed)|how\s+to\s+resolve(?:\s+it)?|resolution)$", re.I)),
)  # fmt: skip
_GENERIC_QUESTION_TITLE = re.compile(r"^(?:open\s+)?question\s*\d*\s*:?\s*$", re.I)


def looks_like_digest(text: str) -> bool:
    """Whether ``text`` starts with frontmatter that declares ``ver: rpa2``."""
    head = text.lstrip("\ufeff")[:400]
    return head.startswith("---") and re.search(r"^ver:\s*['\"]?rpa2\b", head, re.M) is not None


def _split_frontmatter(text: str) -> tuple[str, str]:
    if not text.startswith("---\n"):
        raise DigestFormatError(
            "not an rpa2 digest: no YAML frontmatter (the file must start with '---')"
        )
    end = re.search(r"^---[ \t]*$", text[4:], re.M)
    if end is None:
        raise DigestFormatError("not an rpa2 digest: the frontmatter has no closing '---' line")
    return text[4 : 4 + end.start()], text[4 + end.end() :]


def _load_frontmatter(raw: str) -> dict[str, Any]:
    try:
        data = load_yaml(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        problem = "uses YAML aliases" if "aliases" in str(exc) else "is not valid YAML"
        raise DigestFormatError(f"digest frontmatter {problem}{where}") from None
    if not isinstance(data, dict):
        raise DigestFormatError("digest frontmatter must be a YAML mapping of keys to values")
    if str(data.get("ver", "")).strip() != RPA2:
        found = data.get("ver")
        raise DigestFormatError(
            f"unsupported digest version {found!r} (expected 'ver: rpa2')"
            if found is not None
            else "not an rpa2 digest: the frontmatter has no 'ver: rpa2'"
        )
    return data


def _scalar(data: dict[str, Any], key: str, raw: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        return value
    # An unquoted 2507.04780 loads as a float and would lose its trailing zero: use the text.
    match = re.search(rf"^{key}:[ \t]*(\S.*?)[ \t]*$", raw, re.M)
    return match.group(1) if match else str(value)


def _tags(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [t.strip() for t in value.split(",") if t.strip()]
    if isinstance(value, list):
        return [str(t) for t in value if t is not None]
    raise DigestFormatError("digest frontmatter 'tags' must be a list")


def _sections(body: str) -> tuple[str | None, list[tuple[str, list[str]]]]:
    """The ``# title`` (if any) and each ``## heading`` with its body lines."""
    title: str | None = None
    sections: list[tuple[str, list[str]]] = []
    for line in body.split("\n"):
        if line.startswith("## "):
            sections.append((line[3:].strip(), []))
        elif line.startswith("# ") and title is None and not sections:
            title = line[2:].strip()
        elif sections:
            sections[-1][1].append(line)
    return title, sections


def _trim(lines: list[str]) -> list[str]:
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return lines[start:end]


def _gap(lines: list[str]) -> str | None:
    if len(lines) == 1 and (match := _GAP.match(lines[0].strip())):
        return match.group(1)
    return None


def _items(lines: list[str]) -> list[str]:
    """List items; an indented or unmarked line continues the item before it."""
    items: list[str] = []
    for line in lines:
        if not line.strip():
            continue
        match = _BULLET.match(line) or _NUMBERED.match(line)
        if match:
            items.append(match.group(1).strip())
        elif items:
            items[-1] = f"{items[-1]} {line.strip()}"
        else:
            items.append(line.strip())
    return items


def _paragraphs(lines: list[str]) -> str:
    text = "\n".join(lines).strip()
    return re.sub(r"^\\#", "#", text, flags=re.M)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _marked(line: str) -> tuple[str, bool]:
    """A line's text without its list marker, and whether it had one."""
    match = _BULLET.match(line) or _NUMBERED.match(line)
    return (match.group(1).strip(), True) if match else (line.strip(), False)


def _labelled(item: str, plain: tuple[re.Pattern[str], ...] = ()) -> tuple[str, str] | None:
    """``(label, rest)`` when an item opens with a bold label (``**Why needed:** x``), or with a
    plain ``Label: x`` whose label matches one of ``plain``."""
    if match := _FIELD.match(item):
        return match["bold"].strip().rstrip(":").strip(), match["rest"].strip()
    label, sep, rest = item.partition(":")
    if sep and any(p.match(label.strip()) for p in plain):
        return label.strip(), rest.strip()
    return None


def _quick_fact(item: str) -> QuickFact:
    if (labelled := _labelled(item)) is not None:
        return QuickFact(label=labelled[0], value=labelled[1])
    label, sep, value = item.partition(": ")
    if not sep and item.endswith(":"):
        label = item[:-1]
    return QuickFact(label=label, value=value)


_CONCEPT_PREFIX = re.compile(r"^concept\s*\d*\s*[:.\-–—]\s*", re.I)
# ``Name: text`` written without bold: a short name (no sentence) before the colon.
_PLAIN_NAME = re.compile(r"^([^:.!?]{2,80}?):\s+(\S.*)$")


def _concept_fields(item: str) -> dict[str, Any]:
    """``**concept**: [description; why needed: ]why[; quick check: check]`` as fields."""
    match = _BOLD_LEAD.match(item)
    concept, rest = (match.group(1).rstrip(":").strip(), match.group(2)) if match else (item, "")
    concept = _CONCEPT_PREFIX.sub("", concept) or concept
    quick_check: str | None = None
    lowered = rest.lower()
    if lowered.startswith(QUICK_CHECK):
        rest, quick_check = "", rest[len(QUICK_CHECK) :]
    elif (at := lowered.rfind("; " + QUICK_CHECK)) >= 0:
        rest, quick_check = rest[:at], rest[at + 2 + len(QUICK_CHECK) :]
    description = ""
    if (at := rest.lower().find("; " + WHY_NEEDED)) >= 0:
        description, rest = rest[:at], rest[at + 2 + len(WHY_NEEDED) :]
    return {"concept": concept, "description": description, "why": rest, "quick_check": quick_check}


def _concept(item: str) -> FoundationalConcept:
    return FoundationalConcept(**_concept_fields(item))


def _heading_text(line: str) -> str | None:
    match = re.match(r"^#{3,6}[ \t]+(.*)$", line)
    return match.group(1).replace("**", "").strip() if match else None


def _foundational(lines: list[str], warnings: list[str]) -> list[FoundationalConcept]:
    """Concepts in ablab's one-line form, or the pipeline's ``### Concept N: name`` headings and
    ``- **concept**`` items with ``Why needed`` / ``Quick check`` lines below them."""
    concepts: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    last = "item"
    for line in lines:
        if not line.strip():
            continue
        heading = _heading_text(line)
        if heading is None and (alone := re.match(r"^\*\*([^*]+)\*\*:?\s*$", line)):
            heading = alone.group(1).strip()  # a name in bold on a line of its own
        if heading is not None:
            name = _CONCEPT_PREFIX.sub("", heading).rstrip(":").strip() or heading
            current = {"item": f"**{name}**", "why": None, "check": None, "heading": True}
            concepts.append(current)
            last = "item"
            continue
        text, bullet = _marked(line)
        labelled = _labelled(text, (_WHY, _CHECK, re.compile("^concept$", re.I)))
        if labelled is not None and current is not None:
            label, rest = labelled
            if _WHY.match(label) or _CHECK.match(label):
                last = "why" if _WHY.match(label) else "check"
                current[last] = rest
                continue
        if labelled is not None and labelled[0].lower() == "concept":
            current = {"item": f"**{labelled[1]}**", "why": None, "check": None, "heading": True}
            concepts.append(current)
            last = "item"
            continue
        nested = current is not None and (current["heading"] or _indent(line) > 0)
        if (bullet and not nested) or current is None:
            if not text.startswith("**") and (plain := _PLAIN_NAME.match(text)):
                text = f"**{_CONCEPT_PREFIX.sub('', plain.group(1))}**: {plain.group(2)}"
            current = {"item": text, "why": None, "check": None, "heading": False}
            concepts.append(current)
            last = "item"
        else:
            if labelled is not None and bullet:
                warnings.append(
                    f"Foundational Learning: unknown field {labelled[0]!r} kept as text"
                )
                text = f"{labelled[0]}: {labelled[1]}"
            current[last] = f"{current[last] or ''} {text}".strip()
    result = []
    for entry in concepts:
        fields = _concept_fields(entry["item"])
        if entry["why"] is not None:
            joined = "; ".join(x for x in (fields["description"], fields["why"]) if x)
            fields["description"], fields["why"] = joined, entry["why"]
        if entry["check"] is not None:
            fields["quick_check"] = entry["check"]
        result.append(FoundationalConcept(**fields))
    return result


def _question(item: str) -> OpenQuestion:
    if item.startswith("\\**"):
        return OpenQuestion(detail=item[1:])
    match = _BOLD_LEAD.match(item)
    if match and match.group(2):
        return OpenQuestion(title=match.group(1).rstrip(":").strip(), detail=match.group(2))
    return OpenQuestion(detail=item)


def _question_field(label: str) -> str | None:
    return next((key for key, pattern in _QUESTION_FIELDS if pattern.match(label)), None)


def _open_questions(lines: list[str], warnings: list[str]) -> list[OpenQuestion]:
    """Questions in ablab's form (``- **title**: detail`` with field lines below), or the
    pipeline's ``### title`` blocks of paragraphs and ``- **Question:**`` / ``- **Basis in
    paper:**`` / ``- **Why unresolved:**`` / ``- **What would resolve it:**`` lines."""
    questions: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    last = "detail"
    plain = tuple(pattern for _, pattern in _QUESTION_FIELDS)
    for line in lines:
        if not line.strip():
            continue
        heading = _heading_text(line)
        if heading is not None:
            title = None if _GENERIC_QUESTION_TITLE.match(heading) else heading
            current = {"title": title, "detail": "", "heading": True}
            questions.append(current)
            last = "detail"
            continue
        text, bullet = _marked(line)
        labelled = _labelled(text, plain)
        field = _question_field(labelled[0]) if labelled is not None else None
        if labelled is not None and field is not None:
            if current is None or (
                field == "detail" and current["detail"] and not current.get("heading")
            ):
                current = {"title": None, "detail": "", "heading": False}
                questions.append(current)
            current[field] = f"{current.get(field) or ''} {labelled[1]}".strip()
            last = field
            continue
        nested = current is not None and (current["heading"] or _indent(line) > 0)
        if bullet and not nested or current is None:
            parsed = _question(text)
            current = {"title": parsed.title, "detail": parsed.detail, "heading": False}
            questions.append(current)
            last = "detail"
            continue
        if labelled is not None and bullet:
            warnings.append(f"Open Questions: unknown field {labelled[0]!r} kept as text")
            text = f"{labelled[0]}: {labelled[1]}"
        current[last] = f"{current.get(last) or ''} {text}".strip()
    result = []
    for entry in questions:
        entry.pop("heading")
        if not entry["detail"]:  # a heading with only field lines: its title is the question
            entry["detail"], entry["title"] = entry["title"] or "", None
        result.append(OpenQuestion(**entry))
    return result


def _unparenthesised(note: str) -> str | None:
    note = note.strip()
    if note.startswith("(") and note.endswith(")") and _balanced(note[1:-1]):
        note = note[1:-1].strip()
    return note or None


def _balanced(text: str) -> bool:
    """Whether the parentheses of ``text`` pair up (so ``(a) and (b)`` keeps its own)."""
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def _rating(item: str) -> ConfidenceRating:
    text = item.replace("**", "")
    if match := _LEVEL_FIRST.match(text):
        parts = re.split(r"\s+[—–]\s+", match["rest"], maxsplit=1)
        claim, note = parts[0], parts[1] if len(parts) > 1 else None
        level = match["level"].capitalize()
        return ConfidenceRating(claim=claim, level=level, note=note)  # type: ignore[arg-type]
    if match := _RATING.match(text):
        level = match["level"].capitalize()
        note = _unparenthesised(match["note"])
        return ConfidenceRating(claim=match["claim"], level=level, note=note)  # type: ignore[arg-type]
    return ConfidenceRating(claim=item)


def _table_ratings(rows: list[str]) -> list[ConfidenceRating]:
    """A Markdown table of claims: the first column is the claim, the column headed
    Confidence/Level gives the level, the others make the note."""
    cells = [[c.strip() for c in row.strip().strip("|").split("|")] for row in rows]
    cells = [c for c in cells if not all(re.fullmatch(r":?-{2,}:?", x) for x in c if x)]
    if not cells:
        return []
    header, body = [h.lower() for h in cells[0]], cells[1:]
    level_at = next((i for i, h in enumerate(header) if "confidence" in h or "level" in h), 1)
    ratings = []
    for row in body:
        claim = row[0].replace("**", "") if row else ""
        level, notes = None, []
        for i, cell in enumerate(row[1:], 1):
            match = re.match(r"^\**" + _LEVEL + r"\b\**\.?\s*(.*)$", cell, re.I)
            if i == level_at and match:
                level = match["level"].capitalize()
                if rest := _unparenthesised(match.group(2)):
                    notes.append(rest)
            elif cell:
                notes.append(cell)
        ratings.append(
            ConfidenceRating(claim=claim, level=level, note="; ".join(notes) or None)  # type: ignore[arg-type]
        )
    return ratings


def _confidence(lines: list[str]) -> list[ConfidenceRating]:
    table = [line for line in lines if line.lstrip().startswith("|")]
    rest = [line for line in lines if not line.lstrip().startswith("|")]
    return _table_ratings(table) + [_rating(i) for i in _items(rest)]


def _part_of(match: re.Match[str]) -> str:
    return next(key for key in _PART_NAMES if match.group(key))


def _bold_label_line(line: str) -> bool:
    text, _ = _marked(line)
    return _FIELD.match(text) is not None


def _architecture(
    lines: list[str], gaps: dict[str, str], layout: DigestLayout, warnings: list[str]
) -> ArchitectureOnboarding:
    """The five parts, however the label is written (``Component map:``, ``**Component map:**``,
    ``- **Component map:**``, ``### Component map``); text under no known label is kept as a
    note, with a warning."""
    parts: dict[str, list[str]] = {}
    inline: dict[str, str] = {}
    notes: list[list[str]] = []
    current: str | None = None
    label_style: tuple[bool, int] | None = None  # (written as a list item, indent)
    for line in lines:
        match = _PART_LINE.match(line) or _PART_HEADING.match(line)
        if match and _part_of(match) not in parts:
            current = _part_of(match)
            value = match.groupdict().get("rest") or ""
            if value == " ":
                layout.label_trailing_space.append(current)
            inline[current] = value.strip().removeprefix("**").strip()
            parts[current] = []
            label_style = (_BULLET.match(line) is not None, _indent(line))
            continue
        # Another bold label where part labels stand (a paragraph of its own, or an item like
        # them) starts text under no known part.
        style = (_BULLET.match(line) is not None, _indent(line))
        unknown_label = (
            label_style is not None
            and _bold_label_line(line)
            and not _NUMBERED.match(line)
            and (style == (False, 0) or style == label_style)
        )
        if current is None or unknown_label:
            if line.strip() and (current is not None or not notes):
                notes.append([])
                what = _marked(line)[0][:40]
                warnings.append(f"Architecture Onboarding: {what!r} is under no known part; kept")
            current = None
            if notes:
                notes[-1].append(line)
            elif line.strip():
                notes.append([line])
            continue
        if line.strip():
            parts[current].append(line)
    result: dict[str, Any] = {}
    for key, _ in ARCHITECTURE_PARTS:
        if key not in parts:
            continue
        text = inline[key]
        if (match := _GAP.match(text)) and not parts[key]:
            gaps[f"architecture.{key}"] = match.group(1)
            continue
        if key in ("component_map", "critical_path"):
            chunks = ([text] if text else []) + _items(parts[key])
            items = [s for chunk in chunks for s in _ARROWS.split(chunk) if s]
        else:
            items = [s.strip() for s in text.split(";") if s.strip()] if text else []
            items += _items(parts[key])
        result[key] = items
    result["notes"] = "\n\n".join(_paragraphs(_trim(n)) for n in notes if _trim(n))
    return ArchitectureOnboarding(**result)


def parse_digest(text: str, warnings: list[str] | None = None) -> Digest:
    """Parse rpa2 digest Markdown; raise DigestFormatError when it is not a digest.

    The rpa2 pipeline's writers vary the layout (bold or heading labels, tables, field lines);
    each variant is read into the same structure, and what fits none stays as text. Such
    leftovers are reported in ``warnings`` when a list is given.
    """
    warnings = [] if warnings is None else warnings
    trailing_newline = text.endswith("\n")
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    raw_frontmatter, body = _split_frontmatter(text)
    data = _load_frontmatter(raw_frontmatter)
    heading_title, sections = _sections(body)
    title = data.get("title")
    title = str(title) if title is not None else heading_title
    if not title or not title.strip():
        raise DigestFormatError("digest has no title (neither 'title:' nor a '# ' heading)")

    layout = DigestLayout(trailing_newline=trailing_newline)
    gaps: dict[str, str] = {}
    fields: dict[str, Any] = {}
    extras: list[ExtraSection] = []
    core = data.get("core_contribution")
    core = "" if core is None else str(core)
    if match := _GAP.match(core.strip()):
        gaps["core_contribution"], core = match.group(1), ""

    for heading, raw_lines in sections:
        key = _HEADINGS.get(heading.lower())
        lines = _trim(raw_lines)
        if key is None or key in fields:
            extras.append(ExtraSection(title=heading, body="\n".join(lines)))
            continue
        if key == "architecture":
            fields[key] = _architecture(lines, gaps, layout, warnings)
            continue
        if (reason := _gap(lines)) is not None:
            gaps[key] = reason
            fields[key] = None
            continue
        if key in ("executive_summary", "method_summary", "mechanism"):
            fields[key] = _paragraphs(lines)
            continue
        if key == "foundational_learning":
            fields[key] = _foundational(lines, warnings)
            continue
        if key == "open_questions":
            fields[key] = _open_questions(lines, warnings)
            continue
        if key == "confidence":
            fields[key] = _confidence(lines)
            continue
        items = _items(lines)
        fields[key] = [_quick_fact(i) for i in items] if key == "quick_facts" else items

    try:
        return Digest(
            title=title,
            arxiv_id=_scalar(data, "arxiv_id", raw_frontmatter),
            source_url=_scalar(data, "source_url", raw_frontmatter),
            tags=_tags(data.get("tags")),
            core_contribution=core,
            gaps=gaps,
            extra_sections=extras,
            extra_frontmatter={k: v for k, v in data.items() if k not in _KNOWN_FRONTMATTER},
            layout=layout,
            **{k: v for k, v in fields.items() if v is not None},
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise DigestFormatError(f"digest field {where}: {first['msg']}") from None
