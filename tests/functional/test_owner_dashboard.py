"""A cooperative owner's back office in Oscar's dashboard: home panel, navigation, products,
orders, profile, certificates and team, as the owner (and their staff) use them."""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from oscar.apps.catalogue.models import Product
from oscar.apps.partner.models import StockRecord

from catalog.models import OcopCertificate, add_months
from cooperatives.models import Cooperative, CooperativePhoto
from tests import factories
from tests.owner_market import build_market, form_values

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture
def market(home_page):
    return build_market()


@pytest.fixture
def owner_client(client, market):
    client.force_login(market.a.owner)
    return client


def jpeg(name="Ảnh chè.JPG", size=(240, 180)):
    return SimpleUploadedFile(name, factories.jpeg_bytes(size=size), "image/jpeg")


def pdf(name="Quyết định OCOP.pdf"):
    return SimpleUploadedFile(name, factories.pdf_bytes(), "application/pdf")


def nav_links(response):
    """The addresses of the dashboard menu (the second navbar)."""
    html = response.content.decode()
    menu = html[
        html.index('id="bottom_nav_bar"') : html.index("</nav>", html.index("bottom_nav_bar"))
    ]
    return {href for href in re.findall(r'href="([^"#]+)"', menu)}


# --- Navigation and access ------------------------------------------------------------------


def test_owner_menu_lists_only_their_pages(owner_client):
    response = owner_client.get(reverse("dashboard:index"))
    assert nav_links(response) == {
        reverse("dashboard:index"),
        reverse("dashboard:catalogue-product-list"),
        reverse("dashboard:order-list"),
        reverse("dashboard:cooperative-profile"),
        reverse("dashboard:certificate-list"),
        reverse("dashboard:cooperative-team"),
        reverse("dashboard:shipment-list"),
        reverse("dashboard:cooperative-statement"),
    }


def test_platform_staff_keep_oscars_menu_without_cooperative_pages(client, market):
    admin = User.objects.create_superuser(email="admin@cho-ocop.test", password="x")
    client.force_login(admin)
    links = nav_links(client.get(reverse("dashboard:index")))
    assert reverse("dashboard:catalogue-class-list") in links
    assert reverse("dashboard:order-stats") in links
    assert reverse("dashboard:cooperative-profile") not in links
    assert client.get(reverse("dashboard:cooperative-profile")).status_code == 404


@pytest.mark.parametrize(
    "name",
    [
        "catalogue-class-list",
        "catalogue-class-create",
        "catalogue-category-list",
        "catalogue-category-create",
        "catalogue-option-list",
        "catalogue-attribute-option-group-list",
        "stock-alert-list",
        "range-list",
        "offer-list",
        "voucher-list",
        "voucher-set-list",
        "reviews-list",
        "page-list",
        "comms-list",
        "users-index",
        "user-alert-list",
        "reports-index",
        "partner-list",
        "shipping-method-list",
        "order-stats",
    ],
)
def test_owner_cannot_open_the_platforms_pages(owner_client, name):
    assert owner_client.get(reverse(f"dashboard:{name}")).status_code == 403


def test_owner_is_never_staff(market):
    assert not market.a.owner.is_staff


# --- Home panel -----------------------------------------------------------------------------


def test_home_lists_own_lines_to_ship_and_products_running_out(owner_client, market):
    response = owner_client.get(reverse("dashboard:index"))
    assert response.status_code == 200
    assert response.templates[0].name == "oscar/dashboard/cooperative_home.html"
    own_line = market.shared_order.lines.get(partner=market.a.partner)
    other_line = market.shared_order.lines.get(partner=market.b.partner)
    html = response.content.decode()
    assert f'data-line="{own_line.pk}"' in html
    assert f'data-line="{other_line.pk}"' not in html
    assert market.b.product.title not in html
    # 4 left of the second tea (default threshold 5); 38 of the first are free.
    low = {record.product_id for record in response.context["low_stock"]}
    assert low == {market.a.products[1].pk}

    record = market.a.product.stockrecords.get()
    record.low_stock_threshold = 40
    record.save()
    response = owner_client.get(reverse("dashboard:index"))
    assert {r.product_id for r in response.context["low_stock"]} == {
        market.a.product.pk,
        market.a.products[1].pk,
    }


def test_shipped_lines_leave_the_home_panel(owner_client, market):
    line = market.shared_order.lines.get(partner=market.a.partner)
    owner_client.post(
        reverse("dashboard:order-detail", kwargs={"number": market.shared_order.number}),
        {"line_action": "change_line_statuses", "selected_line": line.pk, "new_status": "shipped"},
    )
    response = owner_client.get(reverse("dashboard:index"))
    assert response.context["lines_to_fulfil"] == []


