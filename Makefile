# One-command set-up: `make run` serves the dashboard, `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8050
WORKERS ?= 2
export RUHR_DATA_DIR ?= $(CURDIR)/data/generated

AXE := .cache/node/node_modules/axe-core/axe.min.js
AXE_VERSION := 4.14.1

.PHONY: install install-test data run test bench lint format boundaries clean plotly-bundle messages

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

# axe-core (accessibility scans in the browser tests) comes from the npm registry.
$(AXE):
	npm install --no-save --no-package-lock --silent --prefix .cache/node axe-core@$(AXE_VERSION)

install-test: install $(VENV)/.installed-test $(AXE)

data: install
	$(PY) -m layers build --if-missing

run: install data
	@echo "Serving on http://$(HOST):$(PORT)  (synthetic demonstration data)"
	WORKERS=$(WORKERS) $(VENV)/bin/gunicorn -c python:dashboard.gunicorn_conf \
		--bind $(HOST):$(PORT) --access-logfile - wsgi:server

# On every core: each pytest worker starts its own server and browser (tests/browser/conftest.py);
# the 15 slowest tests are listed at the end (the suite must stay well under 15 minutes).
test: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m pytest -n auto --dist worksteal --durations=15

# Figures for this dashboard and a naive Dash build of the same maps, in one run.
bench: install-test data
	$(PY) -m tests.perf.benchmark

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-test
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

boundaries: install
	$(PY) -m layers boundaries

clean:
	rm -rf $(VENV) data/generated artifacts .cache .pytest_cache .ruff_cache

# The partial plotly.js bundle (dashboard/static/plotly/README.md) is committed, so `make run`
# needs no npm; this rebuilds it from the npm registry (pinned versions, ~1 min).
plotly-bundle:
	node dashboard/static/plotly/build.mjs

# Locust load and fault test on loopback (tests/perf/loadtest.py): gunicorn as `make run`
# starts it, behind nginx as in production (Debian package `nginx`: apt-get install nginx;
# its own temporary configuration, retries a request once if its worker dies), 50 users for
# 60 s, one busy worker killed with SIGKILL after 25 s. Passes with 0 failed requests.
# INSTANCES=2: two gunicorn instances behind nginx sharing one redis-server (Debian package
# `redis-server`) as result cache, 100 users, one whole instance killed after 25 s and
# started again; then the single-instance run with as many users, side by side.
# USERS=n sets the number of users.
INSTANCES ?= 1
USERS ?=
.PHONY: loadtest
$(VENV)/.installed-perf: pyproject.toml $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[perf]'
	touch $@

loadtest: $(VENV)/.installed-perf data
	$(PY) -m tests.perf.loadtest --instances $(INSTANCES) $(if $(USERS),--users $(USERS))

# The Romanian and Bulgarian catalogs (layers/l10n.py): extract every {de, en} pair
# (dashboard/messages.json, layers/catalogue.toml, data/views/*.yaml, l10n.text() calls) into
# the template, add new keys to each catalog (empty, to translate; the tests name them), and
# compile (the .mo files are git-ignored; without them the app compiles the .po at start).
# Run it after adding or merging keys.
LOCALE := layers/locale
messages: install
	PYTHONPATH=$(CURDIR) $(VENV)/bin/pybabel extract -F babel.cfg --no-location --omit-header \
		--sort-output -o $(LOCALE)/messages.pot .
	$(VENV)/bin/pybabel update -i $(LOCALE)/messages.pot -d $(LOCALE) \
		--no-fuzzy-matching --ignore-obsolete
	$(VENV)/bin/pybabel compile --statistics -d $(LOCALE)
