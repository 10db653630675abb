"""The feedback timers: send the rating link of a case just finished by SMS, escalate overdue
rectifications and reports to the county, and apply a center's default rule to services left
unrated.

The cases scheduler (``bianmin.cases.scheduler``) has no registration point for other apps'
timers, so these run from their own command, ``bianmin feedback_timers [--interval 60] [--once]``.
Each timer locks its row and re-checks its guard, so a second round (or a second process) does
nothing, and a notification's unique key sends once.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter

from django.db.models import Q
from django.utils import timezone

from bianmin.cases.models import CaseEvent

from . import services
from .models import FeedbackSettings, RatingInvitation, Rectification, UnresolvedReport

log = logging.getLogger("bianmin.feedback.timers")
BATCH = 500
FINISHED = [str(s) for s in services.RATEABLE_CASE_STATES]


def due_work(now) -> dict[str, list[int]]:
    satisfied_centers = FeedbackSettings.objects.filter(
        unrated_rule=FeedbackSettings.UnratedRule.SATISFIED
    ).values("center_id")
    # Cases finished in the last two days, found through the event log's index on time.
    finished = (
        CaseEvent.objects.filter(at__gte=now - dt.timedelta(days=2), to_state__in=FINISHED)
        .exclude(case__rating_invitation__invited_at__isnull=False)
        .order_by("case_id")
        .values_list("case_id", flat=True)
        .distinct()[:BATCH]
    )
    return {
        "invite_by_sms": list(finished),
        "escalate_rectification": list(
            Rectification.objects.filter(
                state__in=Rectification.OPEN_STATES, escalated_at__isnull=True, due_at__lt=now
            )
            .order_by("pk")
            .values_list("pk", flat=True)[:BATCH]
        ),
        "escalate_report": list(
            UnresolvedReport.objects.filter(
                state__in=UnresolvedReport.OPEN_STATES, escalated_at__isnull=True, due_at__lt=now
            )
            .order_by("pk")
            .values_list("pk", flat=True)[:BATCH]
        ),
        "default_rule": list(
            RatingInvitation.objects.filter(
                Q(center_id__in=satisfied_centers), expires_at__lt=now, rating__isnull=True
            )
            .order_by("pk")
            .values_list("pk", flat=True)[:BATCH]
        ),
    }


RUNNERS = {
    "invite_by_sms": services.invite_by_sms,
    "escalate_rectification": services.escalate_overdue,
    "escalate_report": services.escalate_report,
    "default_rule": services.apply_default_rule,
}


def run_timers(now=None) -> Counter:
    """One round; returns how many rows each timer changed. Idempotent."""
    now = now or timezone.now()
    done: Counter = Counter()
    for name, ids in due_work(now).items():
        for pk in ids:
            try:
                if RUNNERS[name](pk, now=now) is not None:
                    done[name] += 1
            except Exception:  # one bad row must not stop the round
                log.exception("feedback timer %s failed for %s", name, pk)
    return done
