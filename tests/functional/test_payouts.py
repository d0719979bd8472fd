"""The payout ledger: one entry per delivered order line, payouts (batches) that staff create and
mark paid from the Wagtail admin with a VietQR code for the cooperative's account, and the
owner's statement in the dashboard. Orders are made with Oscar's factories, not the checkout."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.apps.basket.models import Basket
from oscar.apps.partner.strategy import Default
from oscar.test.factories import create_order
from PIL import Image

from cooperatives.roles import install_officer_group
from payments import payouts, vietqr
from payments.models import Payment, PayoutBatch, PayoutEntry
from tests import factories

pytestmark = pytest.mark.django_db

User = get_user_model()
INDEX = "/admin/payouts/"
CREATE = "/admin/payouts/create/"
BATCHES = "/admin/payouts/batches/"
STATEMENT = "/shop/dashboard/cooperative/statement/"


def place(*items):
    """An order of (product, quantity) items, as Oscar's order creator makes it."""
    basket = Basket.objects.create()
    basket.strategy = Default()
    for product, quantity in items:
        basket.add_product(product, quantity)
    return create_order(basket=basket)


def deliver(order):
    """The whole order delivered: Oscar's cascade moves every line with it."""
    order.set_status("shipped")
    order.set_status("delivered")


@pytest.fixture(autouse=True)
def _five_percent(settings):
    settings.PLATFORM_COMMISSION_PERCENT = Decimal("5")
    settings.PAYOUT_ACCOUNT_LOOKUP = "cooperatives.payouts.payout_account"


@pytest.fixture
def coops(db):
    """Cooperative A (with a payout account) and B (without), an owner each, a product each."""
    a = factories.cooperative("HTX Chè Shan tuyết Chợ Đồn", "01933")
    b = factories.cooperative("HTX Miến dong Nam Cường", "02026")
    coop = a.cooperative
    coop.bank_bin, coop.bank_account_number = "970436", "0071000123456"
    coop.bank_account_holder = "HTX CHE SHAN TUYET CHO DON"
    coop.save()
    return {
        "a": a,
        "b": b,
        "owner_a": factories.owner(a, email="chu.a@htx.test"),
        "owner_b": factories.owner(b, email="chu.b@htx.test"),
        "tea": factories.product("Chè Shan tuyết Chợ Đồn", 150_000, 100, a),
        "noodles": factories.product("Miến dong Nam Cường", 65_000, 100, b),
    }


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser(email="ketoan@cho-ocop.test", password="x" * 12)


@pytest.fixture
def staff_client(client, superuser):
    client.force_login(superuser)
    return client


def line_of(order, partner):
    return order.lines.get(partner=partner)


# --- Ledger entries ------------------------------------------------------------------------------


def test_delivering_an_order_records_each_line_once(coops):
    order = place((coops["tea"], 2), (coops["noodles"], 3))
    order.set_status("shipped")
    assert PayoutEntry.objects.count() == 0  # shipped is not delivered

    order.set_status("delivered")

    tea = PayoutEntry.objects.get(line=line_of(order, coops["a"]))
    assert (tea.partner, tea.gross, tea.commission_percent) == (coops["a"], 300_000, 5)
    assert (tea.commission, tea.net, tea.batch) == (15_000, 285_000, None)
    noodles = PayoutEntry.objects.get(line=line_of(order, coops["b"]))
    assert (noodles.gross, noodles.commission, noodles.net) == (195_000, 9_750, 185_250)
    assert PayoutEntry.objects.count() == 2


def test_a_line_delivered_on_its_own_is_recorded_then_the_order_adds_the_rest(coops):
    order = place((coops["tea"], 1), (coops["noodles"], 1))
    order.set_status("shipped")
    tea_line = line_of(order, coops["a"])

    tea_line.set_status("delivered")
    entry = PayoutEntry.objects.get()
    assert (entry.line, entry.gross, entry.net) == (tea_line, 150_000, 142_500)

    order.refresh_from_db()
    order.set_status("delivered")
    assert PayoutEntry.objects.count() == 2
    assert PayoutEntry.objects.get(line=tea_line).pk == entry.pk


