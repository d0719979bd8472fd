"""Cooperative A's owner can neither see nor change anything of cooperative B in the dashboard.

Every URL of the dashboard is taken from the URL configuration (Oscar's and ours), filled with
B's product, stock record, order, line, image, certificate, partner and user ids, and opened as
A's owner with GET and with a POST full of forged values. Each answer must be 403 or 404, or,
for A's own pages (lists, create pages, the order A shares with B), a page without B's data; and
the database must be exactly as it was. Then the forged form values a browser never sends are
posted to the pages A may use.
"""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from oscar.apps.catalogue.models import (
    Product,
    ProductAttributeValue,
    ProductCategory,
    ProductImage,
    ProductRecommendation,
)
from oscar.apps.order.models import Line, Order, OrderNote, ShippingAddress
from oscar.apps.partner.models import Partner, StockRecord

from catalog.models import OcopCertificate
from cooperatives.models import Cooperative, CooperativePhoto
from logistics import states
from logistics.models import Shipment, TrackingEvent
from tests import factories
from tests.owner_market import build_market, form_values

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture
def market(home_page):
    market = build_market()
    CooperativePhoto.objects.create(
        cooperative=market.b.cooperative,
        image=SimpleUploadedFile("b.jpg", factories.jpeg_bytes(size=(200, 200))),
        caption="Ảnh của B",
    )
    # B's parcels: one booked and on its way, one whose booking failed (retry is offered).
    on_its_way, failed = Shipment.objects.filter(partner=market.b.partner).order_by("pk")
    Shipment.objects.filter(pk=on_its_way.pk).update(
        booking_status=Shipment.BOOKED, tracking_code="SBXBBBBBBB1", state=states.IN_TRANSIT
    )
    Shipment.objects.filter(pk=failed.pk).update(
        booking_status=Shipment.FAILED, booking_error="Lỗi đặt đơn của B"
    )
    TrackingEvent.objects.create(
        shipment=on_its_way,
        courier=on_its_way.courier,
        raw_status="picked",
        state=states.IN_TRANSIT,
        event_time=on_its_way.created_at,
        description="Bưu tá đã lấy hàng của B",
        applied=True,
    )
    return market


@pytest.fixture
def owner_a(client, market):
    client.force_login(market.a.owner)
    return client


# --- What "unchanged" and "B's data" mean ---------------------------------------------------

SNAPSHOT_MODELS = [
    Product,
    ProductAttributeValue,
    ProductCategory,
    ProductImage,
    ProductRecommendation,
    StockRecord,
    Partner,
    Partner.users.through,
    Cooperative,
    CooperativePhoto,
    OcopCertificate,
    OcopCertificate.products.through,
    Order,
    Line,
    OrderNote,
    ShippingAddress,
    Shipment,
    TrackingEvent,
]


def snapshot():
    """Every row that matters, as plain values. A product saved again unchanged only moves its
    `date_updated`, which is left out."""
    rows = {
        model.__name__: list(model.objects.order_by("pk").values()) for model in SNAPSHOT_MODELS
    }
    for row in rows["Product"]:
        row.pop("date_updated")
    rows["users"] = list(
        User.objects.order_by("pk").values("pk", "email", "is_staff", "is_active", "password")
    )
    rows["permissions"] = list(
        User.user_permissions.through.objects.order_by("pk").values("user_id", "permission_id")
    )
    return rows


def changes(before, after):
    """The rows that differ between two snapshots, to read in a failing assertion."""
    found = {}
    for table in before:
        old = {row.get("id", tuple(row.values())): row for row in before[table]}
        new = {row.get("id", tuple(row.values())): row for row in after[table]}
        for key in old.keys() | new.keys():
            if old.get(key) != new.get(key):
                a, b = old.get(key) or {}, new.get(key) or {}
                found.setdefault(table, []).append(
                    {k: (a.get(k), b.get(k)) for k in a.keys() | b.keys() if a.get(k) != b.get(k)}
                )
    return found


