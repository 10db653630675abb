from django.core.management.base import BaseCommand

from bianmin.common.progress import ProgressBar
from bianmin.core.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = (
        "Load the demo: 六安市's divisions and centers, the service catalogue, every center's hall, "
        "one account per role and a few people."
    )

    def handle(self, *args, **options):
        bars: dict[str, ProgressBar] = {}
        current = {"name": ""}

        def stage(name: str) -> None:
            current["name"] = name
            bars[name] = ProgressBar(self.stdout, f"{name:<10}")

        def progress(done: int, total: int) -> None:
            bars[current["name"]].update(done, total)

        accounts = load_demo(progress=progress, stage=stage)
        self.stdout.write(self.style.SUCCESS(f"Demo accounts (password for all: {DEMO_PASSWORD})"))
        width = max(len(a.username) for a in accounts)
        for a in accounts:
            self.stdout.write(f"  {a.username.ljust(width)}  {a.full_name}  {a.role} · {a.scope}")
