"""Every change of a case: one function per action of ``machine.TABLE``, one transaction each.

Each function locks the case, asks the table whether the action is allowed in the case's state,
checks the actor's roles through ``identity.permissions`` and the transition's guard, validates
its input (Chinese messages naming the field), changes the case and appends the event in the
same transaction (``events.Recorder``). A refused change raises ``machine.Refused`` (a
``ValidationError``) or ``PermissionDenied`` and changes nothing.

Times come in as ``now`` (default: the clock) so that tests and the timers control time; all
deadlines come from ``workdays`` through ``deadlines``.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from bianmin.catalog.models import Domain, GuideVersion, ItemEntry, Material, ServiceItem
from bianmin.common import rows as sql_rows
from bianmin.common.rows import columns, from_row, spans
from bianmin.identity.masking import mask_address
from bianmin.identity.models import Person, PersonalDataAccess, User
from bianmin.identity.permissions import Action, authorize, can
from bianmin.identity.roles import Role as UserRole
from bianmin.identity.services import find_person, register_person, reveal_text, seal_text
from bianmin.identity.services import log_document_view as _log_view
from bianmin.identity.validators import (
    validate_credit_code,
    validate_identity_number,
    validate_mobile,
)
from bianmin.org.models import Center, Department
from bianmin.queueing.models import Visit
from bianmin.workdays.services import add_working_days

from . import deadlines, files, machine, notifications
from .events import Recorder
from .machine import CLOCK_STATES, Act, Context, Refused, State
from .machine import Role as R
from .models import (
    Case,
    Channel,
    Delivery,
    DishonestEntry,
    MaterialFile,
    OneTimeNotice,
    Organisation,
)
from .numbers import next_case_number


class LineStatus:
    PROVIDED = "provided"
    MISSING = "missing"
    DEFECTIVE = "defective"
    DEFERRED = "deferred"
    NOT_NEEDED = "not_needed"
    ALL = (PROVIDED, MISSING, DEFECTIVE, DEFERRED, NOT_NEEDED)


# --- Input ---------------------------------------------------------------------------------------


@dataclass
class ApplicantIn:
    kind: str = "person"  # person | organisation
    name: str = ""
    id_number: str = ""
    mobile: str = ""
    credit_code: str = ""
    legal_representative: str = ""
    # An organisation's representative in person (their identity number and mobile), optional.
    representative_id_number: str = ""


@dataclass
class ProxyIn:
    kind: str = "agent"  # agent (代办) | assistant (帮办)
    name: str = ""
    id_number: str = ""
    mobile: str = ""
    authorization: str = ""


@dataclass
class LineIn:
    material: int
    status: str
    original_seen: bool = False
    copies: int = 0
    reason: str = ""


@dataclass
class PledgeIn:
    due: dt.date | None = None
    signer: str = ""


@dataclass
class HandoutIn:
    receiver: str = "applicant"  # applicant | proxy
    id_number: str = ""
    proxy: ProxyIn | None = None


@dataclass
class DeliveryIn:
    recipient: str = ""
    address: str = ""
    postal_code: str = ""
    carrier: str = ""
    tracking_number: str = ""


def _error(field_name: str, message: str) -> ValidationError:
    return ValidationError({field_name: [message]})


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def _required_text(value: str, field_name: str, label: str, max_length: int = 500) -> str:
    value = (value or "").strip()
    if not value:
        raise _error(field_name, _("%(label)s: this field is required.") % {"label": label})
    if len(value) > max_length:
        raise _error(
            field_name,
            _("%(label)s: at most %(n)d characters.") % {"label": label, "n": max_length},
        )
    return value


# --- Who may act ---------------------------------------------------------------------------------


def roles_of(user: User | None, case: Case) -> frozenset[str]:
    """The table's role groups that ``user`` holds for ``case`` (``system`` for no user)."""
    if user is None:
        return frozenset({R.SYSTEM})
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    roles = set()
    center = case.center
    if can(user, Action.SERVE_AT_WINDOW, center=center):
        roles.add(R.CLERK)
    if (
        user.role == UserRole.BACK_OFFICE_OFFICER
        and user.department_id is not None
        and user.department_id == case.department_id
        and can(user, Action.DECIDE_CASE, center=center)
    ):
        roles.add(R.OFFICER)
    if user.role == UserRole.CENTER_MANAGER and can(user, Action.MANAGE_CENTER, center=center):
        roles.add(R.MANAGER)
    if user.role == UserRole.CITIZEN and case.person_id and case.person.user_id == user.pk:
        roles.add(R.APPLICANT)
    return frozenset(roles)


def _refuse_role(user: User | None, case: Case, t: machine.Transition) -> None:
    """Explain in Chinese why ``user`` may not do ``t`` (the permission check's own words)."""
    if R.CLERK in t.roles:
        authorize(user, Action.SERVE_AT_WINDOW, center=case.center)
    if R.OFFICER in t.roles:
        authorize(user, Action.DECIDE_CASE, center=case.center)
        if case.department_id is None or user.department_id != case.department_id:
            raise PermissionDenied(
                _("This case belongs to %(department)s, not to your department.")
                % {"department": case.department or _("no department")}
            )
    if R.MANAGER in t.roles:
        authorize(user, Action.MANAGE_CENTER, center=case.center)
    raise PermissionDenied(
        _("You may not “%(action)s” this case: only %(roles)s may.")
        % {
            "action": Act(t.action).label,
            "roles": "、".join(str(machine.ROLE_LABELS[r]) for r in sorted(t.roles)),
        }
    )


@dataclass
class Step:
    """One allowed transition about to happen: the table's row and the guard's context."""

    transition: machine.Transition
    ctx: Context


def check(case: Case, action: str, user: User | None, now: dt.datetime) -> Step:
    """Table, roles, guard: raise unless ``user`` may do ``action`` to ``case`` at ``now``."""
    t = machine.transition(case.state, action)
    held = roles_of(user, case) & t.roles
    if not held:
        _refuse_role(user, case, t)
    ctx = Context(actor=user, roles=frozenset(held), now=now)
    if t.guard is not None:
        t.guard(case, ctx)
    return Step(t, ctx)


def allowed_actions(case: Case, user: User | None, now: dt.datetime | None = None) -> list[str]:
    """The actions of the table that ``user`` may do to ``case`` now (guards included)."""
    now = _now(now)
    out = []
    if case.is_final:
        return out
    held = roles_of(user, case)
    for t in machine.transitions_from(case.state):
        if not (held & t.roles) or R.SYSTEM in (held & t.roles):
            continue
        try:
            if t.guard is not None:
                t.guard(case, Context(user, frozenset(held & t.roles), now))
        except ValidationError:
            continue
        out.append(t.action)
    return out


def refusal(case: Case, user: User | None, action: str, now: dt.datetime | None = None) -> str:
    """Why ``user`` may not do ``action`` to ``case`` now, in the guard's words ("" if allowed):
    the case page says why a button the clerk expects is not there."""
    try:
        check(case, action, user, _now(now))
    except (ValidationError, PermissionDenied) as error:
        return " ".join(getattr(error, "messages", None) or [str(error)])
    return ""


def _role_label(user: User | None) -> str:
    return user.role if user is not None else R.SYSTEM


def _event_channel(user: User | None, t: machine.Transition, channel: str) -> str:
    """Where an act was done: the system's timers; an officer's acts in the back office; a
    manager's own acts (extensions, giving a case back) in the center's management; else as the
    caller says (the window by default, online, the kiosk …)."""
    if user is None:
        return Channel.SYSTEM
    if channel == Channel.WINDOW:
        if user.role == UserRole.BACK_OFFICE_OFFICER:
            return Channel.BACK_OFFICE
        if user.role == UserRole.CENTER_MANAGER and R.CLERK not in t.roles:
            return Channel.MANAGEMENT
    return channel


class _Change:
    """A service call's work on one case: checks, then queued events, then one commit."""

    def __init__(self, case: Case, *, insert: bool = False):
        self.case = case
        self.recorder = Recorder(case)
        self.insert = insert

    def do(
        self,
        action: str,
        user: User | None,
        now: dt.datetime,
        *,
        channel: str = Channel.WINDOW,
        reason: str = "",
        values: dict | None = None,
        data: dict | None = None,
        checked: Step | None = None,
    ) -> Step:
        step = checked or check(self.case, action, user, now)
        t = step.transition
        self.recorder.change(
            action=t.event_kind,
            from_state=t.state,
            to_state=machine.next_state(t, self.case),
            actor=user,
            role=_role_label(user),
            channel=_event_channel(user, t, channel),
            at=now,
            reason=reason,
            values=values,
            data=data,
            initial=t.state == machine.NEW,
        )
        return step

    def commit(self) -> Case:
        self.recorder.commit(insert=self.insert)
        self.insert = False
        return self.case


def _lock(case: Case | str | int) -> Case:
    qs = Case.objects.select_for_update(of=("self",)).select_related(
        "center__region", "item__domain", "guide", "department", "person", "organisation"
    )
    if isinstance(case, Case):
        return qs.get(pk=case.pk)
    if isinstance(case, int):
        return qs.get(pk=case)
    return qs.get(number=case)


