import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_initial"),
        ("order", "0021_billingaddress_code_shippingaddress_code"),
    ]

    operations = [
        migrations.CreateModel(
            name="AgeConfirmation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("confirmed_at", models.DateTimeField(verbose_name="age confirmed at")),
                (
                    "order",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="age_confirmation",
                        to="order.order",
                        verbose_name="order",
                    ),
                ),
            ],
            options={
                "verbose_name": "age confirmation",
                "verbose_name_plural": "age confirmations",
            },
        ),
    ]
