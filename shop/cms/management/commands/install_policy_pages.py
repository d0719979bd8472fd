"""Publish draft policy pages for the policies no page covers yet (idempotent, never overwrites)."""

from django.core.management.base import BaseCommand, CommandError

from shop.cms import policies


class Command(BaseCommand):
    help = (
        "Create the policy pages Vietnamese e-commerce rules require (operator, terms, privacy, "
        "returns, shipping, payment, complaints) as drafts under the home page, from the "
        "OPERATOR_* settings. Pages that already exist are left as they are."
    )

    def handle(self, *args, **options):
        try:
            created = policies.install_policy_pages()
        except policies.NoHomePage as error:
            raise CommandError(f"{error} Create the site's home page first.") from error
        for page in created:
            self.stdout.write(f"Created {page.url_path} ({page.policy}, version {page.version})")
        kept = len(policies.ORDER) - len(created)
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(created)} policy pages created, {kept} kept as they were. They are drafts: "
                "have a lawyer check them in the Wagtail admin."
            )
        )