# --- The checklist -------------------------------------------------------------------------------


def _materials(guide: GuideVersion) -> list[Material]:
    return list(Material.objects.filter(guide=guide).order_by("order", "id"))


def _line_for(m: Material, guide: GuideVersion, given: LineIn | None) -> dict:
    deferrable = bool(m.deferrable and guide.allows_deferral)
    if given is None:
        status = (
            LineStatus.MISSING
            if m.necessity == Material.Necessity.REQUIRED
            else LineStatus.NOT_NEEDED
        )
        return {
            "material": m.pk,
            "name": m.name,
            "necessity": m.necessity,
            "deferrable": deferrable,
            "status": status,
            "original_seen": False,
            "copies": 0,
            "reason": "",
        }
    if given.status not in LineStatus.ALL:
        raise _error(
            "checklist", _("Materials: “%(name)s” has no valid status.") % {"name": m.name}
        )
    if given.status == LineStatus.DEFERRED and not deferrable:
        raise _error(
            "checklist",
            _("Materials: “%(name)s” may not be deferred (the guide does not allow it).")
            % {"name": m.name},
        )
    if given.status == LineStatus.NOT_NEEDED and m.necessity == Material.Necessity.REQUIRED:
        raise _error(
            "checklist",
            _("Materials: “%(name)s” is required; it cannot be marked not needed.")
            % {"name": m.name},
        )
    reason = (given.reason or "").strip()[:200]
    copies = int(given.copies or 0)
    if copies < 0 or copies > 99:
        raise _error(
            "checklist", _("Materials: copies of “%(name)s” must be 0 to 99.") % {"name": m.name}
        )
    return {
        "material": m.pk,
        "name": m.name,
        "necessity": m.necessity,
        "deferrable": deferrable,
        "status": given.status,
        "original_seen": bool(given.original_seen),
        "copies": copies,
        "reason": reason,
    }


def _merge_checklist(
    case_lines: list[dict], guide: GuideVersion, given: list[LineIn], materials=None
) -> list[dict]:
    materials = materials if materials is not None else _materials(guide)
    by_material = {m.pk: m for m in materials}
    given_by_id: dict[int, LineIn] = {}
    for line in given:
        try:
            material_id = int(line.material)
        except (TypeError, ValueError):
            material_id = -1
        if material_id not in by_material:
            raise _error(
                "checklist",
                _("Materials: item %(id)s is not a material of this guide.")
                % {"id": line.material},
            )
        given_by_id[material_id] = line
    existing = {int(line["material"]): line for line in case_lines}
    out = []
    for m in materials:
        if m.pk in given_by_id:
            out.append(_line_for(m, guide, given_by_id[m.pk]))
        elif m.pk in existing:
            out.append(existing[m.pk])
        else:
            out.append(_line_for(m, guide, None))
    return out


def in_order(lines: list[dict]) -> bool:
    """Nothing missing or defective (deferred materials are in order under a pledge)."""
    return not any(line["status"] in (LineStatus.MISSING, LineStatus.DEFECTIVE) for line in lines)


# --- Applicants ----------------------------------------------------------------------------------


def _person(name: str, id_number: str, mobile: str, *, prefix: str) -> Person:
    """Find the person by identity number, registering (or updating) them when needed.

    Errors name the field under ``prefix`` (``applicant.id_number``, ``proxy.mobile`` …).
    """
    errors: dict[str, list[str]] = {}  # every field's error at once, not the first only
    try:
        name = _required_text(name, f"{prefix}name", _("Name"), 40)
    except ValidationError as e:
        errors.update(e.message_dict)
    mobile_number = ""
    if (mobile or "").strip():
        try:
            mobile_number = validate_mobile(mobile)
        except ValidationError as e:
            errors[f"{prefix}mobile"] = e.messages
    try:
        validate_identity_number(id_number)
    except ValidationError as e:
        errors[f"{prefix}id_number"] = e.messages
    if errors:
        raise ValidationError(errors)
    try:
        # No write when the person is on file as given; a concurrent first registration of the
        # same number gives one person (register_person retries on the unique digest).
        return register_person(name=name, id_number=id_number, mobile=mobile_number)
    except ValidationError as e:
        raise ValidationError({f"{prefix}id_number": e.messages}) from None


@dataclass
class Applicant:
    kind: str
    person: Person | None = None
    organisation: Organisation | None = None
    name: str = ""
    masked: str = ""


def known_person(visit) -> Person | None:
    """The person a called ticket already names (identity number keyed at the kiosk)."""
    if visit is None:
        return None
    ticket = getattr(visit, "ticket", None)
    return visit.person or (ticket.person if ticket is not None else None)


def _applicant(data: ApplicantIn, item: ServiceItem, known: Person | None = None) -> Applicant:
    """The applicant: a person (found or registered by identity number, or ``known`` from the
    visit's ticket when no number is keyed in) or an organisation by its credit code."""
    if data.kind == Case.ApplicantKind.PERSON:
        if not item.for_person:
            raise _error(
                "applicant.kind",
                _("Applicant: %(item)s serves organisations only.") % {"item": item},
            )
        if known is not None and not (data.id_number or "").strip():
            return Applicant(
                data.kind, person=known, name=known.name, masked=known.id_number_masked
            )
        person = _person(data.name, data.id_number, data.mobile, prefix="applicant.")
        return Applicant(data.kind, person=person, name=person.name, masked=person.id_number_masked)
    if data.kind != Case.ApplicantKind.ORGANISATION:
        raise _error("applicant.kind", _("Applicant: choose a person or an organisation."))
    if not item.for_organisation:
        raise _error(
            "applicant.kind", _("Applicant: %(item)s serves persons only.") % {"item": item}
        )
    name = _required_text(data.name, "applicant.name", _("Organisation name"), 120)
    try:
        code = validate_credit_code(data.credit_code)
    except ValidationError as e:
        raise ValidationError({"applicant.credit_code": e.messages}) from None
    legal = _required_text(
        data.legal_representative, "applicant.legal_representative", _("Legal representative"), 40
    )
    representative = None
    if (data.representative_id_number or "").strip():
        representative = _person(
            legal, data.representative_id_number, data.mobile, prefix="applicant.representative_"
        )
    org, created = Organisation.objects.get_or_create(
        credit_code=code,
        defaults={"name": name, "legal_representative": legal, "representative": representative},
    )
    if not created and (
        org.name != name
        or org.legal_representative != legal
        or (representative and org.representative_id != representative.pk)
    ):
        org.name, org.legal_representative = name, legal
        if representative:
            org.representative = representative
        org.save()
    return Applicant(data.kind, organisation=org, name=org.name, masked=org.credit_code_masked)


def _proxy(data: ProxyIn | None) -> tuple[Person | None, str, str]:
    if data is None or not (data.name or data.id_number):
        return None, "", ""
    if data.kind not in (Case.ProxyKind.AGENT, Case.ProxyKind.ASSISTANT):
        raise _error("proxy.kind", _("Proxy: choose agent (代办) or assistant (帮办)."))
    person = _person(data.name, data.id_number, data.mobile, prefix="proxy.")
    authorization = (data.authorization or "").strip()[:200]
    if data.kind == Case.ProxyKind.AGENT and not authorization:
        raise _error(
            "proxy.authorization",
            _("Authorization: an agent needs the applicant's written authorization (授权委托书)."),
        )
    return person, data.kind, authorization


@dataclass
class IntakeFacts:
    item: ServiceItem
    entered: bool
    guide: GuideVersion | None
    materials: list[Material]
    department: Department | None


_INTAKE_SQL: str | None = None


def _intake_sql() -> str:
    """The intake query, written once per process (the ORM took longer to compile it than the
    database took to run it). Portable SQL: scalar subqueries, no LATERAL."""
    global _INTAKE_SQL
    if _INTAKE_SQL is None:
        q = connection.ops.quote_name

        department = (
            "(SELECT dep.{col} FROM {dept} dep WHERE dep.{domain} = dom.{name} "
            "AND dep.{region} IN (%(township)s, %(county)s) "
            "ORDER BY CASE WHEN dep.{region} = %(township)s THEN 0 ELSE 1 END, dep.{id} LIMIT 1)"
        )

        def dep(col):
            return department.format(
                col=q(col),
                dept=q(Department._meta.db_table),
                domain=q("domain"),
                name=q("name"),
                region=q("region_id"),
                id=q("id"),
            )

        entry = ItemEntry._meta
        _INTAKE_SQL = (
            f"SELECT {columns(GuideVersion, 'g')}, {columns(ServiceItem, 'i')}, {columns(Domain, 'dom')}, "
            f"{columns(Material, 'm')}, "
            f"EXISTS (SELECT 1 FROM {q(entry.db_table)} e WHERE e.{q('center_id')} = %(center)s "
            f"AND e.{q('item_id')} = i.{q('id')} AND e.{q('withdrawn_on')} IS NULL "
            f"AND e.{q('entered_on')} <= %(today)s), "
            f"{dep('id')}, {dep('name')}, {dep('region_id')} "
            f"FROM {q(GuideVersion._meta.db_table)} g "
            f"JOIN {q(ServiceItem._meta.db_table)} i ON i.{q('id')} = g.{q('item_id')} "
            f"JOIN {q(Domain._meta.db_table)} dom ON dom.{q('id')} = i.{q('domain_id')} "
            f"LEFT JOIN {q(Material._meta.db_table)} m ON m.{q('guide_id')} = g.{q('id')} "
            f"WHERE g.{q('item_id')} = %(item)s AND g.{q('state')} = %(published)s "
            f"ORDER BY m.{q('order')}, m.{q('id')}"
        )
    return _INTAKE_SQL


