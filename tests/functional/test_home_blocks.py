"""The home page is composed from StreamField blocks in the Wagtail editor: featured products
show their live price, stock and OCOP stars; strong drinks are refused with the law's reason
(Law 44/2019) and left out if their ABV is raised later; deleted things never break the page."""

import datetime
import json

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from oscar.apps.catalogue.models import Product
from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, streamfield

from catalog.blocks import ProductChooserBlock
from catalog.pages import CampaignPage
from cooperatives.blocks import CooperativeChooserBlock
from shop.cms.blocks import HomeBlocks
from shop.cms.forms import OUT_OF_REACH
from shop.cms.models import HomePage
from tests import factories
from tests.shopper import confirm_age

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(home_page):
    """Platform staff in the Wagtail editor (its own client: `client` stays a visitor)."""
    user = get_user_model().objects.create_superuser(
        email="bientap@cho-ocop.test", password="editor-pass-2026"
    )
    browser = Client()
    browser.force_login(user)
    return browser


def drink(title, abv, partner=None):
    """A drink of the alcoholic class with this ABV."""
    product = factories.product(
        title, 150_000, 20, partner, klass=factories.alcohol_class(), weight=None
    )
    product.attr.abv_percent = abv
    product.save()
    return product


def items(values) -> dict:
    """ListBlock form data, as the editor's JavaScript posts it."""
    data = {
        str(index): {"value": value, "deleted": "", "order": str(index), "id": ""}
        for index, value in enumerate(values)
    }
    data["count"] = str(len(values))
    return data


def featured(*products, heading="Đặc sản nổi bật") -> tuple:
    return ("featured_products", {"heading": heading, "products": items([p.pk for p in products])})


def save_body(client, blocks):
    """Publish the home page with these blocks through Wagtail's edit form."""
    home = HomePage.objects.get()
    url = f"/admin/pages/{home.pk}/edit/"
    data = querydict_from_html(client.get(url).text, form_id="page-edit-form")
    data.update(nested_form_data({"body": streamfield(blocks)}))
    data["action-publish"] = "action-publish"
    return client.post(url, data)


def body_errors(response) -> dict:
    """The body's block errors as the editor's JavaScript receives them."""
    assert response.status_code == 200, "the page was saved"
    return response.context["form"].errors.as_data()["body"][0].as_json_data()


def editor_errors(response) -> str:
    """Every message of the body's block errors, in one string."""
    return json.dumps(body_errors(response), ensure_ascii=False)


def in_vietnamese(message) -> str:
    """A message as the editor reads it (the admin speaks Vietnamese by default)."""
    with translation.override("vi"):
        return str(message)


def refusal_of(block, value) -> str:
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        block.clean(value)
    return refused.value.messages[0]


def home_cards(client):
    """{title: card} of the featured-products blocks of the home page."""
    page = client.get("/")
    assert page.status_code == 200
    soup = BeautifulSoup(page.text, "html.parser")
    return {
        card.select_one(".product-card__title").get_text(strip=True): card
        for section in soup.select("section.featured-products")
        for card in section.select(".product-card")
    }


def test_featured_products_show_live_price_stock_and_ocop_stars(client, editor, shop_catalogue):
    bottle, noodles, sold_out = (
        shop_catalogue["last_bottle"],
        shop_catalogue["noodles"],
        shop_catalogue["sold_out"],
    )
    factories.certificate(noodles.stockrecords.get().partner, [noodles], stars=4)
    response = save_body(editor, [featured(bottle, noodles, sold_out)])
    assert response.status_code == 302, response.context and response.context["form"].errors

    cards = home_cards(client)
    assert list(cards) == [bottle.title, noodles.title, sold_out.title]  # the editor's order
    assert "150.000\xa0₫" in cards[bottle.title].select_one(".price").text
    assert cards[noodles.title].select_one("[data-ocop-stars]")["data-ocop-stars"] == "4"
    assert cards[bottle.title].select_one("[data-ocop-stars]") is None
    assert cards[sold_out.title].select_one(".stock.outofstock") is not None
    assert cards[noodles.title].select_one(".stock.outofstock") is None

    # Live data: a new price shows without touching the page.
    record = noodles.stockrecords.get()
    record.price = 72_000
    record.save()
    assert "72.000\xa0₫" in home_cards(client)[noodles.title].select_one(".price").text


