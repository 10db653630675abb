from django.core.management.base import BaseCommand

from bianmin.common.i18n import compile_catalogues


class Command(BaseCommand):
    help = "Compile bianmin's translation catalogues (.po → .mo) with polib."

    def handle(self, *args, **options):
        lines = list(compile_catalogues())
        for line in lines:
            self.stdout.write(line)
        if not lines:
            self.stdout.write("translations up to date")
