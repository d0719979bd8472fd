"""The age gate in front of alcoholic drinks (Law 44/2019: no access, search or sale under 18).

A product is an alcoholic drink when its class has an `abv_percent` attribute
(`catalog.product_classes.ABV`). Until a visitor declares a date of birth at least 18 years back
and ticks the confirmation, for this visit (the session):

- listings and search results leave the drinks out and say that some are hidden (`hide`);
- the product page, the traceability page and an all-alcohol category page show the gate instead
  (`AgeGateMiddleware` for Oscar's own product views, the views themselves for ours);
- adding one to the basket is refused with a message and a link to the gate (the middleware
  stops the POST before Oscar's `BasketAddView` runs, so the basket app is not forked).

Only the fact and time of the confirmation are kept, never the date of birth. A self-declared
date of birth is what the shop can check; whether the law asks for more is open (specs/ocop.md).
"""

import datetime

from django import forms
from django.contrib import messages
from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _
from oscar.apps.catalogue.models import Category, Product, ProductClass

from catalog import queries
from catalog.product_classes import ABV
from shop.pagecache import versions as page_versions

SESSION_KEY = "age_confirmed_at"
ADULT_AGE = 18
# "For the visit": a confirmation older than this is asked again, even in a long-lived session.
CONFIRMATION_HOURS = 12
OLDEST_BIRTH_YEAR = 1900


# --- Which products are alcoholic -----------------------------------------------------------


def alcoholic_classes():
    return ProductClass.objects.filter(attributes__code=ABV).values("pk")


def alcoholic_condition() -> Q:
    """Products (or variants, whose class is their parent's) of an alcoholic-drink class."""
    classes = alcoholic_classes()
    return Q(product_class__in=classes) | Q(parent__product_class__in=classes)


ALCOHOLIC_CLASSES_CACHE_KEY = "catalog:alcoholic-class-ids"


def alcoholic_class_ids() -> frozenset[int]:
    """Ids of the alcoholic-drink classes, cached until the catalogue changes (a class gaining
    or losing its ABV attribute moves the content version on), so checking a basket costs no
    query of its own."""
    key = page_versions.key(ALCOHOLIC_CLASSES_CACHE_KEY)
    ids = cache.get(key)
    if ids is None:
        ids = frozenset(alcoholic_classes().values_list("pk", flat=True))
        cache.set(key, ids, 60 * 60)
    return ids


def basket_has_drinks(basket) -> bool:
    """Whether the basket holds an alcoholic drink (its lines' products are already loaded)."""
    drinks = alcoholic_class_ids()
    return any(
        getattr(line.product.get_product_class(), "pk", None) in drinks
        for line in basket.all_lines()
    )


def is_alcoholic(product) -> bool:
    product_class = product.get_product_class()
    if product_class is None:
        return False
    return product_class.attributes.filter(code=ABV).exists()


def is_alcohol_category(category) -> bool:
    """A category (with its subcategories) whose listed products are all alcoholic drinks.

    Such a page shows the gate; a mixed one ("Beverages") lists the rest and says drinks are
    hidden. One query.
    """
    subtree = Category.objects.filter(path__startswith=category.path).values("pk")
    listed = Product.objects.browsable().filter(
        queries.sold_by_active_cooperative(), categories__in=subtree
    )
    condition = alcoholic_condition()
    drinks, others = (
        Category.objects.filter(pk=category.pk)
        .annotate(drinks=Exists(listed.filter(condition)), others=Exists(listed.exclude(condition)))
        .values_list("drinks", "others")
        .get()
    )
    return drinks and not others


# --- The visitor's confirmation -------------------------------------------------------------


def is_confirmed(request) -> bool:
    session = getattr(request, "session", None)
    if session is None:
        return False
    stamp = session.get(SESSION_KEY)
    if not isinstance(stamp, (int, float)):
        return False
    age = timezone.now().timestamp() - stamp
    return 0 <= age <= CONFIRMATION_HOURS * 3600


def confirmed_at(request) -> datetime.datetime | None:
    """When the visitor confirmed being an adult, if that confirmation still holds."""
    if not is_confirmed(request):
        return None
    return datetime.datetime.fromtimestamp(request.session[SESSION_KEY], tz=datetime.UTC)


def confirm(request) -> None:
    request.session[SESSION_KEY] = timezone.now().timestamp()


