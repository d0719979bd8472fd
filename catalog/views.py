"""Shopper pages of the OCOP layer: traceability (what a label's QR opens), the label sheet the
cooperatives print, and the age gate in front of alcoholic drinks."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from oscar.apps.catalogue.models import Product
from oscar.apps.partner.models import StockRecord

from catalog import age_gate, qr, queries, trace

DEFAULT_LABELS = 24
LABELS_PER_SHEET = 24  # A4, 3 columns × 8 rows of 70 × 37 mm
MAX_LABELS = 240


def _traceable(code: str) -> Product:
    product_id = trace.product_id_for(code)
    if product_id is None:
        raise Http404("Not a traceability code.")
    product = (
        Product.objects.filter(pk=product_id, is_public=True)
        .filter(queries.sold_by_active_cooperative())
        .select_related("product_class", "parent__product_class")
        .first()
    )
    if product is None or (product.parent_id and not product.parent.is_public):
        raise Http404("No product with this code.")
    return product


def trace_page(request, code):
    """Origin, producer, certificate in force and production facts of a product."""
    product = _traceable(code)
    if age_gate.is_alcoholic(product) and not age_gate.is_confirmed(request):
        return age_gate.render_gate(request)
    return render(
        request,
        "catalog/trace.html",
        {"product": product, "code": trace.code_for(product.pk)},
    )


def can_print_labels(user, product) -> bool:
    """Platform staff, and the users of a cooperative (Oscar partner) that sells the product."""
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    return StockRecord.objects.filter(
        Q(product=product) | Q(product__parent=product), partner__users=user
    ).exists()


def _label_count(value) -> int:
    try:
        count = int(value)
    except (TypeError, ValueError):
        return DEFAULT_LABELS
    return min(max(count, 1), MAX_LABELS)


def trace_labels(request, product_id):
    """An A4 sheet of QR labels (3 × 8 per page, 70 × 37 mm) for the product's packages."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    product = get_object_or_404(
        Product.objects.select_related("product_class", "parent"), pk=product_id
    )
    if not can_print_labels(request.user, product):
        raise PermissionDenied
    count = _label_count(request.GET.get("count"))
    url = trace.url_for(product.pk)
    response = render(
        request,
        "catalog/trace_labels.html",
        {
            "product": product,
            "code": trace.code_for(product.pk),
            "trace_url": url,
            "qr": qr.make(url),
            "sheets": [
                range(start, min(start + LABELS_PER_SHEET, count))
                for start in range(0, count, LABELS_PER_SHEET)
            ],
            "count": count,
            "count_choices": (3, 24, 48, 96),
        },
    )
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def age_gate_page(request):
    return age_gate.gate_view(request)