def test_staff_keep_oscars_statistics(client, market):
    admin = User.objects.create_superuser(email="admin@cho-ocop.test", password="x")
    client.force_login(admin)
    response = client.get(reverse("dashboard:index"))
    assert response.templates[0].name == "oscar/dashboard/index.html"
    assert "total_revenue" in response.context


# --- Products -------------------------------------------------------------------------------


def errors_of(response):
    """Every error of a product page that was sent back, to read in a failing assertion."""
    if response.context is None:
        return response.status_code
    found = {"form": response.context["form"].errors}
    for name in ("stockrecord_formset", "image_formset", "category_formset", "recommended_formset"):
        formset = response.context.get(name)
        if formset is not None:
            found[name] = [formset.non_form_errors(), *[f.errors for f in formset.forms]]
    return found


def product_form(client, product_class="san-pham-ocop", pk=None):
    if pk:
        url = reverse("dashboard:catalogue-product", kwargs={"pk": pk})
    else:
        url = reverse(
            "dashboard:catalogue-product-create", kwargs={"product_class_slug": product_class}
        )
    response = client.get(url)
    assert response.status_code == 200
    return url, form_values(response, "create_update_product_form")


def new_product_data(client, market, **changes):
    url, data = product_form(client)
    data.update(
        {
            "title": "Chè xanh Bằng Phúc",
            "upc": "",
            "description": '<p>Chè <strong>ngon</strong></p><script>alert("x")</script>'
            '<img src=x onerror="alert(1)">',
            "is_public": "on",
            "attr_weight_grams": "250",
            "attr_ingredients": "100% búp chè Shan tuyết",
            "attr_origin": "Bằng Phúc, Thái Nguyên",
            "productcategory_set-0-category": market.groups["thuc-pham-che-bien"].pk,
            "stockrecords-0-partner_sku": "",
            "stockrecords-0-price": "85000",
            "stockrecords-0-num_in_stock": "25",
            "images-0-original": jpeg(),
            "images-0-caption": "Gói chè 250 g",
            "action": "continue",
        }
    )
    data.update(changes)
    return url, data


def test_owner_adds_a_product_with_photo_price_and_stock(owner_client, market):
    url, data = new_product_data(owner_client, market)
    response = owner_client.post(url, data)
    assert response.status_code == 302, errors_of(response)
    product = Product.objects.get(title="Chè xanh Bằng Phúc")
    assert product.is_public
    assert product.description == "<p>Chè <strong>ngon</strong></p>"
    assert product.attr.weight_grams == 250
    record = product.stockrecords.get()
    assert record.partner == market.a.partner
    assert (record.price, record.num_in_stock, record.price_currency) == (Decimal(85000), 25, "VND")
    assert record.partner_sku.startswith("SP-")
    image = product.images.get()
    assert re.fullmatch(r"images/products/.*anh-che-[0-9a-f]{8}\.jpg", image.original.name)
    assert owner_client.get(reverse("dashboard:catalogue-product-list")).status_code == 200


def test_forged_structure_is_ignored(owner_client, market):
    url, data = product_form(owner_client, pk=market.a.product.pk)
    data["structure"] = "parent"
    assert owner_client.post(url, data).status_code == 302
    market.a.product.refresh_from_db()
    assert market.a.product.structure == "standalone"


def test_owner_unpublishes_and_publishes_their_product(owner_client, market):
    product = market.a.product
    url, data = product_form(owner_client, pk=product.pk)
    data.pop("is_public", None)
    assert owner_client.post(url, data).status_code == 302
    product.refresh_from_db()
    assert not product.is_public
    data["is_public"] = "on"
    assert owner_client.post(url, data).status_code == 302
    product.refresh_from_db()
    assert product.is_public


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"stockrecords-0-price": "-1000"}, "price"),
        ({"stockrecords-0-price": "1000.50"}, "price"),
        ({"stockrecords-0-price": ""}, "price"),
        ({"stockrecords-0-num_in_stock": "-3"}, "num_in_stock"),
        ({"stockrecords-0-low_stock_threshold": "-1"}, "low_stock_threshold"),
    ],
)
def test_price_and_stock_are_never_negative(owner_client, market, changes, field):
    url, data = new_product_data(owner_client, market, **changes)
    count = Product.objects.count()
    response = owner_client.post(url, data)
    assert response.status_code == 200
    errors = response.context["stockrecord_formset"].forms[0].errors
    assert field in errors
    assert Product.objects.count() == count


