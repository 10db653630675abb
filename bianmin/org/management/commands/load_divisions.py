from django.core.management.base import BaseCommand

from bianmin.common.progress import ProgressBar
from bianmin.org.services import load_divisions


class Command(BaseCommand):
    help = "Load 六安市's divisions (city, 7 counties, 140 townships) and create each township's center."

    def handle(self, *args, **options):
        bar = ProgressBar(self.stdout, "regions")
        result = load_divisions(progress=bar.update)
        bar.finish()
        self.stdout.write(
            self.style.SUCCESS(
                f"regions: {result.regions_created} created, {result.regions_updated} updated; "
                f"centers: {result.centers_created} created; "
                f"{result.skipped} statistical units skipped (no center of their own)"
            )
        )
