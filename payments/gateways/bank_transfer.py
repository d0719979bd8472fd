"""VietQR bank transfer into the platform's account, confirmed by SePay or Casso webhooks."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from payments import bank_webhooks, vietqr
from payments.banks import by_bin

from .base import MAX_AMOUNT, Availability, CheckoutFacts, PaymentEvent


class VietQRTransfer:
    name = _("Bank transfer (VietQR)")
    description = _(
        "Scan the QR code with any Vietnamese banking app; we confirm the payment within seconds."
    )
    pays_before_shipping = True
    webhook_sources = (bank_webhooks.SEPAY, bank_webhooks.CASSO)

    def __init__(
        self,
        *,
        code: str,
        BANK_BIN: str,
        ACCOUNT_NUMBER: str,
        ACCOUNT_HOLDER: str,
        SEPAY_API_KEY: str = "",
        SEPAY_WEBHOOK_SECRET: str = "",
        CASSO_CHECKSUM_KEY: str = "",
        CASSO_SECURE_TOKEN: str = "",
        DEMO: bool = False,
    ):
        self.code = code
        self.bank = by_bin(BANK_BIN)
        if self.bank is None:
            raise ValueError(f"VIETQR_BANK_BIN {BANK_BIN!r} is not a known NAPAS bank")
        self.account_number = ACCOUNT_NUMBER
        self.account_holder = ACCOUNT_HOLDER
        self.sepay_api_key = SEPAY_API_KEY
        self.sepay_secret = SEPAY_WEBHOOK_SECRET
        self.casso_checksum_key = CASSO_CHECKSUM_KEY
        self.casso_secure_token = CASSO_SECURE_TOKEN
        #: The demo account receives no real money: staff may simulate a transfer.
        self.demo = DEMO

    def availability(self, facts: CheckoutFacts) -> Availability:
        return Availability(True)

    def start(self, payment) -> None:
        """Nothing to call: the QR code is drawn from the payment whenever it is shown."""

    def qr_payload(self, payment) -> str:
        return vietqr.build_payload(
            bin=self.bank.bin,
            account=self.account_number,
            amount=vietqr.vnd_amount(payment.amount_outstanding or payment.amount_due),
            reference=payment.reference,
        )

    def receives(self, event: PaymentEvent) -> bool:
        """Was the money sent to the platform's account (or a virtual account of it)?"""
        return self.account_number in (event.account_number.strip(), event.sub_account.strip())

    def parse_webhook(self, source, headers, body) -> list[PaymentEvent]:
        if source == bank_webhooks.SEPAY:
            bank_webhooks.verify_sepay(
                headers, body, api_key=self.sepay_api_key, hmac_secret=self.sepay_secret
            )
            transfers = [bank_webhooks.parse_sepay(body)]
        else:
            bank_webhooks.verify_casso(
                headers,
                body,
                checksum_key=self.casso_checksum_key,
                secure_token=self.casso_secure_token,
            )
            transfers = bank_webhooks.parse_casso(body)
        return [self._event(transfer) for transfer in transfers]

    def _event(self, transfer: bank_webhooks.BankTransfer) -> PaymentEvent:
        if transfer.amount > MAX_AMOUNT:
            raise bank_webhooks.WebhookPayloadError("amount out of range")
        incoming = transfer.is_incoming
        return PaymentEvent(
            source=transfer.provider,
            event_id=transfer.event_id,
            kind=PaymentEvent.TRANSFER_IN if incoming else PaymentEvent.TRANSFER_OUT,
            event_type="transfer_in" if incoming else "transfer_out",
            amount=Decimal(transfer.amount),
            provider_id=transfer.event_id,
            content=transfer.content,
            account_number=transfer.account_number,
            sub_account=transfer.sub_account or "",
            bank_reference=transfer.bank_reference,
            occurred_at=transfer.occurred_at,
            raw=transfer.raw,
        )

    def refund(self, payment, amount, key):
        """Bank transfers are sent back by hand from the platform's account; staff record it."""
        return None
