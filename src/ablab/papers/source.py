"""Reading source files safely: size caps before reading, binary detection, encoding fallback."""

from __future__ import annotations

import stat
from pathlib import Path

from ablab._util.text import reason, strip_controls
from ablab.errors import PaperError

# Share of control characters (other than tab/newline/form feed) above which text is binary.
_MAX_CONTROL_SHARE = 0.01
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")


def check_size(path: Path, max_bytes: int) -> int:
    """Return the size of the regular file ``path``; raise PaperError if missing or too large.

    Uses ``stat`` only, so a huge (even sparse) file is refused without reading it.
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        raise PaperError(f"{path}: no such file or directory") from None
    except OSError as exc:
        raise PaperError(f"{path}: cannot be read ({reason(exc)})") from None
    if stat.S_ISDIR(info.st_mode):
        raise PaperError(f"{path}: is a directory, not a file")
    if not stat.S_ISREG(info.st_mode):  # a FIFO or a device would block or never end
        raise PaperError(f"{path}: not a regular file (a pipe, socket or device)")
    if info.st_size > max_bytes:
        raise PaperError(
            f"{path}: file is too large ({info.st_size:,} bytes; the limit is {max_bytes:,})"
        )
    return info.st_size


def read_source_bytes(path: Path, max_bytes: int) -> bytes:
    """Read a paper file, refusing missing, oversized, unreadable and empty files."""
    size = check_size(path, max_bytes)
    try:
        with path.open("rb") as handle:
            # read(n) allocates n bytes up front: ask for the stat size (plus one byte to see
            # growth), not the 50 MB cap, and read on only when the file did grow.
            data = handle.read(size + 1)
            if len(data) > size:
                data += handle.read(max_bytes + 1 - len(data))
    except IsADirectoryError:
        raise PaperError(f"{path}: is a directory, not a file") from None
    except OSError as exc:
        raise PaperError(f"{path}: cannot be read ({reason(exc)})") from None
    if len(data) > max_bytes:
        raise PaperError(f"{path}: file is too large (the limit is {max_bytes:,} bytes)")
    if not data:
        raise PaperError(f"{path}: file is empty")
    return data


def _looks_binary(text: str) -> bool:
    controls = sum(1 for ch in text if ch < " " and ch not in _ALLOWED_CONTROLS)
    return controls > _MAX_CONTROL_SHARE * max(len(text), 1)


def decode_text(data: bytes, name: str) -> tuple[str, list[str]]:
    """Decode ``data`` as text; return the text and any warnings.

    Tries UTF-8 (with or without BOM), then charset-normalizer's best guess when it is installed,
    then cp1252/latin-1, so a paper saved in a legacy encoding is read rather than refused.
    Raises PaperError for binary data (NUL bytes, control characters) and for blank text.
    """
    warnings: list[str] = []
    utf16 = _utf16_encoding(data)
    if utf16 is not None:  # Windows editors save "Unicode" text so: NUL bytes, yet text
        try:
            text = data.decode(utf16)
        except UnicodeDecodeError:
            raise PaperError(f"{name}: looks like UTF-16 text but cannot be decoded") from None
        warnings.append(f"{name}: decoded as UTF-16")
        data = text.encode("utf-8")
    if b"\x00" in data:
        raise PaperError(f"{name}: looks like a binary file (contains NUL bytes), not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text, encoding = _decode_legacy(data)
        warnings.append(f"{name}: not valid UTF-8; decoded as {encoding}")
    if _looks_binary(text):
        raise PaperError(f"{name}: looks like a binary file (control characters), not text")
    if not text.strip():
        raise PaperError(f"{name}: file is empty (only whitespace)")
    return strip_controls(text), warnings


def _utf16_encoding(data: bytes) -> str | None:
    """``utf-16`` for text with a UTF-16 byte-order mark or the NUL pattern of BOM-less ASCII."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    sample = data[:4096]
    if len(sample) < 8 or len(sample) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) == len(odd) and 0 not in even:
        return "utf-16-le"
    if even.count(0) == len(even) and 0 not in odd:
        return "utf-16-be"
    return None


def _decode_legacy(data: bytes) -> tuple[str, str]:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # optional: fall back to the most common legacy encoding
        pass
    else:
        matches = [m for m in from_bytes(data) if m.encoding]
        if matches:
            best = matches[0]
            # Short texts often tie between several code pages; papers in a tie are far more
            # often cp1252 (Western European) than cp1250 or the Baltic pages.
            tied = (m for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence))
            chosen = next((m for m in tied if m.encoding == "cp1252"), best)
            return str(chosen), chosen.encoding
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:  # cp1252 leaves five bytes undefined; latin-1 maps every byte
        return data.decode("latin-1"), "latin-1"
