"""Read the set-up text (or file) a township hands over: server address, one-time code, user.

The format is ``sync.contract.setup_code``'s: one ``key: value`` a line.  Reading is generous,
since the text may have been retyped from paper, pasted from a chat or saved by Notepad:
keys in Chinese or English, full-width colons, CRLF, spaces, lower case, a code without its
dashes, the lines run together, or a JSON file with the same keys.  What is not a set-up text
is refused with a message in Chinese and English (``SetupTextError``).  Qt-free.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from informant_app.core.account.server_check import normalize_server_url
from sync.contract.setup_code import (
    TEXT_TIME_FORMAT,
    TEXT_TZ,
    format_code,
    normalize_code,
)

#: A set-up file is a few lines; anything larger is something else.
MAX_FILE_BYTES = 64 * 1024
#: The words a key may contain, per field (lower case).
KEY_WORDS: dict[str, tuple[str, ...]] = {
    "server": ("server", "服务器", "地址", "address", "url"),
    "code": ("code", "设置码", "激活码"),
    "user": ("user", "用户", "账号", "帐号"),
    "expires": ("expires", "有效期", "valid until"),
}
_KEY_LINE = re.compile(r"^\s*([^:：]{1,40}?)\s*[:：]\s*(.*?)\s*$")
_URL = re.compile(r"https?://[^\s\"'<>，。]+", re.IGNORECASE)
_GROUPED_CODE = re.compile(
    r"(?<![0-9A-Za-z])[0-9A-Za-z]{4}[- ][0-9A-Za-z]{4}[- ]"
    r"[0-9A-Za-z]{4}(?![0-9A-Za-z])"
)
_EXPIRY = re.compile(r"(\d{4}-\d{2}-\d{2})[ T](\d{1,2}:\d{2})")
_JSON_KEYS: dict[str, tuple[str, ...]] = {
    "server": ("server", "server_url", "url"),
    "code": ("code", "setup_code"),
    "user": ("user", "username"),
    "expires": ("expires", "expires_at"),
}


class SetupTextError(Exception):
    """A text or file that is not a usable set-up text, in Chinese and English.

    Attributes:
        zh: the message in Chinese.
        en: the message in English.
        code: ``empty``, ``not_setup_text``, ``bad_code``, ``bad_server`` or ``bad_file``.
    """

    def __init__(self, zh: str, en: str, code: str) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en
        self.code = code

    def message(self, lang: str) -> str:
        """Return the message in ``lang``."""
        return self.zh if lang.startswith("zh") else self.en


@dataclass(frozen=True)
class SetupText:
    """What a set-up text holds.

    Attributes:
        code: the one-time code, grouped (``K7QM-3XHP-W9TD``).
        server_url: the server's address (``None``: the text names none).
        username: the account the code is for, when named.
        expires_at: when the code stops working, when named (UTC).
    """

    code: str
    server_url: str | None = None
    username: str | None = None
    expires_at: datetime | None = None


def _not_setup_text() -> SetupTextError:
    return SetupTextError(
        "这不是设置码文本：没有找到“设置码 code: …”这一行。请粘贴乡镇发来的完整设置码文本，"
        "或打开设置码文件。",
        'This is not a set-up text: there is no line "code: …". Paste the whole set-up '
        "text from the township, or open the set-up file.",
        "not_setup_text",
    )


def _field_of(key: str) -> str | None:
    low = key.lower()
    for field, words in KEY_WORDS.items():
        if any(word in low for word in words):
            return field
    return None


def _fields_of_lines(text: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in text.splitlines():
        match = _KEY_LINE.match(line)
        field = _field_of(match.group(1)) if match else None
        if match is not None and field is not None and match.group(2):
            found.setdefault(field, []).append(match.group(2))
    return found


def _fields_of_json(text: str) -> dict[str, list[str]]:
    try:
        data: Any = json.loads(text)
    except ValueError:
        raise _not_setup_text() from None
    if not isinstance(data, dict):
        raise _not_setup_text()
    found = {}
    for field, keys in _JSON_KEYS.items():
        value = next((data[k] for k in keys if isinstance(data.get(k), str)), None)
        if value and value.strip():
            found[field] = [value.strip()]
    return found


def _expiry(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        match = _EXPIRY.search(value)
        if match is None:
            return None
        try:
            parsed = datetime.strptime(f"{match.group(1)} {match.group(2)}", TEXT_TIME_FORMAT)
        except ValueError:
            return None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=TEXT_TZ)).astimezone(UTC)


def _code(fields: dict[str, list[str]], text: str) -> str:
    """Return the plain code: of a code line, else any grouped code in the text."""
    typed = fields.get("code", [])
    for value in typed:
        if (code := normalize_code(value)) is not None:
            return code
    for grouped in _GROUPED_CODE.finditer(text):
        if (code := normalize_code(grouped.group(0))) is not None:
            return code
    if not typed:
        raise _not_setup_text()
    raise SetupTextError(
        f"设置码不完整或有误：“{typed[0]}”。设置码是 12 位字母和数字，如 K7QM-3XHP-W9TD。",
        f'The set-up code is incomplete or wrong: "{typed[0]}". A set-up code has 12 '
        "letters and digits, like K7QM-3XHP-W9TD.",
        "bad_code",
    )


def _server(fields: dict[str, list[str]], text: str) -> str | None:
    """Return the server's address: of a server line, else any web address in the text."""
    typed = fields.get("server", [])
    for value in typed:
        if (url := normalize_server_url(value)) is not None:
            return url
    found = _URL.search(text)
    if found is not None and (url := normalize_server_url(found.group(0))) is not None:
        return url
    if typed:
        raise SetupTextError(
            f"设置码文本中的服务器地址不正确：{typed[0]}",
            f"The server address in the set-up text is not valid: {typed[0]}",
            "bad_server",
        )
    return None