def test_recording_again_changes_nothing(coops, settings):
    order = place((coops["tea"], 1))
    deliver(order)
    entry = PayoutEntry.objects.get()
    line = line_of(order, coops["a"])

    settings.PLATFORM_COMMISSION_PERCENT = Decimal("9")
    assert payouts.record_line(line).pk == entry.pk
    assert payouts.record_delivered_lines(order) == []
    payouts.on_line_status_changed(None, line=line, old_status="shipped", new_status="delivered")
    payouts.on_order_status_changed(None, order=order, old_status="shipped", new_status="delivered")
    # Cash on delivery then moves the order (and its lines) on to "paid".
    order.set_status("paid")

    assert PayoutEntry.objects.count() == 1
    entry.refresh_from_db()
    assert (entry.commission_percent, entry.commission) == (5, 7_500)  # kept as it was


def test_lines_moved_on_before_the_ledger_heard_of_delivery_are_still_recorded(coops):
    """A receiver may move a delivered order on to "paid" first (cash on delivery)."""
    order = place((coops["tea"], 1))
    order.set_status("shipped")
    order.lines.update(status="paid")  # what the cascade of "paid" leaves behind
    payouts.on_order_status_changed(None, order=order, old_status="delivered", new_status="paid")
    assert PayoutEntry.objects.get().line == line_of(order, coops["a"])


def test_undelivered_and_partnerless_lines_are_skipped(coops):
    order = place((coops["tea"], 1), (coops["noodles"], 1))
    order.lines.filter(partner=coops["b"]).update(partner=None)
    deliver(order)
    assert list(PayoutEntry.objects.values_list("partner", flat=True)) == [coops["a"].pk]

    cancelled = place((coops["tea"], 1))
    cancelled.set_status("cancelled")
    assert PayoutEntry.objects.filter(line__order=cancelled).count() == 0


@pytest.mark.parametrize(
    ("percent", "gross", "commission"),
    [
        ("2.5", 65_020, 1_626),  # 1,625.5 rounds half up
        ("2.5", 65_010, 1_625),  # 1,625.25 rounds down
        ("7.25", 199_000, 14_428),  # 14,427.75
        ("0", 65_000, 0),
    ],
)
def test_commission_is_rounded_half_up_to_whole_dong(percent, gross, commission):
    assert payouts.commission_for(gross, Decimal(percent)) == commission


def test_an_entry_keeps_a_non_round_percentage_and_whole_dong(coops, settings):
    settings.PLATFORM_COMMISSION_PERCENT = Decimal("2.5")
    odd = factories.product("Mật ong bạc hà", 65_020, 10, coops["b"])
    deliver(place((odd, 1)))
    entry = PayoutEntry.objects.get()
    assert (entry.commission_percent, entry.commission, entry.net) == (
        Decimal("2.50"),
        1_626,
        63_394,
    )
    assert entry.gross == entry.commission + entry.net


def test_a_refunded_order_is_still_recorded_and_flagged_for_staff(coops, staff_client):
    order = place((coops["tea"], 1))
    Payment.objects.create(
        order=order,
        method="vietqr",
        reference="OCOP000000018",
        amount_due=order.total_incl_tax,
        amount_received=order.total_incl_tax,
        amount_refunded=order.total_incl_tax,
        status=Payment.PAID,
    )
    deliver(order)
    batch = payouts.create_batch(coops["a"])
    assert batch.net == 142_500
    page = staff_client.get(f"{BATCHES}{batch.pk}/").text
    assert "data-refunded" in page

    other = place((coops["tea"], 1))
    deliver(other)
    second = payouts.create_batch(coops["a"])
    assert "data-refunded" not in staff_client.get(f"{BATCHES}{second.pk}/").text


# --- Batches ------------------------------------------------------------------------------------


