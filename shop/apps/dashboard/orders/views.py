"""Oscar's order pages, with a cooperative's owner and staff seeing only their own lines.

An order holds lines of several cooperatives. Oscar lets a partner user open every order with at
least one line of theirs and then shows the whole order: other cooperatives' products and
prices, the order total, the shopper's e-mail, payments and staff notes. Here a partner user
(anyone who is not platform staff) gets instead:

- the orders with a line of theirs, with their own subtotal and item count, searched and
  filtered over their own lines only (`orders_with_own_lines`);
- on an order, their own lines, their subtotal and the delivery address their parcel needs;
- one action: moving their own lines along the status pipeline (shipping a line consumes its
  stock allocation, cancelling it gives the stock back). Order-level actions, notes, payment
  events and address changes stay with platform staff.

Platform staff keep Oscar's pages unchanged (with sturdier parsing of posted line ids).
"""

import datetime
import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery, Sum
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.apps.dashboard.orders import views
from oscar.apps.partner.exceptions import InvalidStockAdjustment
from oscar.core.loading import get_model
from oscar.core.utils import datetime_combine, format_datetime
from oscar.views import sort_queryset

from cooperatives.access import partner_ids
from shop.apps.checkout import statuses

from .forms import OwnerOrderSearchForm

Order = get_model("order", "Order")
Line = get_model("order", "Line")
OrderNote = get_model("order", "OrderNote")

logger = logging.getLogger(__name__)

NOT_SHIPPED_YET_EXCLUDED = ("shipped", "delivered", "returned", "cancelled")


def is_partner_view(user) -> bool:
    """Scoped pages for everybody but platform staff (Oscar's own rule for partner users)."""
    return not user.is_staff


def orders_with_own_lines(ids):
    """Orders holding a line of the partners `ids`, annotated with those lines' subtotal
    (`own_total`) and item count (`own_quantity`): one query, whatever the number of orders."""
    mine = Line.objects.filter(order=OuterRef("pk"), partner_id__in=ids).order_by().values("order")
    return (
        Order.objects.filter(Exists(mine))
        .select_related("shipping_address")
        .annotate(
            own_total=Subquery(mine.annotate(total=Sum("line_price_incl_tax")).values("total")),
            own_quantity=Subquery(mine.annotate(count=Sum("quantity")).values("count")),
        )
    )


def apply_stock_effect(line, new_status) -> None:
    """Shipping a line consumes its stock allocation; cancelling it gives the stock back."""
    if not line.stockrecord_id or not line.num_allocated or line.allocation_cancelled:
        return
    try:
        if new_status == "shipped":
            line.consume_allocation(line.num_allocated)
        elif new_status == "cancelled":
            line.cancel_allocation(line.num_allocated)
    except InvalidStockAdjustment:
        # The owner counted the stock down by hand meanwhile: the status change stands.
        logger.warning("Stock of order line %s not adjusted on %s", line.pk, new_status)


class OrderListView(views.OrderListView):
    owner_template_name = "oscar/dashboard/orders/owner_order_list.html"
    OWNER_CSV_COLUMNS = {
        "number": gettext_lazy("Order number"),
        "date": gettext_lazy("Date of purchase"),
        "status": gettext_lazy("Order status"),
        "num_items": gettext_lazy("Your items"),
        "value": gettext_lazy("Your subtotal"),
        "shipping_address_name": gettext_lazy("Deliver to"),
    }

    def dispatch(self, request, *args, **kwargs):
        self.partner_ids = None
        if not is_partner_view(request.user):
            return super().dispatch(request, *args, **kwargs)
        self.partner_ids = partner_ids(request.user)
        self.base_queryset = orders_with_own_lines(self.partner_ids).order_by("-date_placed", "-pk")
        self.form_class = OwnerOrderSearchForm
        self.actions = ("download_selected_orders",)
        self.CSV_COLUMNS = self.OWNER_CSV_COLUMNS
        self.template_name = self.owner_template_name
        # Oscar's dispatch would set the unscoped queryset again: skip to ListView's.
        return super(views.OrderListView, self).dispatch(request, *args, **kwargs)

    def get_queryset(self):
        if self.partner_ids is None:
            return super().get_queryset()
        queryset = sort_queryset(self.base_queryset, self.request, ["number", "own_total"])
        self.form = self.form_class(self.request.GET)
        if not self.form.is_valid():
            return queryset
        data = self.form.cleaned_data
        mine = Line.objects.filter(order=OuterRef("pk"), partner_id__in=self.partner_ids)
        if data["order_number"]:
            queryset = queryset.filter(number__istartswith=data["order_number"])
        if data["name"]:
            queryset = queryset.filter(
                Q(shipping_address__first_name__icontains=data["name"])
                | Q(shipping_address__last_name__icontains=data["name"])
            )
        if data["product_title"]:
            queryset = queryset.filter(Exists(mine.filter(title__icontains=data["product_title"])))
        if data["partner_sku"]:
            queryset = queryset.filter(Exists(mine.filter(partner_sku__iexact=data["partner_sku"])))
        if data["date_from"]:
            since = datetime_combine(data["date_from"], datetime.time.min)
            queryset = queryset.filter(date_placed__gte=since)
        if data["date_to"]:
            until = datetime_combine(data["date_to"], datetime.time.max)
            queryset = queryset.filter(date_placed__lte=until)
        if data["status"]:
            queryset = queryset.filter(status=data["status"])
        return queryset

    def get_search_filter_descriptions(self):
        if self.partner_ids is None:
            return super().get_search_filter_descriptions()
        data = getattr(self.form, "cleaned_data", None) or {}
        descriptions = []
        for key, label in (
            ("order_number", _("Order number starts with “%s”")),
            ("name", _("Recipient's name contains “%s”")),
            ("product_title", _("Product name contains “%s”")),
            ("partner_sku", _("Your SKU is “%s”")),
            ("date_from", _("Placed from %s")),
            ("date_to", _("Placed until %s")),
        ):
            if data.get(key):
                descriptions.append(label % data[key])
        if data.get("status"):
            descriptions.append(_("Order status: %s") % statuses.label(data["status"]))
        return descriptions

    def get_row_values(self, order):
        if self.partner_ids is None:
            return super().get_row_values(order)
        address = order.shipping_address
        return {
            "number": order.number,
            "date": format_datetime(order.date_placed, "DATETIME_FORMAT"),
            "status": statuses.label(order.status),
            "num_items": order.own_quantity,
            "value": order.own_total,
            "shipping_address_name": address.name if address else "",
        }


