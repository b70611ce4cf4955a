# Incident command console: the project's run, test and quality contract.
#
#   make run           install, build static, migrate SQLite, load modules + demo; start web + worker
#   make test          the whole pytest suite (honours DATABASE_URL / REDIS_URL / CI)
#   make test-fuzz     schemathesis against the API as each role (its own target; CI runs a short round)
#   make test-reliability  workers killed, Redis stopped, two beats, concurrent edits, tampering (CI: short round)
#   make lint          ruff, ruff format, mypy --strict, djLint, makemigrations --check
#   make check-deploy  manage.py check --deploy with production settings (fails on warnings)
#
# DATABASE_URL, REDIS_URL and CELERY_BROKER_URL are honoured when set; unset, `make run` uses
# SQLite at var/console.sqlite3 and the kombu filesystem broker under var/broker/.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
CELERY := $(BIN)/celery

INSTALL_STAMP := $(VENV)/.requirements.stamp
NODE_STAMP := node_modules/.package-lock.stamp
STATIC_STAMP := static/govuk/.build.stamp
FRONTEND_SOURCES := $(wildcard frontend/*)

BROKER_DIRS := var/broker/queue var/broker/control var/broker/processed

HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_PASSWORD ?= exercise-northgate-2026
export DEMO_PASSWORD

DEMO_USERS := gold silver bronze dpo caldicott siro admin staff partner

.PHONY: help install lock static migrate modules demo run test test-fuzz test-reliability lint check-deploy bench bench-rotas clean distclean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-17s %s\n", $$1, $$2}'

# --- Python ---------------------------------------------------------------------------------------

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "Python 3.11+ is needed (PYTHON=$(PYTHON) is $$($(PYTHON) --version 2>&1))" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(BIN)/uv: | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check uv

$(INSTALL_STAMP): requirements.lock | $(BIN)/uv
	$(BIN)/uv pip install --python $(PY) -r requirements.lock
	@touch $@

install: $(INSTALL_STAMP) ## Create .venv and install requirements.lock (reruns when the lock changes)

lock: | $(BIN)/uv ## Regenerate requirements.lock from pyproject.toml
	$(BIN)/uv pip compile pyproject.toml --extra dev -o requirements.lock

# --- Front end (GOV.UK Frontend + htmx into static/govuk/) ----------------------------------------

$(NODE_STAMP): package-lock.json package.json
	@command -v npm >/dev/null || { echo "npm is needed (Node.js 18+) to build static/govuk/" >&2; exit 1; }
	npm ci --no-audit --no-fund
	@touch $@

$(STATIC_STAMP): $(NODE_STAMP) $(FRONTEND_SOURCES)
	npm run build
	@touch $@

static: $(STATIC_STAMP) ## Build static/govuk/ with npm (reruns when the lock or frontend/ changes)

# --- Database and data ----------------------------------------------------------------------------

var $(BROKER_DIRS):
	@mkdir -p $@

migrate: install | var ## Apply migrations (SQLite at var/console.sqlite3 unless DATABASE_URL is set)
	$(MANAGE) migrate --noinput

modules: migrate ## Load the guidance modules from modules/
	$(MANAGE) load_modules

demo: modules ## Load the demo councils, people and the exercise incident
	$(MANAGE) load_demo

# --- Run ------------------------------------------------------------------------------------------

run: install static migrate modules demo | $(BROKER_DIRS) ## Start web + Celery worker with beat; Ctrl-C stops both
	@web=; worker=; \
	stop() { \
		trap - INT TERM; \
		echo; echo "Stopping web and worker..."; \
		for pid in $$web $$worker; do kill -TERM "$$pid" 2>/dev/null || true; done; \
		wait $$web $$worker 2>/dev/null || true; \
	}; \
	trap 'stop; exit 0' INT TERM; \
	$(CELERY) -A incident_console worker -B -l info --concurrency 2 -s var/celerybeat-schedule & worker=$$!; \
	$(MANAGE) runserver $(HOST):$(PORT) & web=$$!; \
	for _ in $$(seq 60); do \
		$(PY) -c 'import sys, urllib.request as u; u.urlopen(sys.argv[1], timeout=1)' \
			"http://$(HOST):$(PORT)/healthz/live" 2>/dev/null && break; \
		kill -0 $$web 2>/dev/null || break; \
		sleep 1; \
	done; \
	echo; \
	echo "================================================================"; \
	echo " Incident command console: http://$(HOST):$(PORT)"; \
	echo " Demo logins (password: $$DEMO_PASSWORD):"; \
	echo "   $(DEMO_USERS)"; \
	echo " Second factor (all but partner): $(PY) manage.py demo_code USER"; \
	echo " Broker: $${CELERY_BROKER_URL:-$${REDIS_URL:-filesystem:// (var/broker)}}" | sed -E 's#://([^:@/]*):[^@/]*@#://\1:***@#'; \
	echo " Press Ctrl-C to stop web and worker."; \
	echo "================================================================"; \
	echo; \
	status=0; wait -n $$web $$worker || status=$$?; \
	echo "A process exited (status $$status); stopping the other."; \
	stop; exit $$status

# --- Quality gates --------------------------------------------------------------------------------

# pytest-xdist processes for make test (each gets its own test database); 1 runs in one process.
TEST_WORKERS ?= auto
test: install static ## Run the whole test suite (API fuzzing and the reliability suite have their own targets)
	$(BIN)/pytest -n $(TEST_WORKERS) -m "not fuzz and not reliability"

API_FUZZ_ROLES ?= all
API_FUZZ_EXAMPLES ?= 10
test-fuzz: install ## schemathesis against the API: API_FUZZ_ROLES (or all), API_FUZZ_EXAMPLES per operation
	API_FUZZ_ROLES=$(API_FUZZ_ROLES) API_FUZZ_EXAMPLES=$(API_FUZZ_EXAMPLES) \
		$(BIN)/pytest -q -m fuzz tests/security/test_api_fuzz.py

# The reliability suite's full run; .ci/run runs a short round (docs/reliability.md). RELIABILITY_SEED
# replays a run's random kill points.
RELIABILITY_ROUNDS ?= 5
RELIABILITY_REMINDERS ?= 1000
RELIABILITY_PDFS ?= 20
REDIS_OUTAGE_SECONDS ?= 60
RELIABILITY_SEED ?=
test-reliability: install static ## Worker kills, Redis outage, two beats, concurrent edits, tampering (RELIABILITY_*)
	RELIABILITY_ROUNDS=$(RELIABILITY_ROUNDS) RELIABILITY_REMINDERS=$(RELIABILITY_REMINDERS) \
	RELIABILITY_PDFS=$(RELIABILITY_PDFS) REDIS_OUTAGE_SECONDS=$(REDIS_OUTAGE_SECONDS) \
	RELIABILITY_SEED=$(RELIABILITY_SEED) \
		$(BIN)/pytest -q -m reliability tests/reliability

lint: install ## ruff, ruff format --check, mypy --strict, djLint, makemigrations --check
	@failed=(); \
	run() { echo "==> $$*"; "$$@" || failed+=("$$*"); }; \
	run $(BIN)/ruff check .; \
	run $(BIN)/ruff format --check .; \
	run $(BIN)/mypy incident_console tests; \
	run $(BIN)/djlint templates --lint; \
	run $(BIN)/djlint templates --check; \
	run $(MANAGE) makemigrations --check --dry-run; \
	if (( $${#failed[@]} )); then \
		echo; echo "lint failed:"; printf '  %s\n' "$${failed[@]}"; exit 1; \
	fi; \
	echo "lint passed"

check-deploy: install ## manage.py check --deploy with production settings; warnings fail
	DJANGO_SETTINGS_MODULE=incident_console.settings.production \
	SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))')" \
	ALLOWED_HOSTS=console.example.org \
	DATABASE_URL=postgres://console:unused@127.0.0.1:5432/console \
	$(MANAGE) check --deploy --fail-level WARNING

BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/console_bench
BENCH_SCALE ?= full
BENCH_FRESH ?=
BENCH_ARGS ?=
bench: install bench-rotas ## Performance contract on BENCH_DATABASE_URL (made if missing): BENCH_SCALE=full|small, BENCH_FRESH=1
	DJANGO_SETTINGS_MODULE=incident_console.settings.bench DATABASE_URL=$(BENCH_DATABASE_URL) \
		$(MANAGE) bench --scale $(BENCH_SCALE) $(if $(BENCH_FRESH),--fresh) $(BENCH_ARGS)

bench-rotas: install ## Time the rota resolver (ms per who-is-on lookup, ms per year-long gap check)
	$(PY) -m incident_console.rotas.bench

# --- Housekeeping ---------------------------------------------------------------------------------

clean: ## Remove built static files, caches and stamps (keeps .venv, node_modules and var/)
	rm -rf static/govuk staticfiles .pytest_cache .mypy_cache .ruff_cache test-results screenshots
	rm -f $(INSTALL_STAMP) $(NODE_STAMP)
	find . -path ./$(VENV) -prune -o -path ./node_modules -prune -o -type d -name __pycache__ -exec rm -rf {} +

distclean: clean ## Also remove .venv, node_modules and var/ (the local SQLite database and broker)
	rm -rf $(VENV) node_modules var
