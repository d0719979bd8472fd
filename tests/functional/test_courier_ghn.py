"""The GHN adapter against a local fake of GHN's API: every call, its headers and its failures.

Uses the database only for the address-resolution cache (logistics.CourierAddressCache).
"""

import json
import socket
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import httpx
import pytest
from django.http import QueryDict
from django.test import override_settings
from django.utils import translation

from logistics import couriers, states
from logistics.couriers import (
    Address,
    BookingRequest,
    CourierError,
    Item,
    Parcel,
    WebhookAuthError,
    WebhookPayloadError,
)
from logistics.couriers.ghn import GHN
from logistics.models import CourierAddressCache
from tests.fakes.ghn_server import SHOP_ID, TOKEN, FakeGHNServer

pytestmark = pytest.mark.django_db

SECRET = "ghn-callback-secret-6f0d7a9e2b"
CREATE = "/v2/shipping-order/create"
BY_CLIENT_CODE = "/v2/shipping-order/detail-by-client-code"

# The cooperative in Xã Đồng Phúc (Thái Nguyên; GHN lists it under Huyện Ba Bể, 3270 / 30406).
ORIGIN = Address(
    name="HTX Chè Đồng Phúc",
    phone="+84 912 345 678",
    province_code="19",
    commune_code="01933",
    street="Thôn Nà Hỳ",
)
# A shopper in Phường Ba Đình, Hà Nội (GHN 1484 / 1A0101).
DESTINATION = Address(
    name="Nguyễn Thị Lan",
    phone="0987.654.321",
    province_code="01",
    commune_code="00004",
    street="12 Phố Đội Cấn",
)
PARCEL = Parcel(
    weight_grams=1200,
    value=Decimal("450000"),
    cod_amount=Decimal("480000"),
    items=(
        Item("Chè Đồng Phúc 200g", 2, 250, Decimal("150000")),
        Item("Mật ong Ba Bể", 1, 700, Decimal("150000")),
    ),
)


@pytest.fixture
def fake():
    with FakeGHNServer() as server:
        yield server


def _ghn(fake, **options):
    settings = {
        "TOKEN": TOKEN,
        "SHOP_ID": SHOP_ID,
        "BASE_URL": fake.url,
        "WEBHOOK_SECRET": SECRET,
        "TIMEOUT": 0.5,
    }
    settings.update(options)
    return GHN(code="ghn", **settings)


@pytest.fixture
def ghn(fake):
    return _ghn(fake)


def _request(code="104271-1", **changes):
    fields = {
        "code": code,
        "origin": ORIGIN,
        "destination": DESTINATION,
        "parcel": PARCEL,
        "service": "2",
        "note": "Gọi trước khi giao",
    }
    fields.update(changes)
    return BookingRequest(**fields)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- quotes and addresses ------------------------------------------------------------------------


def test_quote_returns_one_quote_per_service_type_in_whole_dong(ghn, fake):
    with translation.override("en"):
        quotes = ghn.quote(ORIGIN, DESTINATION, PARCEL)

    assert [(q.courier, q.service) for q in quotes] == [("ghn", "2"), ("ghn", "5")]
    light, heavy = quotes
    # The fake's tariff between provinces: 30 000 + 5 000 per 500 g above 1 kg.
    assert light.fee == Decimal(35000)
    assert heavy.fee == Decimal(97000)
    assert all(q.fee == q.fee.to_integral_value() for q in quotes)
    assert light.service_name == "GHN Standard"

    (services,) = fake.calls("/v2/shipping-order/available-services")
    assert services.json == {"shop_id": int(SHOP_ID), "from_district": 3270, "to_district": 1484}
    light_fee, heavy_fee = fake.calls("/v2/shipping-order/fee")
    assert light_fee.json["service_id"] == 53320
    assert light_fee.json["from_district_id"] == 3270
    assert light_fee.json["from_ward_code"] == "30406"
    assert light_fee.json["to_district_id"] == 1484
    assert light_fee.json["to_ward_code"] == "1A0101"
    assert light_fee.json["weight"] == 1200
    assert light_fee.json["insurance_value"] == 450000
    assert light_fee.json["cod_value"] == 480000
    assert "items" not in light_fee.json
    assert [i["name"] for i in heavy_fee.json["items"]] == ["Chè Đồng Phúc 200g", "Mật ong Ba Bể"]