def intake_facts(center: Center, item: ServiceItem | int, today: dt.date) -> IntakeFacts:
    """What intake needs to know, in one query: the item, its published guide and the guide's
    materials, whether the center handles the item today, and the deciding department
    (township first). ``item`` may be an id: the item comes with the guide."""
    item_id = item if isinstance(item, int) else item.pk
    params = {
        "center": center.pk,
        "today": today if connection.vendor == "postgresql" else today.isoformat(),
        "township": center.region_id,
        "county": center.region.parent_id,
        "item": item_id,
        "published": GuideVersion.State.PUBLISHED,
    }
    with sql_rows.cursor() as cursor:
        cursor.execute(_intake_sql(), params)
        rows = cursor.fetchall()
    if not rows:  # no published guide (or no such item): the caller says which
        if isinstance(item, int):
            item = ServiceItem.objects.select_related("domain").filter(pk=item_id).first()
            if item is None:
                raise _error("item", _("Item: no such service item."))
        entered = ItemEntry.objects.filter(
            center=center, item=item, withdrawn_on__isnull=True, entered_on__lte=today
        ).exists()
        return IntakeFacts(item, entered, None, [], resolve_department(center, item))
    db = connection.alias
    parts = spans(GuideVersion, ServiceItem, Domain, Material)
    at = parts[-1][2]
    first = rows[0]
    guide = from_row(parts[0], first, db)
    found = from_row(parts[1], first, db)
    found.domain = from_row(parts[2], first, db)
    guide.item = found
    materials = []
    for row in rows:
        if row[parts[3][1]] is None:  # a guide without materials (LEFT JOIN)
            continue
        material = from_row(parts[3], row, db)
        material.guide = guide
        materials.append(material)
    entered, dep_id, dep_name, dep_region = first[at:]
    department = None
    if dep_id is not None:  # the whole row (Department has no other fields)
        department = Department(
            pk=dep_id, name=dep_name, region_id=dep_region, domain=found.domain.name
        )
        department._state.adding, department._state.db = False, db
    return IntakeFacts(found, bool(entered), guide, materials, department)


def resolve_department(center: Center, item: ServiceItem) -> Department | None:
    """The department deciding ``item`` for ``center``: the township's own station of the
    item's domain if there is one, else the county's department."""
    candidates = list(
        Department.objects.filter(
            domain=item.domain.name, region_id__in=[center.region_id, center.region.parent_id]
        ).order_by("id")
    )
    for d in candidates:
        if d.region_id == center.region_id:
            return d
    return candidates[0] if candidates else None


def on_dishonesty_list(case: Case, today: dt.date) -> DishonestEntry | None:
    who = Q()
    if case.person_id:
        who |= Q(person_id=case.person_id)
    if case.organisation_id:
        who |= Q(credit_code=case.organisation.credit_code)
        if case.organisation.representative_id:
            who |= Q(person_id=case.organisation.representative_id)
    if not who:
        return None
    return (
        DishonestEntry.objects.filter(who, center_id=case.center_id, listed_on__lte=today)
        .filter(Q(until__isnull=True) | Q(until__gt=today))
        .first()
    )


# --- Intake --------------------------------------------------------------------------------------


def _published(item: ServiceItem, now: dt.datetime) -> GuideVersion:
    if item.status == ServiceItem.Status.CANCELLED and item.cancelled_at <= now:
        raise _error("item", _("Item: %(item)s has been cancelled.") % {"item": item})
    guide = GuideVersion.objects.filter(item=item, state=GuideVersion.State.PUBLISHED).first()
    if guide is None:
        raise _error("item", _("Item: %(item)s has no published guide.") % {"item": item})
    return guide


@transaction.atomic
def open_case(
    actor: User | None,
    *,
    center: Center,
    item: ServiceItem | int,
    applicant: ApplicantIn,
    proxy: ProxyIn | None = None,
    checklist: list[LineIn] | None = None,
    channel: str = Channel.WINDOW,
    application_note: str = "",
    accept: bool = False,
    pledge: PledgeIn | None = None,
    visit: Visit | None = None,
    now: dt.datetime | None = None,
) -> Case:
    """收件: a new case for ``item`` at ``center`` under the item's published guide version.

    ``visit`` is the visit of the called ticket the clerk serves (its person is the applicant
    when no identity number is keyed in). With ``accept=True`` the case is accepted in the same
    transaction (materials in order, or deferred under ``pledge``): two events, one commit.
    """
    now = _now(now)
    today = deadlines.local_date(now)
    if channel not in Channel.values:
        raise _error("channel", _("Channel: not a known channel."))
    if actor is not None and actor.role != UserRole.CITIZEN:
        authorize(actor, Action.SERVE_AT_WINDOW, center=center)
    if visit is not None and visit.center_id != center.pk:
        raise _error("visit", _("Visit: it belongs to another center."))
    facts = intake_facts(center, item, today)
    item = facts.item
    if not facts.entered:
        raise _error(
            "item",
            _("Item: %(center)s does not handle %(item)s.") % {"center": center, "item": item},
        )
    guide = facts.guide if facts.guide is not None else _published(item, now)
    if item.status == ServiceItem.Status.CANCELLED and item.cancelled_at <= now:
        raise _error("item", _("Item: %(item)s has been cancelled.") % {"item": item})
    materials = facts.materials
    who = _applicant(applicant, item, known_person(visit))
    proxy_person, proxy_kind, authorization = _proxy(proxy)
    if proxy_person is not None and proxy_person == who.person:
        raise _error("proxy.id_number", _("Proxy: the proxy cannot be the applicant."))
    lines = _merge_checklist([], guide, checklist or [], materials)
    case = sql_rows.new(
        Case,
        center=center,
        item=item,
        guide=guide,
        department=facts.department,
        visit=visit,
        channel=channel,
        state=machine.NEW,
        applicant_kind=who.kind,
        person=who.person,
        organisation=who.organisation,
        applicant_name=who.name,
        applicant_masked=who.masked,
        proxy=proxy_person,
        proxy_kind=proxy_kind,
        proxy_authorization=authorization,
        application_note=(application_note or "").strip()[:300],
        received_at=now,
        received_by=actor if actor is not None and actor.role != UserRole.CITIZEN else None,
    )
    step = check(case, Act.OPEN, actor, now)  # before the number is taken: it locks the counter
    case.number = next_case_number(center, today)
    change = _Change(case, insert=True)
    change.do(
        Act.OPEN,
        actor,
        now,
        channel=channel,
        checked=step,
        values={
            "checklist": lines,
            "materials_complete_on": today if in_order(lines) else None,
            # Accepted on the spot, the 5 days to tell the applicant do not apply: the intake
            # decision was made the day of receipt.
            "intake_deadline": today if accept else deadlines.intake_deadline(today),
            "progress_token": secrets.token_urlsafe(16)[:22],
        },
    )
    if accept:
        _accept(change, actor, now, pledge, channel)
    case = change.commit()
    if accept:
        _tell_accepted(case, now)
    return case


@transaction.atomic
def update_checklist(
    actor: User, case: Case | str, lines: list[LineIn], *, now=None, channel=Channel.WINDOW
) -> Case:
    """Record what was seen of each material: provided, missing, defective (with a reason)…"""
    now = _now(now)
    case = _lock(case)
    step = check(case, Act.UPDATE_CHECKLIST, actor, now)
    merged = _merge_checklist(case.checklist, case.guide, lines)
    change = _Change(case)
    complete_on = case.materials_complete_on
    if in_order(merged):
        complete_on = complete_on or deadlines.local_date(now)
    else:
        complete_on = None
    change.do(
        Act.UPDATE_CHECKLIST,
        actor,
        now,
        channel=channel,
        checked=step,
        values={"checklist": merged, "materials_complete_on": complete_on},
    )
    return change.commit()


@transaction.atomic
def amend_application(
    actor: User, case: Case | str, *, note: str, now=None, channel=Channel.WINDOW
) -> Case:
    """The applicant changed the application (what is applied for): a later one-time notice may
    then name new materials."""
    now = _now(now)
    case = _lock(case)
    step = check(case, Act.AMEND, actor, now)
    note = _required_text(note, "note", _("What changed in the application"), 300)
    change = _Change(case)
    change.do(
        Act.AMEND,
        actor,
        now,
        channel=channel,
        checked=step,
        reason=note,
        values={"amendments": case.amendments + 1, "application_note": note},
    )
    return change.commit()