def b_secrets(market):
    """What A's owner must never read: B's products, prices, codes, customers, certificates."""
    b_order_address = market.b_order.shipping_address
    return [
        *(product.title for product in market.b.products),
        *(record.partner_sku for record in StockRecord.objects.filter(partner=market.b.partner)),
        "195.000",  # B's line in the shared order: 3 × 65.000
        "190.000",  # B's honey
        market.b_order.number,
        b_order_address.first_name,
        "0987 654 321",
        b_order_address.line1,
        market.b_order.guest_email,
        market.shared_order.guest_email,  # the shopper's e-mail is not delivery data
        market.b.certificate.decision_number,
        market.b.verified_certificate.decision_number,
        market.b.cooperative.name,
        market.b.owner.email,
        "Ảnh của B",
        "SBXBBBBBBB1",  # B's tracking code
        "Lỗi đặt đơn của B",
        "Bưu tá đã lấy hàng của B",
    ]


def assert_no_secrets(response, secrets, where):
    if response.get("Content-Type", "").startswith(("text/", "application/json")):
        body = response.content.decode("utf-8", "replace")
        leaked = [secret for secret in secrets if secret and secret in body]
        assert not leaked, f"{where} shows {leaked}"


# --- Every dashboard URL, with B's ids ------------------------------------------------------


def dashboard_patterns():
    """(url name, names of its arguments) for every URL in the `dashboard` namespace."""

    def walk(patterns, namespaces=()):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespaces + ((pattern.namespace,) if pattern.namespace else ())
                yield from walk(pattern.url_patterns, inner)
            elif namespaces[-1:] == ("dashboard",) and pattern.name:
                yield pattern.name, tuple(pattern.pattern.regex.groupindex)

    return sorted(set(walk(get_resolver().url_patterns)))


def b_arguments(market):
    """For each URL name, the arguments that name B's objects (strict: must be 403 or 404)."""
    b, shared, b_order = market.b, market.shared_order, market.b_order
    b_products = [product.pk for product in b.products]
    shared_b_line = shared.lines.get(partner=b.partner).pk
    b_line = b_order.lines.get().pk
    b_shipments = list(Shipment.objects.filter(partner=b.partner).values_list("pk", flat=True))
    b_certificates = [b.certificate.pk, b.verified_certificate.pk]
    return {
        "catalogue-product": [{"pk": pk} for pk in b_products],
        "catalogue-product-delete": [{"pk": pk} for pk in b_products],
        "catalogue-product-create-child": [{"parent_pk": pk} for pk in b_products],
        "certificate-update": [{"pk": pk} for pk in b_certificates],
        "certificate-delete": [{"pk": pk} for pk in b_certificates],
        "cooperative-team-remove": [{"pk": b.owner.pk}],
        "order-detail": [{"number": b_order.number}],
        "order-shipping-address": [{"number": b_order.number}, {"number": shared.number}],
        "order-detail-note": [
            {"number": b_order.number, "note_id": 1},
            {"number": shared.number, "note_id": 1},
        ],
        "order-line-detail": [
            {"number": shared.number, "line_id": shared_b_line},
            {"number": b_order.number, "line_id": b_line},
            {"number": shared.number, "line_id": b_line},
        ],
        "partner-manage": [{"pk": b.partner.pk}],
        "partner-delete": [{"pk": b.partner.pk}],
        "user-detail": [{"pk": b.owner.pk}],
        "user-password-reset": [{"pk": b.owner.pk}],
        **{
            f"shipment-{action}": [{"pk": pk} for pk in b_shipments]
            for action in ("detail", "label", "handover", "retry")
        },
    }


