"""Read a user's experiment config (YAML, JSON or TOML) as a flat list of keys and values.

A Hydra primary config's ``defaults`` list names config groups (``- model: resnet``); each group
becomes a key whose options are the ``.yaml`` files of the group's folder, and the keys of the
chosen option are read under the group's name (a plain merge, not Hydra's full composition).
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ablab._util.text import reason
from ablab.errors import ConfigError

GROUP = "group"
"""Kind of a Hydra config group key (its value is an option name)."""
NODE = "node"
"""Kind of a key that holds a mapping (a sub-config)."""


@dataclass(frozen=True)
class ConfigKey:
    """One key of the config."""

    path: str
    """Dotted path, as Hydra overrides write it (``model.encoder.depth``)."""
    value: Any
    """Its value in the config (None for a node)."""
    kind: str
    """``bool``, ``int``, ``float``, ``str``, ``null``, ``list``, ``node`` or ``group``."""
    options: tuple[str, ...] = ()
    """For a config group: the options found beside the config."""
    children: tuple[str, ...] = ()
    """For a node: the paths of its direct children."""


@dataclass
class UserConfig:
    """A config file read for mapping."""

    path: Path
    """Where it was read from."""
    keys: list[ConfigKey] = field(default_factory=list)
    """Every key, in file order (nodes before their children)."""
    hydra: bool = False
    """Whether it is a Hydra primary config (it has a ``defaults`` list)."""

    def get(self, path: str) -> ConfigKey | None:
        """The key at ``path``, or None."""
        return next((key for key in self.keys if key.path == path), None)


def _load(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({reason(exc)})") from None
    suffix = path.suffix.lower()
    try:
        if suffix == ".json":
            return json.loads(text)
        if suffix == ".toml":
            return tomllib.loads(text)
        return yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        kind = suffix.lstrip(".") or "config"
        raise ConfigError(f"{path}: not a valid {kind} file ({first})") from None


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "str"
    if isinstance(value, dict):
        return NODE
    return "list"


def _flatten(data: dict[str, Any], prefix: str, out: list[ConfigKey]) -> None:
    for raw_key, value in data.items():
        key = str(raw_key)
        if key.startswith("_") or key == "defaults" and not prefix:
            continue  # Hydra's _target_/_self_ and the defaults list are not settings
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            children = tuple(f"{path}.{k}" for k in value if not str(k).startswith("_"))
            out.append(ConfigKey(path, None, NODE, children=children))
            _flatten(value, f"{path}.", out)
        else:
            out.append(ConfigKey(path, value, _kind(value)))


def _groups(config_dir: Path, defaults: list[Any], out: list[ConfigKey]) -> None:
    for entry in defaults:
        if not isinstance(entry, dict) or len(entry) != 1:
            continue  # "_self_", or a plain config name
        ((group, choice),) = entry.items()
        group = str(group).removeprefix("override ").strip()
        folder = config_dir / group
        if not folder.is_dir() or "@" in group:
            continue
        options = tuple(sorted(p.stem for p in folder.glob("*.yaml")))
        out.append(ConfigKey(group.replace("/", "."), choice, GROUP, options=options))
        chosen = folder / f"{choice}.yaml"
        if isinstance(choice, str) and chosen.is_file():
            data = _load(chosen)
            if isinstance(data, dict):
                _flatten(data, f"{group.replace('/', '.')}.", out)


def read_config(path: Path) -> UserConfig:
    """Read ``path``; ConfigError for a missing or malformed file, or one that is not a mapping."""
    if not path.is_file():
        raise ConfigError(f"{path}: no such config file")
    data = _load(path)
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the config must be a mapping of keys to values")
    config = UserConfig(path=path)
    defaults = data.get("defaults")
    group_keys: list[ConfigKey] = []
    if isinstance(defaults, list):
        config.hydra = True
        _groups(path.parent, defaults, group_keys)
    _flatten(data, "", config.keys)
    # The group itself first, then the primary config's keys (they override the group's).
    config.keys = [k for k in group_keys if k.kind == GROUP] + config.keys
    config.keys += [k for k in group_keys if k.kind != GROUP]
    unique: dict[str, ConfigKey] = {}
    for key in config.keys:
        unique.setdefault(key.path, key)  # the first of each path wins
    config.keys = list(unique.values())
    return config
