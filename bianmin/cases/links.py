"""Links the queue's desk shows beside a visit: open a case from it, and the cases opened."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _


def visit_links(visit) -> list[tuple[str, str]]:
    from .models import Case

    links = [(_("Open a case"), reverse("cases:new") + f"?visit={visit.pk}")]
    numbers = Case.objects.filter(visit=visit).order_by("id").values_list("number", flat=True)
    for number in numbers:
        links.append(
            (_("Case %(number)s") % {"number": number}, reverse("cases:detail", args=[number]))
        )
    return links
