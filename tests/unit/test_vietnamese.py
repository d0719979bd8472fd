"""Vietnamese text, phone numbers, administrative units and money."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from oscar.templatetags.currency_filters import currency

from shop.addresses import units
from shop.addresses.phone import format_vietnamese_phone, parse_vietnamese_phone
from shop.text import fold, slugify


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Rượu men lá Đồng Phúc", "ruou-men-la-dong-phuc"),
        ("ĐẶC SẢN CHỢ ĐỒN", "dac-san-cho-don"),
        ("Miến dong – gói 500 g", "mien-dong-goi-500-g"),
    ],
)
def test_slugs_turn_d_with_stroke_into_d(text, slug):
    assert slugify(text) == slug


def test_oscar_uses_the_vietnamese_slugs(db):
    from tests import factories

    assert factories.product("Đậu đỏ Đồng Phúc").slug == "dau-do-dong-phuc"


def test_fold_removes_marks_and_case():
    assert fold("Rượu Men LÁ") == "ruou men la"


@pytest.mark.parametrize(
    ("typed", "e164"),
    [
        ("0912345678", "+84912345678"),
        ("0912 345 678", "+84912345678"),
        ("+84 912 345 678", "+84912345678"),
        ("84912345678", "+84912345678"),
        ("0386.123.456", "+84386123456"),
        ("0209 3870 123", "+842093870123"),  # landline, Thái Nguyên area
    ],
)
def test_vietnamese_numbers_are_accepted(typed, e164):
    assert parse_vietnamese_phone(typed) == e164


@pytest.mark.parametrize(
    "typed",
    ["", "123", "091234567", "0112345678", "+1 650 253 0000", "abc", "0" * 30, "09123456789999"],
)
def test_other_numbers_are_refused(typed):
    with pytest.raises(ValidationError):
        parse_vietnamese_phone(typed)


def test_numbers_display_in_national_format():
    assert format_vietnamese_phone("+84912345678") == "0912 345 678"


def test_post_2025_units():
    assert len(units.provinces()) == 34
    assert units.province("19").name == "Thái Nguyên"
    thai_nguyen = units.communes("19")
    assert units.Unit("01933", "Xã Đồng Phúc") in thai_nguyen
    assert units.Unit("02020", "Xã Chợ Đồn") in thai_nguyen
    assert units.commune("01933", province_code="19").name == "Xã Đồng Phúc"
    assert units.commune("01933", province_code="01") is None
    assert units.commune("not-a-code") is None
    assert units.province_of("02071").name == "Thái Nguyên"
    assert units.communes("00") == ()


def test_provinces_sort_as_people_look_for_them():
    names = [unit.name for unit in units.provinces()]
    assert names.index("Thành phố Hà Nội") < names.index("Hưng Yên") < names.index("Thái Nguyên")


@pytest.mark.parametrize("language", ["vi", "en"])
def test_money_is_shown_the_vietnamese_way_in_both_languages(language):
    with translation.override(language):
        assert currency(150000, "VND") == "150.000\xa0₫"
        assert currency("1234567.00", "VND") == "1.234.567\xa0₫"
