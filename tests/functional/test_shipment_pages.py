"""The pages and e-mails around parcels: the cooperative's "Shipments" in its dashboard, the staff
screen in Wagtail, the shopper's order pages, the public tracking page, and the parcel e-mails.

Orders come from the real checkout (cash on delivery makes their shipments at once); bookings
and courier events are written straight into the rows, so these tests do not depend on the
courier adapters or the webhook code.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from oscar.apps.order.models import Order

from cooperatives.roles import install_officer_group
from logistics import couriers, states
from logistics.couriers import CourierError, Label
from logistics.couriers.sandbox import tracking_code_for
from logistics.models import Shipment, TrackingEvent
from logistics.notifications import MESSAGES
from logistics.signals import shipment_state_changed
from payments.models import Payment
from tests.owner_market import build_market, buy

pytestmark = pytest.mark.django_db

User = get_user_model()
SANDBOX = {"BACKEND": "logistics.couriers.sandbox.SandboxCourier", "OPTIONS": {}}
ADMIN_LIST = "/admin/shipments/"
PDF = b"%PDF-1.4\n% a courier's label\n%%EOF\n"


class LabelCourier:
    """A courier whose label is a link (GHN, Viettel Post), a PDF (GHTK), or an error."""

    name = "Label courier"
    has_webhooks = True

    def __init__(self, code="labels", MODE="url"):
        self.code, self.mode = code, MODE

    def label(self, tracking_codes):
        if self.mode == "url":
            return Label(url=f"https://print.courier.test/a5?codes={','.join(tracking_codes)}")
        if self.mode == "pdf":
            return Label(content=PDF, content_type="application/pdf")
        raise CourierError("token expired", retryable=True)


@pytest.fixture(autouse=True)
def sandbox_courier(settings):
    settings.COURIERS = {"sandbox": SANDBOX}
    settings.LANGUAGE_CODE = "vi"
    return settings


@pytest.fixture
def label_couriers(sandbox_courier, market):
    """After checkout: couriers whose labels are a link, a PDF, or an error."""
    sandbox_courier.COURIERS = {
        "sandbox": SANDBOX,
        "linked": {"BACKEND": f"{__name__}.LabelCourier", "OPTIONS": {"MODE": "url"}},
        "pdf": {"BACKEND": f"{__name__}.LabelCourier", "OPTIONS": {"MODE": "pdf"}},
        "broken": {"BACKEND": f"{__name__}.LabelCourier", "OPTIONS": {"MODE": "error"}},
    }


@pytest.fixture
def market(home_page):
    return build_market()


def vi(text) -> str:
    """The Vietnamese of a message id or of a lazy translation."""
    with translation.override("vi"):
        return translation.gettext(text) if isinstance(text, str) else str(text)


def parcel(order, side) -> Shipment:
    """The shipment checkout made for this cooperative's part of the order."""
    return Shipment.objects.get(order=order, partner=side.partner)


def book(shipment, *, courier="sandbox", state=states.AWAITING_PICKUP, **fields) -> Shipment:
    shipment.courier = courier
    shipment.tracking_code = fields.pop("tracking_code", tracking_code_for(shipment.code))
    shipment.booking_status = Shipment.BOOKED
    shipment.booking_error = ""
    shipment.state = state
    for name, value in fields.items():
        setattr(shipment, name, value)
    shipment.save()
    return shipment


def fail_booking(shipment, error="Số điện thoại người nhận không hợp lệ") -> Shipment:
    shipment.booking_status = Shipment.FAILED
    shipment.booking_error = error
    shipment.booking_attempts = 5
    shipment.save()
    return shipment


def event(shipment, raw, state, minutes, *, applied=True, description="") -> TrackingEvent:
    return TrackingEvent.objects.create(
        shipment=shipment,
        courier=shipment.courier,
        raw_status=raw,
        state=state,
        event_time=timezone.now() - timedelta(minutes=minutes),
        description=description,
        applied=applied,
    )


