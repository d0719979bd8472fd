"""The GHTK adapter against a local fake of GHTK's API, and GHTK's status webhooks.

No database: the real httpx client in logistics/couriers/ghtk.py talks to tests/fakes/ghtk_server.py
over loopback, so headers, paths, bodies and error handling are what would go on the wire.
"""

import json
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from django.http import QueryDict
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
from logistics.couriers.ghtk import GHTK, REPORTS, STATES
from tests.fakes.ghtk_server import CLIENT_SOURCE, TOKEN, FakeGHTK, FakeGHTKServer, GhtkError

SECRET = "ghtk-hook-3f9a1c7e5b2d4e6f8a0b"
VN = timezone(timedelta(hours=7))

ORIGIN = Address(
    name="HTX rượu men lá Thanh Tâm",
    phone="+84 912 345 678",
    province_code="19",
    commune_code="01933",
    street="Thôn Bằng Phúc",
)
DESTINATION = Address(
    name="Nguyễn Văn An",
    phone="0987 654 321",
    province_code="79",
    commune_code="26740",
    street="12 Lê Lợi",
)
PARCEL = Parcel(
    weight_grams=1200,
    value=Decimal("240000"),
    cod_amount=Decimal("262000"),
    items=(Item("Rượu men lá Bằng Phúc", 2, 600, Decimal("120000")),),
)


@pytest.fixture
def fake():
    with FakeGHTKServer() as server:
        yield server


def make(fake, **options):
    options.setdefault("TIMEOUT", 5)
    return GHTK(
        code="ghtk",
        TOKEN=options.pop("TOKEN", TOKEN),
        CLIENT_SOURCE=options.pop("CLIENT_SOURCE", CLIENT_SOURCE),
        BASE_URL=fake.url,
        WEBHOOK_SECRET=options.pop("WEBHOOK_SECRET", SECRET),
        **options,
    )


def booking(code="104271-1", parcel=PARCEL, **kwargs):
    return BookingRequest(
        code=code, origin=ORIGIN, destination=DESTINATION, parcel=parcel, **kwargs
    )


def assert_authenticated(fake):
    assert fake.requests
    for request in fake.requests:
        assert request.header("Token") == TOKEN
        assert request.header("X-Client-Source") == CLIENT_SOURCE


# --- registry ------------------------------------------------------------------------------------


def test_registry_builds_the_adapter_from_settings(settings, fake):
    settings.COURIERS = {
        "ghtk": {
            "BACKEND": "logistics.couriers.ghtk.GHTK",
            "OPTIONS": {
                "TOKEN": TOKEN,
                "CLIENT_SOURCE": CLIENT_SOURCE,
                "BASE_URL": fake.url,
                "WEBHOOK_SECRET": SECRET,
            },
        }
    }
    courier = couriers.get("ghtk")
    assert isinstance(courier, GHTK)
    assert (courier.code, courier.has_webhooks) == ("ghtk", True)
    assert [s.code for s in courier.services()] == ["road", "fly"]


# --- quote ---------------------------------------------------------------------------------------


def test_quote_asks_each_transport_with_names_and_headers(fake):
    quotes = make(fake).quote(ORIGIN, DESTINATION, PARCEL)

    assert [(q.courier, q.service) for q in quotes] == [("ghtk", "road"), ("ghtk", "fly")]
    # fake tariff: 22 000 + 2 500 per started 500 g above 500 g; air x1.4
    assert quotes[0].fee == Decimal("27000")
    assert quotes[1].fee == Decimal("37500")
    calls = fake.calls("GET", "/services/shipment/fee")
    assert [c.param("transport") for c in calls] == ["road", "fly"]
    query = calls[0]
    assert query.param("pick_province") == "Thái Nguyên"
    assert query.param("pick_ward") == "Xã Đồng Phúc"
    assert query.param("pick_district") == "Xã Đồng Phúc"  # the commune again (module doc)
    assert query.param("pick_address") == "Thôn Bằng Phúc"
    assert query.param("province") == "Hồ Chí Minh"  # without "Thành phố "
    assert query.param("ward") == query.param("district") == "Phường Sài Gòn"
    assert query.param("address") == "12 Lê Lợi"
    assert (query.param("weight"), query.param("value")) == ("1200", "240000")
    assert query.param("deliver_option") == "none"
    assert "tags[]" not in query.query
    assert_authenticated(fake)


