"""bianmin verify_events: recompute every case's hash chain and rebuild every case from events."""

from django.core.management.base import BaseCommand, CommandError

from bianmin.cases.events import verify_all


class Command(BaseCommand):
    help = (
        "Verify the case event log: every case's hash chain is intact and every case equals the "
        "case rebuilt from its events. Exits with status 1 on any problem."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=500)

    def handle(self, *args, batch: int, **options):
        checked, problems = verify_all(batch=batch)
        for problem in problems[:200]:
            self.stderr.write(str(problem))
        if problems:
            raise CommandError(f"{len(problems)} problem(s) in the event log of {checked} case(s)")
        self.stdout.write(f"event log intact: {checked} case(s) verified")
