"""``informant-app login`` says on stderr when the address is unencrypted (plain http://)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from informant_app.commands.main import EXIT_INPUT, build_parser, run


def login(tmp_path: Path, server: str, lang: str = "en") -> tuple[int, str]:
    data = str(tmp_path / "data")
    args = build_parser().parse_args(
        [
            *("--data-dir", data, "--lang", lang, "login"),
            *("--server", server, "--user", "li", "--password-stdin"),
        ]
    )
    out, err = io.StringIO(), io.StringIO()
    code = run(args, out, err)
    return code, err.getvalue()


def test_login_warns_about_plain_http_to_another_host(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # no password: stops before the network
    code, err = login(tmp_path, "http://192.168.1.10:8765")
    assert code == EXIT_INPUT
    assert "not encrypted" in err and "https://" in err
    assert "未加密" in login(tmp_path, "http://county.example:8765", "zh_CN")[1]
    for quiet in ("http://127.0.0.1:8765", "http://localhost:8765", "https://county.example"):
        assert "not encrypted" not in login(tmp_path, quiet)[1], quiet
