# The two commands a newcomer needs: `make run` and `make test`. See README.md.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= $(or $(shell sed -n "s/^PORT=//p" .env 2>/dev/null),8000)
WORKERS ?= $(shell nproc 2>/dev/null || echo 2)
DEMO_WORKS ?= 2000
STAMP := $(VENV)/.installed-stamp

.PHONY: install run serve test lint unit redis-test browser-deps ebook-tools clean-data

# Re-install only when the dependencies change.
$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: install
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py createcachetable -v0
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py seed_demo --works $(DEMO_WORKS) --if-empty
	@$(PY) manage.py demo_login --port $(PORT)
	$(MAKE) --no-print-directory serve

# The production server (DESIGN.md "Serving"): granian, WSGI, one blocking thread per worker,
# and beside it the background-task worker (manage.py db_worker); scripts/serve.py starts
# both and stops both (Ctrl-C or SIGTERM).
serve: install
	$(PY) scripts/serve.py --port $(PORT) --workers $(WORKERS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy quire
	$(PY) manage.py makemigrations --check --dry-run -v1

browser-deps:
	@scripts/install-browser

# epubcheck (the EPUB tests) and calibre (AZW3/MOBI downloads, bench/downloads.py).
ebook-tools:
	@scripts/install-ebook-tools

# The suite runs in parallel, one pytest-xdist worker per CPU (each with its own test database
# and files); PYTEST_ARGS= runs it in one process, PYTEST_ARGS="-n 4 -x" otherwise.
PYTEST_ARGS ?= -n auto
unit: install
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# The tests whose code changes with REDIS_URL (the shared cache, cached_db sessions, the
# failed-login counts), once more against the Redis on 127.0.0.1:6379, in a database of
# their own (emptied first).
REDIS_TEST_URL ?= redis://127.0.0.1:6379/13
REDIS_TESTS ?= quire/works/tests/test_pagecache.py quire/accounts/tests/test_login.py \
	quire/accounts/tests/test_ratelimit.py quire/lib/tests/test_limits.py \
	quire/lib/tests/test_request_limit.py quire/accounts/tests/test_login_limits.py \
	quire/social/tests/test_kudos_limit.py
redis-test: install
	$(VENV)/bin/python -c "import redis; redis.Redis.from_url('$(REDIS_TEST_URL)').flushdb()"
	REDIS_URL=$(REDIS_TEST_URL) $(VENV)/bin/pytest -q $(REDIS_TESTS)

test: lint browser-deps ebook-tools unit
