"""Viettel Post adapter: the real httpx client against a local fake of VTP's partner API.

Covers login and token renewal, address resolution from post-2025 GSO codes to VTP ids, quotes,
booking with ORDER_NUMBER + CHECK_UNIQUE (duplicates never book twice), cancel, labels, the
retryable/non-retryable split, and the status webhook (auth, malformed bodies, every status).
The adapter keeps tokens and catalogues in Django's cache and resolved communes in
logistics.CourierAddressCache (the only use of the database here).
"""

import json
import socket
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone, translation

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
from logistics.couriers.viettelpost import DEV_PRINT_URL, PRODUCTION_PRINT_URL, ViettelPost
from logistics.models import CourierAddressCache
from tests.fakes.viettelpost_server import (
    PASSWORD,
    PLACEHOLDER_DISTRICT_BASE,
    USERNAME,
    WEBHOOK_SECRET,
    FakeViettelPostServer,
)

ORIGIN = Address(
    name="HTX Chè Đồng Phúc",
    phone="+84 912 345 678",
    province_code="19",
    commune_code="01933",  # Xã Đồng Phúc, Thái Nguyên
    street="Xóm Bản Cái",
)
DESTINATION = Address(
    name="Nguyễn Thị Lan",
    phone="0987 111 222",
    province_code="01",
    commune_code="00004",  # Phường Ba Đình, Hà Nội
    street="12 Phố Đội Cấn",
)
PARCEL = Parcel(
    weight_grams=1200,
    value=Decimal("250000"),
    cod_amount=Decimal("280000"),
    items=(
        Item("Chè Thái Nguyên 200g", 2, 450, Decimal("90000")),
        Item("Mật ong rừng", 1, 300, Decimal("70000")),
    ),
)


@pytest.fixture
def fake(db):
    with FakeViettelPostServer() as server:
        yield server


def make(fake, **options) -> ViettelPost:
    defaults = {
        "USERNAME": USERNAME,
        "PASSWORD": PASSWORD,
        "BASE_URL": fake.url,
        "WEBHOOK_SECRET": WEBHOOK_SECRET,
        "TIMEOUT": 2,
    }
    return ViettelPost(code="viettelpost", **{**defaults, **options})


def book(courier, code="104271-1", **changes) -> tuple:
    request = BookingRequest(
        code=code,
        origin=changes.pop("origin", ORIGIN),
        destination=changes.pop("destination", DESTINATION),
        parcel=changes.pop("parcel", PARCEL),
        **{"service": "VCN", **changes},
    )
    return request, courier.create(request)


# --- registry ------------------------------------------------------------------------------------


def test_registry_builds_the_adapter_from_settings():
    config = {
        "viettelpost": {
            "BACKEND": "logistics.couriers.viettelpost.ViettelPost",
            "OPTIONS": {"USERNAME": "u", "PASSWORD": "p", "BASE_URL": "https://x.example"},
        }
    }
    with override_settings(COURIERS=config):
        courier = couriers.get("viettelpost")
    assert isinstance(courier, ViettelPost)
    assert (courier.code, courier.name, courier.has_webhooks) == (
        "viettelpost",
        "Viettel Post",
        True,
    )


# --- login and tokens ----------------------------------------------------------------------------


def test_login_then_ownerconnect_and_the_long_token_is_sent_and_cached(fake):
    make(fake).services()
    [login] = fake.calls("/v2/user/Login")
    assert login.body == {"USERNAME": USERNAME, "PASSWORD": PASSWORD}
    [owner] = fake.calls("/v2/user/ownerconnect")
    assert fake.tokens[owner.header("Token")] == "short"
    [listing] = fake.calls("/v2/categories/listService")
    assert fake.tokens[listing.header("Token")] == "long"

    # Another worker (a fresh instance) finds the token in the cache: no second login.
    cache.delete(make(fake)._cache_prefix + ":services")
    make(fake).services()
    assert len(fake.calls("/v2/user/Login")) == 1
    assert len(fake.calls("/v2/categories/listService")) == 2