def test_forged_partner_is_refused(owner_client, market):
    url, data = new_product_data(
        owner_client, market, **{"stockrecords-0-partner": market.b.partner.pk}
    )
    count = Product.objects.count()
    response = owner_client.post(url, data)
    assert response.status_code == 200
    assert "partner" in response.context["stockrecord_formset"].forms[0].errors
    assert Product.objects.count() == count
    assert not StockRecord.objects.filter(partner=market.b.partner, price=85000).exists()


def test_another_partners_stock_record_cannot_be_edited(owner_client, market):
    url, data = product_form(owner_client, pk=market.a.product.pk)
    theirs = market.b.product.stockrecords.get()
    data.update({"stockrecords-0-id": theirs.pk, "stockrecords-0-price": "1"})
    response = owner_client.post(url, data)
    assert response.status_code == 200
    theirs.refresh_from_db()
    assert theirs.price == Decimal(65000)


def test_the_last_own_stock_record_cannot_be_deleted(owner_client, market):
    url, data = product_form(owner_client, pk=market.a.product.pk)
    data["stockrecords-0-DELETE"] = "on"
    response = owner_client.post(url, data)
    assert response.status_code == 200
    assert market.a.product.stockrecords.filter(partner=market.a.partner).exists()


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("anh.jpg", b"<html><script>alert(1)</script></html>", "image/jpeg"),
        SimpleUploadedFile("nho.jpg", factories.jpeg_bytes(size=(40, 40)), "image/jpeg"),
    ],
    ids=["not-an-image", "too-small"],
)
def test_product_photos_are_checked(owner_client, market, upload):
    upload.seek(0)
    url, data = new_product_data(owner_client, market, **{"images-0-original": upload})
    count = Product.objects.count()
    response = owner_client.post(url, data)
    assert response.status_code == 200
    assert "original" in response.context["image_formset"].forms[0].errors
    assert Product.objects.count() == count


def test_another_products_image_cannot_be_taken_over(owner_client, market):
    url, data = product_form(owner_client, pk=market.a.product.pk)
    theirs = market.b.product.images.get()
    data.update({"images-0-id": theirs.pk, "images-0-caption": "của tôi"})
    response = owner_client.post(url, data)
    assert response.status_code == 200
    theirs.refresh_from_db()
    assert (theirs.product_id, theirs.caption) == (market.b.product.pk, "")


def test_unknown_product_class_is_404(owner_client):
    url = reverse("dashboard:catalogue-product-create", kwargs={"product_class_slug": "khong-co"})
    assert owner_client.get(url).status_code == 404
    redirect = owner_client.get(
        reverse("dashboard:catalogue-product-create"), {"product_class": 999999}
    )
    assert redirect.status_code == 302
    assert redirect["Location"] == reverse("dashboard:catalogue-product-list")


def test_alcohol_needs_its_licence_facts(owner_client, market):
    url, data = product_form(owner_client, product_class="do-uong-co-con")
    data.update(
        {
            "title": "Rượu men lá Bằng Phúc",
            "attr_weight_grams": "1200",
            "productcategory_set-0-category": market.groups["do-uong-co-con"].pk,
            "stockrecords-0-price": "120000",
            "stockrecords-0-num_in_stock": "10",
        }
    )
    response = owner_client.post(url, data)
    assert response.status_code == 200
    assert {"attr_abv_percent", "attr_volume_ml", "attr_production_licence"} <= set(
        response.context["form"].errors
    )
    data.update(
        {
            "attr_abv_percent": "29.5",
            "attr_volume_ml": "500",
            "attr_production_licence": "Số 12/GP-UBND, 01/03/2024, UBND xã Bằng Phúc",
            "attr_alcohol_stamp": "on",
        }
    )
    assert owner_client.post(url, data).status_code == 302
    wine = Product.objects.get(title="Rượu men lá Bằng Phúc")
    assert wine.attr.abv_percent == 29.5
    assert wine.attr.alcohol_stamp is True
    assert wine.stockrecords.get().partner == market.a.partner


def test_recommendations_only_point_to_own_products(owner_client, market):
    url, data = product_form(owner_client, pk=market.a.product.pk)
    data["primary_recommendations-0-recommendation"] = market.b.product.pk
    response = owner_client.post(url, data)
    assert response.status_code == 200
    assert not market.a.product.primary_recommendations.exists()
    data["primary_recommendations-0-recommendation"] = market.a.products[1].pk
    assert owner_client.post(url, data).status_code == 302
    assert list(market.a.product.recommended_products.all()) == [market.a.products[1]]


