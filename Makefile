# Envol: `make run` starts the dashboard, `make test` runs the whole suite. Both bootstrap
# everything they need on a fresh machine: uv (pinned) in .tools/, the locked venv in .venv/,
# and, for the tests, Debian's Chromium and PostgreSQL.
SHELL := /bin/bash
.DEFAULT_GOAL := help
UV_VERSION := 0.13.8
PYTHON ?= python3.11
UV := .tools/bin/uv
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := .venv
export UV_NO_PROGRESS := 1
CHROMIUM := /usr/bin/chromium
POSTGRES := /usr/lib/postgresql/15/bin/postgres
PORT ?= 8501

.PHONY: help run test lint data bench chromium postgresql venv venv-test clean-lake

help:
	@echo "make run    start the dashboard on the default data at http://localhost:$(PORT)"
	@echo "make test   run the whole test suite (unit, pages, browser in Chromium)"
	@echo "make lint   ruff"
	@echo "make data   regenerate the embedded default dataset (data/default)"
	@echo "make bench  measure Envol at EU scale; writes bench/report.md and bench/report.json"

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

venv: $(UV)
	$(UV) sync --frozen --inexact --python $(PYTHON)

venv-test: $(UV)
	$(UV) sync --frozen --group test --python $(PYTHON)

chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
	  echo "Installing Debian's Chromium (browser tests and image export need it)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium \
	    fonts-dejavu-core >/dev/null; \
	fi
	@$(CHROMIUM) --version

postgresql:
	@if [ ! -x $(POSTGRES) ]; then \
	  echo "Installing Debian's PostgreSQL (the deploy tests run a throw-away catalog server)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq postgresql >/dev/null; \
	fi
	@$(POSTGRES) --version

run: venv
	.venv/bin/python -m streamlit run app.py --server.port $(PORT)

test: venv-test chromium postgresql
	.venv/bin/ruff check .
	.venv/bin/python -m pytest

lint: venv-test
	.venv/bin/ruff check .

data: venv
	.venv/bin/python -m envol.generate

# The benchmark at EU scale (3,000 clusters, 1 M members, 24 monthly snapshots): pages through
# AppTest against their floor and a tutorial-style baseline, ingest, Chromium (cold start,
# slider, peak RSS), and the concurrency step (simultaneous sessions on one and two servers over a
# throw-away PostgreSQL catalog). Generated data is cached in bench/.cache/ (git-ignored).
bench: venv-test chromium postgresql
	.venv/bin/python -m bench

clean-lake:
	rm -rf data/lake
