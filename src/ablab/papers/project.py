"""LaTeX project files read safely: a folder or an archive, confined to its root.

Paper sources are untrusted, so nothing here lets a path in the paper choose a file outside the
project: include names that are absolute, climb above the root with ``..``, or reach outside
through a symlink are refused with a warning, never read.

Archives are read into memory (only ``.tex``/``.bbl`` members; never written to disk) after
checking every member. Policy: an archive holding any unsafe member (absolute path, ``..``
component, symlink, hard link, device or FIFO) is refused as a whole with a PaperError — such an
archive was built to attack, so nothing in it is trusted. Member count and unpacked size are
capped against zip/tar bombs.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import posixpath
import re
import stat
import tarfile
import zipfile
import zlib
from pathlib import Path
from typing import IO

from ablab._util.text import reason
from ablab.errors import PaperError
from ablab.papers.limits import MAX_ARCHIVE_MEMBERS

_KEPT_SUFFIXES = (".tex", ".bbl")
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:")
_CHUNK = 64 * 1024
_MAX_WALKED_FILES = 20_000


class SourcesTooLargeError(PaperError):
    """The files of a project exceed the size budget (always fatal, never skipped)."""


class UnsafePathError(Exception):
    """An include name that would leave the project root (reported as a warning)."""


def normalize_member(name: str) -> str | None:
    """Safe relative posix path for an include or archive member name; None if it escapes."""
    name = name.strip().replace("\\", "/")
    if not name or name.startswith(("/", "~")) or _WINDOWS_DRIVE.match(name):
        return None
    normalized = posixpath.normpath(name)
    if normalized == ".." or normalized.startswith("../") or "/../" in f"/{normalized}/":
        return None
    return normalized


class Project:
    """Files of a LaTeX project, addressed by relative posix paths; remembers what it read."""

    def __init__(self, label: str, max_bytes: int) -> None:
        self.label = label
        self._budget = max_bytes
        self._max_bytes = max_bytes
        self.read_files: dict[str, bytes] = {}

    @property
    def max_bytes(self) -> int:
        """The size budget of the project's sources."""
        return self._max_bytes

    def tex_files(self) -> list[str]:
        """Relative paths of every ``.tex`` file, sorted."""
        raise NotImplementedError

    def exists(self, rel: str) -> bool:
        """Whether ``rel`` names a regular file in the project."""
        return self.status(rel) == "ok"

    def status(self, rel: str) -> str:
        """ "ok" (a file in the project), "missing", or "outside" (a symlink leaving the root)."""
        raise NotImplementedError

    def _load(self, rel: str) -> bytes:
        raise NotImplementedError

    def read(self, rel: str) -> bytes:
        """Bytes of ``rel``; counts against the size budget. Raises UnsafePathError, PaperError."""
        if rel in self.read_files:
            return self.read_files[rel]
        data = self._load(rel)
        self._budget -= len(data)
        if self._budget < 0:
            raise self.too_large()
        self.read_files[rel] = data
        return data

    def too_large(self) -> SourcesTooLargeError:
        """The error for a project whose sources exceed the size budget."""
        return SourcesTooLargeError(
            f"{self.label}: LaTeX sources exceed the limit of {self._max_bytes:,} bytes"
        )

    def content_hash(self) -> str:
        """sha256 over the sorted (relative path, bytes) pairs of the files read."""
        digest = hashlib.sha256()
        for rel in sorted(self.read_files):
            data = self.read_files[rel]
            digest.update(rel.encode("utf-8") + b"\0" + len(data).to_bytes(8, "big"))
            digest.update(data)
        return digest.hexdigest()


class DirectoryProject(Project):
    """A project folder on disk; symlinks may be followed only if they stay inside it."""

    def __init__(self, root: Path, max_bytes: int) -> None:
        super().__init__(str(root), max_bytes)
        self.root = root.resolve()

    def _inside(self, rel: str) -> Path:
        target = (self.root / rel).resolve()
        if target != self.root and self.root not in target.parents:
            raise UnsafePathError(rel)
        return target

    def tex_files(self) -> list[str]:
        found: list[str] = []
        walked = 0
        for current, dirs, files in os.walk(self.root):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in files:
                walked += 1
                if walked > _MAX_WALKED_FILES:
                    raise PaperError(f"{self.label}: too many files to be a LaTeX project")
                if name.lower().endswith(".tex"):
                    rel = Path(current, name).relative_to(self.root).as_posix()
                    if self.exists(rel):
                        found.append(rel)
        return sorted(found)

    def status(self, rel: str) -> str:
        try:
            return "ok" if self._inside(rel).is_file() else "missing"
        except UnsafePathError:
            return "outside"
        except OSError:
            return "missing"

    def _load(self, rel: str) -> bytes:
        target = self._inside(rel)
        try:
            info = target.stat()
            if not stat.S_ISREG(info.st_mode):
                raise PaperError(f"{self.label}: {rel} is not a regular file")
            if info.st_size > self._budget:
                raise self.too_large()
            return target.read_bytes()
        except OSError as exc:
            raise PaperError(f"{self.label}: cannot read {rel} ({reason(exc)})") from None


