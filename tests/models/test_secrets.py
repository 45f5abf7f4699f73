"""Keys come from the environment or .env and never show up in messages, reprs or listings."""

from __future__ import annotations

from pathlib import Path

import pytest

from ablab.errors import ConfigError
from ablab.models import get_model, key_status
from ablab.models.providers import PROVIDERS
from ablab.models.secrets import lookup_env, redact, remember_secret


def test_redact_hides_remembered_keys_and_key_shapes() -> None:
    remember_secret("my-very-own-secret-value")
    text = redact(
        "key my-very-own-secret-value; Incorrect API key provided: sk-proj-abc***xyz; "
        "Authorization: Bearer abcdef123456; url http://user:pa55@host/v1; api_key=zz99zz99"
    )
    assert "my-very-own-secret-value" not in text
    assert "sk-proj" not in text and "abcdef123456" not in text
    assert "pa55" not in text and "zz99zz99" not in text
    assert text.count("[redacted]") == 5


def test_redact_leaves_prose_alone_without_shapes() -> None:
    prose = "We remove the task-specific head and the bearer token embedding (sk-learn)."
    assert redact(prose, shapes=False) == prose


def test_environment_wins_over_dotenv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".env").write_text("OPENAI_API_KEY=from-dotenv-file\nGEMINI_API_KEY=gem-dotenv\n")
    monkeypatch.setenv("OPENAI_API_KEY", "from-environment")
    assert lookup_env(["OPENAI_API_KEY"]) == ("OPENAI_API_KEY", "from-environment")
    assert lookup_env(["GEMINI_API_KEY", "GOOGLE_API_KEY"]) == ("GEMINI_API_KEY", "gem-dotenv")
    assert lookup_env(["ANTHROPIC_API_KEY"]) is None


def test_missing_key_is_a_clear_config_error() -> None:
    with pytest.raises(ConfigError, match="OPENAI_API_KEY"):
        # The provider's own endpoint (the test environment points OPENAI_BASE_URL elsewhere);
        # the model is refused before any client exists, so nothing is contacted.
        get_model("openai/gpt-4o", base_url=PROVIDERS["openai"].base_url)


def test_key_from_dotenv_is_used_but_never_shown(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("OPENROUTER_API_KEY=sk-or-v1-supersecret0123456789\n")
    model = get_model("openrouter/openai/gpt-4o", base_url="http://127.0.0.1:9/v1")
    assert "supersecret" not in repr(model)
    assert "supersecret" not in model.cache_identity
    statuses = {s.provider: s for s in key_status()}
    assert statuses["openrouter"].variable == "OPENROUTER_API_KEY"
    assert statuses["openrouter"].source is not None and ".env" in statuses["openrouter"].source
    assert "supersecret" not in repr(statuses)
    assert statuses["openai"].variable is None and statuses["ollama"].needed is False


def test_unreadable_dotenv_is_a_config_error_that_shows_no_content(tmp_path: Path) -> None:
    (tmp_path / ".env").write_bytes(b"OPENAI_API_KEY=sk-\xc9\xff-secret-bytes\n")
    with pytest.raises(ConfigError, match=r"\.env") as caught:
        lookup_env(["OPENAI_API_KEY"])
    assert "secret" not in str(caught.value) and "\n" not in str(caught.value)
    with pytest.raises(ConfigError):
        key_status()
