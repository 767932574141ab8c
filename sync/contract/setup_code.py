"""One-time set-up codes and the set-up text that carries one (docs/server.md "Set-up codes").

A township issues a code for one account; the person types or pastes it into the app, which
redeems it once for a device token.  A code is 12 characters of Crockford's base 32 (digits
and capitals without I, L, O and U), shown in groups of four: ``K7QM-3XHP-W9TD``, 60 random
bits.  Whatever a person types is read back generously: lower case, spaces, dashes of any
kind, full-width characters, and the look-alikes I/L for 1 and O for 0.

The set-up text names the server, the code, the user and the expiry, one ``key: value`` a
line, each key in Chinese and English::

    灾情直报 设置码 / set-up code
    服务器 server: http://192.168.1.10:8765
    设置码 code: K7QM-3XHP-W9TD
    用户 user: wafang_b
    有效期至 expires: 2024-08-08 14:30 (UTC+8)
    只能使用一次 / works once

Qt-free and FastAPI-free: the server writes the text, the app reads it.
"""

from __future__ import annotations

import secrets
import unicodedata
from datetime import datetime

from sync.contract.china_time import CHINA_TZ

#: Crockford's base 32: no I, L, O or U, so nothing is read as something else.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12
GROUP = 4
#: Letters a person may type for the digit they look like.
_LOOK_ALIKES = str.maketrans({"I": "1", "L": "1", "O": "0"})
#: Separators dropped from a typed code (after NFKC, full-width forms are plain already).
_SEPARATORS = str.maketrans("", "", " -_.\u2010\u2011\u2012\u2013\u2014\u2212\u00a0\t")

TITLE = "灾情直报 设置码 / set-up code"
SERVER_KEY = "服务器 server"
CODE_KEY = "设置码 code"
USER_KEY = "用户 user"
EXPIRES_KEY = "有效期至 expires"
FOOTER = "只能使用一次 / works once"
#: The time zone the expiry is written in (China Standard Time).
TEXT_TZ = CHINA_TZ  # the one definition: sync/contract/china_time.py
TEXT_TIME_FORMAT = "%Y-%m-%d %H:%M"


def new_code() -> str:
    """Return a fresh code (12 characters of ``ALPHABET``, without separators)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    """Return ``code`` in groups of four joined by dashes: ``K7QM-3XHP-W9TD``."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def normalize_code(typed: str) -> str | None:
    """Return the code a person typed in its plain form, or ``None`` if it is not one."""
    text = unicodedata.normalize("NFKC", typed).upper().translate(_SEPARATORS)
    text = text.translate(_LOOK_ALIKES)
    if len(text) != CODE_LENGTH or any(c not in ALPHABET for c in text):
        return None
    return text


def expiry_text(expires_at: datetime) -> str:
    """Return the expiry as the set-up text writes it: ``2024-08-08 14:30 (UTC+8)``."""
    return expires_at.astimezone(TEXT_TZ).strftime(TEXT_TIME_FORMAT) + " (UTC+8)"


def setup_text(server_url: str | None, code: str, username: str, expires_at: datetime) -> str:
    """Return the set-up text to hand over (``server_url`` ``None``: no server line)."""
    lines = [TITLE]
    if server_url:
        lines.append(f"{SERVER_KEY}: {server_url}")
    lines += [
        f"{CODE_KEY}: {format_code(code)}",
        f"{USER_KEY}: {username}",
        f"{EXPIRES_KEY}: {expiry_text(expires_at)}",
        FOOTER,
    ]
    return "\n".join(lines) + "\n"
