"""Digests as grounding for model-based planners: find a paper's digest, quote what may be used.

A digest is matched to a paper by the record ``ablab digest --out`` writes next to it (same
paper content hash), else by title. Only the parts a planner may see in its mode are quoted: in
author mode the method side (no results, mechanism or limitations, which may draw on the
experiments), and never
the digest's own ablation suggestions (Next Checks, First experiments), so a planner is not fed
another planner's answer.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from ablab.errors import AblabError, ConfigError
from ablab.formats.rpa2.files import DIGEST_SUFFIX, RECORD_SUFFIX
from ablab.formats.rpa2.model import Digest
from ablab.formats.rpa2.parse import looks_like_digest, parse_digest
from ablab.schema import Mode, Paper, SourceKind

MAX_SCANNED = 5_000
"""Digest files read at most when a directory is searched by title."""


def _title_key(title: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", title.casefold()).split())


def _read(path: Path) -> Digest | None:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if not looks_like_digest(text):
        return None
    try:
        return parse_digest(text)
    except AblabError:
        return None


def _recorded_hash(path: Path) -> str | None:
    record = path.with_name(path.name.removesuffix(DIGEST_SUFFIX) + RECORD_SUFFIX)
    try:
        data = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    value = data.get("paper_hash") if isinstance(data, dict) else None
    return value if isinstance(value, str) else None


class DigestLibrary:
    """Digests from a file or a directory, looked up by paper."""

    def __init__(self, where: str | Path) -> None:
        self.where = Path(where)
        if not self.where.exists():
            raise ConfigError(f"{self.where}: no such digest file or directory")
        if self.where.is_file() and _read(self.where) is None:  # named on purpose: say so
            raise ConfigError(f"{self.where}: not a readable rpa2 digest (ver: rpa2 Markdown)")
        self._by_title: dict[str, Path] | None = None

    def _titles(self) -> dict[str, Path]:
        if self._by_title is None:
            files = [self.where] if self.where.is_file() else sorted(self.where.glob("*.md"))
            self._by_title = {}
            for path in files[:MAX_SCANNED]:
                digest = _read(path)
                if digest is not None:
                    self._by_title.setdefault(_title_key(digest.title), path)
        return self._by_title

    def find(self, paper: Paper) -> Digest | None:
        """The digest of ``paper``: same content hash by record, else same title; else None."""
        # Ids are file-name slugs; one that is not (an API caller's) never names a path here.
        if self.where.is_dir() and re.fullmatch(r"[\w.-]+", paper.id) and ".." not in paper.id:
            by_id = self.where / f"{paper.id}{DIGEST_SUFFIX}"
            recorded = _recorded_hash(by_id) if by_id.exists() else None
            if recorded == paper.content_hash:
                return _read(by_id)
        path = self._titles().get(_title_key(paper.title))
        if path is None:
            return None
        recorded = _recorded_hash(path)
        if recorded is not None and recorded != paper.content_hash:
            return None  # a digest of another version of the paper
        return _read(path)


def grounding_text(digest: Digest, mode: Mode) -> str:
    """The parts of ``digest`` a planner in ``mode`` may read, as short Markdown."""
    parts: list[str] = []

    def add(heading: str, body: str) -> None:
        if body.strip():
            parts.append(f"### {heading}\n{body.strip()}")

    def bullets(items: list[str]) -> str:
        return "\n".join(f"- {item}" for item in items)

    arch = digest.architecture
    add("Core contribution", digest.core_contribution)
    add("Method summary", digest.method_summary)
    add("Component map (data flow)", " -> ".join(arch.component_map))
    add("Critical path", " -> ".join(arch.critical_path))
    add("Design tradeoffs", bullets(arch.design_tradeoffs))
    if mode is Mode.REVIEWER:
        # A mechanism written by a model may argue from the ablation results: reviewers only.
        add("Why it works", digest.mechanism)
        add("Key results", bullets(digest.key_results))
        add("Limitations", bullets(digest.limitations))
        add("Open questions", bullets([q.detail for q in digest.open_questions]))
    return "\n\n".join(parts)


def digest_grounding(paper: Paper, library: DigestLibrary | None, mode: Mode) -> str:
    """Grounding text for ``paper`` from ``library`` ("" when there is none to give).

    A paper read from a digest gets none: the digest already is the text the planner reads.
    """
    if library is None or paper.source_kind is SourceKind.DIGEST:
        return ""
    digest = library.find(paper)
    return grounding_text(digest, mode) if digest is not None else ""
