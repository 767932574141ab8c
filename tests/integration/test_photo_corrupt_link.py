"""A link that damages a photo chunk costs that chunk, not the photo (issue 18).

Below the app's HTTP client (so after the chunk's ``Content-Digest`` was computed) one photo
chunk has a byte flipped, once, on its way to the real city server.  The server refuses that
chunk alone (``chunk_corrupt``); the uploader sends it again and the photo completes in the
same round, every other byte sent once.  Before, the damaged bytes were kept, the whole photo
failed its SHA-256 at the end and was sent again from the start.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from requests.adapters import HTTPAdapter

from sync.client.api import SyncClient
from tests.integration.helpers import ServerView, device
from tests.integration.server_kill_checks import file_with_photos
from tests.support.city_server import CityServer

SIZE = 120_000
CHUNK = 16 * 1024


class DamagingLink:
    """Flips one byte of the first photo chunk past ``offset`` 0, once; records every PUT."""

    def __init__(self, send: Callable[..., requests.Response]) -> None:
        self._send = send
        self.damaged: list[tuple[int, int]] = []  # (offset, length)
        self.puts: list[tuple[int, int, int]] = []  # (offset, length, status)

    def __call__(
        self, adapter: HTTPAdapter, request: requests.PreparedRequest, *args: Any, **kwargs: Any
    ) -> requests.Response:
        if request.method != "PUT" or "/api/v1/photos/" not in (request.url or ""):
            return self._send(adapter, request, *args, **kwargs)
        offset = int(parse_qs(urlsplit(request.url or "").query)["offset"][0])
        body = request.body
        assert isinstance(body, bytes)
        if offset > 0 and not self.damaged:
            flipped = bytearray(body)
            flipped[len(flipped) // 2] ^= 0xFF
            request.body = bytes(flipped)
            self.damaged.append((offset, len(body)))
        response = self._send(adapter, request, *args, **kwargs)
        self.puts.append((offset, len(body), response.status_code))
        return response


def test_a_damaged_chunk_is_sent_again_alone(
    live_city: CityServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = device(live_city, tmp_path / "a", "wafang_a")
    try:
        [version] = file_with_photos(
            a.store, tmp_path / "photos", 1, 1, seed=918_273, sizes=(SIZE, SIZE)
        )
        [photo] = a.store.version_content(version).photos
        link = DamagingLink(HTTPAdapter.send)

        def send(
            adapter: HTTPAdapter, request: requests.PreparedRequest, *args: Any, **kwargs: Any
        ) -> requests.Response:
            return link(adapter, request, *args, **kwargs)

        monkeypatch.setattr(HTTPAdapter, "send", send)
        summary = a.engine(chunk_size=CHUNK).run_round()
        monkeypatch.undo()
        assert summary.problem is None and summary.photos_sent == 1, summary
        [(offset, length)] = link.damaged
        refused = [p for p in link.puts if p[2] != 200]
        assert refused == [(offset, length, 422)]  # chunk_corrupt, once
        # Every byte went once, the damaged chunk's twice: nothing restarted.
        assert sum(n for _, n, _ in link.puts) == photo.size + length
        assert [o for o, _, _ in link.puts].count(0) == 1
        view = ServerView(live_city)
        try:
            check = SyncClient(
                live_city.url, device_id=view.client.device_id, token=view.client.token
            )
            state = check.photo_state(photo.sha256)
            assert state.complete and state.received == photo.size
            check.close()
        finally:
            view.close()
    finally:
        a.close()
