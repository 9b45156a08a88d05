# paydesk: `make run` starts paydesk on the embedded default (PORT=8000); `make test` runs the whole suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test lint typecheck unit scenarios clean models benchmark-nlu

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "paydesk needs Python 3.11+"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@rm -f $(VENV)/.installed-* && touch $@

run: $(STAMP)
	$(BIN)/paydesk seed
	$(BIN)/paydesk simulate --conversations 500 --if-empty
	$(BIN)/paydesk serve $(if $(PORT),--port $(PORT))

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest

# The conversation scenario suite: every scenario must pass.
scenarios: $(STAMP)
	$(BIN)/paydesk eval scenarios

test: lint typecheck unit scenarios

clean:
	rm -rf $(VENV) var/*.db var/*.db-* .mypy_cache .pytest_cache .ruff_cache

# Rebuild the NLU artifacts after changing intent examples, lexicons or help-centre articles (needs scikit-learn).
models: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,train]'
	$(BIN)/paydesk models build

benchmark-nlu: $(STAMP)
	$(BIN)/python benchmarks/nlu.py