def test_without_ownerconnect_the_short_token_is_used(fake):
    fake.ownerconnect = False
    make(fake).services()
    [listing] = fake.calls("/v2/categories/listService")
    assert fake.tokens[listing.header("Token")] == "short"


@pytest.mark.parametrize("answer", ["envelope", "http"])
def test_an_expired_token_logs_in_again_once_and_repeats_the_call(fake, answer):
    fake.expired_answer = answer
    courier = make(fake)
    courier.services()
    fake.expire_tokens()
    cache.delete(courier._cache_prefix + ":services")

    assert [s.code for s in courier.services()] == ["VCN", "VTK", "VHT"]
    assert len(fake.calls("/v2/user/Login")) == 2
    first, second, third = fake.calls("/v2/categories/listService")
    assert second.header("Token") == first.header("Token")  # refused
    assert third.header("Token") in fake.tokens


def test_a_token_refused_even_after_a_fresh_login_is_not_retryable(fake):
    fake.accept_tokens = False
    with pytest.raises(CourierError) as caught:
        make(fake).services()
    assert (caught.value.code, caught.value.retryable) == ("auth", False)
    assert len(fake.calls("/v2/user/Login")) == 2  # once, then exactly one renewal


def test_wrong_password_is_not_retryable(fake):
    with pytest.raises(CourierError) as caught:
        make(fake, PASSWORD="wrong").services()
    assert (caught.value.code, caught.value.retryable) == ("auth", False)
    assert "mật khẩu không đúng" in str(caught.value)
    assert not fake.calls("/v2/categories/listService")


# --- services and quotes -------------------------------------------------------------------------


def test_services_are_listed_and_cached(fake):
    courier = make(fake)
    services = courier.services()
    assert [(s.code, s.name) for s in services][:1] == [
        ("VCN", "Chuyển phát nhanh - Chuyển phát nhanh")
    ]
    [call] = fake.calls("/v2/categories/listService")
    assert call.body == {"TYPE": 2}
    courier.services()
    assert len(fake.calls("/v2/categories/listService")) == 1


@pytest.mark.parametrize("shape", ["list", "result", "bare"])
def test_quote_sends_vtp_ids_resolved_from_gso_codes(fake, shape):
    fake.price_shape = shape
    quotes = make(fake).quote(ORIGIN, DESTINATION, PARCEL)

    [call] = fake.calls("/v2/order/getPriceAll")
    thai_nguyen = fake.vtp_province("19")["PROVINCE_ID"]
    assert call.body["SENDER_PROVINCE"] == thai_nguyen
    assert call.body["SENDER_DISTRICT"] == PLACEHOLDER_DISTRICT_BASE + thai_nguyen
    assert call.body["SENDER_WARD"] == fake.ward_id("01933")
    assert call.body["RECEIVER_PROVINCE"] == 1  # VTP's id of Hà Nội, matched by name
    assert call.body["RECEIVER_WARD"] == fake.ward_id("00004")
    assert call.body["PRODUCT_WEIGHT"] == 1200
    assert call.body["MONEY_COLLECTION"] == 280000
    assert call.body["PRODUCT_PRICE"] == 250000
    assert call.body["TYPE"] == 1

    assert [(q.service, q.fee, q.expected_days) for q in quotes] == [
        ("VTK", Decimal(36500), 3),
        ("VCN", Decimal(44500), 1),
    ]
    assert {q.courier for q in quotes} == {"viettelpost"}
    assert quotes[0].service_name == "Tiết kiệm"


def catalogue_calls(fake) -> int:
    return len([r for r in fake.requests if "/categories/list" in r.path])


def test_resolved_communes_are_kept_in_the_courier_address_cache(fake):
    courier = make(fake)
    courier.quote(ORIGIN, DESTINATION, PARCEL)
    assert len(fake.calls("/v3/categories/listProvinceNew")) == 1
    assert len(fake.calls("/v3/categories/listWardsNew")) == 2  # one per province
    row = CourierAddressCache.objects.get(courier="viettelpost", commune_code="00004")
    assert row.data == {
        "province": 1,
        "district": PLACEHOLDER_DISTRICT_BASE + 1,
        "ward": fake.ward_id("00004"),
        "host": fake.url,
    }

    # Another worker with an empty Django cache: the rows answer, no catalogue call.
    cache.clear()
    before = catalogue_calls(fake)
    make(fake).quote(ORIGIN, DESTINATION, PARCEL)
    assert catalogue_calls(fake) == before
    assert len(fake.calls("/v2/order/getPriceAll")) == 2


