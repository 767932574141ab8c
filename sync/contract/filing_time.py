"""Filing times and device clocks: how far a device clock is off, and what the server believes.

A version's ``submitted_at`` is the device's clock at submission.  The server measures each
device's clock skew at push (device time of the request minus the server's receipt time) and
bounds the claim with ``correct_filing_time``: skew-corrected when the device clock is off by
more than ``CLOCK_TOLERANCE``, never after the receipt, never older than ``MAX_FILING_AGE``.
``clock_words`` says how far a clock is off in words, for the rules (R10) and the review.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

#: A device clock off by at most this much is taken as right (drift, network time).
CLOCK_TOLERANCE = timedelta(minutes=5)
#: A filing time older than this before the receipt is not believed (a device offline for a
#: month is very rare; a back-dated claim is the likelier cause).
MAX_FILING_AGE = timedelta(days=30)


class TimeFlag(StrEnum):
    """Why the server corrected a filing time (``ReportVersion.time_flag``)."""

    #: The device clock was off; the claim was moved by the measured skew.
    SKEW_CORRECTED = "skew_corrected"
    #: Even so the time lay after the receipt: the receipt time was taken.
    FUTURE = "future"
    #: Even so the time lay more than ``MAX_FILING_AGE`` before the receipt: receipt taken.
    TOO_OLD = "too_old"


@dataclass(frozen=True)
class FilingTime:
    """The filing time the server keeps, and what the device claimed when they differ.

    Attributes:
        submitted_at: on the server's clock, never after the receipt (``None``: no claim).
        device_submitted_at: the device's claim when ``submitted_at`` differs from it.
        flag: why it was corrected; ``None`` when the claim was taken (or only trimmed to
            the receipt within the tolerance).
    """

    submitted_at: datetime | None
    device_submitted_at: datetime | None = None
    flag: TimeFlag | None = None


def correct_filing_time(
    claimed: datetime | None, received: datetime, skew_seconds: float | None
) -> FilingTime:
    """Return the filing time the server keeps for a version claimed filed at ``claimed``.

    ``skew_seconds`` is the device clock minus the server clock, measured at this push
    (``None`` when the device sent no time).  Beyond ``CLOCK_TOLERANCE`` the claim is moved by
    it (``skew_corrected``); then a time more than the tolerance after ``received`` becomes
    ``received`` (``future``), one within it is trimmed to ``received`` silently, and one more
    than ``MAX_FILING_AGE`` before it becomes ``received`` (``too_old``).
    """
    if claimed is None:
        return FilingTime(None)
    at, flag = claimed, None
    if skew_seconds is not None and abs(skew_seconds) > CLOCK_TOLERANCE.total_seconds():
        try:
            at, flag = claimed - timedelta(seconds=skew_seconds), TimeFlag.SKEW_CORRECTED
        except OverflowError:  # a clock thousands of years off
            at = received + 2 * CLOCK_TOLERANCE
    if at > received + CLOCK_TOLERANCE:
        at, flag = received, TimeFlag.FUTURE
    elif at > received:
        at = received
    elif at < received - MAX_FILING_AGE:
        at, flag = received, TimeFlag.TOO_OLD
    return FilingTime(at, None if at == claimed else claimed, flag)


def clock_words(skew_seconds: float) -> tuple[str, str]:
    """Return how far a clock is off, roughly, in Chinese and English: ``("3 年", "3 years")``."""
    seconds = abs(skew_seconds)
    for limit, unit, zh, en in (
        (365.25 * 86400, 365.25 * 86400, "年", "year"),
        (30 * 86400, 30 * 86400, "个月", "month"),
        (86400, 86400, "天", "day"),
        (3600, 3600, "小时", "hour"),
    ):
        if seconds >= limit:
            n = round(seconds / unit)
            return f"{n} {zh}", f"{n} {en}{'s' if n != 1 else ''}"
    n = max(1, round(seconds / 60))
    return f"{n} 分钟", f"{n} minute{'s' if n != 1 else ''}"


def clock_is_off(skew_seconds: float | None) -> bool:
    """Return whether a measured skew is beyond ``CLOCK_TOLERANCE``."""
    return skew_seconds is not None and abs(skew_seconds) > CLOCK_TOLERANCE.total_seconds()
