"""The region report in the Wagtail admin (/admin/region-reports/): charts with their numbers,
and the same figures as CSV or Excel (?format=csv / ?format=xlsx).

Commerce officers see only the regions they are officers of; a region id that is not one of
theirs is a 404, so nobody learns another region's numbers or even that it exists. Platform staff
(superusers) may choose any region or all of them. Everyone else gets a 403.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass

from django import forms
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic
from oscar.templatetags.currency_filters import currency
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from catalog.models import add_months

from . import reports
from .regions import regions_of, sees_everything
from .roles import OFFICERS_GROUP

TEMPLATES = "cooperatives/reports/"
LONGEST_PERIOD_MONTHS = 36
DEFAULT_DAYS = 30
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


def can_read_reports(user) -> bool:
    if not getattr(user, "is_active", False):
        return False
    return user.is_superuser or user.groups.filter(name=OFFICERS_GROUP).exists()


def preset_period(preset: str, today: datetime.date) -> reports.Period:
    first_of_month = today.replace(day=1)
    if preset == "this_month":
        return reports.Period(first_of_month, today)
    if preset == "last_month":
        last_day = first_of_month - datetime.timedelta(days=1)
        return reports.Period(last_day.replace(day=1), last_day)
    if preset == "this_year":
        return reports.Period(today.replace(month=1, day=1), today)
    return reports.Period(today - datetime.timedelta(days=DEFAULT_DAYS - 1), today)


class ReportForm(forms.Form):
    ALL_REGIONS = ""
    PRESETS = [
        ("", gettext_lazy("Dates below")),
        ("last_30_days", gettext_lazy("Last 30 days")),
        ("this_month", gettext_lazy("This month")),
        ("last_month", gettext_lazy("Last month")),
        ("this_year", gettext_lazy("This year")),
    ]

    region = forms.ChoiceField(label=gettext_lazy("Region"), required=False)
    preset = forms.ChoiceField(label=gettext_lazy("Period"), choices=PRESETS, required=False)
    date_from = forms.DateField(
        label=gettext_lazy("First day"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=gettext_lazy("Last day"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, data, *, regions, all_regions: bool, today: datetime.date):
        self.today = today
        default = preset_period("last_30_days", today)
        initial = {"date_from": default.first_day, "date_to": default.last_day}
        if not all_regions and regions:
            initial["region"] = str(regions[0].pk)
        super().__init__(data, initial=initial)
        choices = [(str(region.pk), region.name) for region in regions]
        if all_regions:
            choices.insert(0, (self.ALL_REGIONS, _("All regions")))
        self.fields["region"].choices = choices

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        preset = cleaned.get("preset")
        default = preset_period(preset or "last_30_days", self.today)
        if preset:
            period = default
        else:
            period = reports.Period(
                cleaned.get("date_from") or default.first_day,
                cleaned.get("date_to") or default.last_day,
            )
        if period.last_day < period.first_day:
            raise forms.ValidationError(_("The end date must not be before the start date."))
        if period.last_day > add_months(period.first_day, LONGEST_PERIOD_MONTHS):
            raise forms.ValidationError(_("A report covers at most 3 years: shorten the period."))
        cleaned["period"] = period
        return cleaned


@dataclass
class Bar:
    label: str
    detail: str
    shown: str
    percent: float


@dataclass
class Chart:
    """A horizontal bar chart: the bars and one sentence that says what it shows."""

    title: str
    bars: list[Bar]

    @property
    def summary(self) -> str:
        parts = "; ".join(f"{bar.label}: {bar.shown}" for bar in self.bars)
        return f"{self.title}. {parts}" if parts else self.title


def money(amount: int) -> str:
    return currency(amount, "VND")


def chart(title: str, rows: list[reports.Row], metric: str = "sales") -> Chart:
    largest = max((getattr(row, metric) for row in rows), default=0) or 1
    shown = money if metric == "sales" else str
    return Chart(
        title=title,
        bars=[
            Bar(
                label=row.label,
                detail=row.detail,
                shown=shown(getattr(row, metric)),
                percent=round(100 * getattr(row, metric) / largest, 1),
            )
            for row in rows
        ],
    )


def sales_sections(report: reports.RegionReport) -> list[dict]:
    """The sales breakdowns, each with its chart (bars: sales) and its rows for the table."""
    sections = [
        ("cooperative", _("Sales by cooperative"), report.by_cooperative),
        ("commune", _("Sales by commune"), report.by_commune),
        ("group", _("Sales by OCOP group"), report.by_group),
        ("stars", _("Sales by OCOP stars"), report.by_star),
        ("top", _("Top %(count)s products") % {"count": reports.TOP_PRODUCTS}, report.top_products),
    ]
    return [
        {"key": key, "title": title, "rows": rows, "chart": chart(title, rows)}
        for key, title, rows in sections
    ]


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def as_text(value: str) -> str:
    """Names typed by owners (product titles) stay text in Excel, never a formula to run."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def export_rows(report: reports.RegionReport) -> list[tuple[str, list[list]]]:
    """Every figure as (section title, rows), the rows starting with their own header."""
    header = [_("Name"), _("Detail"), _("Revenue (VND)"), _("Orders"), _("Units")]

    def table(rows):
        return [header] + [
            [as_text(row.label), as_text(row.detail), row.sales, row.orders, row.units]
            for row in rows
        ]

    delivery = report.delivery
    return [
        (_("Totals"), table([report.totals])),
        *[(section["title"], table(section["rows"])) for section in sales_sections(report)],
        (
            _("Delivery time"),
            [
                [_("Name"), _("Value")],
                [_("Delivered shipments"), delivery.shipments],
                [_("Average hours from order to delivery"), delivery.average_hours],
            ],
        ),
        (
            _("OCOP certificates"),
            [[_("Name"), _("Count")]]
            + [[row.label, row.units] for row in report.certificates.rows()],
        ),
    ]


