"""Size and count limits that keep untrusted paper sources from exhausting memory or disk."""

from __future__ import annotations

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
"""Largest source file (or total of a LaTeX project's files read) accepted by default: 50 MB."""

MAX_ARCHIVE_MEMBERS = 10_000
"""Most members an archive may list before it is refused (zip-bomb guard)."""

MAX_INCLUDE_DEPTH = 32
"""Deepest chain of nested ``\\input``/``\\include`` followed before giving up on a branch."""

MAX_INCLUDES = 2_000
"""Most ``\\input``/``\\include`` splices in one LaTeX project: a file included twice by each of
thirty nested files is small on disk but would be spliced in 2**30 times."""
