"""SePay and Casso webhook verification/parsing against the spec's examples and hostile input.

Signatures are built here from the spec's text (bank-transfer-webhooks.md 2.4 and 3.3), not with
the module's helpers, so a wrong helper cannot agree with itself.
"""

import contextlib
import hashlib
import hmac
import json
import random
from datetime import UTC, datetime

import pytest

from payments.bank_webhooks import (
    IN,
    OUT,
    WebhookAuthError,
    WebhookPayloadError,
    parse_casso,
    parse_sepay,
    verify_casso,
    verify_sepay,
)

SEPAY_SAMPLE = {
    "id": 4271001,
    "gateway": "BIDV",
    "transactionDate": "2026-01-01 09:00:00",
    "accountNumber": "1234567890",
    "code": "OCOP001042712",
    "content": "OCOP001042712 chuyen tien",
    "transferType": "in",
    "transferAmount": 250000,
    "accumulated": 5250000,
    "subAccount": None,
    "referenceCode": "FT26001A1B2C3",
    "description": "BankAPINotify OCOP001042712 chuyen tien",
}
SEPAY_BODY = json.dumps(SEPAY_SAMPLE, indent=2).encode()
SEPAY_SECRET = "sepay-test-secret"
SEPAY_KEY = "sepay-api-key-123"

# Spec 3.3 test vector, verbatim (the body bytes are what Casso would send; whitespace is free).
CASSO_BODY = (
    b'{"error": 0, "data": {"id": 880011, "reference": "FT26001A1B2C3",\n'
    b' "description": "MBVCB.5512345678.OCOP001042712.CT tu 9876543210 NGUYEN VAN A toi '
    b'1234567890",\n "amount": 250000, "runningBalance": 5250000, "transactionDateTime": '
    b'"2026-01-01 09:00:00",\n "accountNumber": "1234567890", "bankName": "BIDV", '
    b'"bankAbbreviation": "BIDV",\n "virtualAccountNumber": "", "virtualAccountName": "", '
    b'"counterAccountName": "NGUYEN VAN A",\n "counterAccountNumber": "9876543210", '
    b'"counterAccountBankId": "970436",\n "counterAccountBankName": "Vietcombank"}}'
)
CASSO_KEY = "casso-example-checksum-key-0001"
CASSO_T = "1767232800000"
CASSO_HEADER = (
    "t=1767232800000,v1=685259a906bd6c3e63f37568088c0aa53f0299ca7a922ddbe378ea49c7987f63bc8db1a"
    "456ddd29833a8d295f5f5ff7ce41541dbc664009678f6df7b6bf0e633"
)
CASSO_NOW = 1767232800.0
VN = "+07:00"


def sepay_sig(secret, timestamp, body):
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def casso_header(key, t, document, *, ensure_ascii=False):
    canonical = json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=ensure_ascii
    )
    digest = hmac.new(key.encode(), f"{t}.{canonical}".encode(), hashlib.sha512).hexdigest()
    return f"t={t},v1={digest}"


# --- SePay ---------------------------------------------------------------------------------------


def test_sepay_parses_spec_example():
    transfer = parse_sepay(SEPAY_BODY)
    assert transfer.provider == "sepay"
    assert transfer.event_id == "4271001"
    assert transfer.account_number == "1234567890"
    assert transfer.amount == 250000
    assert transfer.direction == IN and transfer.is_incoming
    assert transfer.content == "OCOP001042712 chuyen tien"
    assert transfer.payment_code == "OCOP001042712"
    assert transfer.bank_reference == "FT26001A1B2C3"
    assert transfer.sub_account is None
    assert transfer.occurred_at.isoformat() == "2026-01-01T09:00:00" + VN
    assert transfer.raw["accumulated"] == 5250000


def test_sepay_replay_gives_same_event_id():
    assert parse_sepay(SEPAY_BODY) == parse_sepay(SEPAY_BODY)
    assert (
        parse_sepay(SEPAY_BODY).event_id == parse_sepay(json.dumps(SEPAY_SAMPLE).encode()).event_id
    )


