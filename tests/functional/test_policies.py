"""The policy pages e-commerce rules require: seeded once, linked from the footer and the checkout,
and the shopper's consent to the privacy notice kept with each order (version, time, address)."""

import datetime
import io
import re

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from oscar.apps.order.models import Order
from wagtail.models import PageViewRestriction

from shop.apps.checkout import consent
from shop.cms import policies
from shop.cms.models import PolicyConsent, StandardPage
from tests.checkout import PLACE_ORDER, add_to_basket, enter_details, guest_checkout, place_order

pytestmark = pytest.mark.django_db

KINDS = ["operator", "terms", "privacy", "returns", "shipping", "payment", "complaints"]


@pytest.fixture
def policy_pages(home_page):
    policies.install_policy_pages()
    return {page.policy: page for page in StandardPage.objects.exclude(policy="")}


def publish_new_version(page, version):
    page = StandardPage.objects.get(pk=page.pk)
    page.version = version
    page.save_revision().publish()
    return page


def in_vietnamese(message):
    with translation.override("vi"):
        return escape(str(message))


def test_seeding_publishes_the_seven_policy_pages_once(home_page, settings):
    settings.OPERATOR_NAME = "HTX Dịch vụ <Chợ> & Núi"
    created = policies.install_policy_pages()

    assert [page.policy for page in created] == KINDS
    for page in StandardPage.objects.exclude(policy=""):
        assert page.live and page.show_in_menus and not page.has_unpublished_changes
        assert page.get_parent().specific == home_page
        assert (page.version, page.effective_on) == ("1.0", timezone.localdate())
        assert page.live_revision is not None  # editors see the seeded text in the history
        assert "luật sư" in page.intro and len(page.intro) <= 250
        assert {block.block_type for block in page.body} == {"heading", "paragraph"}
    operator = StandardPage.objects.get(policy="operator")
    assert "HTX Dịch vụ &lt;Chợ&gt; &amp; Núi" in str(operator.body)

    assert policies.install_policy_pages() == []
    assert StandardPage.objects.exclude(policy="").count() == 7


def test_seeding_keeps_what_staff_edited_and_fills_only_the_gaps(policy_pages):
    privacy = policy_pages["privacy"]
    privacy.title = "Bảo mật (bản của luật sư)"
    privacy.version = "2.0"
    privacy.save_revision().publish()
    policy_pages["complaints"].delete()

    created = policies.install_policy_pages()

    assert [page.policy for page in created] == ["complaints"]
    privacy.refresh_from_db()
    assert (privacy.title, privacy.version) == ("Bảo mật (bản của luật sư)", "2.0")


def test_seeding_does_not_take_the_slug_of_another_page(home_page):
    home_page.add_child(instance=StandardPage(title="Vận chuyển", slug="chinh-sach-van-chuyen"))
    policies.install_policy_pages()
    shipping = StandardPage.objects.get(policy="shipping")
    assert shipping.slug == "chinh-sach-van-chuyen-2"


def test_command_installs_the_pages_and_says_what_it_kept(home_page):
    output = io.StringIO()
    call_command("install_policy_pages", stdout=output)
    assert "7 policy pages created, 0 kept" in output.getvalue()
    call_command("install_policy_pages", stdout=output)
    assert "0 policy pages created, 7 kept" in output.getvalue()


def test_command_explains_a_site_without_home_page(db):
    with pytest.raises(CommandError, match="home page"):
        call_command("install_policy_pages", stdout=io.StringIO())


def test_policy_page_shows_its_version_and_date(client, policy_pages):
    page = publish_new_version(policy_pages["privacy"], "1.2")
    response = client.get(page.url)
    assert response.status_code == 200
    line = re.search(r"data-policy-version>(.*?)</p>", response.text, re.S).group(1)
    assert "1.2" in line and timezone.localdate().strftime("%d/%m/%Y") in line
    assert "luật sư" in response.text  # the draft note of the intro


def test_every_seeded_page_renders(client, policy_pages):
    for page in policy_pages.values():
        assert client.get(page.url).status_code == 200, page.policy


def test_footer_lists_the_policies_in_order_apart_from_other_pages(client, policy_pages, home_page):
    home_page.add_child(
        instance=StandardPage(title="Giới thiệu", slug="gioi-thieu", show_in_menus=True)
    )
    staff_only = home_page.add_child(
        instance=StandardPage(title="Nội bộ", slug="noi-bo", show_in_menus=True)
    )
    PageViewRestriction.objects.create(page=staff_only, restriction_type="login")
    text = client.get(reverse("catalogue:index")).text
    footer = text[text.index('class="site-footer"') :]

    assert re.findall(r'data-policy="(\w+)"', footer) == KINDS
    for page in policy_pages.values():
        assert footer.count(f'href="{page.url}"') == 1, page.policy
    assert 'href="/gioi-thieu/"' in footer and 'href="/noi-bo/"' not in footer
    assert "moit-badge" not in footer


def test_footer_links_the_moit_badge_when_configured(client, home_page, settings):
    settings.MOIT_BADGE_URL = "http://online.gov.vn/Home/WebDetails/12345"
    text = client.get(reverse("catalogue:index")).text
    assert 'class="moit-badge" href="http://online.gov.vn/Home/WebDetails/12345"' in text


def test_unpublished_and_private_policy_pages_are_not_linked(policy_pages):
    policy_pages["returns"].unpublish()
    PageViewRestriction.objects.create(
        page=policy_pages["payment"], restriction_type=PageViewRestriction.LOGIN
    )
    cache.clear()  # a view restriction is not a publication: the cache lasts an hour
    assert [link["policy"] for link in policies.policy_links()] == [
        "operator",
        "terms",
        "privacy",
        "shipping",
        "complaints",
    ]


