# Huajie — the two commands a fresh machine needs are `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: run test test-browser bench lint typecheck format messages venv clean-venv check

$(BIN)/.installed: requirements.lock requirements-dev.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.lock
	@touch $@

# The front-end libraries the app serves itself (no CDN), from the npm lockfile.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

venv: $(BIN)/.installed node_modules/.installed

## make run: migrate, load demo data, serve on http://127.0.0.1:$(PORT) with a Celery worker and beat.
run: venv
	@$(BIN)/python scripts/check_system.py
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py demo_seed --print-logins
	@echo "Huajie 化解: http://127.0.0.1:$(PORT)/  (Ctrl-C stops web, worker and beat)"
	HUAJIE_DEMO_LOGINS=true $(BIN)/honcho start --procfile Procfile.dev --port $(PORT)

## make test: the whole suite (SQLite by default; set DATABASE_URL/REDIS_URL for PostgreSQL/Redis).
test: venv
	$(BIN)/python -m pytest --numprocesses=auto $(PYTEST_ARGS)

test-browser: venv
	$(BIN)/python -m pytest -m browser $(PYTEST_ARGS)

## make bench: every benchmark in bench/ (PostgreSQL and Redis required); one `name: value` per line.
bench: venv
	$(BIN)/python bench/run.py

## make lint: ruff (rules and format) and mypy, as CI and the pre-commit hooks run them.
lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

## make typecheck: mypy with django-stubs (configured in pyproject.toml; strict on core/ and the new apps).
typecheck: venv
	$(BIN)/mypy

format: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## make messages: refresh the translation catalogues after changing strings (needs GNU gettext).
messages: venv
	$(BIN)/python manage.py makemessages --locale zh_Hans --locale en --no-obsolete --no-location --no-wrap --ignore 'tests/*' --ignore '.venv/*' --ignore 'var/*' --ignore 'node_modules/*'
	$(BIN)/python manage.py compilemessages --ignore '.venv/*'

check: venv
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

clean-venv:
	rm -rf $(VENV)

## make lock: re-pin every dependency after editing pyproject.toml (production lock, then dev on top).
lock: venv
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml -o requirements.lock --python-version 3.11 --no-header --quiet
	$(BIN)/uv pip compile pyproject.toml --extra dev -c requirements.lock -o requirements-dev.lock --python-version 3.11 --no-header --quiet
