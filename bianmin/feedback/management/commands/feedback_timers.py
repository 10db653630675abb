"""bianmin feedback_timers [--interval 60] [--once]: escalations and the default rating rule."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from bianmin.feedback.timers import run_timers


class Command(BaseCommand):
    help = "Escalate overdue rectifications and reports; apply a center's default rating rule."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=60.0)
        parser.add_argument("--once", action="store_true")

    def handle(self, *args, interval: float, once: bool, **options):
        while True:
            close_old_connections()
            done = run_timers()
            self.stdout.write(f"feedback timers: {dict(done)}")
            if once:
                return
            time.sleep(interval)
