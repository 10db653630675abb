"""bianmin audit_guides [--county CODE] [--export FILE.xlsx]: the guide audit from the command line."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bianmin.catalog.audit import run_audit
from bianmin.catalog.reports import findings_workbook
from bianmin.common.progress import ProgressBar
from bianmin.org.models import Region


class Command(BaseCommand):
    help = (
        "Check every published guide for completeness and accuracy, score items, centers and "
        "counties, and save the findings (shown at /catalog/audit/)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--county", help="division code of one county (default: everywhere)")
        parser.add_argument("--export", help="also write the findings to this .xlsx file")

    def handle(self, *args, county=None, export=None, **options):
        region = None
        if county:
            region = Region.objects.filter(code=county, level=Region.Level.COUNTY).first()
            if region is None:
                raise CommandError(f"no county with the code {county}")
        bar = ProgressBar(self.stdout, "audit")
        result = run_audit(None, region=region, progress=bar.update)
        run = result.run
        by_severity: dict[str, int] = {}
        for f in result.findings:
            by_severity[f.severity] = by_severity.get(f.severity, 0) + 1
        self.stdout.write(
            self.style.SUCCESS(
                f"audit {run.pk}: {run.items_checked} items, {run.centers_checked} centers, "
                f"score {run.score}, findings {len(result.findings)} "
                + " ".join(f"{k}={v}" for k, v in sorted(by_severity.items()))
            )
        )
        for pk, score in sorted(result.county_scores.items(), key=lambda kv: kv[1]):
            name = Region.objects.get(pk=pk).name
            self.stdout.write(f"  {name}: {score}")
        if export:
            Path(export).write_bytes(findings_workbook(run, region=region))
            self.stdout.write(f"findings written to {export}")
