"""Region reports in the Wagtail admin, checked against known orders.

Region A (Đồng Phúc, Ba Bể) has three cooperatives: tea (4 stars, group Đồ uống), rice (3 stars,
group Thực phẩm; an expired 5-star certificate too) and honey (no group, no star). Region B
(An Khánh) sells noodles. Orders in the period, in whole dong:

  O1 confirmed (COD)  tea 2 x 120,000 + rice 3 x 50,000
  O2 paid             rice 1 x 50,000 + honey 1 x 250,000   (placed 00:30 local, first day)
  O3 awaiting payment tea 5                                  -> not sold
  O4 cancelled        tea 1                                  -> not sold
  O5 confirmed        tea 1, placed 23:30 local the day before the period -> outside
  O6 confirmed        tea 1 + noodles 4 x 30,000 (region B)
  O7 delivered        tea 1 + rice 2 (that line cancelled)
"""

import csv
import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils import timezone, translation
from openpyxl import load_workbook
from oscar.apps.order.models import Order

from cooperatives import reports
from cooperatives.models import Region
from cooperatives.regions import ensure_officer_group
from cooperatives.roles import install_officer_group
from logistics.models import Shipment
from tests import factories
from tests.shipments import order_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The labels the figures carry (stars, "No star") are checked in the source language."""
    with translation.override("en"):
        yield


URL = "/admin/region-reports/"
TODAY = timezone.localdate()
FIRST_DAY = TODAY - datetime.timedelta(days=20)
PERIOD = reports.Period(FIRST_DAY, TODAY)
DOUG_PHUC, BA_BE, AN_KHANH = "01933", "01906", "05809"


def local(day_offset: int, hour: int, minute: int = 0) -> datetime.datetime:
    """A local (Asia/Ho_Chi_Minh) time `day_offset` days after the first day of the period."""
    day = FIRST_DAY + datetime.timedelta(days=day_offset)
    return datetime.datetime.combine(
        day, datetime.time(hour, minute), tzinfo=timezone.get_default_timezone()
    )


def place(items, placed_at, status="confirmed", method="cod"):
    order = order_of(items, method=method)
    Order.objects.filter(pk=order.pk).update(date_placed=placed_at, status=status)
    order.lines.update(status=status)
    return order


def deliver(order, partner, placed_at, hours, state="delivered"):
    number = Shipment.objects.count() + 1
    return Shipment.objects.create(
        order=order,
        partner=partner,
        code=f"{order.number}-{number}",
        courier="sandbox",
        state=state,
        last_event_at=placed_at + datetime.timedelta(hours=hours),
    )


@pytest.fixture
def market(db):
    drinks = factories.category("Đồ uống")
    tea_category = factories.category("Trà", parent=drinks)
    food = factories.category("Thực phẩm")
    rice_category = factories.category("Gạo", parent=food)

    tea_coop = factories.cooperative("HTX chè Đồng Phúc", DOUG_PHUC)
    rice_coop = factories.cooperative("HTX gạo Bằng Phúc", DOUG_PHUC)
    honey_coop = factories.cooperative("HTX mật ong Ba Bể", BA_BE)
    noodle_coop = factories.cooperative("HTX miến An Khánh", AN_KHANH)

    tea = factories.product("Chè Đồng Phúc", 120_000, 100, tea_coop, categories=[tea_category])
    rice = factories.product("Gạo nếp Bằng Phúc", 50_000, 100, rice_coop, [rice_category])
    honey = factories.product("Mật ong Ba Bể", 250_000, 100, honey_coop)
    noodles = factories.product("Miến dong An Khánh", 30_000, 100, noodle_coop)

    factories.certificate(tea_coop, [tea], stars=4)
    factories.certificate(
        rice_coop, [rice], stars=3, valid_until=TODAY + datetime.timedelta(days=30)
    )
    factories.certificate(
        rice_coop,
        [rice],
        stars=5,
        signed_on=TODAY - datetime.timedelta(days=1200),
        valid_until=TODAY - datetime.timedelta(days=10),
    )
    factories.certificate(honey_coop, stars=5)
    factories.certificate(honey_coop, stars=None, status="submitted")
    factories.certificate(honey_coop, stars=None, status="rejected")
    factories.certificate(noodle_coop, [noodles], stars=3)

    o1 = place([(tea, 2), (rice, 3)], local(2, 9))
    o2 = place([(rice, 1), (honey, 1)], local(0, 0, 30), status="paid")
    place([(tea, 5)], local(3, 10), status="pending_payment", method="vietqr")
    place([(tea, 1)], local(4, 10), status="cancelled")
    place([(tea, 1)], local(-1, 23, 30))
    o6 = place([(tea, 1), (noodles, 4)], local(5, 15))
    o7 = place([(tea, 1), (rice, 2)], local(6, 8), status="delivered")
    o7.lines.filter(partner=rice_coop).update(status="cancelled")

    deliver(o1, tea_coop, local(2, 9), hours=50)
    deliver(o6, tea_coop, local(5, 15), hours=26)
    deliver(o2, rice_coop, local(0, 0, 30), hours=20, state="in_transit")
    deliver(o6, noodle_coop, local(5, 15), hours=2)

    region_a = Region.objects.create(
        name="Chợ Đồn cũ", slug="cho-don", commune_codes=[DOUG_PHUC, BA_BE]
    )
    region_b = Region.objects.create(name="An Khánh", slug="an-khanh", commune_codes=[AN_KHANH])
    for region in (region_a, region_b):
        ensure_officer_group(region)
    return {"a": region_a, "b": region_b, "tea": tea, "rice": rice, "honey": honey}


def officer_of(region, email="canbo@cho-ocop.test"):
    user = get_user_model().objects.create_user(email=email, password="x")
    user.groups.add(install_officer_group(), region.officer_group)
    return user


@pytest.fixture
def officer_client(client, market):
    client.force_login(officer_of(market["a"]))
    return client


def query(region, **more):
    return {
        "region": region.pk,
        "date_from": FIRST_DAY.isoformat(),
        "date_to": TODAY.isoformat(),
        **more,
    }


def figures(rows):
    return [(row.label, row.sales, row.orders, row.units) for row in rows]


def test_sales_of_the_region_by_cooperative_commune_group_and_star(market):
    report = reports.region_report(market["a"].commune_codes, PERIOD)

    assert (report.totals.sales, report.totals.orders, report.totals.units) == (930_000, 4, 9)
    assert figures(report.by_cooperative) == [
        ("HTX chè Đồng Phúc", 480_000, 3, 4),
        ("HTX mật ong Ba Bể", 250_000, 1, 1),
        ("HTX gạo Bằng Phúc", 200_000, 2, 4),
    ]
    # Two cooperatives in Đồng Phúc share order O1: counted once there.
    assert figures(report.by_commune) == [
        ("Xã Đồng Phúc", 680_000, 4, 8),
        ("Xã Ba Bể", 250_000, 1, 1),
    ]
    assert figures(report.by_group) == [
        ("Đồ uống", 480_000, 3, 4),
        ("No OCOP group", 250_000, 1, 1),
        ("Thực phẩm", 200_000, 2, 4),
    ]
    # The expired 5-star certificate of the rice does not count: it has 3 stars today.
    assert figures(report.by_star) == [
        ("4 stars", 480_000, 3, 4),
        ("3 stars", 200_000, 2, 4),
        ("No star", 250_000, 1, 1),
    ]
    assert [row.label for row in report.top_products] == [
        "Chè Đồng Phúc",
        "Mật ong Ba Bể",
        "Gạo nếp Bằng Phúc",
    ]
    assert report.top_products[0].detail == "HTX chè Đồng Phúc"


def test_delivery_time_and_certificates_of_the_region(market):
    report = reports.region_report(market["a"].commune_codes, PERIOD)

    # (50 h + 26 h) / 2; the parcel in transit and region B's parcel do not count.
    assert report.delivery.shipments == 2
    assert report.delivery.average == datetime.timedelta(hours=38)
    assert report.delivery.days_and_hours == (1, 14)
    assert report.certificates == reports.CertificateCounts(
        valid=2, expiring=1, expired=1, waiting=1, rejected=1
    )


def test_other_region_and_all_regions(market):
    region_b = reports.region_report(market["b"].commune_codes, PERIOD)
    assert figures(region_b.by_cooperative) == [("HTX miến An Khánh", 120_000, 1, 4)]
    assert (region_b.delivery.shipments, region_b.delivery.average) == (
        1,
        datetime.timedelta(hours=2),
    )
    assert region_b.certificates.valid == 1

    everything = reports.region_report(None, PERIOD)
    assert (everything.totals.sales, everything.totals.orders) == (1_050_000, 4)


def test_a_period_is_whole_local_days(market):
    day_before = reports.Period(FIRST_DAY - datetime.timedelta(days=1), FIRST_DAY)
    report = reports.region_report(market["a"].commune_codes, day_before)
    # O5 (23:30 the day before) and O2 (00:30 the first day), not O1 two days later.
    assert (report.totals.sales, report.totals.orders) == (420_000, 2)


def test_officer_sees_charts_with_their_numbers(officer_client, market):
    response = officer_client.get(URL, query(market["a"]))

    assert response.status_code == 200
    page = response.text
    assert "Chợ Đồn cũ" in page
    assert 'role="img"' in page
    assert "HTX chè Đồng Phúc: 480.000\xa0₫" in page  # the chart's text summary
    assert "930.000\xa0₫" in page
    assert (response.context["delivery_days"], response.context["delivery_hours"]) == (1, 14)
    assert "HTX miến An Khánh" not in page
    assert "format=csv" in page and "format=xlsx" in page


def test_the_default_is_the_last_30_days_of_the_first_region(officer_client, market):
    response = officer_client.get(URL)

    assert response.status_code == 200
    report = response.context["report"]
    assert report.period == reports.Period(TODAY - datetime.timedelta(days=29), TODAY)
    assert response.context["region"] == market["a"]
    assert (report.totals.sales, report.totals.orders) == (1_050_000, 5)  # O5 is in it now


def test_presets(officer_client, market):
    response = officer_client.get(URL, {"region": market["a"].pk, "preset": "last_month"})
    last_day = TODAY.replace(day=1) - datetime.timedelta(days=1)
    assert response.context["report"].period == reports.Period(last_day.replace(day=1), last_day)
    # The date fields show the days the preset stands for.
    assert f'value="{last_day.replace(day=1).isoformat()}"' in response.text
    assert f'value="{last_day.isoformat()}"' in response.text

    response = officer_client.get(URL, {"region": market["a"].pk, "preset": "this_month"})
    assert response.context["report"].period == reports.Period(TODAY.replace(day=1), TODAY)

    response = officer_client.get(URL, {"region": market["a"].pk, "preset": "this_year"})
    assert response.context["report"].period == reports.Period(TODAY.replace(month=1, day=1), TODAY)


@pytest.mark.parametrize(
    ("date_from", "date_to", "message"),
    [
        ("2026-05-10", "2026-05-01", "Ngày kết thúc không được trước ngày bắt đầu"),
        ("2020-01-01", "2026-01-02", "3"),
        ("not a date", "2026-05-01", ""),
        ("2026-02-30", "2026-03-01", ""),
    ],
)
def test_bad_periods_give_a_message_not_an_error(
    officer_client, market, date_from, date_to, message
):
    response = officer_client.get(URL, query(market["a"], date_from=date_from, date_to=date_to))

    assert response.status_code == 200
    assert response.context["report"] is None
    assert not response.context["form"].is_valid()
    assert message in " ".join(str(error) for error in response.context["form"].errors.values())


def test_a_period_of_exactly_3_years_is_fine(officer_client, market):
    response = officer_client.get(
        URL, query(market["a"], date_from="2023-01-01", date_to="2026-01-01")
    )
    assert response.context["report"] is not None


def test_an_officer_never_gets_another_regions_numbers(officer_client, market):
    assert officer_client.get(URL, query(market["b"])).status_code == 404
    assert officer_client.get(URL, query(market["b"], format="csv")).status_code == 404
    assert officer_client.get(URL, {"region": ""}).status_code == 404  # "all regions"
    assert officer_client.get(URL, {"region": "9999"}).status_code == 404
    assert officer_client.get(URL, {"region": "x'; --"}).status_code == 404


def test_platform_staff_choose_any_region_or_all(client, market):
    client.force_login(
        get_user_model().objects.create_superuser(email="staff@cho-ocop.test", password="x")
    )
    response = client.get(URL, {**query(market["a"]), "region": ""})
    assert response.status_code == 200
    assert response.context["region"] is None
    assert response.context["report"].totals.sales == 1_050_000

    response = client.get(URL, query(market["b"]))
    assert response.context["report"].totals.sales == 120_000


def test_others_are_refused(client, market):
    outsider = get_user_model().objects.create_user(email="nobody@cho-ocop.test", password="x")
    outsider.user_permissions.add(
        Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin")
    )
    client.force_login(outsider)
    response = client.get(URL)
    assert response.status_code == 403
    assert URL not in client.get("/admin/").text

    owner = factories.owner(factories.cooperative("HTX khác", DOUG_PHUC))
    client.force_login(owner)
    assert client.get(URL).status_code == 302  # no admin access at all: the login page


def test_the_menu_shows_the_reports_to_officers(officer_client):
    assert URL in officer_client.get("/admin/").text


def test_an_officer_without_a_region_sees_nothing(client, market):
    user = get_user_model().objects.create_user(email="moi@cho-ocop.test", password="x")
    user.groups.add(install_officer_group())
    client.force_login(user)

    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["report"] is None
    assert "data-no-region" in response.text
    assert client.get(URL, {"region": market["a"].pk}).status_code == 404


def test_csv_export(officer_client, market):
    response = officer_client.get(URL, query(market["a"], format="csv"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    filename = f"bao-cao-cho-don-{FIRST_DAY:%Y%m%d}-{TODAY:%Y%m%d}.csv"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert len(header) == 6
    by_section = {}
    for row in body:
        by_section.setdefault(row[0], []).append(row[1:])
    cooperative_section = next(
        key for key in by_section if "HTX chè Đồng Phúc" in str(by_section[key])
    )
    assert by_section[cooperative_section][0] == [
        "HTX chè Đồng Phúc",
        "Xã Đồng Phúc, Thái Nguyên",
        "480000",
        "3",
        "4",
    ]
    assert ["Đồ uống", "", "480000", "3", "4"] in sum(by_section.values(), [])
    assert "HTX miến An Khánh" not in response.content.decode("utf-8-sig")


def test_xlsx_export(officer_client, market):
    response = officer_client.get(URL, query(market["a"], format="xlsx"))

    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    workbook = load_workbook(io.BytesIO(response.content))
    assert len(workbook.sheetnames) == 8
    totals = workbook[workbook.sheetnames[0]]
    assert totals["A1"].font.bold
    assert [cell.value for cell in totals[2]][2:] == [930_000, 4, 9]
    assert "₫" in totals["C2"].number_format
    cooperatives = workbook[workbook.sheetnames[1]]
    assert [cell.value for cell in cooperatives[2]] == [
        "HTX chè Đồng Phúc",
        "Xã Đồng Phúc, Thái Nguyên",
        480_000,
        3,
        4,
    ]
    delivery = workbook[workbook.sheetnames[6]]
    assert [cell.value for cell in delivery[2]][1] == 2
    assert [cell.value for cell in delivery[3]][1] == 38.0
    certificates = workbook[workbook.sheetnames[7]]
    assert [row[1].value for row in certificates.iter_rows(min_row=2)] == [2, 1, 1, 1, 1]


def test_report_queries_do_not_grow_with_orders(
    officer_client, market, django_assert_max_num_queries
):
    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert officer_client.get(URL, query(market["a"])).status_code == 200
        return len(captured)

    few = count_queries()
    for number in range(27):
        place([(market["tea"], 1), (market["honey"], 1)], local(number % 20, 12))
    with django_assert_max_num_queries(few):
        response = officer_client.get(URL, query(market["a"]))
    assert response.context["report"].totals.orders == 31


def test_exported_names_never_run_as_formulas(officer_client, market):
    trap = factories.product(
        '=HYPERLINK("http://bad.test")', 10_000, 10, market["tea"].stockrecords.first().partner
    )
    place([(trap, 1)], local(3, 12))

    response = officer_client.get(URL, query(market["a"], format="xlsx"))
    products = load_workbook(io.BytesIO(response.content)).worksheets[5]
    cell = next(row[0] for row in products.iter_rows(min_row=2) if "HYPERLINK" in row[0].value)
    assert cell.value == '\'=HYPERLINK("http://bad.test")'
    assert cell.data_type == "s"

    response = officer_client.get(URL, query(market["a"], format="csv"))
    assert "'=HYPERLINK" in response.content.decode("utf-8-sig")
