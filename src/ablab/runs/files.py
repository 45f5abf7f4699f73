"""Run directories: one plan per paper, written atomically, readable by AblationBench's harness.

Layout of ``<out>/``::

    <paper_id>.jsonl      AblationBench predictions (one ablation per line)
    <paper_id>.plan.json  the full Plan with reasoning, usage and versions
    <paper_id>.md         the plan as trajectory Markdown
    plans.json            {paper_id: {"predictions": "<jsonl text>", "cost": float}}
    failures.json         papers that failed, with the reason (a rerun tries them again); a
                          failed paper also leaves an empty <paper_id>.jsonl, as AblationBench's
                          own planners do, so its harness scores it (as 0) instead of stopping

A paper's ``.plan.json`` is written after its other files, so it marks the paper complete; the
shared files (``plans.json``, ``failures.json``, ``run.json``) are updated by read-merge-write
under an exclusive lock on ``.ablab.lock``, so several processes may work on one directory
without losing each other's entries. The index and failures files are merged as streams: their
entries are read one at a time and written straight into the new file, so a merge holds the new
entries and one old entry, never the whole file (its size grows with the batch).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Literal, TextIO

import ijson

try:  # POSIX; elsewhere one process per run directory is assumed
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

from ablab._util.atomic import atomic_text_writer, atomic_write_text, remove_stale_temp_files
from ablab._util.text import reason
from ablab.errors import AblabError, ConfigError
from ablab.formats.trajectory import STYLE_BLOCK, render_plan_markdown
from ablab.schema import Plan

PLANS_INDEX = "plans.json"
FAILURES_FILE = "failures.json"
"""Papers that could not be planned, with the reason (and raw model answers)."""
LOCK_FILE = ".ablab.lock"
"""Locked while a process updates the shared files of a run directory."""


_MAX_ID_BYTES = 200  # file names are limited to 255 bytes; room for ".plan.json" and temp names


def is_file_id(paper_id: str) -> bool:
    """Whether ``paper_id`` can name files in a run directory: one plain path component.

    Ids come from datasets and other untrusted files; ``../x``, ``/tmp/x`` or ``a/b`` would
    write outside the output directory.
    """
    return (
        paper_id not in ("", ".", "..")
        and not any(char in "/\\" or ord(char) < 32 for char in paper_id)
        and len(paper_id.encode("utf-8", "surrogatepass")) <= _MAX_ID_BYTES
    )


def check_file_id(paper_id: str) -> str:
    """``paper_id`` when :func:`is_file_id` accepts it, else AblabError."""
    if not is_file_id(paper_id):
        raise AblabError(f"paper id {paper_id[:80]!r} cannot name a file (path separators, '..')")
    return paper_id


def prepare_output_dir(out: Path) -> Path:
    """Create the output directory ``out`` (and its parents) or say in one line why it cannot be."""
    if out.exists() and not out.is_dir():
        raise ConfigError(f"{out}: exists and is not a directory; choose another output folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"{out}: cannot create the output folder ({reason(exc)})") from None
    if not os.access(out, os.W_OK | os.X_OK):
        raise ConfigError(f"{out}: the output folder is not writable")
    remove_stale_temp_files(out)
    return out


@contextlib.contextmanager
def run_lock(out: Path) -> Iterator[None]:
    """Hold the exclusive lock of run directory ``out`` (across processes) while inside."""
    if fcntl is None:  # pragma: no cover
        yield
        return
    with (out / LOCK_FILE).open("a") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def index_entry(plan: Plan) -> dict[str, object]:
    """The ``plans.json`` entry of ``plan`` (AblationBench's fields)."""
    return {"predictions": plan.to_jsonl(), "cost": plan.usage.cost_usd or 0.0}


def _write_json(path: Path, value: Any) -> None:
    # Streamed to the file: a string of all of it (then its bytes) would double the memory.
    with atomic_text_writer(path) as handle:
        json.dump(value, handle, indent=2, ensure_ascii=False)
        handle.write("\n")


class _Unstreamable(Exception):
    """The streaming parser could not read a shared file (absent files are not this)."""


class _Unchanged(Exception):
    """A merge found nothing to change: the file being written is dropped, the old one kept."""


def _stream_json(path: Path, container: Literal["object", "array"]) -> Iterator[Any]:
    """The members of the JSON object (``(key, value)`` pairs) or array (values) in ``path``,
    parsed one at a time; nothing when the file is absent.

    Raises _Unstreamable when the file cannot be read, is not JSON, not that container, or has
    what the streaming parser refuses but ``json`` reads (NaN, Infinity): the callers then fall
    back to ``json``, which decides as it always has.
    """
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        return
    except OSError:
        raise _Unstreamable from None
    with handle:
        try:
            events = ijson.parse(handle, use_float=True)
            first = next(events)
            if first != ("", "start_map" if container == "object" else "start_array", None):
                raise _Unstreamable
            events = itertools.chain([first], events)
            if container == "object":
                yield from ijson.kvitems(events, "")
            else:
                yield from ijson.items(events, "item")
        except (ijson.JSONError, OSError):
            raise _Unstreamable from None


class _JsonWriter:
    """Writes a JSON object or array member by member, laid out byte for byte as
    ``json.dump(value, handle, indent=2, ensure_ascii=False)`` followed by a newline."""

    def __init__(self, handle: TextIO, container: Literal["object", "array"]) -> None:
        self.handle = handle
        self.brackets = "{}" if container == "object" else "[]"
        self.count = 0
        handle.write(self.brackets[0])

    def add(self, value: Any, key: str | None = None) -> None:
        """Write one member (``key`` for objects)."""
        # json.dumps never writes a raw newline inside a string, so every newline it writes
        # starts a line: one more indentation level nests the member.
        text = json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n  ")
        if key is not None:
            text = f"{json.dumps(key, ensure_ascii=False)}: {text}"
        self.handle.write(f"{',' if self.count else ''}\n  {text}")
        self.count += 1

    def close(self) -> None:
        """End the container and the file."""
        end = "\n" if self.count else ""
        self.handle.write(f"{end}{self.brackets[1]}\n")


def _index_members(path: Path, *, strict: bool) -> Iterator[tuple[str, Any]]:
    """The entries of the index file ``path``, one at a time; ``strict`` (plans.json): a value
    that is not an object raises _Unstreamable."""
    for key, value in _stream_json(path, "object"):
        if strict and not isinstance(value, dict):
            raise _Unstreamable
        yield key, value


def _merged_object(
    path: Path, entries: Mapping[str, Any], *, strict: bool
) -> Iterator[tuple[str, Any]]:
    """The entries of the index file ``path`` with ``entries`` merged in, as ``dict.update``
    would order them (a replaced entry keeps its place, new ones come last)."""
    remaining = dict(entries)
    for key, value in _index_members(path, strict=strict):
        if key in remaining:
            yield key, remaining.pop(key)
        elif key not in entries:  # not a repeat of a key replaced already
            yield key, value
    yield from remaining.items()


def merge_index(out: Path, name: str, entries: Mapping[str, dict[str, Any]]) -> None:
    """Add ``entries`` to the index file ``name`` of ``out`` (streamed merge under the lock).

    ``plans.json`` must be an object of objects (AblabError otherwise, see
    :func:`read_plans_index`, and the file is left as it was); another index that cannot be
    read is started afresh.
    """
    if not entries:
        return
    path = out / name
    with run_lock(out):
        try:
            with atomic_text_writer(path) as handle:
                writer = _JsonWriter(handle, "object")
                for key, value in _merged_object(path, entries, strict=name == PLANS_INDEX):
                    writer.add(value, key)
                writer.close()
        except _Unstreamable:
            # Unusual or damaged: read whole with json, which decides as it always has.
            if name == PLANS_INDEX:
                index = read_plans_index(out)
            else:
                data = _read_json(path)
                index = data if isinstance(data, dict) else {}
            index.update(entries)
            _write_json(path, index)


def update_plans_index(out: Path, entries: Mapping[str, dict[str, object]]) -> None:
    """Add ``entries`` to ``plans.json`` (streamed merge under the run lock)."""
    merge_index(out, PLANS_INDEX, entries)


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _failure_key(entry: dict[str, Any]) -> str:
    """The key of a failures-file entry: its paper id, or its source for a paper not read."""
    return str(entry.get("paper_id") or entry.get("source"))


def read_failures(out: Path, name: str = FAILURES_FILE) -> dict[str, dict[str, Any]]:
    """A failures file by paper id (or source, for papers that could not be read)."""
    data = _read_json(out / name)
    return {
        _failure_key(entry): entry
        for entry in (data if isinstance(data, list) else [])
        if isinstance(entry, dict)
    }


def _merge_failures_streamed(
    path: Path,
    handle: TextIO,
    recorded: Mapping[str, dict[str, Any]],
    cleared: set[str] | frozenset[str],
) -> bool:
    """Write the failures in ``path`` with ``recorded`` and ``cleared`` merged in, as
    :func:`merge_failures` orders them, to ``handle``; whether anything changed."""
    writer = _JsonWriter(handle, "array")
    remaining = {key: entry for key, entry in recorded.items() if key not in cleared}
    changed = bool(recorded)
    for entry in _stream_json(path, "array"):
        if not isinstance(entry, dict):
            continue  # dropped, as read_failures does
        key = _failure_key(entry)
        if key in cleared:
            changed = True
        elif key in remaining:
            writer.add(remaining.pop(key))
        elif key not in recorded:  # not a repeat of a key replaced already
            writer.add(entry)
    for key, entry in recorded.items():  # cleared and recorded again: moves to the end
        if key in remaining or key in cleared:
            writer.add(entry)
    writer.close()
    return changed


def merge_failures(
    out: Path,
    name: str,
    recorded: Mapping[str, dict[str, Any]],
    cleared: set[str] | frozenset[str],
) -> None:
    """Record and clear failures in the failures file ``name`` (streamed merge under the lock;
    a file that cannot be read is started afresh)."""
    if not recorded and not cleared:
        return
    path = out / name
    with run_lock(out):
        if not recorded and not path.exists():
            return
        try:
            with atomic_text_writer(path) as handle:
                if not _merge_failures_streamed(path, handle, recorded, cleared):
                    raise _Unchanged
        except _Unchanged:
            return
        except _Unstreamable:
            # Unusual or damaged: read whole with json, which decides as it always has.
            entries = read_failures(out, name)
            if not recorded and not cleared & entries.keys():
                return
            for key in cleared:
                entries.pop(key, None)
            entries.update(recorded)
            _write_json(path, list(entries.values()))


def update_failures(
    out: Path, recorded: Mapping[str, dict[str, Any]], cleared: set[str] | frozenset[str]
) -> None:
    """Record and clear failures in ``failures.json`` (streamed merge under the run lock)."""
    merge_failures(out, FAILURES_FILE, recorded, cleared)


def mark_failed(out: Path, paper_id: str) -> None:
    """Leave an empty ``<paper_id>.jsonl`` for a paper that failed, unless a file is there.

    AblationBench's harness reads ``<id>.jsonl`` for every dataset paper and stops at a missing
    one; its own planners write an empty file when a paper fails. ablab's readers know the paper
    failed from its ``failures.json`` entry and never score the file as a plan. An existing file
    (an earlier plan, the user's own file) is left alone; ``O_EXCL`` makes the check and the
    creation one step, so a plan another process writes meanwhile is never replaced.
    """
    if not is_file_id(paper_id):
        return
    with contextlib.suppress(FileExistsError):
        os.close(os.open(out / f"{paper_id}.jsonl", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))


def plan_files(out: Path, paper_id: str) -> dict[str, Path]:
    """Paths of the files written for one paper (AblabError for an id that is not a file name)."""
    check_file_id(paper_id)
    return {
        "jsonl": out / f"{paper_id}.jsonl",
        "json": out / f"{paper_id}.plan.json",
        "md": out / f"{paper_id}.md",
    }


def read_plans_index(out: Path) -> dict[str, dict[str, object]]:
    """The ``plans.json`` of a run directory ({} when absent).

    Raises AblabError when it is not an object of objects (hand-edited or damaged): a run that
    went on would overwrite the index of every paper finished so far.
    """
    path = out / PLANS_INDEX
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError
        raise AblabError(f"{path}: not a plans index ({reason(exc)}); fix or remove it") from None
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise AblabError(f"{path}: not a plans index (an object of objects); fix or remove it")
    return data


def iter_plans_index(out: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """The entries of the ``plans.json`` of a run directory, one at a time (none when absent),
    never all in memory. Raises AblabError as :func:`read_plans_index` does."""
    done = 0
    try:
        for key, value in _index_members(out / PLANS_INDEX, strict=True):
            yield key, value
            done += 1
    except _Unstreamable:
        # json decides what ijson refuses: the error of a damaged index, or the entries left.
        yield from itertools.islice(read_plans_index(out).items(), done, None)


def plans_index_ids(out: Path) -> set[str]:
    """The paper ids listed in the ``plans.json`` of a run directory (read as a stream, the
    entries are not kept). Raises AblabError as :func:`read_plans_index` does."""
    return {key for key, _ in iter_plans_index(out)}


def _written_by_ablab(path: Path, kind: str) -> bool:
    """Whether the existing ``path`` looks like a run file (a plan ablab or AblationBench wrote)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(64 * 1024).decode("utf-8", errors="replace")
    except OSError:
        return False
    if kind == "md":
        return head.startswith(STYLE_BLOCK)
    first = next((line for line in head.split("\n") if line.strip()), "")
    if not first:
        return kind == "jsonl"  # a plan without ablations
    try:
        value = json.loads(first if kind == "jsonl" else path.read_text(encoding="utf-8"))
    except ValueError:
        return False
    keys = ("action",) if kind == "jsonl" else ("paper_id", "ablations")
    return isinstance(value, dict) and all(key in value for key in keys)


def foreign_files(out: Path, paper_id: str) -> list[Path]:
    """Files a plan of ``paper_id`` would overwrite that ablab did not write (the user's own).

    ``ablab plan paper.md -o .`` names the trajectory ``paper.md``: the paper itself.
    """
    return [
        path
        for kind, path in plan_files(out, paper_id).items()
        if path.exists() and not _written_by_ablab(path, kind)
    ]


def write_plan(out: Path, plan: Plan, *, index: bool = True) -> dict[str, Path]:
    """Write one plan's files (``.plan.json`` last, so it marks completion), then record it in
    ``plans.json`` unless ``index`` is False (a batch records many entries at once).

    Raises AblabError, writing nothing, when that would overwrite a file ablab did not write.
    """
    foreign = foreign_files(out, plan.paper_id)
    if foreign:
        raise AblabError(
            f"{foreign[0]}: not written by ablab; the plan of {plan.paper_id!r} would overwrite "
            "it (use another --out folder)"
        )
    files = plan_files(out, plan.paper_id)
    # Renames keep every file whole even under kill -9; the per-paper files skip the fsync (a
    # power cut at worst leaves a .plan.json that does not parse: that paper is planned again),
    # the shared index keeps it.
    atomic_write_text(
        files["jsonl"], plan.to_jsonl() + ("\n" if plan.ablations else ""), fsync=False
    )
    atomic_write_text(files["md"], render_plan_markdown(plan), fsync=False)
    atomic_write_text(files["json"], plan.model_dump_json(indent=2) + "\n", fsync=False)
    if index:
        update_plans_index(out, {plan.paper_id: index_entry(plan)})
    return files


def load_plan(path: Path) -> Plan:
    """Read a ``.plan.json`` file written by :func:`write_plan`."""
    return Plan.model_validate_json(path.read_text(encoding="utf-8"))