def journey(shipment) -> Shipment:
    """Booked, collected, then out for delivery, plus an unknown code and a late echo."""
    book(shipment, state=states.OUT_FOR_DELIVERY)
    event(shipment, "ready_to_pick", states.AWAITING_PICKUP, 90, description="Chờ lấy hàng")
    event(shipment, "picked", states.IN_TRANSIT, 60, description="Đã lấy hàng")
    event(shipment, "lost_in_space", states.UNKNOWN, 45, applied=False, description="???")
    event(shipment, "delivering", states.OUT_FOR_DELIVERY, 30, description="Đang giao")
    event(shipment, "transporting", states.IN_TRANSIT, 40, applied=False, description="Trễ")
    return shipment


def html(response) -> str:
    return response.content.decode()


# --- The cooperative's shipments --------------------------------------------------------------


@pytest.fixture
def owner_a(client, market):
    client.force_login(market.a.owner)
    return client


def test_checkout_made_one_shipment_per_cooperative(market):
    assert Shipment.objects.filter(order=market.shared_order).count() == 2
    assert Shipment.objects.filter(order=market.b_order).count() == 1


def test_owner_lists_only_their_own_parcels(owner_a, market):
    mine = book(parcel(market.shared_order, market.a))
    theirs = book(parcel(market.b_order, market.b))
    theirs_shared = book(parcel(market.shared_order, market.b))
    page = html(owner_a.get(reverse("dashboard:shipment-list")))
    assert f'data-shipment="{mine.pk}"' in page
    assert mine.tracking_code in page
    assert vi(states.label(states.AWAITING_PICKUP)) in page
    assert "Sandbox" in page or vi(couriers.get("sandbox").name) in page
    assert f"{mine.cod_amount:,.0f}".replace(",", ".") in page  # the cash to collect, in dong
    for other in (theirs, theirs_shared):
        assert f'data-shipment="{other.pk}"' not in page
        assert other.tracking_code not in page
    assert market.b_order.number not in page


def test_the_list_shows_a_failed_booking_with_its_error(owner_a, market):
    fail_booking(parcel(market.shared_order, market.a))
    response = owner_a.get(reverse("dashboard:shipment-list"), {"show": "failed"})
    assert "Số điện thoại người nhận không hợp lệ" in html(response)
    assert vi("Booking failed") in html(response)
    response = owner_a.get(reverse("dashboard:shipment-list"), {"show": "on_the_way"})
    assert "data-shipment=" not in html(response)


def test_the_parcels_to_hand_over(owner_a, market):
    waiting = book(parcel(market.shared_order, market.a))
    url = reverse("dashboard:shipment-list")
    assert f'data-shipment="{waiting.pk}"' in html(owner_a.get(url, {"show": "to_hand_over"}))
    waiting.handed_over_at = timezone.now()
    waiting.save()
    assert "data-shipment=" not in html(owner_a.get(url, {"show": "to_hand_over"}))
    assert f'data-shipment="{waiting.pk}"' in html(owner_a.get(url, {"show": "nonsense"}))


def test_detail_shows_the_timeline_with_events_that_did_not_apply(owner_a, market):
    shipment = journey(parcel(market.shared_order, market.a))
    page = html(owner_a.get(reverse("dashboard:shipment-detail", kwargs={"pk": shipment.pk})))
    for raw in ("ready_to_pick", "picked", "lost_in_space", "delivering", "transporting"):
        assert f"<code>{raw}</code>" in page
    assert page.count(vi("did not change the status")) == 2
    assert page.index("Đang giao") < page.index("Trễ") < page.index("Đã lấy hàng")  # newest first
    assert market.a.product.title in page  # what to pack
    assert market.b.product.title not in page


def test_other_cooperatives_parcels_answer_404(owner_a, market):
    others = [
        book(parcel(market.b_order, market.b)),
        fail_booking(parcel(market.shared_order, market.b)),
    ]
    before = list(Shipment.objects.order_by("pk").values())
    for shipment in others:
        for name in ("shipment-detail", "shipment-label"):
            url = reverse(f"dashboard:{name}", kwargs={"pk": shipment.pk})
            assert owner_a.get(url).status_code == 404, name
        for name in ("shipment-handover", "shipment-retry"):
            url = reverse(f"dashboard:{name}", kwargs={"pk": shipment.pk})
            assert owner_a.post(url).status_code == 404, name
    assert list(Shipment.objects.order_by("pk").values()) == before


