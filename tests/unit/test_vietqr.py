"""VietQR payloads against the spec's published vectors (specs/vietqr.md section 10)."""

import io
from decimal import Decimal

import pytest

from payments.vietqr import (
    InvalidPayload,
    build_payload,
    crc16_ccitt_false,
    crc_hex,
    find_references,
    luhn_check_digit,
    luhn_valid,
    match_reference,
    normalise_bank_text,
    order_reference,
    parse_payload,
    qr_png,
    qr_svg,
    reference_order_number,
    tlv,
    validate_payload,
    vnd_amount,
)

V1 = (
    "00020101021238570010A00000072701270006970403011300110123456780208QRIBFTTA5303704"
    "54061800005802VN62340107NPS68690819thanh toan don hang63042E2E"
)
V5 = (
    "00020101021238560010A0000007270126000697041501121133666688880208QRIBFTTA5303704"
    "5405790005802VN62220818Ung Ho Quy Vac Xin63043ACF"
)
V7 = "00020101021138530010A0000007270123000697041601092576788590208QRIBFTTA53037045802VN6304AE9F"
V8 = (
    "00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA5303704"
    "5405100005802VN62150811Chuyen tien630453E6"
)
N2 = (
    "00020001021238570010A00000072701270006970436011308810004580860208QRIBFTTA53037045802VN6304CD60"
)

VECTORS = {"V1": V1, "V5": V5, "V7": V7, "V8": V8, "N2": N2}


# --- CRC -------------------------------------------------------------------------------------


def test_crc_check_value():
    assert crc16_ccitt_false(b"123456789") == 0x29B1
    assert crc_hex(b"123456789") == "29B1"


def test_crc_hex_is_zero_padded_upper_case():
    # Find a short input whose CRC has a leading zero nibble to prove the padding.
    for i in range(10000):
        data = str(i).encode()
        if crc16_ccitt_false(data) < 0x1000:
            assert crc_hex(data) == f"{crc16_ccitt_false(data):04X}"
            assert len(crc_hex(data)) == 4
            break
    else:
        pytest.fail("no small CRC found")


@pytest.mark.parametrize(
    ("name", "length", "crc"),
    [("V1", 142, "2E2E"), ("V5", 128, "3ACF"), ("V7", 90, "AE9F"), ("V8", 118, "53E6"),
     ("N2", 94, "CD60")],
)  # fmt: skip
def test_vector_lengths_and_crcs(name, length, crc):
    payload = VECTORS[name]
    assert len(payload) == length
    assert payload.endswith("6304" + crc)
    assert crc_hex(payload[:-4].encode("ascii")) == crc


def test_crc_must_include_6304():
    body = V8[:-8]
    assert crc_hex(body + "6304") == "53E6"
    assert crc_hex(body) == "D5C7"  # the pitfall value quoted in section 7


# --- Build: vectors byte for byte --------------------------------------------------------------


def test_build_v5():
    assert (
        build_payload(
            bin="970415", account="113366668888", amount=79000, reference="Ung Ho Quy Vac Xin"
        )
        == V5
    )


def test_build_v7_static():
    assert build_payload(bin="970416", account="257678859", amount=None, reference=None) == V7


def test_build_v8():
    assert (
        build_payload(bin="970416", account="257678859", amount=10000, reference="Chuyen tien")
        == V8
    )


def test_tag_62_fragment_for_order_reference():
    payload = build_payload(
        bin="970436", account="0011000000001", amount=250000, reference=order_reference(104271)
    )
    assert "62170813OCOP001042712" in payload
    assert "5406250000" in payload
    assert payload[:12] == "000201010212"


@pytest.mark.parametrize("length", [1, 9, 13, 19])
def test_tag_38_length_arithmetic(length):
    account = "1" * length
    payload = build_payload(bin="970416", account=account, amount=1, reference=None)
    parsed = parse_payload(payload)
    assert len(parsed.objects["38"]) == 44 + length
    assert f"01{14 + length:02d}0006970416" in parsed.objects["38"]


# --- Parse / validate the vectors ----------------------------------------------------------


def test_parse_v1():
    p = parse_payload(V1)
    assert (p.payload_format, p.initiation, p.guid) == ("01", "12", "A000000727")
    assert (p.bin, p.account, p.service) == ("970403", "0011012345678", "QRIBFTTA")
    assert (p.currency, p.amount, p.country) == ("704", 180000, "VN")
    assert (p.bill_number, p.purpose, p.crc) == ("NPS6869", "thanh toan don hang", "2E2E")
    assert len(p.objects["38"]) == 57 and len(p.objects["62"]) == 34
    assert p.bank.short_name == "Sacombank"
    assert p.is_dynamic


@pytest.mark.parametrize(
    ("payload", "bin", "account", "amount", "purpose", "initiation"),
    [
        (V5, "970415", "113366668888", 79000, "Ung Ho Quy Vac Xin", "12"),
        (V7, "970416", "257678859", None, None, "11"),
        (V8, "970416", "257678859", 10000, "Chuyen tien", "12"),
    ],
)
def test_parse_vectors(payload, bin, account, amount, purpose, initiation):
    p = parse_payload(payload)
    assert (p.bin, p.account, p.amount, p.purpose, p.initiation) == (
        bin,
        account,
        amount,
        purpose,
        initiation,
    )
    assert validate_payload(payload) == []


