"""Orders waiting for their money, and webhook deliveries signed the way each provider signs.

Orders are placed with Oscar's own `OrderCreator` (through `oscar.test.factories.create_order`)
and given their Payment as checkout does, so webhook tests need no checkout UI.
"""

import json
import time
from itertools import count

import stripe
from django.urls import reverse
from oscar.apps.basket.models import Basket
from oscar.apps.partner.strategy import Selector
from oscar.test.factories import create_order

from payments import services
from payments.bank_webhooks import casso_canonical, casso_signature, sepay_signature
from tests import factories
from tests.fakes.stripe_server import API_KEY as FAKE_STRIPE_KEY

ACCOUNT = "1234567890"
BANK_BIN = "970418"
SEPAY_KEY = "sepay-api-key-for-tests"
SEPAY_SECRET = "sepay-hmac-secret-for-tests"
CASSO_KEY = "casso-checksum-key-for-tests"
CASSO_TOKEN = "casso-secure-token-for-tests"
STRIPE_SECRET = "whsec_ocop_tests"

_ids = count(5_000_001)


def vietqr_gateway(**options) -> dict:
    """The VietQR entry of PAYMENT_GATEWAYS, receiving into ACCOUNT; `options` override."""
    return {
        "BACKEND": "payments.gateways.bank_transfer.VietQRTransfer",
        "OPTIONS": {
            "BANK_BIN": BANK_BIN,
            "ACCOUNT_NUMBER": ACCOUNT,
            "ACCOUNT_HOLDER": "CHO OCOP",
            "SEPAY_API_KEY": SEPAY_KEY,
            "SEPAY_WEBHOOK_SECRET": SEPAY_SECRET,
            "CASSO_CHECKSUM_KEY": CASSO_KEY,
            "CASSO_SECURE_TOKEN": CASSO_TOKEN,
            **options,
        },
    }


def stripe_gateway(api_base: str = "http://127.0.0.1:9") -> dict:
    """Cards through the fake Stripe API at `api_base` (the default is never called)."""
    return {
        "BACKEND": "payments.gateways.card.StripeCard",
        "OPTIONS": {
            "SECRET_KEY": FAKE_STRIPE_KEY,
            "PUBLISHABLE_KEY": "pk_test_ocop_fake",
            "WEBHOOK_SECRET": STRIPE_SECRET,
            "API_BASE": api_base,
        },
    }


def cod_gateway(limit: int = 0) -> dict:
    return {"BACKEND": "payments.gateways.cash.CashOnDelivery", "OPTIONS": {"MAX_TOTAL": limit}}


def gateways_config(**vietqr_options) -> dict:
    return {
        "vietqr": vietqr_gateway(**vietqr_options),
        "stripe": stripe_gateway(),
        "cod": cod_gateway(),
    }


def gateway_settings(settings, *, stripe_url=None, cod_limit=5_000_000, **vietqr_options):
    """The configured VietQR (demo account unless overridden), Stripe against `stripe_url` when
    given, then COD up to `cod_limit`, in that order."""
    vietqr = dict(settings.PAYMENT_GATEWAYS["vietqr"])
    vietqr["OPTIONS"] = {**vietqr["OPTIONS"], **vietqr_options}
    config = {"vietqr": vietqr}
    if stripe_url:
        config["stripe"] = stripe_gateway(stripe_url)
    config["cod"] = cod_gateway(cod_limit)
    settings.PAYMENT_GATEWAYS = config


def pending_order(price=250_000, quantity=1, method="vietqr", offered=("vietqr",)):
    """An order placed for one product, in the state checkout leaves it: returns its Payment."""
    product = factories.product("Miến dong Bình Liêu", price, stock=10)
    basket = Basket.objects.create()
    basket.strategy = Selector().strategy()
    basket.add_product(product, quantity)
    order = create_order(basket=basket, status=services.initial_order_status(method))
    return services.create_for_order(order, method, list(offered))


def webhook_url(source: str) -> str:
    return reverse("payments:webhook", kwargs={"source": source})


def post(client, source, body: bytes, headers=None):
    return client.post(
        webhook_url(source), data=body, content_type="application/json", headers=headers or {}
    )


def next_id() -> int:
    return next(_ids)


# --- SePay --------------------------------------------------------------------------------------


