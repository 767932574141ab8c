"""The minimum rules for a password set on the server (CLI ``user add``/``user passwd``).

One function, ``password_problem``: at least ``MIN_PASSWORD_LENGTH`` characters, not only
digits, and not one of the most common passwords.  It answers the reason in Chinese and
English, or ``None`` when the password is acceptable.
"""

from __future__ import annotations

MIN_PASSWORD_LENGTH = 10

#: The most common passwords (lower case).  The short and all-digit ones are refused by the
#: other two rules already; they are listed so that the list stays honest if those change.
COMMON_PASSWORDS = frozenset(
    {
        "password",
        "12345678",
        "123456789",
        "1234567890",
        "admin123",
        "password123",
        "password1234",
        "password12345",
        "passw0rd123",
        "qwertyuiop",
        "qwertyuiop123",
        "1qaz2wsx3edc",
        "1q2w3e4r5t",
        "1q2w3e4r5t6y",
        "q1w2e3r4t5",
        "qwerty123456",
        "qwe123456789",
        "abc1234567",
        "abcd123456",
        "abcdefghij",
        "a123456789",
        "aa12345678",
        "admin12345",
        "administrator",
        "iloveyou123",
        "woaini1314",
        "woaini520520",
        "passwordpassword",
        "1234567890a",
        "1234567890q",
        "zxcvbnm123",
        "asdfghjkl123",
        "qazwsxedcrfv",
        "changeme123",
        "welcome123",
        "letmein123",
    }
)


def password_problem(password: str) -> tuple[str, str] | None:
    """Return why ``password`` is refused as ``(zh, en)``, or ``None`` if it is acceptable."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return (
            f"密码至少 {MIN_PASSWORD_LENGTH} 个字符",
            f"a password needs at least {MIN_PASSWORD_LENGTH} characters",
        )
    if password.isdigit():
        return ("密码不能只由数字组成", "a password must not be digits only")
    if password.strip().lower() in COMMON_PASSWORDS:
        return ("这是最常见的密码之一，请换一个", "this is one of the most common passwords")
    return None
