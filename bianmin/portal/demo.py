"""Demo data of the portal app, loaded by bianmin.core.demo after the cases demo: 王建国 (the
``citizen`` account) has a draft online application and a submitted one (a received case at
木厂镇 with his uploads, for the clerk to check)."""

from __future__ import annotations

import io
from collections.abc import Callable

from django.core.files.uploadedfile import SimpleUploadedFile

from bianmin.catalog.models import ServiceItem
from bianmin.identity.models import User
from bianmin.org.models import Center

from . import services
from .models import Application

MUCHANG = "341502100000"


def _photo(text_colour=(40, 40, 40)) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1200, 800), (245, 245, 240))
    draw = ImageDraw.Draw(image)
    draw.rectangle((60, 60, 1140, 740), outline=text_colour, width=6)
    for y in range(160, 700, 60):
        draw.line((120, y, 1080, y), fill=(120, 120, 120), width=3)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def _online_items(center) -> list[ServiceItem]:
    return list(
        ServiceItem.objects.filter(
            channel_online=True,
            status=ServiceItem.Status.ACTIVE,
            entries__center=center,
            entries__withdrawn_on__isnull=True,
            guide_versions__state="published",
        )
        .distinct()
        .order_by("basic_code")
    )


def load_portal_demo(progress: Callable[[int, int], None] | None = None) -> int:
    user = User.objects.filter(username="citizen").select_related("person").first()
    center = Center.objects.filter(region__code=MUCHANG).first()
    if user is None or getattr(user, "person", None) is None or center is None:
        return 0
    if Application.objects.filter(user=user).exists():
        return 0  # loaded before
    items = _online_items(center)
    if len(items) < 2:
        return 0
    created = 0
    # A submitted application: every required material uploaded, waiting for the clerk.
    submitted_item = items[0]
    app = services.start_application(user, item=submitted_item, center=center)
    services.save_application(user, app, note="本人申请")
    for material in services.guide_materials(app):
        if material.necessity == "required":
            services.add_file(
                user,
                app,
                material=material.pk,
                uploaded=SimpleUploadedFile(f"{material.name[:20]}.jpg", _photo()),
            )
    services.submit_application(user, app)
    created += 1
    # A draft with one material uploaded, to be finished later.
    draft = services.start_application(user, item=items[1], center=center)
    first = services.guide_materials(draft)[0]
    services.add_file(
        user,
        draft,
        material=first.pk,
        uploaded=SimpleUploadedFile(f"{first.name[:20]}.jpg", _photo((10, 60, 160))),
    )
    created += 1
    if progress:
        progress(created, 2)
    return created
