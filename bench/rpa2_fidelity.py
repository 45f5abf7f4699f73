"""rpa2 fidelity: the pipeline's published digests read without loss, and ablab's offline digests
against the pipeline's own checks.

1. **Published digests** (needs a snapshot of ``memgrafter/research-crawler-flatagents``; its
   ``research_paper_analysis_v2/<model>/*.md`` digests are read with ``git``, never copied): each
   is parsed and rendered again; per section, the share of its *content* words (label words such as
   "Why needed" or "Open Question 1" left aside: ablab writes its own labels) that the rendering
   keeps; how many concepts, questions and ratings were read into their fields; and how many
   parser warnings (text kept under no known part).
2. **Offline digests on the real-paper corpus** (``bench/corpus``, built with
   ``python bench/corpus/build.py``): the share of papers whose offline digest passes each of the
   pipeline's checks (:mod:`ablab.digest.pipeline_checks`), per split (dev, held-out).

Usage: python bench/rpa2_fidelity.py [--mirrors DIR] [--skip-published] [--skip-corpus]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import write_results  # noqa: E402
from corpus.corpus import SPLITS, load_corpus  # noqa: E402

from ablab.digest.offline import digest_offline  # noqa: E402
from ablab.digest.pipeline_checks import RULES, exec_opener, pipeline_problems  # noqa: E402
from ablab.errors import AblabError  # noqa: E402
from ablab.formats.rpa2.parse import parse_digest  # noqa: E402
from ablab.formats.rpa2.render import render_digest  # noqa: E402

PIPELINE = "memgrafter+research-crawler-flatagents"
FOLDER = "research_paper_analysis_v2"
# Words of the labels the pipeline's writers and ablab use for the same fields.
LABEL_WORDS = frozenset(
    [
        "concept",
        "why",
        "needed",
        "here",
        "quick",
        "check",
        "question",
        "open",
        "basis",
        "in",
        "paper",
        "unresolved",
        "what",
        "would",
        "resolve",
        "it",
        "evidence",
        "that",
        "needed",
        "claim",
        "confidence",
        "level",
        "notes",
        "note",
        "rationale",
        "component",
        "map",
        "critical",
        "path",
        "design",
        "tradeoffs",
        "trade",
        "offs",
        "failure",
        "signatures",
        "first",
        "experiments",
        "three",
        "exactly",
        "the",
        "is",
    ]
)


def _git(git_dir: Path, *args: str) -> str:
    return subprocess.run(
        ["git", f"--git-dir={git_dir}", *args], check=True, capture_output=True, text=True
    ).stdout


def published_digests(git_dir: Path) -> dict[str, str]:
    """``model/file`` -> text of every digest the pipeline published (``ver: rpa2`` files)."""
    names = _git(git_dir, "ls-tree", "-r", "--name-only", "HEAD", f"{FOLDER}/").splitlines()
    found = {}
    for name in names:
        parts = name.split("/")
        if len(parts) != 3 or not name.endswith(".md"):
            continue
        text = _git(git_dir, "show", f"HEAD:{name}")
        if text.startswith("---") and re.search(r"^ver:\s*rpa2", text[:400], re.M):
            found[f"{parts[1]}/{parts[2]}"] = text
    return found


def _sections(text: str) -> dict[str, str]:
    found: dict[str, list[str]] = {}
    current = None
    for line in text.split("\n"):
        if line.startswith("## "):
            current = line[3:].strip().lower()
            found.setdefault(current, [])
        elif current is not None:
            found[current].append(line)
    return {key: "\n".join(lines) for key, lines in found.items()}


def _words(text: str) -> Counter[str]:
    words = re.findall(r"[^\W_]+", text.lower())
    return Counter(w for w in words if w not in LABEL_WORDS and not w.isdigit())


def fidelity(digests: dict[str, str]) -> dict[str, Any]:
    """Content words kept per section, fields read, warnings."""
    kept: Counter[str] = Counter()
    total: Counter[str] = Counter()
    lost_whole: Counter[str] = Counter()
    fields: Counter[str] = Counter()
    warnings: list[str] = []
    for name, text in sorted(digests.items()):
        found: list[str] = []
        digest = parse_digest(text, found)
        warnings += [f"{name}: {w}" for w in found]
        before, after = _sections(text), _sections(render_digest(digest))
        for key, body in before.items():
            words, back = _words(body), _words(after.get(key, ""))
            n = sum(words.values())
            total[key] += n
            kept[key] += sum(min(c, back[w]) for w, c in words.items())
            lost_whole[key] += bool(n) and not any(back[w] for w in words)
        arch = digest.architecture
        for part in ("component_map", "critical_path", "design_tradeoffs", "failure_signatures"):
            fields[f"architecture {part} read"] += bool(getattr(arch, part))
        fields["architecture first_experiments read"] += bool(arch.first_experiments)
        fields["concepts"] += len(digest.foundational_learning)
        fields["concepts with why"] += sum(bool(c.why) for c in digest.foundational_learning)
        fields["concepts with quick check"] += sum(
            c.quick_check is not None for c in digest.foundational_learning
        )
        fields["open questions"] += len(digest.open_questions)
        for key in ("basis", "why_unresolved", "resolution"):
            fields[f"open questions with {key}"] += sum(
                getattr(q, key) is not None for q in digest.open_questions
            )
        fields["confidence ratings"] += len(digest.confidence)
        fields["ratings with a level"] += sum(r.level is not None for r in digest.confidence)
    sections = {
        key: {
            "content_words": total[key],
            "kept": round(kept[key] / total[key], 4) if total[key] else None,
            "digests_losing_all": lost_whole[key],
        }
        for key in sorted(total, key=lambda k: -total[k])
    }
    return {
        "digests": len(digests),
        "sections": sections,
        "fields": dict(fields),
        "warnings": len(warnings),
        "warning_examples": warnings[:10],
    }


# Rules on the digest's form; the others ask for content the paper may not give evidence for
# (an honest gap fails them).
CONTENT_RULES = frozenset({"placeholders", "architecture", "first_experiments", "next_checks"})
FORM_RULES = frozenset(rule for rule, _ in RULES) - CONTENT_RULES


def source_text(paper: Any) -> str:
    """The paper's text as a text extraction has it: body, tables and captions."""
    parts = [paper.full_text()]
    for section in paper.walk():
        for table in section.tables:
            parts += [table.caption, *table.header, *(c for row in table.rows for c in row)]
    return "\n".join(parts)


