"""YAML from untrusted files: safe types only, no anchors or aliases."""

from __future__ import annotations

from typing import Any

import yaml


class _NoAliasLoader(yaml.SafeLoader):
    """``yaml.safe_load`` without anchors and aliases: front matter never needs them, and nested
    aliases expand to billions of items once read ("billion laughs")."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.composer.ComposerError(None, None, "YAML aliases are not allowed", mark)
        return super().compose_node(parent, index)


def load_yaml(text: str) -> Any:
    """Parse untrusted YAML (front matter): safe types only, no aliases. Raises yaml.YAMLError."""
    return yaml.load(text, Loader=_NoAliasLoader)
