# bianmin — two commands on a fresh machine:
#   make demo   install, migrate, load the demo data, serve on http://127.0.0.1:8000 (SQLite)
#   make test   install what the tests need and run the whole suite on SQLite and PostgreSQL
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test install system-deps lint format messages serve bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip 2>&1 | grep -v "^WARNING: Location" || true
	$(BIN)/python -m pip install --quiet -e '.[test]' 2>&1 | grep -v "^WARNING: Location" || true
	$(BIN)/python -c "import bianmin, django, playwright, polib, uvicorn"
	touch $(STAMP)

install: $(STAMP)
	$(BIN)/bianmin compile_translations

demo: install
	$(BIN)/bianmin demo

serve: install
	$(BIN)/bianmin serve

system-deps:
	bash scripts/system-deps.sh

lint: install
	$(BIN)/ruff check bianmin scripts
	$(BIN)/ruff format --check bianmin scripts
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format bianmin scripts
	$(BIN)/ruff check --fix bianmin scripts

test: install system-deps
	bash scripts/test.sh

# Re-extract the strings to translate (needs GNU gettext) after adding or changing a message.
messages: install
	cd bianmin && DJANGO_SETTINGS_MODULE=bianmin.settings ../$(BIN)/django-admin makemessages -l zh_Hans --no-obsolete --ignore "*/tests/*" --ignore "static/*"

bench: install
	bash scripts/bench.sh

clean:
	rm -rf $(VENV) var .pytest_cache
