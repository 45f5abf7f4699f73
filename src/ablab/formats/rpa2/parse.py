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
from ablab.formats.rpa2.render import GAP_PREFIX, GAP_SUFFIX, QUICK_CHECK

_KNOWN_FRONTMATTER = ("ver", "title", "arxiv_id", "source_url", "tags", "core_contribution")
_HEADINGS = {heading.lower(): key for key, heading in SECTIONS}
_PART_LABELS = {label.lower(): key for key, label in ARCHITECTURE_PARTS}
_PART_LINE = re.compile(
    r"^(" + "|".join(re.escape(label) for _, label in ARCHITECTURE_PARTS) + r"):(.*)$",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^\s*[-*+]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*\d+[.)]\s+(.*)$")
_BOLD_LEAD = re.compile(r"^\*\*(.+?)\*\*:?\s*(.*)$")
_RATING = re.compile(r"^(.*?):\s*(high|medium|low)\b\.?\s*(?:\((.*)\))?\s*$", re.IGNORECASE)
_GAP = re.compile("^" + re.escape(GAP_PREFIX) + r"(.*)" + re.escape(GAP_SUFFIX) + "$")
_ARROWS = re.compile(r"\s*(?:->|→)\s*")


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


def _quick_fact(item: str) -> QuickFact:
    label, sep, value = item.partition(": ")
    if not sep and item.endswith(":"):
        label = item[:-1]
    return QuickFact(label=label, value=value)


def _concept(item: str) -> FoundationalConcept:
    match = _BOLD_LEAD.match(item)
    concept, rest = (match.group(1), match.group(2)) if match else (item, "")
    quick_check: str | None = None
    lowered = rest.lower()
    if lowered.startswith(QUICK_CHECK):
        rest, quick_check = "", rest[len(QUICK_CHECK) :]
    elif (at := lowered.rfind("; " + QUICK_CHECK)) >= 0:
        rest, quick_check = rest[:at], rest[at + 2 + len(QUICK_CHECK) :]
    return FoundationalConcept(concept=concept, why=rest, quick_check=quick_check)


def _question(item: str) -> OpenQuestion:
    if item.startswith("\\**"):
        return OpenQuestion(detail=item[1:])
    match = _BOLD_LEAD.match(item)
    if match and match.group(2):
        return OpenQuestion(title=match.group(1), detail=match.group(2))
    return OpenQuestion(detail=item)


def _rating(item: str) -> ConfidenceRating:
    match = _RATING.match(item)
    if not match:
        return ConfidenceRating(claim=item)
    claim, level, note = match.groups()
    return ConfidenceRating(claim=claim, level=level.capitalize(), note=note)  # type: ignore[arg-type]


def _architecture(
    lines: list[str], gaps: dict[str, str], layout: DigestLayout
) -> ArchitectureOnboarding:
    parts: dict[str, list[str]] = {}
    inline: dict[str, str] = {}
    current: str | None = None
    for line in lines:
        match = _PART_LINE.match(line)
        if match:
            current = _PART_LABELS[match.group(1).lower()]
            value = match.group(2)
            if value == " ":
                layout.label_trailing_space.append(current)
            inline[current] = value.strip()
            parts[current] = []
        elif current is not None and line.strip():
            parts[current].append(line)
    result: dict[str, list[str]] = {}
    for key, _ in ARCHITECTURE_PARTS:
        if key not in parts:
            continue
        text = inline[key]
        if (match := _GAP.match(text)) and not parts[key]:
            gaps[f"architecture.{key}"] = match.group(1)
            continue
        if key in ("component_map", "critical_path"):
            items = [s for s in _ARROWS.split(text) if s] if text else []
        elif text:
            items = [s.strip() for s in text.split(";") if s.strip()]
        else:
            items = []
        result[key] = items + _items(parts[key])
    return ArchitectureOnboarding(**result)


def parse_digest(text: str) -> Digest:
    """Parse rpa2 digest Markdown; raise DigestFormatError when it is not a digest."""
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
            fields[key] = _architecture(lines, gaps, layout)
            continue
        if (reason := _gap(lines)) is not None:
            gaps[key] = reason
            fields[key] = None
            continue
        if key in ("executive_summary", "method_summary", "mechanism"):
            fields[key] = _paragraphs(lines)
            continue
        items = _items(lines)
        converters = {
            "quick_facts": _quick_fact,
            "foundational_learning": _concept,
            "open_questions": _question,
            "confidence": _rating,
        }
        convert = converters.get(key)
        fields[key] = [convert(i) for i in items] if convert else items

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