@transaction.atomic
def issue_notice(
    actor: User, case: Case | str, *, now=None, channel=Channel.WINDOW
) -> OneTimeNotice:
    """一次性告知: one notice listing every missing and defective material with its reason."""
    now = _now(now)
    case = _lock(case)
    step = check(case, Act.ISSUE_NOTICE, actor, now)
    items = [
        {
            "material": line["material"],
            "name": line["name"],
            "problem": line["status"],
            "reason": line["reason"],
        }
        for line in case.checklist
        if line["status"] in (LineStatus.MISSING, LineStatus.DEFECTIVE)
    ]
    number = OneTimeNotice.objects.filter(case=case).count() + 1
    notice = OneTimeNotice.objects.create(
        case=case,
        number=number,
        items=items,
        amendments_at_issue=case.amendments,
        issued_at=now,
        issued_by=actor,
    )
    change = _Change(case)
    change.do(
        Act.ISSUE_NOTICE,
        actor,
        now,
        channel=channel,
        checked=step,
        data={"notice": number, "materials": [i["material"] for i in items]},
    )
    change.commit()
    notifications.notify_applicant(
        case,
        kind="one_time_notice",
        now=now,
        text=_(
            "【便民】Your case %(number)s (%(item)s) needs: %(materials)s. Please bring them to "
            "%(center)s; everything needed is listed in the one-time notice."
        )
        % {
            "number": case.number,
            "item": case.item.name,
            "materials": "、".join(i["name"] for i in items),
            "center": case.center.name,
        },
    )
    return notice


@transaction.atomic
def record_correction(
    actor: User, case: Case | str, lines: list[LineIn], *, now=None, channel=Channel.WINDOW
) -> Case:
    """补正: the applicant brought what the notice asked for. The 5 days start again."""
    now = _now(now)
    case = _lock(case)
    step = check(case, Act.RECORD_CORRECTION, actor, now)
    if not lines:
        raise _error("checklist", _("Materials: record at least one corrected material."))
    merged = _merge_checklist(case.checklist, case.guide, lines)
    today = deadlines.local_date(now)
    change = _Change(case)
    change.do(
        Act.RECORD_CORRECTION,
        actor,
        now,
        channel=channel,
        checked=step,
        values={
            "checklist": merged,
            "materials_complete_on": today if in_order(merged) else None,
            "intake_deadline": deadlines.intake_deadline(today),
            "intake_warned": False,
        },
    )
    return change.commit()


def _clock_values(case: Case, *, started_on, total, paused) -> dict:
    c = deadlines.clock(started_on, total, paused)
    return {"due_at": c.due_at, "warn_at": c.warn_at, "due_provisional": c.provisional}


def _accept(change: _Change, actor, now, pledge: PledgeIn | None, channel) -> None:
    case = change.case
    step = check(case, Act.ACCEPT, actor, now)
    today = deadlines.local_date(now)
    started = case.materials_complete_on or today
    promised = case.guide.promised_days or case.guide.statutory_days
    values = {
        "accepted_at": now,
        "clock_started_on": started,
        "promised_days": promised,
        **_clock_values(case, started_on=started, total=promised, paused=0),
    }
    deferred = [line for line in case.checklist if line["status"] == LineStatus.DEFERRED]
    data = {}
    if deferred:
        values.update(_pledge_values(case, deferred, pledge, today, values["due_at"]))
        data["pledge"] = {"materials": values["pledge_materials"], "due": str(values["pledge_due"])}
    elif pledge is not None and (pledge.due or pledge.signer):
        raise _error("pledge", _("Pledge: no material is marked deferred."))
    change.do(Act.ACCEPT, actor, now, channel=channel, checked=step, values=values, data=data)


def _pledge_values(case, deferred, pledge, today, due) -> dict:
    if not case.guide.allows_deferral:
        raise _error("pledge", _("Pledge: this item's guide does not allow deferred materials."))
    if pledge is None or pledge.due is None:
        raise _error(
            "pledge.due",
            _("Pledge: deferred materials need the applicant's signed pledge with a date."),
        )
    signer = _required_text(pledge.signer, "pledge.signer", _("Pledge signed by"), 40)
    listed = on_dishonesty_list(case, today)
    if listed is not None:
        raise _error(
            "pledge",
            _(
                "Pledge: the applicant is on %(center)s's dishonesty list (%(reason)s); "
                "deferred acceptance is not possible."
            )
            % {"center": case.center.name, "reason": listed.reason or _("no reason given")},
        )
    if pledge.due <= today:
        raise _error("pledge.due", _("Pledged date: it must be after today."))
    if due is not None and pledge.due > deadlines.local_date(due):
        raise _error(
            "pledge.due",
            _("Pledged date: it may not be later than the promised time limit (%(date)s).")
            % {"date": deadlines.local_date(due).isoformat()},
        )
    return {
        "pledge_materials": [line["material"] for line in deferred],
        "pledge_due": pledge.due,
        "pledge_signer": signer,
        "pledge_status": Case.PledgeStatus.OPEN,
        "pledge_reminded": False,
    }


def _tell_accepted(case: Case, now) -> None:
    due = (
        _("by %(date)s") % {"date": deadlines.local_date(case.due_at).isoformat()}
        if case.due_at
        else ""
    )
    notifications.notify_applicant(
        case,
        kind="accepted",
        now=now,
        text=_("【便民】Your case %(number)s (%(item)s) was accepted and will be decided %(due)s.")
        % {"number": case.number, "item": case.item.name, "due": due},
    )


@transaction.atomic
def accept(
    actor: User,
    case: Case | str,
    *,
    pledge: PledgeIn | None = None,
    now=None,
    channel=Channel.WINDOW,
) -> Case:
    """受理 (with a pledge for deferred materials: 容缺受理). The promised time limit starts."""
    now = _now(now)
    case = _lock(case)
    change = _Change(case)
    _accept(change, actor, now, pledge, channel)
    case = change.commit()
    _tell_accepted(case, now)
    return case


def _end_values(now, reason) -> dict:
    return {"closed_at": now, "final_reason": reason}


@transaction.atomic
def reject(
    actor: User,
    case: Case | str,
    *,
    reason: str,
    legal_basis: str = "",
    now=None,
    channel=Channel.WINDOW,
) -> Case:
    """不予受理: with the reason and its legal basis, in writing."""
    now = _now(now)
    case = _lock(case)
    step = check(case, Act.REJECT, actor, now)
    reason = _required_text(reason, "reason", _("Reason"), 500)
    legal_basis = _required_text(legal_basis, "legal_basis", _("Legal basis of the decision"), 300)
    change = _Change(case)
    change.do(
        Act.REJECT,
        actor,
        now,
        channel=channel,
        checked=step,
        reason=reason,
        values={**_end_values(now, reason), "legal_basis": legal_basis},
    )
    return change.commit()


@transaction.atomic
def withdraw(
    actor: User, case: Case | str, *, reason: str, now=None, channel=Channel.WINDOW
) -> Case:
    """撤回: the applicant withdraws the application."""
    now = _now(now)
    case = _lock(case)
    step = check(case, Act.WITHDRAW, actor, now)
    reason = _required_text(reason, "reason", _("Reason"), 500)
    change = _Change(case)
    change.do(
        Act.WITHDRAW,
        actor,
        now,
        channel=channel,
        checked=step,
        reason=reason,
        values=_end_values(now, reason),
    )
    return change.commit()


# --- Back office ---------------------------------------------------------------------------------


@transaction.atomic
def claim(actor: User, case: Case | str, *, now=None, channel=Channel.WINDOW) -> Case:
    """An officer of the case's department takes it from the department's queue."""
    now = _now(now)
    case = _lock(case)
    step = check(case, Act.CLAIM, actor, now)
    change = _Change(case)
    change.do(Act.CLAIM, actor, now, channel=channel, checked=step, values={"officer": actor})
    return change.commit()


@transaction.atomic
def release(
    actor: User, case: Case | str, *, reason: str, now=None, channel=Channel.WINDOW
) -> Case:
    """The case goes back to the department's queue: its officer gives it back, or the center's
    manager takes it from an officer who is away. The steps done so far stay done."""
    now = _now(now)
    case = _lock(case)
    step = check(case, Act.RELEASE, actor, now)
    reason = _required_text(reason, "reason", _("Reason for giving the case back"), 300)
    change = _Change(case)
    change.do(
        Act.RELEASE,
        actor,
        now,
        channel=channel,
        checked=step,
        reason=reason,
        values={"officer": None},
    )
    return change.commit()


@transaction.atomic
def complete_step(
    actor: User, case: Case | str, *, note: str = "", now=None, channel=Channel.WINDOW
) -> Case:
    """The next step of the guide's procedure is done (审查, 调查核实, 公示 …)."""
    from .steps import back_office_steps

    now = _now(now)
    case = _lock(case)
    step = check(case, Act.COMPLETE_STEP, actor, now)
    done = back_office_steps(case.guide)[case.steps_done]
    change = _Change(case)
    change.do(
        Act.COMPLETE_STEP,
        actor,
        now,
        channel=channel,
        checked=step,
        reason=(note or "").strip(),
        values={"steps_done": case.steps_done + 1},
        data={"step": done.name},
    )
    return change.commit()


