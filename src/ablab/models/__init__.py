"""Language models behind one protocol: messages in; text, usage and cost out.

Pick one by name with :func:`get_model`: ``openai/gpt-4o``, ``openrouter/google/gemini-2.5-flash``,
``anthropic/...``, ``gemini/...``, ``ollama/...``, ``vllm/...``, ``llamacpp/...``, ``fake/...``.
"""

from ablab.models.base import (
    Completion,
    GenerateParams,
    Message,
    Model,
    ModelError,
    ModelRequestError,
    ResponseSchema,
    StructuredOutputUnsupported,
)
from ablab.models.cache import CachedModel, ResponseCache, default_cache_dir
from ablab.models.fake import FakeModel, FakeReply
from ablab.models.registry import fake_models, get_model, key_status, list_presets
from ablab.models.retry import RetryPolicy

__all__ = [
    "CachedModel",
    "Completion",
    "FakeModel",
    "FakeReply",
    "GenerateParams",
    "Message",
    "Model",
    "ModelError",
    "ModelRequestError",
    "ResponseCache",
    "ResponseSchema",
    "RetryPolicy",
    "StructuredOutputUnsupported",
    "default_cache_dir",
    "fake_models",
    "get_model",
    "key_status",
    "list_presets",
]