def test_rows_of_another_host_or_too_old_are_resolved_again(fake):
    make(fake).quote(ORIGIN, DESTINATION, PARCEL)
    CourierAddressCache.objects.filter(commune_code="01933").update(
        data={"province": 9, "district": 9, "ward": 9, "host": "https://partner.viettelpost.vn"}
    )
    CourierAddressCache.objects.filter(commune_code="00004").update(
        resolved_at=timezone.now() - timedelta(days=31)
    )
    make(fake).quote(ORIGIN, DESTINATION, PARCEL)
    last = fake.calls("/v2/order/getPriceAll")[-1]
    assert last.body["SENDER_WARD"] == fake.ward_id("01933")
    fresh = CourierAddressCache.objects.get(commune_code="00004").resolved_at
    assert fresh > timezone.now() - timedelta(minutes=1)


def test_without_a_ward_district_the_provinces_new_placeholder_district_is_sent(fake):
    fake.wards_with_district = False
    make(fake).quote(ORIGIN, DESTINATION, PARCEL)
    assert {c.query["provinceId"] for c in fake.calls("/v2/categories/listDistrict")} == {
        "1",
        str(fake.vtp_province("19")["PROVINCE_ID"]),
    }
    [call] = fake.calls("/v2/order/getPriceAll")
    assert call.body["RECEIVER_DISTRICT"] == PLACEHOLDER_DISTRICT_BASE + 1


def test_diacritics_tell_apart_communes_that_fold_alike(fake):
    """Thái Nguyên has both Xã Văn Lăng (05665) and Xã Văn Lang (02143)."""
    courier = make(fake)
    lang = courier.resolve(replace(ORIGIN, commune_code="02143"))
    lang_with_breve = courier.resolve(replace(ORIGIN, commune_code="05665"))
    assert lang["ward"] == fake.ward_id("02143")
    assert lang_with_breve["ward"] == fake.ward_id("05665")


def test_vtp_names_without_prefix_or_diacritics_still_match(fake):
    fake.ward_names = {"01933": "DONG PHUC"}
    ids = make(fake).resolve(ORIGIN)
    assert ids["ward"] == fake.ward_id("01933")


@pytest.mark.parametrize(
    "names",
    [
        {"01933": "Xã Không Tồn Tại"},
        {"05665": "Xa Van Lang", "02143": "Xa Van Lang"},  # ambiguous once folded
    ],
)
def test_an_unresolvable_commune_is_a_clear_non_retryable_error(fake, names):
    fake.ward_names = names
    commune = next(iter(names))
    address = replace(ORIGIN, commune_code=commune)
    with translation.override("en"), pytest.raises(CourierError) as caught:
        make(fake).quote(address, DESTINATION, PARCEL)
    assert (caught.value.code, caught.value.retryable) == ("address", False)
    assert "Thái Nguyên" in str(caught.value)
    assert "Viettel Post does not know the address" in str(caught.value)
    assert not fake.calls("/v2/order/getPriceAll")


def test_a_commune_code_that_does_not_exist_fails_before_any_call(fake):
    address = replace(DESTINATION, commune_code="99999")
    with pytest.raises(CourierError) as caught:
        make(fake).quote(ORIGIN, address, PARCEL)
    assert caught.value.code == "address"
    assert not fake.calls("/v2/order/getPriceAll")


def test_a_refused_route_is_not_retryable(fake):
    heavy = Parcel(weight_grams=60_000, value=Decimal(100000))
    with pytest.raises(CourierError) as caught:
        make(fake).quote(ORIGIN, DESTINATION, heavy)
    assert caught.value.retryable is False
    assert "Price does not apply to this itinerary!" in str(caught.value)


# --- booking -------------------------------------------------------------------------------------