def csv_response(report, filename: str) -> HttpResponse:
    """One file, a section column first; UTF-8 with a BOM so that Excel reads the diacritics."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [_("Section"), _("Name"), _("Detail"), _("Revenue (VND)"), _("Orders"), _("Units")]
    )
    for section, rows in export_rows(report):
        for row in rows[1:]:
            if len(row) == 2:  # name and value: the value goes under "Units"/count
                row = [row[0], "", "", "", row[1]]
            writer.writerow([section, *("" if value is None else value for value in row)])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def sheet_title(title: str) -> str:
    """Excel refuses some characters in sheet names and more than 31 characters."""
    for forbidden in "[]:*?/\\":
        title = title.replace(forbidden, "-")
    return title[:31]


def xlsx_response(report, filename: str) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    for section, rows in export_rows(report):
        sheet = workbook.create_sheet(sheet_title(section))
        for row in rows:
            sheet.append(row)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for index, name in enumerate(rows[0], start=1):
            number_format = '#,##0 "₫"' if name == _("Revenue (VND)") else "#,##0.##"
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                if isinstance(cell.value, (int, float)):
                    cell.number_format = number_format
            sheet.column_dimensions[get_column_letter(index)].width = 40 if index == 1 else 18
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


class RegionReportView(WagtailAdminTemplateMixin, generic.TemplateView):
    template_name = TEMPLATES + "region.html"
    header_icon = "bars"

    def get_page_title(self):
        return _("Region reports")

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": _("Region reports")}]

    def dispatch(self, request, *args, **kwargs):
        if not can_read_reports(request.user):
            # A real 403: Wagtail's PermissionDenied handling would redirect with a message.
            title = _("Region reports")
            return TemplateResponse(
                request,
                TEMPLATES + "forbidden.html",
                {"page_title": title, "header_title": title, "header_icon": self.header_icon},
                status=403,
            )
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        user = request.user
        self.regions = regions_of(user)
        self.all_regions = sees_everything(user)
        self.check_region(request.GET.get("region"))
        self.form = ReportForm(
            request.GET or None,
            regions=self.regions,
            all_regions=self.all_regions,
            today=timezone.localdate(),
        )
        self.report = self.region = None
        if self.regions or self.all_regions:
            self.report = self.build_report()
        export = request.GET.get("format")
        if self.report is not None and export in ("csv", "xlsx"):
            filename = self.filename()
            if export == "csv":
                return csv_response(self.report, filename)
            return xlsx_response(self.report, filename)
        return super().get(request, *args, **kwargs)

    def check_region(self, region_id):
        """Another region's id, or no id at all, is "not found": never another region's data."""
        if region_id is None or (region_id == ReportForm.ALL_REGIONS and self.all_regions):
            return
        if region_id not in {str(region.pk) for region in self.regions}:
            raise Http404

    def build_report(self):
        if self.form.is_bound:
            if not self.form.is_valid():
                return None
            region_id, period = self.form.cleaned_data["region"], self.form.cleaned_data["period"]
            self.show_dates(period)
        else:
            region_id = self.form.initial.get("region", ReportForm.ALL_REGIONS)
            period = preset_period("last_30_days", self.form.today)
        if region_id == ReportForm.ALL_REGIONS and self.all_regions:
            codes = None
        else:
            self.region = next(
                (region for region in self.regions if str(region.pk) == region_id),
                self.regions[0],
            )
            codes = self.region.commune_codes
        return reports.region_report(codes, period)

    def show_dates(self, period: reports.Period):
        """After a preset, the date fields show the days it stands for."""
        data = self.form.data.copy()
        data["preset"] = ""
        data["date_from"] = period.first_day.isoformat()
        data["date_to"] = period.last_day.isoformat()
        self.form.data = data

    def filename(self) -> str:
        period = self.report.period
        slug = self.region.slug if self.region else "tat-ca-vung"
        return f"bao-cao-{slug}-{period.first_day:%Y%m%d}-{period.last_day:%Y%m%d}"

    def export_url(self, export: str) -> str:
        query = self.request.GET.copy()
        query["format"] = export
        if self.region is not None:
            query["region"] = str(self.region.pk)
        return f"{self.request.path}?{query.urlencode()}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            form=self.form,
            report=self.report,
            region=self.region,
            has_regions=bool(self.regions or self.all_regions),
            sold_rule=reports.SOLD_RULE,
            expiring_days=reports.EXPIRING_WITHIN_DAYS,
        )
        if self.report is not None:
            context.update(
                sections=sales_sections(self.report),
                certificate_chart=chart(
                    _("OCOP certificates"), self.report.certificates.rows(), metric="units"
                ),
                csv_url=self.export_url("csv"),
                xlsx_url=self.export_url("xlsx"),
                total_sales=money(self.report.totals.sales),
            )
            if self.report.delivery.average is not None:
                days, hours = self.report.delivery.days_and_hours
                context.update(delivery_days=days, delivery_hours=hours)
        return context


urlpatterns = [path("", RegionReportView.as_view(), name="index")]
