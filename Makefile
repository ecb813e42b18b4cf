VENV ?= .venv
# The PostgreSQL pass: the tests whose servers keep state in the store (the S3, format and
# signature tests never reach it).
POSTGRES_TESTS ?= tests --ignore=tests/s3 --ignore=tests/formats --ignore=tests/auth
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

NODE_STAMP := tests/js/node_modules/.installed

.PHONY: run test stress bench clean chromium postgresql

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,postgres]'
	touch $(STAMP)

# The JavaScript SDK v3 tests' packages, pinned by tests/js/package-lock.json.
$(NODE_STAMP): tests/js/package.json tests/js/package-lock.json
	cd tests/js && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Debian's chromium, which the dashboard's browser test drives.
chromium:
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)

# Debian's PostgreSQL server, for the suite's second pass (a throw-away cluster it starts).
postgresql:
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq postgresql)

run: $(STAMP)
	$(VENV)/bin/twinport serve

# The suite runs twice: on SQLite, then with every server's store in PostgreSQL.
test: $(STAMP) $(NODE_STAMP) chromium postgresql
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench
	$(VENV)/bin/lint-imports --no-cache
	$(PY) -m pytest -n 2
	$(PY) tests/postgres_cluster.py -- $(PY) -m pytest -n 2 $(POSTGRES_TESTS)

# What `make test` does briefly, at length: many more fuzzed requests per operation, kills,
# clients, hostile files and round trips; it ends with a table of the fuzzed answers.
stress: $(STAMP)
	TWINPORT_STRESS=1 $(PY) -m pytest -q tests/robustness tests/roundtrip -p no:cacheprovider

bench: $(STAMP) postgresql
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(PY) -m pip install --quiet -e '.[bench]'
	# Start-up is measured as an installed twinport starts: from compiled bytecode.
	$(PY) -m compileall -q src
	$(PY) bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .twinport tests/js/node_modules