def test_every_call_carries_the_token_and_shop_calls_the_shop_id(ghn, fake):
    ghn.quote(ORIGIN, DESTINATION, PARCEL)
    booking = ghn.create(_request())
    ghn.label([booking.tracking_code])
    ghn.track(booking.tracking_code)
    ghn.cancel(booking.tracking_code)

    assert fake.requests
    for request in fake.requests:
        assert request.method == "POST"
        assert request.header("Token") == TOKEN
        assert request.header("Content-Type").startswith("application/json")
    shop_calls = [r for r in fake.requests if r.header("ShopId")]
    assert {r.path for r in shop_calls} == {
        "/v2/shipping-order/fee",
        CREATE,
        "/v2/switch-status/cancel",
    }
    assert {r.header("ShopId") for r in shop_calls} == {SHOP_ID}


def test_resolution_is_cached_so_a_second_quote_makes_no_master_data_calls(ghn, fake):
    from django.core.cache import cache

    ghn.quote(ORIGIN, DESTINATION, PARCEL)
    assert fake.master_data_calls()
    cached = {
        row.commune_code: row.data for row in CourierAddressCache.objects.filter(courier="ghn")
    }
    assert cached["01933"]["district_id"] == 3270
    assert cached["01933"]["ward_code"] == "30406"
    assert cached["00004"]["district_id"] == 1484
    assert cached["00004"]["ward_code"] == "1A0101"

    cache.clear()  # the database row alone is enough
    fake.requests.clear()
    ghn.quote(ORIGIN, DESTINATION, PARCEL)
    ghn.create(_request())
    assert fake.master_data_calls() == []


def test_master_data_lists_are_cached_for_other_communes_of_the_same_province(ghn, fake):
    ghn.quote(ORIGIN, DESTINATION, PARCEL)
    fake.requests.clear()
    ngoc_ha = Address("Trần Văn Bình", "0901234567", "01", "00008", "1 Hoàng Hoa Thám")
    CourierAddressCache.objects.all().delete()
    ghn.quote(ORIGIN, ngoc_ha, PARCEL)
    assert fake.master_data_calls() == []
    assert CourierAddressCache.objects.count() == 2


def test_a_stale_or_foreign_resolution_is_resolved_again(ghn, fake):
    ghn.quote(ORIGIN, DESTINATION, PARCEL)
    CourierAddressCache.objects.filter(commune_code="01933").update(
        resolved_at=datetime.now(UTC) - timedelta(days=31)
    )
    CourierAddressCache.objects.filter(commune_code="00004").update(
        data={"host": "https://elsewhere.example", "district_id": 1, "ward_code": "x"}
    )
    from django.core.cache import cache

    cache.clear()
    fake.requests.clear()
    ghn.quote(ORIGIN, DESTINATION, PARCEL)
    assert fake.master_data_calls()
    assert CourierAddressCache.objects.get(commune_code="00004").data["district_id"] == 1484


def test_a_ward_listed_without_its_unit_word_matches_by_bare_name(ghn, fake):
    bach_mai = Address("Lê Hoa", "0911111111", "01", "00277", "5 Phố Bạch Mai")
    ghn.quote(ORIGIN, bach_mai, PARCEL)
    data = CourierAddressCache.objects.get(commune_code="00277").data
    assert (data["district_id"], data["ward_code"]) == (1488, "1A0402")


def test_a_commune_ghn_does_not_list_is_a_clear_non_retryable_error(ghn, fake):
    dai_phuc = Address("Hà Văn Tú", "0922222222", "19", "05488", "Xóm Chùa")
    with pytest.raises(CourierError) as caught:
        ghn.quote(ORIGIN, dai_phuc, PARCEL)
    assert caught.value.retryable is False
    assert caught.value.code == "address_unresolved"
    assert "Xã Đại Phúc, Thái Nguyên" in str(caught.value)
    assert not CourierAddressCache.objects.filter(commune_code="05488").exists()
    assert fake.calls("/v2/shipping-order/fee") == []