def test_sepay_outgoing_is_parsed_but_flagged():
    transfer = parse_sepay(json.dumps({**SEPAY_SAMPLE, "transferType": "out"}).encode())
    assert transfer.direction == OUT
    assert not transfer.is_incoming


@pytest.mark.parametrize(
    "change",
    [
        {"transferAmount": -1},
        {"transferAmount": 250000.5},
        {"transferAmount": "250000"},
        {"transferAmount": True},
        {"transferAmount": 10**30},
        {"transferType": "sideways"},
        {"id": None},
        {"id": "abc"},
        {"accountNumber": 1234567890},
        {"transactionDate": "01/01/2026"},
        {"transactionDate": None},
    ],
)
def test_sepay_rejects_bad_fields(change):
    with pytest.raises(WebhookPayloadError):
        parse_sepay(json.dumps({**SEPAY_SAMPLE, **change}).encode())


def test_sepay_apikey_ok():
    headers = {"Authorization": f"Apikey {SEPAY_KEY}", "Content-Type": "application/json"}
    assert verify_sepay(headers, SEPAY_BODY, api_key=SEPAY_KEY) == "apikey"
    assert verify_sepay({"authorization": f"apikey {SEPAY_KEY}"}, SEPAY_BODY, api_key=SEPAY_KEY)


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Apikey wrong"},
        {"Authorization": f"Bearer {SEPAY_KEY}"},
        {"Authorization": SEPAY_KEY},
        {"Authorization": "Apikey "},
        {"Authorization": "Apikey ключ"},
    ],
)
def test_sepay_apikey_rejected(headers):
    with pytest.raises(WebhookAuthError):
        verify_sepay(headers, SEPAY_BODY, api_key=SEPAY_KEY)


def test_sepay_without_credentials_refuses():
    with pytest.raises(WebhookAuthError):
        verify_sepay({"Authorization": "Apikey x"}, SEPAY_BODY)


@pytest.mark.parametrize("prefix", ["sha256=", ""])
@pytest.mark.parametrize(
    ("timestamp", "now"), [("1767232800", 1767232800.0), ("1767232800000", 1767232900.0)]
)
def test_sepay_hmac_ok(prefix, timestamp, now):
    headers = {
        "X-SePay-Signature": prefix + sepay_sig(SEPAY_SECRET, timestamp, SEPAY_BODY),
        "X-SePay-Timestamp": timestamp,
    }
    assert verify_sepay(headers, SEPAY_BODY, hmac_secret=SEPAY_SECRET, now=now) == "hmac"


def test_sepay_hmac_accepts_datetime_now():
    ts = "1767232800"
    headers = {
        "X-SePay-Signature": sepay_sig(SEPAY_SECRET, ts, SEPAY_BODY),
        "X-SePay-Timestamp": ts,
    }
    now = datetime(2026, 1, 1, 2, 4, tzinfo=UTC)  # 4 minutes later
    assert verify_sepay(headers, SEPAY_BODY, hmac_secret=SEPAY_SECRET, now=now) == "hmac"


@pytest.mark.parametrize(
    ("signature", "timestamp", "body", "now"),
    [
        ("sha256=" + "0" * 64, "1767232800", SEPAY_BODY, 1767232800.0),  # wrong signature
        (None, "1767232800", SEPAY_BODY, 1767232800.0 + 301),  # stale
        (None, "1767232800", SEPAY_BODY, 1767232800.0 - 301),  # future
        (None, "1767232800", SEPAY_BODY + b" ", 1767232800.0),  # body altered
        (None, "", SEPAY_BODY, 1767232800.0),
        (None, "abc", SEPAY_BODY, 1767232800.0),
        (None, "１７６７２３２８００", SEPAY_BODY, 1767232800.0),
        ("sha256=é", "1767232800", SEPAY_BODY, 1767232800.0),
    ],
)
def test_sepay_hmac_rejected(signature, timestamp, body, now):
    good = sepay_sig(SEPAY_SECRET, "1767232800", SEPAY_BODY)
    headers = {"X-SePay-Signature": signature or good, "X-SePay-Timestamp": timestamp}
    with pytest.raises(WebhookAuthError):
        verify_sepay(headers, body, hmac_secret=SEPAY_SECRET, now=now)