def test_quote_sends_configured_tags(fake):
    [road, _fly] = make(fake, TAGS=[7]).quote(ORIGIN, DESTINATION, PARCEL)

    assert road.fee == Decimal("29000")  # farm-produce surcharge of the fake tariff
    assert fake.requests[0].query["tags[]"] == ["7"]


def test_quote_leaves_out_routes_ghtk_does_not_serve(fake):
    fake.unserved.add("Hồ Chí Minh")

    assert make(fake).quote(ORIGIN, DESTINATION, PARCEL) == []


def test_address_names_given_by_the_caller_win(fake):
    named = Address(
        name="A",
        phone="0912345678",
        province_code="01",
        commune_code="00004",
        street="1 Hàng Bạc",
        province_name="Thành phố Hà Nội",
        commune_name="Phường Hoàn Kiếm",
    )
    make(fake).quote(ORIGIN, named, PARCEL)

    query = fake.requests[0]
    assert (query.param("province"), query.param("ward")) == ("Hà Nội", "Phường Hoàn Kiếm")


def test_unknown_commune_fails_before_calling_ghtk(fake):
    nowhere = Address("A", "0912345678", "19", "99999", "x")

    with pytest.raises(CourierError) as caught:
        make(fake).quote(ORIGIN, nowhere, PARCEL)
    assert not caught.value.retryable
    assert fake.requests == []


# --- create --------------------------------------------------------------------------------------


def test_create_books_with_documented_body(fake):
    result = make(fake).create(booking(service="fly", note="Hàng dễ vỡ"))

    order = fake.order("104271-1")
    assert result.tracking_code == order["label"]
    assert result.fee == Decimal(order["fee"])
    assert result.expected_delivery == datetime(2026, 1, 3, 18, tzinfo=VN)
    [call] = fake.calls("POST", "/services/shipment/order/")
    assert call.query == {"ver": ["1.5"]}
    assert call.header("Content-Type") == "application/json"
    body = call.json
    assert body["products"] == [
        {"name": "Rượu men lá Bằng Phúc", "weight": 0.6, "quantity": 2, "price": 120000}
    ]
    sent = body["order"]
    assert sent["id"] == "104271-1"
    assert (sent["pick_name"], sent["pick_tel"]) == ("HTX rượu men lá Thanh Tâm", "0912345678")
    assert (sent["pick_province"], sent["pick_district"], sent["pick_ward"]) == (
        "Thái Nguyên",
        "Xã Đồng Phúc",
        "Xã Đồng Phúc",
    )
    assert (sent["name"], sent["tel"], sent["address"]) == (
        "Nguyễn Văn An",
        "0987654321",
        "12 Lê Lợi",
    )
    assert (sent["province"], sent["district"], sent["ward"], sent["hamlet"]) == (
        "Hồ Chí Minh",
        "Phường Sài Gòn",
        "Phường Sài Gòn",
        "Khác",
    )
    assert (sent["pick_money"], sent["value"], sent["total_weight"]) == (262000, 240000, 1.2)
    assert (sent["is_freeship"], sent["transport"], sent["note"]) == (1, "fly", "Hàng dễ vỡ")
    assert "tags" not in sent
    assert_authenticated(fake)


def test_create_without_items_sends_one_product(fake):
    make(fake, TAGS=[7]).create(booking(parcel=Parcel(weight_grams=800, value=Decimal(90000))))

    body = fake.calls("POST", "/services/shipment/order/")[0].json
    assert body["products"] == [{"name": "104271-1", "weight": 0.8, "quantity": 1, "price": 90000}]
    assert body["order"]["pick_money"] == 0
    assert body["order"]["tags"] == [7]


def test_duplicate_submit_returns_the_existing_label(fake):
    courier = make(fake)
    first = courier.create(booking())
    again = courier.create(booking())

    assert again.tracking_code == first.tracking_code
    assert len(fake.orders) == 1
    second = fake.calls("POST", "/services/shipment/order/")[1]
    assert second.json["order"]["id"] == "104271-1"