def test_a_province_ghn_does_not_list_is_a_clear_non_retryable_error(ghn):
    ca_mau = Address("Võ Thị Sáu", "0933333333", "96", "31988", "Ấp 3")
    with pytest.raises(CourierError) as caught:
        ghn.quote(ORIGIN, ca_mau, PARCEL)
    assert (caught.value.retryable, caught.value.code) == (False, "address_unresolved")
    assert "Cà Mau" in str(caught.value)


def test_two_equally_good_wards_are_ambiguous_not_guessed(ghn):
    binh_minh = Address("Đỗ Minh", "0944444444", "01", "10141", "Thôn Tràng")
    with pytest.raises(CourierError) as caught:
        ghn.quote(ORIGIN, binh_minh, PARCEL)
    assert (caught.value.retryable, caught.value.code) == (False, "address_ambiguous")
    assert "Huyện Thanh Oai" in str(caught.value) and "Huyện Chương Mỹ" in str(caught.value)


def test_services_are_ghn_service_types(ghn):
    assert [s.code for s in ghn.services()] == ["2", "5"]


# --- bookings ------------------------------------------------------------------------------------


def test_create_books_with_our_code_as_client_order_code(ghn, fake):
    booking = ghn.create(_request())

    (call,) = fake.calls(CREATE)
    body = call.json
    assert body["client_order_code"] == "104271-1"
    assert body["required_note"] == "CHOXEMHANGKHONGTHU"
    assert body["payment_type_id"] == 1
    assert body["service_type_id"] == 2
    assert body["cod_amount"] == 480000
    assert body["insurance_value"] == 450000
    assert body["weight"] == 1200
    assert body["to_district_id"] == 1484 and body["to_ward_code"] == "1A0101"
    assert body["to_phone"] == "0987654321"
    assert body["to_address"] == "12 Phố Đội Cấn, Phường Ba Đình, Thành phố Hà Nội"
    assert body["from_phone"] == "0912345678"
    assert body["from_ward_name"] == "Xã Đồng Phúc"
    assert body["from_district_name"] == "Huyện Ba Bể"
    assert body["return_district_id"] == 3270 and body["return_ward_code"] == "30406"
    assert body["items"][0] == {
        "name": "Chè Đồng Phúc 200g",
        "quantity": 2,
        "price": 150000,
        "weight": 250,
        "length": 20,
        "width": 20,
        "height": 10,
    }
    assert body["note"] == "Gọi trước khi giao"

    order = fake.orders[booking.tracking_code]
    assert order["client_order_code"] == "104271-1"
    assert booking.fee == Decimal(order["total_fee"])
    assert booking.expected_delivery is not None and booking.expected_delivery.tzinfo is not None


def test_booking_the_same_code_twice_returns_the_existing_order(ghn, fake):
    first = ghn.create(_request())
    second = ghn.create(_request())

    assert second.tracking_code == first.tracking_code
    assert len(fake.orders) == 1
    assert len(fake.calls(CREATE)) == 2  # GHN refused the duplicate...
    assert len(fake.calls(BY_CLIENT_CODE)) == 1  # ...and we looked the order up


def test_a_create_that_times_out_after_ghn_booked_returns_that_booking(ghn, fake):
    fake.slow(CREATE, 3.0)  # GHN books, the answer never arrives in time

    booking = ghn.create(_request())

    assert len(fake.orders) == 1
    assert booking.tracking_code == next(iter(fake.orders))
    assert len(fake.calls(BY_CLIENT_CODE)) == 1


def test_a_create_that_fails_before_booking_is_retryable_and_the_retry_books_once(ghn, fake):
    fake.fail_next(CREATE, 502)

    with pytest.raises(CourierError) as caught:
        ghn.create(_request())
    assert caught.value.retryable is True
    assert fake.orders == {}

    booking = ghn.create(_request())
    assert list(fake.orders) == [booking.tracking_code]