def age_on(born: datetime.date, day: datetime.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def without_drinks(queryset, request):
    """The queryset without alcoholic drinks unless the visitor confirmed being an adult."""
    if is_confirmed(request):
        return queryset
    return queryset.exclude(alcoholic_condition())


def hide(queryset, request):
    """The queryset without alcoholic drinks unless the visitor confirmed being an adult.

    Returns (queryset, hidden): `hidden` is True when drinks were left out, so the page can say
    so; it costs one query only for visitors who have not confirmed.
    """
    if is_confirmed(request):
        return queryset, False
    condition = alcoholic_condition()
    hidden = queryset.filter(condition).exists()
    return queryset.exclude(condition), hidden


def gate_url(next_url: str) -> str:
    return reverse("age-gate") + "?" + urlencode({"next": next_url})


def safe_next(request, candidate: str | None, default: str | None = None) -> str:
    """A local address to go back to: never another site (open redirect), never the gate."""
    default = default or reverse("catalogue:index")
    if not candidate or not candidate.startswith("/") or candidate.startswith("//"):
        return default
    if not url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return default
    if candidate.split("?", 1)[0] == reverse("age-gate"):
        return default
    return candidate


# --- The form and the page ------------------------------------------------------------------


class AgeGateForm(forms.Form):
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"],
        # A date picker where the browser has one; typed as dd/mm/yyyy where it has not.
        widget=forms.DateInput(
            attrs={"type": "date", "autocomplete": "bday", "placeholder": "dd/mm/yyyy"},
            format="%Y-%m-%d",
        ),
        error_messages={
            "required": _("Please enter your date of birth."),
            "invalid": _("Please enter a date such as 20/11/1990."),
        },
    )
    confirm = forms.BooleanField(
        label=_("I confirm that I am 18 years of age or older."),
        error_messages={"required": _("Please tick the box to confirm your age.")},
    )

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        today = timezone.localdate()
        if born > today or born.year < OLDEST_BIRTH_YEAR:
            raise forms.ValidationError(_("Please check the date of birth."))
        return born

    def is_adult(self) -> bool:
        return age_on(self.cleaned_data["date_of_birth"], timezone.localdate()) >= ADULT_AGE


def render_gate(request, next_url=None, form=None, refused=False, status=200):
    """The gate page: shown at its own address and in place of a gated product or category."""
    next_url = safe_next(request, next_url or request.get_full_path())
    response = render(
        request,
        "catalog/age_gate.html",
        {"form": form or AgeGateForm(), "next": next_url, "refused": refused},
        status=status,
    )
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def gate_view(request):
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.method == "POST":
        form = AgeGateForm(request.POST)
        if form.is_valid():
            if not form.is_adult():
                return render_gate(request, next_url, AgeGateForm(), refused=True, status=403)
            confirm(request)
            return HttpResponseRedirect(next_url)
        return render_gate(request, next_url, form, status=400)
    if is_confirmed(request):
        return HttpResponseRedirect(next_url)
    return render_gate(request, next_url)


# --- Oscar's product views ------------------------------------------------------------------

# Oscar view → the URL keyword holding the product id.
_PRODUCT_VIEWS = {
    "catalogue:detail": "pk",
    "catalogue:reviews-add": "product_pk",
    "catalogue:reviews-detail": "product_pk",
    "catalogue:reviews-list": "product_pk",
    "basket:add": "pk",
}


class AgeGateMiddleware:
    """Guards Oscar's product page and add-to-basket (unforked) for alcohol and inactive sellers.

    One query per product request: is the product an alcoholic drink, and does an active
    cooperative sell it? Products of inactive cooperatives answer 404 to everyone but staff.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = getattr(request, "resolver_match", None)
        key = _PRODUCT_VIEWS.get(match.view_name if match else "")
        if key is None:
            return None
        try:
            pk = int(view_kwargs.get(key))
        except (TypeError, ValueError):
            return None
        flags = (
            Product.objects.filter(pk=pk)
            .annotate(
                alcoholic=Exists(
                    alcoholic_classes().filter(
                        Q(pk=OuterRef("product_class")) | Q(pk=OuterRef("parent__product_class"))
                    )
                ),
                sold=queries.sold_by_active_cooperative(),
            )
            .values_list("alcoholic", "sold")
            .first()
        )
        if flags is None:
            return None  # Oscar answers 404 itself
        alcoholic, sold = flags
        if not sold and not request.user.is_staff:
            raise Http404("Not sold by an active cooperative.")
        if not alcoholic or is_confirmed(request):
            return None
        if match.view_name == "basket:add":
            messages.warning(
                request,
                _("Please confirm that you are 18 or older before adding alcoholic drinks."),
            )
            product = Product.objects.filter(pk=pk).first()
            back = product.get_absolute_url() if product else reverse("catalogue:index")
            return HttpResponseRedirect(gate_url(back))
        return render_gate(request)