def test_a_batch_takes_all_unbatched_entries_of_one_partner(coops, superuser):
    deliver(place((coops["tea"], 2), (coops["noodles"], 1)))
    deliver(place((coops["tea"], 1)))

    batch = payouts.create_batch(coops["a"], superuser)

    assert (batch.partner, batch.status, batch.created_by) == (coops["a"], "open", superuser)
    assert (batch.gross, batch.commission, batch.net) == (450_000, 22_500, 427_500)
    assert batch.entries.count() == 2
    assert batch.transfer_reference == f"OCOPTT{batch.pk:06d}"
    # B's entry stays waiting; A has nothing left.
    assert PayoutEntry.objects.get(batch__isnull=True).partner == coops["b"]
    with pytest.raises(payouts.PayoutError):
        payouts.create_batch(coops["a"], superuser)
    assert PayoutBatch.objects.count() == 1

    deliver(place((coops["tea"], 1)))
    later = payouts.create_batch(coops["a"], superuser)
    assert (later.net, later.entries.count()) == (142_500, 1)


def test_a_batch_is_marked_paid_once(coops, superuser):
    deliver(place((coops["tea"], 1)))
    batch = payouts.create_batch(coops["a"])

    with pytest.raises(payouts.PayoutError):
        payouts.mark_paid(batch, "   ", superuser)
    payouts.mark_paid(batch, " FT26331000123 ", superuser)
    batch.refresh_from_db()
    assert (batch.status, batch.bank_reference, batch.paid_by) == (
        "paid",
        "FT26331000123",
        superuser,
    )
    assert batch.paid_at is not None

    with pytest.raises(payouts.PayoutError):
        payouts.mark_paid(batch, "FT-SECOND", superuser)
    batch.refresh_from_db()
    assert batch.bank_reference == "FT26331000123"


# --- Staff screens ------------------------------------------------------------------------------


def qr_text(page: str) -> str:
    """Draw the page's SVG QR modules as pixels and read them back with zxing-cpp."""
    zxingcpp = pytest.importorskip("zxingcpp", reason="zxing-cpp (dev dependency) is missing")
    svg = re.search(r"<div[^>]*data-payout-qr[^>]*>(.*?)</div>", page, re.S).group(1)
    size = int(re.search(r'viewBox="0 0 (\d+) \d+"', svg).group(1))
    scale = 6
    image = Image.new("L", (size * scale, size * scale), 255)
    for x, y in re.findall(r"M(\d+),(\d+)H", svg):
        left, top = int(x) * scale, int(y) * scale
        image.paste(0, (left, top, left + scale, top + scale))
    results = zxingcpp.read_barcodes(image)
    assert len(results) == 1
    return results[0].text


def test_staff_see_what_is_owed_create_a_payout_scan_it_and_mark_it_paid(coops, staff_client):
    deliver(place((coops["tea"], 2), (coops["noodles"], 1)))

    index = staff_client.get(INDEX)
    assert index.status_code == 200
    assert f'data-partner="{coops["a"].pk}"' in index.text
    assert "285.000" in index.text and "HTX Chè Shan tuyết Chợ Đồn" in index.text

    response = staff_client.post(CREATE, {"partner": coops["a"].pk})
    batch = PayoutBatch.objects.get(partner=coops["a"])
    assert response.status_code == 302 and response["Location"] == f"{BATCHES}{batch.pk}/"

    page = staff_client.get(response["Location"]).text
    assert "Chè Shan tuyết Chợ Đồn × 2" in page and "285.000" in page
    assert "0071000123456" in page and "HTX CHE SHAN TUYET CHO DON" in page
    text = qr_text(page)
    assert f'data-payload="{text}"' in page
    scanned = vietqr.parse_payload(text)
    assert (scanned.bin, scanned.account, scanned.amount) == ("970436", "0071000123456", 285_000)
    assert scanned.purpose == batch.transfer_reference and scanned.is_dynamic

    # The index no longer offers A, and lists the open payout.
    index = staff_client.get(INDEX).text
    assert f'data-partner="{coops["a"].pk}"' not in index
    assert batch.transfer_reference in index

    assert staff_client.post(f"{BATCHES}{batch.pk}/", {"bank_reference": ""}).status_code == 200
    response = staff_client.post(f"{BATCHES}{batch.pk}/", {"bank_reference": "FT26331000123"})
    assert response.status_code == 302
    batch.refresh_from_db()
    assert (batch.status, batch.bank_reference) == ("paid", "FT26331000123")
    page = staff_client.get(f"{BATCHES}{batch.pk}/").text
    assert "data-payout-qr" not in page and "data-payout-mark-paid" not in page
    # A second "mark paid" (two tabs) is refused and changes nothing.
    staff_client.post(f"{BATCHES}{batch.pk}/", {"bank_reference": "FT-OTHER"})
    batch.refresh_from_db()
    assert batch.bank_reference == "FT26331000123"


