"""Math symbols and numbers as papers write them: ``λ``, ``\\lambda``, ``τ_t``, ``η₂``, ``3e-4``,
``3 × 10^{-4}``, ``4,096``, ``75%``.
"""

from __future__ import annotations

import re

GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε",
    "zeta": "ζ", "eta": "η", "theta": "θ", "vartheta": "θ", "iota": "ι", "kappa": "κ",
    "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "pi": "π", "rho": "ρ", "sigma": "σ",
    "tau": "τ", "upsilon": "υ", "phi": "φ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
    "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π",
    "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
}  # fmt: skip
"""LaTeX command name -> Unicode letter."""

_VARIANTS = str.maketrans("ϵϑϕϱϖς", "εθφρπσ")
"""Letter variants PDFs and fonts use (lunate epsilon ϵ for ε, ...), folded into one letter."""
GREEK_LETTERS = "".join(sorted(set(GREEK.values()))) + "ϵϑϕϱϖς"
_LATEX_GREEK = "|".join(sorted(GREEK, key=len, reverse=True))
_SUBSCRIPT_DIGITS = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")

# A symbol: a Greek letter (Unicode or LaTeX) or a single Latin letter, with an optional subscript
# ("_t", "_{cons}", "_{\text{proto}}", "2", "₂").
_SUBSCRIPT = r"(?:_\{(?:[^{}]|\{[^{}]*\})*\}|_[A-Za-z0-9]+|[0-9₀-₉]+)?"
_LATIN = r"(?<![\w\\])[A-Za-z](?![\w'’-])"
SYMBOL = rf"(?:\\(?:{_LATEX_GREEK})(?![A-Za-z])|[{GREEK_LETTERS}]|{_LATIN}){_SUBSCRIPT}"
"""Regex source matching one symbol."""

GREEK_SYMBOL = rf"(?:\\(?:{_LATEX_GREEK})(?![A-Za-z])|[{GREEK_LETTERS}]){_SUBSCRIPT}"
"""Regex source matching a Greek symbol only (safer in prose than single Latin letters)."""

NUMBER = (
    r"(?:(?<![\w.])10\s*\^\s*\{?\s*[-−]?\s*\d+\s*\}?"  # 10^{-4} (before plain "10")
    r"|(?<![\w.])10−\d{1,2}(?!\d|\.\d)"  # 10−9: a PDF's flattened superscript
    r"|(?<![\w.])\d{1,3}(?:,\d{3})+(?![\d,])"  # 4,096
    r"|(?<![\w.])(?:\d+(?:\.\d+)?|\.\d+)(?:\s?[eE]\s?[-−+]?\s?\d+)?"  # 0.5, 3e-4, 1e−4
    r"(?:\s*(?:×|\\times|\\cdot|\*|x)\s*10\s*\^\s*\{?\s*[-−]?\s*\d+\s*\}?)?)"  # 3 × 10^{-4}
    r"(?:\s?\\?%)?"  # 75%, 75\%
)
"""Regex source matching one written number."""

_NUMBER_PARTS = re.compile(
    r"^(?P<mant>[\d.,]+?)?(?:\s*(?:×|\\times|\\cdot|\*|x)\s*)?(?:10\s*\^\s*\{?\s*(?P<exp>[-−]?\s*\d+)\s*\}?)?$"
)
_LATEX_SYMBOL = re.compile(rf"\\({_LATEX_GREEK})(?![A-Za-z])")
_SUBSCRIPT_BODY = re.compile(r"_\{?((?:[^{}]|\{[^{}]*\})*)\}?$")
_TEXT_COMMAND = re.compile(r"\\(?:text|mathrm|mathit|textit|rm|mathbf|operatorname)\s*\{([^{}]*)\}")


def parse_number(text: str) -> float | None:
    """The value of a written number, or None (``"3 × 10^{-4}"`` -> 0.0003, ``"75%"`` -> 0.75)."""
    raw = text.strip().replace("−", "-").replace("\\%", "%")
    percent = raw.endswith("%")
    raw = raw.rstrip("%").strip()
    value: float | None = None
    flattened = re.fullmatch(r"10-(\d{1,2})", raw) if "−" in text else None
    if flattened:
        return 10.0 ** -int(flattened.group(1))
    try:
        value = float(raw.replace(",", "").replace(" ", ""))
    except ValueError:
        match = _NUMBER_PARTS.match(raw)
        if match and match.group("exp"):
            mantissa = match.group("mant").replace(",", "") if match.group("mant") else "1"
            # Build "3e-4" rather than multiplying, so 3 × 10^-4 is exactly 0.0003.
            value = float(f"{mantissa}e{int(match.group('exp').replace(' ', ''))}")
    if value is None:
        return None
    return value / 100.0 if percent else value


def clean_number(text: str) -> str:
    """A written number with its spacing tidied (``"3 e-4"`` -> ``"3e-4"``)."""
    tidy = re.sub(r"\s+", "", text.replace("−", "-").replace("\\%", "%")).replace("\\times", "×")
    return re.sub(r"(?<=\d)x(?=10\^)", "×", tidy)  # "2 x 10^{-4}" is a product, written ×


def symbol_key(symbol: str) -> str:
    """Canonical form of a symbol: Unicode Greek, subscript after ``_`` without braces.

    ``"\\lambda_{\\text{proto}}"`` -> ``"λ_proto"``, ``"η₂"`` -> ``"η_2"``, ``"τ_t"`` -> ``"τ_t"``.
    """
    text = _TEXT_COMMAND.sub(r"\1", symbol.strip().strip("$"))
    text = _LATEX_SYMBOL.sub(lambda m: GREEK[m.group(1)], text).translate(_SUBSCRIPT_DIGITS)
    text = text.translate(_VARIANTS)
    head, rest = text[:1], text[1:]
    if not rest:
        return head
    match = _SUBSCRIPT_BODY.match(rest)
    body = match.group(1) if match else rest
    body = body.replace("{", "").replace("}", "").replace(" ", "")
    return f"{head}_{body}" if body else head


def normalize_symbols(text: str) -> str:
    """``text`` with LaTeX Greek commands as Unicode letters and font variants folded (``\\gamma``
    -> ``γ``, ``ϵ`` -> ``ε``), so symbols can be searched for in one form."""
    return _LATEX_SYMBOL.sub(lambda m: GREEK[m.group(1)], text).translate(_VARIANTS)


def display_symbol(symbol: str) -> str:
    """A readable form of a symbol for plans (Unicode Greek, ``τ_t``)."""
    return symbol_key(symbol)
