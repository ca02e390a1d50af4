# Two entry points for a fresh clone: `make run` (sample data end to end) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RAW ?= raw
WAREHOUSE ?= warehouse
QUARTERS ?= 2023Q1..2024Q4
SCALES ?= 1M,10M
RUNS ?= 3

.PHONY: run test lint install clean reference docs bench

$(BIN)/kraptemeter: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

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

# Benchmark: pipeline vs the bare-DuckDB floor and the pandas route (see BENCHMARKS.md).
bench: install
	$(BIN)/python benchmarks/bench.py --scales $(SCALES) --runs $(RUNS)
