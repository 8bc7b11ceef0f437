# 地域協働ポータル — the two commands of the README are `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
# The demo runs with DEBUG off (the portal's own error pages, no technical
# 404 listing every URL); DEMO=true keeps staff MFA off for the demo accounts.
DEMO_ENV := DEMO=true
PORT ?= 8000

.PHONY: install demo test lint format audit messages lock bench faults backup restore

$(VENV)/.installed: requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	touch $@

install: $(VENV)/.installed

## Run the portal on the embedded default (SQLite, inline tasks, console mail)
## with the demo city at http://127.0.0.1:8000 (another port: make demo PORT=8001)
demo: install
	$(DEMO_ENV) $(PY) manage.py migrate --noinput
	$(DEMO_ENV) $(PY) manage.py seed_demo
	$(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

## The whole test suite: PostgreSQL when reachable (always under CI=true),
## otherwise SQLite; on every core (ARGS="-n0" for one process). Extra pytest
## arguments: make test ARGS="-k audit"
test: install
	$(PY) bin/run-tests $(ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## Known vulnerabilities in the pinned packages (needs the advisory database online).
audit: install
	$(VENV)/bin/pip-audit --strict --require-hashes -r requirements.lock

## Recompile the translation catalogues after editing locale/*/LC_MESSAGES/django.po
messages: install
	$(PY) manage.py makemessages -l en --no-obsolete --ignore=.venv --ignore=var
	$(PY) manage.py compilemessages --ignore=.venv

## Re-resolve the dependencies (needs uv) and export the pinned requirement files.
lock:
	uv lock
	uv export --format requirements-txt --no-emit-project --all-groups -o requirements.lock -q
	uv export --format requirements-txt --no-emit-project --no-dev -o requirements-prod.lock -q

## The benchmark table on PostgreSQL (DATABASE_URL, default the local
## portal_bench): every bench/*.py in turn, each figure beside a baseline
## measured in the same run; written to bench/results/. QUICK=1: reduced sizes.
## One script: make bench ARGS=surveys_draw
bench: install
	QUICK=$(QUICK) $(PY) bench/run.py $(ARGS)


## Faults survived (Redis stopped, PostgreSQL restarted under load, a worker
## killed mid-batch) against a throwaway PostgreSQL cluster, Redis, gunicorn
## and celery worker of its own on free loopback ports; prints a table and
## fails when a check fails. Needs the PostgreSQL server binaries and redis-server.
faults: install
	$(PY) bin/faults $(ARGS)

## Back up the database (pg_dump, custom format) and the media and private
## files into var/backups/<date-time> (or BACKUP=DIR); see docs/operations.md.
backup: install
	$(PY) bin/backup create $(if $(BACKUP),--output $(BACKUP))

## Restore BACKUP=DIR into a new, empty database RESTORE_DATABASE_URL=postgres://…
## and compare every table's row count with the backup's manifest.
restore: install
	$(PY) bin/backup restore $(BACKUP) --database-url $(RESTORE_DATABASE_URL) $(ARGS)
