"""Model choices: only models whose keys are set, names only, and the keyless demo model."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ablab.schema import Plan
from ablab.web.app import create_app

from .test_api import wait_job

SECRET = "sk-test-web-never-shown-0123456789"
KEY_VARIABLES = (
    "OPENAI_API_KEY",
    "OPENROUTER_API_KEY",
    "ANTHROPIC_API_KEY",
    "GEMINI_API_KEY",
    "GOOGLE_API_KEY",
    "ABLAB_OLLAMA_BASE_URL",
)


@pytest.fixture(autouse=True)
def _no_keys(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Start from a machine without keys (and no .env file in reach)."""
    for name in KEY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


def _models(client: TestClient) -> list[str]:
    return [m["name"] for m in client.get("/api/options").json()["models"]]


def test_without_keys_only_the_offline_planner_is_usable(client: TestClient) -> None:
    assert _models(client) == []
    html = client.get("/").text
    assert "No model key is set" in html
    response = client.post("/api/plans", data={"text": "# A", "planner": "lm"})
    assert response.status_code == 400 and "needs a model" in response.json()["detail"]


def test_a_set_key_offers_that_providers_presets_and_never_the_key(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    models = _models(client)
    assert "openai/gpt-4o" in models
    assert all(name.startswith("openai/") for name in models)
    for url in ["/", "/api/options", "/openapi.json", "/digest", "/runs"]:
        assert SECRET not in client.get(url).text


def test_a_local_server_is_offered_once_configured(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ABLAB_OLLAMA_BASE_URL", "http://127.0.0.1:9/v1")
    assert any(name.startswith("ollama/") for name in _models(client))


def test_a_model_whose_key_is_missing_is_refused(client: TestClient) -> None:
    response = client.post(
        "/api/plans", data={"text": "# A", "planner": "lm", "model": "openai/gpt-4o"}
    )
    assert response.status_code == 400
    assert "not available" in response.json()["detail"]


def test_demo_model_runs_the_language_model_planner_offline(runs_dir: Path) -> None:
    with TestClient(create_app(runs_dir, demo_models=True)) as client:
        assert _models(client) == ["fake/heuristic"]
        text = (Path(__file__).resolve().parents[2] / "examples" / "tide.md").read_text()
        job = client.post(
            "/api/plans", data={"text": text, "planner": "lm", "model": "fake/heuristic"}
        ).json()
        status = wait_job(client, job["id"])
        assert status["state"] == "done", status["error"]
        plan = Plan.model_validate(client.get(status["result_api_url"]).json())
        assert (plan.planner, plan.model) == ("lm", "fake/heuristic")
        assert status["result_url"].startswith("/runs/web-lm-fake-heuristic-author/")
        assert len(plan.ablations) == 5


def test_offline_planner_ignores_a_chosen_model(client: TestClient) -> None:
    job = client.post(
        "/api/plans",
        data={"text": "# T\n\n## Method\n\nOur Gate Module (GM) scores heads.", "model": "x/y"},
    ).json()
    status = wait_job(client, job["id"])
    assert status["state"] == "done"
    assert status["result_url"].startswith("/runs/web-heuristic-author/")