@transaction.atomic
def return_to_intake(
    actor: User, case: Case | str, *, comment: str, now=None, channel=Channel.WINDOW
) -> Case:
    """退回: back to the window with the officer's comments (the clock keeps running)."""
    now = _now(now)
    case = _lock(case)
    step = check(case, Act.RETURN_TO_INTAKE, actor, now)
    comment = _required_text(comment, "comment", _("Comments"), 300)
    change = _Change(case)
    change.do(
        Act.RETURN_TO_INTAKE,
        actor,
        now,
        channel=channel,
        checked=step,
        reason=comment,
        values={"return_comment": comment},
    )
    case = change.commit()
    notifications.notify_staff(
        [case.received_by] if case.received_by_id else [],
        case=case,
        kind="returned",
        now=now,
        text=_("Case %(number)s was returned to intake: %(comment)s")
        % {"number": case.number, "comment": comment},
    )
    return case


@transaction.atomic
def resubmit(
    actor: User, case: Case | str, *, note: str = "", now=None, channel=Channel.WINDOW
) -> Case:
    """The window has dealt with the comments: back into the department's queue."""
    now = _now(now)
    case = _lock(case)
    step = check(case, Act.RESUBMIT, actor, now)
    change = _Change(case)
    change.do(
        Act.RESUBMIT,
        actor,
        now,
        channel=channel,
        checked=step,
        reason=(note or "").strip(),
        values={"officer": None, "return_comment": ""},
    )
    return change.commit()


@transaction.atomic
def forward(
    actor: User,
    case: Case | str,
    *,
    authority: str,
    note: str = "",
    now=None,
    channel=Channel.WINDOW,
) -> Case:
    """转报: sent to county level; the receiving authority is recorded and the case waits."""
    now = _now(now)
    case = _lock(case)
    step = check(case, Act.FORWARD, actor, now)
    authority = _required_text(authority, "authority", _("Receiving authority"), 120)
    change = _Change(case)
    change.do(
        Act.FORWARD,
        actor,
        now,
        channel=channel,
        checked=step,
        reason=(note or "").strip(),
        values={"forwarded_to": authority, "forwarded_at": now},
    )
    case = change.commit()
    days = case.guide.promised_days or case.guide.statutory_days
    notifications.notify_applicant(
        case,
        kind="forwarded",
        now=now,
        text=_(
            "【便民】Your case %(number)s was forwarded to %(authority)s, which decides it "
            "within %(days)s working days."
        )
        % {"number": case.number, "authority": authority, "days": days or "—"},
    )
    return case


def _decide(
    actor, case, action, *, approved, reason, legal_basis, result_note, now, channel
) -> Case:
    case = _lock(case)
    step = check(case, action, actor, now)
    reason = (reason or "").strip()
    legal_basis = (legal_basis or "").strip()
    if not approved:
        reason = _required_text(reason, "reason", _("Reason for the denial"), 500)
        legal_basis = _required_text(
            legal_basis, "legal_basis", _("Legal basis of the decision"), 300
        )
    values = {
        "decision": Case.Decision.APPROVED if approved else Case.Decision.DENIED,
        "decision_reason": reason,
        "legal_basis": legal_basis[:300],
        "decided_at": now,
        "decided_by": actor,
        "result_note": (result_note or "").strip()[:200],
    }
    data = {}
    if action in (Act.APPROVE, Act.DENY):
        from .steps import back_office_steps

        steps = back_office_steps(case.guide)
        if steps:
            values["steps_done"] = len(steps)
            data["step"] = steps[-1].name
    if case.due_at is not None:
        data["on_time"] = now <= case.due_at
    if not approved and case.pledge_status == Case.PledgeStatus.OPEN:
        # Nothing is handed out for a denial: the pledged material is no longer owed.
        values["pledge_status"] = Case.PledgeStatus.RELEASED
    change = _Change(case)
    change.do(
        action, actor, now, channel=channel, checked=step, reason=reason, values=values, data=data
    )
    return change.commit()


@transaction.atomic
def approve(
    actor: User,
    case: Case | str,
    *,
    note: str = "",
    result_note: str = "",
    now=None,
    channel=Channel.WINDOW,
) -> Case:
    """准予: the department grants the application."""
    return _decide(
        actor,
        case,
        Act.APPROVE,
        approved=True,
        reason=note,
        legal_basis="",
        result_note=result_note,
        now=_now(now),
        channel=channel,
    )


@transaction.atomic
def deny(
    actor: User,
    case: Case | str,
    *,
    reason: str,
    legal_basis: str,
    now=None,
    channel=Channel.WINDOW,
) -> Case:
    """不予: the department refuses, with the reason and its legal basis."""
    return _decide(
        actor,
        case,
        Act.DENY,
        approved=False,
        reason=reason,
        legal_basis=legal_basis,
        result_note="",
        now=_now(now),
        channel=channel,
    )


@transaction.atomic
def record_county_result(
    actor: User,
    case: Case | str,
    *,
    approved: bool,
    reason: str = "",
    legal_basis: str = "",
    result_note: str = "",
    now=None,
    channel=Channel.WINDOW,
) -> Case:
    """The county's decision on a forwarded case has come back."""
    return _decide(
        actor,
        case,
        Act.COUNTY_APPROVE if approved else Act.COUNTY_DENY,
        approved=approved,
        reason=reason,
        legal_basis=legal_basis,
        result_note=result_note,
        now=_now(now),
        channel=channel,
    )


@transaction.atomic
def prepare_result(
    actor: User, case: Case | str, *, result_note: str = "", now=None, channel=Channel.WINDOW
) -> Case:
    """The result (certificate, decision) is at the window, ready to hand out or post."""
    now = _now(now)
    case = _lock(case)
    step = check(case, Act.PREPARE_RESULT, actor, now)
    change = _Change(case)
    values = {"result_ready_at": now}
    if result_note:
        values["result_note"] = result_note.strip()[:200]
    change.do(Act.PREPARE_RESULT, actor, now, channel=channel, checked=step, values=values)
    case = change.commit()
    owed = pledged_still_owed(case)
    if owed:
        text = _(
            "【便民】The result of your case %(number)s is ready. As pledged, bring %(materials)s "
            "to %(center)s by %(date)s: the result is handed out once it has arrived."
        ) % {
            "number": case.number,
            "materials": "、".join(owed),
            "center": case.center.name,
            "date": case.pledge_due.isoformat(),
        }
    else:
        text = _(
            "【便民】The result of your case %(number)s is ready: collect it at %(center)s with "
            "your identity card, or ask for free delivery by post."
        ) % {"number": case.number, "center": case.center.name}
    notifications.notify_applicant(case, kind="result_ready", now=now, text=text)
    return case


def pledged_still_owed(case: Case) -> list[str]:
    """The names of the pledged materials not supplied yet (empty without an open pledge)."""
    if case.pledge_status not in (Case.PledgeStatus.OPEN, Case.PledgeStatus.OVERDUE):
        return []
    return [
        line["name"]
        for line in case.checklist
        if line["material"] in (case.pledge_materials or [])
        and line["status"] == LineStatus.DEFERRED
    ]


# --- Hand-out ------------------------------------------------------------------------------------


def _check_holder(case: Case, data: HandoutIn) -> tuple[str, str]:
    """Identity check at hand-out: returns (handed to, what was checked)."""
    if data.receiver == "proxy":
        p = data.proxy or ProxyIn()
        person = _person(p.name, p.id_number, p.mobile, prefix="proxy.")
        authorization = (p.authorization or "").strip()
        if not authorization and not (case.proxy_id == person.pk and case.proxy_authorization):
            raise _error(
                "proxy.authorization",
                _("Authorization: a proxy collecting the result needs a written authorization."),
            )
        authorization = authorization or case.proxy_authorization
        return person.name, _("Collected by proxy %(id)s with authorization: %(auth)s") % {
            "id": person.id_number_masked,
            "auth": authorization[:120],
        }
    try:
        person = find_person(data.id_number)
    except ValidationError as e:
        raise ValidationError({"id_number": e.messages}) from None
    expected = {case.person_id, case.proxy_id}
    if case.organisation_id:
        expected.add(case.organisation.representative_id)
    expected.discard(None)
    if person is None or person.pk not in expected:
        raise _error(
            "id_number",
            _("Identity number: it does not match the applicant; a proxy needs an authorization."),
        )
    return person.name, _("Identity card checked: %(id)s") % {"id": person.id_number_masked}


