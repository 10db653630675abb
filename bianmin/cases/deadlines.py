"""The clock of a case (限时办结), computed only through ``workdays``.

- The promised working days count from the day *after* the materials were complete (after a
  correction, after the day it arrived; a deemed acceptance counts from receipt).
- A suspension pauses the clock: its working days are added when the case resumes, which moves
  the due date by as much.
- An approved extension adds its working days.
- The yellow warning comes when 80 % of the limit is used (rounded up, and at the latest at the
  start of the last day); red is overdue.
- A date that depends on a year whose holiday schedule is not published is ``provisional``.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.utils import timezone

from bianmin.workdays.services import add_working_days, due_at, working_days_between

NOTICE_LIMIT_DAYS = (
    5  # 行政许可法 第三十二条: tell everything at once, on the spot or within 5 days
)
YELLOW_SHARE = 0.8
DEFAULT_PLEDGE_GRACE_DAYS = 5


def local_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def intake_deadline(start: dt.datetime | dt.date) -> dt.date:
    """The last working day on which the one-time notice may still be given."""
    return add_working_days(start, NOTICE_LIMIT_DAYS).date


@dataclass(frozen=True)
class Clock:
    due_at: dt.datetime | None
    warn_at: dt.datetime | None
    provisional: bool


def clock(started_on: dt.date | None, total_days: int | None, paused_days: int = 0) -> Clock:
    """Due and yellow-warning moments for ``total_days`` counted after ``started_on``."""
    if started_on is None or total_days is None:
        return Clock(None, None, False)
    due, result = due_at(dt.datetime.combine(started_on, dt.time(12)), total_days + paused_days)
    provisional = result.provisional
    yellow_day = math.ceil(total_days * YELLOW_SHARE)
    if total_days == 0:
        warn = due
    elif yellow_day >= total_days:
        warn = timezone.make_aware(dt.datetime.combine(result.date, dt.time(0, 0)))
    else:
        warn, warn_result = due_at(
            dt.datetime.combine(started_on, dt.time(12)), yellow_day + paused_days
        )
        provisional = provisional or warn_result.provisional
    return Clock(due, warn, provisional)


def paused_working_days(since: dt.datetime, until: dt.datetime) -> int:
    """Working days a suspension took: those after the day it began, up to its last day."""
    return max(working_days_between(local_date(since), local_date(until)).count, 0)


def level(case, now: dt.datetime) -> str:
    """``red`` (overdue), ``yellow`` (80 % used), ``green``, ``paused`` or ``""`` (no clock)."""
    return level_of(case.state, case.due_at, case.warn_at, now)


def level_of(state: str, due: dt.datetime | None, warn: dt.datetime | None, now) -> str:
    """``level`` from the bare values (for list rows read as dicts)."""
    from .machine import CLOCK_STATES, State

    if state == State.SUSPENDED:
        return "paused"
    if state not in CLOCK_STATES or due is None:
        return ""
    if now > due:
        return "red"
    if warn is not None and now >= warn:
        return "yellow"
    return "green"


def pledge_termination_day(case) -> dt.date | None:
    """The last day of the grace a broken pledge gets before the case is terminated."""
    from .models import DeferralRule

    if case.suspended_at is None or case.pledge_status != "overdue":
        return None
    rule = DeferralRule.objects.filter(item_id=case.item_id).first()
    if rule is not None and not rule.terminate:
        return None
    grace = rule.grace_days if rule is not None else DEFAULT_PLEDGE_GRACE_DAYS
    return add_working_days(local_date(case.suspended_at), grace).date
