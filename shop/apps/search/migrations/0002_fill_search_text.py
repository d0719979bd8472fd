from django.db import migrations


def fill(apps, schema_editor):
    """Search text for the products that exist already; later ones get theirs on save."""
    from shop.apps.search.documents import refresh

    refresh(apps=apps, notify_engine=False)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
        ("partner", "0007_partneraddress_code"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