def corpus_checks() -> dict[str, Any]:
    """Per split: the share of corpus papers whose offline digest passes each pipeline rule."""
    papers, skipped = load_corpus()
    for line in skipped:
        print(f"  skipped {line}")
    result: dict[str, Any] = {}
    openers: Counter[str] = Counter()
    per_paper: dict[str, list[str]] = {}
    for split in SPLITS:
        chosen = [p for p in papers if p.split == split]
        broken: Counter[str] = Counter()
        passed_all = 0
        for corpus_paper in chosen:
            try:
                paper = corpus_paper.load()
                digest = digest_offline(paper)
            except AblabError as exc:
                per_paper[corpus_paper.id] = [f"digest failed: {exc}"]
                broken["digest failed"] += 1
                continue
            failures = pipeline_problems(digest, source_text(paper))
            openers[exec_opener(digest)] += 1
            per_paper[corpus_paper.id] = [f"{f.rule}: {f.detail}"[:160] for f in failures]
            broken.update({f.rule for f in failures})
            passed_all += not failures
        n = len(chosen)
        form_ok = sum(
            not any(r.split(":")[0] in FORM_RULES for r in per_paper[p.id]) for p in chosen
        )
        result[split] = {
            "papers": n,
            "pass_all_rules": round(passed_all / n, 3) if n else None,
            "pass_form_rules": round(form_ok / n, 3) if n else None,
            "pass_rate": {rule: round(1 - broken[rule] / n, 3) if n else None for rule, _ in RULES},
        }
        print(
            f"offline digests, {split}: {n} papers, passing every rule {passed_all}, "
            f"every rule on form (not on what the paper gives evidence for) {form_ok}"
        )
        for rule, what in RULES:
            print(f"  {rule:18s} {1 - broken[rule] / n:6.1%}  ({what})" if n else "")
    duplicated = {o: c for o, c in openers.items() if c > 1 and o}
    result["duplicate_exec_openers"] = len(duplicated)
    result["per_paper"] = per_paper
    print(f"  executive-summary openers shared by two or more digests: {len(duplicated)}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mirrors = os.environ.get("ABLAB_MIRRORS", "/work/.mirror")
    parser.add_argument("--mirrors", type=Path, default=Path(mirrors))
    parser.add_argument("--skip-published", action="store_true")
    parser.add_argument("--skip-corpus", action="store_true")
    args = parser.parse_args()
    figures: dict[str, Any] = {}
    git_dir = args.mirrors / PIPELINE / "repo"
    if not args.skip_published and git_dir.exists():
        result = fidelity(published_digests(git_dir))
        figures["published"] = result
        print(f"published digests: {result['digests']}, parser warnings: {result['warnings']}")
        for key, row in result["sections"].items():
            print(
                f"  {key[:40]:40s} content words {row['content_words']:6d}, kept {row['kept']:.3f}"
                f", digests losing it all {row['digests_losing_all']}"
            )
        for key, value in result["fields"].items():
            print(f"  {key}: {value}")
    elif not args.skip_published:
        print(f"no snapshot of the rpa2 pipeline at {git_dir}: published digests skipped")
    if not args.skip_corpus:
        figures["corpus"] = corpus_checks()
    if figures:
        print(f"wrote {write_results('rpa2_fidelity', figures)}")


if __name__ == "__main__":
    main()