def test_deleted_or_hidden_products_are_left_out_and_the_editor_says_why(
    client, editor, shop_catalogue
):
    noodles, bottle = shop_catalogue["noodles"], shop_catalogue["last_bottle"]
    assert save_body(editor, [featured(noodles, bottle)]).status_code == 302
    Product.objects.filter(pk=bottle.pk).delete()
    assert list(home_cards(client)) == [noodles.title]

    noodles.is_public = False
    noodles.save()
    assert home_cards(client) == {}
    assert client.get("/").status_code == 200

    # Saving again: the emptied item and the hidden product are named, not "required".
    home = HomePage.objects.get()
    page = editor.get(f"/admin/pages/{home.pk}/edit/")
    assert page.status_code == 200
    errors = editor_errors(save_body(editor, [featured(noodles)]))
    assert noodles.title in errors
    assert refusal_of(ProductChooserBlock(), noodles) in errors
    # A deleted product comes back to the editor as an empty chooser.
    emptied = ("featured_products", {"heading": "", "products": items([""])})
    errors = editor_errors(save_body(editor, [emptied]))
    assert in_vietnamese(ProductChooserBlock.missing_message) in errors


def test_strong_drinks_are_refused_with_the_law_and_left_out_if_raised_later(
    client, editor, shop_catalogue
):
    partner = shop_catalogue["noodles"].stockrecords.get().partner
    strong = drink("Rượu ngô Bắc Hà 40%", 40.0, partner)
    response = save_body(editor, [featured(shop_catalogue["noodles"], strong)])
    errors = editor_errors(response)
    assert "44/2019" in errors and strong.title in errors and "40" in errors
    assert not HomePage.objects.get().body  # nothing was published

    light = drink("Rượu men lá 12%", 12.0, partner)
    assert save_body(editor, [featured(light)]).status_code == 302
    confirm_age(client)
    assert list(home_cards(client)) == [light.title]
    light.attr.abv_percent = 29.0
    light.save()
    assert home_cards(client) == {}


def test_a_button_may_not_lead_to_a_strong_drink(editor, shop_catalogue):
    partner = shop_catalogue["noodles"].stockrecords.get().partner
    strong = drink("Rượu ngô Bắc Hà 40%", 40.0, partner)
    call = {"text": "Mua ngay", "link": strong.get_absolute_url()}
    errors = editor_errors(save_body(editor, [("call_to_action", call)]))
    assert "44/2019" in errors and strong.title in errors
    assert not HomePage.objects.get().body

    call["link"] = shop_catalogue["noodles"].get_absolute_url()
    assert save_body(editor, [("call_to_action", call)]).status_code == 302


def test_weak_drinks_are_featured_only_for_visitors_past_the_age_gate(
    client, editor, shop_catalogue
):
    partner = shop_catalogue["noodles"].stockrecords.get().partner
    light = drink("Rượu men lá 12%", 12.0, partner)
    assert save_body(editor, [featured(shop_catalogue["noodles"], light)]).status_code == 302
    assert list(home_cards(client)) == [shop_catalogue["noodles"].title]
    confirm_age(client)
    assert list(home_cards(client)) == [shop_catalogue["noodles"].title, light.title]