def test_create_books_with_our_code_as_order_number_and_check_unique(fake):
    request, booking = book(make(fake), note="Cho xem hàng, không cho thử")

    [call] = fake.calls("/v2/order/createOrder")
    body = call.body
    assert body["ORDER_NUMBER"] == "104271-1"
    assert body["CHECK_UNIQUE"] is True
    assert body["ORDER_SERVICE"] == "VCN"
    assert body["ORDER_PAYMENT"] == 3  # COD already includes the shipping share
    assert body["MONEY_COLLECTION"] == 280000
    assert body["SENDER_PHONE"] == "0912345678"
    assert body["RECEIVER_PHONE"] == "0987111222"
    assert body["SENDER_ADDRESS"] == "Xóm Bản Cái, Xã Đồng Phúc, Thái Nguyên"
    assert body["RECEIVER_ADDRESS"] == "12 Phố Đội Cấn, Phường Ba Đình, Thành phố Hà Nội"
    assert body["RECEIVER_PROVINCE"] == 1
    assert body["RECEIVER_WARD"] == fake.ward_id("00004")
    assert body["PRODUCT_QUANTITY"] == 3
    assert body["PRODUCT_WEIGHT"] == 1200
    assert body["ORDER_NOTE"] == "Cho xem hàng, không cho thử"
    assert [i["PRODUCT_NAME"] for i in body["LIST_ITEM"]] == [
        "Chè Thái Nguyên 200g",
        "Mật ong rừng",
    ]

    [(waybill, order)] = fake.orders.items()
    assert booking.tracking_code == waybill != request.code
    assert order["ORDER_REFERENCE"] == "104271-1"
    assert booking.fee == Decimal(44500)
    assert booking.expected_delivery.tzinfo is not None
    assert booking.expected_delivery > datetime.now(UTC)


def test_create_without_cod_collects_nothing(fake):
    prepaid = Parcel(weight_grams=500, value=Decimal(120000))
    book(make(fake), parcel=prepaid)
    [call] = fake.calls("/v2/order/createOrder")
    assert (call.body["ORDER_PAYMENT"], call.body["MONEY_COLLECTION"]) == (1, 0)


def test_create_without_a_service_takes_the_cheapest_quoted(fake):
    book(make(fake), service="")
    [call] = fake.calls("/v2/order/createOrder")
    assert call.body["ORDER_SERVICE"] == "VTK"


def test_long_texts_are_cut_to_150_bytes_not_characters(fake):
    street = "Thôn Đồng Phúc Thượng, đường liên xã " * 6
    origin = replace(ORIGIN, street=street)
    book(make(fake), origin=origin)  # the fake refuses fields over 150 bytes
    [call] = fake.calls("/v2/order/createOrder")
    sent = call.body["SENDER_ADDRESS"]
    assert len(sent.encode("utf-8")) <= 150
    assert street.startswith(sent)


def test_a_repeated_code_returns_the_existing_waybill_without_booking_twice(fake):
    courier = make(fake)
    _, first = book(courier)
    _, again = book(courier)
    assert again.tracking_code == first.tracking_code
    assert len(fake.orders) == 1
    assert all(c.body["CHECK_UNIQUE"] is True for c in fake.calls("/v2/order/createOrder"))


def test_a_duplicate_answer_without_waybill_says_the_booking_exists(fake):
    fake.duplicate_answer = "message"
    courier = make(fake)
    book(courier)
    with translation.override("en"), pytest.raises(CourierError) as caught:
        book(courier)
    assert (caught.value.code, caught.value.retryable) == ("already_booked", False)
    assert "already has a booking for 104271-1" in str(caught.value)
    assert len(fake.orders) == 1


def test_a_lost_answer_then_a_retry_does_not_book_twice(fake):
    fake.fault("/v2/order/createOrder", "timeout-after")
    courier = make(fake, TIMEOUT=0.5)
    with pytest.raises(CourierError) as caught:
        book(courier)
    assert caught.value.retryable is True
    [(waybill, _)] = fake.orders.items()  # VTP booked it; we never heard

    _, booking = book(courier)
    assert booking.tracking_code == waybill
    assert len(fake.orders) == 1


