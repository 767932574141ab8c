"""The real city server of the tests, and the free port: one class and one function for all.

They live in ``bench/server.py`` (the benchmarks use them too and must not import the tests);
this module is where the tests take them from.  ``CityServer(folder)`` runs ``city-server`` as a
subprocess on a free 127.0.0.1 port, with the data in ``folder`` (a test's ``tmp_path``, so
tests stay safe to run in parallel): ``with CityServer(folder) as city`` creates the Baoshan
sample and serves; ``init()``, ``start()`` and ``stop()`` do it step by step.  The fixtures that
hold one (``city``/``live_city`` in ``tests/integration``, ``city_server``/``own_city_server``
in ``tests/informant_app/ui``) keep their names in their folders' ``conftest.py``.
"""

from __future__ import annotations

from bench.server import (
    FAST_HASHING,
    ROOT,
    SERVER_ENV,
    START_TIMEOUT,
    CityServer,
    city_server_command,
    free_port,
)

__all__ = [
    "FAST_HASHING",
    "ROOT",
    "SERVER_ENV",
    "START_TIMEOUT",
    "CityServer",
    "city_server_command",
    "free_port",
]