def test_platform_staff_and_shoppers_have_no_shipment_pages(client, market):
    shipment = book(parcel(market.shared_order, market.a))
    detail = reverse("dashboard:shipment-detail", kwargs={"pk": shipment.pk})
    assert client.get(detail).status_code == 302  # to the login page
    client.force_login(User.objects.create_superuser(email="admin@cho-ocop.test", password="x"))
    assert client.get(reverse("dashboard:shipment-list")).status_code == 404
    assert client.get(detail).status_code == 404
    client.force_login(User.objects.create_user(email="khach@example.com", password="x"))
    assert client.get(detail).status_code in (302, 403)


def test_the_owners_staff_follow_the_parcels_too(client, market):
    member = User.objects.create_user(email="nhanvien.a@htx.test", password="x")
    member.user_permissions.add(
        Permission.objects.get(codename="dashboard_access", content_type__app_label="partner")
    )
    market.a.partner.users.add(member)
    shipment = book(parcel(market.shared_order, market.a))
    client.force_login(member)
    assert shipment.tracking_code in html(client.get(reverse("dashboard:shipment-list")))


def test_sandbox_label_is_served_as_html(owner_a, market):
    shipment = book(parcel(market.shared_order, market.a))
    response = owner_a.get(reverse("dashboard:shipment-label", kwargs={"pk": shipment.pk}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert shipment.tracking_code in html(response)
    assert "<svg" in html(response)  # the QR code


def test_courier_hosted_label_is_a_redirect(owner_a, market, label_couriers):
    shipment = book(parcel(market.shared_order, market.a), courier="linked", tracking_code="GHN1")
    response = owner_a.get(reverse("dashboard:shipment-label", kwargs={"pk": shipment.pk}))
    assert response.status_code == 302
    assert response["Location"] == "https://print.courier.test/a5?codes=GHN1"


def test_pdf_label_is_passed_on(owner_a, market, label_couriers):
    shipment = book(parcel(market.shared_order, market.a), courier="pdf", tracking_code="S1.A1")
    response = owner_a.get(reverse("dashboard:shipment-label", kwargs={"pk": shipment.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content == PDF
    assert f'filename="{shipment.code}.pdf"' in response["Content-Disposition"]


def test_label_errors_and_unbooked_parcels_are_a_message(owner_a, market, label_couriers):
    shipment = book(parcel(market.shared_order, market.a), courier="broken", tracking_code="X1")
    detail = reverse("dashboard:shipment-detail", kwargs={"pk": shipment.pk})
    label = reverse("dashboard:shipment-label", kwargs={"pk": shipment.pk})
    response = owner_a.get(label, follow=True)
    assert response.redirect_chain == [(detail, 302)]
    assert "token expired" in html(response)
    fail_booking(shipment)
    assert owner_a.get(label).status_code == 302
    assert "data-print-label" not in html(owner_a.get(detail))


def test_mark_handed_over_takes_a_post_with_the_csrf_token(market, label_couriers):
    shipment = book(parcel(market.shared_order, market.a), courier="linked", tracking_code="G2")
    url = reverse("dashboard:shipment-handover", kwargs={"pk": shipment.pk})
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(market.a.owner)
    assert browser.get(url).status_code == 405
    assert browser.post(url).status_code == 403  # no token
    page = browser.get(reverse("dashboard:shipment-detail", kwargs={"pk": shipment.pk}))
    token = page.cookies["csrftoken"].value
    response = browser.post(url, {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    shipment.refresh_from_db()
    assert shipment.handed_over_at is not None
    # Once is enough: the button is gone and a second press changes nothing.
    handed_at = shipment.handed_over_at
    page = html(browser.get(reverse("dashboard:shipment-detail", kwargs={"pk": shipment.pk})))
    assert "data-hand-over" not in page
    browser.post(url, {"csrfmiddlewaretoken": token})
    shipment.refresh_from_db()
    assert shipment.handed_over_at == handed_at


def test_retry_is_offered_and_allowed_only_after_a_failed_booking(
    owner_a, market, django_capture_on_commit_callbacks
):
    shipment = book(parcel(market.shared_order, market.a))
    detail = reverse("dashboard:shipment-detail", kwargs={"pk": shipment.pk})
    retry = reverse("dashboard:shipment-retry", kwargs={"pk": shipment.pk})
    assert "data-retry-booking" not in html(owner_a.get(detail))
    assert owner_a.get(retry).status_code == 405
    owner_a.post(retry)
    shipment.refresh_from_db()
    assert shipment.booking_status == Shipment.BOOKED and shipment.booking_attempts == 0

    fail_booking(shipment)
    assert "data-retry-booking" in html(owner_a.get(detail))
    with django_capture_on_commit_callbacks(execute=True):
        assert owner_a.post(retry).status_code == 302
    shipment.refresh_from_db()
    # The sandbox courier books at once (eager Celery): booked with its tracking code.
    assert shipment.booking_status == Shipment.BOOKED
    assert shipment.booking_error == ""
    assert shipment.tracking_code == tracking_code_for(shipment.code)


def test_owner_list_queries_do_not_grow_with_parcels(owner_a, market):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert owner_a.get(reverse("dashboard:shipment-list")).status_code == 200
        return len(queries)

    journey(parcel(market.shared_order, market.a))
    few = count_queries()
    for _ in range(4):
        order = buy([(market.a.product, 1), (market.b.product, 1)], "khach.moi@example.com")
        fail_booking(parcel(order, market.a))
    assert Shipment.objects.filter(partner=market.a.partner).count() == 5
    assert count_queries() == few


def test_owner_detail_queries_do_not_grow_with_events(owner_a, market):
    shipment = journey(parcel(market.shared_order, market.a))
    url = reverse("dashboard:shipment-detail", kwargs={"pk": shipment.pk})
    with CaptureQueriesContext(connection) as few:
        owner_a.get(url)
    for minutes in range(10):
        event(shipment, f"note-{minutes}", states.OUT_FOR_DELIVERY, minutes, applied=False)
    with CaptureQueriesContext(connection) as many:
        owner_a.get(url)
    assert len(many) == len(few)


# --- Staff in Wagtail -------------------------------------------------------------------------


def staff_user(*codenames, email="vanchuyen@cho-ocop.test"):
    user = User.objects.create_user(email=email, password="x")
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin"),
        *Permission.objects.filter(content_type__app_label="logistics", codename__in=codenames),
    )
    return user


def test_superuser_lists_and_filters_parcels(client, market):
    failed = fail_booking(parcel(market.shared_order, market.a))
    delivered = book(parcel(market.b_order, market.b), state=states.DELIVERED)
    client.force_login(User.objects.create_superuser(email="admin@cho-ocop.test", password="x"))
    page = html(client.get(ADMIN_LIST))
    assert failed.code in page and delivered.code in page
    assert "Số điện thoại người nhận không hợp lệ" in page
    page = html(client.get(ADMIN_LIST, {"booking_status": "failed"}))
    assert failed.code in page and delivered.code not in page
    page = html(client.get(ADMIN_LIST, {"state": states.DELIVERED, "courier": "sandbox"}))
    assert delivered.code in page and failed.code not in page
    page = html(client.get(ADMIN_LIST, {"q": delivered.tracking_code}))
    assert delivered.code in page and failed.code not in page


def test_staff_detail_shows_unknown_codes_and_events_not_applied(client, market):
    shipment = journey(parcel(market.shared_order, market.a))
    client.force_login(staff_user("view_shipment"))
    page = html(client.get(f"{ADMIN_LIST}{shipment.pk}/"))
    assert 'data-event="lost_in_space" data-applied="false"' in page
    assert "data-unknown-code" in page
    assert 'data-event="transporting" data-applied="false"' in page
    assert 'data-event="delivering" data-applied="true"' in page
    assert "data-retry-booking" not in page


def test_staff_retry_a_failed_booking(client, market, django_capture_on_commit_callbacks):
    shipment = fail_booking(parcel(market.shared_order, market.a))
    viewer = staff_user("view_shipment", email="xem@cho-ocop.test")
    client.force_login(viewer)
    assert "data-retry-booking" not in html(client.get(f"{ADMIN_LIST}{shipment.pk}/"))
    client.post(f"{ADMIN_LIST}{shipment.pk}/retry/")
    shipment.refresh_from_db()
    assert shipment.booking_status == Shipment.FAILED  # reading is not acting

    client.force_login(staff_user("view_shipment", "change_shipment"))
    assert "data-retry-booking" in html(client.get(f"{ADMIN_LIST}{shipment.pk}/"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{ADMIN_LIST}{shipment.pk}/retry/")
    assert response.status_code == 302
    shipment.refresh_from_db()
    assert shipment.booking_status == Shipment.BOOKED
    assert shipment.tracking_code == tracking_code_for(shipment.code)


def test_officers_and_owners_get_no_shipment_screen(client, market):
    shipment = book(parcel(market.shared_order, market.a))
    officer = User.objects.create_user(email="canbo@cho-ocop.test", password="x")
    officer.groups.add(install_officer_group())
    for user in (officer, market.a.owner):
        client.force_login(user)
        for url in (ADMIN_LIST, f"{ADMIN_LIST}{shipment.pk}/"):
            response = client.get(url)
            assert response.status_code in (302, 403), (user, url)
            assert shipment.tracking_code not in html(response)
        assert client.post(f"{ADMIN_LIST}{shipment.pk}/retry/").status_code in (302, 403)
    client.force_login(officer)
    assert ADMIN_LIST not in html(client.get("/admin/"))


def test_staff_list_queries_do_not_grow_with_parcels(client, market):
    client.force_login(User.objects.create_superuser(email="admin@cho-ocop.test", password="x"))

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(ADMIN_LIST).status_code == 200
        return len(queries)

    journey(parcel(market.shared_order, market.a))
    few = count_queries()
    for _ in range(3):
        buy([(market.a.product, 1), (market.b.product, 1)], "khach.moi@example.com")
    assert count_queries() == few


# --- The shopper's order pages ----------------------------------------------------------------


def anon_order_url(order) -> str:
    return reverse(
        "customer:anon-order",
        kwargs={"order_number": order.number, "hash": order.verification_hash()},
    )


def assert_parcels_shown(page, market, shipment):
    assert f'data-parcel="{shipment.code}" data-state="{states.OUT_FOR_DELIVERY}"' in page
    assert market.a.cooperative.name in page
    assert vi(states.label(states.OUT_FOR_DELIVERY)) in page
    assert shipment.tracking_code in page
    assert "Đã lấy hàng" in page and "Đang giao" in page and "Chờ lấy hàng" in page
    assert "lost_in_space" not in page and "???" not in page  # unknown codes are for staff


def guest_order_page(client, order) -> str:
    """The page the link in the shopper's e-mails opens, after they give their e-mail address."""
    url = anon_order_url(order)
    asked = client.get(url)
    assert asked.status_code == 302
    client.post(asked["Location"], {"email": order.guest_email})
    response = client.get(url)
    assert response.status_code == 200
    return html(response)


def test_guest_order_page_shows_each_parcel_and_its_timeline(client, market):
    shipment = journey(parcel(market.shared_order, market.a))
    page = guest_order_page(client, market.shared_order)
    assert_parcels_shown(page, market, shipment)
    b_parcel = parcel(market.shared_order, market.b)
    assert f'data-parcel="{b_parcel.code}" data-state="{states.AWAITING_BOOKING}"' in page
    assert market.b.cooperative.name in page


def test_account_order_page_shows_the_parcels(client, market):
    shopper = User.objects.create_user(email="khach.chung@example.com", password="x")
    Order.objects.filter(pk=market.shared_order.pk).update(user=shopper, guest_email="")
    shipment = journey(parcel(market.shared_order, market.a))
    client.force_login(shopper)
    url = reverse("customer:order", kwargs={"order_number": market.shared_order.number})
    assert_parcels_shown(html(client.get(url)), market, shipment)


def test_order_page_queries_do_not_grow_with_events(client, market):
    shipment = journey(parcel(market.shared_order, market.a))
    url = anon_order_url(market.shared_order)
    guest_order_page(client, market.shared_order)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for minutes in range(8):
        event(shipment, f"scan-{minutes}", states.OUT_FOR_DELIVERY, minutes, applied=False)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


# --- The public tracking page -----------------------------------------------------------------

TRACK = "/theo-doi-don-hang/"


def test_tracking_page_is_a_get_form(client, market):
    assert reverse("track-order") == TRACK
    page = html(client.get(TRACK))
    assert 'method="get"' in page and 'name="number"' in page and 'name="contact"' in page
    assert "data-track-not-found" not in page


@pytest.mark.parametrize(
    "contact",
    ["khach.chung@example.com", "KHACH.Chung@Example.com ", "0912 345 678", "+84912345678"],
)
def test_tracking_page_finds_the_order_by_email_or_phone(client, market, contact):
    shipment = journey(parcel(market.shared_order, market.a))
    page = html(client.get(TRACK, {"number": market.shared_order.number, "contact": contact}))
    assert "data-track-result" in page
    assert_parcels_shown(page, market, shipment)
    assert '<meta name="robots" content="noindex">' in page
    # Only the parcels: not the address, the items or the totals of the order.
    assert market.shared_order.shipping_address.line1 not in page
    assert "195.000" not in page and "525.000" not in page


def test_tracking_page_misses_look_all_the_same(client, market):
    shared, b_order = market.shared_order, market.b_order

    def answer(number, contact):
        page = html(client.get(TRACK, {"number": number, "contact": contact}))
        assert "data-track-result" not in page
        return page[page.index("</form>", page.index("data-track-form")) :]

    misses = {
        answer(shared.number, "someone@example.com"),  # the right number, the wrong e-mail
        answer(shared.number, "0987 654 321"),  # B's shopper's phone, not this order's
        answer(b_order.number, "khach.chung@example.com"),  # another order's e-mail
        answer("999999", "khach.chung@example.com"),  # no such order
        answer(shared.number, "not a phone"),
    }
    assert len(misses) == 1
    assert "data-track-not-found" in misses.pop()


def test_tracking_page_stops_answering_after_many_misses(client, market, settings):
    settings.TRACKING_MISS_LIMIT = 3
    for _ in range(3):
        assert client.get(TRACK, {"number": "1", "contact": "a@b.test"}).status_code == 200
    response = client.get(
        TRACK, {"number": market.shared_order.number, "contact": "khach.chung@example.com"}
    )
    assert response.status_code == 429
    assert "data-track-result" not in html(response)
    assert "data-track-throttled" in html(response)


def test_an_order_without_parcels_yet(client, market):
    Shipment.objects.filter(order=market.b_order).delete()
    page = html(client.get(TRACK, {"number": market.b_order.number, "contact": "0987654321"}))
    assert "data-no-parcels" in page


# --- E-mails --------------------------------------------------------------------------------


def moved(shipment, old, new, capture):
    """The parcel moved (as logistics.services reports it) and the transaction committed."""
    shipment.state = new
    shipment.save(update_fields=["state"])
    with capture(execute=True):
        shipment_state_changed.send(
            sender=Shipment, shipment=shipment, old_state=old, new_state=new
        )


@pytest.mark.parametrize(
    "old, new",
    [
        (states.AWAITING_PICKUP, states.IN_TRANSIT),
        (states.IN_TRANSIT, states.OUT_FOR_DELIVERY),
        (states.OUT_FOR_DELIVERY, states.DELIVERED),
        (states.OUT_FOR_DELIVERY, states.DELIVERY_FAILED),
    ],
)
def test_the_shopper_is_told_in_vietnamese(market, old, new, django_capture_on_commit_callbacks):
    shipment = book(parcel(market.shared_order, market.a), state=old)
    mail.outbox.clear()
    moved(shipment, old, new, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    order = market.shared_order
    assert message.to == ["khach.chung@example.com"]
    facts = {
        "cooperative": market.a.cooperative.name,
        "courier": vi(couriers.get("sandbox").name),
        "number": order.number,
    }
    subject, text = MESSAGES[new]
    assert message.subject == f"Chợ OCOP: {vi(subject) % facts}"
    assert order.number in message.subject
    assert vi(text) % facts in message.body
    assert "Xin chào," in message.body  # Vietnamese, not English
    assert shipment.tracking_code in message.body
    assert vi(states.label(new)) in message.body
    assert anon_order_url(order) in message.body
    assert TRACK in message.body
    body_html = message.alternatives[0][0]
    assert '<html lang="vi">' in body_html and shipment.tracking_code in body_html


def test_english_shoppers_get_english(market, django_capture_on_commit_callbacks):
    Payment.objects.filter(order=market.shared_order).update(language="en")
    shipment = book(parcel(market.shared_order, market.a))
    mail.outbox.clear()
    moved(shipment, states.AWAITING_PICKUP, states.IN_TRANSIT, django_capture_on_commit_callbacks)
    message = mail.outbox[0]
    assert message.subject.startswith("Chợ OCOP: Your parcel from HTX Chè Shan tuyết Chợ Đồn")
    assert "Hello," in message.body
    assert '<html lang="en">' in message.alternatives[0][0]


@pytest.mark.parametrize(
    "old, new",
    [
        (states.AWAITING_BOOKING, states.AWAITING_PICKUP),
        (states.IN_TRANSIT, states.RETURNING),
        (states.IN_TRANSIT, states.IN_TRANSIT),
    ],
)
def test_no_mail_for_other_changes(market, old, new, django_capture_on_commit_callbacks):
    shipment = book(parcel(market.shared_order, market.a), state=old)
    mail.outbox.clear()
    moved(shipment, old, new, django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_mail_waits_for_the_commit_and_skips_a_parcel_that_moved_on(
    market, django_capture_on_commit_callbacks
):
    shipment = book(parcel(market.shared_order, market.a), state=states.IN_TRANSIT)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        for old, new in [
            (states.IN_TRANSIT, states.OUT_FOR_DELIVERY),
            (states.OUT_FOR_DELIVERY, states.DELIVERED),
        ]:
            shipment_state_changed.send(
                sender=Shipment, shipment=shipment, old_state=old, new_state=new
            )
        shipment.state = states.DELIVERED
        shipment.save(update_fields=["state"])
    assert mail.outbox == []  # nothing before the commit
    assert len(callbacks) == 2
    for callback in callbacks:
        callback()
    # Both changes were committed together: only "delivered" is worth telling.
    assert len(mail.outbox) == 1
    assert vi(states.label(states.DELIVERED)) in mail.outbox[0].body


def test_each_change_mails_once(market, django_capture_on_commit_callbacks):
    shipment = book(parcel(market.shared_order, market.a), state=states.OUT_FOR_DELIVERY)
    mail.outbox.clear()
    moved(
        shipment,
        states.OUT_FOR_DELIVERY,
        states.DELIVERY_FAILED,
        django_capture_on_commit_callbacks,
    )
    moved(
        shipment,
        states.DELIVERY_FAILED,
        states.OUT_FOR_DELIVERY,
        django_capture_on_commit_callbacks,
    )
    moved(shipment, states.OUT_FOR_DELIVERY, states.DELIVERED, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 3
    assert len({message.subject for message in mail.outbox}) == 3


def test_cash_on_delivery_amount_is_the_cooperatives_share(market):
    """The list's COD column shows what the courier collects for this cooperative only."""
    a_share = parcel(market.shared_order, market.a).cod_amount
    b_share = parcel(market.shared_order, market.b).cod_amount
    assert a_share > 0 and b_share > 0
    assert a_share + b_share == Decimal(market.shared_order.total_incl_tax)


def test_staff_see_courier_events_for_parcels_we_do_not_know(client, market):
    from logistics.models import UnmatchedTrackingEvent

    when = timezone.now()
    UnmatchedTrackingEvent.objects.create(
        courier="sandbox", tracking_code="GHNX404", raw_status="delivered", event_time=when
    )
    url = "/admin/unmatched-tracking-events/"
    client.force_login(User.objects.create_superuser(email="admin@cho-ocop.test", password="x"))
    page = html(client.get(url))
    assert "GHNX404" in page
    assert client.get(f"{url}add/").status_code == 404  # kept as received: nobody edits them

    officer = User.objects.create_user(email="canbo@cho-ocop.test", password="x")
    officer.groups.add(install_officer_group())
    client.force_login(officer)
    response = client.get(url)
    assert response.status_code in (302, 403) and "GHNX404" not in html(response)


def test_every_page_links_to_the_tracking_page(client):
    page = html(client.get(reverse("catalogue:index")))
    assert f'href="{reverse("track-order")}"' in page
    assert "Theo dõi đơn hàng" in page
