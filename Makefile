# Koproduktion: `make run` serves the site with demo data; `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000
PYTEST_ARGS ?=
# Links in emails and calendar feeds point where `make run` serves (HOST as runserver takes it:
# "8080", "0.0.0.0:8080", "[::]:8080"; an address for all interfaces becomes this machine's
# loopback address), unless SITE_URL is given on the command line or in the environment.
RUN_ADDRESS := $(if $(findstring :,$(HOST)),$(HOST),127.0.0.1:$(HOST))
RUN_ADDRESS := $(patsubst 0.0.0.0:%,127.0.0.1:%,$(patsubst 0:%,127.0.0.1:%,$(patsubst [::]:%,[::1]:%,$(RUN_ADDRESS))))
SITE_URL ?= http://$(RUN_ADDRESS)

.PHONY: run test install install-test browser messages migrations-check

$(VENV)/.run-installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.test-installed: $(VENV)/.run-installed requirements-test.txt
	$(PY) -m pip install --quiet -r requirements-test.txt
	touch $@

install: $(VENV)/.run-installed

install-test: $(VENV)/.test-installed

run: install
	SITE_URL="$(SITE_URL)" $(PY) manage.py migrate --noinput
	SITE_URL="$(SITE_URL)" $(PY) manage.py seed_demo
	SITE_URL="$(SITE_URL)" $(PY) manage.py runserver $(HOST)

# Browser tests drive Debian's chromium; install it (and gettext for translation checks) when
# missing and we may install packages. Without it the browser tests skip, except under CI=true.
browser:
	@sh scripts/ensure-system-packages

test: install-test browser
	@$(PY) -m pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "No tests were collected: that is a failure."; fi; \
	exit $$status

messages: install-test
	$(PY) manage.py makemessages --locale de --ignore "$(VENV)/*" --ignore "tests/*"
	$(PY) manage.py compilemessages --locale de --ignore "$(VENV)/*"
