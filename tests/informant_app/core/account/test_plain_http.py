"""The rule: plain http:// to a host other than this computer is unencrypted on the network."""

from __future__ import annotations

import pytest

from informant_app.core.account.plain_http import is_plain_http_remote


@pytest.mark.parametrize(
    ("url", "remote"),
    [
        ("http://192.168.1.10:8765", True),
        ("192.168.1.10:8765", True),  # no scheme: the app adds http://
        ("HTTP://County.Example/", True),
        ("http://[fe80::1]:8765", True),
        ("http://127.0.0.1:8765", False),
        ("http://127.8.0.1", False),
        ("http://localhost:8765", False),
        ("http://LOCALHOST.", False),
        ("http://[::1]:8765", False),
        ("http://[::ffff:127.0.0.1]:8765", False),
        ("https://192.168.1.10:8765", False),
        ("https://county.example", False),
        ("", False),
        ("http://[bad", False),
    ],
)
def test_plain_http_to_another_host(url: str, remote: bool) -> None:
    assert is_plain_http_remote(url) is remote
