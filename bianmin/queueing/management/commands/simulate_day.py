"""bianmin simulate_day: replay a realistic day of arrivals at a center through the real services."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_date, parse_time

from bianmin.common.progress import ProgressBar
from bianmin.org.models import Center
from bianmin.queueing.simulation import Result, simulate_day
from bianmin.workdays.services import is_workday


class Command(BaseCommand):
    help = (
        "Replay a day of arrivals at a center (kiosk tickets, appointments, calls, recalls, holds, "
        "transfers, an away notice) through the real services, and report the wait estimate's error."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "center",
            nargs="?",
            default="341502100000",
            help="center's region code (default 木厂镇)",
        )
        parser.add_argument("--day", help="YYYY-MM-DD (default: today)")
        parser.add_argument("--until", help="stop at HH:MM, leaving the hall as it is then")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--days",
            type=int,
            default=1,
            help="replay this many working days from --day on, and report the error over all",
        )
        parser.add_argument(
            "--per-window", type=float, default=40.0, help="arrivals per open window and day"
        )

    def handle(self, *args, **options):
        center = Center.objects.filter(region__code=options["center"]).first()
        if center is None:
            raise CommandError(f"No center with region code {options['center']}.")
        day = parse_date(options["day"]) if options["day"] else None
        if options["day"] and day is None:
            raise CommandError("--day: use YYYY-MM-DD.")
        until = parse_time(options["until"]) if options["until"] else None
        if options["until"] and until is None:
            raise CommandError("--until: use HH:MM.")
        if options["days"] > 1:
            if until is not None:
                raise CommandError("--until replays one day only.")
            return self._several(center, day or dt.date.today(), options)
        bar = ProgressBar(self.stdout, f"{center.name} arrivals")
        started = dt.datetime.now()
        result = simulate_day(
            center,
            day=day,
            seed=options["seed"],
            per_window=options["per_window"],
            until=until,
            progress=bar.update,
        )
        seconds = (dt.datetime.now() - started).total_seconds()
        self.stdout.write(
            f"{result.day}: {result.issued} tickets ({result.appointments_kept} of "
            f"{result.appointments_booked} bookings kept), {result.served} served, "
            f"{result.no_shows} no-shows, {result.transfers} transfers, {result.holds} holds "
            f"— replayed in {seconds:.1f} s"
        )
        self._report_error(result)
        for message, count in sorted(result.refused.items(), key=lambda i: -i[1])[:5]:
            self.stdout.write(f"  refused {count}×: {message}")

    def _several(self, center, day: dt.date, options) -> None:
        """Working days one after another (each closes what the one before left open); the
        estimate's error is reported per day and over all of them."""
        pooled = Result(day=day)
        replayed = 0
        while replayed < options["days"]:
            if not is_workday(day):
                day += dt.timedelta(days=1)
                continue
            result = simulate_day(
                center, day=day, seed=options["seed"] + replayed, per_window=options["per_window"]
            )
            self.stdout.write(
                f"{result.day}: {result.issued} tickets, {result.served} served, "
                f"{result.no_shows} no-shows"
            )
            self._report_error(result, indent="  ")
            pooled.errors_seconds += result.errors_seconds
            pooled.waits_seconds += result.waits_seconds
            replayed += 1
            day += dt.timedelta(days=1)
        self.stdout.write(f"over {replayed} working days:")
        self._report_error(pooled)

    def _report_error(self, result, indent: str = "") -> None:
        error = result.estimate_error
        if error["n"]:
            self.stdout.write(
                indent + f"wait estimate vs actual wait over {error['n']} tickets: mean error "
                f"{error['mean_abs_minutes']} min, median {error['median_abs_minutes']} min, "
                f"90% within {error['p90_abs_minutes']} min, bias {error['bias_minutes']} min, "
                f"{error['within_5_minutes_percent']}% within 5 min (mean wait {error['mean_wait_minutes']} min)"
            )