def test_owner_product_list_shows_only_their_products(owner_client, market):
    response = owner_client.get(reverse("dashboard:catalogue-product-list"))
    listed = {product.pk for product in response.context["products"].data}
    assert listed == {product.pk for product in market.a.products}
    # Each row links to the product's sheet of QR labels, which the owner may open.
    labels = reverse("trace-labels", kwargs={"product_id": market.a.product.pk})
    assert labels in response.content.decode()
    assert owner_client.get(labels).status_code == 200


def test_published_product_appears_in_the_shop(owner_client, market, client):
    url, data = new_product_data(owner_client, market)
    assert owner_client.post(url, data).status_code == 302
    product = Product.objects.get(title="Chè xanh Bằng Phúc")
    owner_client.logout()
    page = owner_client.get(product.get_absolute_url())
    assert page.status_code == 200
    assert "85.000\xa0₫" in page.content.decode()


# --- Orders ---------------------------------------------------------------------------------


def test_order_list_shows_own_orders_with_own_subtotal(owner_client, market):
    response = owner_client.get(reverse("dashboard:order-list"))
    orders = list(response.context["orders"])
    assert [order.number for order in orders] == [market.shared_order.number]
    assert orders[0].own_total == Decimal(300_000)
    html = response.content.decode()
    assert "300.000\xa0₫" in html
    total = f"{market.shared_order.total_incl_tax:,.0f}".replace(",", ".")
    assert total not in html  # 525.000: the whole order with B's noodles and shipping
    assert market.shared_order.guest_email not in html


@pytest.mark.parametrize(
    "query, found",
    [
        ({"product_title": "Miến"}, False),  # B's product in the shared order: no leak
        ({"product_title": "Mật ong"}, False),
        ({"product_title": "Chè Shan"}, True),
        ({"partner_sku": "SKU-1"}, False),
        ({"name": "Trần Thị Bình"}, False),  # the recipient of B's own order
        ({"name": "Nguyễn"}, True),
        ({"status": "confirmed"}, True),
    ],
)
def test_order_search_looks_at_own_lines_only(owner_client, market, query, found):
    sku = market.b.product.stockrecords.get().partner_sku
    if query.get("partner_sku") == "SKU-1":
        query = {"partner_sku": sku}
    response = owner_client.get(reverse("dashboard:order-list"), query)
    numbers = [order.number for order in response.context["orders"]]
    assert numbers == ([market.shared_order.number] if found else [])


def test_order_number_lookup_of_another_cooperatives_order_finds_nothing(owner_client, market):
    response = owner_client.get(
        reverse("dashboard:order-list"), {"order_number": market.b_order.number}
    )
    assert response.status_code == 200
    assert list(response.context["orders"]) == []


def test_csv_has_own_subtotals_only(owner_client, market):
    response = owner_client.get(reverse("dashboard:order-list"), {"response_format": "csv"})
    text = response.content.decode("utf-8-sig")
    assert market.shared_order.number in text
    assert market.b_order.number not in text
    assert "300000" in text.replace(".", "").replace(",", "")
    assert market.shared_order.guest_email not in text
    forged = owner_client.post(
        reverse("dashboard:order-list"),
        {"action": "download_selected_orders", "selected_order": [market.b_order.pk]},
    )
    assert market.b_order.number not in forged.content.decode("utf-8-sig", "replace")


def test_order_detail_shows_own_lines_and_delivery_details_only(owner_client, market):
    order = market.shared_order
    response = owner_client.get(reverse("dashboard:order-detail", kwargs={"number": order.number}))
    html = response.content.decode()
    assert market.a.product.title in html
    assert market.b.product.title not in html
    assert "195.000" not in html  # B's line: 3 × 65.000
    assert order.guest_email not in html
    assert "Nguyễn Văn An" in html and "0912 345 678" in html and "Thôn Nà Pài" in html
    assert [line.partner_id for line in response.context["lines"]] == [market.a.partner.pk]