class MemoryProject(Project):
    """A project unpacked from an archive into memory."""

    def __init__(self, label: str, files: dict[str, bytes], max_bytes: int) -> None:
        super().__init__(label, max_bytes)
        self._files = files

    def tex_files(self) -> list[str]:
        return sorted(rel for rel in self._files if rel.lower().endswith(".tex"))

    def status(self, rel: str) -> str:
        return "ok" if rel in self._files else "missing"

    def _load(self, rel: str) -> bytes:
        if rel not in self._files:
            raise PaperError(f"{self.label}: {rel} is not in the archive")
        return self._files[rel]


def open_archive(
    path: Path,
    data: bytes,
    *,
    max_bytes: int,
    max_members: int = MAX_ARCHIVE_MEMBERS,
    max_unpacked_bytes: int | None = None,
) -> MemoryProject:
    """Check and unpack a ``.zip``/``.tar``/``.tar.gz`` LaTeX source archive into memory.

    A gzipped single file (how arXiv serves one-file sources) becomes a project holding
    ``main.tex``. ``max_unpacked_bytes`` caps the total size the archive's members declare (default
    5 x ``max_bytes``); the ``.tex``/``.bbl`` bytes actually kept are capped by ``max_bytes``.
    """
    cap = max_unpacked_bytes if max_unpacked_bytes is not None else 5 * max_bytes
    if data.startswith(b"PK"):
        files = _unpack_zip(path, data, max_members, cap, max_bytes)
    elif data.startswith(b"\x1f\x8b") and not _gzip_holds_tar(data):
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as handle:
            try:
                files = {"main.tex": _read_capped(path, handle, path.name, max_bytes)}
            except (OSError, EOFError, zlib.error) as exc:
                raise PaperError(f"{path}: not a readable gzip file ({reason(exc)})") from None
    else:
        files = _unpack_tar(path, data, max_members, cap, max_bytes)
    return MemoryProject(str(path), files, max_bytes)


def _gzip_holds_tar(data: bytes) -> bool:
    """Whether gzip data starts with a tar header ("ustar" magic at offset 257)."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as handle:
            head = handle.read(512)
    except (OSError, EOFError, zlib.error):
        return True  # let the tar reader report the damage
    return head[257:262] == b"ustar"


def _checked_name(path: Path, name: str) -> str:
    rel = normalize_member(name)
    if rel is None:
        raise PaperError(f"{path}: unsafe archive member {name!r} (absolute path or '..')")
    return rel


def _read_capped(path: Path, handle: IO[bytes] | gzip.GzipFile, name: str, budget: int) -> bytes:
    """Read a member, stopping as soon as it outgrows ``budget`` (a lying header, a bomb)."""
    chunks: list[bytes] = []
    size = 0
    while chunk := handle.read(_CHUNK):
        size += len(chunk)
        if size > budget:
            raise PaperError(f"{path}: archive member {name!r} unpacks beyond the size limit")
        chunks.append(chunk)
    return b"".join(chunks)


def _unpack_zip(
    path: Path, data: bytes, max_members: int, cap: int, max_bytes: int
) -> dict[str, bytes]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError) as exc:
        raise PaperError(f"{path}: not a readable zip archive ({reason(exc)})") from None
    with archive:
        members = archive.infolist()
        if len(members) > max_members:
            raise PaperError(f"{path}: archive has too many members ({len(members):,})")
        if sum(m.file_size for m in members) > cap:
            raise PaperError(f"{path}: archive unpacks to more than {cap:,} bytes")
        files: dict[str, bytes] = {}
        budget = max_bytes
        for member in members:
            rel = _checked_name(path, member.filename)
            mode = member.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise PaperError(f"{path}: archive member {member.filename!r} is a symlink")
            if member.is_dir() or not rel.lower().endswith(_KEPT_SUFFIXES):
                continue
            if member.flag_bits & 0x1:
                raise PaperError(f"{path}: archive member {member.filename!r} is encrypted")
            try:
                with archive.open(member) as handle:
                    content = _read_capped(path, handle, member.filename, budget)
            except (zipfile.BadZipFile, OSError, EOFError) as exc:
                raise PaperError(
                    f"{path}: corrupt archive member {member.filename!r} ({reason(exc)})"
                ) from None
            budget -= len(content)
            files[rel] = content
        return files


def _unpack_tar(
    path: Path, data: bytes, max_members: int, cap: int, max_bytes: int
) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    budget = max_bytes
    declared = 0
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:*") as archive:
            for count, member in enumerate(archive, start=1):
                if count > max_members:
                    raise PaperError(f"{path}: archive has too many members (over {max_members:,})")
                rel = _checked_name(path, member.name)
                if member.issym() or member.islnk():
                    raise PaperError(f"{path}: archive member {member.name!r} is a link")
                if member.isdev():
                    raise PaperError(f"{path}: archive member {member.name!r} is a device or FIFO")
                declared += member.size
                if declared > cap:
                    raise PaperError(f"{path}: archive unpacks to more than {cap:,} bytes")
                if not member.isfile() or not rel.lower().endswith(_KEPT_SUFFIXES):
                    continue
                handle = archive.extractfile(member)
                if handle is not None:
                    content = _read_capped(path, handle, member.name, budget)
                    budget -= len(content)
                    files[rel] = content
    except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
        raise PaperError(f"{path}: not a readable tar archive ({reason(exc)})") from None
    return files
