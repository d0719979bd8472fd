from django.core.management.base import BaseCommand

from cooperatives.roles import OFFICER_PERMISSIONS, install_officer_group


class Command(BaseCommand):
    help = "Create the “Commerce officers” group with its admin permissions (only adds)."

    def handle(self, *args, **options):
        group = install_officer_group()
        self.stdout.write(
            self.style.SUCCESS(
                f"{group.name}: {len(OFFICER_PERMISSIONS)} permissions "
                f"({', '.join(codename for _label, codename in OFFICER_PERMISSIONS)})."
            )
        )