def sepay_transfer(content, amount, *, id=None, account=ACCOUNT, direction="in", **fields):
    return {
        "id": id or next_id(),
        "gateway": "BIDV",
        "transactionDate": "2026-01-01 09:00:00",
        "accountNumber": account,
        "code": None,
        "content": content,
        "transferType": direction,
        "transferAmount": amount,
        "accumulated": 5_250_000,
        "subAccount": None,
        "referenceCode": "FT26001A1B2C3",
        "description": f"BankAPINotify {content}",
        **fields,
    }


def sepay_apikey_headers(key=SEPAY_KEY) -> dict:
    return {"Authorization": f"Apikey {key}"}


def sepay_hmac_headers(body: bytes, secret=SEPAY_SECRET, timestamp=None) -> dict:
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    return {
        "X-SePay-Signature": "sha256=" + sepay_signature(secret, stamp, body),
        "X-SePay-Timestamp": stamp,
    }


# --- Casso --------------------------------------------------------------------------------------


def casso_v2_body(content, amount, *, id=None, account=ACCOUNT) -> bytes:
    data = {
        "id": id or next_id(),
        "reference": "FT26001A1B2C3",
        "description": content,
        "amount": amount,
        "runningBalance": 5_250_000,
        "transactionDateTime": "2026-01-01 09:00:00",
        "accountNumber": account,
        "bankName": "BIDV",
        "bankAbbreviation": "BIDV",
        "virtualAccountNumber": "",
        "virtualAccountName": "",
        "counterAccountName": "NGUYEN VAN A",
        "counterAccountNumber": "9876543210",
        "counterAccountBankId": "970436",
        "counterAccountBankName": "Vietcombank",
    }
    return json.dumps({"error": 0, "data": data}, ensure_ascii=False).encode()


def casso_v2_headers(body: bytes, key=CASSO_KEY, t=None) -> dict:
    stamp = str(int(time.time() * 1000) if t is None else t)
    canonical = casso_canonical(json.loads(body))
    return {"X-Casso-Signature": f"t={stamp},v1={casso_signature(key, stamp, canonical)}"}


def casso_legacy_item(content, amount, *, id=None, account=ACCOUNT) -> dict:
    return {
        "id": id or next_id(),
        "tid": "FT26001A1B2C3",
        "description": content,
        "amount": amount,
        "cusum_balance": 5_250_000,
        "when": "2026-01-01 09:00:00",
        "bank_sub_acc_id": account,
        "subAccId": account,
    }


def casso_legacy_body(*items) -> bytes:
    return json.dumps({"error": 0, "data": list(items)}).encode()


def casso_legacy_headers(token=CASSO_TOKEN) -> dict:
    return {"secure-token": token}


# --- Stripe -------------------------------------------------------------------------------------


def stripe_event(event_type, obj, *, id=None) -> bytes:
    """An event body as Stripe sends it (compact JSON, exact bytes are what gets signed)."""
    event = {
        "id": id or f"evt_{next_id()}",
        "object": "event",
        "api_version": "2025-01-27.acacia",
        "created": int(time.time()),
        "livemode": False,
        "type": event_type,
        "data": {"object": obj},
    }
    return json.dumps(event, separators=(",", ":")).encode()


def intent(payment, *, amount=None, received=None, status="succeeded", order_number=None, **more):
    amount = int(payment.amount_due) if amount is None else amount
    return {
        "id": payment.stripe_payment_intent,
        "object": "payment_intent",
        "amount": amount,
        "amount_received": amount if received is None else received,
        "currency": "vnd",
        "status": status,
        "metadata": {"order_number": order_number or payment.order.number},
        **more,
    }


def charge(payment, *, refunded: int, **more):
    return {
        "id": f"ch_{next_id()}",
        "object": "charge",
        "amount": int(payment.amount_due),
        "amount_refunded": refunded,
        "currency": "vnd",
        "payment_intent": payment.stripe_payment_intent,
        "refunded": refunded >= int(payment.amount_due),
        "metadata": {},
        **more,
    }


def stripe_headers(body: bytes, secret=STRIPE_SECRET, timestamp=None) -> dict:
    """`Stripe-Signature` built by the stripe library's own test helper."""
    header = stripe.WebhookSignature.generate_signature_header(
        body.decode(), secret, timestamp=int(time.time()) if timestamp is None else timestamp
    )
    return {"Stripe-Signature": header}