@transaction.atomic
def hand_out(
    actor: User, case: Case | str, data: HandoutIn, *, now=None, channel=Channel.WINDOW
) -> Case:
    """出件 at the window after the identity check (or a proxy's authorization); then closed."""
    now = _now(now)
    case = _lock(case)
    step = check(case, Act.HAND_OUT, actor, now)
    handed_to, checked = _check_holder(case, data)
    change = _Change(case)
    change.do(
        Act.HAND_OUT,
        actor,
        now,
        channel=channel,
        checked=step,
        values={
            "handout_method": Case.HandoutMethod.WINDOW,
            "handed_out_at": now,
            "handed_to": handed_to[:60],
            "handout_check": checked[:200],
        },
    )
    change.do(Act.CLOSE, actor, now, channel=channel, values={"closed_at": now})
    return change.commit()


@transaction.atomic
def send_by_post(
    actor: User, case: Case | str, data: DeliveryIn, *, now=None, channel=Channel.WINDOW
) -> Delivery:
    """免费寄递: the result goes by post, free of charge, with its tracking number."""
    now = _now(now)
    case = _lock(case)
    step = check(case, Act.SEND_BY_POST, actor, now)
    errors: dict[str, list[str]] = {}  # every field's error at once, not the first only

    def field(value, name, label, max_length):
        try:
            return _required_text(value, name, label, max_length)
        except ValidationError as e:
            errors.update(e.message_dict)
            return ""

    recipient = field(data.recipient, "recipient", _("Recipient"), 40)
    address = field(data.address, "address", _("Address"), 200)
    carrier = field(data.carrier, "carrier", _("Carrier"), 40)
    tracking = field(data.tracking_number, "tracking_number", _("Tracking number"), 40)
    postal = (data.postal_code or "").strip()
    if postal and not (len(postal) == 6 and postal.isdigit()):
        errors["postal_code"] = [_("Postal code: 6 digits.")]
    if errors:
        raise ValidationError(errors)
    if Delivery.objects.filter(carrier=carrier, tracking_number=tracking).exists():
        raise _error("tracking_number", _("Tracking number: already used for another delivery."))
    delivery = Delivery.objects.create(
        case=case,
        recipient=recipient,
        address_sealed=seal_text(address),
        address_masked=mask_address(address),
        postal_code=postal,
        carrier=carrier,
        tracking_number=tracking,
        status=Delivery.Status.SENT,
        sent_at=now,
    )
    change = _Change(case)
    change.do(
        Act.SEND_BY_POST,
        actor,
        now,
        channel=channel,
        checked=step,
        values={"handout_method": Case.HandoutMethod.POST},
        data={"delivery": delivery.pk, "carrier": carrier, "tracking_number": tracking},
    )
    change.commit()
    notifications.notify_applicant(
        case,
        kind="sent_by_post",
        now=now,
        text=_(
            "【便民】The result of your case %(number)s was posted free of charge: %(carrier)s %(tracking)s."
        )
        % {"number": case.number, "carrier": carrier, "tracking": tracking},
    )
    return delivery


def _open_delivery(case: Case) -> Delivery:
    return Delivery.objects.select_for_update().get(case=case, status=Delivery.Status.SENT)


@transaction.atomic
def confirm_delivery(
    actor: User | None, case: Case | str, *, now=None, channel=Channel.WINDOW
) -> Case:
    """The post delivered the result: it counts as handed out, and the case closes."""
    now = _now(now)
    case = _lock(case)
    step = check(case, Act.CONFIRM_DELIVERY, actor, now)
    delivery = _open_delivery(case)
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.DELIVERED, delivered_at=now
    )
    change = _Change(case)
    change.do(
        Act.CONFIRM_DELIVERY,
        actor,
        now,
        channel=channel,
        checked=step,
        values={
            "handed_out_at": now,
            "handed_to": delivery.recipient[:60],
            "handout_check": (
                _("Delivered by %(carrier)s %(tracking)s")
                % {"carrier": delivery.carrier, "tracking": delivery.tracking_number}
            )[:200],
        },
        data={"delivery": delivery.pk},
    )
    change.do(Act.CLOSE, actor, now, channel=channel, values={"closed_at": now})
    return change.commit()


@transaction.atomic
def delivery_returned(
    actor: User | None, case: Case | str, *, reason: str, now=None, channel=Channel.WINDOW
) -> Case:
    """The post brought the result back: it waits at the window again."""
    now = _now(now)
    case = _lock(case)
    step = check(case, Act.DELIVERY_RETURNED, actor, now)
    reason = _required_text(reason, "reason", _("Reason"), 300)
    delivery = _open_delivery(case)
    Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.RETURNED, returned_at=now)
    change = _Change(case)
    change.do(
        Act.DELIVERY_RETURNED,
        actor,
        now,
        channel=channel,
        checked=step,
        reason=reason,
        values={"handout_method": Case.HandoutMethod.NONE},
        data={"delivery": delivery.pk},
    )
    return change.commit()


@transaction.atomic
def close(actor: User | None, case: Case | str, *, now=None, channel=Channel.WINDOW) -> Case:
    now = _now(now)
    case = _lock(case)
    step = check(case, Act.CLOSE, actor, now)
    change = _Change(case)
    change.do(Act.CLOSE, actor, now, channel=channel, checked=step, values={"closed_at": now})
    return change.commit()


# --- Suspension, termination ---------------------------------------------------------------------


def _suspend(change: _Change, action, actor, now, reason, channel, extra=None, step=None) -> None:
    case = change.case
    step = step or check(case, action, actor, now)
    change.do(
        action,
        actor,
        now,
        channel=channel,
        checked=step,
        reason=reason,
        values={
            "state_before_suspension": case.state,
            "suspended_at": now,
            "suspension_reason": reason[:300],
            **(extra or {}),
        },
    )


@transaction.atomic
def suspend(
    actor: User, case: Case | str, *, reason: str, now=None, channel=Channel.WINDOW
) -> Case:
    """中止: the clock pauses (the applicant must act, an expert opinion is awaited …)."""
    now = _now(now)
    case = _lock(case)
    reason = _required_text(reason, "reason", _("Reason"), 300)
    change = _Change(case)
    _suspend(change, Act.SUSPEND, actor, now, reason, channel)
    return change.commit()


def _resume(change: _Change, actor, now, note, channel) -> None:
    case = change.case
    step = check(case, Act.RESUME, actor, now)
    values = {"suspended_at": None, "suspension_reason": "", "state_before_suspension": ""}
    if case.state_before_suspension in CLOCK_STATES:
        # The clock was running: it runs again, the due date moved by the days paused. (A
        # decided case suspended for its pledge has no clock left to move.)
        paused = case.paused_days + deadlines.paused_working_days(case.suspended_at, now)
        values["paused_days"] = paused
        values.update(
            _clock_values(
                case, started_on=case.clock_started_on, total=case.total_days, paused=paused
            )
        )
        if values["warn_at"] is not None and values["warn_at"] > now:
            values["yellow_warned"] = False
        if values["due_at"] is not None and values["due_at"] >= now:
            values["overdue_marked"] = False
    change.do(Act.RESUME, actor, now, channel=channel, checked=step, reason=note, values=values)


@transaction.atomic
def resume(
    actor: User | None, case: Case | str, *, note: str = "", now=None, channel=Channel.WINDOW
) -> Case:
    """The cause of the suspension is gone: the clock runs again, the due date moved by the
    working days the case was suspended."""
    now = _now(now)
    case = _lock(case)
    change = _Change(case)
    _resume(change, actor, now, (note or "").strip(), channel)
    return change.commit()


@transaction.atomic
def terminate(
    actor: User | None, case: Case | str, *, reason: str, now=None, channel=Channel.WINDOW
) -> Case:
    """终止: the case ends without a decision (e.g. the pledged material never came)."""
    now = _now(now)
    case = _lock(case)
    step = check(case, Act.TERMINATE, actor, now)
    reason = _required_text(reason, "reason", _("Reason"), 500)
    change = _Change(case)
    change.do(
        Act.TERMINATE,
        actor,
        now,
        channel=channel,
        checked=step,
        reason=reason,
        values=_end_values(now, reason),
    )
    case = change.commit()
    notifications.notify_applicant(
        case,
        kind="terminated",
        now=now,
        text=_("【便民】Your case %(number)s was terminated: %(reason)s")
        % {"number": case.number, "reason": reason},
    )
    return case


# --- Extension -----------------------------------------------------------------------------------

MAX_EXTENSION_DAYS = 30


@transaction.atomic
def request_extension(
    actor: User, case: Case | str, *, days: int, reason: str, now=None, channel=Channel.WINDOW
) -> Case:
    """延期: asked by the clerk or officer before the time limit runs out."""
    now = _now(now)
    case = _lock(case)
    step = check(case, Act.REQUEST_EXTENSION, actor, now)
    try:
        days = int(days)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= MAX_EXTENSION_DAYS:
        raise _error(
            "days",
            _("Extension: between 1 and %(max)d working days.") % {"max": MAX_EXTENSION_DAYS},
        )
    reason = _required_text(reason, "reason", _("Reason for the extension"), 300)
    change = _Change(case)
    change.do(
        Act.REQUEST_EXTENSION,
        actor,
        now,
        channel=channel,
        checked=step,
        reason=reason,
        values={
            "extension_status": Case.ExtensionStatus.REQUESTED,
            "extension_requested_days": days,
            "extension_reason": reason,
        },
    )
    case = change.commit()
    notifications.notify_staff(
        notifications.staff_of(case, clerk=False, officer=False, manager=True),
        case=case,
        kind="extension_requested",
        now=now,
        text=_("Case %(number)s: %(days)d more working days requested (%(reason)s).")
        % {"number": case.number, "days": days, "reason": reason},
    )
    return case


