"""The bank account a cooperative is paid into, for the payout screens
(`settings.PAYOUT_ACCOUNT_LOOKUP`): payments asks through that setting, never importing us."""

from payments.payouts import PayoutAccount

from .models import Cooperative


def payout_account(partner) -> PayoutAccount | None:
    """The cooperative's account, or None when the partner has no cooperative or no account."""
    cooperative = Cooperative.objects.filter(partner_id=partner.pk).first()
    if cooperative is None or not cooperative.has_payout_account:
        return None
    return PayoutAccount(
        bin=cooperative.bank_bin,
        account_number=cooperative.bank_account_number,
        holder=cooperative.bank_account_holder,
    )