def test_every_home_block_is_saved_and_rendered(client, editor, shop_catalogue):
    campaign = running_campaign("Quà Tết vùng cao", tagline="Giỏ quà OCOP cho ngày Tết")
    thanh_tam = shop_catalogue["rice_wine"].stockrecords.get().partner.cooperative
    response = save_body(
        editor,
        [
            (
                "hero_banner",
                {
                    "image": "",
                    "title": "Mùa nếp mới",
                    "text": "Gạo nếp nương vừa gặt.",
                    "link_text": "Xem ngay",
                    "link_page": "",
                    "link_url": "/shop/catalogue/",
                },
            ),
            featured(shop_catalogue["noodles"]),
            (
                "featured_cooperatives",
                {"heading": "Hợp tác xã tiêu biểu", "cooperatives": items([thanh_tam.pk])},
            ),
            ("campaign_banner", {"campaign": campaign.pk, "image": "", "text": "Đặt sớm"}),
            (
                "category_tiles",
                {
                    "heading": "Nhóm sản phẩm",
                    "categories": items([shop_catalogue["food"].pk, shop_catalogue["wine"].pk]),
                },
            ),
            ("heading", "Câu chuyện của chúng tôi"),
            ("call_to_action", {"text": "Tất cả sản phẩm", "link": "/shop/catalogue/"}),
        ],
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    soup = BeautifulSoup(client.get("/").text, "html.parser")
    hero = soup.select_one(".hero__title")
    assert hero.text == "Mùa nếp mới"
    assert soup.find("a", string="Xem ngay")["href"] == "/shop/catalogue/"
    assert soup.select_one(f'[data-cooperative="{thanh_tam.slug}"]') is not None
    banner = soup.select_one(".w-block-campaign_banner .promo-banner")
    assert banner["href"] == campaign.url and "Đặt sớm" in banner.text
    tiles = [a["href"] for a in soup.select(".category-tiles--chosen a")]
    assert tiles == [
        shop_catalogue["food"].get_absolute_url(),
        shop_catalogue["wine"].get_absolute_url(),
    ]
    assert soup.find("a", string="Tất cả sản phẩm")["href"] == "/shop/catalogue/"


def test_deleted_cooperative_category_and_campaign_leave_the_page_working(
    client, editor, shop_catalogue
):
    campaign = running_campaign("Quà Tết vùng cao")
    nam_cuong = shop_catalogue["noodles"].stockrecords.get().partner
    blocks = [
        (
            "featured_cooperatives",
            {"heading": "", "cooperatives": items([nam_cuong.cooperative.pk])},
        ),
        ("campaign_banner", {"campaign": campaign.pk, "image": "", "text": ""}),
        ("category_tiles", {"heading": "", "categories": items([shop_catalogue["food"].pk])}),
    ]
    assert save_body(editor, blocks).status_code == 302
    nam_cuong.cooperative.delete()
    campaign.delete()
    shop_catalogue["food"].delete()
    page = client.get("/")
    assert page.status_code == 200
    assert "coop-card" not in page.text and "promo-banner" not in page.text
    assert "category-tiles--chosen" not in page.text

    errors = editor_errors(
        save_body(
            editor,
            [
                ("featured_cooperatives", {"heading": "", "cooperatives": items([""])}),
            ],
        )
    )
    assert in_vietnamese(CooperativeChooserBlock.missing_message) in errors


def test_inactive_cooperatives_are_not_featured(client, editor, shop_catalogue):
    cooperative = shop_catalogue["noodles"].stockrecords.get().partner.cooperative
    blocks = [("featured_cooperatives", {"heading": "", "cooperatives": items([cooperative.pk])})]
    assert save_body(editor, blocks).status_code == 302
    assert f'data-cooperative="{cooperative.slug}"' in client.get("/").text
    cooperative.is_active = False
    cooperative.save()
    assert f'data-cooperative="{cooperative.slug}"' not in client.get("/").text


def running_campaign(title, tagline="", start=-1, end=30, on_home=True):
    """A published campaign under the home page, running from `start` to `end` days from now."""
    now = timezone.now()
    campaign = HomePage.objects.get().add_child(
        instance=CampaignPage(
            title=title,
            tagline=tagline,
            show_on_home_page=on_home,
            go_live_at=now + datetime.timedelta(days=start),
            expire_at=now + datetime.timedelta(days=end),
        )
    )
    campaign.save_revision().publish()
    return CampaignPage.objects.get(pk=campaign.pk)


def test_running_campaigns_marked_for_the_home_page_appear_above_the_body(client, home_page):
    running_campaign("Quà Tết vùng cao")
    running_campaign("Chè xuân", on_home=False)
    ended = running_campaign("Mùa mật ong", start=-30, end=-1)
    CampaignPage.objects.filter(pk=ended.pk).update(live=True)  # the unpublishing job is late
    text = client.get("/").text
    assert "Quà Tết vùng cao" in text
    assert "Chè xuân" not in text and "Mùa mật ong" not in text


def test_a_campaign_placed_as_a_banner_is_not_listed_twice(client, home_page):
    placed = running_campaign("Quà Tết vùng cao")
    running_campaign("Chè xuân")
    home = HomePage.objects.get()
    home.body = json.dumps([{"type": "campaign_banner", "value": {"campaign": placed.pk}}])
    home.save_revision().publish()
    text = client.get("/").text
    assert text.count("Quà Tết vùng cao") == 1
    assert "Chè xuân" in text


def test_hero_banner_asks_for_a_complete_button(editor, home_page):
    def fields_in_error(**button):
        hero = {"image": "", "title": "Mùa nếp mới", "text": "", "link_page": "", **button}
        errors = body_errors(save_body(editor, [("hero_banner", hero)]))
        return set(errors["blockErrors"][0]["blockErrors"])

    assert fields_in_error(link_text="Xem ngay", link_url="") == {"link_page"}
    assert fields_in_error(link_text="", link_url="/shop/") == {"link_text"}
    assert fields_in_error(link_text="Xem", link_url="javascript:alert(1)") == {"link_url"}
    home = HomePage.objects.get()
    both = fields_in_error(link_text="Xem", link_url="/shop/", link_page=str(home.pk))
    assert both == {"link_url"}


def test_every_block_has_a_template_a_description_and_a_preview_that_renders(shop_catalogue):
    running_campaign("Quà Tết vùng cao")
    for name, block in HomeBlocks().child_blocks.items():
        assert block.meta.template, name
        assert str(block.get_description()), name
        assert block.is_previewable, name
        html = block.render(block.get_preview_value())
        assert html.strip(), name
    featured_block = HomeBlocks().child_blocks["featured_products"]
    html = featured_block.render(featured_block.get_preview_value())
    assert "product-card" in html and "\xa0₫" in html


def test_block_previews_render_in_the_editor(editor, shop_catalogue):
    running_campaign("Quà Tết vùng cao")
    body = HomePage._meta.get_field("body").stream_block
    for name, block in body.child_blocks.items():
        preview = editor.get("/admin/block-preview/", {"id": block.definition_prefix})
        assert preview.status_code == 200, name
        assert "css/shop.css" in preview.text, name
    featured_block = body.child_blocks["featured_products"]
    preview = editor.get("/admin/block-preview/", {"id": featured_block.definition_prefix})
    assert "product-card" in preview.text


def home_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return len(queries)


def test_home_page_queries_do_not_grow_with_featured_products_or_blocks(
    client, editor, shop_catalogue, django_assert_max_num_queries
):
    partner = shop_catalogue["noodles"].stockrecords.get().partner
    products = [
        factories.product(f"Miến dong {n}", 50_000 + n, 10, partner, image=True) for n in range(8)
    ]
    for product in products:
        factories.certificate(partner, [product], stars=3)
    assert save_body(editor, [featured(*products[:2])]).status_code == 302
    client.get("/")  # warm the site-wide caches (menus, site root)
    baseline = home_queries(client)

    assert save_body(editor, [featured(*products[:4]), featured(*products[4:])]).status_code == 302
    client.get("/")
    with django_assert_max_num_queries(baseline):
        page = client.get("/")
    assert len(home_cards(client)) == 8
    assert page.status_code == 200


def test_officers_may_keep_others_features_but_add_only_their_regions(editor, shop_catalogue):
    """A hand-made POST cannot feature another region's product; what another officer already
    featured on the shared home page stays when this officer saves it."""
    elsewhere = shop_catalogue["noodles"]
    commune = elsewhere.stockrecords.get().partner.cooperative.commune_code
    assert save_body(editor, [featured(elsewhere)]).status_code == 302

    own_partner = factories.cooperative("HTX Chè Shan tuyết Chợ Đồn", "02020")
    own = factories.product("Chè Shan tuyết búp bạc", 250_000, 5, own_partner)
    officer = factories.officer(commune_codes=["02020"])
    assert commune != "02020"
    browser = Client()
    browser.force_login(officer)

    kept = save_body(browser, [featured(elsewhere, own)])
    assert kept.status_code == 302
    assert set(home_cards(Client())) == {elsewhere.title, own.title}

    foreign_partner = factories.cooperative("HTX Mật ong Ba Bể", "01933")
    foreign = factories.product("Mật ong Ba Bể", 300_000, 5, foreign_partner)
    refused = save_body(browser, [featured(elsewhere, own, foreign)])
    assert in_vietnamese(OUT_OF_REACH) in editor_errors(refused)
    assert foreign.title not in home_cards(Client())


def test_the_home_page_refuses_an_end_date(home_page):
    home = HomePage.objects.get()
    home.expire_at = timezone.now() + datetime.timedelta(days=7)
    with pytest.raises(ValidationError) as refused:
        home.full_clean()
    assert "expire_at" in refused.value.message_dict
