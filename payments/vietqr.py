"""VietQR (NAPAS 247) transfer payloads: build, parse, order references and QR images.

Implements ../shared/specs/vietqr.md in plain Python so it can be tested against the published
vectors (section 10) without a database.

Payload (section 9): EMVCo MPM TLV, ascending IDs: ``00``=``01``, ``01``=``12`` (dynamic, with an
amount) or ``11`` (static, no amount), ``38`` = NAPAS template (GUID ``A000000727``, BIN, account,
service ``QRIBFTTA``), ``53``=``704``, ``54`` = whole dong, ``58``=``VN``, ``62-08`` = memo, and
``63`` = CRC-16/CCITT-FALSE over everything up to and including ``6304``. Output is ASCII only, so
characters equal bytes and every bank app reads the lengths the same way.

Order reference (section 6.3): ``<PREFIX>`` (2-5 upper-case letters, ``OCOP`` by default) +
order number zero-padded to 8 digits + 1 Luhn check digit, e.g. order 104271 -> ``OCOP001042712``.
Banks wrap, split and re-case the memo, so the receiving side (6.4) folds diacritics (incl.
Đ -> D), keeps only A-Z0-9, finds ``<PREFIX>[0-9]{9}`` and keeps the candidates passing Luhn.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from payments.banks import BY_BIN, Bank

NAPAS_GUID = "A000000727"
SERVICE_ACCOUNT = "QRIBFTTA"
SERVICE_CARD = "QRIBFTTC"
SERVICES = (SERVICE_ACCOUNT, SERVICE_CARD)
CURRENCY_VND = "704"
COUNTRY_VN = "VN"
STATIC = "11"
DYNAMIC = "12"
MAX_AMOUNT_DIGITS = 13  # EMVCo tag 54 length limit; VND has no decimals
MAX_MEMO = 19  # api.vietqr.vn's documented safe limit (EMVCo allows 25)
MAX_PURPOSE = 25  # EMVCo limit on 62-08, enforced when parsing foreign codes
DEFAULT_PREFIX = "OCOP"

_ACCOUNT_RE = re.compile(r"[0-9A-Z]{1,19}")
_MEMO_RE = re.compile(r"[A-Za-z0-9 ]+")
_PREFIX_RE = re.compile(r"[A-Z]{2,5}")
_HEX4_RE = re.compile(r"[0-9A-Fa-f]{4}")


class InvalidPayload(ValueError):
    """A string that is not a valid VietQR transfer payload."""


# --- CRC ---------------------------------------------------------------------------------------


def crc16_ccitt_false(data: bytes) -> int:
    """CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final XOR), EMVCo tag 63."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) & 0xFFFF if crc & 0x8000 else (crc << 1) & 0xFFFF
    return crc