def test_n2_rejected_despite_correct_crc():
    assert crc_hex(N2[:-4]) == "CD60"
    with pytest.raises(InvalidPayload, match="payload format indicator"):
        parse_payload(N2)
    assert validate_payload(N2)


def test_crc_compared_case_insensitively():
    lower = V8[:-4] + V8[-4:].lower()
    assert parse_payload(lower).crc == "53E6"


# --- Round trips -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bin", "account", "amount", "reference"),
    [
        ("970436", "1234567890", 150000, "OCOP001042712"),
        ("970422", "0" * 19, 1, None),
        ("970405", "AB12CD", 10**13 - 1, "A"),
        ("970418", "9", None, None),
        ("970454", "123", None, "CHO OCOP"),
    ],
)
def test_round_trip(bin, account, amount, reference):
    payload = build_payload(bin=bin, account=account, amount=amount, reference=reference)
    assert payload.isascii()
    p = parse_payload(payload)
    assert (p.bin, p.account, p.amount, p.purpose) == (bin, account, amount, reference)
    assert p.initiation == ("11" if amount is None else "12")
    assert p.service == "QRIBFTTA"
    assert list(p.objects) == sorted(p.objects)  # ascending IDs, 63 last
    assert ("54" in p.objects) == (amount is not None)
    assert ("62" in p.objects) == (reference is not None)


# --- Invalid build inputs --------------------------------------------------------------------


GOOD = {"bin": "970436", "account": "1234567890", "amount": 1000, "reference": "OCOP001042712"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"bin": "97043"}, "6 digits"),
        ({"bin": "9704360"}, "6 digits"),
        ({"bin": "97043a"}, "6 digits"),
        ({"bin": "970406"}, "unknown bank BIN"),  # DongA: not in the vendored list
        ({"bin": "123456"}, "unknown bank BIN"),
        ({"account": "12345abc"}, "account"),
        ({"account": "1" * 20}, "account"),
        ({"account": ""}, "account"),
        ({"account": "1234 5678"}, "account"),
        ({"amount": 0}, "at least 1"),
        ({"amount": -5}, "at least 1"),
        ({"amount": 10**13}, "13 digits"),
        ({"amount": 1000.0}, "int"),
        ({"amount": Decimal("1000.00")}, "int"),
        ({"amount": True}, "int"),
        ({"reference": "Đơn hàng 1"}, "ASCII"),
        ({"reference": "OCOP.001042712"}, "ASCII"),
        ({"reference": "A" * 20}, "at most 19"),
        ({"reference": ""}, "non-empty"),
        ({"service": "QRPUSH"}, "service"),
    ],
)
def test_build_rejects(change, message):
    with pytest.raises(ValueError, match=message):
        build_payload(**{**GOOD, **change})


def test_tlv_rejects_empty_and_long_values():
    with pytest.raises(ValueError):
        tlv("08", "")
    with pytest.raises(ValueError):
        tlv("08", "x" * 100)
    assert tlv("08", "x" * 99).startswith("0899")


def test_vnd_amount_rounds_half_up():
    assert vnd_amount(Decimal("250000.00")) == 250000
    assert vnd_amount(Decimal("1000.50")) == 1001
    assert vnd_amount(Decimal("1000.49")) == 1000


# --- Invalid payloads ------------------------------------------------------------------------


def _with_crc(body_without_crc: str) -> str:
    body = body_without_crc + "6304"
    return body + crc_hex(body)


B7 = V7[:-8]  # V7 without "6304" and its CRC


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (V8[:-1] + ("1" if V8[-1] == "0" else "0"), "CRC mismatch"),
        (V8[:-4] + "ZZZZ", "6304"),
        (V8[:-8], "6304"),
        ("", "too short"),
    ],
)
def test_parse_rejects_bad_crc(payload, message):
    with pytest.raises(InvalidPayload, match=message):
        parse_payload(payload)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (B7.replace("5802VN", "5802US"), "country"),
        (B7.replace("5303704", "5303840"), "currency"),
        (B7.replace("010211", "010213"), "must be 11 or 12"),
        (B7.replace("A000000727", "A000000728"), "38-00"),
        (B7.replace("QRIBFTTA", "QRPUSHXX"), "38-02"),
        (B7.replace("0123", "0122"), "38"),  # nested template shorter than declared
        (B7 + "5400", "length 00"),
        (B7 + "54010", "amount"),
        (B7 + "5402x1", "amount"),
        (B7 + "54141" + "0" * 13, "amount"),
        (B7 + "5301X", "duplicate"),
        (B7 + "6299", "truncated"),
        (B7 + "62300826" + "A" * 26, "62-08"),
        (B7.replace("5303704", "53037"), "truncated|bad ID"),
    ],
)
def test_parse_rejects(body, message):
    payload = _with_crc(body)
    with pytest.raises(InvalidPayload, match=message):
        parse_payload(payload)
    assert validate_payload(payload)


