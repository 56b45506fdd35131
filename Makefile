# The two newcomer commands (see README): `make serve` and `make test`.
# Each sets up what it needs: a .venv with the pinned packages, and the Debian packages the
# browser and spreadsheet tests use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: serve build test lint system benchmark clean

$(STAMP): pyproject.toml requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] >= (3, 11) else "Python 3.11 or later is needed (found %d.%d)" % sys.version_info[:2])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip==25.3"
	$(BIN)/python -m pip install --quiet -c requirements.txt -e ".[test]"
	$(BIN)/python -m compileall -q generator  # as an installed package has it (see benchmarks/run.py)
	touch $(STAMP)

system:
	scripts/install-system-packages

serve: $(STAMP)
	$(BIN)/jcm serve

build: $(STAMP)
	$(BIN)/jcm build

lint: $(STAMP)
	$(BIN)/ruff check generator tests $(wildcard benchmarks)
	$(BIN)/ruff format --check generator tests $(wildcard benchmarks)

test: $(STAMP) system lint
	$(BIN)/jcm validate
	$(BIN)/pytest -n 2

# Not part of the tests: synthetic registries of 100, 1,000 and 10,000 projects, 15 to 20
# minutes on two cores. Results in benchmarks/results/ (JSON and a Markdown table).
benchmark: $(STAMP) system
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf $(VENV) site build .pytest_cache .ruff_cache .hypothesis .jcm-cache
