# Two entry points for a fresh clone: `make run` (sample data end to end) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RAW ?= raw
WAREHOUSE ?= warehouse
QUARTERS ?= 2023Q1..2024Q4
SCALES ?= 1M,10M
RUNS ?= 3

.PHONY: run test lint install clean reference docs bench site bench-site

# The Python the project needs (pyproject.toml: requires-python), checked before anything is
# installed; a .venv made earlier with another Python is named, not reused.
NEEDS_PYTHON := 3.11
VERSION_IS = -c 'import sys; sys.exit(sys.version_info[:2] != tuple(map(int, "$(NEEDS_PYTHON)".split("."))))'

$(BIN)/kraptemeter: pyproject.toml requirements.lock
	@echo "make: checking that $(PYTHON) is Python $(NEEDS_PYTHON)"
	@$(PYTHON) $(VERSION_IS) 2>/dev/null || { \
		echo "make: kraptemeter needs Python $(NEEDS_PYTHON); $(PYTHON) is" \
			"$$(command -v $(PYTHON) >/dev/null && $(PYTHON) --version 2>&1 || echo 'not found'). Install Python $(NEEDS_PYTHON) and" \
			"run e.g. make PYTHON=python$(NEEDS_PYTHON) $(MAKECMDGOALS)" >&2; exit 1; }
	@if [ -x $(BIN)/python ] && ! $(BIN)/python $(VERSION_IS) 2>/dev/null; then \
		echo "make: $(VENV) was made with $$($(BIN)/python --version 2>&1), not Python" \
			"$(NEEDS_PYTHON); remove it (rm -rf $(VENV)) and run make again" >&2; exit 1; fi
	@echo "make: creating the virtual environment $(VENV)"
	@$(PYTHON) -m venv $(VENV)
	@echo "make: upgrading pip"
	@$(BIN)/pip install --quiet --upgrade pip
	@echo "make: installing the pinned dependencies of requirements.lock (about 2 minutes)"
	@$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	@echo "make: installing kraptemeter itself (editable)"
	@$(BIN)/pip install --quiet --no-deps -e .
	@touch $@
	@echo "make: installed; $(BIN)/kraptemeter is ready"

install: $(BIN)/kraptemeter

# Writes the shipped sample only when raw/ holds no input files yet, then runs every quarter in it.
run: install
	@if ! find $(RAW) -type f \( -name '*.csv' -o -name '*.parquet' \) 2>/dev/null | grep -q .; then \
		$(BIN)/kraptemeter sample --out $(RAW) --quarters $(QUARTERS); \
	fi
	$(BIN)/kraptemeter run --raw $(RAW) --warehouse $(WAREHOUSE)

test: install
	$(BIN)/python -m pytest -q

# Regenerate the shipped region reference from the real CBS files in ../shared/realdata.
reference: install
	$(BIN)/python scripts/build_reference.py

lint: install
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

# Everything the pipeline wrote: the warehouse and its private work folder (kraptemeter/warehouse/layout.py).
clean:
	rm -rf $(WAREHOUSE).work
	find $(WAREHOUSE) -mindepth 1 -maxdepth 1 ! -name README.md -exec rm -rf {} +

# Regenerate docs/indicators.md from the indicator catalog (a test checks it is current).
docs: install
	$(BIN)/python -c "from transforms.indicators import render_markdown; open('docs/indicators.md', 'w').write(render_markdown())"

# Every region's key-figure sheet of every quarter in the warehouse as a static site in site/.
site: install
	$(BIN)/kraptemeter site --warehouse $(WAREHOUSE) --out site

# How long the site takes on the warehouse `make run` wrote (see README, "The site").
bench-site: install
	$(BIN)/python benchmarks/site.py --warehouse $(WAREHOUSE)

# Benchmark: pipeline vs the bare-DuckDB floor and the pandas route (see BENCHMARKS.md).
bench: install
	$(BIN)/python benchmarks/bench.py --scales $(SCALES) --runs $(RUNS)
