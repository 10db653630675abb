"""Compile the .po catalogues to .mo with polib: no GNU gettext needed on the machine."""

from pathlib import Path

import polib
from django.core.management.base import BaseCommand

ROOT = Path(__file__).resolve().parents[3]


class Command(BaseCommand):
    help = "Compile bianmin's translation catalogues (.po → .mo)."

    def handle(self, *args, **options):
        compiled = 0
        for po_path in sorted(ROOT.rglob("locale/*/LC_MESSAGES/*.po")):
            mo_path = po_path.with_suffix(".mo")
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            catalogue = polib.pofile(str(po_path))
            catalogue.save_as_mofile(str(mo_path))
            compiled += 1
            self.stdout.write(
                f"compiled {po_path.relative_to(ROOT.parent)} ({catalogue.percent_translated()}% translated)"
            )
        if not compiled:
            self.stdout.write("translations up to date")