# --- retryable or not ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["timeout", "500", "502", "503", "429", "html", "envelope500"])
def test_timeouts_overload_and_server_errors_are_retryable(fake, kind):
    courier = make(fake, TIMEOUT=0.5)
    courier.quote(ORIGIN, DESTINATION, PARCEL)  # warm token and catalogues
    fake.fault("/v2/order/getPriceAll", kind)
    with pytest.raises(CourierError) as caught:
        courier.quote(ORIGIN, DESTINATION, PARCEL)
    assert caught.value.retryable is True
    assert len(courier.quote(ORIGIN, DESTINATION, PARCEL)) == 2  # and the next try works


def test_an_unreachable_host_is_retryable():
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    courier = ViettelPost(
        code="viettelpost", USERNAME="u", PASSWORD="p", BASE_URL=f"http://127.0.0.1:{port}"
    )
    with pytest.raises(CourierError) as caught:
        courier.services()
    assert (caught.value.code, caught.value.retryable) == ("unreachable", True)


def test_a_refusal_in_the_envelope_is_not_retryable(fake):
    with pytest.raises(CourierError) as caught:
        make(fake).cancel("999999999")
    assert caught.value.retryable is False
    assert "Order does not exist" in str(caught.value)


# --- cancel --------------------------------------------------------------------------------------


def test_cancel_before_pickup(fake):
    courier = make(fake)
    _, booking = book(courier)
    courier.cancel(booking.tracking_code)
    [call] = fake.calls("/v2/order/UpdateOrder")
    assert call.body["TYPE"] == 4
    assert call.body["ORDER_NUMBER"] == booking.tracking_code
    assert isinstance(call.body["NOTE"], str) and call.body["NOTE"]
    assert fake.orders[booking.tracking_code]["ORDER_STATUS"] == 107


@pytest.mark.parametrize("status", [105, 200, 501])
def test_cancel_after_pickup_is_refused_and_not_retryable(fake, status):
    courier = make(fake)
    _, booking = book(courier)
    fake.set_status(booking.tracking_code, status)
    with pytest.raises(CourierError) as caught:
        courier.cancel(booking.tracking_code)
    assert caught.value.retryable is False
    assert fake.orders[booking.tracking_code]["ORDER_STATUS"] == status


# --- labels --------------------------------------------------------------------------------------


def test_label_is_the_report_url_of_a_fresh_print_code(fake):
    courier = make(fake)
    _, booking = book(courier)
    label = courier.label([booking.tracking_code])

    [call] = fake.calls("/v2/order/printing-code")
    assert call.body["ORDER_ARRAY"] == [booking.tracking_code]
    assert call.body["EXPIRY_TIME"] > time.time() * 1000
    [(print_code, waybills)] = fake.print_codes.items()
    assert waybills == [booking.tracking_code]
    assert label.url == f"{DEV_PRINT_URL}?type=1&bill={print_code}&showPostage=1"
    assert label.url.startswith("https://dev-print.viettelpost.vn/DigitalizePrint/report.do")


def test_label_paper_size_is_configurable(fake):
    courier = make(fake, LABEL_TYPE="2")
    _, booking = book(courier)
    assert "type=2&" in courier.label([booking.tracking_code]).url


def test_production_prints_on_the_production_host():
    courier = ViettelPost(code="viettelpost", BASE_URL="https://partner.viettelpost.vn")
    assert courier.print_url == PRODUCTION_PRINT_URL
    assert PRODUCTION_PRINT_URL.startswith("https://digitalize.viettelpost.vn/")
    sandbox = ViettelPost(code="viettelpost", BASE_URL="https://partnerdev.viettelpost.vn")
    assert sandbox.print_url == DEV_PRINT_URL


@pytest.mark.parametrize("codes", [[], [str(n) for n in range(101)]])
def test_label_refuses_nothing_or_too_much_without_calling(fake, codes):
    with pytest.raises(CourierError) as caught:
        make(fake).label(codes)
    assert caught.value.retryable is False
    assert not fake.requests


def test_label_of_an_unknown_waybill_is_refused(fake):
    with pytest.raises(CourierError) as caught:
        make(fake).label(["1234"])
    assert caught.value.retryable is False


def test_track_is_not_offered(fake):
    assert make(fake).track("1700000000001") == []
    assert not fake.requests