def crc_hex(data: bytes | str) -> str:
    """The CRC as tag 63 carries it: 4 upper-case, zero-padded hex digits."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    return f"{crc16_ccitt_false(data):04X}"


# --- Build -------------------------------------------------------------------------------------


def tlv(tag: str, value: str) -> str:
    """One EMVCo data object; lengths are two decimal digits, so 1-99 characters only."""
    if not (len(tag) == 2 and tag.isdigit()):
        raise ValueError(f"tag must be two digits, got {tag!r}")
    if not 1 <= len(value) <= 99:
        raise ValueError(f"value of tag {tag} must be 1-99 characters, got {len(value)}")
    return f"{tag}{len(value):02d}{value}"


def vnd_amount(total: Decimal | int | str) -> int:
    """Whole dong from an Oscar Decimal total (round half up), as tag 54 needs it."""
    return int(Decimal(total).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _check_bin(bin: str) -> Bank:
    if not (isinstance(bin, str) and len(bin) == 6 and bin.isascii() and bin.isdigit()):
        raise ValueError(f"BIN must be exactly 6 digits, got {bin!r}")
    bank = BY_BIN.get(bin)
    if bank is None:
        raise ValueError(f"unknown bank BIN {bin!r} (not in payments.banks)")
    return bank


def _check_account(account: str) -> None:
    if not (isinstance(account, str) and _ACCOUNT_RE.fullmatch(account)):
        raise ValueError(
            f"account must be 1-19 characters of digits or upper-case letters, got {account!r}"
        )


def _check_amount(amount: int) -> None:
    # bool is an int subclass; Decimal/float are refused so rounding is always explicit.
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise ValueError(f"amount must be an int of whole dong (see vnd_amount), got {amount!r}")
    if amount < 1:
        raise ValueError(f"amount must be at least 1 dong, got {amount}")
    if len(str(amount)) > MAX_AMOUNT_DIGITS:
        raise ValueError(f"amount must have at most {MAX_AMOUNT_DIGITS} digits, got {amount}")


def _check_reference(reference: str) -> None:
    if not isinstance(reference, str) or not reference:
        raise ValueError(f"reference must be a non-empty string, got {reference!r}")
    if len(reference) > MAX_MEMO:
        raise ValueError(f"reference must be at most {MAX_MEMO} characters, got {len(reference)}")
    if not _MEMO_RE.fullmatch(reference):
        raise ValueError(
            "reference may contain only ASCII letters, digits and spaces "
            f"(no diacritics or punctuation), got {reference!r}"
        )


def build_payload(
    *,
    bin: str,
    account: str,
    amount: int | None,
    reference: str | None,
    service: str = SERVICE_ACCOUNT,
) -> str:
    """Build a VietQR payload (spec section 9): dynamic when ``amount`` is given, else static.

    A static code may still carry a fixed memo (spec section 8); pass ``reference=None`` to
    omit tag 62 entirely.
    """
    _check_bin(bin)
    _check_account(account)
    if service not in SERVICES:
        raise ValueError(f"service must be one of {SERVICES}, got {service!r}")
    if amount is not None:
        _check_amount(amount)
    if reference is not None:
        _check_reference(reference)

    beneficiary = tlv("00", bin) + tlv("01", account)
    t38 = tlv("00", NAPAS_GUID) + tlv("01", beneficiary) + tlv("02", service)
    body = tlv("00", "01") + tlv("01", STATIC if amount is None else DYNAMIC)
    body += tlv("38", t38) + tlv("53", CURRENCY_VND)
    if amount is not None:
        body += tlv("54", str(amount))
    body += tlv("58", COUNTRY_VN)
    if reference is not None:
        body += tlv("62", tlv("08", reference))
    body += "6304"
    return body + crc_hex(body.encode("ascii"))


# --- Parse / validate ------------------------------------------------------------------------


@dataclass(frozen=True)
class VietQRPayload:
    """The fields of a parsed transfer code; ``objects`` keeps every root object, unknown too."""

    payload_format: str
    initiation: str | None
    guid: str
    bin: str
    account: str
    service: str
    currency: str
    amount: int | None
    country: str
    bill_number: str | None
    purpose: str | None
    crc: str
    objects: dict[str, str] = field(default_factory=dict)
    additional: dict[str, str] = field(default_factory=dict)

    @property
    def is_dynamic(self) -> bool:
        return self.initiation == DYNAMIC

    @property
    def bank(self) -> Bank | None:
        return BY_BIN.get(self.bin)


def parse_tlv(text: str, where: str = "payload") -> dict[str, str]:
    """Split a TLV sequence into {id: value}, keeping order; must consume exactly all of it."""
    objects: dict[str, str] = {}
    pos = 0
    while pos < len(text):
        head = text[pos : pos + 4]
        if len(head) < 4 or not (head.isascii() and head.isdigit()):
            raise InvalidPayload(f"{where}: bad ID/length {head!r} at position {pos}")
        tag, length = head[:2], int(head[2:])
        if length == 0:
            raise InvalidPayload(f"{where}: object {tag} has length 00")
        value = text[pos + 4 : pos + 4 + length]
        if len(value) != length:
            raise InvalidPayload(f"{where}: object {tag} is truncated ({len(value)}/{length})")
        if tag in objects:
            raise InvalidPayload(f"{where}: duplicate object {tag}")
        objects[tag] = value
        pos += 4 + length
    return objects


def parse_payload(text: str) -> VietQRPayload:
    """Parse and fully validate a payload (spec section 9); raise InvalidPayload on any fault."""
    if not isinstance(text, str) or len(text) < 8:
        raise InvalidPayload("payload is too short")
    if text[-8:-4] != "6304" or not _HEX4_RE.fullmatch(text[-4:]):
        raise InvalidPayload("payload must end with 6304 and 4 hex digits (CRC)")
    expected = crc_hex(text[:-4])
    if text[-4:].upper() != expected:
        raise InvalidPayload(f"CRC mismatch: payload says {text[-4:]}, computed {expected}")

    root = parse_tlv(text)
    tags = list(root)
    if tags[0] != "00" or root["00"] != "01":
        raise InvalidPayload("object 00 (payload format indicator) must come first and be 01")
    if tags[-1] != "63" or len(root["63"]) != 4:
        raise InvalidPayload("object 63 (CRC) must come last with length 4")
    initiation = root.get("01")
    if initiation is not None and initiation not in (STATIC, DYNAMIC):
        raise InvalidPayload(f"object 01 must be 11 or 12, got {initiation!r}")

    if "38" not in root:
        raise InvalidPayload("object 38 (NAPAS merchant account) is missing")
    t38 = parse_tlv(root["38"], "38")
    if t38.get("00") != NAPAS_GUID:
        raise InvalidPayload(f"38-00 must be {NAPAS_GUID}, got {t38.get('00')!r}")
    if "01" not in t38:
        raise InvalidPayload("38-01 (beneficiary) is missing")
    beneficiary = parse_tlv(t38["01"], "38-01")
    bin_ = beneficiary.get("00", "")
    if not (len(bin_) == 6 and bin_.isascii() and bin_.isdigit()):
        raise InvalidPayload(f"38-01-00 (BIN) must be 6 digits, got {bin_!r}")
    account = beneficiary.get("01", "")
    if not 1 <= len(account) <= 19:
        raise InvalidPayload(f"38-01-01 (account) must be 1-19 characters, got {account!r}")
    service = t38.get("02")
    if service not in SERVICES:
        raise InvalidPayload(f"38-02 (service) must be one of {SERVICES}, got {service!r}")

    if root.get("53") != CURRENCY_VND:
        raise InvalidPayload(f"object 53 (currency) must be {CURRENCY_VND}, got {root.get('53')!r}")
    if root.get("58") != COUNTRY_VN:
        raise InvalidPayload(f"object 58 (country) must be {COUNTRY_VN}, got {root.get('58')!r}")
    amount = None
    if "54" in root:
        raw = root["54"]
        if not (raw.isascii() and raw.isdigit()) or len(raw) > MAX_AMOUNT_DIGITS or int(raw) == 0:
            raise InvalidPayload(f"object 54 (amount) must be non-zero whole dong, got {raw!r}")
        amount = int(raw)

    additional: dict[str, str] = {}
    if "62" in root:
        additional = parse_tlv(root["62"], "62")
        if len(additional.get("08", "")) > MAX_PURPOSE:
            raise InvalidPayload(f"62-08 (purpose) must be at most {MAX_PURPOSE} characters")

    return VietQRPayload(
        payload_format=root["00"],
        initiation=initiation,
        guid=t38["00"],
        bin=bin_,
        account=account,
        service=service,
        currency=root["53"],
        amount=amount,
        country=root["58"],
        bill_number=additional.get("01"),
        purpose=additional.get("08"),
        crc=root["63"].upper(),
        objects=root,
        additional=additional,
    )


def validate_payload(text: str) -> list[str]:
    """Problems found in ``text`` (empty list when valid), for checks and a "paste a QR" screen."""
    try:
        parse_payload(text)
    except InvalidPayload as exc:
        return [str(exc)]
    return []


# --- Order reference (spec 6.3 / 6.4) ----------------------------------------------------------


def _luhn_sum(digits: str, double_rightmost: bool) -> int:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if (i % 2 == 0) == double_rightmost:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total


def luhn_check_digit(digits: str) -> str:
    """Luhn (mod 10) check digit for a digit string."""
    return str((10 - _luhn_sum(digits, double_rightmost=True) % 10) % 10)


def luhn_valid(digits: str) -> bool:
    """True when the last digit is the Luhn check digit of the others."""
    return _luhn_sum(digits, double_rightmost=False) % 10 == 0


def _check_prefix(prefix: str) -> None:
    if not (isinstance(prefix, str) and _PREFIX_RE.fullmatch(prefix)):
        raise ValueError(f"prefix must be 2-5 upper-case ASCII letters, got {prefix!r}")


def order_reference(order_number: str | int, prefix: str = DEFAULT_PREFIX) -> str:
    """Memo for an order: prefix + 8-digit order number + Luhn digit (104271 -> OCOP001042712)."""
    _check_prefix(prefix)
    text = str(order_number)
    if isinstance(order_number, bool) or not (text.isascii() and text.isdigit()):
        raise ValueError(f"order number must be digits only, got {order_number!r}")
    if len(text.lstrip("0")) > 8:
        raise ValueError(f"order number must fit in 8 digits, got {order_number!r}")
    digits = text.zfill(8)[-8:]
    return f"{prefix}{digits}{luhn_check_digit(digits)}"


def reference_order_number(reference: str, prefix: str = DEFAULT_PREFIX) -> str:
    """The order number a valid reference names, without the zero padding ("104271")."""
    _check_prefix(prefix)
    match = re.fullmatch(re.escape(prefix) + r"([0-9]{9})", reference)
    if not match or not luhn_valid(match.group(1)):
        raise ValueError(f"not a valid {prefix} reference: {reference!r}")
    return str(int(match.group(1)[:8]))


def normalise_bank_text(text: str) -> str:
    """Fold a bank memo to A-Z0-9: strip diacritics, Đ -> D, upper-case, drop the rest."""
    decomposed = unicodedata.normalize("NFKD", text.replace("Đ", "D").replace("đ", "d"))
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).upper()
    return re.sub(r"[^A-Z0-9]", "", folded)


def find_references(bank_text: str, prefix: str = DEFAULT_PREFIX) -> list[str]:
    """Distinct Luhn-valid references in a bank text, in order; the caller wants exactly one."""
    _check_prefix(prefix)
    found: list[str] = []
    for digits in re.findall(re.escape(prefix) + r"([0-9]{9})", normalise_bank_text(bank_text)):
        reference = prefix + digits
        if luhn_valid(digits) and reference not in found:
            found.append(reference)
    return found


def match_reference(bank_text: str, prefix: str = DEFAULT_PREFIX) -> str | None:
    """The single reference in a bank text, or None (zero or several -> manual review)."""
    found = find_references(bank_text, prefix)
    return found[0] if len(found) == 1 else None


# --- QR images ---------------------------------------------------------------------------------


def _qr(payload: str, box_size: int, border: int, image_factory=None):
    import qrcode
    from qrcode.util import MODE_8BIT_BYTE, QRData

    if not payload.isascii():
        raise ValueError("payload must be ASCII")
    qr = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        box_size=box_size,
        border=border,
        image_factory=image_factory,
    )
    # Byte mode as the spec says (section 9 step 7), not qrcode's mixed-mode optimisation.
    qr.add_data(QRData(payload.encode("ascii"), mode=MODE_8BIT_BYTE))
    qr.make(fit=True)
    return qr


def qr_png(payload: str, box_size: int = 8, border: int = 4) -> bytes:
    """PNG bytes of the QR code (error correction M, 4-module quiet zone)."""
    image = _qr(payload, box_size, border).make_image()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def qr_svg(payload: str, border: int = 4) -> str:
    """Scalable SVG markup of the QR code, for inline use in pages and print."""
    from qrcode.image.svg import SvgPathImage

    image = _qr(payload, 10, border, image_factory=SvgPathImage).make_image()
    return image.to_string(encoding="unicode")
