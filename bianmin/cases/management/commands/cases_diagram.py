"""bianmin cases_diagram: the state diagram and the transition table of docs/cases.md, generated
from the one table in bianmin/cases/machine.py (--write updates the file in place)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bianmin.cases.docs import DOC_PATH, render_generated, update_doc


class Command(BaseCommand):
    help = "Print (or --write into docs/cases.md) the case state diagram generated from the table."

    def add_arguments(self, parser):
        parser.add_argument("--write", action="store_true")
        parser.add_argument("--path", default=str(DOC_PATH))

    def handle(self, *args, write: bool, path: str, **options):
        if not write:
            self.stdout.write(render_generated())
            return
        target = Path(path)
        if not target.exists():
            raise CommandError(f"{target} does not exist")
        changed = update_doc(target)
        self.stdout.write(f"{target}: {'updated' if changed else 'up to date'}")
