# Zhengwu: the two commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip --disable-pip-version-check -q

.PHONY: run test install install-test lint typecheck imports pytest bench clean-db system-deps messages

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Zhengwu needs Python >= 3.11")'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip

$(VENV)/.installed: $(VENV)/bin/python pyproject.toml
	$(PIP) install -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(PIP) install -e '.[test]'
	@touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

## make run: install, migrate, load the demo city, start the web server and the worker on :8000
run: install
	@scripts/run.sh

## make test: lint, type-check, architecture contracts, then the whole pytest suite
test: install-test system-deps
	$(VENV)/bin/ruff check src bench tests
	$(VENV)/bin/ruff format --check src bench tests
	SECRET_KEY=test-secret $(VENV)/bin/mypy src
	$(VENV)/bin/lint-imports
	SECRET_KEY=test-secret $(VENV)/bin/pytest -q $(PYTEST_ARGS)

# Chromium (for page tests) and a Chinese font come from Debian's packages.
system-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi wqy; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei poppler-utils >/dev/null; \
	  else \
	    echo "page tests need Debian's chromium and fonts-wqy-microhei: sudo apt-get install chromium fonts-wqy-microhei poppler-utils"; \
	  fi; \
	fi

bench: install-test
	SECRET_KEY=bench $(PY) bench/calendar_bench.py

messages: install
	cd src/zhengwu && DEBUG=1 ../../$(PY) ../../manage.py compilemessages

clean-db:
	rm -f var/zhengwu.sqlite3*
