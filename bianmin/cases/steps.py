"""Which steps of a guide the back office walks through, in order.

A guide's procedure (办理流程) names every step from the applicant's point of view: 申请, 受理,
审查, 决定, 送达 … The front desk does receipt, acceptance and hand-out (前台综合受理、综合窗口
出件); the back office does the rest, in the guide's order. A step belongs to the front desk when
its name says so (the words below); the officer completes the other steps one by one, and the
decision (approve / deny) completes the last of them.
"""

from __future__ import annotations

FRONT_DESK_WORDS = ("申请", "受理", "收件", "送达", "领取", "出件", "寄递", "发放", "领证")


def is_front_desk(name: str) -> bool:
    return any(word in name for word in FRONT_DESK_WORDS)


def back_office_steps(guide) -> list:
    """The guide's normal steps that the back office does, in order (prefetched when possible)."""
    steps = [s for s in guide.steps.all() if not s.special]
    steps.sort(key=lambda s: (s.order, s.pk))
    return [s for s in steps if not is_front_desk(s.name)]