def test_when_even_the_lookup_times_out_the_retry_still_books_once(ghn, fake):
    fake.slow(CREATE, 3.0)
    fake.slow(BY_CLIENT_CODE, 3.0)
    with pytest.raises(CourierError) as caught:
        ghn.create(_request())
    assert (caught.value.retryable, caught.value.code) == (True, "timeout")

    fake.slow(CREATE, 0)
    fake.slow(BY_CLIENT_CODE, 0)
    booking = ghn.create(_request())
    assert list(fake.orders) == [booking.tracking_code]


def test_a_code_of_a_cancelled_order_is_not_reused(ghn, fake):
    booking = ghn.create(_request())
    ghn.cancel(booking.tracking_code)

    with pytest.raises(CourierError) as caught:
        ghn.create(_request())
    assert (caught.value.retryable, caught.value.code) == (False, "client_code_used")
    assert len(fake.orders) == 1


def test_a_refused_body_is_not_retryable_and_carries_ghn_s_message(ghn, fake):
    too_much = Parcel(weight_grams=1200, value=Decimal(400000), cod_amount=Decimal(12_000_000))
    with pytest.raises(CourierError) as caught:
        ghn.create(_request(parcel=too_much))
    assert caught.value.retryable is False
    assert caught.value.code == "USER_ERR_COMMON"
    assert "cod_amount" in str(caught.value)
    assert fake.orders == {}


def test_cancel_before_pickup(ghn, fake):
    booking = ghn.create(_request())
    ghn.cancel(booking.tracking_code)
    assert fake.orders[booking.tracking_code]["status"] == "cancel"
    (call,) = fake.calls("/v2/switch-status/cancel")
    assert call.json == {"order_codes": [booking.tracking_code]}


def test_cancel_after_pickup_is_refused(ghn, fake):
    booking = ghn.create(_request())
    fake.advance(booking.tracking_code, "picked")
    with pytest.raises(CourierError) as caught:
        ghn.cancel(booking.tracking_code)
    assert caught.value.retryable is False
    assert "Không thể hủy" in str(caught.value)
    assert fake.orders[booking.tracking_code]["status"] == "picked"


def test_label_is_a_print_page_on_ghn_s_host(ghn, fake):
    booking = ghn.create(_request())
    label = ghn.label([booking.tracking_code])

    assert label.url.startswith(f"{fake.host}/a5/public-api/printA5?token=")
    page = httpx.get(label.url)
    assert page.status_code == 200 and booking.tracking_code in page.text


def test_label_format_follows_the_option(fake):
    ghn = _ghn(fake, LABEL_FORMAT="print80x80")
    booking = ghn.create(_request())
    assert "/a5/public-api/print80x80?token=" in ghn.label([booking.tracking_code]).url


def test_track_reads_the_status_history(ghn, fake):
    booking = ghn.create(_request())
    start = datetime.now(UTC).replace(microsecond=0)
    for hours, status in enumerate(["picked", "transporting", "delivering", "delivered"], 1):
        fake.advance(booking.tracking_code, status, start + timedelta(hours=hours))
    fake.settle_cod(booking.tracking_code)

    updates = ghn.track(booking.tracking_code)

    assert [u.raw_status for u in updates] == [
        "ready_to_pick",
        "picked",
        "transporting",
        "delivering",
        "delivered",
    ]
    assert [u.state for u in updates][-2:] == [states.OUT_FOR_DELIVERY, states.DELIVERED]
    assert updates[-1].event_time == start + timedelta(hours=4)
    assert {u.client_code for u in updates} == {"104271-1"}
    assert updates[-1].cod_settled and updates[-1].cod_amount == Decimal(480000)
    assert not any(u.cod_settled for u in updates[:-1])


def test_track_an_unknown_order_is_not_retryable(ghn):
    with pytest.raises(CourierError) as caught:
        ghn.track("GHNNOPE")
    assert caught.value.retryable is False
    assert "Đơn hàng không tồn tại" in str(caught.value)


# --- authentication and failures -----------------------------------------------------------------


def test_an_invalid_token_is_not_retryable(fake):
    ghn = _ghn(fake, TOKEN="wrong-token")
    with pytest.raises(CourierError) as caught:
        ghn.quote(ORIGIN, DESTINATION, PARCEL)
    assert (caught.value.retryable, caught.value.code) == (False, "401")
    assert "Token is not valid" in str(caught.value)


