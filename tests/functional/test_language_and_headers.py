import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_vietnamese_by_default_even_for_english_browsers(client, shop_catalogue):
    page = client.get(reverse("basket:summary"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="vi">' in page.text
    assert "Giỏ hàng của bạn" in page.text
    assert page["Content-Language"] == "vi"


def test_switcher_turns_the_shop_english_and_back(client, shop_catalogue):
    basket = reverse("basket:summary")
    response = client.post(reverse("set_language"), {"language": "en", "next": basket})
    assert response.status_code == 302 and response["Location"] == basket
    page = client.get(basket)
    assert '<html lang="en">' in page.text and "Your basket" in page.text
    assert "VI" in page.text  # the way back
    client.post(reverse("set_language"), {"language": "vi", "next": basket})
    assert "Giỏ hàng của bạn" in client.get(basket).text


def test_only_two_languages_are_offered(client, shop_catalogue):
    page = client.get("/")
    assert page.text.count('name="language"') == 1  # one button: the other language


def test_pages_cannot_be_framed_except_the_editors_preview(client, home_page):
    assert client.get("/")["X-Frame-Options"] == "DENY"
    assert client.get("/admin/login/")["X-Frame-Options"] == "SAMEORIGIN"
