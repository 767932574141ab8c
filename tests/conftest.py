"""How the tests share four processes under pytest-xdist (``make test``, ``make test-fast``).

``make`` runs pytest with ``-n 4 --dist loadfile --no-loadscope-reorder`` (twice the CI
machine's two cores: most tests spend much of their time waiting): each test file runs
on one process (its module-scoped servers and databases are built once), in the order this
hook sorts the files.  Without xdist (plain ``pytest``, ``-p no:xdist``) nothing here applies.

- **Long work starts first**: the bundle build, then the end-to-end files (``integration``,
  ``bench``) and every file with a ``slow`` test, then the rest, each in its collected order.
  A long file started last would keep one process busy while the others have nothing left.
- **One PostgreSQL test at a time.**  The change feed on PostgreSQL
  (``sync/server/services/changes.py``) hands out only the rows below the oldest transaction
  still open anywhere in the database cluster, so a test that writes and then pulls would see
  nothing new while a test on another process holds a transaction open.  A PostgreSQL test
  (a parameter of it is ``postgresql``, in any case, or it has the ``postgresql`` mark) runs
  its set-up, call and tear-down holding a lock file that all the processes share.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Generator
from pathlib import Path

import pytest

LONG_FOLDERS = ("tests/integration/", "tests/bench/")


def uses_postgres(item: pytest.Item) -> bool:
    """Return whether ``item`` works on the PostgreSQL test database."""
    if item.get_closest_marker("postgresql") is not None:
        return True
    callspec = getattr(item, "callspec", None)
    params = callspec.params.values() if callspec is not None else ()
    return any(isinstance(value, str) and value.lower() == "postgresql" for value in params)


def _file(item: pytest.Item) -> str:
    return item.nodeid.split("::", 1)[0]


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return
    bundle = {_file(i) for i in items if i.get_closest_marker("bundle") is not None}
    slow = {_file(i) for i in items if i.get_closest_marker("slow") is not None}

    def rank(item: pytest.Item) -> int:
        file = _file(item)
        if file in bundle:
            return 0
        return 1 if file in slow or file.startswith(LONG_FOLDERS) else 2

    items.sort(key=rank)  # stable: each file keeps its tests together and in order


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Generator[None, object, object]:
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    if not run or not uses_postgres(item):
        return (yield)
    try:
        import fcntl
    except ImportError:  # Windows: no lock
        return (yield)
    lock = Path(tempfile.gettempdir()) / f"pytest-postgresql-{run}.lock"
    with lock.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            return (yield)
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
