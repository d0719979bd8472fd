# Two commands a newcomer needs: `make run` (the shop with demo data) and `make test` (every test).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
LOCK_FLAGS := -q --strip-extras --generate-hashes --allow-unsafe --no-emit-index-url --no-emit-find-links

.PHONY: run test install messages lint lock clean bench

$(BIN)/activate:
	$(PYTHON) -c 'import sys; sys.exit("Chợ OCOP needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements-dev.lock | $(BIN)/activate
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q --require-hashes -r requirements-dev.lock
	touch $@

$(VENV)/.messages: $(VENV)/.installed $(wildcard locale*/*/LC_MESSAGES/*.po)
	for dir in locale locale_overrides; do $(BIN)/pybabel -q compile -d $$dir -D django || exit 1; done
	touch $@

install: $(VENV)/.installed $(VENV)/.messages

run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo_data
	# Periodic tasks (payment expiry, sandbox parcels) run beside the server: no beat without Redis.
	$(MANAGE) run_schedule & trap 'kill $$! 2>/dev/null' EXIT INT TERM; \
	  $(MANAGE) runserver $(HOST):$(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Speed measured: catalogue, production server under load, PASS/FAIL per goal (README, "Speed").
bench: install
	$(BIN)/python -m shop.bench.run $(BENCH_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Refresh the lock files after editing the dependencies in pyproject.toml.
lock: install
	$(BIN)/pip-compile $(LOCK_FLAGS) -o requirements.lock pyproject.toml
	$(BIN)/pip-compile $(LOCK_FLAGS) --extra dev -o requirements-dev.lock pyproject.toml

# Extract new strings into the Vietnamese catalogue (needs GNU gettext).
messages: install
	$(MANAGE) makemessages -l vi --ignore '.venv/*' --ignore 'tests/*' --no-obsolete

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles
