"""The set-up text a township hands over, read as generously as people retype and paste it."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from informant_app.core.account.setup_text import (
    SetupText,
    SetupTextError,
    parse_setup_text,
    read_setup_file,
    write_setup_file,
)
from sync.contract.setup_code import format_code, new_code, normalize_code, setup_text

EXPIRES = datetime(2024, 8, 8, 6, 30, tzinfo=UTC)
TEXT = setup_text("http://192.168.1.10:8765", "K7QM3XHPW9TD", "wafang_b", EXPIRES)
WANTED = SetupText("K7QM-3XHP-W9TD", "http://192.168.1.10:8765", "wafang_b", EXPIRES)


def test_the_servers_text_reads_back() -> None:
    assert TEXT.splitlines()[4] == "有效期至 expires: 2024-08-08 14:30 (UTC+8)"
    assert parse_setup_text(TEXT) == WANTED


@pytest.mark.parametrize(
    "variant",
    [
        TEXT.replace("\n", "\r\n"),  # Notepad
        TEXT.replace(": ", "："),  # full-width colons
        TEXT.replace(": ", " :   ").replace("\n", "  \n   "),  # spaces everywhere
        TEXT.replace("K7QM-3XHP-W9TD", "k7qm-3xhp-w9td"),  # lower case
        TEXT.replace("K7QM-3XHP-W9TD", "K7QM 3XHP W9TD"),  # spaces for dashes
        TEXT.replace("K7QM-3XHP-W9TD", "ｋ７ｑｍ－３ｘｈｐ－ｗ９ｔｄ"),  # full-width
        TEXT.replace("8765\n", "8765/\n"),  # a trailing slash
        "\ufeff" + TEXT,  # a BOM
        "Server: http://192.168.1.10:8765\nCode: K7QM-3XHP-W9TD\nUser: wafang_b\n"
        "Expires: 2024-08-08 14:30\n",  # English keys only
        "服务器地址：192.168.1.10:8765\n设置码：K7QM3XHPW9TD\n用户名：wafang_b\n"
        "有效期至：2024-08-08 14:30\n",  # Chinese keys, typed
    ],
)
def test_variants_people_type_read_the_same(variant: str) -> None:
    assert parse_setup_text(variant) == WANTED


def test_lines_run_together_still_give_server_and_code() -> None:
    found = parse_setup_text(TEXT.replace("\n", " "))
    assert (found.code, found.server_url) == (WANTED.code, WANTED.server_url)


def test_look_alike_letters_are_read_as_digits() -> None:
    assert normalize_code("K7QM-3XHP-W9TO") == normalize_code("K7QM-3XHP-W9T0")
    assert normalize_code("iL00-0000-0000") == "110000000000"
    assert normalize_code("K7QM-3XHP-W9T") is None and normalize_code("K7QM-3XHP-W9TU") is None


def test_a_fresh_code_round_trips() -> None:
    for _ in range(50):
        code = new_code()
        assert normalize_code(format_code(code).lower()) == code


def test_the_code_alone_or_json() -> None:
    assert parse_setup_text("  k7qm3xhpw9td \n") == SetupText("K7QM-3XHP-W9TD")
    document = json.dumps(
        {
            "server_url": "https://zaiqing.example.cn/",
            "code": "K7QM3XHPW9TD",
            "username": "wafang_b",
            "expires_at": "2024-08-08T06:30:00Z",
        }
    )
    assert parse_setup_text(document) == SetupText(
        "K7QM-3XHP-W9TD", "https://zaiqing.example.cn", "wafang_b", EXPIRES
    )


@pytest.mark.parametrize(
    ("text", "code", "words"),
    [
        ("", "empty", "没有内容"),
        ("   \r\n ", "empty", "没有内容"),
        ("瓦房社区今日降雨 35 毫米，无人员伤亡。", "not_setup_text", "这不是设置码文本"),
        (
            "Dear colleague, the report for this week: 12 houses damaged.",
            "not_setup_text",
            "这不是设置码文本",
        ),
        ('{"reports": []}', "not_setup_text", "这不是设置码文本"),
        ("{not json", "not_setup_text", "这不是设置码文本"),
        ("设置码 code: K7QM-3XHP", "bad_code", "12 位字母和数字"),
        (
            "服务器 server: ftp://files\n设置码 code: K7QM-3XHP-W9TD",
            "bad_server",
            "服务器地址不正确",
        ),
    ],
)
def test_what_is_not_a_set_up_text_is_said_in_both_languages(
    text: str, code: str, words: str
) -> None:
    with pytest.raises(SetupTextError) as refused:
        parse_setup_text(text)
    error = refused.value
    assert error.code == code and words in error.message("zh_CN")
    assert error.message("en") == error.en and error.en and error.en != error.zh


def test_files_saved_for_notepad_read_back(tmp_path: Path) -> None:
    path = tmp_path / "设置码-wafang_b.txt"
    write_setup_file(path, TEXT)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw and b"\n\n" not in raw
    assert read_setup_file(path) == WANTED
    (tmp_path / "gbk.txt").write_bytes(TEXT.encode("gb18030"))
    assert read_setup_file(tmp_path / "gbk.txt") == WANTED
    (tmp_path / "utf16.txt").write_bytes(TEXT.encode("utf-16"))
    assert read_setup_file(tmp_path / "utf16.txt") == WANTED


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "不是设置码文件"),
        (b"x" * (65 * 1024), "不是设置码文件"),
    ],
)
def test_other_files_are_refused(tmp_path: Path, content: bytes, words: str) -> None:
    path = tmp_path / "photo.png"
    path.write_bytes(content)
    with pytest.raises(SetupTextError) as refused:
        read_setup_file(path)
    assert refused.value.code == "bad_file" and words in refused.value.zh


def test_a_missing_file_is_said_plainly(tmp_path: Path) -> None:
    with pytest.raises(SetupTextError) as refused:
        read_setup_file(tmp_path / "nowhere.txt")
    assert refused.value.code == "bad_file" and "nowhere.txt" in refused.value.en