def test_sepay_hmac_other_secret_and_missing_timestamp():
    ts = "1767232800"
    headers = {"X-SePay-Signature": sepay_sig("other", ts, SEPAY_BODY), "X-SePay-Timestamp": ts}
    with pytest.raises(WebhookAuthError):
        verify_sepay(headers, SEPAY_BODY, hmac_secret=SEPAY_SECRET, now=1767232800.0)
    with pytest.raises(WebhookAuthError):
        verify_sepay({"X-SePay-Signature": "x"}, SEPAY_BODY, hmac_secret=SEPAY_SECRET)
    with pytest.raises(WebhookAuthError):  # HMAC configured, nothing sent, no API key fallback
        verify_sepay({}, SEPAY_BODY, hmac_secret=SEPAY_SECRET)


# --- Casso v2 ------------------------------------------------------------------------------------


def test_casso_v2_spec_vector_verifies():
    headers = {"X-Casso-Signature": CASSO_HEADER}
    assert verify_casso(headers, CASSO_BODY, checksum_key=CASSO_KEY, now=CASSO_NOW) == "v2"


def test_casso_v2_independent_signature_matches_spec_vector():
    assert casso_header(CASSO_KEY, CASSO_T, json.loads(CASSO_BODY)) == CASSO_HEADER


def test_casso_v2_parses_spec_vector():
    [transfer] = parse_casso(CASSO_BODY)
    assert transfer.provider == "casso"
    assert transfer.event_id == "880011"
    assert transfer.amount == 250000 and transfer.direction == IN and transfer.is_incoming
    assert transfer.account_number == "1234567890"
    assert transfer.bank_reference == "FT26001A1B2C3"
    assert "OCOP001042712" in transfer.content
    assert transfer.sub_account is None
    assert transfer.occurred_at.isoformat() == "2026-01-01T09:00:00" + VN
    assert parse_casso(CASSO_BODY)[0].event_id == transfer.event_id  # replay: same key


@pytest.mark.parametrize("ensure_ascii", [True, False])
def test_casso_v2_vietnamese_text_both_encodings(ensure_ascii):
    document = json.loads(CASSO_BODY)
    document["data"]["description"] = "Thanh toán đơn OCOP001042712 / cảm ơn"
    body = json.dumps(document, ensure_ascii=False).encode()
    header = casso_header(CASSO_KEY, CASSO_T, document, ensure_ascii=ensure_ascii)
    assert verify_casso({"X-Casso-Signature": header}, body, checksum_key=CASSO_KEY, now=CASSO_NOW)


def test_casso_v2_php_escaped_slash():
    document = json.loads(CASSO_BODY)
    document["data"]["description"] = "đơn OCOP001042712 / cảm ơn"
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":")).replace("/", "\\/")
    digest = hmac.new(
        CASSO_KEY.encode(), f"{CASSO_T}.{canonical}".encode(), hashlib.sha512
    ).hexdigest()
    headers = {"X-Casso-Signature": f"t={CASSO_T},v1={digest}"}
    body = json.dumps(document).encode()
    assert verify_casso(headers, body, checksum_key=CASSO_KEY, now=CASSO_NOW) == "v2"


def test_casso_v2_outgoing_negative_amount():
    document = json.loads(CASSO_BODY)
    document["data"]["amount"] = -250000
    [transfer] = parse_casso(json.dumps(document).encode())
    assert transfer.direction == OUT and transfer.amount == 250000 and not transfer.is_incoming


