from django.db import migrations


def load(apps, schema_editor):
    from bianmin.feedback.reference import load as load_reference

    load_reference(apps.get_model("feedback", "Reason"), apps.get_model("feedback", "ConductTag"))


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
