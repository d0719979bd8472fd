"""The cooperatives' public pages: the list by province and commune, and each one's own page."""

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import get_object_or_404, render
from oscar.apps.partner.models import StockRecord

from catalog import filters, queries
from shop.addresses import units

from .models import Cooperative

PRODUCTS_PER_PAGE = 20
MAX_PHOTOS = 12


def _sort_key(name: str) -> str:
    return units._sort_key(name)


def cooperative_list(request):
    """Active cooperatives by province, then commune; former localities kept as history."""
    cooperatives = list(
        Cooperative.objects.filter(is_active=True).only(
            "slug",
            "legal_name",
            "short_name",
            "commune_code",
            "former_locality",
            "logo",
            "story",
        )
    )
    provinces: dict[str, dict] = {}
    for cooperative in cooperatives:
        commune = cooperative.commune
        province = cooperative.province
        province_key = province.code if province else ""
        group = provinces.setdefault(province_key, {"province": province, "communes": {}})
        commune_key = commune.code if commune else ""
        group["communes"].setdefault(commune_key, {"commune": commune, "cooperatives": []})[
            "cooperatives"
        ].append(cooperative)
    grouped = []
    for group in sorted(
        provinces.values(),
        key=lambda g: _sort_key(g["province"].name) if g["province"] else "~",
    ):
        communes = sorted(
            group["communes"].values(),
            key=lambda c: _sort_key(c["commune"].name) if c["commune"] else "~",
        )
        for commune in communes:
            commune["cooperatives"].sort(key=lambda coop: _sort_key(coop.name))
        grouped.append({"province": group["province"], "communes": communes})
    return render(
        request,
        "cooperatives/list.html",
        {"provinces": grouped, "total": len(cooperatives)},
    )


def products_of(cooperative):
    return queries.browsable_products().filter(
        Exists(
            StockRecord.objects.filter(
                Q(product=OuterRef("pk")) | Q(product__parent=OuterRef("pk")),
                partner_id=cooperative.partner_id,
            )
        )
    )


def cooperative_detail(request, slug):
    cooperative = get_object_or_404(Cooperative, slug=slug, is_active=True)
    listing = filters.refine(request, products_of(cooperative), with_cooperatives=False)
    paginator = Paginator(listing.queryset, PRODUCTS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    certificates = list(cooperative.certificates.in_force().order_by("-stars", "-signed_on"))
    return render(
        request,
        "cooperatives/detail.html",
        {
            "cooperative": cooperative,
            "photos": list(cooperative.photos.all()[:MAX_PHOTOS]),
            "certificates": certificates,
            "listing": listing,
            "paginator": paginator,
            "page_obj": page,
            "products": page.object_list,
        },
    )
