"""Two cooperatives, A and B, with owners, products, photos, certificates, and real orders.

One order holds lines of both (what isolation is about), one holds only B's lines. The orders are
placed through the real checkout, so their lines, allocations and addresses are Oscar's own.
"""

from dataclasses import dataclass
from html.parser import HTMLParser

from django.test import Client
from oscar.apps.catalogue.models import Product
from oscar.apps.order.models import Order
from oscar.apps.partner.models import Partner

from catalog import ocop_groups, product_classes
from catalog.models import OcopCertificate
from tests import factories
from tests.checkout import ADDRESS, add_to_basket, enter_details, place_order

OWNER_PASSWORD = "owner-pass-2026"

B_ADDRESS = {
    **ADDRESS,
    "first_name": "Trần Thị Bình",
    "phone_number": "0987 654 321",
    "line1": "Số 5 ngõ Hoa Mai",
    "notes": "Giao giờ hành chính",
}


@dataclass
class Side:
    partner: Partner
    owner: object
    products: list[Product]
    certificate: OcopCertificate
    verified_certificate: OcopCertificate

    @property
    def cooperative(self):
        return self.partner.cooperative

    @property
    def product(self):
        return self.products[0]


@dataclass
class Market:
    a: Side
    b: Side
    shared_order: Order  # lines of A and of B
    b_order: Order  # lines of B only
    groups: dict
    classes: dict


def buy(items, email, address=ADDRESS) -> Order:
    shopper = Client()
    for product, quantity in items:
        add_to_basket(shopper, product, quantity)
    enter_details(shopper, email=email, address=address)
    response = place_order(shopper)
    assert response.status_code == 302, response
    return Order.objects.order_by("-pk").first()


def side(letter, name, commune, email, titles, group):
    partner = factories.cooperative(name, commune)
    owner = factories.owner(partner, email=email, password=OWNER_PASSWORD)
    products = [
        factories.product(title, price, stock, partner, [group], image=True)
        for title, price, stock in titles
    ]
    submitted = factories.certificate(
        partner, products[:1], stars=None, status="submitted", number=f"{letter}-101/QĐ-UBND"
    )
    verified = factories.certificate(partner, products[1:], stars=4, number=f"{letter}-202/QĐ-UBND")
    return Side(partner, owner, products, submitted, verified)


def build_market() -> Market:
    classes = product_classes.install()
    groups = ocop_groups.install()
    a = side(
        "A",
        "HTX Chè Shan tuyết Chợ Đồn",
        "01933",
        "chu.a@htx.test",
        [("Chè Shan tuyết Chợ Đồn", 150_000, 40), ("Chè búp khô loại đặc biệt", 250_000, 4)],
        groups["thuc-pham-che-bien"],
    )
    b = side(
        "B",
        "HTX Miến dong Nam Cường",
        "02026",
        "chu.b@htx.test",
        [("Miến dong Nam Cường", 65_000, 80), ("Mật ong hoa bạc hà", 190_000, 30)],
        groups["thuc-pham-che-bien"],
    )
    shared = buy([(a.product, 2), (b.product, 3)], "khach.chung@example.com")
    b_only = buy([(b.products[1], 1)], "khach.b@example.com", address=B_ADDRESS)
    return Market(a, b, shared, b_only, groups, classes)


class _FormParser(HTMLParser):
    """The values a browser would send for one form of a page (no files)."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: dict[str, list[str]] = {}
        self.select = None
        self.select_options: list[tuple[str, bool]] = []
        self.option_value = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
            return
        if not self.inside or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            default = "on" if kind in ("checkbox", "radio") else ""
            self.fields.setdefault(name, []).append(attrs.get("value") or default)
        elif tag == "select" and name:
            self.select = (name, "multiple" in attrs)
            self.select_options = []
        elif tag == "option" and self.select:
            self.select_options.append((attrs.get("value", ""), "selected" in attrs))
        elif tag == "textarea" and name:
            self.textarea = name
            self.fields.setdefault(name, []).append("")

    def handle_data(self, data):
        if self.textarea:
            self.fields[self.textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select" and self.select:
            name, multiple = self.select
            chosen = [value for value, selected in self.select_options if selected]
            if not chosen and not multiple and self.select_options:
                chosen = [self.select_options[0][0]]
            self.fields[name] = chosen
            self.select = None


def form_values(response, form_id) -> dict:
    """The posted values of form `form_id` on a page, as the test client takes them."""
    parser = _FormParser(form_id)
    parser.feed(response.content.decode())
    return {
        name: values if len(values) > 1 else values[0]
        for name, values in parser.fields.items()
        if values
    }
