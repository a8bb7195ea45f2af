# Commonplace: `make run` for the demo, `make test` for the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# What the site needs (make run, serve, worker), and the development extras on top
# (tests, lint, browsers, the HTML checker's Java side, moto, mutmut): each reinstalls
# only when pyproject.toml changes, so `make run` never pulls in the extras.
SITE_STAMP := $(VENV)/.installed-site
DEV_STAMP := $(VENV)/.installed-dev
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-seeds lint format serve worker e2e migrate seed clean install bench cluster cluster-stop css contexts mutants

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(SITE_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $(SITE_STAMP)

# The extras include the site's own dependencies, so this stamp stands for both.
$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(SITE_STAMP) $(DEV_STAMP)

install: $(DEV_STAMP)

# PORT=8400 make run: the server, the seed's message and the links in emails and
# calendars (SITE_DOMAIN's development default) all follow PORT.
run: $(SITE_STAMP)
	DJANGO_DEBUG=1 PORT=$(PORT) $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=1 PORT=$(PORT) $(BIN)/python manage.py seed_demo
	@echo "Starting Commonplace on http://$(HOST):$(PORT)/  (Ctrl+C to stop)"
	DJANGO_DEBUG=1 PORT=$(PORT) $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The suite runs in random order (pytest-randomly), under a new seed each time, printed
# at the top ("Using --randomly-seed=N"); SEED=N repeats that order: make test SEED=N.
# It runs on every core (pytest-xdist, JOBS workers; JOBS=0 runs it in this one process).
SEED ?=
JOBS ?= auto
test: $(DEV_STAMP)
	$(BIN)/python -m pytest -p randomly -n $(JOBS) $(if $(SEED),--randomly-seed=$(SEED))

# The nightly-style check, by hand: the whole suite in more orders than CI's one fixed
# seed, two new random seeds unless SEEDS="n m" names them; each seed is printed and a
# failing one named at the end. With DATABASE_URL set, on PostgreSQL.
SEEDS ?=
test-seeds: $(DEV_STAMP)
	@failed=""; \
	for seed in $(or $(SEEDS),$$(od -An -N4 -tu4 /dev/urandom) $$(od -An -N4 -tu4 /dev/urandom)); do \
	  echo "==== make test-seeds: --randomly-seed=$$seed ===="; \
	  $(BIN)/python -m pytest -q -p randomly -n $(JOBS) --randomly-seed=$$seed || failed="$$failed $$seed"; \
	done; \
	if [ -n "$$failed" ]; then echo "Failed with these --randomly-seed values:$$failed"; exit 1; fi

# The W3C Nu HTML Checker (npm vnu-jar, pinned by tests/e2e/vnu/package-lock.json; needs
# Java) for tests/e2e/test_html_checker.py. --ignore-scripts: the jar is in the package,
# and its install script would only fetch a Java runtime.
VNU_STAMP := tests/e2e/vnu/node_modules/.installed-stamp
$(VNU_STAMP): tests/e2e/vnu/package-lock.json
	cd tests/e2e/vnu && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(VNU_STAMP)

e2e: $(DEV_STAMP) $(VNU_STAMP)
	$(BIN)/python -m pytest -m e2e tests/e2e

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(DEV_STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Production-like: DEBUG off, gunicorn, whitenoise serving collected static files.
# Needs SECRET_KEY and ALLOWED_HOSTS (and usually DATABASE_URL) in the environment or .env.
serve: $(SITE_STAMP)
	$(BIN)/python manage.py collectstatic --noinput
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/gunicorn config.wsgi --bind $(HOST):$(PORT) --workers $${WEB_CONCURRENCY:-3} --access-logfile -

# Runs queued tasks (emails, imports) when TASKS_BACKEND=database (the default with DEBUG off),
# and publishes scheduled posts every 30 s (docs/architecture.md, Scheduled publishing).
worker: $(SITE_STAMP)
	$(BIN)/python manage.py db_worker

# Pages under load on PostgreSQL (bench/README.md): seeds its own data, starts gunicorn
# on BENCH_PORT and runs wrk. Needs wrk (Debian package) and a database to fill.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/commonplace_bench
BENCH_PORT ?= 8131
bench: $(DEV_STAMP)
	@command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk"; exit 1; }
	DATABASE_URL=$(BENCH_DATABASE_URL) PORT=$(BENCH_PORT) $(BIN)/python bench/pages.py

# A local production-like cluster: nginx on 127.0.0.1:8080 over two app servers, a task
# worker, PostgreSQL, Redis and an S3 server (deploy/cluster.sh; docs/deploy.md).
cluster: $(DEV_STAMP)
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

css: $(SITE_STAMP)
	cd assets && npm ci --no-audit --no-fund --loglevel=error
	cd assets && node build.mjs $$(../$(BIN)/python -c "import crispy_bootstrap5, pathlib; print(pathlib.Path(crispy_bootstrap5.__file__).parent / 'templates' / 'bootstrap5')")

# Mutation testing of the permission predicates (pyproject.toml [tool.mutmut]): each
# change mutmut makes to a can_* predicate or role_of must fail a permission test.
# Not in CI: it runs the permission tests once per mutant (see docs/architecture.md).
MUTANTS ?= *ǁCourseǁrole_of__* *x_roles_cached_on__* *ǁCourseǁcan_* *ǁPostǁis_by__* *ǁPostǁcan_* *ǁCommentǁcan_* *ǁCommentǁis_by__* *ǁAssignmentǁcan_* \
	*ǁCourseǁis_closed__* *ǁCourseǁstep_to_participate__* *ǁCourseǁholds_comments_of__* \
	*ǁPostǁis_by_writer__* *ǁPageǁcan_*
mutants: $(DEV_STAMP)
	$(BIN)/mutmut run $(foreach m,$(MUTANTS),"$(m)")
	$(BIN)/mutmut results

clean:
	rm -rf mutants $(VENV) staticfiles .pytest_cache .ruff_cache