def test_review_page_links_the_policies_and_asks_for_consent(client, shop_catalogue, policy_pages):
    add_to_basket(client, shop_catalogue["noodles"])
    review = enter_details(client)

    assert review.status_code == 200
    form = review.text[review.text.index('action="/shop/checkout/preview/"') :]
    for kind in ("terms", "returns", "shipping", "payment", "privacy"):
        assert f'href="{policy_pages[kind].url}"' in form, kind
    checkbox = re.search(r'<input type="checkbox" name="privacy_consent"[^>]*>', form).group(0)
    assert "required" in checkbox and "checked" not in checkbox
    assert 'name="privacy_version" value="1.0"' in form


def test_order_is_not_placed_without_consent_and_nothing_is_lost(
    client, shop_catalogue, policy_pages
):
    add_to_basket(client, shop_catalogue["noodles"], quantity=2)
    enter_details(client)

    refused = client.post(reverse("checkout:preview"), {"action": "place_order"})

    assert refused.status_code == 400
    assert Order.objects.count() == PolicyConsent.objects.count() == 0
    assert in_vietnamese(consent.CONSENT_REQUIRED) in refused.text
    checkbox = re.search(r'<input type="checkbox" name="privacy_consent"[^>]*>', refused.text)
    assert "checked" not in checkbox.group(0) and 'aria-invalid="true"' in checkbox.group(0)
    # Basket, address and payment method are all still there: ticking the box is enough.
    assert place_order(client).status_code == 302
    order = Order.objects.get()
    assert order.lines.get().quantity == 2
    assert order.shipping_address.line1 == "Thôn Nà Pài"


def test_consent_is_recorded_with_the_order(client, shop_catalogue, policy_pages):
    add_to_basket(client, shop_catalogue["noodles"])
    enter_details(client)
    before = timezone.now()

    placed = client.post(
        reverse("checkout:preview"),
        {**PLACE_ORDER, "privacy_version": "1.0"},
        headers={"user-agent": "Mozilla/5.0 (Android 14) " + "x" * 400},
        REMOTE_ADDR="203.113.10.7",
    )

    assert placed.status_code == 302
    record = PolicyConsent.objects.get(order=Order.objects.get())
    assert (record.policy, record.version) == ("privacy", "1.0")
    assert before <= record.consented_at <= timezone.now()
    assert record.ip_address == "203.113.10.7"
    assert record.user_agent.startswith("Mozilla/5.0 (Android 14)")
    assert len(record.user_agent) == 300


def test_a_new_version_is_recorded_for_the_next_order(client, shop_catalogue, policy_pages):
    guest_checkout(client, shop_catalogue["noodles"])
    publish_new_version(policy_pages["privacy"], "1.1")
    guest_checkout(client, shop_catalogue["rice_wine"])

    first, second = Order.objects.order_by("pk")
    assert first.policy_consents.get().version == "1.0"
    assert second.policy_consents.get().version == "1.1"


def test_shopper_is_asked_again_when_the_notice_changed_during_review(
    client, shop_catalogue, policy_pages
):
    add_to_basket(client, shop_catalogue["noodles"])
    review = enter_details(client)
    assert 'name="privacy_version" value="1.0"' in review.text
    publish_new_version(policy_pages["privacy"], "1.1")

    stale = client.post(reverse("checkout:preview"), {**PLACE_ORDER, "privacy_version": "1.0"})

    assert stale.status_code == 400 and not Order.objects.exists()
    with translation.override("vi"):
        message = str(consent.VERSION_CHANGED) % {"version": "1.1"}
    assert escape(message) in stale.text
    assert 'name="privacy_version" value="1.1"' in stale.text
    again = client.post(reverse("checkout:preview"), {**PLACE_ORDER, "privacy_version": "1.1"})
    assert again.status_code == 302
    assert Order.objects.get().policy_consents.get().version == "1.1"


def test_a_privacy_page_without_version_number_is_recorded_as_unversioned(
    client, shop_catalogue, policy_pages
):
    publish_new_version(policy_pages["privacy"], "")
    add_to_basket(client, shop_catalogue["noodles"])
    review = enter_details(client)
    label = re.search(r'<label for="privacy-consent">(.*?)</label>', review.text).group(1)
    assert f'href="{policy_pages["privacy"].url}"' in label and "1.0" not in label
    place_order(client)
    assert Order.objects.get().policy_consents.get().version == policies.UNVERSIONED


def test_a_site_without_privacy_page_still_sells_and_says_so(client, shop_catalogue):
    response = guest_checkout(client, shop_catalogue["noodles"])
    assert response.status_code == 302
    record = Order.objects.get().policy_consents.get()
    assert record.version == policies.UNPUBLISHED == "unpublished"
    assert record.consented_at > timezone.now() - datetime.timedelta(minutes=1)


def test_staff_find_an_orders_consent_in_the_admin(client, shop_catalogue, policy_pages):
    from django.contrib.auth import get_user_model

    guest_checkout(client, shop_catalogue["noodles"])
    order = Order.objects.get()
    record = order.policy_consents.get()
    staff = client.__class__()
    staff.force_login(
        get_user_model().objects.create_superuser(email="admin@cho-ocop.test", password="x")
    )

    listing = staff.get("/admin/policy-consents/", {"q": order.number})
    assert listing.status_code == 200
    assert order.number in listing.text and "127.0.0.1" in listing.text
    detail = staff.get(f"/admin/policy-consents/{record.pk}/")
    assert detail.status_code == 200 and "1.0" in detail.text
    shopper = get_user_model().objects.create_user(email="khach@example.vn", password="x")
    client.force_login(shopper)
    assert client.get("/admin/policy-consents/").status_code in (302, 403)