def test_create_is_refused_when_nothing_is_owed_or_the_partner_is_unknown(coops, staff_client):
    response = staff_client.post(CREATE, {"partner": coops["a"].pk}, follow=True)
    assert response.status_code == 200
    assert PayoutBatch.objects.count() == 0
    assert staff_client.post(CREATE, {"partner": "999999"}).status_code == 404
    assert staff_client.post(CREATE, {"partner": "abc"}).status_code == 404
    assert staff_client.get(CREATE).status_code == 405


def test_a_cooperative_without_a_bank_account_gets_no_qr(coops, staff_client):
    deliver(place((coops["noodles"], 1)))
    batch = payouts.create_batch(coops["b"])
    page = staff_client.get(f"{BATCHES}{batch.pk}/").text
    assert "data-payout-no-account" in page
    assert "data-payout-qr" not in page


def test_batch_list_filters_by_status(coops, staff_client):
    deliver(place((coops["tea"], 1), (coops["noodles"], 1)))
    paid = payouts.mark_paid(payouts.create_batch(coops["a"]), "FT1")
    open_ = payouts.create_batch(coops["b"])

    def listed(query):
        return set(
            map(int, re.findall(r'data-batch="(\d+)"', staff_client.get(BATCHES + query).text))
        )

    assert listed("") == {paid.pk, open_.pk}
    assert listed("?status=open") == {open_.pk}
    assert listed("?status=paid") == {paid.pk}
    assert listed("?status=nonsense&page=x") == {paid.pk, open_.pk}
    assert staff_client.get(f"{BATCHES}999999/").status_code == 404


def test_only_payout_staff_get_in(client, coops):
    deliver(place((coops["tea"], 1)))
    batch = payouts.create_batch(coops["a"])
    urls = [INDEX, BATCHES, f"{BATCHES}{batch.pk}/"]

    officer = User.objects.create_user(email="canbo@cho-ocop.test", password="x" * 12)
    officer.groups.add(install_officer_group())
    client.force_login(officer)
    for url in [*urls, f"{BATCHES}999999/"]:
        assert client.get(url).status_code == 403
    assert client.post(CREATE, {"partner": coops["a"].pk}).status_code == 403
    assert client.post(urls[2], {"bank_reference": "FT1"}).status_code == 403
    assert "/admin/payouts/" not in client.get("/admin/").text  # no menu item

    # Owners have no admin access at all: Wagtail sends them to its login page.
    client.force_login(coops["owner_a"])
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    client.post(urls[2], {"bank_reference": "FT1"})
    batch.refresh_from_db()
    assert batch.status == "open" and PayoutBatch.objects.count() == 1

    # A staff member given the payout permission gets in (and sees the menu item).
    clerk = User.objects.create_user(email="thuquy@cho-ocop.test", password="x" * 12)
    clerk.user_permissions.add(
        Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin"),
        Permission.objects.get(codename="change_payoutbatch", content_type__app_label="payments"),
    )
    client.force_login(clerk)
    for url in urls:
        assert client.get(url).status_code == 200
    assert "/admin/payouts/" in client.get("/admin/").text