def test_an_invalid_token_on_create_is_not_followed_by_a_lookup(ghn, fake):
    ghn.quote(ORIGIN, DESTINATION, PARCEL)  # resolve with the good token
    ghn.token = "wrong-token"
    with pytest.raises(CourierError) as caught:
        ghn.create(_request())
    assert (caught.value.retryable, caught.value.code) == (False, "401")
    assert fake.calls(BY_CLIENT_CODE) == []


def test_an_unknown_shop_is_not_retryable(fake):
    ghn = _ghn(fake, SHOP_ID="999")
    with pytest.raises(CourierError) as caught:
        ghn.quote(ORIGIN, DESTINATION, PARCEL)
    assert (caught.value.retryable, caught.value.code) == (False, "SHOP_NOT_FOUND")
    with pytest.raises(CourierError) as caught:
        ghn.create(_request())
    assert (caught.value.retryable, caught.value.code) == (False, "SHOP_NOT_FOUND")
    assert fake.orders == {}


def test_no_shop_id_configured_fails_before_calling(fake):
    ghn = _ghn(fake, SHOP_ID="")
    with pytest.raises(CourierError) as caught:
        ghn.cancel("GHN001FAKE")
    assert caught.value.code == "SHOP_NOT_FOUND"
    assert fake.calls("/v2/switch-status/cancel") == []


def test_the_shop_id_header_falls_back_to_its_other_spelling(ghn, fake):
    fake.shop_header = "shop_id"
    booking = ghn.create(_request())
    ghn.cancel(booking.tracking_code)

    first, second = fake.calls(CREATE)
    assert first.header("ShopId") == SHOP_ID and second.header("shop_id") == SHOP_ID
    (cancel,) = fake.calls("/v2/switch-status/cancel")  # remembered: one call
    assert cancel.header("shop_id") == SHOP_ID
    assert len(fake.orders) == 1


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_overload_and_server_errors_are_retryable(ghn, fake, status):
    fake.fail_next("/v2/shipping-order/detail", status)
    with pytest.raises(CourierError) as caught:
        ghn.track("GHN001FAKE")
    assert caught.value.retryable is True
    assert caught.value.code == str(status)


def test_a_server_error_page_without_json_is_retryable(ghn, fake):
    fake.fail_next("/v2/shipping-order/detail", 502, "<html>502 Bad Gateway</html>")
    with pytest.raises(CourierError) as caught:
        ghn.track("GHN001FAKE")
    assert caught.value.retryable is True


@pytest.mark.parametrize("status", [400, 403, 404])
def test_client_errors_are_not_retryable(ghn, fake, status):
    fake.fail_next(
        "/v2/shipping-order/detail", status, {"code": status, "message": "no", "data": None}
    )
    with pytest.raises(CourierError) as caught:
        ghn.track("GHN001FAKE")
    assert caught.value.retryable is False


def test_a_timeout_is_retryable(ghn, fake):
    fake.slow("/v2/shipping-order/detail", 3.0)
    with pytest.raises(CourierError) as caught:
        ghn.track("GHN001FAKE")
    assert (caught.value.retryable, caught.value.code) == (True, "timeout")


def test_an_unreachable_ghn_is_retryable():
    ghn = GHN(TOKEN=TOKEN, SHOP_ID=SHOP_ID, BASE_URL=f"http://127.0.0.1:{_closed_port()}/x")
    with pytest.raises(CourierError) as caught:
        ghn.track("GHN001FAKE")
    assert (caught.value.retryable, caught.value.code) == (True, "network")


def test_a_master_data_outage_caches_nothing(ghn, fake):
    fake.fail_next("/master-data/province", 503)
    with pytest.raises(CourierError) as caught:
        ghn.quote(ORIGIN, DESTINATION, PARCEL)
    assert caught.value.retryable is True
    assert not CourierAddressCache.objects.exists()
    assert len(ghn.quote(ORIGIN, DESTINATION, PARCEL)) == 2