def parse_setup_text(text: str) -> SetupText:
    """Return what the set-up ``text`` holds.

    Raises:
        SetupTextError: empty, no code in it, a code that is not one, or a bad server address.
    """
    plain = unicodedata.normalize("NFKC", text.replace("\ufeff", "")).strip()
    if not plain:
        raise SetupTextError(
            "没有内容。请粘贴乡镇发来的设置码文本，或打开设置码文件。",
            "There is nothing to read. Paste the set-up text from the "
            "township, or open the set-up file.",
            "empty",
        )
    if plain.startswith("{"):
        fields = _fields_of_json(plain)
    elif len(plain) <= 20 and normalize_code(plain) is not None:
        fields = {"code": [plain]}  # the code alone
    else:
        fields = _fields_of_lines(plain)
    code = _code(fields, plain)
    server = _server(fields, plain)
    users = [v.split()[0] for v in fields.get("user", []) if v.split()]
    expiry = next((e for v in fields.get("expires", []) if (e := _expiry(v))), None)
    return SetupText(format_code(code), server, users[0] if users else None, expiry)


def _decode(raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError("not text")


def read_setup_file_text(path: Path) -> str:
    """Return the text of the set-up file at ``path`` (UTF-8, UTF-16 or GB18030).

    Raises:
        SetupTextError: the file cannot be read, is too large, or is not text.
    """
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise SetupTextError(
            f"无法读取文件 {path.name}：{exc.strerror or exc}",
            f"The file {path.name} cannot be read: {exc.strerror or exc}",
            "bad_file",
        ) from exc
    try:
        if len(raw) > MAX_FILE_BYTES:
            raise ValueError("too large")
        text = _decode(raw)
        if "\x00" in text:
            raise ValueError("binary")
    except ValueError:
        raise SetupTextError(
            f"{path.name} 不是设置码文件（太大，或不是文本）。",
            f"{path.name} is not a set-up file (too large, or not text).",
            "bad_file",
        ) from None
    return text


def read_setup_file(path: Path) -> SetupText:
    """Return what the set-up file at ``path`` holds (a ``.txt`` or ``.json`` file).

    Raises:
        SetupTextError: the file cannot be read, is not text, or is not a set-up text.
    """
    return parse_setup_text(read_setup_file_text(path))


def write_setup_file(path: Path, text: str) -> None:
    """Save a set-up text for Notepad on any Windows: UTF-8 with a BOM and CRLF line ends."""
    lines = text.replace("\r\n", "\n").split("\n")
    path.write_bytes("\r\n".join(lines).encode("utf-8-sig"))
