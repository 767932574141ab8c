# The two commands a newcomer needs: `make demo` and `make test`.  Both create .venv themselves.
# While editing: `make test-fast` (no slow, bundle or soak tests; 6 to 8 minutes here) and `make check`
# (ruff, ruff format --check, mypy --strict).  `.ci/run` runs `make check` and `make test`.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
TS     := $(wildcard resources/translations/*.ts)
QM     := $(TS:.ts=.qm)
UI_SOURCES := informant_app/app.py $(shell find informant_app/ui informant_app/demo -name '*.py')

.PHONY: demo test test-fast check lint format-check types format venv translations lupdate clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[server,dev]'
	@touch $(STAMP)

# Qt Linguist: the .ts files are the source in git; the .qm files are built here (all of them:
# informant_zh_CN, the app's own, kept by `make lupdate`, and qt_extra_zh_CN, written by hand:
# Qt's texts that Qt's own qtbase_zh_CN lacks, such as the file dialog's "Look in:").
%.qm: %.ts $(STAMP)
	$(VENV)/bin/pyside6-lrelease -silent $< -qm $@

translations: $(QM)

lupdate: $(STAMP)
	$(VENV)/bin/pyside6-lupdate $(UI_SOURCES) -ts resources/translations/informant_zh_CN.ts

# The tests run on four processes (pytest-xdist, twice the CI machine's two cores: most tests
# spend much of their time waiting on servers, sockets and timers), each file on one;
# tests/conftest.py starts the long files first and runs one PostgreSQL test at a time.
# `make test` measures the coverage of informant_app and sync in pytest's processes (not in
# the city servers and apps that tests start as subprocesses) and fails under COV_FLOOR
# percent.  PYTEST_ARGS passes more options (PYTEST_ARGS='-x -k sync'); XDIST= runs serially.
PYTEST      := QT_QPA_PLATFORM=offscreen $(PY) -m pytest
PYTEST_ARGS ?=
XDIST       ?= -n 4 --dist loadfile --no-loadscope-reorder
COV_FLOOR   := 91
COVERAGE    := --cov --cov-report=term:skip-covered --cov-fail-under=$(COV_FLOOR)

test: $(STAMP) translations
	$(PYTEST) -q $(XDIST) $(COVERAGE) $(PYTEST_ARGS)

# The edit-test loop: everything but the slow, bundle and soak tests, without coverage.
test-fast: $(STAMP) translations
	$(PYTEST) -q $(XDIST) -m 'not slow and not bundle' $(addprefix --ignore=,$(SOAK_TESTS)) \
		$(PYTEST_ARGS)

demo: $(STAMP) translations
	$(PY) -m informant_app.demo

# The user guide's screenshots (resources/guide/shots/*.png), made from the real app offscreen
# in Chinese at 1366x768 with a city server of its own; re-run whenever the screens change.
.PHONY: guide-shots
guide-shots: $(STAMP) translations
	QT_QPA_PLATFORM=offscreen $(PY) tools/make_guide_shots.py

# `make check`: the linter, the formatter's check and the strict type check; `make -k check`
# runs all three even when one fails.  `make format` rewrites the files as `ruff format` wants.
LINT_PATHS  := informant_app sync tests bench tools
TYPED_PATHS := informant_app sync tests bench tools

check: lint format-check types

lint: $(STAMP)
	$(VENV)/bin/ruff check $(LINT_PATHS)

format-check: $(STAMP)
	$(VENV)/bin/ruff format --check $(LINT_PATHS)

types: $(STAMP)
	$(VENV)/bin/mypy $(TYPED_PATHS)

format: $(STAMP)
	$(VENV)/bin/ruff format $(LINT_PATHS)

clean:
	rm -rf $(VENV) demo-data $(QM) build dist .coverage .coverage.*

# The desktop app as one folder (PyInstaller, build.spec): dist/<name>/<name>, <name> from
# pyproject.toml.  PyInstaller comes from the `bundle` extra, into the same .venv.  The folder is
# rebuilt only when the app, the shared `sync` code (not the server), the resources or the
# packaging changed.  `make bundle-test` builds it and runs the frozen app (also in `make test`).
.PHONY: bundle bundle-test
BUNDLE_NAME    := $(shell sed -n 's/^name *= *"\(.*\)"/\1/p' pyproject.toml | head -n 1)
BUNDLE_EXE     := dist/$(BUNDLE_NAME)/$(BUNDLE_NAME)
BUNDLE_STAMP   := $(VENV)/.bundle-installed
BUNDLE_SOURCES := build.spec pyproject.toml $(QM) $(shell find informant_app sync packaging \
	-type f \( -name '*.py' -o -name '*.mako' -o -name '*.ini' \) -not -path 'sync/server/*'; \
	find resources -type f -not -path 'resources/translations/*')

$(BUNDLE_STAMP): $(STAMP) pyproject.toml
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[bundle]'
	@touch $@

$(BUNDLE_EXE): $(BUNDLE_STAMP) $(BUNDLE_SOURCES)
	$(VENV)/bin/pyinstaller --noconfirm --clean --log-level WARN build.spec
	@touch $@
	@du -sh dist/$(BUNDLE_NAME)

bundle: $(BUNDLE_EXE)

bundle-test: $(STAMP) translations
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q tests/bundle

# Reliability (issue 9, RELIABILITY.md) and the sync guarantees of issue 4 for a long time:
# SOAK_ITERATIONS SIGKILLs of `informant-app sync`, at least 500 SIGKILLs of the app while it
# saves, submits and syncs, SOAK_ITERATIONS/20 server kills mid-batch on SQLite and on
# PostgreSQL (mandatory: REQUIRE_POSTGRES=1), fault-proxy runs of every kind, and Schemathesis
# with SOAK_ITERATIONS/5 cases per operation and role, and a sign-in flood of 80 connections
# for SOAK_ITERATIONS/5 s beside syncing devices.  ``make test`` runs each a few times.
# Each file runs in a pytest session of its own, so with a city server of its own: a device
# that joins late pulls the whole history, and one file's thousands of reports would slow the
# next file's every iteration.
.PHONY: soak
SOAK_ITERATIONS ?= 150
SOAK_TESTS := $(addprefix tests/integration/,test_app_crash_soak.py test_sync_kill.py \
	test_sync_outage.py test_sync_faults.py test_sync_captive_portal.py test_sync_clock.py \
	test_sync_conflicts.py test_server_kill.py) tests/server/test_schema_fuzz.py \
	tests/bench/test_signin_flood.py
soak: $(STAMP) translations
	@set -e; for t in $(SOAK_TESTS); do \
		echo "== $$t (SOAK_ITERATIONS=$(SOAK_ITERATIONS))"; \
		SOAK_ITERATIONS=$(SOAK_ITERATIONS) REQUIRE_POSTGRES=1 QT_QPA_PLATFORM=offscreen \
			$(PY) -m pytest -q -s -p no:cacheprovider $$t; \
	done

# Benchmarks (issue 8, BENCHMARKS.md): each figure beside its comparison, measured in the same
# run; prints a table and writes bench-results.json.  BENCH_ARGS=--quick for the small sizes,
# --no-postgres without PostgreSQL, --only push,wire for some.
.PHONY: bench
BENCH_ARGS ?=
bench: $(STAMP)
	$(VENV)/bin/python -m bench --out bench-results.json $(BENCH_ARGS)