def generic_arguments(names, market):
    """Arguments for URLs of the platform's own objects (staff pages): B's ids where they fit."""
    values = {
        "partner_pk": market.b.partner.pk,
        "user_pk": market.b.owner.pk,
        "method_pk": 1,
        "parent": market.groups["thuc-pham"].pk,
        "slug": "ORDER_PLACED",
        "product_class_slug": "san-pham-ocop",
    }
    return {name: values.get(name, market.b.partner.pk) for name in names}


def forged_post(market):
    """Values a browser never sends: B's partner, stock record, lines, products, image."""
    b = market.b
    record = b.product.stockrecords.get()
    return {
        "partner": b.partner.pk,
        "stockrecords-0-partner": b.partner.pk,
        "stockrecords-0-id": record.pk,
        "stockrecords-0-price": "1",
        "images-0-id": b.product.images.get().pk,
        "selected_line": [line.pk for line in Line.objects.filter(partner=b.partner)],
        "line_action": "change_line_statuses",
        "new_status": "cancelled",
        "order_action": "change_order_status",
        "products": [product.pk for product in b.products],
        "selected_product": [product.pk for product in b.products],
        "selected_order": [market.b_order.pk],
        "action": "make_products_non_public",
        "product_class": 999_999,
        "is_public": "",
        "note_id": 1,
    }


def requests_to_try(market):
    strict = b_arguments(market)
    for name, arguments in dashboard_patterns():
        if name == "logout":
            continue  # signs A out: nothing of B's behind it
        if arguments and name in strict:
            for kwargs in strict[name]:
                yield name, kwargs, True
        else:
            # A's own pages (lists, forms, the product-type create page) and staff pages.
            own_page = not arguments or name == "catalogue-product-create"
            yield name, generic_arguments(arguments, market), not own_page


def test_every_dashboard_url_with_b_ids_is_refused(client, market):
    secrets = b_secrets(market)
    before = snapshot()
    seen = set()
    for name, kwargs, strict in requests_to_try(market):
        url = reverse(f"dashboard:{name}", kwargs=kwargs)
        for method in ("get", "post"):
            client.force_login(market.a.owner)
            send = client.get if method == "get" else client.post
            response = send(url) if method == "get" else send(url, forged_post(market))
            where = f"{method.upper()} {url} ({name})"
            if strict:
                # 405: a method the page does not take at all (it never looks B's object up).
                assert response.status_code in (403, 404, 405), f"{where}: {response.status_code}"
            else:
                assert response.status_code in (200, 302, 403, 404, 405), where
                assert_no_secrets(response, secrets, where)
            after = snapshot()
            assert after == before, f"{where} changed {changes(before, after)}"
            seen.add(name)
    # The walk did reach the pages an owner uses, and the whole staff dashboard.
    assert {
        "catalogue-product",
        "catalogue-product-list",
        "order-detail",
        "order-line-detail",
        "certificate-update",
        "cooperative-profile",
        "cooperative-team-remove",
        "offer-list",
        "partner-user-link",
        "shipment-list",
        "shipment-detail",
        "shipment-retry",
    } <= seen
    assert len(seen) > 80


@pytest.mark.parametrize(
    "name, query",
    [
        ("catalogue-product-list", {"title": "Miến"}),
        ("catalogue-product-list", {"upc": "TEST"}),
        ("order-list", {"product_title": "Miến"}),
        ("order-list", {"order_number": "B_ORDER"}),
        ("order-list", {"name": "Trần"}),
        ("order-list", {"response_format": "csv"}),
        ("order-list", {"sort": "total_incl_tax", "dir": "desc"}),
        ("certificate-create", {"from": "B_CERT"}),
        ("catalogue-product-lookup", {"q": "Miến"}),
        ("shipment-list", {"show": "failed"}),
        ("shipment-list", {"show": "on_the_way", "page": "2"}),
    ],
)
def test_searches_and_filters_do_not_reveal_b(owner_a, market, name, query):
    query = {
        key: str(value)
        .replace("B_ORDER", market.b_order.number)
        .replace("B_CERT", str(market.b.certificate.pk))
        for key, value in query.items()
    }
    response = owner_a.get(reverse(f"dashboard:{name}"), query)
    assert response.status_code == 200
    # What A typed is shown back in the search form: that is not a leak.
    secrets = [secret for secret in b_secrets(market) if secret not in query.values()]
    if name == "catalogue-product-lookup":
        # Oscar's product picker lists public products shop-wide (titles only): what any
        # shopper sees. It must not reveal anything else of B's.
        titles = {product.title for product in market.b.products}
        secrets = [secret for secret in secrets if secret not in titles]
    assert_no_secrets(response, secrets, f"{name} {query}")