@transaction.atomic
def approve_extension(actor: User, case: Case | str, *, now=None, channel=Channel.WINDOW) -> Case:
    """The leader approves: the due date moves, and the applicant is told (延期通知)."""
    now = _now(now)
    case = _lock(case)
    step = check(case, Act.APPROVE_EXTENSION, actor, now)
    if case.due_at is not None and now > case.due_at:
        raise _error("extension", _("Extension: the time limit has already run out."))
    extended = case.extended_days + case.extension_requested_days
    values = {
        "extension_status": Case.ExtensionStatus.APPROVED,
        "extended_days": extended,
        **_clock_values(
            case,
            started_on=case.clock_started_on,
            total=(case.promised_days or 0) + extended,
            paused=case.paused_days,
        ),
    }
    if values["warn_at"] is not None and values["warn_at"] > now:
        values["yellow_warned"] = False
    change = _Change(case)
    change.do(Act.APPROVE_EXTENSION, actor, now, channel=channel, checked=step, values=values)
    case = change.commit()
    notifications.notify_applicant(
        case,
        kind="extended",
        now=now,
        text=_(
            "【便民】The time limit of your case %(number)s was extended to %(date)s: %(reason)s"
        )
        % {
            "number": case.number,
            "date": deadlines.local_date(case.due_at).isoformat(),
            "reason": case.extension_reason,
        },
    )
    return case


@transaction.atomic
def refuse_extension(
    actor: User, case: Case | str, *, reason: str, now=None, channel=Channel.WINDOW
) -> Case:
    now = _now(now)
    case = _lock(case)
    step = check(case, Act.REFUSE_EXTENSION, actor, now)
    reason = _required_text(reason, "reason", _("Reason"), 300)
    change = _Change(case)
    change.do(
        Act.REFUSE_EXTENSION,
        actor,
        now,
        channel=channel,
        checked=step,
        reason=reason,
        values={"extension_status": Case.ExtensionStatus.REFUSED},
    )
    return change.commit()


# --- Pledges -------------------------------------------------------------------------------------


@transaction.atomic
def supply_deferred(
    actor: User, case: Case | str, *, material: int, now=None, channel=Channel.WINDOW
) -> Case:
    """A pledged material arrived. When all have, the pledge is fulfilled; a case suspended for
    the broken pledge resumes."""
    now = _now(now)
    case = _lock(case)
    step = check(case, Act.SUPPLY_DEFERRED, actor, now)
    try:
        material = int(material)
    except (TypeError, ValueError):
        material = -1
    pending = [
        line
        for line in case.checklist
        if line["material"] in case.pledge_materials and line["status"] == LineStatus.DEFERRED
    ]
    if material not in [line["material"] for line in pending]:
        raise _error("material", _("Material: not one of the pledged materials still to come."))
    lines = [
        {**line, "status": LineStatus.PROVIDED} if line["material"] == material else line
        for line in case.checklist
    ]
    fulfilled = len(pending) == 1
    was_overdue = case.pledge_status == Case.PledgeStatus.OVERDUE
    values = {"checklist": lines}
    if fulfilled:
        values["pledge_status"] = Case.PledgeStatus.FULFILLED
    name = next(line["name"] for line in pending if line["material"] == material)
    change = _Change(case)
    change.do(
        Act.SUPPLY_DEFERRED,
        actor,
        now,
        channel=channel,
        checked=step,
        values=values,
        data={"material": material, "name": name},
    )
    if fulfilled and was_overdue and case.state == State.SUSPENDED:
        _resume(change, None, now, _("The pledged material arrived."), channel)
    return change.commit()


# --- Timers (system) -----------------------------------------------------------------------------


def _system(
    case_or_id, action: str, now: dt.datetime, body: Callable[[_Change], None]
) -> Case | None:
    """Run one timer action on one case if its guard still holds (idempotent: a second run, or
    another process, finds the guard false and does nothing)."""
    with transaction.atomic():
        case = _lock(case_or_id)
        try:
            step = check(case, action, None, now)
        except (ValidationError, PermissionDenied):
            return None
        change = _Change(case)
        body(change, step)
        return change.commit()


def warn_intake(case, *, now=None) -> Case | None:
    now = _now(now)

    def body(change, step):
        change.do(Act.WARN_INTAKE, None, now, checked=step, values={"intake_warned": True})
        c = change.case
        notifications.notify_staff(
            notifications.staff_of(c, officer=False),
            case=c,
            kind="intake_warning",
            now=now,
            text=_(
                "Case %(number)s: tell the applicant what is missing by %(date)s, or it counts "
                "as accepted from receipt (行政许可法 第三十二条)."
            )
            % {"number": c.number, "date": c.intake_deadline.isoformat()},
        )

    return _system(case, Act.WARN_INTAKE, now, body)


def deem_accepted(case, *, now=None) -> Case | None:
    """No notice within 5 working days: the application counts as accepted from receipt."""
    now = _now(now)

    def body(change, step):
        c = change.case
        started = deadlines.local_date(c.received_at)
        promised = c.guide.promised_days or c.guide.statutory_days
        change.do(
            Act.DEEM_ACCEPTED,
            None,
            now,
            checked=step,
            reason=_("No one-time notice within 5 working days (行政许可法 第三十二条)."),
            values={
                "accepted_at": c.received_at,
                "deemed_accepted": True,
                "clock_started_on": started,
                "promised_days": promised,
                **_clock_values(c, started_on=started, total=promised, paused=0),
            },
        )
        notifications.notify_staff(
            notifications.staff_of(c),
            case=c,
            kind="deemed_accepted",
            now=now,
            text=_(
                "Case %(number)s counts as accepted from receipt: no notice within 5 working days."
            )
            % {"number": c.number},
        )

    case = _system(case, Act.DEEM_ACCEPTED, now, body)
    if case is not None:
        _tell_accepted(case, now)
    return case


def remind_pledge(case, *, now=None) -> Case | None:
    now = _now(now)

    def body(change, step):
        c = change.case
        change.do(Act.REMIND_PLEDGE, None, now, checked=step, values={"pledge_reminded": True})
        names = [
            line["name"]
            for line in c.checklist
            if line["material"] in c.pledge_materials and line["status"] == LineStatus.DEFERRED
        ]
        notifications.notify_applicant(
            c,
            kind="pledge_reminder",
            now=now,
            text=_(
                "【便民】Reminder: as pledged, please bring %(materials)s for case %(number)s by %(date)s."
            )
            % {"materials": "、".join(names), "number": c.number, "date": c.pledge_due.isoformat()},
        )

    return _system(case, Act.REMIND_PLEDGE, now, body)


def pledge_overdue(case, *, now=None) -> Case | None:
    """The pledged date passed without the material: the case is suspended."""
    now = _now(now)

    def body(change, step):
        c = change.case
        reason = _("The pledged material did not arrive by %(date)s.") % {
            "date": c.pledge_due.isoformat()
        }
        _suspend(
            change,
            Act.PLEDGE_OVERDUE,
            None,
            now,
            reason,
            Channel.SYSTEM,
            extra={"pledge_status": Case.PledgeStatus.OVERDUE},
            step=step,
        )
        notifications.notify_applicant(
            c,
            kind="pledge_overdue",
            now=now,
            text=_("【便民】Case %(number)s is suspended: %(reason)s")
            % {"number": c.number, "reason": reason},
        )
        notifications.notify_staff(
            notifications.staff_of(c),
            case=c,
            kind="pledge_overdue",
            now=now,
            text=_("Case %(number)s is suspended: %(reason)s")
            % {"number": c.number, "reason": reason},
        )

    return _system(case, Act.PLEDGE_OVERDUE, now, body)


def terminate_broken_pledge(case, *, now=None) -> Case | None:
    now = _now(now)

    def body(change, step):
        c = change.case
        reason = _("The pledged material never arrived (pledged for %(date)s).") % {
            "date": c.pledge_due.isoformat()
        }
        change.do(
            Act.TERMINATE, None, now, checked=step, reason=reason, values=_end_values(now, reason)
        )
        notifications.notify_applicant(
            c,
            kind="terminated",
            now=now,
            text=_("【便民】Your case %(number)s was terminated: %(reason)s")
            % {"number": c.number, "reason": reason},
        )

    return _system(case, Act.TERMINATE, now, body)


