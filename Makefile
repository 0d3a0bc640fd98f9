# CuCon: `make serve` to build and preview the sample network, `make test` for the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PELICAN := $(BIN)/pelican content -s pelicanconf.py -o output --fatal warnings
PORT ?= 8000
# make test runs the suite in parallel workers (pytest-xdist): most tests wait on builds, git and
# servers, so more workers than cores pay off. TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= 4

.PHONY: setup setup-test html serve test test-content lint bench schema golden messages clean lock

# Every dependency comes from the hash-locked requirements*.txt (--require-hashes: a file whose hash
# differs is refused). The package itself is built from this folder with the locked setuptools:
# --no-index --no-deps --no-build-isolation, so that step fetches nothing at all.
$(VENV)/.runtime: requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-index --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.test: $(VENV)/.runtime requirements-test.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-test.txt
	touch $@

# Regenerate the locks from requirements.in, requirements-bot.in and requirements-test.in, keeping every
# version that still fits; LOCK_ARGS=--upgrade-package=NAME (or --upgrade) to move on (CONTRIBUTING.md,
# "Dependencies"). The bot's lock (deploy/Dockerfile) takes requirements.txt's versions.
LOCK := $(BIN)/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes --custom-compile-command 'make lock'
lock: $(VENV)/.test
	$(LOCK) $(LOCK_ARGS) requirements.in -o requirements.txt
	$(LOCK) requirements-bot.in --constraint requirements.txt -o requirements-bot.txt
	$(LOCK) $(LOCK_ARGS) requirements-test.in -o requirements-test.txt

setup: $(VENV)/.runtime

# The JavaScript and Java tools of the tests (axe-core, the Nu HTML Checker), pinned in package-lock.json.
# --ignore-scripts: vnu-jar's postinstall would download a Java runtime; the system's java is used instead.
node_modules/.installed: package.json package-lock.json | system-packages
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# Debian packages the tests need (Chromium, a Java runtime, npm): installed only where missing.
setup-test: system-packages $(VENV)/.test node_modules/.installed

.PHONY: system-packages
system-packages:
	@tools/install-system-packages.sh

html: setup  ## Build the site into output/
	$(BIN)/cucon check
	$(PELICAN)

serve: setup  ## Build, serve at http://localhost:$(PORT) and rebuild on change
	@# One process (docs/preview.md): it builds, serves output/ (a missing path: 404 with the site's
	@# 404.html), rebuilds in place on every change, reloads the browser, then catches up the search.
	$(BIN)/cucon preview content -s pelicanconf.py -o output --port $(PORT)

test: setup-test  ## Lint and run the whole test suite
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@# The suite starts hundreds of Python processes (builds, cucon, the bot); where PYTHONDONTWRITEBYTECODE
	@# is set (containers, CI images) each would compile our modules again: compile them once.
	$(BIN)/python -m compileall -q src plugins benchmarks
	$(BIN)/python -m pytest --numprocesses $(TEST_WORKERS)

# What a content-only pull request can break (CONTRIBUTING.md, "Checks"): the check, then the tests marked
# `content`, which build content/ as `make html` does (--fatal warnings) and check the pages: valid HTML,
# internal links, feeds, and axe in Chromium.
test-content: setup-test  ## Check the content and run the tests of what content can break
	$(BIN)/cucon check
	$(BIN)/python -m pytest -m content tests

bench: setup-test bench-packages  ## Build a synthetic network (default 10,000 profiles) every way and report each build
	$(BIN)/python -m benchmarks $(if $(SIZE),--size $(SIZE)) $(if $(VERIFY),--verify) $(if $(ONLY),--only $(ONLY)) $(if $(CITIES),--city-bundles)

# Debian's hugo for the benchmark's Hugo baseline, where missing; without it make bench goes on and
# its report says the Hugo line was skipped.
.PHONY: bench-packages
bench-packages:
	@tools/install-system-packages.sh bench || echo "bench-packages: hugo could not be installed; make bench skips the Hugo baseline"

schema: setup  ## Export the JSON Schema of every content type into schema/
	$(BIN)/cucon schema --out schema

# The problem codes of src/cucon/codes.py into the cucon catalogs: a new or reworded English template
# gets an empty (or fuzzy) entry in every language, shown in English until it is translated.
LOCALE := src/cucon/locale
messages: setup  ## Extract the English of the problems and texts and update every language's cucon.po
	$(BIN)/pybabel --quiet extract --no-location --omit-header -F $(LOCALE)/babel.cfg -o $(LOCALE)/cucon.pot .
	for po in $(LOCALE)/*/LC_MESSAGES/cucon.po; do \
	  $(BIN)/pybabel --quiet update --ignore-pot-creation-date --ignore-obsolete -D cucon -i $(LOCALE)/cucon.pot -o $$po -l $$(basename $$(dirname $$(dirname $$po))); \
	done

golden: setup-test  ## Regenerate the golden site that tests/test_golden.py compares against
	$(BIN)/python tests/golden.py

clean:
	rm -rf output __pycache__ .pytest_cache