# --- The owner's statement ----------------------------------------------------------------------


def test_owner_sees_their_own_statement_only(client, coops):
    deliver(place((coops["tea"], 2), (coops["noodles"], 3)))
    deliver(place((coops["tea"], 1)))
    paid = payouts.mark_paid(payouts.create_batch(coops["a"]), "FT26331000123")
    deliver(place((coops["tea"], 1)))  # waiting, not in a payout
    b_batch = payouts.create_batch(coops["b"])

    client.force_login(coops["owner_a"])
    response = client.get(STATEMENT + f"?partner={coops['b'].pk}&page=1")
    assert response.status_code == 200
    page = response.text
    entries = set(map(int, re.findall(r'data-entry="(\d+)"', page)))
    assert entries == set(
        PayoutEntry.objects.filter(partner=coops["a"]).values_list("pk", flat=True)
    )
    assert len(entries) == 3
    assert "Miến dong" not in page and b_batch.transfer_reference not in page
    assert paid.transfer_reference in page and "FT26331000123" in page
    totals = page[page.index("data-statement-totals") :]
    assert "142.500" in totals.split("data-total-owed")[1][:40]  # the waiting line
    assert "427.500" in totals.split("data-total-paid")[1][:40]  # 285.000 + 142.500

    client.force_login(coops["owner_b"])
    page = client.get(STATEMENT).text
    assert "Chè Shan tuyết" not in page and paid.transfer_reference not in page
    assert b_batch.transfer_reference in page
    assert "185.250" in page.split("data-total-owed")[1][:40]  # in a payout not paid yet


def test_statement_is_for_the_owner_and_linked_in_their_menu(client, coops, superuser):
    member = factories.owner(coops["a"], email="nhanvien@htx.test")  # A's staff, not its owner
    client.force_login(member)
    assert client.get(STATEMENT).status_code == 403
    assert STATEMENT not in client.get(reverse("dashboard:index")).text

    client.force_login(coops["owner_a"])
    assert STATEMENT in client.get(reverse("dashboard:index")).text

    client.force_login(superuser)  # no cooperative of their own
    assert client.get(STATEMENT).status_code == 404
    client.logout()
    assert client.get(STATEMENT).status_code == 302


def test_statement_queries_do_not_grow_with_rows(client, coops):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(STATEMENT).status_code == 200
        return len(queries)

    client.force_login(coops["owner_a"])
    deliver(place((coops["tea"], 1)))
    payouts.create_batch(coops["a"])
    deliver(place((coops["tea"], 1)))
    few = count_queries()

    for _ in range(4):
        deliver(place((coops["tea"], 1), (coops["noodles"], 1)))
        payouts.mark_paid(payouts.create_batch(coops["a"]), "FT")
    deliver(place((coops["tea"], 2)))
    assert PayoutEntry.objects.filter(partner=coops["a"]).count() == 7
    assert count_queries() == few


def test_staff_screens_queries_do_not_grow_with_rows(staff_client, coops):
    def count_queries(url):
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(url).status_code == 200
        return len(queries)

    deliver(place((coops["tea"], 1)))
    batch = payouts.create_batch(coops["a"])
    deliver(place((coops["noodles"], 1)))
    urls = [INDEX, BATCHES, f"{BATCHES}{batch.pk}/"]
    before = [count_queries(url) for url in urls]

    for _ in range(3):
        deliver(place((coops["tea"], 1), (coops["noodles"], 1)))
    extra = factories.cooperative("HTX Gạo Bao Thai", "01933")
    deliver(place((factories.product("Gạo Bao Thai", 40_000, 10, extra), 1)))
    payouts.create_batch(coops["b"])
    big = payouts.create_batch(coops["a"])
    urls[2] = f"{BATCHES}{big.pk}/"
    assert big.entries.count() == 3
    assert [count_queries(url) for url in urls] == before
