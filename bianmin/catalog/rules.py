"""The rules a guide and an item must keep, written once and used everywhere.

Three kinds of problem, each a ``Problem`` with the path of the field and a Chinese message that
names it:

- ``form``: the value is malformed (a number out of range, an unknown choice, promised days
  above statutory days). Refused whenever anything is saved, in every state.
- ``missing``: an element of the 办事指南 is absent (no conditions, a material without its form …).
  A draft may be saved incomplete; reviewing, publishing and importing refuse it.
- ``accuracy``: the guide is complete but wrong (a fee without basis, a deferrable material on an
  item whose guide forbids 容缺, copies without a form). Refused like ``missing``.
- ``notice``: worth fixing but never refused (no FAQ, an application form without a blank form).

The guide audit runs the same rules over every published guide and adds its own per-center ones.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlparse

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from .models import Domain, GuideVersion, Material, ServiceItem

MAX_DAYS = 365
MAX_COPIES = 99
MAX_VISITS = 9

FORM = "form"
MISSING = "missing"
ACCURACY = "accuracy"
NOTICE = "notice"
BLOCKING = frozenset({FORM, MISSING, ACCURACY})


@dataclass(frozen=True)
class Problem:
    path: tuple
    kind: str
    code: str
    message: str  # with the field's name: "承诺时限：不能超过法定时限（20个工作日）。"
    detail: str = ""  # the same without the field's name (Excel reports name the cell instead)


LABELS = {
    # guide
    "conditions": gettext_lazy("Conditions"),
    "materials": gettext_lazy("Materials"),
    "steps": gettext_lazy("Steps"),
    "special_steps": gettext_lazy("Special steps"),
    "statutory_days": gettext_lazy("Statutory time limit"),
    "promised_days": gettext_lazy("Promised time limit"),
    "time_limit_note": gettext_lazy("Time limit note"),
    "allows_deferral": gettext_lazy("Deferred materials allowed"),
    "fees": gettext_lazy("Fees"),
    "visits": gettext_lazy("Visits to the hall"),
    "result_type": gettext_lazy("Result type"),
    "result_name": gettext_lazy("Result name"),
    "result_sample": gettext_lazy("Result sample"),
    "online_url": gettext_lazy("Online application address"),
    "faq": gettext_lazy("Questions and answers"),
    # material
    "name": pgettext_lazy("catalogue field", "Name"),
    "necessity": gettext_lazy("Necessity"),
    "condition_note": gettext_lazy("When needed"),
    "form": gettext_lazy("Material form"),
    "paper_copies": gettext_lazy("Paper copies"),
    "specification": gettext_lazy("Paper specification"),
    "source_channel": gettext_lazy("Source channel"),
    "source_note": gettext_lazy("Source note"),
    "acceptance_standard": gettext_lazy("Acceptance standard"),
    "basis": gettext_lazy("Basis"),
    "notes": gettext_lazy("Notes"),
    "deferrable": gettext_lazy("May be deferred"),
    "blank_form": gettext_lazy("Blank form"),
    "sample": gettext_lazy("Filled sample"),
    # step, fee, faq
    "description": gettext_lazy("Description"),
    "days": gettext_lazy("Working days"),
    "counts_in_limit": gettext_lazy("Counts in the time limit"),
    "standard": gettext_lazy("Fee standard"),
    "exemption": gettext_lazy("Reduction or exemption"),
    "question": gettext_lazy("Question"),
    "answer": gettext_lazy("Answer"),
    # item
    "basic_code": gettext_lazy("Basic code"),
    "implementation_code": gettext_lazy("Implementation code"),
    "domain": gettext_lazy("Domain"),
    "item_type": gettext_lazy("Item type"),
    "legal_basis": pgettext_lazy("catalogue", "Legal basis"),
    "implementing_body": gettext_lazy("Implementing body"),
    "handling_level": gettext_lazy("Handling level"),
    "frequency": gettext_lazy("Frequency class"),
    "service_object": gettext_lazy("Service object"),
    "channels": gettext_lazy("Channels"),
    "supports_appointment": gettext_lazy("Appointment"),
    "supports_express": gettext_lazy("Express delivery"),
    "supports_online_payment": gettext_lazy("Online payment"),
    "cross_region": gettext_lazy("Cross-region scope"),
    "life_events": gettext_lazy("Life events"),
    "keywords": gettext_lazy("Other names"),
    "status": gettext_lazy("Status"),
    "cancelled_at": gettext_lazy("Cancelled at"),
    "cancel_reason": gettext_lazy("Reason for cancelling"),
    "full_name": gettext_lazy("Full name"),
    "department_suffix": gettext_lazy("County department suffix"),
    "window_group": gettext_lazy("Window group"),
    "code": gettext_lazy("Code"),
    "life_event": gettext_lazy("Life event"),
    "items": gettext_lazy("Items"),
}
LIST_LABELS = {
    "materials": gettext_lazy("Material %(n)s"),
    "steps": gettext_lazy("Step %(n)s"),
    "special_steps": gettext_lazy("Special step %(n)s"),
    "fees": gettext_lazy("Fee %(n)s"),
    "faq": gettext_lazy("Question %(n)s"),
    "items": gettext_lazy("Item %(n)s"),
    "domains": gettext_lazy("Domain %(n)s"),
    "bundles": gettext_lazy("Bundle %(n)s"),
}


def field_label(path: tuple) -> str:
    """材料2（户口簿）·材料形式 style label for a path like ("materials", 1, "form")."""
    parts: list[str] = []
    i = 0
    while i < len(path):
        key = path[i]
        if key in LIST_LABELS and i + 1 < len(path) and isinstance(path[i + 1], int):
            parts.append(str(LIST_LABELS[key] % {"n": path[i + 1] + 1}))
            i += 2
            continue
        if key == "guide":
            i += 1
            continue
        parts.append(str(LABELS.get(key, key)))
        i += 1
    return "·".join(parts)


def _p(path: tuple, kind: str, code: str, message: str) -> Problem:
    return Problem(path, kind, code, f"{field_label(path)}：{message}", str(message))


def _choice(value, choices) -> bool:
    return value in {c for c, _label in choices}


def _choices_text(choices) -> str:
    return "、".join(str(label) for value, label in choices if value)


def _int_problem(path, value, *, lo: int, hi: int, required: bool = False) -> Problem | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        return _p(path, FORM, "not_a_number", _("must be a whole number."))
    if not lo <= value <= hi:
        return _p(
            path,
            FORM,
            "out_of_range",
            _("must be between %(lo)s and %(hi)s.") % {"lo": lo, "hi": hi},
        )
    return None


# --- Guides ---------------------------------------------------------------------------------------


def guide_form_problems(guide: dict, prefix: tuple = ()) -> list[Problem]:
    """Malformed values: refused at every save."""
    out: list[Problem] = []

    def add(problem):
        if problem is not None:
            out.append(problem)

    add(_int_problem(prefix + ("statutory_days",), guide["statutory_days"], lo=0, hi=MAX_DAYS))
    add(_int_problem(prefix + ("promised_days",), guide["promised_days"], lo=0, hi=MAX_DAYS))
    add(_int_problem(prefix + ("visits",), guide["visits"], lo=0, hi=MAX_VISITS))
    s, p = guide["statutory_days"], guide["promised_days"]
    if isinstance(s, int) and isinstance(p, int) and not isinstance(p, bool) and p > s:
        out.append(
            _p(
                prefix + ("promised_days",),
                FORM,
                "promised_over_statutory",
                _("may not exceed the statutory time limit (%(days)s working days).") % {"days": s},
            )
        )
    if guide["result_type"] and not _choice(guide["result_type"], GuideVersion.ResultType.choices):
        out.append(
            _p(
                prefix + ("result_type",),
                FORM,
                "bad_choice",
                _("choose one of %(choices)s.")
                % {"choices": _choices_text(GuideVersion.ResultType.choices)},
            )
        )
    url = guide["online_url"]
    if url:
        parsed = urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            out.append(
                _p(
                    prefix + ("online_url",),
                    FORM,
                    "bad_url",
                    _("must be a web address starting with https://."),
                )
            )
    for i, m in enumerate(guide["materials"]):
        mp = prefix + ("materials", i)
        if m["necessity"] not in {c for c, _l in Material.Necessity.choices}:
            out.append(
                _p(
                    mp + ("necessity",),
                    FORM,
                    "bad_choice",
                    _("choose one of %(choices)s.")
                    % {"choices": _choices_text(Material.Necessity.choices)},
                )
            )
        if m["form"] and not _choice(m["form"], Material.Form.choices):
            out.append(
                _p(
                    mp + ("form",),
                    FORM,
                    "bad_choice",
                    _("choose one of %(choices)s.")
                    % {"choices": _choices_text(Material.Form.choices)},
                )
            )
        if m["source_channel"] not in {c for c, _l in Material.SourceChannel.choices}:
            out.append(
                _p(
                    mp + ("source_channel",),
                    FORM,
                    "bad_choice",
                    _("choose one of %(choices)s.")
                    % {"choices": _choices_text(Material.SourceChannel.choices)},
                )
            )
        add(_int_problem(mp + ("paper_copies",), m["paper_copies"], lo=0, hi=MAX_COPIES))
        if len(m["name"]) > 120:
            out.append(_p(mp + ("name",), FORM, "too_long", _("at most 120 characters.")))
    for key in ("steps", "special_steps"):
        for i, s in enumerate(guide[key]):
            add(_int_problem(prefix + (key, i, "days"), s["days"], lo=0, hi=MAX_DAYS))
            if len(s["name"]) > 60:
                out.append(
                    _p(prefix + (key, i, "name"), FORM, "too_long", _("at most 60 characters."))
                )
    return out


def guide_completeness_problems(guide: dict, prefix: tuple = ()) -> list[Problem]:
    """Missing elements of the 办事指南: a guide with any of these is not published."""
    out: list[Problem] = []
    required = _("this element is required.")

    def need(key, message=None):
        value = guide[key]
        if value is None or value == "" or value == []:
            out.append(_p(prefix + (key,), MISSING, f"missing_{key}", message or required))

    need("conditions")
    need("materials", _("list at least one material."))
    need("steps", _("list at least one step."))
    need("promised_days")
    need("visits")
    need("result_type")
    need("result_name")
    for i, m in enumerate(guide["materials"]):
        mp = prefix + ("materials", i)
        if not m["name"]:
            out.append(_p(mp + ("name",), MISSING, "missing_material_name", required))
        if m["necessity"] == Material.Necessity.CONDITIONAL and not m["condition_note"]:
            out.append(
                _p(
                    mp + ("condition_note",),
                    MISSING,
                    "missing_condition_note",
                    _("say in which case this material is needed."),
                )
            )
    for key in ("steps", "special_steps"):
        for i, s in enumerate(guide[key]):
            if not s["name"]:
                out.append(_p(prefix + (key, i, "name"), MISSING, "missing_step_name", required))
    for i, s in enumerate(guide["special_steps"]):
        if s["days"] is None:
            out.append(
                _p(
                    prefix + ("special_steps", i, "days"),
                    MISSING,
                    "missing_special_step_days",
                    _("a special step needs its own time."),
                )
            )
    for i, f in enumerate(guide["fees"]):
        if not f["name"]:
            out.append(_p(prefix + ("fees", i, "name"), MISSING, "missing_fee_name", required))
        if not f["standard"]:
            out.append(
                _p(prefix + ("fees", i, "standard"), MISSING, "missing_fee_standard", required)
            )
    for i, q in enumerate(guide["faq"]):
        if not q["question"] or not q["answer"]:
            out.append(
                _p(
                    prefix + ("faq", i),
                    MISSING,
                    "missing_faq_text",
                    _("a question needs its answer."),
                )
            )
    return out


def guide_accuracy_problems(guide: dict, prefix: tuple = ()) -> list[Problem]:
    """Complete but wrong."""
    out: list[Problem] = []
    s, p = guide["statutory_days"], guide["promised_days"]
    if isinstance(s, int) and isinstance(p, int) and p > s:
        # Refused at save already; kept here so that the audit catches old or imported data.
        out.append(
            _p(
                prefix + ("promised_days",),
                ACCURACY,
                "promised_over_statutory",
                _("%(promised)s working days promised, more than the statutory %(statutory)s.")
                % {"promised": p, "statutory": s},
            )
        )
    for i, f in enumerate(guide["fees"]):
        if f["name"] and not f["basis"]:
            out.append(
                _p(
                    prefix + ("fees", i, "basis"),
                    ACCURACY,
                    "fee_without_basis",
                    _("a fee needs the document that sets it (charging without basis)."),
                )
            )
    for i, m in enumerate(guide["materials"]):
        mp = prefix + ("materials", i)
        if not m["form"]:
            out.append(
                _p(
                    mp + ("form",),
                    ACCURACY,
                    "material_without_form",
                    _("say whether the original, a copy or an electronic file is needed."),
                )
            )
        elif (
            m["form"] in (Material.Form.COPY, Material.Form.ORIGINAL_AND_COPY)
            and not m["paper_copies"]
        ):
            out.append(
                _p(
                    mp + ("paper_copies",),
                    ACCURACY,
                    "material_without_copies",
                    _("a copy is asked for: say how many paper copies."),
                )
            )
        elif m["form"] == Material.Form.ELECTRONIC and m["paper_copies"]:
            out.append(
                _p(
                    mp + ("paper_copies",),
                    ACCURACY,
                    "electronic_with_copies",
                    _("an electronic material has no paper copies."),
                )
            )
        if m["deferrable"] and not guide["allows_deferral"]:
            out.append(
                _p(
                    mp + ("deferrable",),
                    ACCURACY,
                    "deferral_forbidden",
                    _(
                        "marked deferrable, but this guide does not allow deferred materials (容缺)."
                    ),
                )
            )
    return out


def guide_notices(guide: dict, prefix: tuple = ()) -> list[Problem]:
    out: list[Problem] = []
    if not guide["faq"]:
        out.append(_p(prefix + ("faq",), NOTICE, "no_faq", _("no common questions are answered.")))
    for i, m in enumerate(guide["materials"]):
        if "表" in m["name"] and m["source_channel"] == "applicant" and not m["blank_form"]:
            out.append(
                _p(
                    prefix + ("materials", i, "blank_form"),
                    NOTICE,
                    "form_without_blank",
                    _("“%(name)s” is a form: attach the blank form for download.")
                    % {"name": m["name"]},
                )
            )
    if guide["statutory_days"] is None and not guide["time_limit_note"]:
        out.append(
            _p(
                prefix + ("time_limit_note",),
                NOTICE,
                "no_statutory_limit_note",
                _("no statutory limit is set: say in the time limit note that the law sets none."),
            )
        )
    limit = guide["promised_days"]
    counted = [s["days"] for s in guide["steps"]] + [
        s["days"] for s in guide["special_steps"] if s["counts_in_limit"]
    ]
    if isinstance(limit, int) and counted and all(isinstance(d, int) for d in counted):
        total = sum(counted)
        if total > limit:
            out.append(
                _p(
                    prefix + ("steps",),
                    NOTICE,
                    "steps_exceed_limit",
                    _(
                        "the steps that count in the limit add up to %(total)s working days, "
                        "more than the promised %(limit)s."
                    )
                    % {"total": total, "limit": limit},
                )
            )
    return out


def guide_problems(guide: dict, *, notices: bool = False, prefix: tuple = ()) -> list[Problem]:
    out = (
        guide_form_problems(guide, prefix)
        + guide_completeness_problems(guide, prefix)
        + [
            p
            for p in guide_accuracy_problems(guide, prefix)
            if p.code != "promised_over_statutory"
            or not any(q.code == p.code for q in guide_form_problems(guide, prefix))
        ]
    )
    if notices:
        out += guide_notices(guide, prefix)
    return out


# --- Items, domains, bundles ------------------------------------------------------------------


def item_form_problems(
    item: dict, *, domain_codes: set[str] | None = None, prefix: tuple = ()
) -> list[Problem]:
    out: list[Problem] = []
    required = _("this field is required.")
    for key in ("basic_code", "name", "domain", "item_type", "handling_level", "frequency"):
        if not item[key]:
            out.append(_p(prefix + (key,), FORM, f"missing_{key}", required))
    if item["basic_code"]:
        from .validators import validate_basic_code

        try:
            validate_basic_code(item["basic_code"])
        except ValidationError:
            out.append(
                _p(
                    prefix + ("basic_code",),
                    FORM,
                    "bad_code",
                    _("up to 12 letters, digits or -, e.g. 000108014000."),
                )
            )
    if len(item["name"]) > 120:
        out.append(_p(prefix + ("name",), FORM, "too_long", _("at most 120 characters.")))
    if len(item["implementation_code"]) > 36:
        out.append(
            _p(prefix + ("implementation_code",), FORM, "too_long", _("at most 36 characters."))
        )
    if domain_codes is not None and item["domain"] and item["domain"] not in domain_codes:
        out.append(
            _p(
                prefix + ("domain",),
                FORM,
                "unknown_domain",
                _("no domain with the code “%(code)s”.") % {"code": item["domain"]},
            )
        )
    for key, choices in (
        ("item_type", ServiceItem.ItemType.choices),
        ("handling_level", ServiceItem.HandlingLevel.choices),
        ("frequency", ServiceItem.Frequency.choices),
        ("cross_region", ServiceItem.CrossRegion.choices),
        ("status", ServiceItem.Status.choices),
    ):
        if item[key] and not _choice(item[key], choices):
            out.append(
                _p(
                    prefix + (key,),
                    FORM,
                    "bad_choice",
                    _("choose one of %(choices)s.") % {"choices": _choices_text(choices)},
                )
            )
    objects = item["service_object"]
    if not objects or any(o not in ("person", "organisation") for o in objects):
        out.append(
            _p(
                prefix + ("service_object",),
                FORM,
                "bad_service_object",
                _("choose persons, organisations or both."),
            )
        )
    channels = item["channels"]
    if not channels or any(c not in ("window", "online", "kiosk", "post") for c in channels):
        out.append(
            _p(
                prefix + ("channels",),
                FORM,
                "bad_channels",
                _("choose at least one of window, online, kiosk, post."),
            )
        )
    if item["status"] == ServiceItem.Status.CANCELLED:
        if not item["cancel_reason"]:
            out.append(
                _p(
                    prefix + ("cancel_reason",),
                    FORM,
                    "missing_cancel_reason",
                    _("a cancelled item needs the reason."),
                )
            )
        if not isinstance(item["cancelled_at"], dt.datetime | dt.date):
            out.append(
                _p(
                    prefix + ("cancelled_at",),
                    FORM,
                    "missing_cancelled_at",
                    _("a cancelled item needs the date it was cancelled."),
                )
            )
    return out


def item_completeness_problems(item: dict, prefix: tuple = ()) -> list[Problem]:
    out = []
    if not item["legal_basis"]:
        out.append(
            _p(
                prefix + ("legal_basis",),
                MISSING,
                "missing_legal_basis",
                _("this element is required."),
            )
        )
    return out


def domain_form_problems(domain: dict, prefix: tuple = ()) -> list[Problem]:
    from .validators import validate_domain_code

    out = []
    for key in ("code", "name", "full_name"):
        if not domain[key]:
            out.append(_p(prefix + (key,), FORM, f"missing_{key}", _("this field is required.")))
    if domain["code"]:
        try:
            validate_domain_code(domain["code"])
        except ValidationError:
            out.append(
                _p(
                    prefix + ("code",),
                    FORM,
                    "bad_code",
                    _("use lowercase letters, digits and _ only, starting with a letter."),
                )
            )
    if not _choice(domain["window_group"], Domain.WindowGroup.choices):
        out.append(
            _p(
                prefix + ("window_group",),
                FORM,
                "bad_choice",
                _("choose one of %(choices)s.")
                % {"choices": _choices_text(Domain.WindowGroup.choices)},
            )
        )
    return out


def raise_if(problems: list[Problem], *, kinds=BLOCKING) -> None:
    """Raise one ValidationError listing every blocking problem (field path → messages)."""
    blocking = [p for p in problems if p.kind in kinds]
    if not blocking:
        return
    errors: dict[str, list[str]] = {}
    for p in blocking:
        errors.setdefault(".".join(str(x) for x in p.path) or "__all__", []).append(p.message)
    raise ValidationError(errors)
