"""bianmin queue_close_day: close what earlier days left open (run nightly from cron)."""

from django.core.management.base import BaseCommand

from bianmin.org.models import Center
from bianmin.queueing.services import close_day


class Command(BaseCommand):
    help = (
        "Tickets left waiting, held or open from earlier days are closed as not served; bookings "
        "not kept are recorded as no-shows. Safe to run at any time."
    )

    def handle(self, *args, **options):
        tickets = bookings = 0
        for center in Center.objects.filter(tickets__isnull=False).distinct():
            t, b = close_day(center)
            tickets, bookings = tickets + t, bookings + b
        self.stdout.write(f"closed {tickets} tickets, {bookings} bookings recorded as no-shows")
