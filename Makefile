# Storelens: `make run` serves it, `make test` checks it. Both create .venv when it is missing.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
CHROMIUM := /usr/bin/chromium
PYTEST_ARGS ?=
PROFILE ?= us
# What the real WordPress + WooCommerce store of the tests needs (tests/realstore), from Debian.
REALSTORE_PACKAGES := nginx-light php8.2-fpm php8.2-cli php8.2-mysql php8.2-curl php8.2-xml php8.2-mbstring \
	php8.2-intl php8.2-zip php8.2-gd php8.2-bcmath mariadb-client

.PHONY: run plugin test lint test-sqlite test-postgres services-check chromium realstore-packages realstore clean help

help:
	@echo "make run    install Storelens into .venv, migrate, serve it at http://$(HOST):$(PORT)"
	@echo "make test   install the test dependencies (Chromium, php-fpm, nginx), lint, run the suite on SQLite then PostgreSQL"
	@echo "make realstore PROFILE=us|eu   keep one real WordPress + WooCommerce store running (URL, login, REST keys)"
	@echo "make plugin  build the Storelens Connector WordPress plugin into dist/storelens-connector.zip"

# --- the virtualenv ---------------------------------------------------------------------------------------------------

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Storelens needs Python 3.11 or newer; $(PYTHON) is $$($(PYTHON) --version 2>&1). Run: make PYTHON=python3.12 …"; exit 1; }
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
		rm -rf $(VENV); \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "Installing Debian's python3-venv (needed to create .venv)…"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null && \
			$(PYTHON) -m venv $(VENV); \
		else \
			echo "Cannot create a virtualenv: install venv support first (Debian: sudo apt-get install python3-venv)."; exit 1; \
		fi; }
	@$(BIN)/python -m pip install -q --upgrade pip

# Reinstall only when pyproject.toml changes.
$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	@touch $@ $(VENV)/.installed-run

# --- run --------------------------------------------------------------------------------------------------------------

run: $(VENV)/.installed-run
	$(BIN)/storelens migrate --no-input
	$(BIN)/storelens serve --host $(HOST) --port $(PORT)

# The Storelens Connector WordPress plugin (plugin/storelens-connector), as Plugins → Upload Plugin takes it. This zip
# has no Storelens address in it; a running Storelens serves one with its own address at /connector/download/.
plugin: $(VENV)/.installed-run
	$(BIN)/python -m storelens.connector.package dist/storelens-connector.zip

# --- test -------------------------------------------------------------------------------------------------------------

# fonts-droid-fallback (1.8 MB, 7 MB installed; fonts-noto-cjk would be 57 MB) draws the Chinese, Japanese and Korean
# names of the demo's customers and products instead of boxes in the screenshots.
chromium:
	@if [ -x $(CHROMIUM) ] && dpkg-query -W -f='$${Status}' fonts-droid-fallback 2>/dev/null | grep -q 'ok installed'; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's Chromium and a CJK font for the browser tests…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-droid-fallback >/dev/null; \
	else \
		echo "!! $(CHROMIUM) or fonts-droid-fallback is missing and we are not root: browser tests may be skipped."; \
		echo "!! Install them with: sudo apt-get install chromium fonts-droid-fallback"; \
	fi

# Debian's php-fpm, nginx and the MariaDB client for the real store; installed with apt when root, as Chromium is.
realstore-packages:
	@missing=""; for package in $(REALSTORE_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$package"; \
	done; \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing for the real WordPress store:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else \
		echo "!! Missing for the real WordPress store:$$missing; we are not root: real-store tests will be skipped."; \
		echo "!! Install them with: sudo apt-get install$$missing"; \
	fi

# One real store kept running by hand (Ctrl-C stops it and drops its database).
realstore: $(VENV)/.installed-test realstore-packages
	$(BIN)/python -m tests.realstore --profile $(PROFILE)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test-sqlite: $(VENV)/.installed-test chromium realstore-packages
	@echo "== pytest on SQLite =="
	$(BIN)/pytest $(PYTEST_ARGS)

# The PostgreSQL pass reruns only the tests that touch the database (see pytest_collection_modifyitems in
# tests/conftest.py), each run in its own test database, so parallel runs never clash.
test-postgres: $(VENV)/.installed-test realstore-packages
	@if $(BIN)/python -c 'import socket; socket.create_connection(("127.0.0.1", 5432), 2)' 2>/dev/null; then \
		echo "== pytest on PostgreSQL (127.0.0.1:5432) =="; \
		STORELENS_TEST_DATABASE=postgres $(BIN)/pytest $(PYTEST_ARGS); \
	elif [ "$$STORELENS_REQUIRE_SERVICES" = 1 ]; then \
		echo "!! FAILED: no PostgreSQL answers on 127.0.0.1:5432, and STORELENS_REQUIRE_SERVICES=1 requires it."; exit 1; \
	else \
		echo "################################################################################"; \
		echo "## SKIPPED the PostgreSQL pass: nothing answers on 127.0.0.1:5432.             ##"; \
		echo "## Start PostgreSQL (user postgres, trust auth) to run it; CI requires it.       ##"; \
		echo "################################################################################"; \
	fi

services-check: $(VENV)/.installed-test
	@if ! $(BIN)/python -c 'import socket; socket.create_connection(("127.0.0.1", 6379), 2)' 2>/dev/null; then \
		if [ "$$STORELENS_REQUIRE_SERVICES" = 1 ]; then \
			echo "!! FAILED: no Redis answers on 127.0.0.1:6379, and STORELENS_REQUIRE_SERVICES=1 requires it."; exit 1; \
		fi; \
		echo "################################################################################"; \
		echo "## SKIPPING the Redis job test: nothing answers on 127.0.0.1:6379.              ##"; \
		echo "################################################################################"; \
	fi

test: lint services-check test-sqlite test-postgres

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
