"""The default inspection checklist from the policy (data/checklist.json)."""

from django.db import migrations


def load(apps, schema_editor):
    from bianmin.supervision.services import load_default_checklist

    load_default_checklist(
        apps.get_model("supervision", "Checklist"), apps.get_model("supervision", "ChecklistItem")
    )


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
