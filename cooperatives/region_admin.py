"""Regions in the Wagtail admin, for platform staff only: a region's communes (a province, then
its communes) and its officers. Saving a region installs its page and its officers' page
permissions (`regions.install_region_pages`), so the officers can start editing at once."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import CreateView, DeleteView, EditView, IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import BasePermissionPolicy

from shop.addresses import units
from shop.text import slugify

from . import regions
from .models import Region


class SuperusersOnlyPolicy(BasePermissionPolicy):
    """Regions decide what officers may touch: only platform staff (superusers) change them."""

    def user_has_permission(self, user, action):
        return bool(user.is_active and user.is_superuser)

    def users_with_any_permission(self, actions):
        return get_user_model().objects.filter(is_active=True, is_superuser=True)


def _emails(text: str) -> list[str]:
    return [part.strip() for part in text.replace(",", "\n").splitlines() if part.strip()]


class RegionForm(WagtailAdminModelForm):
    """One province, then its communes (all of them, or ticked one by one); officers by e-mail.

    A region lies in one province, as a former district always did. The commune list follows
    the province sent with the form: choosing a province and saving shows its communes, with a
    message asking to tick them.
    """

    province = forms.ChoiceField(
        label=_("Province / city"),
        help_text=_("After choosing another province, save: its communes then appear below."),
    )
    all_communes = forms.BooleanField(
        label=_("All communes of the province"),
        required=False,
        help_text=_("For a region that is a whole province."),
    )
    communes = forms.MultipleChoiceField(
        label=_("Communes"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Tick only communes of the chosen province; tick them again.")
        },
        help_text=_(
            "The communes since July 2025. For a former district, tick the communes it became."
        ),
    )
    officer_emails = forms.CharField(
        label=_("Officers' e-mail addresses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One per line. Each must already have an account; they can then edit this "
            "region's pages, its cooperatives and their OCOP certificates."
        ),
    )

    class Meta:
        model = Region
        fields = ["name", "slug"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _("Used in web addresses; made from the name when empty.")
        self.fields["province"].choices = [("", _("— Choose a province —"))] + [
            (unit.code, unit.name) for unit in units.provinces()
        ]
        codes = self.instance.commune_codes or []
        if codes and (current := units.province_of(codes[0])):
            self.initial.setdefault("province", current.code)
            self.initial.setdefault("communes", codes)
        if self.instance.pk:
            self.initial.setdefault(
                "officer_emails",
                "\n".join(regions.officers_of(self.instance).values_list("email", flat=True)),
            )
        self.fields["communes"].choices = [
            (unit.code, unit.name) for unit in units.communes(self.selected_province())
        ]

    def selected_province(self) -> str:
        if self.is_bound:
            return str(self.data.get(self.add_prefix("province"), ""))[:2]
        return str(self.initial.get("province") or "")

    def clean_officer_emails(self):
        emails = _emails(self.cleaned_data["officer_emails"])
        same_address = Q()
        for email in emails:
            same_address |= Q(email__iexact=email)
        users = (
            list(get_user_model().objects.filter(same_address, is_active=True)) if emails else []
        )
        found = {user.email.lower() for user in users}
        unknown = [email for email in emails if email.lower() not in found]
        if unknown:
            raise forms.ValidationError(
                _("No active account has these addresses: %(emails)s. Create the accounts first."),
                code="unknown_accounts",
                params={"emails": ", ".join(unknown)},
            )
        owners = [user.email for user in users if user.partners.exists()]
        if owners:
            raise forms.ValidationError(
                _("These accounts belong to cooperatives and cannot be officers: %(emails)s."),
                code="cooperative_members",
                params={"emails": ", ".join(owners)},
            )
        return users

    def clean(self):
        cleaned = super().clean()
        province = cleaned.get("province")
        if province:
            if cleaned.get("all_communes"):
                cleaned["communes"] = [unit.code for unit in units.communes(province)]
            if not cleaned.get("communes"):
                self.add_error(
                    "communes",
                    forms.ValidationError(
                        _(
                            "Tick the communes of the region below, or “All communes of the "
                            "province”."
                        ),
                        code="no_communes",
                    ),
                )
        if not cleaned.get("slug") and cleaned.get("name"):
            cleaned["slug"] = slugify(cleaned["name"])[:120].strip("-")
        return cleaned

    def save(self, commit=True):
        self.instance.commune_codes = list(self.cleaned_data["communes"])
        return super().save(commit=commit)


class RegionSavingMixin:
    """After saving: the officers' group gets exactly the chosen officers, and the region its
    page with the group's page permissions."""

    def save_instance(self):
        region = super().save_instance()
        regions.set_officers(region, self.form.cleaned_data["officer_emails"])
        regions.install_region_pages(region)
        return region


def _officer_emails(region) -> str:
    if region.officer_group is None:
        return ""
    return ", ".join(sorted(user.email for user in region.officer_group.user_set.all()))


class RegionIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().prefetch_related("officer_group__user_set")


class RegionCreateView(RegionSavingMixin, CreateView):
    pass


class RegionEditView(RegionSavingMixin, EditView):
    pass


class RegionDeleteView(DeleteView):
    """The officers' group goes with the region, and with it their page permissions."""

    def delete_action(self):
        group = self.object.officer_group
        super().delete_action()
        if group is not None:
            group.delete()


class RegionViewSet(ModelViewSet):
    model = Region
    url_prefix = "regions"
    icon = "site"
    menu_label = _("Regions")
    menu_order = 205
    add_to_admin_menu = True
    copy_view_enabled = False
    index_view_class = RegionIndexView
    add_view_class = RegionCreateView
    edit_view_class = RegionEditView
    delete_view_class = RegionDeleteView
    search_fields = ["name"]
    ordering = ["name"]
    list_display = [
        "name",
        Column("communes", label=_("Communes"), accessor=lambda region: len(region.commune_codes)),
        Column("officers", label=_("Officers"), accessor=_officer_emails),
    ]
    edit_handler = ObjectList(
        [
            MultiFieldPanel([FieldPanel("name"), FieldPanel("slug")], heading=_("Name")),
            MultiFieldPanel(
                [FieldPanel("province"), FieldPanel("all_communes"), FieldPanel("communes")],
                heading=_("Communes"),
            ),
            FieldPanel("officer_emails"),
        ],
        base_form_class=RegionForm,
    )

    def get_permissions_to_register(self):
        return Permission.objects.none()


region_viewset = RegionViewSet()
