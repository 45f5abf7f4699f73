"""The layers of the code hold: the import-linter contract of pyproject.toml, no module importing
the package root, and no import hidden in a function except one deferring an optional dependency."""

from __future__ import annotations

import ast
from pathlib import Path

import grimp
from importlinter.cli import lint_imports

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src" / "ablab"

OPTIONAL = (
    "matplotlib",
    "pyarrow",
    "datasets",
    "openai",
    "genai_prices",
    "uvicorn",
    "hydra",
    "scipy",
)
"""Packages of optional extras, imported where used so that ablab runs without them."""
OPTIONAL_OWN = ("ablab.web",)
"""ablab's own modules that need an optional extra (the web app needs FastAPI)."""
OPTIONAL_FALLBACKS = ("charset_normalizer",)
"""Packages used when present, with a fallback when not."""


def _deferrable(module: str) -> bool:
    return any(
        module == name or module.startswith(name + ".")
        for name in (*OPTIONAL, *OPTIONAL_OWN, *OPTIONAL_FALLBACKS)
    )


def test_the_layer_contract_holds() -> None:
    assert lint_imports(config_filename=str(REPO / "pyproject.toml"), no_cache=True) == 0


def test_no_module_imports_the_package_root() -> None:
    graph = grimp.build_graph("ablab")
    importers = sorted(graph.find_modules_that_directly_import("ablab"))
    assert importers == [], "import from the module that defines the name, not from ablab"


def _imports_in_functions(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.ImportFrom):
                found.append((inner.lineno, "." * inner.level + (inner.module or "")))
            elif isinstance(inner, ast.Import):
                found.extend((inner.lineno, alias.name) for alias in inner.names)
    return found


def test_imports_inside_functions_only_defer_optional_dependencies() -> None:
    hidden = [
        f"{path.relative_to(REPO)}:{line} imports {module}"
        for path in sorted(SRC.rglob("*.py"))
        for line, module in _imports_in_functions(path)
        if not _deferrable(module)
    ]
    assert hidden == []


def test_the_checker_sees_a_hidden_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from ablab.planners import get_planner\n    import numpy\n")
    assert _imports_in_functions(module) == [(2, "ablab.planners"), (3, "numpy")]