def test_create_timeout_after_booking_then_retry_books_once(fake):
    courier = make(fake, TIMEOUT=0.3)
    fake.fail_next("hang_after")

    with pytest.raises(CourierError) as caught:
        courier.create(booking())
    assert caught.value.retryable and caught.value.code == "timeout"

    retried = courier.create(booking())
    assert len(fake.orders) == 1
    assert retried.tracking_code == fake.order("104271-1")["label"]


def test_duplicate_of_a_cancelled_order_is_not_a_booking(fake):
    courier = make(fake)
    label = courier.create(booking()).tracking_code
    courier.cancel(label)

    with pytest.raises(CourierError) as caught:
        courier.create(booking())
    assert not caught.value.retryable
    assert label in str(caught.value)


def test_a_duplicate_error_naming_another_order_is_not_taken(fake):
    """Only a refusal that names our own order id may hand us its label."""

    def foreign(record):
        raise GhtkError(
            "Mã đơn hàng đã tồn tại",
            10101,
            error={"code": "ORDER_ID_EXIST", "partner_id": "999-1", "ghtk_label": "S1.A1.9"},
        )

    fake._create = foreign

    with pytest.raises(CourierError) as caught:
        make(fake).create(booking())
    assert not caught.value.retryable
    assert caught.value.code == "10101"


@pytest.mark.parametrize(
    ("failure", "code"),
    [
        ("500", "http_500"),
        ("502_html", "http_502"),
        ("429", "http_429"),
        ("incident", "10103"),
        ("garbage", "http_200"),
    ],
)
def test_transient_failures_are_retryable(fake, failure, code):
    fake.fail_next(failure)

    with pytest.raises(CourierError) as caught:
        make(fake).create(booking())
    assert caught.value.retryable
    assert caught.value.code == code


def test_timeout_is_retryable(fake):
    fake.fail_next("hang")

    with pytest.raises(CourierError) as caught:
        make(fake, TIMEOUT=0.3).quote(ORIGIN, DESTINATION, PARCEL)
    assert caught.value.retryable and caught.value.code == "timeout"


def test_unreachable_ghtk_is_retryable(fake):
    courier = make(fake)
    with FakeGHTKServer() as other:
        courier.base_url = other.url
    with pytest.raises(CourierError) as caught:
        courier.create(booking())
    assert caught.value.retryable and caught.value.code == "network"


def test_bad_token_is_not_retryable_and_carries_ghtk_message(fake):
    with pytest.raises(CourierError) as caught:
        make(fake, TOKEN="wrong").create(booking())
    assert not caught.value.retryable
    assert caught.value.code == "20101"
    assert str(caught.value) == "Token không hợp lệ"


def test_wrong_client_source_is_refused(fake):
    with pytest.raises(CourierError) as caught:
        make(fake, CLIENT_SOURCE="S000000").quote(ORIGIN, DESTINATION, PARCEL)
    assert not caught.value.retryable and caught.value.code == "20101"


def test_refused_order_is_not_retryable(fake):
    no_phone = Address("Nguyễn Văn An", "", "79", "26740", "12 Lê Lợi")
    request = BookingRequest("104271-2", ORIGIN, no_phone, PARCEL)

    with pytest.raises(CourierError) as caught:
        make(fake).create(request)
    assert not caught.value.retryable
    assert (caught.value.code, str(caught.value)) == ("10101", "Thiếu thông tin tel")
    assert fake.orders == {}


def test_unknown_transport_is_refused(fake):
    with pytest.raises(CourierError) as caught:
        make(fake).create(booking(service="boat"))
    assert not caught.value.retryable and caught.value.code == "30104"


def test_too_long_order_id_never_leaves(fake):
    with pytest.raises(CourierError) as caught:
        make(fake).create(booking(code="1" * 250))
    assert not caught.value.retryable
    assert fake.requests == []


# --- cancel --------------------------------------------------------------------------------------


def test_cancel_posts_the_label(fake):
    courier = make(fake)
    label = courier.create(booking()).tracking_code

    courier.cancel(label)

    assert fake.orders[label]["status"] == -1
    assert len(fake.calls("POST", f"/services/shipment/cancel/{label}")) == 1
    assert_authenticated(fake)


