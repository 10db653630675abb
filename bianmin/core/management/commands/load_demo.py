from django.core.management.base import BaseCommand

from bianmin.common.progress import ProgressBar
from bianmin.core.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the demo: 六安市's divisions and centers, departments, one account per role, a few people."

    def handle(self, *args, **options):
        bar = ProgressBar(self.stdout, "divisions")
        accounts = load_demo(progress=bar.update)
        self.stdout.write(self.style.SUCCESS(f"Demo accounts (password for all: {DEMO_PASSWORD})"))
        width = max(len(a.username) for a in accounts)
        for a in accounts:
            self.stdout.write(f"  {a.username.ljust(width)}  {a.full_name}  {a.role} · {a.scope}")
