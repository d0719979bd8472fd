"""The owner's statement ("Sao kê"): what the cooperative earned on each delivered order line,
the platform's commission, and the payouts that paid it.

Only the cooperative's owner sees it (money, like the bank account on the profile). The page
takes no id: it always shows the signed-in owner's own partner, so no address can reach another
cooperative's. A constant number of queries, however many lines and payouts there are.
"""

from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import Q, Sum
from django.views import generic

from payments.models import PayoutBatch, PayoutEntry

from ..access import require_owner

ENTRIES_PER_PAGE = 50


class StatementView(generic.TemplateView):
    template_name = "oscar/dashboard/cooperative/statement.html"

    def dispatch(self, request, *args, **kwargs):
        self.cooperative = require_owner(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        partner_id = self.cooperative.partner_id
        entries = (
            PayoutEntry.objects.filter(partner_id=partner_id)
            .select_related("line__order", "batch")
            .order_by("-created_at", "-pk")
        )
        page = Paginator(entries, ENTRIES_PER_PAGE).get_page(self.request.GET.get("page"))
        ctx.update(
            cooperative=self.cooperative,
            is_owner=True,
            page_obj=page,
            entries=page.object_list,
            batches=list(
                PayoutBatch.objects.filter(partner_id=partner_id).order_by("-created_at", "-pk")
            ),
            totals=self.totals(partner_id),
        )
        return ctx

    def totals(self, partner_id) -> dict:
        """Owed (not in a payout yet, or in one not paid yet) and paid, in one query."""
        sums = PayoutEntry.objects.filter(partner_id=partner_id).aggregate(
            unbatched=Sum("net", filter=Q(batch__isnull=True)),
            in_open=Sum("net", filter=Q(batch__status=PayoutBatch.OPEN)),
            paid=Sum("net", filter=Q(batch__status=PayoutBatch.PAID)),
            gross=Sum("gross"),
            commission=Sum("commission"),
        )
        sums = {key: value or Decimal(0) for key, value in sums.items()}
        sums["owed"] = sums["unbatched"] + sums["in_open"]
        return sums