def test_cancel_twice_is_fine(fake):
    courier = make(fake)
    label = courier.create(booking()).tracking_code
    courier.cancel(label)

    courier.cancel(label)  # GHTK refuses; its status says cancelled: nothing to do

    assert fake.orders[label]["status"] == -1


def test_cancel_after_pickup_is_refused(fake):
    courier = make(fake)
    label = courier.create(booking()).tracking_code
    fake.set_status(label, 3)

    with pytest.raises(CourierError) as caught:
        courier.cancel(label)
    assert not caught.value.retryable
    assert str(caught.value) == "Không thể hủy đơn hàng ở trạng thái hiện tại"
    assert fake.orders[label]["status"] == 3


def test_cancel_unknown_label(fake):
    with pytest.raises(CourierError) as caught:
        make(fake).cancel("S1.A1.404")
    assert not caught.value.retryable and caught.value.code == "40102"


def test_cancel_on_5xx_is_retryable(fake):
    fake.fail_next("500")
    with pytest.raises(CourierError) as caught:
        make(fake).cancel("S1.A1.1")
    assert caught.value.retryable


# --- label ---------------------------------------------------------------------------------------


def test_label_is_ghtks_pdf(fake):
    courier = make(fake)
    label = courier.create(booking()).tracking_code

    document = courier.label([label])

    assert document.content_type == "application/pdf"
    assert document.content.startswith(b"%PDF-") and document.content.rstrip().endswith(b"%%EOF")
    assert label.encode() in document.content
    assert document.url == ""
    [call] = fake.calls("GET", f"/services/label/{label}")
    assert (call.param("original"), call.param("paper_size")) == ("portrait", "A6")
    assert_authenticated(fake)


def test_label_paper_options(fake):
    courier = make(fake, LABEL_PAPER_SIZE="A5", LABEL_ORIENTATION="landscape")
    label = courier.create(booking()).tracking_code

    assert b"A5" in courier.label([label]).content
    call = fake.calls("GET", f"/services/label/{label}")[0]
    assert (call.param("original"), call.param("paper_size")) == ("landscape", "A5")


def test_label_unknown_is_not_retryable(fake):
    with pytest.raises(CourierError) as caught:
        make(fake).label(["S1.A1.404"])
    assert not caught.value.retryable
    assert (caught.value.code, str(caught.value)) == ("40102", "Không tìm thấy vận đơn")


def test_label_on_5xx_is_retryable(fake):
    fake.fail_next("502_html")
    with pytest.raises(CourierError) as caught:
        make(fake).label(["S1.A1.1"])
    assert caught.value.retryable


def test_label_takes_one_parcel(fake):
    with pytest.raises(CourierError):
        make(fake).label(["S1.A1.1", "S1.A1.2"])
    assert fake.requests == []


# --- track ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status_id", "state", "settled"),
    [
        (2, states.AWAITING_PICKUP, False),
        (3, states.IN_TRANSIT, False),
        (5, states.DELIVERED, False),
        (6, states.DELIVERED, True),
        (-1, states.CANCELLED, False),
    ],
)
def test_track_maps_the_current_status(fake, status_id, state, settled):
    courier = make(fake)
    label = courier.create(booking()).tracking_code
    order = fake.set_status(label, status_id)

    [update] = courier.track(label)

    assert (update.courier, update.tracking_code, update.client_code) == (
        "ghtk",
        label,
        "104271-1",
    )
    assert (update.raw_status, update.state, update.cod_settled) == (str(status_id), state, settled)
    assert update.event_time == datetime.fromisoformat(order["modified"]).replace(tzinfo=VN)
    assert update.cod_amount == Decimal(262000)
    assert [c.path for c in fake.requests][-1] == f"/services/shipment/v2/{label}"
    assert_authenticated(fake)


def test_track_unknown_label(fake):
    with pytest.raises(CourierError) as caught:
        make(fake).track("S1.A1.404")
    assert not caught.value.retryable and caught.value.code == "40102"


def test_track_on_429_is_retryable(fake):
    fake.fail_next("429")
    with pytest.raises(CourierError) as caught:
        make(fake).track("S1.A1.1")
    assert caught.value.retryable


# --- webhook -------------------------------------------------------------------------------------


