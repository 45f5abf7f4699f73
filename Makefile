# Developer shortcuts. The README's commands need nothing but Python; these need make too.
VENV ?= .venv
PY := $(VENV)/bin

.PHONY: install check lint typecheck test bench format

install:
	python3 -m venv $(VENV)
	$(PY)/pip install -c constraints.txt -e '.[dev]'

lint:
	$(PY)/ruff check --no-cache src tests bench
	$(PY)/ruff format --no-cache --check src tests bench

typecheck:
	$(PY)/mypy
	$(PY)/lint-imports

test:
	$(PY)/pytest

check: lint typecheck test

format:
	$(PY)/ruff format src tests bench
	$(PY)/ruff check --fix src tests bench

bench:
	$(PY)/python bench/plan_speed.py
