"""The narrow interface between the shop and each courier, with plain data in and out.

Addresses are canonical post-2025 units (province + commune GSO codes); each adapter turns them
into what its courier needs (GHN district/ward ids, VTP ids, GHTK names) inside the adapter.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol


class CourierError(Exception):
    """A courier call failed. `retryable`: try again later (timeouts, 429, 5xx)."""

    def __init__(self, message: str, *, retryable: bool = False, code: str = ""):
        super().__init__(message)
        self.retryable = retryable
        self.code = code


class WebhookAuthError(Exception):
    """The callback is not provably from the courier (-> 401/403)."""


class WebhookPayloadError(Exception):
    """The callback body is unreadable (-> 400)."""


@dataclass(frozen=True)
class Address:
    name: str
    phone: str  # E.164 or national; adapters format it as their courier wants
    province_code: str  # GSO, zero-padded ("19")
    commune_code: str  # GSO, zero-padded ("01933")
    street: str  # house number, street, hamlet
    province_name: str = ""
    commune_name: str = ""


@dataclass(frozen=True)
class Item:
    name: str
    quantity: int
    weight_grams: int
    price: Decimal  # unit price, whole dong


@dataclass(frozen=True)
class Parcel:
    weight_grams: int
    value: Decimal  # goods value, whole dong (insurance)
    cod_amount: Decimal = Decimal(0)  # what the courier collects from the receiver
    items: tuple[Item, ...] = ()
    length_cm: int = 20
    width_cm: int = 20
    height_cm: int = 10


@dataclass(frozen=True)
class Service:
    code: str
    name: str


@dataclass(frozen=True)
class Quote:
    courier: str
    service: str
    service_name: str
    fee: Decimal
    expected_days: int | None = None


@dataclass(frozen=True)
class BookingRequest:
    code: str  # our client order code, "<order number>-<sequence>": the idempotency key
    origin: Address
    destination: Address
    parcel: Parcel
    service: str = ""
    note: str = ""


@dataclass(frozen=True)
class Booking:
    tracking_code: str
    fee: Decimal | None = None
    expected_delivery: datetime | None = None


@dataclass(frozen=True)
class Label:
    """Either a URL the browser opens (courier-hosted, short-lived) or a document we serve."""

    url: str = ""
    content: bytes = b""
    content_type: str = ""


@dataclass(frozen=True)
class TrackingUpdate:
    """One status event from a courier, mapped to a shopper-facing state (logistics.states)."""

    courier: str
    tracking_code: str
    raw_status: str
    state: str
    event_time: datetime
    client_code: str = ""  # our shipment code, when the courier echoes it
    description: str = ""
    cod_settled: bool = False  # the courier says the COD money is on its way to us
    cod_amount: Decimal | None = None
    #: A courier's provisional report (GHTK shipper reports): keep it in the timeline, never let
    #: it move the parcel on its own; `state` is then the phase it was reported in.
    provisional: bool = False
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)


class Courier(Protocol):
    code: str
    name: str
    #: True when the courier pushes status changes; a courier without them is polled by `track`.
    has_webhooks: bool

    def services(self) -> list[Service]: ...

    def quote(self, origin: Address, destination: Address, parcel: Parcel) -> list[Quote]: ...

    def create(self, request: BookingRequest) -> Booking:
        """Book the parcel; the same `request.code` twice must not book twice."""

    def cancel(self, tracking_code: str) -> None: ...

    def label(self, tracking_codes: list[str]) -> Label: ...

    def parse_webhook(
        self, headers: Mapping[str, str], query: Mapping[str, str], body: bytes
    ) -> list[TrackingUpdate]:
        """Verify, then parse; raises WebhookAuthError or WebhookPayloadError."""

    def track(self, tracking_code: str) -> list[TrackingUpdate]: ...
