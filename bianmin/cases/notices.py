"""Printed notices (PDF, Chinese) and the whole case file (卷宗) for the archive.

Each notice carries the case number, the center, the dates, the responsible clerk and a QR code
to the applicant's progress page. They are rendered by WeasyPrint from templates under
``templates/cases/pdf/`` in Chinese whatever the reader's language (``translation.override``),
with the Noto CJK fonts (fonts-noto-cjk).
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from . import deadlines, files
from .machine import State
from .models import Case


@dataclass(frozen=True)
class Kind:
    key: str
    title: object  # lazy string
    template: str


KINDS = {
    k.key: k
    for k in (
        Kind("acceptance", _("Notice of acceptance"), "cases/pdf/acceptance.html"),
        Kind("rejection", _("Notice of non-acceptance"), "cases/pdf/rejection.html"),
        Kind("one_time", _("One-time notice of materials to supply"), "cases/pdf/one_time.html"),
        Kind(
            "deferral", _("Notice of acceptance with deferred materials"), "cases/pdf/deferral.html"
        ),
        Kind("pledge", _("Pledge for deferred materials"), "cases/pdf/pledge.html"),
        Kind("extension", _("Notice of extension"), "cases/pdf/extension.html"),
        Kind("approval", _("Decision to approve"), "cases/pdf/decision.html"),
        Kind("denial", _("Decision to deny"), "cases/pdf/decision.html"),
        Kind("completion", _("Notice of completion"), "cases/pdf/completion.html"),
    )
}


def available(case: Case) -> list[tuple[str, int | None]]:
    """The notices this case has, as (kind, notice number for one-time notices)."""
    out: list[tuple[str, int | None]] = []
    if case.accepted_at is not None:
        out.append(("acceptance", None))
    if case.pledge_status:
        out.extend([("deferral", None), ("pledge", None)])
    for notice in case.notices.all():
        out.append(("one_time", notice.number))
    if case.state == State.REJECTED:
        out.append(("rejection", None))
    if case.extension_status == Case.ExtensionStatus.APPROVED:
        out.append(("extension", None))
    if case.decision == Case.Decision.APPROVED:
        out.append(("approval", None))
    if case.decision == Case.Decision.DENIED:
        out.append(("denial", None))
    if case.state in (State.HANDED_OUT, State.CLOSED) and case.decision:
        out.append(("completion", None))
    return out


def progress_url(case: Case, base_url: str | None = None) -> str:
    base = (
        base_url or getattr(settings, "BIANMIN_PUBLIC_URL", "") or "http://127.0.0.1:8000"
    ).rstrip("/")
    return base + _progress_path(get_urlconf(), get_script_prefix()).format(
        token=quote(case.progress_token, safe="")
    )


@lru_cache(maxsize=16)
def _progress_path(urlconf, script_prefix: str) -> str:
    """The progress page's path with ``{token}`` for its token: ``reverse`` once per URL
    configuration and prefix instead of once per case answered (3 % of a creation)."""
    marker = "TOKEN0MARKER"
    return reverse("cases:progress", args=[marker], urlconf=urlconf).replace(marker, "{token}")


def qr_data_uri(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)


def _context(case: Case, base_url: str | None) -> dict:
    url = progress_url(case, base_url)
    due = case.due_at
    return {
        "case": case,
        "center": case.center,
        "item": case.item,
        "guide": case.guide,
        "clerk": case.received_by,
        "qr": qr_data_uri(url),
        "progress_url": url,
        "printed_at": timezone.localtime(),
        "due_date": deadlines.local_date(due) if due else None,
        "received_date": deadlines.local_date(case.received_at),
        "accepted_date": deadlines.local_date(case.accepted_at) if case.accepted_at else None,
        "decided_date": deadlines.local_date(case.decided_at) if case.decided_at else None,
        "lines": case.checklist,
        "pledged": [
            line for line in case.checklist if line["material"] in (case.pledge_materials or [])
        ],
    }


def _last_event_at(case: Case, action: str):
    found = [e for e in case.events.all() if e.action == action]
    return found[-1].at if found else None


def issued_on(case: Case, kind: str, notice=None):
    """The date a notice bears: the day of the act it records, not the day it is printed."""
    moment = {
        "acceptance": case.accepted_at,
        "deferral": case.accepted_at,
        "pledge": case.accepted_at,
        "rejection": case.closed_at,
        "one_time": notice.issued_at if notice is not None else None,
        "extension": _last_event_at(case, "approve_extension"),
        "approval": case.decided_at,
        "denial": case.decided_at,
        "completion": case.handed_out_at or case.closed_at,
    }.get(kind)
    return deadlines.local_date(moment) if moment else timezone.localdate()


def notice_html(
    case: Case, kind: str, number: int | None = None, base_url: str | None = None
) -> str:
    spec = KINDS[kind]
    with translation.override("zh-hans"):
        context = _context(case, base_url)
        context["title"] = str(spec.title)
        context["kind"] = kind
        notice = None
        if kind == "one_time":
            notice = next((n for n in case.notices.all() if n.number == number), None)
            if notice is None:
                raise KeyError(number)
            context["notice"] = notice
        context["issued_on"] = issued_on(case, kind, notice)
        return render_to_string(spec.template, context)


def _pdf(html: str, attachments=None) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(attachments=attachments)


def notice_pdf(
    case: Case, kind: str, number: int | None = None, base_url: str | None = None
) -> bytes:
    return _pdf(notice_html(case, kind, number, base_url))


def _file_parts(case: Case) -> tuple[list[dict], list]:
    from weasyprint import Attachment

    images, attachments = [], []
    for f in case.files.all():
        content = files.read(f.path, f.sha256)
        if f.content_type.startswith("image/"):
            images.append(
                {
                    "file": f,
                    "src": f"data:{f.content_type};base64," + base64.b64encode(content).decode(),
                }
            )
        else:
            images.append({"file": f, "src": ""})
            attachments.append(
                Attachment(
                    file_obj=io.BytesIO(content), name=f"{f.pk}-{f.name}", description=f.sha256
                )
            )
    return images, attachments


def archive_pdf(case: Case, base_url: str | None = None) -> bytes:
    """卷宗: application, checklist, every notice, the decision, the event log and the materials
    on file (images inline, PDFs embedded as attachments) in one PDF."""
    with translation.override("zh-hans"):
        sections = [notice_html(case, kind, number, base_url) for kind, number in available(case)]
        images, attachments = _file_parts(case)
        context = _context(case, base_url)
        context.update(
            title=str(_("Case file")),
            sections=[_body(s) for s in sections],
            events=list(case.events.all()),
            files=images,
        )
        html = render_to_string("cases/pdf/archive.html", context)
    return _pdf(html, attachments)


def _body(html: str) -> str:
    start = html.find("<body>")
    end = html.rfind("</body>")
    return html[start + len("<body>") : end] if start >= 0 and end > start else html
