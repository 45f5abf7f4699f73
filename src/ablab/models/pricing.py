"""What a request cost: the provider's own figure when it reports one, else a price table.

The table is the ``genai-prices`` package's bundled snapshot (maintained upstream, read offline;
nothing is fetched at run time). A model missing from it has an *unknown* price, reported as
``None`` — never as zero, which would make a budget look unspent.
"""

from __future__ import annotations

import functools
from typing import Literal

CostSource = Literal["provider", "price_table", "estimate", "free", "unknown"]
"""Where a cost comes from; ``estimate``: the price table applied to estimated token counts,
when the endpoint reported no usage."""

# genai-prices names some providers differently from ablab's model-name prefixes.
_PRICE_PROVIDER = {
    "openai": "openai",
    "openrouter": "openrouter",
    "anthropic": "anthropic",
    "gemini": "google",
}


@functools.lru_cache(maxsize=256)
def _table_price(
    provider: str, model_id: str, input_tokens: int, output_tokens: int
) -> float | None:
    try:
        from genai_prices import Usage, calc_price
    except ImportError:  # the ``lm`` extra is not installed: no table, so unknown
        return None
    price_provider = _PRICE_PROVIDER.get(provider)
    if price_provider is None:
        return None
    try:
        result = calc_price(
            Usage(input_tokens=input_tokens, output_tokens=output_tokens),
            model_id,
            provider_id=price_provider,
        )
    except LookupError:
        return None
    return float(result.total_price)


def price_request(
    provider: str,
    model_id: str,
    input_tokens: int,
    output_tokens: int,
    *,
    reported: float | None = None,
    free: bool = False,
    estimated: bool = False,
) -> tuple[float | None, CostSource]:
    """Cost in USD of one request and where the figure comes from.

    ``reported`` is the provider's own figure (OpenRouter sends one); ``free`` marks local
    servers and the fake model, which cost nothing. ``estimated`` says the token counts are
    estimates (the endpoint reported none): the price is still charged, never taken as zero.
    """
    if reported is not None:
        return reported, "provider"
    if free:
        return 0.0, "free"
    cost = _table_price(provider, model_id, input_tokens, output_tokens)
    if cost is None:
        return None, "unknown"
    return cost, "estimate" if estimated else "price_table"


def has_known_price(provider: str, model_id: str) -> bool:
    """Whether the price table knows this model (local and fake models are free, hence known)."""
    return _table_price(provider, model_id, 1000, 1000) is not None
