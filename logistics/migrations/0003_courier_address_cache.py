import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("logistics", "0002_shipping_charges"),
    ]

    operations = [
        migrations.CreateModel(
            name="CourierAddressCache",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("courier", models.CharField(max_length=16, verbose_name="courier")),
                ("commune_code", models.CharField(max_length=5, verbose_name="commune code")),
                ("data", models.JSONField(default=dict)),
                (
                    "resolved_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="resolved"
                    ),
                ),
            ],
            options={
                "verbose_name": "courier address",
                "verbose_name_plural": "courier addresses",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("courier", "commune_code"), name="logistics_courier_address_once"
                    )
                ],
            },
        ),
    ]