def warn_deadline(case, *, now=None) -> Case | None:
    now = _now(now)

    def body(change, step):
        c = change.case
        change.do(Act.WARN_DEADLINE, None, now, checked=step, values={"yellow_warned": True})
        notifications.notify_staff(
            notifications.staff_of(c),
            case=c,
            kind="yellow",
            now=now,
            text=_("Yellow warning: case %(number)s (%(item)s) is due %(date)s.")
            % {
                "number": c.number,
                "item": c.item.name,
                "date": deadlines.local_date(c.due_at).isoformat(),
            },
        )

    return _system(case, Act.WARN_DEADLINE, now, body)


def mark_overdue(case, *, now=None) -> Case | None:
    now = _now(now)

    def body(change, step):
        c = change.case
        change.do(Act.MARK_OVERDUE, None, now, checked=step, values={"overdue_marked": True})
        notifications.notify_staff(
            notifications.staff_of(c),
            case=c,
            kind="red",
            now=now,
            text=_("Overdue: case %(number)s (%(item)s) was due %(date)s.")
            % {
                "number": c.number,
                "item": c.item.name,
                "date": deadlines.local_date(c.due_at).isoformat(),
            },
        )

    return _system(case, Act.MARK_OVERDUE, now, body)


# --- Materials on file ---------------------------------------------------------------------------


@transaction.atomic
def attach_file(
    actor: User,
    case: Case | str,
    *,
    content: bytes,
    name: str,
    material: int | None = None,
    source: str = MaterialFile.Source.SCAN,
    now=None,
    channel=Channel.WINDOW,
) -> MaterialFile:
    """File a scan or upload against one of the guide's materials (stored once, by checksum)."""
    now = _now(now)
    case = _lock(case)
    step = check(case, Act.ATTACH_FILE, actor, now)
    material_obj = None
    if material not in (None, ""):
        material_obj = Material.objects.filter(pk=material, guide_id=case.guide_id).first()
        if material_obj is None:
            raise _error("material", _("Material: not a material of this case's guide."))
    if source not in MaterialFile.Source.values:
        raise _error("source", _("Source: not a known source."))
    path, digest, kind = files.store(content)
    record = MaterialFile.objects.create(
        case=case,
        material=material_obj,
        name=(name or material_obj.name if material_obj else name or "file")[:120],
        content_type=kind,
        size=len(content),
        sha256=digest,
        path=path,
        source=source,
        uploaded_at=now,
        uploaded_by=actor,
    )
    change = _Change(case)
    change.do(
        Act.ATTACH_FILE,
        actor,
        now,
        channel=channel,
        checked=step,
        data={
            "file": record.pk,
            "sha256": digest,
            "name": record.name,
            "material": material_obj.pk if material_obj else None,
        },
    )
    change.commit()
    return record


# --- The dishonesty list -------------------------------------------------------------------------


@dataclass
class ImportResult:
    added: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)


@transaction.atomic
def import_dishonesty_list(
    actor: User, center: Center, rows: list[dict], *, now=None, replace: bool = False
) -> ImportResult:
    """Import a center's dishonesty list: rows of name, identity number or credit code, reason,
    listed on, removed on. All or nothing: a bad row is reported with its line and saves nothing.
    """
    authorize(actor, Action.MANAGE_CENTER, center=center)
    now = _now(now)
    result = ImportResult()
    prepared = []
    for index, row in enumerate(rows, start=2):
        name = (row.get("name") or "").strip()
        number = (row.get("number") or "").strip().upper()
        try:
            if not name:
                raise _error("name", _("Name: this field is required."))
            listed_on = _date(
                row.get("listed_on"), "listed_on", _("Listed on")
            ) or deadlines.local_date(now)
            until = _date(row.get("until"), "until", _("Removed on"))
            reason = (row.get("reason") or "").strip()[:300]
            entry = {"name": name, "reason": reason, "listed_on": listed_on, "until": until}
            try:
                person = _person(name, number, "", prefix="")
                prepared.append({**entry, "person": person, "credit_code": ""})
            except ValidationError as id_error:
                try:
                    code = validate_credit_code(number)
                except ValidationError:
                    raise id_error from None
                prepared.append({**entry, "person": None, "credit_code": code})
        except ValidationError as e:
            result.errors.append(
                _("Line %(line)d: %(error)s") % {"line": index, "error": "；".join(e.messages)}
            )
    if result.errors:
        transaction.set_rollback(True)
        return result
    if replace:
        DishonestEntry.objects.filter(center=center).delete()
    for entry in prepared:
        existing = DishonestEntry.objects.filter(
            center=center, person=entry["person"], credit_code=entry["credit_code"]
        ).first()
        if existing:
            for k, v in entry.items():
                setattr(existing, k, v)
            existing.imported_at = now
            existing.save()
            result.updated += 1
        else:
            DishonestEntry.objects.create(center=center, imported_at=now, **entry)
            result.added += 1
    return result


def _date(value, field_name: str, label: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip().replace("/", "-"))
    except ValueError:
        raise _error(
            field_name, _("%(label)s: write the date as 2026-03-01.") % {"label": label}
        ) from None


# --- One entry point for every action (the hypothesis test, the generic API) ---------------------

PERFORMERS: dict[str, Callable] = {
    Act.UPDATE_CHECKLIST: lambda a, c, **p: update_checklist(a, c, p.pop("lines", []), **p),
    Act.AMEND: amend_application,
    Act.ISSUE_NOTICE: issue_notice,
    Act.RECORD_CORRECTION: lambda a, c, **p: record_correction(a, c, p.pop("lines", []), **p),
    Act.ACCEPT: accept,
    Act.REJECT: reject,
    Act.CLAIM: claim,
    Act.RELEASE: release,
    Act.COMPLETE_STEP: complete_step,
    Act.RETURN_TO_INTAKE: return_to_intake,
    Act.RESUBMIT: resubmit,
    Act.FORWARD: forward,
    Act.COUNTY_APPROVE: lambda a, c, **p: record_county_result(a, c, approved=True, **p),
    Act.COUNTY_DENY: lambda a, c, **p: record_county_result(a, c, approved=False, **p),
    Act.APPROVE: approve,
    Act.DENY: deny,
    Act.PREPARE_RESULT: prepare_result,
    Act.HAND_OUT: lambda a, c, **p: hand_out(a, c, p.pop("data", HandoutIn()), **p),
    Act.SEND_BY_POST: lambda a, c, **p: send_by_post(a, c, p.pop("data", DeliveryIn()), **p),
    Act.CONFIRM_DELIVERY: confirm_delivery,
    Act.DELIVERY_RETURNED: delivery_returned,
    Act.CLOSE: close,
    Act.SUSPEND: suspend,
    Act.RESUME: resume,
    Act.TERMINATE: terminate,
    Act.WITHDRAW: withdraw,
    Act.REQUEST_EXTENSION: request_extension,
    Act.APPROVE_EXTENSION: approve_extension,
    Act.REFUSE_EXTENSION: refuse_extension,
    Act.SUPPLY_DEFERRED: supply_deferred,
    Act.ATTACH_FILE: attach_file,
}
TIMERS: dict[str, Callable] = {
    Act.WARN_INTAKE: warn_intake,
    Act.DEEM_ACCEPTED: deem_accepted,
    Act.REMIND_PLEDGE: remind_pledge,
    Act.PLEDGE_OVERDUE: pledge_overdue,
    Act.WARN_DEADLINE: warn_deadline,
    Act.MARK_OVERDUE: mark_overdue,
}


def perform(actor: User | None, case: Case | str, action: str, **params):
    """Do ``action`` to ``case``: the service of that action (or the timer, for ``system``)."""
    if actor is None and (action in TIMERS or action == Act.TERMINATE):
        runner = TIMERS.get(action, terminate_broken_pledge)
        return runner(case, now=params.get("now"))  # a timer takes no input but the clock
    if action not in PERFORMERS:
        raise Refused(_("Unknown action."), "action")
    return PERFORMERS[action](actor, case, **params)


def add_days(day: dt.date, n: int) -> dt.date:
    return add_working_days(day, n).date


def _person_concerned(case: Case):
    return case.person or (case.organisation.representative if case.organisation_id else None)


def reveal_delivery_address(
    viewer: User, case: Case, delivery: Delivery, ip_address: str | None = None
) -> str:
    """Where the result of ``case`` was posted (``delivery``, one of its own), in full, for
    example to check a returned letter: logged against the applicant like an unmasked number.
    The caller has checked that ``viewer`` may see the case."""
    purpose = _("Case %(number)s: postal address of delivery %(tracking)s") % {
        "number": case.number,
        "tracking": delivery.tracking_number,
    }
    return reveal_text(
        viewer,
        _person_concerned(case),
        delivery.address_sealed,
        field=PersonalDataAccess.Field.ADDRESS,
        purpose=purpose,
        ip_address=ip_address,
    )


def log_document_view(viewer: User, case: Case, purpose: str, ip_address: str | None) -> None:
    """The applicant's documents on file were opened (a scan, the case file as PDF): an
    access-log row for the person they concern (the organisation's representative for a
    business). The caller has checked that ``viewer`` may see the case."""
    person = _person_concerned(case)
    if person is not None:
        _log_view(viewer, person, purpose=purpose, ip_address=ip_address)