def test_the_registry_builds_ghn_from_settings(fake):
    config = {
        "ghn": {
            "BACKEND": "logistics.couriers.ghn.GHN",
            "OPTIONS": {
                "TOKEN": TOKEN,
                "SHOP_ID": SHOP_ID,
                "BASE_URL": fake.url,
                "WEBHOOK_SECRET": SECRET,
            },
        }
    }
    with override_settings(COURIERS=config):
        ghn = couriers.get("ghn")
        assert isinstance(ghn, GHN) and ghn.code == "ghn" and ghn.has_webhooks
        assert len(ghn.quote(ORIGIN, DESTINATION, PARCEL)) == 2


def test_bad_options_fail_at_startup():
    with pytest.raises(ValueError):
        GHN(TOKEN=TOKEN, REQUIRED_NOTE="MAYBE")
    with pytest.raises(ValueError):
        GHN(TOKEN=TOKEN, LABEL_FORMAT="printA4")


# --- webhooks ------------------------------------------------------------------------------------

SAMPLE = {
    "Type": "switch_status",
    "OrderCode": "GHNX7K2LQ",
    "ClientOrderCode": "104271-1",
    "ShopID": 123456,
    "Status": "delivered",
    "Time": "2026-01-03T03:15:00Z",
    "Description": "Giao hàng thành công",
    "Reason": "",
    "ReasonCode": "",
    "CODAmount": 250000,
    "CODTransferDate": None,
    "PaymentType": 1,
    "Weight": 1200,
    "TotalFee": 33000,
}

#: couriers.md section 5, written out here rather than imported from the adapter.
EXPECTED_STATES = {
    "ready_to_pick": states.AWAITING_PICKUP,
    "picking": states.AWAITING_PICKUP,
    "money_collect_picking": states.AWAITING_PICKUP,
    "picked": states.IN_TRANSIT,
    "storing": states.IN_TRANSIT,
    "transporting": states.IN_TRANSIT,
    "sorting": states.IN_TRANSIT,
    "delivering": states.OUT_FOR_DELIVERY,
    "money_collect_delivering": states.OUT_FOR_DELIVERY,
    "delivery_fail": states.DELIVERY_FAILED,
    "waiting_to_return": states.DELIVERY_FAILED,
    "delivered": states.DELIVERED,
    "return": states.RETURNING,
    "return_transporting": states.RETURNING,
    "return_sorting": states.RETURNING,
    "returning": states.RETURNING,
    "return_fail": states.RETURNING,
    "returned": states.RETURNED,
    "cancel": states.CANCELLED,
    "lost": states.LOST_DAMAGED,
    "damage": states.LOST_DAMAGED,
    "exception": states.LOST_DAMAGED,
}


def _parse(ghn, event=None, *, secret=SECRET, raw=None, **changes):
    body = raw if raw is not None else json.dumps({**(event or SAMPLE), **changes}).encode()
    query = {"secret": secret} if secret is not None else {}
    return ghn.parse_webhook({"Content-Type": "application/json"}, query, body)


def test_the_documented_sample_parses(ghn):
    (update,) = _parse(ghn)
    assert update.courier == "ghn"
    assert update.tracking_code == "GHNX7K2LQ"
    assert update.client_code == "104271-1"
    assert update.raw_status == "delivered"
    assert update.state == states.DELIVERED
    assert update.event_time == datetime(2026, 1, 3, 3, 15, tzinfo=UTC)
    assert update.description == "Giao hàng thành công"
    assert update.cod_amount == Decimal(250000)
    assert update.cod_settled is False
    assert update.raw["ShopID"] == 123456


@pytest.mark.parametrize(("status", "state"), sorted(EXPECTED_STATES.items()))
def test_each_ghn_status_maps_to_its_shopper_state(ghn, status, state):
    (update,) = _parse(ghn, Status=status)
    assert (update.raw_status, update.state) == (status, state)


def test_an_unknown_status_is_kept_as_unknown(ghn):
    (update,) = _parse(ghn, Status="teleported")
    assert (update.raw_status, update.state) == ("teleported", states.UNKNOWN)


