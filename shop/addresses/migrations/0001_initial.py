import django.db.models.deletion
from django.db import migrations, models


def add_vietnam(apps, schema_editor):
    """Oscar's checkout needs its shipping country in the database: Việt Nam, and only it."""
    Country = apps.get_model("address", "Country")
    Country.objects.update_or_create(
        iso_3166_1_a2="VN",
        defaults={
            "iso_3166_1_a3": "VNM",
            "iso_3166_1_numeric": "704",
            "printable_name": "Việt Nam",
            "name": "Cộng hòa Xã hội Chủ nghĩa Việt Nam",
            "display_order": 1,
            "is_shipping_country": True,
        },
    )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("address", "0007_useraddress_code"),
        ("order", "0021_billingaddress_code_shippingaddress_code"),
    ]

    operations = [
        migrations.RunPython(add_vietnam, migrations.RunPython.noop),
        migrations.CreateModel(
            name="ShippingAddressUnits",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("province_code", models.CharField(max_length=2, verbose_name="province code")),
                ("commune_code", models.CharField(max_length=5, verbose_name="commune code")),
                (
                    "address",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="units",
                        to="order.shippingaddress",
                    ),
                ),
            ],
            options={"verbose_name": "address units", "verbose_name_plural": "address units"},
        ),
    ]
