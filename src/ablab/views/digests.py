"""Paper digests (``ver: rpa2``) in the runs directory: find, read, split for display, write.

A digest run folder is laid out by :mod:`ablab.runs.digests` (``<paper_id>.digest.md``,
``<paper_id>.digest.json``, ``digests.json``). Writing needs :mod:`ablab.digest`; reading and
showing only needs the Markdown file, so stored digests can be browsed in any case.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml

from ablab._util.yaml_safe import load_yaml
from ablab.formats.rpa2.files import DIGEST_SUFFIX
from ablab.views.store import NotFound, RunStore, is_safe_name


def digests_available() -> bool:
    """Whether this installation can write digests (:mod:`ablab.digest` is present)."""
    return importlib.util.find_spec("ablab.digest") is not None


@dataclass(frozen=True)
class DigestEntry:
    """One stored digest."""

    run: str
    paper_id: str
    title: str


def digest_urls(run: str, paper_id: str) -> tuple[str, str]:
    """Page and API URL of one stored digest."""
    run_q, paper_q = quote(run, safe=""), quote(paper_id, safe="")
    return f"/digests/{run_q}/{paper_q}", f"/api/digests/{run_q}/{paper_q}"


def split_digest(text: str) -> tuple[dict[str, Any], str]:
    """The YAML frontmatter (as a dict, {} when absent or malformed) and the Markdown body."""
    if not text.startswith("---"):
        return {}, text
    end = text.find("\n---", 3)
    if end < 0:
        return {}, text
    try:
        front = load_yaml(text[3:end])  # no aliases: a 'billion laughs' header stays small
    except yaml.YAMLError:
        front = None
    body = text[end + 4 :].lstrip("\n")
    return (front if isinstance(front, dict) else {}), body


def digest_body(body: str) -> str:
    """The body without its ``# title`` line (pages show the title in their own heading)."""
    if body.startswith("# "):
        return body.partition("\n")[2].lstrip("\n")
    return body


def _title(path: Path) -> str:
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            front, _ = split_digest(handle.read(8192))
    except OSError:
        return ""
    title = front.get("title")
    return title if isinstance(title, str) else ""


def list_digests(store: RunStore) -> list[DigestEntry]:
    """Every stored digest, by run then paper id."""
    if not store.root.is_dir():
        return []
    entries = []
    for child in sorted(store.root.iterdir()):
        if not is_safe_name(child.name) or not child.is_dir():
            continue
        try:
            folder = store.run_dir(child.name)
        except NotFound:
            continue
        for path in sorted(folder.glob(f"*{DIGEST_SUFFIX}")):
            paper_id = path.name[: -len(DIGEST_SUFFIX)]
            if is_safe_name(paper_id):
                entries.append(DigestEntry(child.name, paper_id, _title(path) or paper_id))
    return entries


def digest_path(store: RunStore, run: str, paper_id: str) -> Path:
    """The digest file of ``paper_id`` in ``run`` (NotFound when absent or unsafe)."""
    if not is_safe_name(paper_id):
        raise NotFound(f"no digest for {paper_id!r}")
    path = (store.run_dir(run) / f"{paper_id}{DIGEST_SUFFIX}").resolve()
    if not path.is_relative_to(store.root) or not path.is_file():
        raise NotFound(f"no digest for {paper_id!r} in run {run!r}")
    return path


def digests_for_paper(store: RunStore, paper_id: str) -> list[DigestEntry]:
    """Stored digests of one paper."""
    return [entry for entry in list_digests(store) if entry.paper_id == paper_id]