def test_parse_rejects_missing_38_and_crc_not_last():
    no38 = _with_crc("000201010211" + "5303704" + "5802VN")
    with pytest.raises(InvalidPayload, match="38"):
        parse_payload(no38)


def test_parse_skips_unknown_ids_and_accepts_any_order():
    # Tag 80 (a wallet's unreserved template) and reordered 58/53 must still parse.
    body = V8[:-8].replace("53037045405100005802VN", "5802VN5405100005303704") + "8006ABCDEF"
    p = parse_payload(_with_crc(body))
    assert p.amount == 10000 and p.objects["80"] == "ABCDEF"


# --- Order references (6.3 / 6.4) ---------------------------------------------------------


def test_luhn():
    assert luhn_check_digit("00104271") == "2"
    assert luhn_check_digit("7992739871") == "3"  # the textbook Luhn example
    assert luhn_valid("001042712")
    assert not luhn_valid("001042713")


def test_order_reference_format():
    assert order_reference(104271) == "OCOP001042712"
    assert order_reference("104271") == "OCOP001042712"
    assert order_reference("00104271") == "OCOP001042712"
    assert order_reference(1, prefix="HTX") == "HTX000000018"
    ref = order_reference(99999999)
    assert len(ref) == 13 and ref.isalnum() and ref.isupper()
    assert reference_order_number("OCOP001042712") == "104271"


@pytest.mark.parametrize(
    ("order_number", "prefix"),
    [(100000000, "OCOP"), ("12a", "OCOP"), (-1, "OCOP"), ("", "OCOP"), (1, "ocop"), (1, "O"),
     (1, "OCOPXX"), (1, "OC0P")],
)  # fmt: skip
def test_order_reference_rejects(order_number, prefix):
    with pytest.raises(ValueError):
        order_reference(order_number, prefix=prefix)


def test_every_reference_round_trips_through_the_matcher():
    for n in (1, 42, 104271, 100001, 99999999):
        ref = order_reference(n)
        assert find_references(f"CT tu 123 toi 456 {ref} cam on") == [ref]


def test_normalise_bank_text():
    assert normalise_bank_text("Đơn hàng ocop.0010 4271-2") == "DONHANGOCOP001042712"


REF = "OCOP001042712"


@pytest.mark.parametrize(
    "text",
    [
        "OCOP001042712",
        "MBVCB.5512345678.OCOP001042712.CT tu 9876543210 NGUYEN VAN A toi 1234567890",
        "OCOP0010 42712",  # bank inserted a space
        "OCOP00104 2712 chuyen khoan",
        "OCOP.001.042.712",  # dots
        "ocop001042712",  # lower case
        "Ocop 001042712",
        "Thanh toán đơn hàng OCOP001042712 – Nguyễn Văn Á",  # diacritics around
        "ÔCÔP001042712",  # diacritics on the reference itself
        "IBFT OCOP001042712 FT24123456789",  # bank prefix and suffix
        "OCOP0010427125512345678",  # digits glued after: fixed length wins
        "12345OCOP001042712",  # digits glued before
        "OCOP001042712 OCOP001042712",  # the same reference twice is one reference
        "ＯＣＯＰ００１０４２７１２",  # full-width characters from some keyboards
    ],
)
def test_matcher_finds_reference(text):
    assert find_references(text) == [REF]
    assert match_reference(text) == REF


def test_matcher_two_references_need_review():
    other = order_reference(104272)
    text = f"OCOP001042712 va {other}"
    assert find_references(text) == [REF, other]
    assert match_reference(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "OCOP001042713",  # wrong check digit
        "OCOP001042721",  # transposed digits
        "OCOP00104271",  # truncated
        "chuyen tien",
        "",
        "HTX001042712",  # another prefix
    ],
)
def test_matcher_rejects(text):
    assert find_references(text) == []
    assert match_reference(text) is None


def test_matcher_custom_prefix():
    ref = order_reference(104271, prefix="HTX")
    assert find_references(f"ND: {ref.lower()}", prefix="HTX") == [ref]
    assert find_references(ref) == []


# --- QR images -------------------------------------------------------------------------------


@pytest.mark.parametrize("payload", [V7, V8, V5])
def test_png_decodes_back_to_payload(payload):
    zxingcpp = pytest.importorskip("zxingcpp", reason="zxing-cpp is needed to decode QR images")
    from PIL import Image

    png = qr_png(payload)
    assert png.startswith(b"\x89PNG")
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert [r.text for r in results] == [payload]
    assert results[0].format == zxingcpp.BarcodeFormat.QRCode
    assert "M" in results[0].ec_level


def test_png_of_built_order_payload():
    zxingcpp = pytest.importorskip("zxingcpp", reason="zxing-cpp is needed to decode QR images")
    from PIL import Image

    payload = build_payload(
        bin="970436", account="1234567890", amount=1250000, reference=order_reference(104271)
    )
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr_png(payload, box_size=4))))
    assert [r.text for r in results] == [payload]


def test_svg():
    svg = qr_svg(V8)
    assert svg.lstrip().startswith(("<svg", "<?xml"))
    assert "</svg>" in svg
