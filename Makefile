# bacgiang-indicators — `make report` builds everything, `make test` runs the tests.
# Each target sets up what it needs: a virtual environment in .venv with the project installed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: setup data report test lint lab clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BIN)/indicators kernel
	touch $(STAMP)

setup: $(STAMP)

data: $(STAMP)
	$(BIN)/indicators build

report: data
	$(BIN)/indicators batch

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

test: lint
	$(BIN)/python -m pytest -n 2

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/ $(if $(filter 0,$(shell id -u)),--allow-root)

clean:
	find figures reports -mindepth 1 ! -name README.md -delete