def test_owner_ships_their_line_and_its_stock_is_consumed(owner_client, market):
    order = market.shared_order
    own = order.lines.get(partner=market.a.partner)
    other = order.lines.get(partner=market.b.partner)
    url = reverse("dashboard:order-detail", kwargs={"number": order.number})
    response = owner_client.post(
        url,
        {"line_action": "change_line_statuses", "selected_line": own.pk, "new_status": "shipped"},
    )
    assert response.status_code == 302
    own.refresh_from_db()
    other.refresh_from_db()
    assert (own.status, other.status) == ("shipped", "confirmed")
    record = own.stockrecord
    record.refresh_from_db()
    assert (record.num_in_stock, record.num_allocated) == (38, 0)


def test_owner_cancels_their_line_and_the_stock_comes_back(owner_client, market):
    order = market.shared_order
    own = order.lines.get(partner=market.a.partner)
    owner_client.post(
        reverse("dashboard:order-detail", kwargs={"number": order.number}),
        {"line_action": "change_line_statuses", "selected_line": own.pk, "new_status": "cancelled"},
    )
    record = StockRecord.objects.get(pk=own.stockrecord_id)
    assert (record.num_in_stock, record.num_allocated) == (40, 0)


@pytest.mark.parametrize(
    "data",
    [
        {"line_action": "change_line_statuses", "new_status": "shipped", "selected_line": "x"},
        {"line_action": "change_line_statuses", "new_status": "shipped"},
        {"line_action": "change_line_statuses", "selected_line": "OWN"},
        {"line_action": "change_line_statuses", "selected_line": "OWN", "new_status": "paid2"},
        {"line_action": "change_line_statuses", "selected_line": "OWN", "new_status": "delivered"},
        {
            "line_action": "change_line_statuses",
            "selected_line": "OWN",
            "selected_line_qty_OWN": "abc",
            "new_status": "shipped",
        },
    ],
)
def test_bad_line_actions_change_nothing(owner_client, market, data):
    order = market.shared_order
    own = order.lines.get(partner=market.a.partner)
    data = {
        key.replace("OWN", str(own.pk)): value.replace("OWN", str(own.pk))
        for key, value in data.items()
    }
    response = owner_client.post(
        reverse("dashboard:order-detail", kwargs={"number": order.number}), data
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.status == "confirmed"


def test_owner_order_actions_are_refused(owner_client, market):
    order = market.shared_order
    url = reverse("dashboard:order-detail", kwargs={"number": order.number})
    for action in ("change_order_status", "save_note", "create_order_payment_event"):
        response = owner_client.post(url, {"order_action": action, "new_status": "cancelled"})
        assert response.status_code == 403
    line = order.lines.get(partner=market.a.partner)
    response = owner_client.post(
        url,
        {
            "line_action": "create_shipping_event",
            "selected_line": line.pk,
            "shipping_event_type": "x",
        },
    )
    assert response.status_code == 403
    order.refresh_from_db()
    assert order.status == "confirmed" and not order.notes.exists()


# --- Cooperative profile --------------------------------------------------------------------


def profile_data(client):
    response = client.get(reverse("dashboard:cooperative-profile"))
    assert response.status_code == 200
    return form_values(response, "profile_form")


def test_owner_edits_the_profile(owner_client, market):
    data = profile_data(owner_client)
    data.update(
        {
            "legal_name": "Hợp tác xã Chè Shan tuyết Chợ Đồn",
            "short_name": "HTX Chè Chợ Đồn",
            "registration_number": "4701-GCN/HTX",
            "province": "19",
            "commune_code": "02026",
            "street_address": "Thôn Bản Tàn",
            "pickup_province": "",
            "pickup_commune_code": "",
            "phone_number": "0912 345 678",
            "email": "lienhe@chechodon.vn",
            "story": "<p>Cây chè <em>trăm tuổi</em></p><script>x()</script>",
            "bank_bin": "970405",
            "bank_account_number": "1234567890",
            "bank_account_holder": "HTX CHE CHO DON",
            "logo": jpeg("logo.png"),
            "photos-0-image": jpeg("đồi chè.jpg"),
            "photos-0-caption": "Đồi chè",
            "photos-0-display_order": "1",
            # Forged: what only officers decide.
            "is_verified": "on",
            "is_active": "",
            "slug": "chiem-doat",
            "owner": market.b.owner.pk,
            "partner": market.b.partner.pk,
        }
    )
    response = owner_client.post(reverse("dashboard:cooperative-profile"), data)
    assert response.status_code == 302, response.context["form"].errors
    cooperative = Cooperative.objects.get(pk=market.a.cooperative.pk)
    assert cooperative.name == "HTX Chè Chợ Đồn"
    assert cooperative.partner.name == "HTX Chè Chợ Đồn"
    assert cooperative.commune_code == "02026"
    assert str(cooperative.phone_number) == "+84912345678"
    assert cooperative.story == "<p>Cây chè <em>trăm tuổi</em></p>"
    assert cooperative.has_payout_account
    assert cooperative.logo.name.startswith("cooperatives/logos/logo-")
    assert (cooperative.is_verified, cooperative.is_active) == (False, True)
    assert cooperative.slug == market.a.cooperative.slug
    assert (cooperative.owner, cooperative.partner) == (market.a.owner, market.a.partner)
    photo = cooperative.photos.get()
    assert photo.caption == "Đồi chè" and photo.image.name.endswith(".jpg")


def test_commune_must_lie_in_the_province(owner_client, market):
    data = profile_data(owner_client)
    data.update({"province": "01", "commune_code": "01933"})  # Hà Nội, a Thái Nguyên commune
    response = owner_client.post(reverse("dashboard:cooperative-profile"), data)
    assert response.status_code == 200
    assert "commune_code" in response.context["form"].errors
    assert Cooperative.objects.get(pk=market.a.cooperative.pk).commune_code == "01933"


def test_without_javascript_the_province_shows_its_communes(owner_client, market):
    data = profile_data(owner_client)
    data.update({"province": "01", "show_communes": "1", "legal_name": "Tên mới"})
    response = owner_client.post(reverse("dashboard:cooperative-profile"), data)
    assert response.status_code == 200
    communes = dict(response.context["form"].fields["commune_code"].choices)
    assert "00004" in communes and "01933" not in communes  # Hà Nội's, not Thái Nguyên's
    assert Cooperative.objects.get(pk=market.a.cooperative.pk).legal_name != "Tên mới"


def test_bad_photos_are_refused_and_photos_can_be_removed(owner_client, market):
    photo = CooperativePhoto.objects.create(
        cooperative=market.a.cooperative, image=jpeg("cu.jpg"), caption="Cũ"
    )
    data = profile_data(owner_client)
    data["photos-1-image"] = SimpleUploadedFile("x.jpg", b"GIF89a not really", "image/jpeg")
    response = owner_client.post(reverse("dashboard:cooperative-profile"), data)
    assert response.status_code == 200
    assert response.context["photo_formset"].forms[1].errors
    data = profile_data(owner_client)
    data["photos-0-DELETE"] = "on"
    assert owner_client.post(reverse("dashboard:cooperative-profile"), data).status_code == 302
    assert not CooperativePhoto.objects.filter(pk=photo.pk).exists()


def test_another_cooperatives_photo_cannot_be_edited(owner_client, market):
    CooperativePhoto.objects.create(cooperative=market.a.cooperative, image=jpeg("a.jpg"))
    theirs = CooperativePhoto.objects.create(
        cooperative=market.b.cooperative, image=jpeg("b.jpg"), caption="B"
    )
    data = profile_data(owner_client)
    data.update({"photos-0-id": theirs.pk, "photos-0-caption": "A"})
    response = owner_client.post(reverse("dashboard:cooperative-profile"), data)
    assert response.status_code == 200
    assert response.context["photo_formset"].forms[0].errors  # treated as a new photo: refused
    data["photos-0-DELETE"] = "on"
    owner_client.post(reverse("dashboard:cooperative-profile"), data)
    theirs.refresh_from_db()
    assert (theirs.cooperative_id, theirs.caption) == (market.b.cooperative.pk, "B")


def test_staff_member_edits_the_profile_but_not_the_bank_account(client, market):
    member = factories.owner(market.a.partner, email="nhanvien@htx.test")
    cooperative = market.a.cooperative
    cooperative.bank_bin, cooperative.bank_account_number = "970405", "111"
    cooperative.bank_account_holder = "HTX"
    cooperative.save()
    client.force_login(member)
    response = client.get(reverse("dashboard:cooperative-profile"))
    assert "bank_account_number" not in response.context["form"].fields
    assert "data-bank-readonly" in response.content.decode()
    data = form_values(response, "profile_form")
    data.update({"short_name": "Tên ngắn", "bank_account_number": "999", "bank_bin": "970436"})
    assert client.post(reverse("dashboard:cooperative-profile"), data).status_code == 302
    cooperative.refresh_from_db()
    assert (cooperative.short_name, cooperative.bank_account_number) == ("Tên ngắn", "111")


# --- Certificates ---------------------------------------------------------------------------


def certificate_data(market, **changes):
    data = {
        "decision_number": "1234/QĐ-UBND",
        "issuing_authority": "UBND tỉnh Thái Nguyên",
        "authority_type": "provincial_pc",
        "signed_on": "2025-03-10",
        "valid_until": "",
        "product_group": market.groups["thuc-pham"].pk,
        "product_name_certified": "Chè Shan tuyết Chợ Đồn",
        "products": [market.a.product.pk],
        "document": pdf(),
    }
    data.update(changes)
    return data


def test_certificate_list_shows_own_certificates(owner_client, market):
    response = owner_client.get(reverse("dashboard:certificate-list"))
    assert {c.pk for c in response.context["certificates"]} == {
        market.a.certificate.pk,
        market.a.verified_certificate.pk,
    }


def test_owner_submits_a_certificate(owner_client, market):
    data = certificate_data(
        market, stars="5", status="verified", level="national", reviewed_by=market.a.owner.pk
    )
    response = owner_client.post(reverse("dashboard:certificate-create"), data)
    assert response.status_code == 302, response.context["form"].errors
    certificate = OcopCertificate.objects.get(decision_number="1234/QĐ-UBND")
    assert certificate.cooperative == market.a.cooperative
    assert (certificate.status, certificate.stars, certificate.level) == ("submitted", None, "")
    assert certificate.reviewed_by is None
    assert certificate.valid_until == add_months(datetime.date(2025, 3, 10), 36)
    assert list(certificate.products.all()) == [market.a.product]
    assert certificate.document.name.endswith(".pdf")
    assert not OcopCertificate.objects.in_force().filter(pk=certificate.pk).exists()


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"products": ["B"]}, "products"),
        ({"products": ["abc"]}, "products"),
        ({"product_group": "999999"}, "product_group"),
        ({"document": SimpleUploadedFile("x.pdf", b"not a pdf", "application/pdf")}, "document"),
        ({"signed_on": "2999-01-01"}, "signed_on"),
        ({"valid_until": "2020-01-01"}, "valid_until"),
        ({"signed_on": "ngày mai"}, "signed_on"),
    ],
)
def test_bad_certificates_are_refused(owner_client, market, changes, field):
    if changes.get("products") == ["B"]:
        changes = {"products": [market.b.product.pk]}
    count = OcopCertificate.objects.count()
    response = owner_client.post(
        reverse("dashboard:certificate-create"), certificate_data(market, **changes)
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert OcopCertificate.objects.count() == count


def test_submitted_certificate_can_be_edited_and_withdrawn(owner_client, market):
    certificate = market.a.certificate
    url = reverse("dashboard:certificate-update", kwargs={"pk": certificate.pk})
    data = certificate_data(market, decision_number="99/QĐ-UBND", stars="5")
    data.pop("document")
    assert owner_client.post(url, data).status_code == 302
    certificate.refresh_from_db()
    assert (certificate.decision_number, certificate.stars) == ("99/QĐ-UBND", None)
    delete = reverse("dashboard:certificate-delete", kwargs={"pk": certificate.pk})
    assert owner_client.get(delete).status_code == 200
    assert owner_client.post(delete).status_code == 302
    assert not OcopCertificate.objects.filter(pk=certificate.pk).exists()


def test_verified_certificate_is_read_only(owner_client, market):
    certificate = market.a.verified_certificate
    url = reverse("dashboard:certificate-update", kwargs={"pk": certificate.pk})
    page = owner_client.get(url)
    assert page.status_code == 200
    assert page.templates[0].name == "oscar/dashboard/certificates/certificate_detail.html"
    data = certificate_data(market, decision_number="sửa")
    assert owner_client.post(url, data).status_code == 403
    delete = reverse("dashboard:certificate-delete", kwargs={"pk": certificate.pk})
    assert owner_client.post(delete).status_code == 404
    certificate.refresh_from_db()
    assert certificate.decision_number != "sửa" and certificate.status == "verified"


def test_rejected_certificate_is_submitted_again_as_a_new_one(owner_client, market):
    rejected = market.a.certificate
    rejected.status, rejected.rejection_reason = "rejected", "Ảnh mờ"
    rejected.save()
    page = owner_client.get(reverse("dashboard:certificate-create"), {"from": rejected.pk})
    assert page.context["form"].initial["decision_number"] == rejected.decision_number
    other = market.b.certificate
    other.status, other.rejection_reason = "rejected", "x"
    other.save()
    page = owner_client.get(reverse("dashboard:certificate-create"), {"from": other.pk})
    assert page.context["form"].initial == {}
    data = certificate_data(market, decision_number=rejected.decision_number)
    assert owner_client.post(reverse("dashboard:certificate-create"), data).status_code == 302
    assert list(
        OcopCertificate.objects.filter(decision_number=rejected.decision_number)
        .order_by("pk")
        .values_list("status", flat=True)
    ) == ["rejected", "submitted"]


# --- Team -----------------------------------------------------------------------------------


def test_owner_invites_a_staff_member(owner_client, market, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(
            reverse("dashboard:cooperative-team"), {"email": "Nhan.Vien@Example.com"}
        )
    assert response.status_code == 302
    member = User.objects.get(email__iexact="nhan.vien@example.com")
    assert not member.has_usable_password() and not member.is_staff
    assert market.a.partner.users.filter(pk=member.pk).exists()
    assert member.has_perm("partner.dashboard_access")
    assert Cooperative.objects.get(pk=market.a.cooperative.pk).owner == market.a.owner
    assert [message.to for message in mail.outbox] == [[member.email]]


@pytest.mark.parametrize("who", ["b_owner", "staff", "bad"])
def test_invitations_that_are_refused(owner_client, market, who):
    email = {
        "b_owner": market.b.owner.email,
        "staff": User.objects.create_superuser(email="nv@cho-ocop.test", password="x").email,
        "bad": "không phải e-mail",
    }[who]
    response = owner_client.post(reverse("dashboard:cooperative-team"), {"email": email})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert market.a.partner.users.count() == 1
    assert mail.outbox == []


def test_staff_cannot_invite_or_remove(client, market):
    member = factories.owner(market.a.partner, email="nhanvien@htx.test")
    colleague = factories.owner(market.a.partner, email="dongnghiep@htx.test")
    client.force_login(member)
    assert client.get(reverse("dashboard:cooperative-team")).status_code == 200
    assert (
        client.post(reverse("dashboard:cooperative-team"), {"email": "x@y.vn"}).status_code == 403
    )
    remove = reverse("dashboard:cooperative-team-remove", kwargs={"pk": colleague.pk})
    assert client.post(remove).status_code == 403
    assert market.a.partner.users.filter(pk=colleague.pk).exists()


def test_owner_removes_staff_but_not_the_owner(owner_client, market):
    member = factories.owner(market.a.partner, email="nhanvien@htx.test")
    remove = reverse("dashboard:cooperative-team-remove", kwargs={"pk": member.pk})
    assert owner_client.get(remove).status_code == 405
    assert owner_client.post(remove).status_code == 302
    member = User.objects.get(pk=member.pk)
    assert not market.a.partner.users.filter(pk=member.pk).exists()
    assert not member.has_perm("partner.dashboard_access")
    member_client = Client()
    member_client.force_login(member)
    assert member_client.get(reverse("dashboard:index")).status_code == 403
    myself = reverse("dashboard:cooperative-team-remove", kwargs={"pk": market.a.owner.pk})
    assert owner_client.post(myself).status_code == 403
    theirs = reverse("dashboard:cooperative-team-remove", kwargs={"pk": market.b.owner.pk})
    assert owner_client.post(theirs).status_code == 404
    assert market.b.partner.users.filter(pk=market.b.owner.pk).exists()


# --- Queries --------------------------------------------------------------------------------


def queries_for(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm what a first visit fills (session, caches)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_owner_pages_cost_the_same_queries_as_the_shop_grows(owner_client, market):
    from tests.owner_market import buy

    urls = {
        "home": reverse("dashboard:index"),
        "products": reverse("dashboard:catalogue-product-list"),
        "orders": reverse("dashboard:order-list"),
        "certificates": reverse("dashboard:certificate-list"),
    }
    small = {name: queries_for(owner_client, url) for name, url in urls.items()}
    group = market.groups["thuc-pham-che-bien"]
    grown = [
        factories.product(
            f"Sản phẩm {n}", 40_000 + n, 3 + n % 4, market.a.partner, [group], image=True
        )
        for n in range(12)
    ]
    for n in range(4):
        factories.product(f"Của B {n}", 50_000, 9, market.b.partner, [group], image=True)
    for n in range(5):
        buy([(grown[n], 1), (grown[n + 5], 2), (market.b.product, 1)], f"khach{n}@example.com")
    for n in range(3):
        factories.certificate(market.a.partner, grown[n : n + 2], stars=None, status="submitted")
    large = {name: queries_for(owner_client, url) for name, url in urls.items()}
    print("owner dashboard queries, small → large:", {k: (small[k], large[k]) for k in urls})
    assert large == small
    assert max(large.values()) <= 30, large
