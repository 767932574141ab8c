"""A message in the users' two languages, and the error that carries one.

Every error a person can act on (bad input, disk full, wrong password, server unreachable)
carries its text in Chinese and English; the interface picks by the active language.
"""

from __future__ import annotations


def pick(lang: str, zh: str, en: str) -> str:
    """Return ``zh`` for a Chinese language code (``zh``, ``zh_CN``), else ``en``."""
    return zh if lang.startswith("zh") else en


class BilingualError(Exception):
    """An error with a plain message in Chinese and English.

    Attributes:
        zh: the message in Chinese.
        en: the message in English.
    """

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en

    def message(self, lang: str) -> str:
        """Return the message in ``lang``."""
        return pick(lang, self.zh, self.en)