def test_order_detail_shows_nothing_of_b_but_the_shared_address(owner_a, market):
    order = market.shared_order
    response = owner_a.get(reverse("dashboard:order-detail", kwargs={"number": order.number}))
    assert response.status_code == 200
    html = response.content.decode()
    assert_no_secrets(response, b_secrets(market), "order detail")
    b_line = order.lines.get(partner=market.b.partner)
    assert f'data-line="{b_line.pk}"' not in html
    assert "525.000" not in html  # the order total: A's 300.000 + B's 195.000 + delivery
    address = order.shipping_address
    assert address.first_name in html and address.line1 in html  # the shared delivery address


# --- Forged form values on A's own pages ----------------------------------------------------


def post_and_check_unchanged(client, url, data):
    before = snapshot()
    response = client.post(url, data)
    assert response.status_code in (200, 302, 403, 404), response.status_code
    after = snapshot()
    assert after == before, f"POST {url} changed {changes(before, after)}"
    return response


def product_page(client, pk):
    url = reverse("dashboard:catalogue-product", kwargs={"pk": pk})
    return url, form_values(client.get(url), "create_update_product_form")


def test_forged_partner_on_a_new_product(owner_a, market):
    url = reverse(
        "dashboard:catalogue-product-create", kwargs={"product_class_slug": "san-pham-ocop"}
    )
    data = form_values(owner_a.get(url), "create_update_product_form")
    data.update(
        {
            "title": "Hàng giả danh B",
            "attr_weight_grams": "100",
            "productcategory_set-0-category": market.groups["thuc-pham"].pk,
            "stockrecords-0-partner": market.b.partner.pk,
            "stockrecords-0-price": "1000",
            "stockrecords-0-num_in_stock": "1",
        }
    )
    response = post_and_check_unchanged(owner_a, url, data)
    assert response.status_code == 200


@pytest.mark.parametrize(
    "forged",
    [
        {"stockrecords-0-id": "B_RECORD", "stockrecords-0-price": "1"},
        {"stockrecords-0-partner": "B_PARTNER"},
        {"images-0-id": "B_IMAGE", "images-0-caption": "của A"},
        {"images-0-id": "B_IMAGE", "images-0-DELETE": "on"},
        {"primary_recommendations-0-recommendation": "B_PRODUCT"},
        {"productcategory_set-0-product": "B_PRODUCT"},
        {"images-0-product": "B_PRODUCT"},
    ],
)
def test_forged_ids_on_own_product_page(owner_a, market, forged):
    values = {
        "B_RECORD": market.b.product.stockrecords.get().pk,
        "B_PARTNER": market.b.partner.pk,
        "B_IMAGE": market.b.product.images.get().pk,
        "B_PRODUCT": market.b.product.pk,
    }
    url, data = product_page(owner_a, market.a.product.pk)
    assert owner_a.post(url, data).status_code == 302  # saved once as the browser sends it
    url, data = product_page(owner_a, market.a.product.pk)
    data.update({key: values.get(value, value) for key, value in forged.items()})
    response = post_and_check_unchanged(owner_a, url, data)
    # Sent back with an error; or, for a removed photo that is not the product's, ignored.
    assert response.status_code == (302 if "images-0-DELETE" in forged else 200)


