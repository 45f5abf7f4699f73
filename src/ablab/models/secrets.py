"""Keys: read from the environment or a ``.env`` file, and kept out of every text ablab writes.

A key is only ever handed to the HTTP client. Anything that may echo one (an error body from the
provider, a URL with credentials) goes through :func:`redact` before it is shown, logged or stored.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from dotenv import dotenv_values

from ablab.errors import ConfigError

REDACTED = "[redacted]"

# Shapes of keys that providers echo back in error messages, even partly masked ("sk-ab***yz").
# A ``keep`` group is left in place so that the message still reads naturally.
_KEY_PATTERNS = [
    re.compile(r"\b(?:sk|rk|pk)-[A-Za-z0-9_\-*.]{6,}"),
    re.compile(r"\bAIza[0-9A-Za-z_\-]{10,}"),
    re.compile(r"(?i)(?P<keep>\bbearer\s+)[A-Za-z0-9_\-.=*]{6,}"),
    re.compile(r"(?i)(?P<keep>api[_-]?key[\"']?\s*[:=]\s*[\"']?)[^\s\"'&,}]{4,}"),
    re.compile(r"(?P<keep>://)[^/\s:@]+:[^/\s@]+(?=@)"),  # user:password in URLs
]

_known_secrets: set[str] = set()


def remember_secret(value: str | None) -> None:
    """Make :func:`redact` hide ``value`` wherever it appears from now on."""
    if value and len(value) >= 4:
        _known_secrets.add(value)


def _replace(match: re.Match[str]) -> str:
    keep = match.group("keep") if "keep" in match.re.groupindex else ""
    return keep + REDACTED


def redact(text: str, *, shapes: bool = True) -> str:
    """``text`` with every key in use replaced by ``[redacted]``.

    With ``shapes`` (for error messages and URLs) anything shaped like a key is hidden too; call
    logs of paper text use ``shapes=False`` so that prose is never altered by a pattern.
    """
    for secret in sorted(_known_secrets, key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    if shapes:
        for pattern in _KEY_PATTERNS:
            text = pattern.sub(_replace, text)
    return text


def dotenv_file(start: Path | None = None) -> Path | None:
    """The ``.env`` file of the working directory or its nearest parent, if any."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / ".env"
        if candidate.is_file():
            return candidate
    return None


def lookup_env(
    names: Iterable[str], environ: Mapping[str, str] | None = None
) -> tuple[str, str] | None:
    """The first of ``names`` that is set (environment first, then ``.env``), as (name, value)."""
    environ = os.environ if environ is None else environ
    names = list(names)
    for name in names:
        if environ.get(name):
            return name, environ[name]
    path = dotenv_file()
    if path is None:
        return None
    try:
        values = dotenv_values(path)
    except (OSError, UnicodeDecodeError) as exc:  # its content is never shown: it holds keys
        raise ConfigError(f"{path}: cannot read this .env file ({type(exc).__name__})") from None
    for name in names:
        value = values.get(name)
        if value:
            return name, value
    return None
