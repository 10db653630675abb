"""bianmin worker: run the case timers in their own process (production).

Deemed acceptance, intake and deadline warnings, pledge reminders and breaches, overdue marks,
and unsent notifications, every --interval seconds. Idempotent and safe beside other workers and
beside the timers embedded in `bianmin serve`.
"""

import signal
import time

from django.core.management.base import BaseCommand

from bianmin.cases.scheduler import run_round


class Command(BaseCommand):
    help = "Run the case timers (deadlines, pledges, deemed acceptance) every --interval seconds."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=60.0)
        parser.add_argument("--once", action="store_true", help="run one round and exit")

    def handle(self, *args, interval: float, once: bool, **options):
        stopping = {"now": False}

        def stop(*_):
            stopping["now"] = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while True:
            done = run_round()
            self.stdout.write(f"case timers: {dict(done) or 'nothing due'}")
            if once or stopping["now"]:
                return
            slept = 0.0
            while slept < interval and not stopping["now"]:
                time.sleep(min(1.0, interval - slept))
                slept += 1.0
            if stopping["now"]:
                return
