# One task runner: `make run` (the main job) and `make test` (what CI runs).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DATA ?= data
PORT ?= 8001

.PHONY: setup run crawl serve test lint bench system-deps clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# Crawl the registry's portals (or, offline, the bundled demo portals) and serve the archive.
run: setup
	$(BIN)/xxgk run --data $(DATA) --port $(PORT)

crawl: setup
	$(BIN)/xxgk crawl --data $(DATA)

serve: setup
	$(BIN)/xxgk serve --data $(DATA) --port $(PORT)

# Debian packages the browser test and the legacy-Word parser use (installed when root).
system-deps:
	@sh scripts/system-deps.sh

test: setup system-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: setup
	$(BIN)/python bench/bench_pdf.py
	$(BIN)/python bench/bench_search.py
	$(BIN)/python bench/bench_parse.py
	$(BIN)/python bench/bench_ocr.py
	$(BIN)/python bench/bench_crawl.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
