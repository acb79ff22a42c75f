# Two entry points, each of which sets up .venv from this repository's own files first:
#   make demo   run the quick Kashtan & Alon 2005 logic replication, print its table, draw its figures
#   make test   run the test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup demo test test-slow bench
setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

demo: setup
	@if [ -f runs/quick/campaign.json ]; then $(BIN)/kashtan resume runs/quick; \
	else $(BIN)/kashtan run replications/kashtan2005_logic.toml --scale quick --out runs/quick; fi
	$(BIN)/kashtan figures runs/quick --out figures/quick

test: setup
	$(BIN)/python -m pytest -q

test-slow: setup
	$(BIN)/python -m pytest -q -m slow

bench: setup
	$(BIN)/python bench/generation.py
	$(BIN)/python bench/pcc.py --full
	$(BIN)/python bench/threads.py
