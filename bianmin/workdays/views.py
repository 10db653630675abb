"""The working-day calculator: what a clerk checks before telling someone a date."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from . import services
from .forms import AddWorkingDaysForm, BetweenForm


def _span(start: dt.date, end: dt.date) -> list[services.Day]:
    lo, hi = min(start, end), max(start, end)
    if (hi - lo).days > 120:
        return []
    cal = services.Calendar()
    return [cal.day(lo + dt.timedelta(days=i)) for i in range((hi - lo).days + 1)]


@login_required
def calculator(request):
    mode = request.GET.get("mode", "add")
    # Two forms on one page: their own id prefixes, so no two inputs share an id.
    add_form = AddWorkingDaysForm(
        request.GET if mode == "add" and request.GET else None, auto_id="add_%s"
    )
    between_form = BetweenForm(
        request.GET if mode == "between" and request.GET else None, auto_id="between_%s"
    )
    result = None
    days: list[services.Day] = []
    if add_form.is_bound and add_form.is_valid():
        start, n = add_form.cleaned_data["start"], add_form.cleaned_data["days"]
        result = services.add_working_days(start, n)
        days = _span(start, result.date)
    elif between_form.is_bound and between_form.is_valid():
        start, end = between_form.cleaned_data["start"], between_form.cleaned_data["end"]
        result = services.working_days_between(start, end)
        days = _span(start, end)
    return render(
        request,
        "workdays/calculator.html",
        {
            "add_form": add_form,
            "between_form": between_form,
            "result": result,
            "days": days,
            "mode": mode,
        },
    )
