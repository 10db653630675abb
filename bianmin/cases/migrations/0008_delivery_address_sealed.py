"""A posted result's address is personal data: seal it (SM4) and keep a masked copy."""

from django.db import migrations, models


def seal_addresses(apps, schema_editor):
    from bianmin.identity.masking import mask_address
    from bianmin.identity.services import seal_text

    Delivery = apps.get_model("cases", "Delivery")
    for delivery in Delivery.objects.only("pk", "address").iterator():
        Delivery.objects.filter(pk=delivery.pk).update(
            address_sealed=seal_text(delivery.address),
            address_masked=mask_address(delivery.address),
        )


def open_addresses(apps, schema_editor):
    # Going back un-seals every row at once: no viewer to log, so the crypto module directly.
    from bianmin.identity import crypto

    Delivery = apps.get_model("cases", "Delivery")
    for delivery in Delivery.objects.only("pk", "address_sealed").iterator():
        Delivery.objects.filter(pk=delivery.pk).update(
            address=crypto.unseal(delivery.address_sealed)
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0007_event_channels_back_office_and_management")]

    operations = [
        migrations.AddField(
            model_name="delivery",
            name="address_sealed",
            field=models.TextField(default="", editable=False, verbose_name="address (sealed)"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="delivery",
            name="address_masked",
            field=models.CharField(default="", max_length=200, verbose_name="address"),
            preserve_default=False,
        ),
        migrations.RunPython(seal_addresses, open_addresses),
        # A default first, so that going back can add the column to existing rows again.
        migrations.AlterField(
            model_name="delivery",
            name="address",
            field=models.CharField(default="", max_length=200, verbose_name="address"),
        ),
        migrations.RemoveField(model_name="delivery", name="address"),
    ]
