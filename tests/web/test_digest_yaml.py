"""Digest front matter shown by the web app is parsed without YAML aliases."""

from __future__ import annotations

from ablab.views.digests import split_digest


def test_alias_bomb_in_front_matter_is_not_expanded() -> None:
    bomb = "\n".join(
        ["---", 'a: &a ["x","x","x","x","x","x","x","x","x"]']
        + [
            f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]"
            for i in range(8)
        ]
        + ["title: T", "---", "# T"]
    )
    front, body = split_digest(bomb)
    assert front == {}  # refused as malformed rather than expanded
    assert body.startswith("# T")


def test_plain_front_matter_is_read() -> None:
    front, body = split_digest("---\nver: rpa2\ntitle: Hello\n---\n\n# Hello\n")
    assert front == {"ver": "rpa2", "title": "Hello"}
    assert body == "# Hello\n"
