"""The policy pages Vietnamese e-commerce rules require: seeded once, then owned by the editors.

`install_policy_pages()` writes the drafts of `policy_drafts` as live StandardPages under the home
page, one per `StandardPage.Policy` not yet covered by any page, so a rerun never overwrites what
staff edited. The footer and the checkout read the live pages through `policy_links()`, cached
until public content changes (like `navigation`, on the page cache's content version).

The privacy notice's version is what a shopper's consent records (`PolicyConsent`). A site
without a live privacy page still sells: its consents record the version `UNPUBLISHED`, which
tells staff the notice the shopper was asked to accept did not exist yet.
"""

from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from oscar.templatetags.currency_filters import currency
from wagtail.models import Page
from wagtail.rich_text import RichText

from payments import gateways
from shop.pagecache import versions

from .models import HomePage, StandardPage
from .navigation import without_private
from .policy_drafts import DRAFTS, Draft

LINKS_KEY = "site-chrome:policy-links"
TIMEOUT = 60 * 60
FIRST_VERSION = "1.0"
#: The consented version when no privacy page is live.
UNPUBLISHED = "unpublished"
#: The consented version when the live privacy page has no version number.
UNVERSIONED = "unversioned"

Policy = StandardPage.Policy
#: The footer's order: the operator first, as Decree 52 lists the disclosures.
ORDER = [draft.policy for draft in DRAFTS]


def policy_links() -> list[dict]:
    """The live, public policy pages in `ORDER`, one per policy (the first in the page tree)."""
    return cache.get_or_set(versions.key(LINKS_KEY), _load_links, TIMEOUT)


def policy_page(policy: str) -> dict | None:
    return next((link for link in policy_links() if link["policy"] == policy), None)


def privacy_version() -> str:
    """The version a shopper consents to when placing an order now."""
    page = policy_page(Policy.PRIVACY)
    if page is None:
        return UNPUBLISHED
    return page["version"] or UNVERSIONED


def _load_links() -> list[dict]:
    pages = (
        without_private(StandardPage.objects.live().exclude(policy=""))
        .defer("body")
        .order_by("path")
    )
    first = {}
    for page in pages:
        first.setdefault(page.policy, page)
    links = []
    for policy in ORDER:
        page = first.get(policy)
        url = page.get_url() if page else None
        if url:
            links.append(
                {
                    "policy": policy,
                    "title": page.title,
                    "url": url,
                    "version": page.version,
                    "effective_on": page.effective_on,
                }
            )
    return links


class NoHomePage(LookupError):
    """Policy pages go under the home page; a site without one is not set up yet."""


@transaction.atomic
def install_policy_pages() -> list[StandardPage]:
    """Publish a draft page for each policy no page covers yet; returns the pages created."""
    home = HomePage.objects.first()
    if home is None:
        raise NoHomePage("There is no home page to put the policy pages under.")
    covered = set(StandardPage.objects.exclude(policy="").values_list("policy", flat=True))
    facts = {name: escape(value) for name, value in _facts().items()}
    created = []
    for draft in DRAFTS:
        if draft.policy in covered:
            continue
        page = home.add_child(
            instance=StandardPage(
                title=draft.title,
                slug=_free_slug(home, draft.slug),
                intro=draft.intro,
                body=_body(draft, facts),
                show_in_menus=True,
                policy=draft.policy,
                version=FIRST_VERSION,
                effective_on=timezone.localdate(),
                live=False,
            )
        )
        # Published through a revision, so the admin's history starts with the seeded text.
        page.save_revision().publish()
        created.append(page)
    return created


def _body(draft: Draft, facts: dict) -> list[tuple]:
    blocks = []
    for heading, paragraphs in draft.sections:
        blocks.append(("heading", heading))
        blocks.extend(("paragraph", RichText(html.format(**facts))) for html in paragraphs)
    return blocks


def _free_slug(parent: Page, slug: str) -> str:
    """The draft's slug, or a numbered one when another page (not a policy) already has it."""
    taken = set(parent.get_children().values_list("slug", flat=True))
    candidate, number = slug, 1
    while candidate in taken:
        number += 1
        candidate = f"{slug}-{number}"
    return candidate


def _facts() -> dict[str, str]:
    """What the drafts say about this deployment: its operator and its configured limits."""
    cod = gateways.get("cod")
    limit = Decimal(getattr(cod, "max_total", 0) or 0)
    if cod is None:
        cod_rule = "Hiện chưa áp dụng."
    elif limit:
        cod_rule = f"Áp dụng cho đơn hàng có tổng giá trị đến {currency(limit, 'VND')}."
    else:
        cod_rule = "Áp dụng cho mọi giá trị đơn hàng."
    commission = Decimal(settings.PLATFORM_COMMISSION_PERCENT).normalize()
    return {
        "operator_name": settings.OPERATOR_NAME,
        "operator_address": settings.OPERATOR_ADDRESS,
        "operator_registration": settings.OPERATOR_REGISTRATION,
        "operator_representative": settings.OPERATOR_REPRESENTATIVE,
        "operator_phone": settings.OPERATOR_PHONE,
        "operator_email": settings.OPERATOR_EMAIL,
        "cod_rule": cod_rule,
        "expiry_minutes": str(settings.PAYMENT_EXPIRY_MINUTES),
        "commission_percent": format(commission, "f").replace(".", ","),
        "track_url": reverse("track-order"),
        "cooperatives_url": reverse("cooperatives:list"),
    }
