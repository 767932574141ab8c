"""``city-server --db postgresql://… serve --workers 4``: several processes, one database."""

from __future__ import annotations

import pytest
import requests

from tests.server.factories import batch, content, item
from tests.server.test_cli import cli_env
from tests.server.test_concurrency import run_threads
from tests.support.city_server import CityServer
from tests.support.places import SHUIGOU, WAFANG


@pytest.mark.slow
def test_four_workers_serve_one_database(
    db_url: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("several server processes are a PostgreSQL set-up")
    tmp = tmp_path_factory.mktemp("workers")
    env = cli_env(tmp)
    env["CITY_DEBUG_WORKER_PID"] = "1"
    env["CITY_PHOTO_DIR"] = str(tmp / "photos")
    server = CityServer(tmp / "city", db_url, workers=4, env=env)
    server.init()
    passwords = server.passwords
    base = server.url
    try:
        server.start()
        tokens = {}
        for user in ("wafang_a", "wafang_b", "shuigou_a", "shuigou_b"):
            r = requests.post(
                f"{base}/api/v1/auth/login",
                timeout=30,
                json={"username": user, "password": passwords[user], "device_id": f"dev-{user}"},
            )
            assert r.status_code == 200, r.text
            tokens[user] = r.json()["token"]
        users = list(tokens)
        villages = {
            "wafang_a": WAFANG,
            "wafang_b": WAFANG,
            "shuigou_a": SHUIGOU,
            "shuigou_b": SHUIGOU,
        }
        pushed: list[list[str]] = [[] for _ in range(8)]
        pids: set[str] = set()

        def push(i: int) -> None:
            user = users[i % len(users)]
            for _ in range(10):
                versions = [item(content(villages[user])) for _ in range(20)]
                r = requests.post(
                    f"{base}/api/v1/reports/batch",
                    timeout=60,
                    headers={"Authorization": f"Bearer {tokens[user]}"},
                    json=batch(f"dev-{user}", versions),
                )
                assert r.status_code == 200, r.text
                assert {x["status"] for x in r.json()["results"]} == {"accepted"}
                pids.add(r.headers["X-Worker-Pid"])
                pushed[i] += [v["version_uuid"] for v in versions]

        run_threads(8, push)
        for _ in range(40):  # fresh connections spread over the workers
            pids.add(requests.get(f"{base}/health", timeout=10).headers["X-Worker-Pid"])
        # Everything arrived: the city admin's listing holds every report pushed.
        r = requests.post(
            f"{base}/api/v1/auth/login",
            timeout=30,
            json={
                "username": "baoshan_city",
                "password": passwords["baoshan_city"],
                "device_id": "city-pc",
            },
        )
        h = {"Authorization": f"Bearer {r.json()['token']}"}
        listed: set[str] = set()
        cursor = None
        while True:
            page = requests.get(
                f"{base}/api/v1/reports",
                headers=h,
                timeout=30,
                params={"limit": 500, **({"cursor": cursor} if cursor else {})},
            ).json()
            listed |= {x["current_version_uuid"] for x in page["reports"]}
            if not page["has_more"]:
                break
            cursor = page["cursor"]
        assert listed == {v for p in pushed for v in p}
        assert len(pids) > 1, f"only one worker answered: {pids}"
    finally:
        server.stop()
