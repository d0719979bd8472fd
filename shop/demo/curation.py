"""The commerce officers' side of the demo: the Chợ Đồn region with its page and officer, a
cooperative story, a running Tết campaign, and a home page composed of featured blocks."""

import datetime
import json

from django.contrib.auth.models import Group
from django.utils import timezone
from oscar.apps.catalogue.models import Product
from wagtail.rich_text import RichText

from catalog.pages import CampaignPage
from catalog.workflows import REVIEWERS_GROUP, install_campaign_workflow
from cooperatives.models import Cooperative, Region
from cooperatives.pages import CooperativeStoryPage
from cooperatives.regions import install_region_pages, set_officers
from shop.cms.models import HomePage

from . import data


def _product_ids(titles) -> list[int]:
    by_title = dict(Product.objects.filter(title__in=titles).values_list("title", "pk"))
    return [by_title[title] for title in titles if title in by_title]


def load_region(officer) -> Region:
    spec = data.REGION
    region, _created = Region.objects.get_or_create(
        slug=spec["slug"], defaults={"name": spec["name"], "commune_codes": spec["communes"]}
    )
    page = install_region_pages(region)
    if page is not None and not page.intro:
        page.intro = spec["intro"]
        page.save_revision().publish()
    if officer not in region.officer_group.user_set.all():
        set_officers(region, [*region.officer_group.user_set.all(), officer])
    return region


def load_story(region: Region) -> None:
    spec = data.STORY
    region_page = region.page
    cooperative = Cooperative.objects.filter(slug=spec["cooperative"]).first()
    if cooperative is None or region_page.get_children().filter(slug=spec["slug"]).exists():
        return
    story = region_page.add_child(
        instance=CooperativeStoryPage(
            title=spec["title"],
            slug=spec["slug"],
            intro=spec["intro"],
            cooperative=cooperative,
            body=[("paragraph", RichText(f"<p>{text}</p>")) for text in spec["paragraphs"]],
        )
    )
    story.save_revision().publish()


def load_campaign(region: Region) -> CampaignPage | None:
    """The Tết campaign, running from yesterday (demo data skips the review workflow)."""
    spec = data.CAMPAIGN
    existing = CampaignPage.objects.filter(slug=spec["slug"]).first()
    if existing is not None:
        return existing
    now = timezone.now()
    campaign = region.page.add_child(
        instance=CampaignPage(
            title=spec["title"],
            slug=spec["slug"],
            tagline=spec["tagline"],
            go_live_at=now - datetime.timedelta(days=1),
            expire_at=now + datetime.timedelta(days=spec["days_running"]),
            selection=json.dumps(
                [{"type": "hand_picked", "value": _product_ids(spec["products"])}]
            ),
        )
    )
    campaign.save_revision().publish()
    return campaign


def compose_home_page(campaign: CampaignPage | None) -> None:
    """Featured products, cooperatives and the campaign banner, unless an officer already
    composed the page."""
    home = HomePage.objects.first()
    if home is None or home.body:
        return
    cooperatives = list(
        Cooperative.objects.filter(slug__in=data.FEATURED_COOPERATIVES).values_list("pk", flat=True)
    )
    blocks = [
        {
            "type": "featured_products",
            "value": {
                "heading": "Sản phẩm tiêu biểu của vùng",
                "products": _product_ids(data.FEATURED_PRODUCTS),
            },
        },
        {
            "type": "featured_cooperatives",
            "value": {"heading": "Hợp tác xã tiêu biểu", "cooperatives": cooperatives},
        },
    ]
    if campaign is not None:
        blocks.insert(
            0, {"type": "campaign_banner", "value": {"campaign": campaign.pk, "text": ""}}
        )
    home.body = json.dumps(blocks)
    home.save_revision().publish()


def load_reviewer(reviewer) -> None:
    install_campaign_workflow()
    reviewer.groups.add(Group.objects.get(name=REVIEWERS_GROUP))