@pytest.mark.parametrize(
    ("header", "body", "now", "kwargs"),
    [
        (CASSO_HEADER, CASSO_BODY.replace(b"250000", b"250001"), CASSO_NOW, {}),
        (CASSO_HEADER.replace("v1=6", "v1=7"), CASSO_BODY, CASSO_NOW, {}),
        (CASSO_HEADER.replace("t=1767232800000", "t=1767232800001"), CASSO_BODY, CASSO_NOW, {}),
        (CASSO_HEADER, CASSO_BODY, CASSO_NOW - 301, {}),  # t more than 5 min in the future
        (CASSO_HEADER, CASSO_BODY, CASSO_NOW + 3600, {"max_age": 600}),  # stale, when configured
        ("v1=abc", CASSO_BODY, CASSO_NOW, {}),
        ("t=abc,v1=abc", CASSO_BODY, CASSO_NOW, {}),
        ("", CASSO_BODY, CASSO_NOW, {}),
        ("t=1767232800000,v1=ä", CASSO_BODY, CASSO_NOW, {}),
    ],
)
def test_casso_v2_rejected(header, body, now, kwargs):
    with pytest.raises(WebhookAuthError):
        verify_casso({"X-Casso-Signature": header}, body, checksum_key=CASSO_KEY, now=now, **kwargs)


def test_casso_v2_old_t_accepted_without_max_age():
    headers = {"X-Casso-Signature": CASSO_HEADER}
    assert verify_casso(headers, CASSO_BODY, checksum_key=CASSO_KEY, now=CASSO_NOW + 86400)


def test_casso_v2_wrong_key_and_missing_header():
    with pytest.raises(WebhookAuthError):
        verify_casso({"X-Casso-Signature": CASSO_HEADER}, CASSO_BODY, checksum_key="x")
    with pytest.raises(WebhookAuthError):
        verify_casso({}, CASSO_BODY, checksum_key=CASSO_KEY)


def test_casso_v2_signed_garbage_is_payload_error():
    with pytest.raises(WebhookPayloadError):
        verify_casso(
            {"X-Casso-Signature": CASSO_HEADER}, b"not json", checksum_key=CASSO_KEY, now=CASSO_NOW
        )


# --- Casso legacy --------------------------------------------------------------------------------

LEGACY = {
    "error": 0,
    "data": [
        {
            "id": 101,
            "tid": "FT26001AAAA",
            "description": "OCOP001042712 thanh toan",
            "amount": 250000,
            "cusum_balance": 5250000,
            "when": "2026-01-01 09:00:00",
            "bank_sub_acc_id": "1234567890",
            "subAccId": "1234567890",
        },
        {
            "id": 102,
            "tid": "FT26001BBBB",
            "description": "rut tien",
            "amount": -50000,
            "cusum_balance": 5200000,
            "when": "2026-01-01 09:05:00",
            "bank_sub_acc_id": "1234567890",
            "subAccId": "1234567890",
        },
    ],
}
LEGACY_BODY = json.dumps(LEGACY).encode()


def test_casso_legacy_token():
    assert verify_casso({"secure-token": "tok"}, LEGACY_BODY, secure_token="tok") == "legacy"
    assert verify_casso({"Secure-Token": "tok"}, LEGACY_BODY, secure_token="tok") == "legacy"
    for headers in ({}, {"secure-token": "TOK"}, {"secure-token": ""}, {"secure-token": "ток"}):
        with pytest.raises(WebhookAuthError):
            verify_casso(headers, LEGACY_BODY, secure_token="tok")
    with pytest.raises(WebhookAuthError):
        verify_casso({"secure-token": "tok"}, LEGACY_BODY)


def test_casso_legacy_batch():
    first, second = parse_casso(LEGACY_BODY)
    assert (first.event_id, first.amount, first.direction) == ("101", 250000, IN)
    assert first.bank_reference == "FT26001AAAA" and first.account_number == "1234567890"
    assert (second.event_id, second.amount, second.direction) == ("102", 50000, OUT)
    assert not second.is_incoming
    assert [t.event_id for t in parse_casso(LEGACY_BODY)] == ["101", "102"]
    assert parse_casso(b'{"error":0,"data":[]}') == []