# --- webhook -------------------------------------------------------------------------------------

#: couriers.md section 5, VTP column: code -> state.
SPEC_STATES = {
    -100: states.AWAITING_PICKUP,
    102: states.AWAITING_PICKUP,
    103: states.AWAITING_PICKUP,
    104: states.AWAITING_PICKUP,
    106: states.PICKUP_PROBLEM,
    105: states.IN_TRANSIT,
    200: states.IN_TRANSIT,
    202: states.IN_TRANSIT,
    300: states.IN_TRANSIT,
    301: states.IN_TRANSIT,
    302: states.IN_TRANSIT,
    303: states.IN_TRANSIT,
    400: states.IN_TRANSIT,
    401: states.IN_TRANSIT,
    402: states.IN_TRANSIT,
    403: states.IN_TRANSIT,
    509: states.IN_TRANSIT,
    510: states.IN_TRANSIT,
    -108: states.IN_TRANSIT,
    500: states.OUT_FOR_DELIVERY,
    507: states.OUT_FOR_DELIVERY,
    508: states.OUT_FOR_DELIVERY,
    550: states.OUT_FOR_DELIVERY,
    505: states.DELIVERY_FAILED,
    506: states.DELIVERY_FAILED,
    501: states.DELIVERED,
    502: states.RETURNING,
    515: states.RETURNING,
    504: states.RETURNED,
    101: states.CANCELLED,
    107: states.CANCELLED,
    201: states.CANCELLED,
    503: states.CANCELLED,
}

WHEN = "03/01/2026 10:15:00"  # Vietnam time, no zone


def payload(**data) -> bytes:
    base = {
        "ORDER_NUMBER": "1700000000001",
        "ORDER_REFERENCE": "104271-1",
        "ORDER_STATUSDATE": WHEN,
        "ORDER_STATUS": 501,
        "STATUS_NAME": "Phát thành công",
        "MONEY_COLLECTION": 280000,
        "IS_RETURNING": False,
    }
    return json.dumps({"TOKEN": WEBHOOK_SECRET, "DATA": {**base, **data}}).encode()


def parse(courier, body, secret=WEBHOOK_SECRET, header="Authorization"):
    return courier.parse_webhook({header: secret} if secret is not None else {}, {}, body)


@pytest.mark.parametrize(("code", "state"), sorted(SPEC_STATES.items()))
def test_each_status_maps_to_its_shopper_state(code, state):
    [update] = parse(ViettelPost(WEBHOOK_SECRET=WEBHOOK_SECRET), payload(ORDER_STATUS=code))
    assert (update.raw_status, update.state) == (str(code), state)


def test_the_event_is_read_completely():
    courier = ViettelPost(WEBHOOK_SECRET=WEBHOOK_SECRET)
    [update] = parse(courier, payload(NOTE="Người nhận: Lan"))
    assert update.courier == "viettelpost"
    assert update.tracking_code == "1700000000001"  # ORDER_NUMBER is VTP's waybill
    assert update.client_code == "104271-1"  # ORDER_REFERENCE is our code
    assert update.event_time == datetime(2026, 1, 3, 3, 15, tzinfo=UTC)
    assert update.state == states.DELIVERED
    assert update.cod_amount == Decimal(280000)
    assert update.cod_settled is False
    assert update.description == "Phát thành công - Người nhận: Lan"
    assert update.raw["ORDER_STATUS"] == 501


@pytest.mark.parametrize(("code", "state"), [(500, states.RETURNING), (501, states.RETURNING),
                                             (506, states.RETURNING), (999, states.RETURNING),
                                             (504, states.RETURNED)])  # fmt: skip
def test_is_returning_marks_the_way_back(code, state):
    courier = ViettelPost(WEBHOOK_SECRET=WEBHOOK_SECRET)
    [update] = parse(courier, payload(ORDER_STATUS=code, IS_RETURNING=True))
    assert update.state == state


def test_an_unknown_status_is_kept_as_unknown():
    courier = ViettelPost(WEBHOOK_SECRET=WEBHOOK_SECRET)
    [update] = parse(courier, payload(ORDER_STATUS=777))
    assert (update.raw_status, update.state) == ("777", states.UNKNOWN)


