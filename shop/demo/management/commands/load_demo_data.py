"""Load the demo market: run it as often as you like, it only adds what is missing."""

import datetime
from decimal import Decimal
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.sites.models import Site as DjangoSite
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from oscar.apps.catalogue.models import (
    Product,
    ProductCategory,
    ProductImage,
)
from oscar.apps.partner.models import Partner, StockRecord
from wagtail.models import GroupPagePermission
from wagtail.rich_text import RichText

from catalog import ocop_groups, product_classes
from catalog.models import OcopCertificate
from cooperatives.models import Cooperative
from cooperatives.roles import install_officer_group
from shop.cms.models import HomePage, StandardPage
from shop.cms.policies import install_policy_pages
from shop.cms.setup import install_home_page
from shop.demo import artwork, curation, data
from shop.text import slugify


class Command(BaseCommand):
    help = "Load the demo cooperatives, products, pages and accounts (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        self.configure_site()
        categories = ocop_groups.install()
        classes = product_classes.install()
        partners = self.load_cooperatives()
        created = self.load_products(categories, classes, partners)
        self.load_certificates(categories)
        self.load_pages()
        self.load_accounts()
        total = Product.objects.count()
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {total} products ({created} new)."))
        self.print_logins()

    def configure_site(self):
        host = urlsplit(settings.SITE_URL).netloc or "127.0.0.1:8000"
        DjangoSite.objects.update_or_create(
            pk=settings.SITE_ID, defaults={"domain": host, "name": "Chợ OCOP"}
        )

    def load_cooperatives(self) -> dict[str, Partner]:
        access = Permission.objects.get(
            codename="dashboard_access", content_type__app_label="partner"
        )
        partners = {}
        for spec in data.COOPERATIVES:
            partner, _ = Partner.objects.get_or_create(
                code=spec["code"], defaults={"name": spec["name"]}
            )
            email, full_name = spec["owner"]
            owner = self.demo_user(email, full_name)
            owner.user_permissions.add(access)
            partner.users.add(owner)
            short_name, registration, bank_bin, account = data.COOPERATIVE_PAPERS[spec["code"]]
            Cooperative.objects.get_or_create(
                partner=partner,
                defaults={
                    "slug": spec["code"],
                    "legal_name": spec["name"],
                    "short_name": short_name,
                    "registration_number": registration,
                    "commune_code": spec["commune"],
                    "former_locality": f"{spec['former']}, {data.FORMER_DISTRICT}",
                    "street_address": spec["street"],
                    "phone_number": spec["phone"],
                    "email": email,
                    "story": spec["story"],
                    "bank_bin": bank_bin,
                    "bank_account_number": account,
                    "bank_account_holder": spec["name"].upper(),
                    "owner": owner,
                    "is_verified": True,
                },
            )
            partners[spec["code"]] = partner
        return partners

    def load_products(self, categories, classes, partners) -> int:
        created = 0
        # Created last to first, so that the newest (listed first) is the flagship rice wine.
        for number, spec in reversed(list(enumerate(data.PRODUCTS, start=1))):
            coop, category, class_slug, title, price, stock, kind, attributes, description = spec
            upc = f"OCOP-DEMO-{number:03d}"
            product = Product.objects.filter(upc=upc).first()
            if product is not None:
                continue
            product = Product(
                upc=upc,
                title=title,
                slug=slugify(title),
                description=f"<p>{description}</p>",
                product_class=classes[class_slug],
                is_public=True,
            )
            if class_slug == "do-uong-co-con":
                attributes = {**attributes, **data.ALCOHOL_FACTS}
            for code, value in attributes.items():
                setattr(product.attr, code, value)
            product.save()
            ProductCategory.objects.create(product=product, category=categories[category])
            StockRecord.objects.create(
                product=product,
                partner=partners[coop],
                partner_sku=upc,
                price_currency="VND",
                price=Decimal(price),
                num_in_stock=stock,
            )
            ProductImage.objects.create(
                product=product,
                original=ContentFile(
                    artwork.product_picture(kind, number), name=f"{product.slug}.jpg"
                ),
                caption=title,
                display_order=0,
            )
            created += 1
        return created

    def load_certificates(self, categories):
        products = {p.upc: p for p in Product.objects.filter(upc__startswith="OCOP-DEMO-")}
        for spec in data.CERTIFICATES:
            coop, number, authority, authority_type, signed_on, stars, status, covered = spec
            cooperative = Cooperative.objects.get(slug=coop)
            if cooperative.certificates.filter(decision_number=number).exists():
                continue
            covered_products = [products[f"OCOP-DEMO-{n:03d}"] for n in covered]
            group = covered_products[0].categories.first().get_parent()
            certificate = OcopCertificate(
                cooperative=cooperative,
                decision_number=number,
                issuing_authority=authority,
                authority_type=authority_type,
                signed_on=datetime.date.fromisoformat(signed_on),
                stars=stars,
                status=status,
                product_group=group,
                product_name_certified=covered_products[0].title.split(" – ")[0],
                document=ContentFile(
                    artwork.certificate_scan(number, authority, stars),
                    name=f"{slugify(number)}.pdf",
                ),
            )
            certificate.save()
            certificate.products.set(covered_products)

    def load_pages(self):
        home = install_home_page(**data.HOME_PAGE)
        for spec in data.CONTENT_PAGES:
            if home.get_children().filter(slug=spec["slug"]).exists():
                continue
            home.add_child(
                instance=StandardPage(
                    title=spec["title"],
                    slug=spec["slug"],
                    intro=spec["intro"],
                    show_in_menus=True,
                    body=[("paragraph", RichText(f"<p>{text}</p>")) for text in spec["paragraphs"]],
                )
            )
        install_policy_pages()

    def load_accounts(self):
        email, full_name = data.STAFF_ACCOUNT
        staff = self.demo_user(email, full_name)
        if not staff.is_superuser:
            staff.is_staff = staff.is_superuser = True
            staff.save(update_fields=["is_staff", "is_superuser"])

        # The officers' group and its admin permissions: cooperatives.roles. Page rights come
        # with the officer's region (its own pages) and the home page's tester (the front page).
        officers = install_officer_group()
        home = HomePage.objects.first()
        # Demo databases from before regions existed granted officers the whole page tree.
        GroupPagePermission.objects.filter(group=officers, page=home).delete()
        email, full_name = data.OFFICER_ACCOUNT
        officer = self.demo_user(email, full_name)
        region = curation.load_region(officer)
        curation.load_story(region)
        campaign = curation.load_campaign(region)
        curation.compose_home_page(campaign)
        email, full_name = data.REVIEWER_ACCOUNT
        curation.load_reviewer(self.demo_user(email, full_name))

    def demo_user(self, email, full_name):
        user_model = get_user_model()
        user = user_model.objects.filter(email=email).first()
        if user is None:
            *first, last = full_name.split()
            user = user_model.objects.create_user(
                email=email,
                password=data.DEMO_PASSWORD,
                first_name=" ".join(first),
                last_name=last,
            )
        return user

    def print_logins(self):
        rows = [
            ("Staff (all back offices)", data.STAFF_ACCOUNT[0], "/admin/  /shop/dashboard/"),
            ("Commerce officer (Vùng Chợ Đồn cũ)", data.OFFICER_ACCOUNT[0], "/admin/"),
            ("Campaign reviewer", data.REVIEWER_ACCOUNT[0], "/admin/"),
        ] + [
            (f"Owner: {spec['name']}", spec["owner"][0], "/shop/dashboard/")
            for spec in data.COOPERATIVES
        ]
        self.stdout.write(f"Demo logins (password for all: {data.DEMO_PASSWORD}):")
        for role, email, where in rows:
            self.stdout.write(f"  {email:<32} {role:<48} {where}")
