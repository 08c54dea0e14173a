# bacgiang-indicators — `make report` builds everything, `make test` runs the tests.
# Each target sets up what it needs: a virtual environment in .venv with the project installed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: setup bytecode data report test test-fast lint lab clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BIN)/indicators kernel
	touch $(STAMP)

setup: $(STAMP)

# The package byte-compiled, as a regular install is (an editable one is not, and with PYTHONDONTWRITEBYTECODE
# set every new process would compile it again: about 0.25 s each); only what changed is compiled again.
bytecode: $(STAMP)
	$(BIN)/python -m compileall -q src

data: bytecode
	$(BIN)/indicators build

report: data
	$(BIN)/indicators batch

lint: bytecode
	$(BIN)/ruff check src tests benchmarks

test: lint
	$(BIN)/python -m pytest -n 2

# every test that runs no notebook and starts no kernel (under a minute)
test-fast: lint
	$(BIN)/python -m pytest -n 2 -m "not kernel"

# Lab at the project's root (data, reports and figures browsable), opened on notebooks/, the project's kernel by default
LAB_OPTIONS := --ServerApp.root_dir=. --LabApp.default_url=/lab/tree/notebooks \
	--MappingKernelManager.default_kernel_name=bacgiang-indicators

lab: $(STAMP)
	$(BIN)/jupyter lab $(LAB_OPTIONS) $(if $(filter 0,$(shell id -u)),--allow-root)

clean:
	find figures reports -mindepth 1 ! -name README.md -delete