def test_the_create_event_reports_a_status_too(ghn):
    (update,) = _parse(ghn, Type="create", Status="ready_to_pick")
    assert update.state == states.AWAITING_PICKUP


def test_cod_transfer_date_means_settled(ghn):
    (update,) = _parse(ghn, CODTransferDate="2026-01-06T02:00:00Z")
    assert update.cod_settled is True and update.cod_amount == Decimal(250000)


def test_events_without_status_news_are_dropped(ghn):
    assert _parse(ghn, Type="update_weight", Weight=1500) == []
    assert _parse(ghn, Type="update_fee", Status=None) == []
    assert _parse(ghn, Type="update_cod", CODAmount=300000) == []


def test_a_settlement_on_a_non_status_event_is_not_lost(ghn):
    (update,) = _parse(ghn, Type="update_cod", CODTransferDate="2026-01-06T02:00:00Z")
    assert update.cod_settled is True
    assert update.state == states.DELIVERED  # the order's current status, not UNKNOWN


def test_reason_joins_the_description(ghn):
    (update,) = _parse(
        ghn, Status="delivery_fail", Description="Giao thất bại", Reason="Không liên lạc được"
    )
    assert update.description == "Giao thất bại — Không liên lạc được"


def test_times_are_utc(ghn):
    (naive,) = _parse(ghn, Time="2026-01-03T03:15:00")
    (offset,) = _parse(ghn, Time="2026-01-03T10:15:00+07:00")
    (fraction,) = _parse(ghn, Time="2026-01-03T03:15:00.123Z")
    expected = datetime(2026, 1, 3, 3, 15, tzinfo=UTC)
    assert naive.event_time == offset.event_time == expected
    assert fraction.event_time == expected + timedelta(milliseconds=123)


def test_the_secret_may_come_as_a_django_querydict(ghn):
    body = json.dumps(SAMPLE).encode()
    assert ghn.parse_webhook({}, QueryDict(f"secret={SECRET}"), body)
    with pytest.raises(WebhookAuthError):
        ghn.parse_webhook({}, QueryDict("secret=nope"), body)


@pytest.mark.parametrize("secret", [None, "", "wrong", SECRET[:-1], SECRET + "x"])
def test_a_missing_or_wrong_secret_is_refused(ghn, secret):
    with pytest.raises(WebhookAuthError):
        _parse(ghn, secret=secret)


def test_without_a_configured_secret_every_callback_is_refused(fake):
    ghn = _ghn(fake, WEBHOOK_SECRET="")
    with pytest.raises(WebhookAuthError):
        _parse(ghn, secret="")


def test_the_secret_is_checked_before_the_body_is_read(ghn):
    with pytest.raises(WebhookAuthError):
        _parse(ghn, secret="wrong", raw=b"not json")


@pytest.mark.parametrize(
    "raw",
    [b"", b"not json", b"{", b"\xff\xfe", b"[]", b"[{}]", b'"delivered"', b"null", b"42"],
)
def test_malformed_bodies_are_payload_errors(ghn, raw):
    with pytest.raises(WebhookPayloadError):
        _parse(ghn, raw=raw)


@pytest.mark.parametrize(
    "changes",
    [
        {"Type": None},
        {"Type": 3},
        {"OrderCode": None},
        {"OrderCode": ""},
        {"OrderCode": 12345},
        {"Status": 5},
        {"Status": None},
        {"Status": ["delivered"]},
        {"Time": None},
        {"Time": "yesterday"},
        {"Time": 1767410100},
        {"ClientOrderCode": 104271},
        {"CODAmount": "250000"},
        {"CODAmount": True},
    ],
)
def test_wrong_types_are_payload_errors(ghn, changes):
    with pytest.raises(WebhookPayloadError):
        _parse(ghn, **changes)


def test_the_fake_s_webhook_events_parse(ghn, fake):
    booking = ghn.create(_request())
    fake.advance(booking.tracking_code, "picked")
    (update,) = _parse(ghn, fake.webhook_event(booking.tracking_code))
    assert (update.tracking_code, update.state) == (booking.tracking_code, states.IN_TRANSIT)
    assert update.client_code == "104271-1"
