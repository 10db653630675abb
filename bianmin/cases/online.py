"""Online applications (网上办): the citizen applies from the portal and answers a one-time
notice by uploading again.

Built on ``services`` (the one state machine decides; every change is an event with channel
``online``). The portal checks and downscales the files first (``bianmin.portal.uploads``);
here they are filed on the case with ``attach_file`` (source: uploaded by the applicant).

- ``submit_online_application``: a **received** case at the chosen center (the item must allow
  online handling and be entered there), with the checklist marking each material that has a
  file as *provided* (electronic); the center's clerks get an in-app message. The clerk then
  checks the files: accepts, or marks what is missing or defective and issues the one-time
  notice, as at the window.
- ``answer_notice``: the applicant uploads what the latest notice asked for; the files are filed
  and the correction recorded (the case is **received** again and the 5 working days start
  again); the clerk who issued the notice is told.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bianmin.catalog.models import Material, ServiceItem
from bianmin.identity.models import User
from bianmin.identity.roles import Role
from bianmin.identity.services import mask_name, reveal_id_number
from bianmin.org.models import Center

from . import notifications, services
from .machine import State
from .models import Case, Channel, MaterialFile, OneTimeNotice


@dataclass
class OnlineFile:
    material: int
    name: str
    content: bytes


def _file_name(f: OnlineFile) -> str:
    """The name on file leads with the material (申请人 files are often all "photo.jpg"), so
    every list of the case's files says which material each one is."""
    material = Material.objects.filter(pk=f.material).values_list("name", flat=True).first()
    if not material or (f.name or "").startswith(material):
        return f.name
    return f"{material}（{f.name}）" if f.name else material


def _citizen_person(user: User):
    if user is None or not user.is_authenticated or user.role != Role.CITIZEN:
        raise PermissionDenied(_("Online applications are made by citizens logged in."))
    person = getattr(user, "person", None)
    if person is None:
        raise PermissionDenied(
            _("Your account is not linked to a person yet; log in with your mobile number.")
        )
    return person


def _clerks(center: Center):
    return User.objects.filter(
        center=center, role__in=[Role.WINDOW_CLERK, Role.CENTER_MANAGER], is_active=True
    )


@transaction.atomic
def submit_online_application(
    user: User,
    *,
    center: Center,
    item: ServiceItem,
    uploads: list[OnlineFile],
    note: str = "",
    now: dt.datetime | None = None,
) -> Case:
    """网上申请: a received case (channel online) with the uploads on file."""
    now = now or timezone.now()
    person = _citizen_person(user)
    if not item.channel_online:
        raise ValidationError(
            {"item": [_("Item: %(item)s cannot be applied for online.") % {"item": item.name}]}
        )
    id_number = reveal_id_number(user, person, purpose="online application")
    guide_materials = {m.pk for m in services._materials(services._published(item, now))}
    for f in uploads:
        if f.material not in guide_materials:
            raise ValidationError(
                {"material": [_("Material: not a material of this item's guide.")]}
            )
    provided = sorted({f.material for f in uploads})
    case = services.open_case(
        user,
        center=center,
        item=item,
        applicant=services.ApplicantIn(kind="person", name=person.name, id_number=id_number),
        checklist=[
            services.LineIn(material=m, status=services.LineStatus.PROVIDED) for m in provided
        ],
        channel=Channel.ONLINE,
        application_note=note,
        now=now,
    )
    for f in uploads:
        services.attach_file(
            user,
            case,
            content=f.content,
            name=_file_name(f),
            material=f.material,
            source=MaterialFile.Source.UPLOAD,
            now=now,
            channel=Channel.ONLINE,
        )
    case.refresh_from_db()
    notifications.notify_staff(
        _clerks(center),
        case=case,
        kind="online_application",
        now=now,
        text=_("New online application %(number)s (%(item)s) from %(name)s: check the files.")
        % {"number": case.number, "item": item.name, "name": mask_name(person.name)},
    )
    return case


def latest_notice(case: Case) -> OneTimeNotice | None:
    return OneTimeNotice.objects.filter(case=case).order_by("-number").first()


@transaction.atomic
def answer_notice(
    user: User, case: Case | str, *, uploads: list[OnlineFile], now: dt.datetime | None = None
) -> Case:
    """补正 online: file the uploads and record the correction of the notice's materials."""
    now = now or timezone.now()
    _citizen_person(user)
    case = services._lock(case)
    if case.state != State.NOTICE_ISSUED:
        raise ValidationError(
            {"case": [_("Case: it is not waiting for a correction (no one-time notice open).")]}
        )
    notice = latest_notice(case)
    asked = notice.material_ids if notice else set()
    if not uploads:
        raise ValidationError(
            {"file": [_("File: upload at least one of the materials asked for.")]}
        )
    for f in uploads:
        if f.material not in asked:
            raise ValidationError(
                {"material": [_("Material: the one-time notice did not ask for this material.")]}
            )
    for f in uploads:
        services.attach_file(
            user,
            case,
            content=f.content,
            name=_file_name(f),
            material=f.material,
            source=MaterialFile.Source.UPLOAD,
            now=now,
            channel=Channel.ONLINE,
        )
    case = services.record_correction(
        user,
        case,
        [
            services.LineIn(material=m, status=services.LineStatus.PROVIDED)
            for m in sorted({f.material for f in uploads})
        ],
        now=now,
        channel=Channel.ONLINE,
    )
    to = [notice.issued_by] if notice and notice.issued_by_id else list(_clerks(case.center))
    notifications.notify_staff(
        to,
        case=case,
        kind="online_correction",
        now=now,
        text=_("The applicant uploaded the materials of the one-time notice for %(number)s.")
        % {"number": case.number},
    )
    return case