def hook(payload, *, secret=SECRET, content_type="application/json", courier=None):
    courier = courier or GHTK(TOKEN=TOKEN, WEBHOOK_SECRET=SECRET)
    if content_type == "application/x-www-form-urlencoded":
        body = FakeGHTK.form(payload)
    else:
        body = json.dumps(payload).encode()
    headers = {"Content-Type": content_type} if content_type else {}
    query = {"hash": secret} if secret is not None else {}
    return courier.parse_webhook(headers, query, body)


def event(status_id=5, **extra):
    return FakeGHTK.webhook("S1.A1.12345678", "104271-1", status_id, **extra)


def test_webhook_reads_the_documented_json():
    [update] = hook(event(5))

    assert update.courier == "ghtk"
    assert (update.tracking_code, update.client_code) == ("S1.A1.12345678", "104271-1")
    assert (update.raw_status, update.state) == ("5", states.DELIVERED)
    assert update.event_time == datetime(2026, 1, 3, 10, 15, tzinfo=VN)
    assert update.event_time.utcoffset() == timedelta(hours=7)
    assert update.cod_amount == Decimal(250000)
    assert not update.cod_settled and not update.provisional
    assert update.raw["label_id"] == "S1.A1.12345678"


def test_webhook_reads_the_form_encoded_sample():
    as_form = hook(event(3), content_type="application/x-www-form-urlencoded")
    as_json = hook(event(3))

    assert as_form == as_json
    assert as_form[0].state == states.IN_TRANSIT


@pytest.mark.parametrize("encode", [lambda p: json.dumps(p).encode(), FakeGHTK.form])
def test_webhook_without_content_type_is_sniffed(encode):
    courier = GHTK(WEBHOOK_SECRET=SECRET)

    [update] = courier.parse_webhook({}, {"hash": SECRET}, encode(event(4)))

    assert update.state == states.OUT_FOR_DELIVERY
    assert update.client_code == "104271-1"


@pytest.mark.parametrize(("status_id", "state"), sorted(STATES.items()))
def test_webhook_maps_each_status(status_id, state):
    [update] = hook(event(status_id))

    assert (update.raw_status, update.state, update.provisional) == (str(status_id), state, False)
    assert update.cod_settled is (status_id == 6)


def test_webhook_status_table_matches_the_spec():
    assert {s: STATES[s] for s in (1, 2, 12, 8)} == dict.fromkeys(
        (1, 2, 12, 8), states.AWAITING_PICKUP
    )
    assert STATES[7] == states.PICKUP_PROBLEM
    assert STATES[3] == states.IN_TRANSIT
    assert STATES[4] == STATES[10] == states.OUT_FOR_DELIVERY
    assert STATES[9] == states.DELIVERY_FAILED
    assert STATES[5] == STATES[6] == states.DELIVERED
    assert STATES[20] == states.RETURNING
    assert STATES[21] == STATES[11] == states.RETURNED
    assert STATES[-1] == states.CANCELLED
    assert STATES[13] == states.LOST_DAMAGED
    pickup, delivery = states.AWAITING_PICKUP, states.OUT_FOR_DELIVERY
    assert {
        123: pickup,
        127: pickup,
        128: pickup,
        45: delivery,
        49: delivery,
        410: delivery,
    } == REPORTS


@pytest.mark.parametrize(("status_id", "phase"), sorted(REPORTS.items()))
def test_shipper_reports_are_provisional_and_never_final(status_id, phase):
    [update] = hook(event(status_id))

    assert update.provisional
    assert update.state == phase
    assert update.state not in states.TERMINAL
    assert update.state not in (states.UNKNOWN, states.DELIVERY_FAILED)
    assert not update.cod_settled


def test_shipper_report_of_delivery_does_not_finish_a_parcel_out_for_delivery():
    [update] = hook(event(45))
    assert not states.may_move(states.OUT_FOR_DELIVERY, update.state)


def test_webhook_unknown_status_is_kept_as_unknown():
    [update] = hook(event(777))

    assert (update.raw_status, update.state, update.provisional) == ("777", states.UNKNOWN, False)