@pytest.mark.parametrize(
    "changes",
    [
        {"ORDER_STATUS": "501"},
        {"ORDER_STATUSDATE": "03/01/2026 10:15"},
        {"IS_RETURNING": None, "ORDER_REFERENCE": None, "MONEY_COLLECTION": None},
        {"IS_RETURNING": "false"},
        {"ORDER_NUMBER": 1700000000001},
    ],
)
def test_tolerated_variants(changes):
    courier = ViettelPost(WEBHOOK_SECRET=WEBHOOK_SECRET)
    [update] = parse(courier, payload(**changes))
    assert update.tracking_code == "1700000000001"
    assert update.state == states.DELIVERED
    assert update.event_time.astimezone(UTC).hour == 3


def test_the_secret_header_is_case_insensitive_and_may_be_a_bearer():
    courier = ViettelPost(WEBHOOK_SECRET=WEBHOOK_SECRET)
    assert parse(courier, payload(), header="authorization")
    assert parse(courier, payload(), secret=f"Bearer {WEBHOOK_SECRET}")


@pytest.mark.parametrize("secret", [None, "", "wrong", WEBHOOK_SECRET + "x", WEBHOOK_SECRET[:-1]])
def test_a_missing_or_wrong_secret_is_refused(secret):
    with pytest.raises(WebhookAuthError):
        parse(ViettelPost(WEBHOOK_SECRET=WEBHOOK_SECRET), payload(), secret=secret)


def test_nothing_is_accepted_without_a_configured_secret():
    with pytest.raises(WebhookAuthError):
        parse(ViettelPost(WEBHOOK_SECRET=""), payload(), secret="")


def test_the_secret_is_checked_before_the_body_is_read():
    with pytest.raises(WebhookAuthError):
        parse(ViettelPost(WEBHOOK_SECRET=WEBHOOK_SECRET), b"not json", secret="wrong")


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"\xff\xfe{}",
        b"[]",
        b'"DATA"',
        b"{}",
        b'{"DATA": null}',
        b'{"DATA": [1, 2]}',
        json.dumps({"DATA": {"x": "y" * 300_000}}).encode(),
    ],
)
def test_malformed_bodies_are_refused(body):
    with pytest.raises(WebhookPayloadError):
        parse(ViettelPost(WEBHOOK_SECRET=WEBHOOK_SECRET), body)


@pytest.mark.parametrize(
    "changes",
    [
        {"ORDER_STATUS": None},
        {"ORDER_STATUS": "abc"},
        {"ORDER_STATUS": 501.5},
        {"ORDER_STATUS": True},
        {"ORDER_STATUS": [501]},
        {"ORDER_NUMBER": None},
        {"ORDER_NUMBER": ""},
        {"ORDER_NUMBER": ["1700000000001"]},
        {"ORDER_STATUSDATE": None},
        {"ORDER_STATUSDATE": "2026-01-03T10:15:00+07:00"},
        {"ORDER_STATUSDATE": "31/02/2026 10:15:00"},
        {"ORDER_STATUSDATE": 1767410100},
        {"ORDER_REFERENCE": {"code": "104271-1"}},
        {"IS_RETURNING": "maybe"},
        {"IS_RETURNING": 2},
        {"MONEY_COLLECTION": "lots"},
        {"MONEY_COLLECTION": {"amount": 1}},
    ],
)
def test_wrong_types_are_refused(changes):
    with pytest.raises(WebhookPayloadError):
        parse(ViettelPost(WEBHOOK_SECRET=WEBHOOK_SECRET), payload(**changes))


def test_a_booked_parcels_webhook_names_our_code_and_the_waybill(fake):
    courier = make(fake)
    request, booking = book(courier)
    headers, body = fake.callback(booking.tracking_code, 105, "04/01/2026 08:00:00")
    [update] = courier.parse_webhook(headers, {}, body)
    assert (update.tracking_code, update.client_code) == (booking.tracking_code, request.code)
    assert update.state == states.IN_TRANSIT
    assert update.cod_amount == Decimal(280000)
