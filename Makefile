# The two commands a new machine needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PLUGINS := plugins/alberta plugins/ontario plugins/bc plugins/national plugins/yukon plugins/northern plugins/nova_scotia plugins/newfoundland plugins/new_brunswick plugins/prince_edward_island plugins/quebec plugins/saskatchewan plugins/manitoba
DEMO := examples/alberta-acsa-cor-certification-pass.yaml

.PHONY: demo test lint typecheck unit schemas bench mutation clean

$(STAMP): pyproject.toml $(addsuffix /pyproject.toml,$(PLUGINS))
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]' $(addprefix -e ,$(PLUGINS))
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/corengine score $(DEMO)

lint: $(STAMP)
	$(BIN)/ruff check src plugins tests benchmarks
	$(BIN)/ruff format --check src plugins tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest

test: lint typecheck unit

schemas: $(STAMP)
	$(BIN)/python -m corengine._views.schema schemas

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

# Mutation testing of the decision modules (configured in pyproject.toml [tool.mutmut]); slow, not in `make test`.
mutation: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[mutation]'
	$(BIN)/mutmut run
	$(BIN)/mutmut results

clean:
	rm -rf $(VENV) build *.egg-info
