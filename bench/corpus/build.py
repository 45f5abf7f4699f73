"""Rebuild the real-paper corpus from local snapshots of public repositories.

Each manifest entry names a repository, a commit and a path. The snapshot of ``owner/name`` is a
git directory at ``<mirror>/owner+name/repo`` (what the project's fetch tool brings). PDFs are
copied to ``papers/<id>.pdf``; a LaTeX project's folder is copied to ``papers/<id>/`` (text files
only: .tex, .bib, .bbl, .sty, .cls, .bst and friends; figures are not needed to read a paper).

Usage:
    python bench/corpus/build.py [--mirror DIR] [--only ID ...]
    python bench/corpus/build.py assign-splits   # once, before any tuning
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
MANIFEST = HERE / "manifest.jsonl"
PAPERS = HERE / "papers"
TEXT_SUFFIXES = {".tex", ".bib", ".bbl", ".sty", ".cls", ".bst", ".def", ".cfg", ".clo", ".txt"}
HELDOUT_SHARE = 0.4


def read_manifest(path: Path = MANIFEST) -> list[dict[str, Any]]:
    """Every manifest entry, in file order."""
    entries = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                entries.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise SystemExit(f"{path.name}:{number}: not JSON ({exc})") from exc
    ids = [e["id"] for e in entries]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise SystemExit(f"duplicate ids in the manifest: {sorted(duplicates)}")
    return entries


def _git(git_dir: Path, *args: str) -> bytes:
    return subprocess.run(
        ["git", "--git-dir", str(git_dir), *args], check=True, capture_output=True
    ).stdout


def _snapshot(mirror: Path, repo: str) -> Path:
    git_dir = mirror / repo.replace("/", "+") / "repo"
    if not git_dir.exists():
        raise FileNotFoundError(f"no snapshot of {repo} under {mirror} (fetch github:{repo})")
    if (git_dir / ".git").is_dir():
        return git_dir / ".git"  # some snapshots arrive as a checkout rather than a bare repo
    return git_dir


def build_entry(entry: dict[str, Any], mirror: Path) -> Path:
    """Copy one paper out of its snapshot; return where it was written."""
    git_dir = _snapshot(mirror, entry["repo"])
    commit = entry["commit"]
    if entry["format"] == "pdf":
        target = PAPERS / f"{entry['id']}.pdf"
        target.write_bytes(_git(git_dir, "show", f"{commit}:{entry['path']}"))
        return target
    root = entry["path"].strip("/")
    target = PAPERS / entry["id"]
    if target.exists():
        shutil.rmtree(target)
    listing = _git(git_dir, "ls-tree", "-r", "-z", "--name-only", commit, *([root] if root else []))
    for name in listing.decode("utf-8", "surrogateescape").split("\0"):
        if not name or Path(name).suffix.lower() not in TEXT_SUFFIXES:
            continue
        relative = Path(name).relative_to(root) if root else Path(name)
        if ".." in relative.parts:
            continue
        out = target / relative
        out.parent.mkdir(parents=True, exist_ok=True)
        try:
            out.write_bytes(_git(git_dir, "show", f"{commit}:{name}"))
        except subprocess.CalledProcessError:
            if Path(name).suffix.lower() != ".bib":
                raise
            # snapshots leave out their largest files (ACL's anthology.bib): a paper reads
            # without its bibliography, citations then show as [cite]
            out.unlink(missing_ok=True)
            print(f"{entry['id']}: {name} is missing from the snapshot; built without it")
    if not (target / entry["main"]).is_file():
        raise FileNotFoundError(f"{entry['id']}: main file {entry['main']} not in {root or '/'}")
    return target


def assign_splits(entries: list[dict[str, Any]]) -> None:
    """Give every entry without a split one, by a hash of its id, stratified by format.

    Entries that already have a split keep it (papers discussed in the issue that asked for the
    corpus are pinned to dev: they were seen before any tuning); the held-out share counts them.
    """
    for fmt in ("pdf", "latex"):
        group = [e for e in entries if e["format"] == fmt]
        wanted = round(len(group) * HELDOUT_SHARE) - sum(e.get("split") == "heldout" for e in group)
        open_ = [e for e in group if "split" not in e]
        ranked = sorted(open_, key=lambda e: hashlib.sha256(e["id"].encode()).hexdigest())
        for index, entry in enumerate(ranked):
            entry["split"] = "heldout" if index < wanted else "dev"
    MANIFEST.write_text(
        "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries), encoding="utf-8"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", nargs="?", default="build", choices=["build", "assign-splits"])
    parser.add_argument("--mirror", type=Path, default=Path("/work/.mirror"))
    parser.add_argument("--only", nargs="*", help="build only these ids")
    args = parser.parse_args()
    entries = read_manifest()
    if args.command == "assign-splits":
        assign_splits(entries)
        return
    PAPERS.mkdir(exist_ok=True)
    missing = 0
    for entry in entries:
        if args.only and entry["id"] not in args.only:
            continue
        try:
            build_entry(entry, args.mirror)
        except (FileNotFoundError, subprocess.CalledProcessError) as exc:
            missing += 1
            detail = exc.stderr.decode(errors="replace").strip() if isinstance(
                exc, subprocess.CalledProcessError) else str(exc)  # fmt: skip
            print(f"{entry['id']}: {detail}", file=sys.stderr)
    print(
        f"built {len(entries) - missing} papers into {PAPERS}"
        + (f", {missing} missing" if missing else "")
    )
    sys.exit(1 if missing else 0)


if __name__ == "__main__":
    main()