class OrderDetailView(views.OrderDetailView):
    owner_template_name = "oscar/dashboard/orders/owner_order_detail.html"
    owner_line_actions = ("change_line_statuses",)

    @property
    def partner_ids(self):
        if is_partner_view(self.request.user):
            return partner_ids(self.request.user)
        return None

    def get_template_names(self):
        if self.partner_ids is not None:
            return [self.owner_template_name]
        return super().get_template_names()

    def get_object(self, queryset=None):
        if self.partner_ids is None:
            return super().get_object(queryset)
        try:
            return orders_with_own_lines(self.partner_ids).get(number=self.kwargs["number"])
        except Order.DoesNotExist as error:
            raise Http404 from error

    def get_order_lines(self):
        lines = super().get_order_lines().order_by("pk")
        if self.partner_ids is not None:
            lines = lines.filter(partner_id__in=self.partner_ids)
        return lines

    def handle_order_action(self, request, order, action):
        if self.partner_ids is not None:
            raise PermissionDenied  # order status, notes and payments are the platform's
        return super().handle_order_action(request, order, action)

    def handle_line_action(self, request, order, action):
        """Oscar's, refusing what an owner may not do, and bad input without an error 500."""
        allowed = self.line_actions if self.partner_ids is None else self.owner_line_actions
        if action not in allowed:
            if self.partner_ids is not None:
                raise PermissionDenied
            return self.reload_page(error=_("Invalid action"))
        try:
            line_ids = {int(value) for value in request.POST.getlist("selected_line")}
        except (TypeError, ValueError):
            return self.reload_page(error=_("Invalid lines requested"))
        if not line_ids:
            return self.reload_page(error=_("You must select some lines to act on"))
        lines = list(self.get_order_lines().filter(id__in=line_ids))
        if len(lines) != len(line_ids):
            return self.reload_page(error=_("Invalid lines requested"))
        quantities = []
        for line in lines:
            raw = request.POST.get(f"selected_line_qty_{line.id}", line.quantity)
            try:
                quantity = int(raw)
            except (TypeError, ValueError):
                quantity = 0
            if not 0 < quantity <= line.quantity:
                return self.reload_page(
                    error=_("The quantity for line #%(line_id)s must be from 1 to %(quantity)s.")
                    % {"line_id": line.id, "quantity": line.quantity}
                )
            quantities.append(quantity)
        return getattr(self, action)(request, order, lines, quantities)

    def change_line_statuses(self, request, order, lines, quantities):
        new_status = request.POST.get("new_status", "").strip()
        refused = [line for line in lines if new_status not in line.available_statuses()]
        if not new_status or refused:
            messages.error(
                request,
                _("“%(status)s” cannot follow the current status of the selected lines.")
                % {"status": statuses.label(new_status)},
            )
            return self.reload_page()
        changes = []
        with transaction.atomic():
            for line in lines:
                old_status = line.status
                line.set_status(new_status)
                apply_stock_effect(line, new_status)
                changes.append(
                    _("“%(product)s”: %(old)s → %(new)s")
                    % {
                        "product": line.title,
                        "old": statuses.label(old_status),
                        "new": statuses.label(new_status),
                    }
                )
            order.notes.create(
                user=request.user, message="\n".join(changes), note_type=OrderNote.SYSTEM
            )
        messages.info(request, _("Status changed: %s") % "; ".join(changes))
        return self.reload_page()

    def get_context_data(self, **kwargs):
        if self.partner_ids is None:
            return super().get_context_data(**kwargs)
        # Not Oscar's context: no notes, payments, order-level forms, nor other lines.
        ctx = super(views.OrderDetailView, self).get_context_data(**kwargs)
        lines = list(self.get_order_lines().select_related("product"))
        pipeline_order = {code: index for index, code in enumerate(statuses.LABELS)}
        next_statuses = sorted(
            {status for line in lines for status in line.available_statuses()},
            key=lambda code: (pipeline_order.get(code, len(pipeline_order)), code),
        )
        ctx.update(
            lines=lines,
            own_total=self.object.own_total,
            own_quantity=self.object.own_quantity,
            address=self.object.shipping_address,
            next_statuses=[(code, statuses.label(code)) for code in next_statuses],
        )
        return ctx


class LineDetailView(views.LineDetailView):
    def get_object(self, queryset=None):
        line = super().get_object(queryset)
        if is_partner_view(self.request.user) and line.partner_id not in partner_ids(
            self.request.user
        ):
            raise Http404
        return line
