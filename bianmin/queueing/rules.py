"""The ticket's state machine, declared once: (state, action) → next state.

``services`` consults ``next_status`` before every change and refuses anything not in the
table with a Chinese message; ``docs/queue.md`` draws its diagram from ``TRANSITIONS``;
``tests/test_state_machine.py`` walks every pair.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .models import Ticket

S = Ticket.Status


class Action:
    CALL = "call"
    RECALL = "recall"
    START = "start"
    FINISH = "finish"
    HOLD = "hold"
    CALL_BACK = "call_back"
    NO_SHOW = "no_show"
    TRANSFER = "transfer"
    CANCEL = "cancel"
    EXPIRE = "expire"


ACTION_LABELS = {
    Action.CALL: _("call"),
    Action.RECALL: _("call again"),
    Action.START: _("start serving"),
    Action.FINISH: _("finish"),
    Action.HOLD: _("put on hold"),
    Action.CALL_BACK: _("call back"),
    Action.NO_SHOW: _("mark as not present"),
    Action.TRANSFER: _("transfer"),
    Action.CANCEL: _("cancel"),
    Action.EXPIRE: _("close at the end of the day"),
}

TRANSITIONS: dict[tuple[str, str], str] = {
    (S.WAITING, Action.CALL): S.CALLED,
    (S.WAITING, Action.CANCEL): S.CANCELLED,
    (S.WAITING, Action.EXPIRE): S.EXPIRED,
    (S.CALLED, Action.RECALL): S.CALLED,
    (S.CALLED, Action.START): S.SERVING,
    (S.CALLED, Action.FINISH): S.DONE,
    (S.CALLED, Action.HOLD): S.HELD,
    (S.CALLED, Action.NO_SHOW): S.NO_SHOW,
    (S.CALLED, Action.TRANSFER): S.WAITING,
    (S.CALLED, Action.EXPIRE): S.EXPIRED,
    (S.SERVING, Action.FINISH): S.DONE,
    (S.SERVING, Action.HOLD): S.HELD,
    (S.SERVING, Action.TRANSFER): S.WAITING,
    (S.SERVING, Action.EXPIRE): S.EXPIRED,
    (S.HELD, Action.CALL_BACK): S.CALLED,
    (S.HELD, Action.TRANSFER): S.WAITING,
    (S.HELD, Action.EXPIRE): S.EXPIRED,
}


def next_status(status: str, action: str) -> str | None:
    return TRANSITIONS.get((status, action))


def allowed_actions(status: str) -> list[str]:
    return [a for (s, a) in TRANSITIONS if s == status]