@pytest.mark.parametrize(
    "body",
    [
        b'{"error":1,"data":[]}',
        b'{"error":0}',
        b'{"error":0,"data":"x"}',
        b'{"error":0,"data":[1]}',
        b'{"error":0,"data":[{"id":1}]}',
        b'{"error":0,"data":{"id":1,"amount":1.5}}',
    ],
)
def test_casso_bad_bodies(body):
    with pytest.raises(WebhookPayloadError):
        parse_casso(body)


# --- hostile input -------------------------------------------------------------------------------


def hostile_bodies():
    rng = random.Random(20261127)
    bodies = [
        b"",
        b"null",
        b"[]",
        b"0",
        b'"x"',
        b"\xff\xfe\x00",
        b"NaN",
        b'{"id": NaN}',
        b'{"transferAmount": Infinity}',
        b"[" * 100_000 + b"]" * 100_000,
        b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
        b'{"data":' + b"[" * 5000 + b"]" * 5000 + b"}",
        b'{"id": ' + b"9" * 5000 + b"}",
        b'{"error":0,"data":{"amount":' + b"9" * 5000 + b"}}",
        b'{"error":0,"data":{"amount":1e999999}}',
        b"x" * 2_000_000,
        b'{"error":0,"data":{"id":1,"description":"\\ud800","x":"\\udfff/"}}',
        b'{"content":"\\ud800","transferType":"in"}',
        '{"content": "\ud800"}'.encode("utf-8", "surrogatepass"),
    ]
    for _ in range(300):
        bodies.append(rng.randbytes(rng.randint(0, 200)))
    values = [None, True, -1, 0, 1.5, 10**40, "", "x", [], {}, [1, {"a": None}], "in"]
    for _ in range(300):
        sepay = {k: rng.choice(values + [v]) for k, v in SEPAY_SAMPLE.items()}
        bodies.append(json.dumps(sepay).encode())
        casso = json.loads(CASSO_BODY)
        casso["data"] = {k: rng.choice(values + [v]) for k, v in casso["data"].items()}
        bodies.append(json.dumps(casso).encode())
        legacy = {
            "error": rng.choice([0, 0, 1, None]),
            "data": [{k: rng.choice(values + [v]) for k, v in LEGACY["data"][0].items()}],
        }
        bodies.append(json.dumps(legacy).encode())
    return bodies


def test_hostile_bodies_raise_only_webhook_errors():
    sepay_headers = {"X-SePay-Signature": "sha256=00", "X-SePay-Timestamp": "1767232800"}
    casso_headers = {"X-Casso-Signature": CASSO_HEADER, "secure-token": "tok"}
    for body in hostile_bodies():
        for call in (
            lambda b: parse_sepay(b),
            lambda b: parse_casso(b),
            lambda b: verify_sepay(sepay_headers, b, hmac_secret="s", now=1767232800.0),
            lambda b: verify_sepay({"Authorization": "Apikey k"}, b, api_key="k"),
            lambda b: verify_casso(casso_headers, b, checksum_key=CASSO_KEY, now=CASSO_NOW),
        ):
            with contextlib.suppress(WebhookAuthError, WebhookPayloadError):
                call(body)  # anything else propagates and fails the test


def test_hostile_headers_raise_only_auth_errors():
    rng = random.Random(7)
    for _ in range(300):
        junk = "".join(chr(rng.randint(0, 0x10FFFF) % 0xD800) for _ in range(rng.randint(0, 40)))
        for headers in (
            {"X-SePay-Signature": junk, "X-SePay-Timestamp": junk},
            {"Authorization": junk},
            {"X-Casso-Signature": junk, "secure-token": junk},
            {"X-Casso-Signature": f"t={junk},v1={junk}"},
            {"X-SePay-Signature": junk, "X-SePay-Timestamp": str(rng.randint(0, 10**20))},
            {"X-Casso-Signature": f"t={rng.randint(0, 10**20)},v1={junk}"},
        ):
            for call in (
                lambda h: verify_sepay(h, SEPAY_BODY, api_key="k", hmac_secret="s"),
                lambda h: verify_casso(h, CASSO_BODY, checksum_key="k", secure_token="t"),
            ):
                with pytest.raises(WebhookAuthError):
                    call(headers)
