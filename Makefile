# Commonplace: `make run` for the demo, `make test` for the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format serve worker e2e migrate seed clean install bench cluster cluster-stop css contexts mutants

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the project's dependencies change.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=1 $(BIN)/python manage.py seed_demo
	@echo "Starting Commonplace on http://$(HOST):$(PORT)/  (Ctrl+C to stop)"
	DJANGO_DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest

e2e: $(STAMP)
	$(BIN)/python -m pytest -m e2e tests/e2e

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Production-like: DEBUG off, gunicorn, whitenoise serving collected static files.
# Needs SECRET_KEY and ALLOWED_HOSTS (and usually DATABASE_URL) in the environment or .env.
serve: $(STAMP)
	$(BIN)/python manage.py collectstatic --noinput
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/gunicorn config.wsgi --bind $(HOST):$(PORT) --workers $${WEB_CONCURRENCY:-3} --access-logfile -

# Sends queued emails when TASKS_BACKEND=database (the default with DEBUG off).
worker: $(STAMP)
	$(BIN)/python manage.py db_worker

# Pages under load on PostgreSQL (bench/README.md): seeds its own data, starts gunicorn
# on BENCH_PORT and runs wrk. Needs wrk (Debian package) and a database to fill.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/commonplace_bench
BENCH_PORT ?= 8131
bench: $(STAMP)
	@command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk"; exit 1; }
	DATABASE_URL=$(BENCH_DATABASE_URL) PORT=$(BENCH_PORT) $(BIN)/python bench/pages.py

# A local production-like cluster: nginx on 127.0.0.1:8080 over two app servers, a task
# worker, PostgreSQL, Redis and an S3 server (deploy/cluster.sh; docs/deploy.md).
cluster: $(STAMP)
	bash deploy/cluster.sh start

cluster-stop:
	bash deploy/cluster.sh stop

# Rebuilds static/css/base.css (fonts + the Bootstrap parts we use) and static/fonts/
# from assets/ (npm). The output is committed: only run this after changing assets/,
# or when a template starts using a Bootstrap class that base.css lacks.
# Rebuilds badges/contexts/ (the JSON-LD contexts of Open Badges credentials, with
# their licences) from the npm packages of tests/badges/verifier/. The output is
# committed: the site reads those files and never fetches a context.
contexts:
	cd tests/badges/verifier && npm ci --no-audit --no-fund --loglevel=error
	node badges/build_contexts.cjs tests/badges/verifier/node_modules

css: $(STAMP)
	cd assets && npm ci --no-audit --no-fund --loglevel=error
	cd assets && node build.mjs $$(../$(BIN)/python -c "import crispy_bootstrap5, pathlib; print(pathlib.Path(crispy_bootstrap5.__file__).parent / 'templates' / 'bootstrap5')")

# Mutation testing of the permission predicates (pyproject.toml [tool.mutmut]): each
# change mutmut makes to a can_* predicate or role_of must fail a permission test.
# Not in CI: it runs the permission tests once per mutant (see docs/architecture.md).
MUTANTS ?= *ǁCourseǁrole_of__* *x_roles_cached_on__* *ǁCourseǁcan_* *ǁPostǁis_by__* *ǁPostǁcan_* *ǁCommentǁcan_* *ǁCommentǁis_by__* *ǁAssignmentǁcan_*
mutants: $(STAMP)
	$(BIN)/mutmut run $(foreach m,$(MUTANTS),"$(m)")
	$(BIN)/mutmut results

clean:
	rm -rf mutants $(VENV) staticfiles .pytest_cache .ruff_cache