def test_webhook_description_has_meaning_and_reason():
    with translation.override("en"):
        [update] = hook(event(9, reason="Khách hẹn giao lại", reason_code="135"))
    assert update.description == "Could not deliver: Khách hẹn giao lại"
    assert update.state == states.DELIVERY_FAILED


@pytest.mark.parametrize(
    ("action_time", "expected"),
    [
        ("2026-01-03T10:15:00+07:00", datetime(2026, 1, 3, 10, 15, tzinfo=VN)),
        ("2026-01-03 10:15:00", datetime(2026, 1, 3, 10, 15, tzinfo=VN)),
        ("2026-01-03T03:15:00Z", datetime(2026, 1, 3, 10, 15, tzinfo=VN)),
    ],
)
def test_webhook_event_time(action_time, expected):
    [update] = hook(event(action_time=action_time))
    assert update.event_time == expected


def test_webhook_accepts_a_django_querydict():
    body = json.dumps(event(5)).encode()
    courier = GHTK(WEBHOOK_SECRET=SECRET)

    [update] = courier.parse_webhook(
        {"CONTENT_TYPE": "application/json"}, QueryDict(f"hash={SECRET}"), body
    )
    assert update.state == states.DELIVERED


@pytest.mark.parametrize("secret", [None, "", "wrong", SECRET + "x", SECRET.upper(), "đ"])
def test_webhook_bad_secret(secret):
    with pytest.raises(WebhookAuthError):
        hook(event(5), secret=secret)


def test_webhook_is_refused_when_no_secret_is_configured():
    with pytest.raises(WebhookAuthError):
        hook(event(5), secret="", courier=GHTK(WEBHOOK_SECRET=""))


def test_webhook_secret_is_checked_before_the_body():
    courier = GHTK(WEBHOOK_SECRET=SECRET)
    with pytest.raises(WebhookAuthError):
        courier.parse_webhook({}, {"hash": "wrong"}, b"\xff not even text")


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"", "application/json"),
        (b"{not json", "application/json"),
        (b"[1, 2]", "application/json"),
        (b'"text"', "application/json"),
        (b'{"status_id": NaN}', "application/json"),
        (b"\xff\xfe", "application/json"),
        (b"label_id", "application/x-www-form-urlencoded"),
        (b"{" + b"x" * 70_000, "application/json"),
        (b"[" * 5000 + b"]" * 5000, "application/json"),
    ],
)
def test_webhook_malformed_body(body, content_type):
    courier = GHTK(WEBHOOK_SECRET=SECRET)
    with pytest.raises(WebhookPayloadError):
        courier.parse_webhook({"Content-Type": content_type}, {"hash": SECRET}, body)


@pytest.mark.parametrize(
    "change",
    [
        {"status_id": "abc"},
        {"status_id": 5.0},
        {"status_id": True},
        {"status_id": [5]},
        {"status_id": None},
        {"status_id": 10**9},
        {"label_id": {"id": 1}},
        {"label_id": ""},
        {"label_id": None},
        {"label_id": "S" * 65},
        {"partner_id": ["104271-1"]},
        {"action_time": None},
        {"action_time": 1767410100},
        {"action_time": "yesterday"},
        {"pick_money": "lots"},
        {"pick_money": {"amount": 1}},
        {"fee": [30000]},
        {"weight": "heavy"},
        {"reason": 42.5},
    ],
)
def test_webhook_wrong_types(change):
    with pytest.raises(WebhookPayloadError):
        hook({**event(5), **change})


def test_webhook_missing_fields():
    payload = event(5)
    del payload["status_id"]
    with pytest.raises(WebhookPayloadError):
        hook(payload)


def test_webhook_form_values_are_strings():
    [update] = hook(
        event(-1, pick_money="0", fee="", weight="0.5"),
        content_type="application/x-www-form-urlencoded",
    )
    assert (update.raw_status, update.state, update.cod_amount) == ("-1", states.CANCELLED, 0)


def test_webhook_event_built_by_the_fake_round_trips(fake):
    """A booked order's webhook names the label and our code exactly as create returned them."""
    courier = make(fake)
    label = courier.create(booking()).tracking_code

    [update] = hook(fake.webhook(label, "104271-1", 6), courier=courier)

    assert (update.tracking_code, update.client_code, update.cod_settled) == (
        label,
        "104271-1",
        True,
    )