def test_product_class_that_does_not_exist(owner_a, market):
    before = snapshot()
    response = owner_a.get(reverse("dashboard:catalogue-product-create"), {"product_class": 999})
    assert response.status_code == 302
    url = reverse("dashboard:catalogue-product-create", kwargs={"product_class_slug": "khong-co"})
    assert owner_a.get(url).status_code == 404
    assert owner_a.post(url, {"title": "x"}).status_code == 404
    assert snapshot() == before


def test_bulk_actions_on_b_products(owner_a, market):
    for action in ("make_products_non_public", "make_products_public", "set_product_price"):
        post_and_check_unchanged(
            owner_a,
            reverse("dashboard:catalogue-product-list"),
            {"action": action, "selected_product": [p.pk for p in market.b.products]},
        )
    post_and_check_unchanged(
        owner_a,
        reverse("dashboard:catalogue-product-list"),
        {"action": "make_products_non_public", "select_across": "1"},
    )
    assert all(Product.objects.get(pk=p.pk).is_public for p in market.b.products)


def test_forged_products_on_a_certificate(owner_a, market):
    data = {
        "decision_number": "9/QĐ-UBND",
        "issuing_authority": "UBND tỉnh Thái Nguyên",
        "authority_type": "provincial_pc",
        "signed_on": "2025-01-02",
        "products": [market.b.product.pk],
        "document": SimpleUploadedFile("qd.pdf", factories.pdf_bytes(), "application/pdf"),
    }
    post_and_check_unchanged(owner_a, reverse("dashboard:certificate-create"), data)
    data.pop("document")
    own = reverse("dashboard:certificate-update", kwargs={"pk": market.a.certificate.pk})
    post_and_check_unchanged(owner_a, own, data)


def test_other_orders_lines_in_line_actions(owner_a, market):
    shared = market.shared_order
    url = reverse("dashboard:order-detail", kwargs={"number": shared.number})
    own = shared.lines.get(partner=market.a.partner).pk
    b_in_shared = shared.lines.get(partner=market.b.partner).pk
    b_elsewhere = market.b_order.lines.get().pk
    for lines in ([b_in_shared], [b_elsewhere], [own, b_in_shared], [own, b_elsewhere]):
        post_and_check_unchanged(
            owner_a,
            url,
            {
                "line_action": "change_line_statuses",
                "selected_line": lines,
                "new_status": "shipped",
            },
        )
    for action in ("create_shipping_event", "create_payment_event"):
        response = post_and_check_unchanged(
            owner_a, url, {"line_action": action, "selected_line": [own]}
        )
        assert response.status_code == 403


def test_forged_photo_and_profile_fields(owner_a, market):
    b_photo = market.b.cooperative.photos.get()
    data = form_values(owner_a.get(reverse("dashboard:cooperative-profile")), "profile_form")
    data.update({"photos-0-id": b_photo.pk, "photos-0-caption": "của A", "photos-0-DELETE": "on"})
    data.update({"partner": market.b.partner.pk, "owner": market.b.owner.pk, "legal_name": ""})
    post_and_check_unchanged(owner_a, reverse("dashboard:cooperative-profile"), data)


def test_b_owner_cannot_be_invited_into_a(owner_a, market):
    post_and_check_unchanged(
        owner_a, reverse("dashboard:cooperative-team"), {"email": market.b.owner.email}
    )


def test_the_same_holds_the_other_way_round(market):
    """B's owner gets the same walls around A (the scoping is not hard-wired to one side)."""
    client = Client()
    client.force_login(market.b.owner)
    a_product = reverse("dashboard:catalogue-product", kwargs={"pk": market.a.product.pk})
    assert client.get(a_product).status_code == 404
    a_certificate = reverse("dashboard:certificate-update", kwargs={"pk": market.a.certificate.pk})
    assert client.get(a_certificate).status_code == 404
    detail = client.get(
        reverse("dashboard:order-detail", kwargs={"number": market.shared_order.number})
    )
    assert market.a.product.title not in detail.content.decode()
