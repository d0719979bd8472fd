"""Staff screens for money, in Wagtail's admin: each module registers its own hooks."""

from payments import (
    payout_hooks,  # noqa: F401
    staff_hooks,  # noqa: F401
)
